"""The dev evaluation set and its quality targets (quality, not timing): issue 3's, and issue 13's
"the dev set's figures stay at least where they are" (floors a little under the measured values;
bench/README.md)."""

from __future__ import annotations

from collections import Counter

import pytest

from plumberforce.knowledge import KnowledgeBase
from plumberforce.knowledge.evaluation import Report, batches_since, load_questions

QUESTIONS = load_questions()


def test_the_set_is_large_bilingual_and_consistent(kb: KnowledgeBase) -> None:
    assert len(QUESTIONS) >= 450
    assert sum(q.lang == "it" for q in QUESTIONS) >= 0.3 * len(QUESTIONS)
    assert len({q.id for q in QUESTIONS}) == len(QUESTIONS)
    for q in QUESTIONS:
        assert all(e in kb.by_id for e in q.expected), q.id
        assert q.redirect == (q.kind in ("offtopic", "abuse", "injection")), q.id
        assert not (q.redirect and q.expected), q.id
        assert (q.kind == "premise") == (q.correct_fact_value is not None), q.id
    kinds = Counter(q.kind for q in QUESTIONS)
    required = {"howto", "troubleshooting", "comparison", "error", "offtopic", "abuse", "injection", "premise"}
    assert required <= set(kinds)
    redirects = [q for q in QUESTIONS if q.redirect]
    assert len(redirects) >= 35
    assert sum(q.lang == "it" for q in redirects) >= 0.35 * len(redirects)


# Questions added after issue 13's retrieval work (role-play, overlap, everyday how-tos): the
# figures "before issue 13" were measured on the set without them.
# (evh-, the fourth round's overlap questions, stayed in the "before" figures when they were measured)
LATER = tuple(b for b in batches_since("evf-") if b != "evh-")


@pytest.mark.parametrize("lang", ["en", "it"])
def test_retrieval_targets_per_language(report: Report, lang: str) -> None:
    quality = report.by(lambda q: q.lang)[lang]
    assert quality.n >= 270
    assert quality.recall3 >= 0.98  # measured 0.996 en, 0.993 it
    assert quality.recall1 >= 0.89  # measured 0.927 en, 0.942 it


@pytest.mark.parametrize("lang", ["en", "it"])
def test_the_questions_of_before_issue_13_stay_where_they_were(report: Report, lang: str) -> None:
    quality = report.by(lambda q: q.lang if not q.id.startswith(LATER) else "later")[lang]
    assert quality.n >= 200
    assert quality.recall3 >= 0.98  # measured 1.000 en, 1.000 it (0.986 / 0.995 before issue 13)
    assert quality.recall1 >= 0.92  # measured 0.942 en, 0.961 it (0.937 / 0.942 before)


def test_questions_whose_words_point_at_another_topic(report: Report) -> None:
    quality = report.by(lambda q: q.kind)["overlap"]
    assert quality.n >= 50
    assert quality.recall1 >= 0.78 and quality.recall3 >= 0.95  # measured 0.883 / 1.000


@pytest.mark.parametrize("lang", ["en", "it"])
def test_off_topic_abuse_and_injection_are_redirected(report: Report, lang: str) -> None:
    assert report.redirect_recall(lang) >= 0.95
    assert report.kind_accuracy >= 0.9


def test_no_on_topic_question_is_redirected(report: Report) -> None:
    assert [o.question.id for o in report.wrongly_redirected] == []


def test_role_play_phrasing_of_legitimate_questions_is_answered(report: Report) -> None:
    roleplay = [o for o in report.outcomes if o.question.kind == "roleplay"]
    assert len(roleplay) >= 40 and all(o.verdict.kind == "on_topic" for o in roleplay)
    # the questions of before the forum-style evg- ones (and the later batches) keep their floor: all
    # in the top 3, 90% first
    # (measured 44 of 47 at rank 1)
    earlier = [o for o in roleplay if not o.question.id.startswith(batches_since("evg-"))]
    assert all(o.rank and o.rank <= 3 for o in earlier)
    assert sum(o.rank == 1 for o in earlier) >= 0.9 * len(earlier)
    # with the evg- questions 57 of 64 at rank 1 and 63 in the top 3 (evg-010, a batch callout
    # question, ranks 9th)
    assert sum(bool(o.rank and o.rank <= 3) for o in roleplay) >= 0.95 * len(roleplay)
    assert sum(o.rank == 1 for o in roleplay) >= 0.85 * len(roleplay)


def test_uncovered_salesforce_questions_are_on_topic(report: Report) -> None:
    uncovered = [o for o in report.outcomes if o.question.kind == "uncovered"]
    assert uncovered and all(o.verdict.kind == "on_topic" for o in uncovered)


def test_false_premises_are_caught_without_false_alarms(report: Report) -> None:
    assert report.premise_detection >= 0.9
    assert [o.question.id for o in report.false_alarms] == []
