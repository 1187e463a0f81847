"""An OpenAI-compatible LLM test server: a real HTTP stand-in for a model in tests and benchmarks.

``POST /v1/chat/completions`` (also ``/chat/completions``) answers, streamed or not, with a fixed
text paced like a model: the first token after ``ttft_ms``, then ``tokens_per_second``; a token is
a word plus its following space. It can misbehave on purpose (see ``FAULTS``): the fault comes from
the ``X-Fault`` request header, else from the script (one entry consumed per chat request, "ok"
meaning none), else from the config. Control endpoints: ``POST /_control/script {"faults": [..]}``,
``POST /_control/config {"ttft_ms": ..}``, ``GET /_control/requests`` (last 200 requests and
counters), ``POST /_control/reset`` (clears script, log and counters; restores the startup config).

In the test process::

    with run_in_thread(LLMServerConfig(ttft_ms=50, tokens=20)) as llm:
        client = AsyncInferenceClient(base_url=llm.base_url, api_key="test")
        llm.script(["503", "ok"])  # the next chat request gets a 503, the one after succeeds

In its own process (benchmarks), or through ``spawn(config_or_args)`` which learns the port::

    python -m plumberforce.testing.llm_server --port 0 --ttft-ms 300 --tokens-per-second 50 \\
        --tokens 100 [--echo] [--text T] [--models a,b] [--fault KIND] [--retry-after S]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, deque
from collections.abc import AsyncIterator, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import IO, Any, Self

import httpx
import uvicorn
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.types import Send

FAULTS = ("503", "429", "401", "403", "404", "500", "hang", "hang-mid", "drop", "malformed", "slow")
LISTENING = "LLM test server listening on"
MID_STREAM_TOKENS = 3  # tokens sent before hang-mid / drop / malformed strike
DEFAULT_TEXT = (
    "Salesforce is a cloud platform for customer relationship management. Sales Cloud tracks "
    "leads, accounts and opportunities; Service Cloud handles cases and knowledge articles; "
    "Flows automate business processes without code, while Apex triggers and classes cover the "
    "logic that declarative tools cannot express. Permission sets and sharing rules decide who "
    "sees which records, and governor limits keep every tenant on the shared infrastructure fair."
)
_ERRORS = {  # fault -> (status, message, OpenAI error type, code)
    "429": (429, "Rate limit reached for requests, retry later.", "requests", "rate_limit_exceeded"),
    "401": (401, "Invalid token: incorrect API key provided.", "invalid_request_error", "invalid_api_key"),
    "403": (403, "This token is not allowed to call this model.", "permission_error", "forbidden"),
    "404": (404, "The model `{model}` does not exist.", "invalid_request_error", "model_not_found"),
    "500": (500, "The server had an error processing your request.", "server_error", "internal_error"),
}


@dataclass
class LLMServerConfig:
    """Knobs of the test server; all but ``log_level`` and ``keep_alive_s`` can change at run time."""

    ttft_ms: float = 300.0
    tokens_per_second: float = 50.0  # 0 = no pacing after the first token
    tokens: int | None = 100  # answer length: the text is repeated/truncated; None = text as is
    text: str = DEFAULT_TEXT
    echo: bool = False  # answer "Echo: <last user message>", then filler up to `tokens`
    models: list[str] | None = None  # served model ids; None = any model accepted
    fault: str | None = None  # applied to every chat request
    retry_after: int = 1  # Retry-After seconds on 503 and 429
    log_level: str = "warning"
    keep_alive_s: float = 5.0  # idle keep-alive before the server closes a connection (uvicorn's default)


def check_fault(kind: str | None) -> None:
    """Reject (HTTP 400) anything but a known fault, "ok" or None."""
    if kind not in (None, "ok", *FAULTS):
        raise HTTPException(400, f"unknown fault {kind!r}; known: ok, {', '.join(FAULTS)}")


def last_user_text(messages: list[dict[str, Any]]) -> str:
    """Text of the last user message (text parts joined)."""
    for message in reversed(messages):
        if message.get("role") == "user":
            content = message.get("content") or ""
            if isinstance(content, list):
                return " ".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
            return str(content)
    return ""


def build_answer(config: LLMServerConfig, messages: list[dict[str, Any]]) -> list[str]:
    """The answer's tokens; joined they give its words separated by single spaces."""
    words = config.text.split() or ["ok"]
    head = f"Echo: {last_user_text(messages)}".split() if config.echo else []
    count = None if config.tokens is None else max(0, config.tokens - len(head))
    if count is not None or head:
        words = head + [words[i % len(words)] for i in range(count or 0)]
    return [word + " " for word in words[:-1]] + words[-1:]


