"""Settings: defaults, environment names, and start-up refusing bad values with the variable named."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from plumberforce.settings import DEFAULT_MODEL, Settings, SettingsError, load_settings
from plumberforce.testing.processes import ROOT


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("PLUMBERFORCE_") or name in ("HF_TOKEN", "PORT"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_defaults_are_the_offline_engine() -> None:
    settings = load_settings()
    assert settings.model == DEFAULT_MODEL and settings.provider == "auto"
    assert settings.engine_kind == "offline"
    assert settings.max_question_chars == 4000 and settings.port == 7860
    assert settings.api_key is None


def test_environment_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_TOKEN", "hf_secret_value")
    monkeypatch.setenv("PORT", "9001")
    monkeypatch.setenv("PLUMBERFORCE_MODEL", "meta-llama/Llama-3.1-8B-Instruct")
    monkeypatch.setenv("PLUMBERFORCE_PROVIDER", "together")
    monkeypatch.setenv("PLUMBERFORCE_CACHE_TTL_SECONDS", "60")
    settings = load_settings()
    assert settings.engine_kind == "remote" and settings.port == 9001
    assert settings.hf_token is not None and settings.hf_token.get_secret_value() == "hf_secret_value"
    assert "hf_secret_value" not in repr(settings)
    assert settings.model.startswith("meta-llama") and settings.provider == "together"


def test_dotenv_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("PLUMBERFORCE_BASE_URL=http://127.0.0.1:8080/v1/\nPLUMBERFORCE_TEMPERATURE=0.7\n")
    settings = load_settings()
    assert settings.base_url == "http://127.0.0.1:8080/v1" and settings.temperature == 0.7
    assert settings.engine_kind == "remote"


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("PLUMBERFORCE_TEMPERATURE", "hot", "valid number"),
        ("PLUMBERFORCE_ENGINE", "gpu", "auto"),
        ("PLUMBERFORCE_BASE_URL", "localhost:8080", "http"),
        ("PORT", "70000", "65535"),
        ("PLUMBERFORCE_API_KEY", "short", "16"),
        ("PLUMBERFORCE_MAX_QUESTION_CHARS", "0", "greater than"),
        ("PLUMBERFORCE_ENGINE", "remote", "HF_TOKEN"),
    ],
)
def test_bad_values_name_the_variable(monkeypatch: pytest.MonkeyPatch, name: str, value: str, words: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as info:
        load_settings()
    message = str(info.value)
    assert words in message
    assert name in message


def test_space_app_refuses_to_start_on_a_bad_value(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLUMBERFORCE_")}
    env["PLUMBERFORCE_TIMEOUT_UNUSED"] = "x"
    env["PLUMBERFORCE_REQUEST_TIMEOUT"] = "-1"
    result = subprocess.run(
        [sys.executable, str(ROOT / "space_app.py")], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "PLUMBERFORCE_REQUEST_TIMEOUT" in result.stderr
    assert "Traceback" not in result.stderr


def test_settings_built_in_code_need_no_environment() -> None:
    settings = Settings(engine="offline", data_dir=Path("x"), port=1234)
    assert settings.port == 1234 and settings.engine_kind == "offline"
