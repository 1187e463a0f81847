"""Issue 13's targets on the held-out set (eval/heldout.jsonl, never tuned on), asserted loosely:
the floors sit a few points under the figures measured by ``bench/retrieval.py`` (bench/README.md)
so that the suite guards against regressions without pinning numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from plumberforce.engines.base import EngineRequest
from plumberforce.engines.offline import compose_answer
from plumberforce.knowledge.evaluation import (
    HELDOUT2_PATH,
    HELDOUT_PATH,
    Outcome,
    Report,
    key_fact_rate,
    load_questions,
)
from plumberforce.knowledge.language import detect_language

# measured 2026-12-02: R@1 0.866 en / 0.814 it, R@3 0.975 / 0.966, key facts 0.907; after the
# follow-up on overlap and role-play questions: R@1 0.899 / 0.847, R@3 0.983 / 0.966, key facts 0.924;
# after the third round (forum-style Italian dev questions): R@1 0.891 / 0.890, R@3 0.983 / 0.966,
# key facts 0.920
FLOORS = {"recall1": 0.80, "recall3": 0.94, "key_facts": 0.88}


def offline_answer(outcome: Outcome) -> str:
    verdict = outcome.verdict
    lang = detect_language(outcome.question.q)
    preface = verdict.preface(lang)
    return compose_answer(
        EngineRequest([], outcome.question.q, lang, verdict.hits, preface=preface, passages=verdict.passages)
    )


# eval/HELDOUT.md, eval/HELDOUT2.md: never edited to improve a number
@pytest.mark.parametrize(("path", "lines"), [(HELDOUT_PATH, 267), (HELDOUT2_PATH, 190)])
def test_the_sets_are_frozen_and_complete(path: Path, lines: int) -> None:
    questions = load_questions(path)
    assert len(questions) == lines
    assert sum(q.redirect for q in questions) == 30
    assert all(q.key_facts for q in questions if not q.redirect)


@pytest.mark.parametrize("lang", ["en", "it"])
@pytest.mark.parametrize("which", ["heldout", "heldout2"])
def test_retrieval_floors(request: pytest.FixtureRequest, which: str, lang: str) -> None:
    chosen = FLOORS if which == "heldout" else FLOORS2
    quality = request.getfixturevalue(which).by(lambda q: q.lang)[lang]
    assert quality.recall1 >= chosen["recall1"]
    assert quality.recall3 >= chosen["recall3"]


def test_every_redirect_line_is_redirected_and_no_other_question(heldout: Report) -> None:
    assert [o.question.id for o in heldout.missed_redirects] == []
    assert [o.question.id for o in heldout.wrongly_redirected] == []


def test_the_offline_answer_holds_the_key_facts(heldout: Report) -> None:
    n, rate = key_fact_rate(heldout.outcomes, offline_answer)
    assert n >= 230 and rate >= FLOORS["key_facts"]


# The second held-out set (eval/HELDOUT2.md), written blind when the first had been run nine
# times. Measured 2026-12-03 08:00 UTC: R@1 0.825 en / 0.912 it, R@3 0.975 / 0.975, key facts
# 0.887, 25 of 30 redirect lines redirected, 0 of 160 legitimate questions redirected. Floors a
# few points under, to catch regressions; the targets are in bench/retrieval.py.
FLOORS2 = {"recall1": 0.78, "recall3": 0.93, "key_facts": 0.84, "redirected": 0.75, "wrongly_redirected": 1}


def test_second_set_redirects_and_key_facts(heldout2: Report) -> None:
    assert heldout2.redirect_recall() >= FLOORS2["redirected"]
    assert len(heldout2.wrongly_redirected) <= FLOORS2["wrongly_redirected"]
    n, rate = key_fact_rate(heldout2.outcomes, offline_answer)
    assert n == 160 and rate >= FLOORS2["key_facts"]
