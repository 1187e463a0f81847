"""REST streams under load (issue 11): with budgets that make one stream alone paced as 200 at once
are by default (model reads 500/s, events 300/s: about one read and one event per 0.4-0.67 s), the
first chunk still leaves at once, the answer still streams over the model's whole answer, in a
few larger events, and the text is the model's, whole."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import httpx
import pytest

from plumberforce.testing.llm_server import RunningServer
from plumberforce.testing.processes import SpaceProcess, remote_env


@pytest.fixture(scope="module")
def paced_space(tmp_path_factory: pytest.TempPathFactory, llm: RunningServer) -> Iterator[SpaceProcess]:
    # one stream alone: 1 / 1.5 s = 0.67 s between reads and between events, as 200 streams at once
    # with the default budgets of 300 events and 500 reads a second (0.67 s and 0.4 s)
    env = remote_env(
        llm.base_url,
        request_timeout=5,
        retries=0,
        cache_ttl_seconds=0,
        model_reads_per_second=1.5,
        sse_updates_per_second=1.5,
    )
    with SpaceProcess(tmp_path_factory.mktemp("paced") / "data", env=env) as space:
        yield space


def test_a_paced_stream_sends_the_first_chunk_at_once_then_a_few_larger_ones(
    paced_space: SpaceProcess, llm: RunningServer, client_id: str
) -> None:
    llm.configure(ttft_ms=20, tokens_per_second=20, tokens=30)  # about 1.5 s from the first token to the last
    try:
        deltas: list[tuple[float, str]] = []
        body = {"query": "How do I stream platform events?", "client_id": client_id}
        with httpx.Client(base_url=paced_space.url, timeout=30) as http:
            with http.stream("POST", "/api/query/stream", json=body) as response:
                assert response.status_code == 200
                event = None
                for line in response.iter_lines():
                    if line.startswith("event:"):
                        event = line[6:].strip()
                    elif line.startswith("data:") and event == "delta":
                        deltas.append((time.monotonic(), json.loads(line[5:])["text"]))
                    elif line.startswith("data:") and event == "done":
                        done = json.loads(line[5:])
    finally:
        llm.reset()
    text = "".join(t for _, t in deltas)
    assert "How do I stream platform events?" in text and not done["incomplete"]
    assert 2 <= len(deltas) <= 8, [t for _, t in deltas]  # not one event per token (30 and more)
    assert len(deltas[0][1]) < len(text) / 2  # the first chunk was not held back for the next ones
    assert deltas[-1][0] - deltas[0][0] >= 0.8 * 1.45  # the events span the model's answer: streamed
