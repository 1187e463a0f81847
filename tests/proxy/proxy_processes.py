"""Start the proxy (``python -m render_proxy``) in a subprocess on a free loopback port, and wait
until ``/health`` answers (polled within a deadline; no sleeps standing in for readiness)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import httpx

from plumberforce.testing.processes import ServerProcess


class ProxyProcess(ServerProcess):
    """``python -m render_proxy`` pointed at ``space`` (a URL), with extra environment."""

    name = "proxy"
    health = "/health"
    start_timeout = 30.0

    def __init__(self, space: str, log_dir: Path, env: dict[str, str] | None = None, port: int | None = None):
        super().__init__(log_dir, env, port)
        self.space = space

    def command(self) -> list[str]:
        return [sys.executable, "-m", "render_proxy"]

    def own_environment(self) -> dict[str, str]:
        return {
            "PLUMBERFORCE_SPACE": self.space,
            "PLUMBERFORCE_PROXY_HOST": "127.0.0.1",
            "PLUMBERFORCE_PROXY_LOG_LEVEL": "warning",
            # A few warm sessions, not the 256 made at start in production: each proxy a test starts
            # would cost its Space 256 /status calls. Benchmarks pass the production value.
            "PLUMBERFORCE_PROXY_WARM_STREAMS": "16",
        }

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
