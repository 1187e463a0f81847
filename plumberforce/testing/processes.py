"""Start our servers in subprocesses on free loopback ports, for tests and benchmarks, and wait
until their health endpoint answers (no sleeps standing in for readiness: the endpoint is polled
until it answers, within a deadline).

:class:`ServerProcess` is the common part; :class:`SpaceProcess` runs ``space_app.py`` (the
proxy's tests subclass it for ``python -m render_proxy``).
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from plumberforce.testing import zygote

ROOT = Path(__file__).resolve().parents[2]
SHARED_INDEX_DIR = Path(tempfile.gettempdir()) / "plumberforce-test-index"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def refused_url() -> Iterator[str]:
    """A loopback URL where nothing listens, for as long as the block runs: its port stays bound
    (not listening), so connecting is refused and no other server of the run can take the port
    meanwhile (a port from :func:`free_port` alone was once taken by another worker's server, which
    answered 404 where the test expected "down")."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"


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


def remote_env(base_url: str, **settings: object) -> dict[str, str]:
    """The environment of a Space whose remote engine is the OpenAI-compatible server at
    ``base_url`` (the LLM test server), model ``test-model``, rate limits off (tests and
    benchmarks send many questions from one address); further settings by lower-case name,
    e.g. ``remote_env(url, retries=0, cache_ttl_seconds=0)``."""
    env = {
        "PLUMBERFORCE_BASE_URL": base_url,
        "PLUMBERFORCE_MODEL": "test-model",
        "PLUMBERFORCE_RATE_LIMIT_PER_MINUTE": "0",
        "PLUMBERFORCE_IP_RATE_LIMIT_PER_MINUTE": "0",
    }
    env.update({f"PLUMBERFORCE_{name.upper()}": str(value) for name, value in settings.items()})
    return env


class ServerProcess:
    """A server in a subprocess on a free port of 127.0.0.1, with our variables cleared.

    Subclasses say what to run (:meth:`command`), where it answers when ready (``health``) and
    add their own variables (:meth:`own_environment`); ``env`` overrides everything.
    """

    name = "server"
    health = "/health"
    start_timeout = 60.0

    def __init__(
        self, log_dir: Path, env: dict[str, str] | None = None, port: int | None = None, log_path: Path | None = None
    ):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"ws://127.0.0.1:{self.port}"
        self.extra_env = dict(env or {})
        self.log_path = log_path or log_dir / f"{self.name}-{self.port}.log"
        self.process: subprocess.Popen | zygote.ForkedProcess | None = None

    def command(self) -> list[str]:
        raise NotImplementedError

    def cwd(self) -> Path:
        return ROOT

    def own_environment(self) -> dict[str, str]:
        return {}

    def environment(self) -> dict[str, str]:
        env = zygote.base_environment()
        env["PORT"] = str(self.port)
        env.update(self.own_environment())
        env.update(self.extra_env)
        return env

    def start(self, timeout: float | None = None):
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        command, cwd, env = self.command(), str(self.cwd()), self.environment()
        if zygote.can_fork(command, env):  # tests: forked from a process that imported everything once
            self.process = zygote.ForkedProcess(command, env, cwd, str(self.log_path))
        else:
            with open(self.log_path, "ab") as log:
                self.process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_http(self.url + self.health, timeout or self.start_timeout, self.process)
        except Exception:
            self.stop()
            raise RuntimeError(f"the {self.name} did not start; log:\n{self.log()}") from None
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

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class SpaceProcess(ServerProcess):
    """``python space_app.py`` on ``data_dir`` (run from its parent directory).

    With ``set_data_dir=False`` the app chooses its data directory itself (as on a Space, where
    nobody sets ``PLUMBERFORCE_DATA_DIR``): ``data_dir`` is then only where it runs and logs.
    """

    name = "space"
    health = "/api/health"
    start_timeout = 90.0

    def __init__(
        self,
        data_dir: Path,
        env: dict[str, str] | None = None,
        port: int | None = None,
        log_path: Path | None = None,
        set_data_dir: bool = True,
    ):
        super().__init__(data_dir.parent, env, port, log_path)
        self.data_dir = data_dir
        self.set_data_dir = set_data_dir

    def command(self) -> list[str]:
        return [sys.executable, str(ROOT / "space_app.py")]

    def cwd(self) -> Path:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return self.data_dir.parent

    def own_environment(self) -> dict[str, str]:
        # one index cache for every Space the tests and benches start (built once, not per process)
        env = {"PLUMBERFORCE_HOST": "127.0.0.1", "PLUMBERFORCE_INDEX_DIR": str(SHARED_INDEX_DIR)}
        if self.set_data_dir:
            env["PLUMBERFORCE_DATA_DIR"] = str(self.data_dir)
        return env
