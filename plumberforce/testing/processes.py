"""Start the Space (``space_app.py``) in a subprocess on a free loopback port, for tests and
benchmarks, and wait until it answers ``/api/health`` (no sleeps standing in for readiness:
the health endpoint is polled until it answers, within a deadline).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url: str, timeout: float = 60.0, process: subprocess.Popen | None = None) -> None:
    """Poll ``url`` until it answers 200, the process dies, or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before {url} answered")
        try:
            if httpx.get(url, timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError as exc:
            last = exc
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout}s ({last!r})")


class SpaceProcess:
    """``python space_app.py`` with the given environment, on a free port of 127.0.0.1."""

    def __init__(self, data_dir: Path, env: dict[str, str] | None = None, port: int | None = None,
                 log_path: Path | None = None):
        self.data_dir = data_dir
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.extra_env = dict(env or {})
        self.log_path = log_path or data_dir.parent / f"space-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PLUMBERFORCE_") and k != "HF_TOKEN"}
        env.update(
            {
                "PORT": str(self.port),
                "PLUMBERFORCE_HOST": "127.0.0.1",
                "PLUMBERFORCE_DATA_DIR": str(self.data_dir),
                "GRADIO_ANALYTICS_ENABLED": "False",
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.update(self.extra_env)
        return env

    def start(self, timeout: float = 90.0) -> SpaceProcess:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "space_app.py")],
            cwd=str(self.data_dir.parent),
            env=self.environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        try:
            wait_http(self.url + "/api/health", timeout, self.process)
        except Exception:
            self.stop()
            raise RuntimeError(f"the Space did not start; log:\n{self.log()}") from None
        return self

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-5000:]
        except OSError:
            return ""

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers run (a crash)."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        """SIGTERM and wait (a clean shutdown), SIGKILL after 15 s."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()

    def __enter__(self) -> SpaceProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