async def _wait_until(deadline: float) -> None:
    """Sleep until the loop clock reaches ``deadline`` (never wakes early)."""
    loop = asyncio.get_running_loop()
    while (delay := deadline - loop.time()) > 0:  # noqa: ASYNC110 (a deadline, not a condition: sleeps once, again only if woken early)
        await asyncio.sleep(delay)


async def _wait_for_disconnect(request: Request) -> Response:
    """Hold the request (body already read) until the client goes away."""
    while (await request.receive())["type"] != "http.disconnect":
        pass
    return Response(status_code=204)


def _fault_response(fault: str, model: str, retry_after: int) -> Response:
    """The HTTP error of a status-code fault: TGI-style for 503, OpenAI-style otherwise."""
    retry = {"Retry-After": str(retry_after)}
    if fault == "503":
        body: dict[str, Any] = {"error": "Model is currently loading", "estimated_time": 20.0}
        return JSONResponse(body, status_code=503, headers=retry)
    status, message, kind, code = _ERRORS[fault]
    body = {"error": {"message": message.format(model=model), "type": kind, "param": None, "code": code}}
    return JSONResponse(body, status_code=status, headers=retry if fault == "429" else None)


class _Drop(Exception):
    """Raised inside a body iterator to cut the connection mid-response."""


class _DroppableStreamingResponse(StreamingResponse):
    """On ``_Drop`` it returns without the final frame, so uvicorn closes the socket mid-body."""

    async def stream_response(self, send: Send) -> None:
        with contextlib.suppress(_Drop):
            await super().stream_response(send)


@dataclass
class _Reply:
    """One answer being produced: its tokens, pacing and fault."""

    model: str
    tokens: list[str]
    finish: str  # "stop" or "length"
    fault: str | None
    first_at: float  # loop time of the first token
    interval: float  # seconds between tokens
    prompt: int  # prompt length in words
    ident: str = field(default_factory=lambda: f"chatcmpl-{uuid.uuid4().hex[:24]}")

    def due(self, index: int) -> float:
        """Loop time of token ``index``, computed from the start so pacing never drifts."""
        return self.first_at + index * self.interval

    def _envelope(self, kind: str, choice: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": self.ident,
            "object": kind,
            "created": int(time.time()),
            "model": self.model,
            "system_fingerprint": "plumberforce-test",
            "choices": [{"index": 0, "logprobs": None, **choice}],
        }

    def event(self, delta: dict[str, Any], finish: str | None = None) -> bytes:
        """One ``data: {chat.completion.chunk}`` server-sent event."""
        chunk = self._envelope("chat.completion.chunk", {"delta": delta, "finish_reason": finish})
        return b"data: " + json.dumps(chunk).encode() + b"\n\n"

    def completion(self) -> bytes:
        """The whole ``chat.completion`` JSON body."""
        message = {"role": "assistant", "content": "".join(self.tokens)}
        body = self._envelope("chat.completion", {"message": message, "finish_reason": self.finish})
        done = len(self.tokens)
        usage = {"prompt_tokens": self.prompt, "completion_tokens": done, "total_tokens": self.prompt + done}
        return json.dumps({**body, "usage": usage}).encode()


