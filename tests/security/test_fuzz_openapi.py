"""Schemathesis against the Space's OpenAPI schema, over loopback: generated requests, valid and
invalid, never get a 5xx, and every response matches the documented status codes and schemas.

Schemathesis is driven through its Python API and plain hypothesis (not its pytest plugin, whose
internals do not follow pytest's releases): every operation, both generation modes.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode

from plumberforce.testing.processes import SpaceProcess

EXAMPLES = 60  # per operation and mode (operations without inputs yield fewer distinct cases)


@pytest.fixture(scope="module")
def fuzz_space(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SpaceProcess]:
    root = tmp_path_factory.mktemp("fuzz-space")
    env = {"PLUMBERFORCE_ENGINE": "offline", "PLUMBERFORCE_OFFLINE_CHUNK_DELAY_MS": "0"}
    with SpaceProcess(root / "data", env=env) as space:
        yield space


def test_generated_requests_get_documented_answers(fuzz_space: SpaceProcess) -> None:
    schema = schemathesis.openapi.from_url(fuzz_space.url + "/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    calls: list[str] = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy(generation_mode=mode))
            def check(case) -> None:  # type: ignore[no-untyped-def]
                calls.append(f"{case.method} {case.path}")
                case.call_and_validate(timeout=30)

            try:
                check()
            except Unsatisfiable:
                assert mode is GenerationMode.NEGATIVE  # nothing to break in an input-less operation
            except Exception as exc:
                raise AssertionError(f"{operation.method.upper()} {operation.path} ({mode.value}): {exc}") from exc
    assert len(calls) >= 500, len(calls)
