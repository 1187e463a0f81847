"""Security of the proxy: headers on every response, a page without inline script, CORS and
WebSocket origins limited to the configured ones, the Space's key sent upstream."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from html.parser import HTMLParser

import httpx
import pytest
import websockets

from plumberforce.testing.processes import SpaceProcess
from tests.proxy.conftest import ALLOWED_ORIGIN
from tests.proxy.proxy_processes import ProxyProcess
from tests.proxy.wsclient import ProxySocket, run

SPACE_KEY = "k-" + "s3cret" * 4


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/health",
        "/status",
        "/static/app/app.js",
        "/static/highlight.css",
        "/static/bootstrap/css/bootstrap.min.css",
        "/nope",
    ],
)
def test_security_headers_on_every_response(offline_proxy: ProxyProcess, path: str) -> None:
    response = httpx.get(offline_proxy.url + path, timeout=10)
    assert response.status_code == (404 if path == "/nope" else 200)
    csp = dict(part.strip().split(" ", 1) for part in response.headers["content-security-policy"].split(";"))
    assert csp["script-src"] == "'self'" and "unsafe" not in response.headers["content-security-policy"]
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'" and csp["default-src"] == "'self'"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script_bodies: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.script_bodies.append(data)


def test_the_page_has_no_inline_script_and_loads_only_its_own_files(offline_proxy: ProxyProcess) -> None:
    page = httpx.get(offline_proxy.url + "/", timeout=10).text
    parser = _Tags()
    parser.feed(page)
    scripts = [attrs for tag, attrs in parser.tags if tag == "script"]
    assert scripts and all(a.get("src", "").startswith("/static/") for a in scripts)
    assert parser.script_bodies == []
    assert not [a for _, attrs in parser.tags for a in attrs if a.startswith("on")]  # no inline handlers
    links = [attrs["href"] for tag, attrs in parser.tags if tag == "link"]
    local = [h for h in links if str(h).startswith("/static/") or h == "/favicon.ico"]
    assert links and local == links  # Bootstrap served locally, no CDN
    for url in links + [a["src"] for a in scripts]:
        assert httpx.get(offline_proxy.url + str(url), timeout=10).status_code == 200
    assert not re.search(r"https?://", page)


def test_cors_only_for_configured_origins(offline_proxy: ProxyProcess) -> None:
    allowed = httpx.get(offline_proxy.url + "/status", headers={"Origin": ALLOWED_ORIGIN}, timeout=10)
    assert allowed.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    other = httpx.get(offline_proxy.url + "/status", headers={"Origin": "https://evil.example"}, timeout=10)
    assert "access-control-allow-origin" not in other.headers
    preflight = httpx.options(
        offline_proxy.url + "/status",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
        timeout=10,
    )
    assert preflight.status_code == 400 and "access-control-allow-origin" not in preflight.headers


def test_websocket_origins(offline_proxy: ProxyProcess) -> None:
    url = f"{offline_proxy.ws_url}/ws/o-{uuid.uuid4().hex[:8]}"

    async def scenario() -> None:
        with pytest.raises(websockets.InvalidStatus) as refused:
            async with ProxySocket(url, origin="https://evil.example"):
                pass
        assert refused.value.response.status_code == 403
        for origin in (ALLOWED_ORIGIN, offline_proxy.url):  # configured, and the page's own
            async with ProxySocket(url, origin=origin) as ws:
                await ws.send({"type": "ping"})
                assert await ws.recv() == {"type": "pong"}

    run(scenario())


@pytest.fixture(scope="module")
def keyed_space(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SpaceProcess]:
    root = tmp_path_factory.mktemp("keyed-space")
    with SpaceProcess(
        root / "data", env={"PLUMBERFORCE_ENGINE": "offline", "PLUMBERFORCE_API_KEY": SPACE_KEY}
    ) as space:
        yield space


def test_the_space_key_is_sent_upstream(keyed_space: SpaceProcess, tmp_path_factory: pytest.TempPathFactory) -> None:
    logs = tmp_path_factory.mktemp("keyed-proxies")

    async def ask(proxy: ProxyProcess) -> dict:
        async with ProxySocket(f"{proxy.ws_url}/ws/k-{uuid.uuid4().hex[:8]}") as ws:
            return (await ws.ask("q1", "What is an Apex trigger?"))[1]

    with ProxyProcess(keyed_space.url, logs, env={"PLUMBERFORCE_API_KEY": SPACE_KEY}) as proxy:
        done = run(ask(proxy))
        assert done["type"] == "done" and done["engine"] == "offline", done
        assert httpx.get(proxy.url + "/articles/queueable-apex", timeout=10).status_code == 200  # the key, on REST too
    with ProxyProcess(keyed_space.url, logs) as proxy:  # no key: the Space refuses, the page is told
        error = run(ask(proxy))
        assert error["type"] == "error" and error["code"] == "upstream_unauthorized", error
        assert "PLUMBERFORCE_API_KEY" in error["message"]
        assert httpx.get(proxy.url + "/articles/queueable-apex", timeout=10).status_code == 502
        assert SPACE_KEY not in proxy.log()
