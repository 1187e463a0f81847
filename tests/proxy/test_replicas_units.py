"""The choice of a replica per client (rendezvous hashing) and the replica list setting: stable,
spread, next-on-down, back-on-up; no server needed (the states are set as the checks would)."""

from __future__ import annotations

from collections import Counter

import pytest

from render_proxy.replicas import FAILURES_TO_DOWN, Replicas, rendezvous
from render_proxy.settings import ProxySettings, SettingsError, load_settings

A, B, C = "http://10.0.0.1:7860/", "http://10.0.0.2:7860/", "owner/plumberforce-c"
CLIENTS = [f"w-{n:05d}" for n in range(3000)]


def first(client: str, names: list[str]) -> str:
    return names[rendezvous(client, names)[0]]


def test_the_choice_is_stable_and_ignores_the_list_order() -> None:
    for client in CLIENTS[:200]:
        choice = first(client, [A, B, C])
        assert choice == first(client, [A, B, C])  # same input, same answer
        assert choice == first(client, [C, A, B]) == first(client, [B, C, A])  # any proxy, any order


def test_clients_spread_evenly() -> None:
    for names in ([A, B], [A, B, C]):
        share = Counter(first(client, names) for client in CLIENTS)
        expected = len(CLIENTS) / len(names)
        assert set(share) == set(names)
        for count in share.values():
            assert abs(count - expected) < 0.1 * expected, share


def test_a_replica_leaving_moves_only_its_clients_to_their_next() -> None:
    for client in CLIENTS[:500]:
        order = [[A, B, C][i] for i in rendezvous(client, [A, B, C])]
        without_first = first(client, [r for r in (A, B, C) if r != order[0]])
        assert without_first == order[1]  # its own next one
        for gone in (r for r in (A, B, C) if r != order[0]):  # another leaving: no move
            assert first(client, [r for r in (A, B, C) if r != gone]) == order[0]


def test_next_on_down_and_back_on_up() -> None:
    replicas = Replicas(ProxySettings(space=f"{A},{B},{C}"))
    a, b, c = replicas.replicas
    client = next(x for x in CLIENTS if rendezvous(x, [A, B, C]) == [0, 1, 2])  # prefers A, then B, then C
    assert replicas.choose(client) is a  # unknown counts as usable: no wait for the first check
    a.mark("down", "the Space cannot be reached")
    assert replicas.choose(client) is b
    b.mark("asleep", "HTTP 503 on /api/health")
    assert replicas.choose(client) is c
    c.mark("down", "the Space cannot be reached")
    assert replicas.order(client) == [a]  # none usable: its first one (whose error the page gets)
    b.mark("up")
    assert replicas.choose(client) is b
    a.mark("up")
    assert replicas.choose(client) is a  # back to its own
    assert a.changes == 2 and a.checked_at is not None and a.error is None
    other = next(x for x in CLIENTS if rendezvous(x, [A, B, C])[0] == 1)
    assert replicas.choose(other) is b  # a client of B never went anywhere


def test_a_replica_slow_under_load_keeps_its_clients_until_failures_in_a_row() -> None:
    replicas = Replicas(ProxySettings(space=f"{A},{B}"))
    a = replicas.replicas[0]
    client = next(x for x in CLIENTS if rendezvous(x, [A, B])[0] == 0)
    a.mark("up")
    for _ in range(FAILURES_TO_DOWN - 1):
        a.failed("down", "the Space did not answer in time")
        assert a.state == "up" and a.error == "the Space did not answer in time"
    a.mark("up")  # one good check: the count starts again
    for _ in range(FAILURES_TO_DOWN - 1):
        a.failed("down", "the Space did not answer in time")
    assert replicas.choose(client) is a
    a.failed("down", "the Space did not answer in time")
    assert a.state == "down" and replicas.choose(client) is replicas.replicas[1]


def test_one_replica_is_used_whatever_its_state() -> None:
    replicas = Replicas(ProxySettings(space=A))
    assert not replicas.several
    replicas.replicas[0].mark("down", "gone")
    assert replicas.choose("anyone") is replicas.replicas[0]


def test_the_list_setting() -> None:
    settings = ProxySettings(space=" http://a:1 , owner/space ,https://b.hf.space/ ")
    assert settings.spaces == ["http://a:1/", "owner/space", "https://b.hf.space/"]
    assert ProxySettings(space="http://a:1").spaces == ["http://a:1/"]
    replicas = Replicas(settings)
    assert [r.upstream.settings.space for r in replicas.replicas] == settings.spaces  # one Upstream each
    for bad in ("http://a:1,not a space", "http://a:1,http://a:1/", " , "):
        with pytest.raises(SettingsError) as stopped:
            load_settings(space=bad)
        assert "PLUMBERFORCE_SPACE" in str(stopped.value)
