"""The offline answer: a direct answer first (passages across the best articles, both sides of a
comparison), the best article trimmed to what is relevant, and the whole article one link away."""

from __future__ import annotations

import re

from plumberforce.engines.base import EngineRequest
from plumberforce.engines.offline import compose_answer
from plumberforce.knowledge import KnowledgeBase
from plumberforce.knowledge.language import detect_language


def offline(kb: KnowledgeBase, question: str) -> tuple[str, list[str]]:
    verdict = kb.analyse(question)
    request = EngineRequest([], question, detect_language(question), verdict.hits, passages=verdict.passages)
    return compose_answer(request), [h.article.id for h in verdict.hits]


def sections(answer: str) -> list[str]:
    return re.findall(r"^### (.+)$", answer, re.M)


def test_the_direct_answer_comes_first_in_the_question_language(kb: KnowledgeBase) -> None:
    english, _ = offline(kb, "How many child jobs can a running Queueable enqueue?")
    assert english.startswith("> **Offline knowledge base**")
    assert sections(english)[0] == "Answer" and sections(english)[-1] == "Sources"
    direct = english.split("### Answer")[1].split("###")[0]
    assert "can enqueue: 1" in direct  # the fact that answers this very question
    italian, _ = offline(kb, "Quanti job figli può accodare un Queueable in esecuzione?")
    assert sections(italian)[0] == "Risposta" and "Fonti" in sections(italian)


def test_a_comparison_draws_from_both_sides(kb: KnowledgeBase) -> None:
    answer, hits = offline(kb, "Queueable or future method: which one should I use for a callout after DML?")
    direct = answer.split("### Answer")[1].split("###")[0]
    other = kb.by_id[hits[1]]
    assert hits[0] != hits[1] and f"({other.title})" in direct  # a passage of the second article, named


def test_the_answer_is_trimmed_and_links_the_whole_article(kb: KnowledgeBase) -> None:
    answer, hits = offline(kb, "What's the difference between a lookup and a master-detail relationship?")
    article = kb.by_id[hits[0]]
    whole = len(article.summary) + sum(len(article.sections[h]) for h in ("Approach", "Best practices", "Alternatives"))
    assert len(answer) < whole
    assert f"](articles/{article.id}?lang=en)" in answer  # the article page (the JSON stays at api/articles/)
    assert answer.count("- ", answer.index("### Best practices"), answer.index("### Alternatives")) <= 2


def test_the_direct_answer_says_each_thing_once(kb: KnowledgeBase) -> None:
    # Several articles hold the per-transaction SOQL fact word for word: it is shown once.
    for question in ("How many SOQL queries can a trigger run per transaction?", "Quante query SOQL per transazione?"):
        answer, _ = offline(kb, question)
        heading = "### Answer" if "### Answer" in answer else "### Risposta"
        bullets = [line for line in answer.split(heading)[1].split("###")[0].splitlines() if line.startswith("- ")]
        texts = [re.sub(r" \([^()]*\)$", "", b) for b in bullets]  # without the other article's name
        assert bullets and len(texts) == len(set(texts)), bullets
