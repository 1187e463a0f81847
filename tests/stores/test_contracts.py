"""The contract every store implementation keeps (see plumberforce/stores/contracts.py), run
against each implementation of ``conftest.KINDS`` with real files (and real servers for shared
stores). Time-based rules (idle expiry, TTL, refill) wait for the time the rule names."""

from __future__ import annotations

import asyncio
import time

import pytest

from plumberforce.errors import InputError, NotFound
from plumberforce.stores.records import CachedAnswer, Message, Rating, RequestRecord
from tests.stores.conftest import StoreFactory


def run(coro):
    return asyncio.run(coro)


async def until_gone(read, attempts: int = 100) -> None:
    """Poll ``read()`` every 50 ms until it returns nothing (expiry is a rule about time: wait for it)."""
    for _ in range(attempts):
        if not await read():
            return
        await asyncio.sleep(0.05)


def turn(i: int, client: str = "c1") -> list[Message]:
    return [Message("user", f"q{i}"), Message("assistant", f"a{i}")]


# --- conversations ------------------------------------------------------------------------


def test_order_bound_and_lookup(stores: StoreFactory) -> None:
    async def main() -> None:
        async with stores.conversations(max_messages=6) as store:
            for i in range(5):
                await store.append("c1", turn(i))
            messages = await store.get("c1")
            assert [m.content for m in messages] == ["q2", "a2", "q3", "a3", "q4", "a4"]  # oldest fell off
            answer, question = await store.find("c1", messages[-1].message_id)
            assert answer.content == "a4" and question.content == "q4"
            assert await store.find("c2", messages[-1].message_id) == (None, None)
            assert await store.count() == 1 and await store.delete("c1") and await store.get("c1") == []
            assert not await store.delete("c1")

    run(main())


def test_messages_keep_every_field(stores: StoreFactory) -> None:
    async def main() -> None:
        async with stores.conversations() as store:
            sent = Message("assistant", "àèì ```apex\nx\n```", meta={"engine": "offline", "sources": [{"title": "t"}]})
            await store.append("c1", [sent])
            assert await store.get("c1") == [sent]

    run(main())


def test_idle_conversations_expire(stores: StoreFactory) -> None:
    async def main() -> None:
        async with stores.conversations(idle_seconds=0.3) as store:
            await store.append("idle", turn(0))
            assert len(await store.get("idle")) == 2
            await until_gone(lambda: store.get("idle"))
            assert await store.get("idle") == []

    run(main())


def test_concurrent_appends_lose_nothing_and_keep_turns_whole(stores: StoreFactory) -> None:
    async def main() -> None:
        async with stores.conversations(max_messages=1000) as store:
            await asyncio.gather(*(store.append("busy", turn(i)) for i in range(60)))
            messages = await store.get("busy")
            assert len(messages) == 120
            for question, answer in zip(messages[::2], messages[1::2], strict=True):
                assert (question.content[1:], question.role, answer.role) == (answer.content[1:], "user", "assistant")

    run(main())


def test_the_turn_lock_serialises_one_client_only(stores: StoreFactory) -> None:
    async def main() -> None:
        async with stores.conversations() as store:
            inside: list[str] = []
            overlaps: list[tuple[str, ...]] = []

            async def hold(client: str, name: str) -> None:
                async with store.lock(client):
                    inside.append(name)
                    overlaps.append(tuple(inside))
                    await asyncio.sleep(0.05)
                    inside.remove(name)

            await asyncio.gather(hold("a", "a1"), hold("a", "a2"), hold("b", "b1"))
            assert not any({"a1", "a2"} <= set(o) for o in overlaps)  # one holder of "a" at a time
            assert any({"a1", "b1"} <= set(o) or {"a2", "b1"} <= set(o) for o in overlaps)  # "b" ran alongside

    run(main())


def test_a_client_owns_several_conversations_one_current(stores: StoreFactory) -> None:
    async def main() -> None:
        async with stores.conversations() as store:
            assert (await store.overview("c")).public() == {"current": None, "conversations": []}
            first = await store.append("c", [Message("user", "How do I bulkify a trigger on Account?")] + turn(0)[1:])
            info = (await store.overview("c")).conversations[0]
            assert info.conversation_id == first and info.title == "How do I bulkify a trigger on Account?"
            assert info.message_count == 2 and info.created <= info.updated
            fresh = await store.create("c")
            assert fresh.title == "" and fresh.message_count == 0
            overview = await store.overview("c")
            assert overview.current == fresh.conversation_id
            assert [c.conversation_id for c in overview.conversations] == [fresh.conversation_id, first]
            assert await store.get("c") == []  # the current one is the new, empty one
            await store.append("c", turn(1))  # goes to the current one, which takes its title from it
            assert [m.content for m in await store.get("c", first)] == ["How do I bulkify a trigger on Account?", "a0"]
            assert (await store.overview("c")).conversations[0].title == "q1"
            await store.append("c", turn(2), conversation_id=first)  # appending elsewhere keeps the current one
            assert (await store.overview("c")).current == fresh.conversation_id
            await store.select("c", first)
            assert (await store.overview("c")).current == first
            assert (await store.rename("c", first, "Triggers")).title == "Triggers"
            assert (await store.select("c", fresh.conversation_id)).conversation_id == fresh.conversation_id
            assert (await store.overview("other")).conversations == []  # clients never see each other's

    run(main())


