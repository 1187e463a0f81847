"""Products the knowledge base leaves out, named in a question: a note, never a redirect, and
never on a question an article answers."""

from __future__ import annotations

import pytest

from plumberforce.knowledge import KnowledgeBase
from plumberforce.knowledge.evaluation import load_questions
from plumberforce.knowledge.scope import outside_scope, scope_message


@pytest.mark.parametrize(
    ("question", "names"),
    [
        ("How do I write a CPQ price rule for volume discounts?", ("CPQ / Revenue Cloud",)),
        ("il campo SBQQ__Quote__c non si aggiorna", ("CPQ / Revenue Cloud",)),
        ("Field Service: how are service appointments scheduled?", ("Field Service",)),
        ("Come passo dati da una OmniScript a una Integration Procedure?", ("OmniStudio",)),
        ("AMPscript o SSJS per una landing page di Marketing Cloud?", ("Marketing Cloud",)),
        ("Pardot prospects do not sync to leads", ("Account Engagement (Pardot)",)),
        ("Einstein Lead Scoring e Data Cloud: servono entrambi?", ("Data Cloud", "Agentforce / Einstein AI")),
        ("NPSP household accounts vs the Nonprofit Cloud model", ("Industries clouds",)),
    ],
)
def test_products_left_out_are_named(question: str, names: tuple[str, ...]) -> None:
    assert outside_scope(question) == names


@pytest.mark.parametrize(
    "question",
    [
        "How do I bulkify a trigger?",
        "MuleSoft calls our Apex REST class: how do I write the @RestResource?",  # integration: covered
        "Tableau connects with an integration user: which permissions does it need?",
        "How do I add a custom field to the Service Console layout?",
        "la regola di assegnazione dei casi non parte",
    ],
)
def test_platform_questions_are_not_flagged(question: str) -> None:
    assert outside_scope(question) == ()


def test_only_uncovered_dev_questions_are_flagged_and_they_are_answered(kb: KnowledgeBase) -> None:
    questions = load_questions()
    flagged = [q for q in questions if outside_scope(q.q)]
    assert len(flagged) >= 80 and {q.kind for q in flagged} == {"uncovered"}  # never one an article answers
    for q in flagged[:20]:
        verdict = kb.analyse(q.q)
        assert not verdict.redirect and verdict.outside == outside_scope(q.q)


def test_the_note_speaks_the_question_language() -> None:
    assert "no article on CPQ / Revenue Cloud" in scope_message(("CPQ / Revenue Cloud",), "en")
    assert "non ha articoli su Field Service e OmniStudio" in scope_message(("Field Service", "OmniStudio"), "it")
    assert scope_message((), "en") == ""
