"""Fit the learned guard (``plumberforce/knowledge/guard_model.py``) on the dev set and write its weights.

Run from the repository root: ``python bench/learn_guard.py`` (``--check`` compares with the shipped
file instead of writing it). For every dev question (``eval/questions.jsonl``) it reads the rules'
kind and the guard's inputs (``KnowledgeBase.guard_inputs``, whatever the rules say: they redirect
every dev redirect line), each question scored without the memory of its own batch, as
``evaluate()`` scores it, and its word scores (``guard_model.word_scores``) from the word counts of the
other batches (:class:`WordCounts`: a line's own words never vote for it). Per redirect kind it
fits a logistic regression of that kind's lines against the legitimate ones (Newton's method from
zero, L2 ``L2``, the two classes weighted to equal mass), and
sets its threshold to the highest score a legitimate line the rules answer gets from the model fitted
without that line's batch (id prefix), plus ``MARGIN``. It never reads the held-out or blind sets.
How the variant was chosen: ``bench/guard_experiment.py`` and bench/README.md ("Fourteenth round: a
learned guard").
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from plumberforce.knowledge import KnowledgeBase  # noqa: E402
from plumberforce.knowledge.evaluation import EVAL_PATH, VERDICT_KIND, load_questions  # noqa: E402
from plumberforce.knowledge.guard_model import (  # noqa: E402
    BUCKETS,
    KINDS,
    MODEL_PATH,
    design,
    grams,
    log_ratios,
    word_scores,
)
from plumberforce.knowledge.memory import batch  # noqa: E402

L2 = 0.001  # chosen leave-batch-out (bench/guard_experiment.py): 0.001-0.003 catch the most at 0 legitimate lines
MARGIN = 0.5  # logit units over the highest leave-batch-out legitimate score
DIGITS = 7  # decimals written


def inputs(kb: KnowledgeBase, question: str) -> tuple[bool, np.ndarray, np.ndarray]:
    """(whether the rules redirect it, its vector, its scalars) for one question."""
    kind, vector, row = kb.guard_inputs(question)
    return kind != "on_topic", vector, row


class WordCounts:
    """How many lines of each redirect kind and how many legitimate lines hold each word bucket, per batch."""

    def __init__(self, buckets: list[np.ndarray], kinds: np.ndarray, groups: np.ndarray) -> None:
        self.buckets = buckets
        self.groups = groups
        self.names = sorted(set(groups))
        self.kind_counts = np.zeros((len(self.names), len(KINDS), BUCKETS))
        self.legit_counts = np.zeros((len(self.names), BUCKETS))
        where = {g: i for i, g in enumerate(self.names)}
        for b, kind, group in zip(buckets, kinds, groups, strict=True):
            if kind:
                self.kind_counts[where[group], KINDS.index(kind), b] += 1
            else:
                self.legit_counts[where[group], b] += 1

    def ratios(self, without: str | None = None) -> np.ndarray:
        """The log ratios of every batch's counts but ``without``'s."""
        keep = np.array([g != without for g in self.names])
        return log_ratios(self.kind_counts[keep].sum(axis=0), self.legit_counts[keep].sum(axis=0))

    def scores(self) -> np.ndarray:
        """Every line's word scores, from the counts of the batches but its own."""
        out = np.zeros((len(self.buckets), len(KINDS)))
        for group in self.names:
            ratios = self.ratios(without=group)
            for i in np.flatnonzero(self.groups == group):
                out[i] = word_scores(self.buckets[i], ratios)
        return out


def fit(x: np.ndarray, y: np.ndarray, l2: float = L2, steps: int = 30) -> np.ndarray:
    """Weights (bias last) of an L2-regularised logistic regression, the classes weighted to equal mass."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(xb.shape[1])
    pos = y.mean()
    sample = np.where(y == 1, 0.5 / pos, 0.5 / (1 - pos)) / len(y)
    penalty = np.full(xb.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(xb @ w)))
        grad = xb.T @ ((p - y) * sample) + penalty * w
        hess = (xb * (sample * p * (1 - p))[:, None]).T @ xb + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-12:
            break
    return w


def train(kb: KnowledgeBase, path: Path = EVAL_PATH) -> dict:
    """The guard model file's content, fitted on the questions at ``path``."""
    questions = load_questions(path)
    rows = []
    for q in questions:
        with kb.memory.without(batch(q.id)):  # as a question the memory never saw, as evaluate() ranks it
            rows.append(inputs(kb, q.q))
    ruled = np.array([r[0] for r in rows])
    vectors = np.array([r[1] for r in rows], dtype=np.float64)
    table = np.array([r[2] for r in rows])
    kinds = np.array([VERDICT_KIND[q.kind] if q.redirect else "" for q in questions])
    groups = np.array([batch(q.id) for q in questions])
    mean, std = table.mean(axis=0), table.std(axis=0)
    std[std < 1e-6] = 1.0  # a constant column (the best article's normalised BM25 is always 1)
    counts = WordCounts([grams(q.q) for q in questions], kinds, groups)
    x = design(vectors, table, mean, std, counts.scores())
    legit = kinds == ""
    models = []
    caught = np.zeros(len(questions), dtype=bool)  # redirect lines its kind's model catches leave-batch-out
    for kind in KINDS:
        use = legit | (kinds == kind)
        y = (kinds == kind).astype(np.float64)
        held_out = np.full(len(questions), -np.inf)
        for group in sorted(set(groups[use])):
            held = groups == group
            w = fit(x[use & ~held], y[use & ~held])
            scored = held & use
            held_out[scored] = x[scored] @ w[:-1] + w[-1]
        threshold = float(held_out[legit & ~ruled].max()) + MARGIN
        caught |= (kinds == kind) & (held_out > threshold)
        w = fit(x[use], y[use])
        models.append(
            {
                "kind": kind,
                "threshold": round(threshold, DIGITS),
                "bias": round(float(w[-1]), DIGITS),
                "weights": [round(float(v), DIGITS) for v in w[:-1]],
            }
        )
    print(
        f"leave-batch-out, the models alone catch {int(caught.sum())} of {int((~legit).sum())} redirect lines",
        file=sys.stderr,
    )
    return {
        "trained_on": f"{path.name}: {len(questions)} lines, {int((~legit).sum())} redirect",
        "l2": L2,
        "margin": MARGIN,
        "mean": [round(float(v), DIGITS) for v in mean],
        "std": [round(float(v), DIGITS) for v in std],
        "ratios": [[round(float(v), DIGITS) for v in row] for row in counts.ratios()],
        "models": models,
    }


def render(model: dict) -> str:
    return json.dumps(model, indent=1) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true", help="compare with the shipped file, write nothing")
    args = parser.parse_args()
    text = render(train(KnowledgeBase.load()))
    if args.check:
        same = text == MODEL_PATH.read_text(encoding="utf-8")
        print("the shipped weights match" if same else "the shipped weights differ")
        sys.exit(0 if same else 1)
    MODEL_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {MODEL_PATH.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
