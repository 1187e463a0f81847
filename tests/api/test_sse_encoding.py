"""The delta events of /api/query/stream are written with orjson: the same bytes as json's."""

from __future__ import annotations

import pytest

from plumberforce.web.rest.query_routes import _sse, _sse_delta


@pytest.mark.parametrize("text", ["a", "è€😀", '\n\t"\\', "\x00\x1f\x7f", "\u2028\u2029", "</script>", "\ud800"])
def test_delta_events_are_json_s_bytes(text: str) -> None:
    fast = _sse_delta(text)
    assert (fast.decode() if isinstance(fast, bytes) else fast) == _sse("delta", {"text": text})