@dataclass
class _State:
    """Mutable server state, only touched from the server's event loop."""

    initial: LLMServerConfig
    config: LLMServerConfig
    script: deque[str] = field(default_factory=deque)
    log: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=200))
    counters: Counter[str] = field(default_factory=Counter)
    in_flight: int = 0

    def pick_fault(self, request: Request, model: str) -> str | None:
        """Header, else the next script entry (always consumed), else the config; 404 for unserved models."""
        scripted = self.script.popleft() if self.script else None
        chosen = request.headers.get("x-fault") or scripted or self.config.fault
        if chosen not in (None, "", "ok"):
            return chosen
        return "404" if self.config.models is not None and model not in self.config.models else None

    def record(self, request: Request, body: dict[str, Any], fault: str | None) -> None:
        """Log the request (minus its Authorization header) and count it."""
        headers = {k: v for k, v in request.headers.items() if k != "authorization"}
        params = {k: v for k, v in body.items() if k not in ("model", "messages", "stream")}
        self.log.append(
            {
                "time": time.time(),
                "path": request.url.path,
                "model": body.get("model"),
                "messages": body["messages"],
                "stream": bool(body.get("stream")),
                "params": params,
                "headers": headers,
                "authorized": "authorization" in request.headers,
                "fault": fault,
            }
        )
        self.counters["requests"] += 1
        self.counters[f"fault:{fault or 'none'}"] += 1

    def reply(self, body: dict[str, Any], fault: str | None, start: float) -> _Reply:
        """Tokens, finish reason and pacing for one request, from the current config."""
        tokens, finish, max_tokens = build_answer(self.config, body["messages"]), "stop", body.get("max_tokens")
        if isinstance(max_tokens, int) and len(tokens) > max_tokens:
            tokens, finish = tokens[:max_tokens], "length"
        ttft = self.config.ttft_ms / 1000 * (10 if fault == "slow" else 1)
        rate = self.config.tokens_per_second
        prompt = sum(len(str(m.get("content") or "").split()) for m in body["messages"])
        model = str(body.get("model") or "plumberforce-test")
        return _Reply(model, tokens, finish, fault, start + ttft, 1 / rate if rate > 0 else 0.0, prompt)


async def _stream(state: _State, reply: _Reply) -> AsyncIterator[bytes]:
    """One token per chunk (the first with role "assistant"), a finish chunk, [DONE]; or a fault."""
    mid = reply.fault in ("hang-mid", "drop", "malformed")
    tokens = reply.tokens[:MID_STREAM_TOKENS] if mid else reply.tokens
    state.in_flight += 1
    try:
        for index, token in enumerate(tokens):
            await _wait_until(reply.due(index))
            yield reply.event({"role": "assistant", "content": token} if index == 0 else {"content": token})
        if reply.fault == "hang-mid":
            await asyncio.Future()  # forever; cancelled when the client disconnects
        elif reply.fault == "drop":
            raise _Drop
        elif reply.fault == "malformed":
            yield b'data: {"id": "' + reply.ident.encode() + b'", "choices": [{"delta": \n\n'
        else:
            yield reply.event({} if tokens else {"role": "assistant", "content": ""}, reply.finish)
            state.counters["completed"] += 1
        yield b"data: [DONE]\n\n"
    finally:
        state.in_flight -= 1


