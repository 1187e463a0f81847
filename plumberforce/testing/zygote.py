"""A fork server for the test suite: one process imports the servers' heavy dependencies once
(gradio, pandas, bm25s, huggingface_hub, the app itself: about 3-4 s of CPU each time on a
2-core machine) and forks a child for every Space or proxy a test starts.

The suite starts some forty servers; starting each from a fresh interpreter cost more than half
of the suite's CPU. A forked child is a real, separate process that runs ``space_app.py`` or
``python -m render_proxy`` from its top (``runpy``), on its own environment, port, working
directory and log file, and is signalled and reaped like any child (:class:`ForkedProcess`
mimics the part of :class:`subprocess.Popen` that :mod:`plumberforce.testing.processes` uses).

Only tests opt in (``tests/conftest.py`` calls :func:`enable`); benchmarks start every server
from a fresh interpreter, so that their CPU and memory figures are a deployed process's.
A server whose environment differs from the fork server's in anything but the project's own
variables (``PLUMBERFORCE_*``, ``PORT``) is started with a plain exec, so that nothing a library
read at import time can differ from what the test asked for.

Protocol, one JSON object per line on the fork server's stdin/stdout:
``{"op": "spawn", "argv", "env", "cwd", "log"}`` -> ``{"pid"}``;
``{"op": "poll", "pid"}`` -> ``{"returncode": int | null}`` (negative: killed by that signal).
"""

from __future__ import annotations

import atexit
import json
import os
import runpy
import signal
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRELOAD = ("uvicorn", "gradio", "gradio_client", "pandas", "bm25s", "plumberforce.web.app", "render_proxy.app")
OWN = ("PLUMBERFORCE_", "PORT")
VOLATILE = ("PYTEST_",)  # pytest's own variables (PYTEST_CURRENT_TEST changes with every test)

_lock = threading.Lock()
_server: subprocess.Popen | None = None
_server_env: dict[str, str] = {}
_enabled = False


def enable() -> None:
    """Start servers through the fork server from now on (tests only)."""
    global _enabled
    _enabled = True


def can_fork(argv: list[str], env: dict[str, str]) -> bool:
    """Whether a server with this command line and environment can be forked."""
    if not _enabled or len(argv) < 2 or argv[0] != sys.executable:
        return False
    if not (argv[1:2] == ["-m"] and len(argv) == 3) and not (len(argv) == 2 and argv[1].endswith(".py")):
        return False
    base = _server_env or base_environment()
    keys = set(env) | set(base)
    return all(k.startswith(OWN + VOLATILE) or env.get(k) == base.get(k) for k in keys)


def base_environment() -> dict[str, str]:
    """What every server the tests and benches start inherits: this process's environment
    without the project's variables and tokens, Gradio's analytics off, unbuffered output."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("PLUMBERFORCE_") and k not in ("HF_TOKEN", "SPACE_ID")
    }
    env.update({"GRADIO_ANALYTICS_ENABLED": "False", "PYTHONUNBUFFERED": "1"})
    return env


def _request(message: dict) -> dict:
    global _server, _server_env
    with _lock:
        if _server is None or _server.poll() is not None:
            _server_env = base_environment()
            _server = subprocess.Popen(
                [sys.executable, "-m", "plumberforce.testing.zygote"],
                cwd=str(ROOT),
                env=_server_env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
            )
            atexit.register(_close, _server)
        assert _server.stdin is not None and _server.stdout is not None
        _server.stdin.write(json.dumps(message).encode() + b"\n")
        _server.stdin.flush()
        line = _server.stdout.readline()
    if not line:
        raise RuntimeError("the test fork server exited")
    answer = json.loads(line)
    if "error" in answer:
        raise RuntimeError(f"the test fork server could not {message['op']}: {answer['error']}")
    return answer


def _close(server: subprocess.Popen) -> None:
    if server.stdin:
        server.stdin.close()
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        server.kill()


class ForkedProcess:
    """A server forked by the fork server: the subset of :class:`subprocess.Popen` used here."""

    def __init__(self, argv: list[str], env: dict[str, str], cwd: str, log: str):
        self.args = argv
        self.returncode: int | None = None
        self.pid: int = _request({"op": "spawn", "argv": argv, "env": env, "cwd": cwd, "log": log})["pid"]

    def poll(self) -> int | None:
        if self.returncode is None:
            self.returncode = _request({"op": "poll", "pid": self.pid})["returncode"]
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(self.args, timeout or 0)
            time.sleep(0.02)  # polling the exit of a process that is not our child
        assert self.returncode is not None
        return self.returncode

    def send_signal(self, sig: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, sig)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


# --- the fork server itself -------------------------------------------------------------------


def _child(message: dict) -> None:
    """In the forked child: become the server the message describes, never return."""
    code = 1
    try:
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        log = os.open(message["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.environ.clear()
        os.environ.update(message["env"])
        os.chdir(message["cwd"])
        argv = message["argv"]
        if argv[1] == "-m":
            sys.argv = [argv[2]]
            runpy.run_module(argv[2], run_name="__main__", alter_sys=True)
        else:
            sys.argv = argv[1:]
            sys.path[0] = str(Path(argv[1]).resolve().parent)
            runpy.run_path(argv[1], run_name="__main__")
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if not isinstance(exc.code, int) and exc.code is not None:
            print(exc.code, file=sys.stderr)
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _status(status: int) -> int:
    return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)


def _preload_index() -> None:
    """Load the shared test index once, so that a forked Space finds it in memory (the index cache
    keeps what its process loaded, keyed by file and modification time)."""
    from plumberforce.knowledge import KnowledgeBase
    from plumberforce.testing.processes import SHARED_INDEX_DIR

    try:
        KnowledgeBase.load_cached(SHARED_INDEX_DIR)
    except Exception:  # a Space that needs it builds it itself, as without the fork server
        traceback.print_exc()


def serve() -> None:
    for name in PRELOAD:
        __import__(name)
    _preload_index()
    reaped: dict[int, int] = {}
    for line in sys.stdin.buffer:
        message = json.loads(line)
        try:
            if message["op"] == "spawn":
                pid = os.fork()
                if pid == 0:
                    _child(message)
                answer: dict = {"pid": pid}
            else:
                pid = message["pid"]
                if pid not in reaped:
                    done, status = os.waitpid(pid, os.WNOHANG)
                    if done:
                        reaped[pid] = _status(status)
                answer = {"returncode": reaped.get(pid)}
        except Exception as exc:  # an answer, not a dead fork server
            answer = {"error": repr(exc)}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()
