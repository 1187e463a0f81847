"""The model's grounding: the best passages of the best articles, numbered, within a budget."""

from __future__ import annotations

from plumberforce.chat.prompts import build_messages, choose_passages, cited_sources, format_passages
from plumberforce.knowledge import KnowledgeBase


def test_the_passage_holding_the_answer_is_grounded_within_the_budget(kb: KnowledgeBase) -> None:
    verdict = kb.analyse("How many child jobs can a running Queueable enqueue?")
    cited = choose_passages(verdict.passages, 1500)
    assert len(cited) >= 2
    system = build_messages("q", "en", cited, [], budget_chars=1500)[0].content
    assert "can enqueue: 1" in system  # the queueable-apex fact
    assert '<passage id="1">' in system and "[1] Queueable Apex" in system
    assert "URL: https://developer.salesforce.com/" in system
    assert len(format_passages(cited, 1500)) <= 1500 + 40  # headers and text within the budget
    assert cited_sources(cited)[0] == kb.by_id["queueable-apex"].links[0]
    assert len(cited_sources(cited)) == len({p.article.id for p in cited})


def test_italian_questions_get_italian_passages_and_no_budget_means_no_passages(kb: KnowledgeBase) -> None:
    verdict = kb.analyse("Qual è la differenza tra with sharing e without sharing?")
    cited = choose_passages(verdict.passages, 4000)
    assert cited and all(p.passage.lang == "it" for p in cited)
    assert choose_passages(verdict.passages, 0) == []
    assert "(none matched" in build_messages("q", "it", [], [])[0].content
