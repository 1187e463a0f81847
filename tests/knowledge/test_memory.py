"""The memory of answered questions: what it holds, how it votes, and that it moves the ranking."""

from __future__ import annotations

import copy

from plumberforce.knowledge import KnowledgeBase
from plumberforce.knowledge.evaluation import HELDOUT2_PATH, HELDOUT_PATH, load_questions
from plumberforce.knowledge.fields import query_tokens
from plumberforce.knowledge.memory import ASKED_PATH, QuestionMemory, batch, build, load_entries


def test_the_shipped_memory_is_the_dev_sets_answerable_questions() -> None:
    # regenerate with: python -m plumberforce.knowledge.memory
    assert load_entries(ASKED_PATH) == build(load_questions()), "asked.jsonl is out of date with eval/questions.jsonl"


def test_no_held_out_question_is_in_the_memory() -> None:
    remembered = {e["q"] for e in load_entries()} | {e["id"] for e in load_entries()}
    for path in (HELDOUT_PATH, HELDOUT2_PATH):
        held_out = load_questions(path)
        leaked = sum(q.q in remembered or q.id in remembered for q in held_out)
        assert leaked == 0, f"{leaked} questions of {path.name} are in the memory"


def test_a_remembered_question_votes_for_its_article_unless_its_batch_is_left_out(kb: KnowledgeBase) -> None:
    entry = next(e for e in load_entries() if len(e["expected"]) == 1 and len(e["q"]) > 80)
    tokens = query_tokens(entry["q"])
    article = kb.articles.index(kb.by_id[entry["expected"][0]])
    vote = kb.memory.vote(tokens)
    assert vote.argmax() == article and vote.max() > 0.2
    with kb.memory.without(batch(entry["id"])):
        assert kb.memory.vote(tokens)[article] < vote[article]
    assert (kb.memory.vote(tokens) == vote).all()  # and back when the block ends


def test_votes_share_one_and_need_a_question_that_is_alike(kb: KnowledgeBase) -> None:
    vote = kb.memory.vote(query_tokens("my trigger fires twice on update, how do I stop the recursion?"))
    assert 0.99 <= vote.sum() <= 1.5  # a second expected article adds half a vote at most
    assert not kb.memory.vote(query_tokens("zzzqx wvvk")).any()
    assert not kb.memory.vote([]).any()
    # one shared word is not a question alike: below the floor, no vote
    assert not kb.memory.vote(query_tokens("mappe")).any()


def test_questions_asked_before_move_the_ranking(kb: KnowledgeBase) -> None:
    """An ambiguous question goes to the article that questions like it were answered with."""
    question = "how do I stop records being saved twice when the job runs again"
    without = copy.copy(kb)
    without.memory = QuestionMemory([], kb._position, len(kb.articles))
    first = without.search(question, k=1)[0].article.id
    other = next(h.article.id for h in without.search(question, k=5)[1:] if h.article.id != first)
    asked = load_entries() + [
        {"id": f"t-{i}", "q": q, "expected": [other]}
        for i, q in enumerate(
            [
                "records saved twice when the job runs again",
                "the job runs again and saves the records twice",
                "stop saving records twice when it runs again",
            ]
        )
    ]
    remembering = copy.copy(kb)
    remembering.memory = QuestionMemory(asked, kb._position, len(kb.articles))
    assert remembering.search(question, k=1)[0].article.id == other
    assert without.search(question, k=1)[0].article.id == first != other
