"""Property tests (hypothesis) of the validation every door shares, and of the rate limiter."""

from __future__ import annotations

import asyncio
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plumberforce.chat.admission import RateLimiter
from plumberforce.chat.prompts import neutralise
from plumberforce.chat.ratings import validate_comment, validate_rating, validate_thumb
from plumberforce.chat.validation import CLIENT_ID, validate_client_id, validate_question
from plumberforce.errors import InputError, RateLimited
from plumberforce.stores.buckets import MemoryBuckets

MAX = 4000


@given(st.text(max_size=MAX + 50))
def test_question_is_accepted_exactly_when_non_blank_and_short_enough(text: str) -> None:
    stripped = text.strip()
    if stripped and len(stripped) <= MAX:
        assert validate_question(text, MAX) == stripped
    else:
        with pytest.raises(InputError) as info:
            validate_question(text, MAX)
        assert info.value.message("en") and info.value.message("it")


@given(st.one_of(st.none(), st.integers(), st.floats(allow_nan=True), st.binary(), st.lists(st.text())))
def test_non_text_questions_are_refused(value: object) -> None:
    with pytest.raises(InputError):
        validate_question(value, MAX)


@given(st.text(max_size=80))
def test_client_id_rule(value: str) -> None:
    valid = bool(re.fullmatch(r"[A-Za-z0-9_-]{1,64}", value))
    if valid:
        assert validate_client_id(value) == value
    elif value.strip():
        with pytest.raises(InputError):
            validate_client_id(value)
    else:
        with pytest.raises(InputError):
            validate_client_id(value)
        assert CLIENT_ID.match(validate_client_id(value, allow_empty=True))


@given(st.one_of(st.integers(-10, 10), st.floats(-10, 10), st.booleans(), st.text(max_size=3), st.none()))
def test_rating_rule(value: object) -> None:
    ok = value is None or (
        not isinstance(value, bool) and isinstance(value, (int, float)) and value == int(value) and 1 <= value <= 5
    )
    if ok:
        assert validate_rating(value) == (None if value is None else int(value))
    else:
        with pytest.raises(InputError):
            validate_rating(value)


@given(st.one_of(st.text(max_size=8), st.none()))
def test_thumb_rule(value: str | None) -> None:
    if value in (None, "", "up", "down"):
        assert validate_thumb(value) in (None, "up", "down")
    else:
        with pytest.raises(InputError):
            validate_thumb(value)


@given(st.text(max_size=1200))
def test_comment_rule(value: str) -> None:
    if len(value.strip()) <= 1000:
        assert validate_comment(value, 1000) == value.strip()
    else:
        with pytest.raises(InputError):
            validate_comment(value, 1000)


@given(st.text(alphabet=st.sampled_from(list("<>/ questionpassagesystem\n")), max_size=200))
def test_user_text_can_never_close_the_question_block(text: str) -> None:
    wrapped = f"<question>\n{neutralise(text)}\n</question>"
    assert wrapped.count("</question>") == 1 and wrapped.count("<question>") == 1
    assert "<passage" not in neutralise(text) and "</system" not in neutralise(text).lower()


@settings(max_examples=50)
@given(st.integers(1, 20), st.integers(1, 120))
def test_token_bucket_allows_exactly_the_burst_then_refills(burst: int, per_minute: int) -> None:
    buckets = MemoryBuckets()
    now = 1000.0
    assert all(buckets.take_now("k", per_minute, burst, now) is None for _ in range(burst))
    wait = buckets.take_now("k", per_minute, burst, now)
    assert wait is not None and wait == pytest.approx(60 / per_minute, rel=1e-6)
    assert buckets.take_now("k", per_minute, burst, now + wait + 1e-6) is None
    assert buckets.take_now("other", per_minute, burst, now) is None  # keys are independent


def test_rate_limiter_raises_with_retry_after() -> None:
    async def main() -> None:
        limiter = RateLimiter(MemoryBuckets(), client_per_minute=60, ip_per_minute=0, burst=2)
        await limiter.check("c", "1.2.3.4")
        await limiter.check("c", "1.2.3.4")
        with pytest.raises(RateLimited) as info:
            await limiter.check("c", "1.2.3.4")
        assert info.value.retry_after == 1 and "attendi" in info.value.message("it")

    asyncio.run(main())
