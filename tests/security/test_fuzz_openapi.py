"""Schemathesis against the Space's OpenAPI schema, over loopback: generated requests (valid and
invalid) never get a 5xx, and every response matches the documented status codes and schemas."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from plumberforce.testing.processes import SpaceProcess

EXAMPLES_PER_OPERATION = 70
CALLS: list[str] = []


@pytest.fixture(scope="module")
def fuzz_space(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SpaceProcess]:
    root = tmp_path_factory.mktemp("fuzz-space")
    env = {"PLUMBERFORCE_ENGINE": "offline", "PLUMBERFORCE_OFFLINE_CHUNK_DELAY_MS": "0"}
    with SpaceProcess(root / "data", env=env) as space:
        yield space


@pytest.fixture(scope="module")
def api_schema(fuzz_space: SpaceProcess):
    return schemathesis.openapi.from_url(fuzz_space.url + "/openapi.json")


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck))
def test_generated_requests(case) -> None:
    CALLS.append(f"{case.method} {case.path}")
    case.call_and_validate(timeout=30)


def test_enough_cases_ran() -> None:
    assert len(CALLS) >= 500, len(CALLS)