async def _complete(state: _State, request: Request, reply: _Reply) -> Response:
    """The non-streamed answer, sent once the whole paced generation is done."""
    if reply.tokens:
        await _wait_until(reply.due(len(reply.tokens) - 1))
    if reply.fault == "hang-mid":
        return await _wait_for_disconnect(request)
    body = reply.completion()
    if reply.fault in ("malformed", "drop"):

        async def half_body() -> AsyncIterator[bytes]:
            yield body[: len(body) // 2]
            if reply.fault == "drop":
                raise _Drop

        return _DroppableStreamingResponse(half_body(), media_type="application/json")
    state.counters["completed"] += 1
    return Response(body, media_type="application/json")


async def _chat(state: _State, request: Request) -> Response:
    """POST /v1/chat/completions."""
    start = asyncio.get_running_loop().time()
    try:
        body = await request.json()
    except ValueError:
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
        raise HTTPException(400, "the body must be a JSON object with a messages list")
    model = str(body.get("model") or "")
    fault = state.pick_fault(request, model)
    state.record(request, body, fault)
    check_fault(fault)
    if fault == "hang":
        return await _wait_for_disconnect(request)
    if fault == "503" or fault in _ERRORS:
        return _fault_response(str(fault), model, state.config.retry_after)
    reply = state.reply(body, fault, start)
    if body.get("stream"):
        headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        return _DroppableStreamingResponse(_stream(state, reply), media_type="text/event-stream", headers=headers)
    return await _complete(state, request, reply)


def create_app(config: LLMServerConfig | None = None) -> FastAPI:
    """Build the test server (its state is ``app.state.llm``)."""
    initial = config or LLMServerConfig()
    state = _State(initial=initial, config=replace(initial))
    app = FastAPI(title="Plumberforce LLM test server")
    app.state.llm = state

    @app.post("/v1/chat/completions")
    @app.post("/chat/completions", include_in_schema=False)
    async def chat(request: Request) -> Response:
        return await _chat(state, request)

    @app.get("/v1/models")
    async def models() -> dict[str, Any]:
        ids = state.config.models or ["plumberforce-test"]
        return {"object": "list", "data": [{"id": i, "object": "model", "owned_by": "plumberforce"} for i in ids]}

    @app.get("/health")
    async def health() -> dict[str, Any]:
        return {"status": "ok", "in_flight": state.in_flight, "counters": dict(state.counters)}

    @app.post("/_control/script")
    async def script(payload: dict[str, list[str]]) -> dict[str, list[str]]:
        for kind in payload.get("faults", []):
            check_fault(kind)
        state.script.extend(payload.get("faults", []))
        return {"script": list(state.script)}

    @app.post("/_control/config")
    async def configure(changes: dict[str, Any]) -> dict[str, Any]:
        if unknown := set(changes) - {f.name for f in fields(LLMServerConfig)} - {"log_level"}:
            raise HTTPException(400, f"unknown config keys {sorted(unknown)}")
        if "keep_alive_s" in changes:
            raise HTTPException(400, "keep_alive_s is set when the server starts")
        check_fault(changes.get("fault"))
        state.config = replace(state.config, **changes)
        return asdict(state.config)

    @app.get("/_control/requests")
    async def requests() -> dict[str, Any]:
        return {"requests": list(state.log), "counters": dict(state.counters), "in_flight": state.in_flight}

    @app.post("/_control/reset")
    async def reset() -> dict[str, str]:
        state.script.clear()
        state.log.clear()
        state.counters.clear()
        state.config = replace(state.initial)
        return {"status": "reset"}

    return app


class _Controls:
    """Drive a running server through its control endpoints; a context manager that stops it."""

    url: str  # http://HOST:PORT

    @property
    def base_url(self) -> str:
        """The OpenAI-style base URL, ``url + "/v1"``."""
        return self.url + "/v1"

    def _control(self, method: str, path: str, payload: Any = None) -> dict[str, Any]:
        response = httpx.request(method, f"{self.url}/_control/{path}", json=payload, timeout=10)
        response.raise_for_status()
        body: dict[str, Any] = response.json()
        return body

    def script(self, faults: Sequence[str]) -> list[str]:
        """Queue faults, consumed one per chat request ("ok" = none); returns the whole queue."""
        return list(self._control("POST", "script", {"faults": list(faults)})["script"])

    def configure(self, **changes: Any) -> dict[str, Any]:
        """Change config fields at run time; returns the new config."""
        return self._control("POST", "config", changes)

    def requests(self) -> list[dict[str, Any]]:
        """The last 200 chat requests received, oldest first."""
        return list(self._control("GET", "requests")["requests"])

    def reset(self) -> None:
        """Clear script, log and counters; restore the startup config."""
        self._control("POST", "reset")

    def stop(self) -> None:
        """Stop the server."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class _ThreadedServer(uvicorn.Server):
    """uvicorn.Server that sets ``ready`` once its startup finished (or failed)."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = threading.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        try:
            await super().startup(sockets=sockets)
        finally:
            self.ready.set()


class RunningServer(_Controls):
    """A test server running in a daemon thread with its own event loop."""

    def __init__(self, server: _ThreadedServer, thread: threading.Thread, url: str) -> None:
        self.server, self.thread, self.url = server, thread, url

    def stop(self) -> None:
        """Ask uvicorn to exit and wait for its thread."""
        self.server.should_exit = True
        self.thread.join(timeout=10)


def _listen(host: str, port: int) -> socket.socket:
    """A listening IPv4 TCP socket (port 0 = a free port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    return sock


def _uvicorn_config(config: LLMServerConfig, **options: object) -> uvicorn.Config:
    """No access log; a short graceful shutdown, since hung requests never finish."""
    app = create_app(config)
    return uvicorn.Config(
        app,
        log_level=config.log_level,
        access_log=False,
        timeout_graceful_shutdown=1,
        timeout_keep_alive=config.keep_alive_s,
        **options,
    )


def run_in_thread(
    config: LLMServerConfig | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    tls: tuple[str, str] | None = None,
) -> RunningServer:
    """Start the server in a daemon thread; return once uvicorn has started. ``tls``: the paths of
    a certificate and its key, to serve HTTPS (tests of the HTTPS path use a test CA)."""
    sock = _listen(host, port)
    options = {"ssl_certfile": tls[0], "ssl_keyfile": tls[1]} if tls else {}
    server = _ThreadedServer(_uvicorn_config(config or LLMServerConfig(), **options))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="llm-test-server", daemon=True)
    thread.start()
    server.ready.wait(timeout=30)
    if not server.started:
        server.should_exit = True
        raise RuntimeError("the LLM test server failed to start")
    return RunningServer(server, thread, f"{'https' if tls else 'http'}://{host}:{sock.getsockname()[1]}")


class SpawnedServer(_Controls):
    """A test server in a child process (``process`` is its ``subprocess.Popen``)."""

    def __init__(self, process: subprocess.Popen[str], url: str) -> None:
        self.process, self.url = process, url

    def stop(self) -> None:
        """Terminate the child, killing it if it lingers."""
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _drain(stream: IO[str]) -> None:
    """Read the child's stdout to its end (so it never blocks on a full pipe), then close it."""
    with stream:
        stream.read()


def spawn(config_or_args: LLMServerConfig | Sequence[str] = (), host: str = "127.0.0.1") -> SpawnedServer:
    """Run ``python -m plumberforce.testing.llm_server --port 0 ...`` and read its URL from stdout."""
    if isinstance(config_or_args, LLMServerConfig):
        args = ["--config-json", json.dumps(asdict(config_or_args))]
    else:
        args = list(config_or_args)
    root = str(Path(__file__).resolve().parents[2])  # the directory holding the plumberforce package
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
    command = [sys.executable, "-m", "plumberforce.testing.llm_server", "--host", host, "--port", "0", *args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith(LISTENING):
            threading.Thread(target=_drain, args=(process.stdout,), daemon=True).start()
            return SpawnedServer(process, line.split()[-1])
    raise RuntimeError(f"the LLM test server exited with code {process.wait()} before listening")


def _parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 = a free port (the URL is printed on stdout)")
    parser.add_argument("--ttft-ms", type=float, default=300.0)
    parser.add_argument("--tokens-per-second", type=float, default=50.0, help="0 = no pacing")
    parser.add_argument("--tokens", type=int, default=100, help="answer length in tokens; 0 = the text as is")
    parser.add_argument("--text", default=DEFAULT_TEXT)
    parser.add_argument("--echo", action="store_true")
    parser.add_argument("--models", help="comma-separated model ids (default: any model)")
    parser.add_argument("--fault", choices=FAULTS)
    parser.add_argument("--retry-after", type=int, default=1)
    parser.add_argument("--log-level", default="info")
    parser.add_argument("--keep-alive-s", type=float, default=5.0, help="idle keep-alive (uvicorn's default: 5)")
    parser.add_argument("--config-json", help="a whole LLMServerConfig as JSON (overrides the other knobs)")
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    """Run the server in the foreground; print its URL once the socket listens."""
    args = _parser().parse_args(argv)
    models = [m.strip() for m in args.models.split(",") if m.strip()] if args.models else None
    knobs = {f.name: getattr(args, f.name) for f in fields(LLMServerConfig)} | {"models": models}
    config = LLMServerConfig(**(json.loads(args.config_json) if args.config_json else knobs))
    config.tokens = config.tokens or None
    sock = _listen(args.host, args.port)
    print(f"{LISTENING} http://{args.host}:{sock.getsockname()[1]}", flush=True)
    uvicorn.Server(_uvicorn_config(config)).run(sockets=[sock])


if __name__ == "__main__":
    main()
