"""Fixtures of the knowledge-base tests: one knowledge base and one evaluation run per set per session."""

from __future__ import annotations

import pytest

from plumberforce.knowledge import KnowledgeBase
from plumberforce.knowledge.evaluation import HELDOUT2_PATH, HELDOUT_PATH, Report, evaluate, load_questions


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


@pytest.fixture(scope="session")
def report(kb: KnowledgeBase) -> Report:
    return evaluate(kb, load_questions())


@pytest.fixture(scope="session")
def heldout(kb: KnowledgeBase) -> Report:
    return evaluate(kb, load_questions(HELDOUT_PATH))


@pytest.fixture(scope="session")
def heldout2(kb: KnowledgeBase) -> Report:
    return evaluate(kb, load_questions(HELDOUT2_PATH))
