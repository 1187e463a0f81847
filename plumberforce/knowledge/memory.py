"""Questions already answered: a new question that reads like them is likely answered by their articles.

People ask the same things in the same words: "the console.log of Apex", "why can't my user see
this record", "Too many SOQL queries: 101 in a Data Loader import". :data:`ASKED_PATH` ships the
answerable questions of the dev set (``eval/questions.jsonl``: written by people who had not read
the articles, each with the articles that answer it), and :class:`QuestionMemory` scores a new
question against them with BM25 over the same retrieval tokens as the articles. When the most
similar one scores at least ``FLOOR``, the ``MEMORY_K`` most similar questions vote for their
articles (the first expected article fully, the second at half weight), each vote weighted by its
similarity squared and scaled to the best one's; the knowledge base adds ``MEMORY_WEIGHT`` times
the vote, in units of the best article's score, to the articles with lexical evidence
(:meth:`plumberforce.knowledge.index.KnowledgeBase._score`).

Measured leave-batch-out (each dev question ranked without the memory of the batch it came from,
as a question nobody wrote before), and on a blind batch outside the memory: bench/README.md,
"Twelfth round". The held-out sets are never in the memory: :func:`build` reads the dev set only.

Regenerate the file after the dev set changes: ``python -m plumberforce.knowledge.memory``
(``tests/knowledge/test_memory.py`` fails while the two disagree).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path

import bm25s
import numpy as np

from plumberforce.knowledge.fields import query_tokens
from plumberforce.knowledge.postings import Postings
from plumberforce.knowledge.roleplay import strip_preamble

ASKED_PATH = Path(__file__).parent / "asked.jsonl"
MEMORY_K = 5  # similar questions that vote
MEMORY_POWER = 2.0  # a vote's weight: the question's similarity (scaled to the best) to this power
SECOND = 0.5  # a question's second expected article gets this share of its vote
# The most similar question's BM25 must pass this for the memory to vote: a question that shares a
# word or two with the nearest one ("set e mappe") is not like it. Chosen on the dev set, leave-batch-out:
# 12 keeps the new batches' gains (ewa- to ewi-: R@1 0.917 / 0.928 against 0.914 / 0.928 without a
# floor) and gives back the oldest Italian questions (0.942 against 0.937; 0.976 without a memory).
FLOOR = 12.0


def batch(question_id: str) -> str:
    """The batch a question id belongs to: its prefix ("ewa" for "ewa-017")."""
    return question_id.rsplit("-", 1)[0]


class QuestionMemory:
    """BM25 over answered questions, and the articles they were answered with."""

    def __init__(
        self,
        entries: list[dict],
        positions: dict[str, int],
        count: int,
        correct: Callable[[str], str | None] | None = None,
    ):
        entries = [e for e in entries if any(a in positions for a in e["expected"])]
        self.ids = [e["id"] for e in entries]
        self._batches = np.array([batch(i) for i in self.ids])
        self.labels = np.zeros((len(entries), count), dtype=np.float32)
        for row, entry in enumerate(entries):
            known = [positions[a] for a in entry["expected"] if a in positions]
            for rank, article in enumerate(known[:2]):
                self.labels[row, article] = max(self.labels[row, article], 1.0 if rank == 0 else SECOND)
        self._postings: Postings | None = None
        if entries:
            corpus = [query_tokens(strip_preamble(e["q"]), correct) or ["-"] for e in entries]
            retriever = bm25s.BM25(k1=1.2, b=0.75)
            retriever.index(corpus, show_progress=False)
            self._postings = Postings([retriever])
        self._excluded: str | None = None

    def vote(self, tokens: list[str]) -> np.ndarray:
        """Each article's share of the votes of the ``MEMORY_K`` questions most like ``tokens``
        (0 to 1; all zero when no question shares a token)."""
        out = np.zeros(self.labels.shape[1], dtype=np.float32)
        if self._postings is None or not tokens:
            return out
        scores = self._postings.first(tokens)
        if self._excluded is not None:
            scores[self._batches == self._excluded] = 0.0
        best = float(scores.max())
        if best <= 0 or best < FLOOR:
            return out
        k = min(MEMORY_K, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        weights = (scores[top] / best) ** MEMORY_POWER
        return (weights @ self.labels[top]) / float(weights.sum())

    @contextmanager
    def without(self, batch_name: str | None):
        """Leave one batch's questions out while inside (a dev question is then ranked as one the
        memory never saw: the questions of its own batch may share its author's habits)."""
        previous, self._excluded = self._excluded, batch_name
        try:
            yield self
        finally:
            self._excluded = previous


def load_entries(path: Path = ASKED_PATH) -> list[dict]:
    """The answered questions of ``path`` (none when the file is absent)."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def build(questions: Iterable) -> list[dict]:
    """The memory's entries from dev-set questions: the answerable ones with their articles."""
    return [{"id": q.id, "q": q.q, "expected": list(q.expected)} for q in questions if q.expected and not q.redirect]


def render(entries: list[dict]) -> str:
    return "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries)


def main() -> int:
    from plumberforce.knowledge.evaluation import EVAL_PATH, load_questions

    entries = build(load_questions(EVAL_PATH))
    ASKED_PATH.write_text(render(entries), encoding="utf-8")
    print(f"{ASKED_PATH}: {len(entries)} questions from {EVAL_PATH.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
