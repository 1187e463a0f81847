"""Every deploy target builds: the Space's front-matter follows the Hub's rules, and each
target's requirements resolve for the Python that target runs (pip's resolver, against the
package index, as the target's builder would).

Targets: the Hugging Face Space (README front-matter ``python_version`` + requirements.txt),
the Render proxy (render_proxy/render.yaml ``PYTHON_VERSION`` + render_proxy/requirements.txt)
and, when it exists, the Docker image (Dockerfile ``FROM python:<version>`` + requirements.txt).
"""

from __future__ import annotations

import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
# The keys of https://huggingface.co/docs/hub/spaces-config-reference (read 2026-12-02), plus
# `license`, which the Hub reads as repository card metadata.
HUB_KEYS = {
    "title", "emoji", "colorFrom", "colorTo", "sdk", "python_version", "sdk_version", "suggested_hardware",
    "suggested_storage", "app_file", "app_build_command", "app_port", "base_path", "fullWidth", "header",
    "short_description", "models", "datasets", "tags", "thumbnail", "pinned", "hf_oauth", "hf_oauth_scopes",
    "hf_oauth_expiration_minutes", "hf_oauth_authorized_org", "disable_embedding", "startup_duration_timeout",
    "custom_headers", "preload_from_hub", "license",
}  # fmt: skip
HUB_DEFAULT_PYTHON = "3.10"  # what a Space gets when the front-matter does not say
COLORS = {"red", "yellow", "green", "blue", "indigo", "purple", "pink", "gray"}


def front_matter(readme: Path = ROOT / "README.md") -> dict:
    match = re.match(r"\A---\n(.*?)\n---\n", readme.read_text(encoding="utf-8"), re.S)
    assert match, "README.md must start with the Space's YAML front-matter between --- lines"
    return yaml.safe_load(match.group(1))


def space_python(meta: dict) -> str:
    """The Python a Space built from this front-matter runs."""
    return str(meta.get("python_version", HUB_DEFAULT_PYTHON))


def render_python(blueprint: Path = ROOT / "render_proxy" / "render.yaml") -> str:
    services = yaml.safe_load(blueprint.read_text(encoding="utf-8"))["services"]
    values = [v["value"] for s in services for v in s.get("envVars", []) if v.get("key") == "PYTHON_VERSION"]
    assert len(values) == 1, "render.yaml must pin PYTHON_VERSION once (Render's default Python changes over time)"
    return str(values[0])


def docker_python(dockerfile: Path = ROOT / "Dockerfile") -> str:
    bases = re.findall(r"^FROM\s+(?:--\S+\s+)*python:(\d+\.\d+(?:\.\d+)?)\S*", dockerfile.read_text(), re.M)
    assert bases, "the Dockerfile must build FROM python:<version>"
    return bases[-1]


def minor(version: str) -> tuple[int, int]:
    major, minor_, *_ = (int(part) for part in version.split("."))
    return major, minor_


def pinned(requirements: Path, package: str) -> str:
    match = re.search(rf"^{package}\s*(?:==|>=)\s*([0-9][0-9.]*)", requirements.read_text(), re.M | re.I)
    assert match, f"{requirements.name} must pin {package}"
    return match.group(1)


def deploy_targets() -> list[tuple[str, str, Path]]:
    """(name, python version, requirements file) of every deploy target."""
    targets = [
        ("Hugging Face Space", space_python(front_matter()), ROOT / "requirements.txt"),
        ("Render proxy", render_python(), ROOT / "render_proxy" / "requirements.txt"),
    ]
    if (ROOT / "Dockerfile").exists():
        targets.append(("Docker image", docker_python(), ROOT / "requirements.txt"))
    return targets


def resolve(python: str, requirements: Path, target: Path) -> subprocess.CompletedProcess:
    """pip's resolver, as a builder running ``python`` would resolve ``requirements``."""
    command = [
        sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
        "--disable-pip-version-check", "--python-version", python, "--only-binary=:all:",
        "--target", str(target), "-r", str(requirements),
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=600)


def test_front_matter_follows_the_hub_rules() -> None:
    meta = front_matter()
    unknown = set(meta) - HUB_KEYS
    assert not unknown, f"keys the Hub does not know: {sorted(unknown)}"
    assert meta["sdk"] == "gradio"
    assert str(meta["sdk_version"]) == pinned(ROOT / "requirements.txt", "gradio")
    assert (ROOT / meta["app_file"]).is_file()
    assert len(meta["short_description"]) <= 60, "the Hub refuses a short_description over 60 characters"
    assert {meta["colorFrom"], meta["colorTo"]} <= COLORS


def test_every_target_runs_the_python_the_suite_runs_on() -> None:
    """python_version is declared (the Hub's default, 3.10, cannot install our requirements) and
    every target runs the minor version this suite is tested on."""
    assert "python_version" in front_matter(), "declare python_version (the Hub defaults to 3.10)"
    here = sys.version_info[:2]
    for name, python, _ in deploy_targets():
        assert minor(python) == here, f"{name} runs Python {python}; the suite runs on {here[0]}.{here[1]}"


def test_the_hub_default_python_is_what_an_undeclared_space_gets() -> None:
    assert space_python({"sdk": "gradio"}) == "3.10"
    assert space_python({"python_version": "3.11"}) == "3.11"


def test_requirements_resolve_for_each_target_python(tmp_path: Path) -> None:
    """Needs the package index (as .ci/run has); a failure shows pip's resolver error."""
    targets = deploy_targets()
    distinct = sorted({(python, req) for _, python, req in targets})  # the Space and the Docker image share one
    with ThreadPoolExecutor(len(distinct)) as pool:
        resolved = pool.map(lambda pr: resolve(pr[0], pr[1], tmp_path / f"target-{distinct.index(pr)}"), distinct)
        by_target = dict(zip(distinct, resolved, strict=True))
    results = [by_target[(python, req)] for _, python, req in targets]
    failures = [
        f"{name} (Python {python}, {req.relative_to(ROOT)}):\n{result.stderr[-2000:]}"
        for (name, python, req), result in zip(targets, results, strict=True)
        if result.returncode != 0
    ]
    assert not failures, "requirements do not resolve:\n" + "\n".join(failures)


@pytest.mark.parametrize("python", ["3.10"])
def test_the_resolver_check_can_fail(tmp_path: Path, python: str) -> None:
    """The check is real: our Space requirements do not resolve on the Hub's default Python."""
    result = resolve(python, ROOT / "requirements.txt", tmp_path)
    assert result.returncode != 0
    assert "No matching distribution" in result.stderr or "requires a different Python" in result.stderr


def test_the_dockerfile_runs_the_space_as_a_user_with_a_health_check() -> None:
    """What a container host needs (the image itself is built where a Docker engine runs)."""
    text = (ROOT / "Dockerfile").read_text()
    users = re.findall(r"^USER\s+(\S+)", text, re.M)
    assert users and users[-1] not in ("root", "0"), "the Space must not run as root"
    assert re.search(r"^HEALTHCHECK .*\n?.*?/api/health", text, re.M | re.S)
    assert 'CMD ["python", "space_app.py"]' in text and "PORT" in text
    copied = re.findall(r"^COPY .*", text, re.M)
    assert any("requirements.txt" in line for line in copied) and any("plumberforce" in line for line in copied)
