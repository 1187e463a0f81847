"""The proxy's small parts on their own: message parser, history cache, token bucket, settings,
what the page gets of the Space's conversations and exports, the render deltas."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from render_proxy.answers import common_prefix
from render_proxy.history import HistoryCache
from render_proxy.page_calls import clean_export, clean_overview
from render_proxy.protocol import TYPES, Feedback, ProtocolError, Query, Rename, parse
from render_proxy.ratelimit import TokenBucket
from render_proxy.settings import ProxySettings, SettingsError, load_settings

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=20,
)
MESSAGES = st.fixed_dictionaries(
    {"type": st.sampled_from([*TYPES, "nope", ""])},
    optional={
        "id": JSON | st.text(max_size=70),
        "text": JSON | st.text(max_size=50),
        "message_id": JSON,
        "rating": JSON | st.integers(-2, 8),
        "comment": JSON,
        "conversation_id": JSON | st.text(max_size=70),
        "title": JSON | st.text(max_size=130),
        "format": JSON | st.sampled_from(["markdown", "json", "pdf"]),
    },
)


@settings(max_examples=300, deadline=None, database=None)
@given(raw=st.text(max_size=200) | st.binary(max_size=100) | JSON.map(json.dumps) | MESSAGES.map(json.dumps))
def test_parse_returns_a_message_or_a_protocol_error(raw: str | bytes) -> None:
    try:
        message = parse(raw)
    except ProtocolError as exc:
        assert exc.code in ("bad_json", "unknown_type", "invalid") and exc.message
        assert exc.id is None or len(exc.id) <= 64
    else:
        assert message.type in TYPES
        if isinstance(message, Query):
            assert len(message.text) >= 1  # its length is checked against the Space's limit later
        if isinstance(message, Rename):
            assert 1 <= len(message.title) <= 120 and message.title == message.title.strip()
        if isinstance(message, Feedback):
            assert 1 <= message.rating <= 5 and len(message.comment) <= 1000


def test_history_cache_is_bounded_and_never_partial() -> None:
    cache = HistoryCache(max_clients=2, max_messages=3)
    cache.append("a", {"role": "user"})  # never loaded: nothing to append to
    assert cache.get("a") is None
    cache.put("a", [{"i": i} for i in range(5)])
    assert cache.get("a") == [{"i": 2}, {"i": 3}, {"i": 4}]
    cache.append("a", {"i": 5})
    assert cache.get("a") == [{"i": 3}, {"i": 4}, {"i": 5}]
    cache.put("b", [])
    cache.get("a")  # a is now the most recent
    cache.put("c", [])
    assert cache.get("b") is None and cache.get("a") is not None and len(cache) == 2


def test_history_cache_follows_the_conversation() -> None:
    cache = HistoryCache(max_clients=5, max_messages=10)
    cache.put("a", [{"role": "user"}, {"role": "assistant", "content": "old"}], conversation_id="c1")
    cache.append("a", {"role": "user", "content": "elsewhere"}, conversation_id="c2")  # another conversation's answer
    assert len(cache.get("a") or []) == 2
    cache.replace_last("a", {"role": "assistant", "content": "new"}, conversation_id="c1")
    assert (cache.get("a") or [])[-1]["content"] == "new" and cache.conversation("a") == "c1"
    cache.put("b", [{"role": "user"}])  # from /history: the conversation id is not known
    cache.append("b", {"role": "assistant"}, conversation_id="c9")
    assert len(cache.get("b") or []) == 2 and cache.conversation("b") == "c9"
    cache.replace_last("b", {"role": "assistant", "content": "x"}, conversation_id="c9")
    assert (cache.get("b") or [])[-1] == {"role": "assistant", "content": "x"}
    cache.forget("b")
    assert cache.get("b") is None


def test_the_space_s_conversations_reach_the_page_reduced_to_known_fields() -> None:
    raw = {
        "current": "c1",
        "conversations": [
            {"conversation_id": "c1", "title": "T" * 500, "created": 1, "updated": 2.5, "message_count": 4, "x": 1},
            {"conversation_id": "bad id!", "title": "dropped"},
            "not a dict",
            {"conversation_id": "c2", "title": None, "created": "soon", "updated": True, "message_count": None},
        ],
    }
    assert clean_overview(raw) == {
        "current": "c1",
        "conversations": [
            {"conversation_id": "c1", "title": "T" * 120, "created": 1.0, "updated": 2.5, "message_count": 4},
            {"conversation_id": "c2", "title": "", "created": 0.0, "updated": 0.0, "message_count": 0},
        ],
    }
    assert clean_overview({"current": "<script>", "conversations": []}) == {"current": None, "conversations": []}
    assert clean_overview(["nope"]) is None and clean_overview({"current": None}) is None


def test_exports_get_a_safe_file_name_and_a_known_media_type() -> None:
    clean = clean_export({"filename": "../../etc/passwd", "content": "# x", "media_type": "text/html"}, "markdown")
    assert clean == {"filename": "etc_passwd.md", "content": "# x", "media_type": "text/markdown"}
    assert clean_export({"filename": "a.json", "content": "{}"}, "json") == {
        "filename": "a.json",
        "content": "{}",
        "media_type": "application/json",
    }
    assert clean_export({"content": ""}, "markdown")["filename"] == "plumberforce-conversation.md"  # type: ignore[index]
    assert clean_export({"filename": "x"}, "markdown") is None


@settings(max_examples=200, deadline=None, database=None)
@given(a=st.text(max_size=40), b=st.text(max_size=40))
def test_common_prefix(a: str, b: str) -> None:
    n = common_prefix(a, b)
    assert a[:n] == b[:n] and (n == min(len(a), len(b)) or a[n] != b[n])


def test_token_bucket() -> None:
    bucket = TokenBucket(rate=1, burst=3)
    assert [bucket.take() for _ in range(4)] == [True, True, True, False]
    assert 0 < bucket.retry_after() <= 1


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLUMBERFORCE_SPACE", "someone/plumberforce")
    monkeypatch.setenv("PLUMBERFORCE_API_KEY", "k" * 20)
    monkeypatch.setenv("HF_TOKEN", "hf_x")
    monkeypatch.setenv("PORT", "10000")
    monkeypatch.setenv("PLUMBERFORCE_PROXY_CORS_ORIGINS", "https://a.example, http://localhost:3000")
    monkeypatch.setenv("PLUMBERFORCE_PROXY_REQUEST_TIMEOUT", "30")
    s = load_settings()
    assert s.space == "someone/plumberforce" and s.port == 10000 and s.request_timeout == 30
    assert s.cors_origins == ["https://a.example", "http://localhost:3000"]
    assert s.upstream_headers() == {"X-API-Key": "k" * 20}
    assert "k" * 20 not in repr(s) and "hf_x" not in repr(s)
    assert ProxySettings(space="http://h:1").space == "http://h:1/"


def test_settings_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)  # no .env
    for name in (
        "PLUMBERFORCE_SPACE",
        "PLUMBERFORCE_API_KEY",
        "HF_TOKEN",
        "PORT",
        "PLUMBERFORCE_PROXY_REQUEST_TIMEOUT",
    ):
        monkeypatch.delenv(name, raising=False)
    s = ProxySettings()
    assert s.request_timeout == 120 and s.max_frame_bytes == 16_384 and s.port == 8000 and s.cors_origins == []
    assert s.api_key is None and s.upstream_headers() == {}


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ("PLUMBERFORCE_SPACE", "PLUMBERFORCE_SPACE"),
        ("PLUMBERFORCE_PROXY_MAX_FRAME_BYTES", "PLUMBERFORCE_PROXY_MAX_FRAME_BYTES"),
        ("PORT", "PORT"),
        ("PLUMBERFORCE_PROXY_CORS_ORIGINS", "PLUMBERFORCE_PROXY_CORS_ORIGINS"),
    ],
)
def test_bad_settings_name_the_variable(monkeypatch: pytest.MonkeyPatch, env: str, variable: str) -> None:
    monkeypatch.setenv(env, "not a valid value")
    with pytest.raises(SettingsError, match=variable):
        load_settings()
