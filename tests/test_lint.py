"""The code base stays clean: ruff's lint rules and its formatting (configured in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys

from plumberforce.testing.processes import ROOT

PATHS = ["plumberforce", "render_proxy", "tests", "bench", "space_app.py"]


def test_ruff_check() -> None:
    result = subprocess.run([sys.executable, "-m", "ruff", "check", *PATHS], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", *PATHS], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