def test_turn_history_is_select_then_get_in_one_call(stores: StoreFactory) -> None:
    async def main() -> None:
        async with stores.conversations() as store:
            assert await store.turn_history("c") == (None, [])  # no conversation yet
            first = await store.append("c", turn(0))
            fresh = (await store.create("c")).conversation_id
            assert await store.turn_history("c") == (fresh, [])  # the current one, which is empty
            target, history = await store.turn_history("c", first)  # another one: it becomes current
            assert target == first and [m.content for m in history] == ["q0", "a0"]
            assert (await store.overview("c")).current == first
            assert await store.turn_history("c") == (first, history)
            with pytest.raises(NotFound):
                await store.turn_history("c", "nope")
            with pytest.raises(NotFound):
                await store.turn_history("someone-else", first)
            assert (await store.overview("c")).current == first  # a refused call changed nothing

    run(main())


def test_deleting_the_current_conversation_makes_the_newest_other_current(stores: StoreFactory) -> None:
    async def main() -> None:
        async with stores.conversations() as store:
            a = await store.append("c", turn(0))
            b = (await store.create("c")).conversation_id
            await store.append("c", turn(1), conversation_id=a)  # a is now the newest
            assert await store.delete("c", b)
            assert (await store.overview("c")).current == a
            assert await store.delete("c") and (await store.overview("c")).current is None
            assert not await store.delete("c", a)

    run(main())


def test_unknown_conversations_and_bad_titles_are_refused(stores: StoreFactory) -> None:
    async def main() -> None:
        async with stores.conversations() as store:
            mine = await store.append("c", turn(0))
            for call in (
                store.get("c", "nope"),
                store.select("c", "nope"),
                store.rename("c", "nope", "x"),
                store.append("c", turn(1), conversation_id="nope"),
                store.get("someone-else", mine),
            ):
                with pytest.raises(NotFound):
                    await call
            for title in ("", "   ", "x" * 121):
                with pytest.raises(InputError):
                    await store.rename("c", mine, title)
            assert [m.content for m in await store.get("c")] == ["q0", "a0"]  # nothing changed

    run(main())


def test_titles_are_short_and_one_line(stores: StoreFactory) -> None:
    async def main() -> None:
        async with stores.conversations() as store:
            long = "Come faccio a evitare l'errore Too many SOQL queries: 101 quando aggiorno\n molti record insieme?"
            await store.append("c", [Message("user", long), Message("assistant", "a")])
            title = (await store.overview("c")).conversations[0].title
            assert len(title) <= 60 and "\n" not in title and title.endswith("…") and title.startswith("Come faccio")

    run(main())


def test_regenerating_replaces_the_last_turn_atomically(stores: StoreFactory) -> None:
    async def main() -> None:
        async with stores.conversations() as store:
            conv = await store.append("c", turn(0))
            await store.append("c", turn(1))
            await store.append("c", [Message("user", "q1"), Message("assistant", "a1 again")], conv, replace_last=2)
            assert [m.content for m in await store.get("c")] == ["q0", "a0", "q1", "a1 again"]
            assert (await store.overview("c")).conversations[0].message_count == 4

    run(main())


def test_a_client_keeps_at_most_max_conversations(stores: StoreFactory) -> None:
    async def main() -> None:
        async with stores.conversations(max_conversations=3) as store:
            ids = []
            for i in range(5):
                ids.append((await store.create("c", f"t{i}")).conversation_id)
            kept = [c.conversation_id for c in (await store.overview("c")).conversations]
            assert kept == ids[:1:-1]  # the three newest, newest first

    run(main())


def test_find_looks_in_every_conversation_of_the_client(stores: StoreFactory) -> None:
    async def main() -> None:
        async with stores.conversations() as store:
            await store.append("c", turn(0))
            await store.create("c")
            await store.append("c", turn(1))
            messages = await store.get("c")
            await store.create("c")
            answer, question = await store.find("c", messages[1].message_id)
            assert (answer.content, question.content) == ("a1", "q1")
            assert await store.find("other", messages[1].message_id) == (None, None)

    run(main())


# --- answer cache -------------------------------------------------------------------------


