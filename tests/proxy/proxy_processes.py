"""Start the proxy (``python -m render_proxy``) in a subprocess on a free loopback port, and wait
until ``/health`` answers (polled within a deadline; no sleeps standing in for readiness)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from plumberforce.testing.processes import ROOT, free_port, wait_http


class ProxyProcess:
    """``python -m render_proxy`` pointed at ``space`` (a URL), with extra environment."""

    def __init__(self, space: str, log_dir: Path, env: dict[str, str] | None = None, port: int | None = None):
        self.space = space
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"ws://127.0.0.1:{self.port}"
        self.extra_env = dict(env or {})
        self.log_path = log_dir / f"proxy-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PLUMBERFORCE_") and k != "HF_TOKEN"}
        env.update(
            {
                "PORT": str(self.port),
                "PLUMBERFORCE_SPACE": self.space,
                "PLUMBERFORCE_PROXY_HOST": "127.0.0.1",
                "PLUMBERFORCE_PROXY_LOG_LEVEL": "warning",
                "GRADIO_ANALYTICS_ENABLED": "False",
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.update(self.extra_env)
        return env

    def start(self, timeout: float = 30.0) -> ProxyProcess:
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "render_proxy"],
            cwd=str(ROOT),
            env=self.environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        try:
            wait_http(self.url + "/health", timeout, self.process)
        except Exception:
            self.stop()
            raise RuntimeError(f"the proxy did not start; log:\n{self.log()}") from None
        return self

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-5000:]
        except OSError:
            return ""

    def stop(self) -> None:
        """SIGTERM and wait; SIGKILL after 10 s."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)

    def restart(self) -> ProxyProcess:
        """Stop, then start again on the same port."""
        self.stop()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # the port is free once connects are refused
            try:
                httpx.get(self.url + "/health", timeout=0.5)
            except httpx.ConnectError:
                break
        return self.start()

    def __enter__(self) -> ProxyProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