def test_answers_round_trip_count_and_delete(stores: StoreFactory) -> None:
    async def main() -> None:
        async with stores.answers() as cache:
            answer = CachedAnswer("text", "offline", "m", [{"title": "T", "url": "https://x"}], "soql")
            assert await cache.get("k1") is None
            await cache.put("k1", answer)
            assert await cache.get("k1") == answer
            assert (cache.stats().hits, cache.stats().misses) == (1, 1) and cache.stats().hit_ratio == 0.5
            assert await cache.count() == 1
            assert await cache.delete("k1") and not await cache.delete("k1")
            assert await cache.get("k1") is None

    run(main())


def test_a_disabled_cache_stores_nothing(stores: StoreFactory) -> None:
    async def main() -> None:
        async with stores.answers(ttl_seconds=0) as cache:
            assert not cache.enabled
            await cache.put("k", CachedAnswer("t", "e", "m", []))
            assert await cache.get("k") is None and await cache.count() == 0

    run(main())


def test_cached_answers_expire(stores: StoreFactory) -> None:
    async def main() -> None:
        async with stores.answers(ttl_seconds=1) as cache:
            await cache.put("k", CachedAnswer("t", "e", "m", []))
            assert await cache.get("k") is not None
            await until_gone(lambda: cache.get("k"))
            assert await cache.get("k") is None

    run(main())


# --- feedback -----------------------------------------------------------------------------


def rating(**changes) -> Rating:
    base = dict(client_id="c", message_id="m1", question="q", answer="a", engine="offline", model="kb", topic="soql")
    return Rating(**{**base, **changes})


def test_one_feedback_record_per_client_and_message(stores: StoreFactory) -> None:
    async def main() -> None:
        async with stores.feedback() as store:
            first = await store.save(rating(rating=2))
            assert (first.rating, first.thumb, first.comment) == (2, None, "")
            second = await store.save(rating(thumb="down", comment="too long"))
            assert (second.rating, second.thumb, second.comment) == (2, "down", "too long")
            third = await store.save(rating(rating=5))
            assert (third.rating, third.thumb, third.comment) == (5, "down", "too long")
            assert third.ts == first.ts and third.updated >= second.updated
            await store.save(rating(message_id="m2", thumb="up"))
            await store.save(rating(client_id="other", rating=1))
            assert await store.count() == 3
            records = await store.records()
            assert [(r.client_id, r.message_id) for r in records] == [("c", "m1"), ("c", "m2"), ("other", "m1")]
            assert await store.get("c", "m1") == third and await store.get("c", "nope") is None

    run(main())


def test_concurrent_ratings_of_one_message_make_one_record(stores: StoreFactory) -> None:
    async def main() -> None:
        async with stores.feedback() as store:
            await asyncio.gather(*(store.save(rating(rating=1 + i % 5)) for i in range(20)))
            assert await store.count() == 1

    run(main())


# --- request records ----------------------------------------------------------------------


def record(outcome: str = "ok", engine: str = "offline") -> RequestRecord:
    return RequestRecord(time.time(), "c", engine, "m", False, 12.5, 3.0, 10, 100, outcome, "en")


def test_request_log_keeps_a_ring_and_totals(stores: StoreFactory) -> None:
    async def main() -> None:
        async with stores.requests(ring_size=10) as log:
            for i in range(15):
                await log.add(record("ok" if i % 5 else "timeout"))
            recent = log.recent()
            assert len(recent) == 10 and recent[-1].outcome == "timeout" or recent[-1].outcome == "ok"
            totals = log.totals()
            assert totals["requests"] == 15 and totals["outcome|timeout"] == 3 and totals["outcome|ok"] == 12
            assert totals["latency_ms_sum"] == pytest.approx(15 * 12.5)

    run(main())


# --- rate-limit buckets -------------------------------------------------------------------


def test_buckets_allow_the_burst_then_tell_the_wait(stores: StoreFactory) -> None:
    async def main() -> None:
        async with stores.buckets() as buckets:
            assert [await buckets.take("k", 600, 3) for _ in range(3)] == [None, None, None]
            wait = await buckets.take("k", 600, 3)
            assert wait is not None and 0 < wait <= 0.1 + 1e-6  # 600 a minute: one token every 0.1 s
            assert await buckets.take("other", 600, 3) is None  # keys are independent
            await asyncio.sleep(wait + 0.02)
            assert await buckets.take("k", 600, 3) is None  # refilled
            assert await buckets.take("off", 0, 1) is None  # 0 a minute: no limit

    run(main())


def test_concurrent_takers_never_share_the_last_token(stores: StoreFactory) -> None:
    async def main() -> None:
        async with stores.buckets() as buckets:
            results = await asyncio.gather(*(buckets.take("hot", 1, 5) for _ in range(40)))
            assert sum(r is None for r in results) == 5

    run(main())
