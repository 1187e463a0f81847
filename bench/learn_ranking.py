"""Fit the weights of the retrieval ranking model on the dev set (``eval/questions.jsonl``).

Run from the repository root: ``python bench/learn_ranking.py``. For every question with expected
articles it computes the ranking features of every article (``KnowledgeBase.features``), fits a
linear model that maximises the softmax probability of the expected articles (full-batch gradient
descent, L2-regularised), picks the regularisation by 5-fold cross-validation on the dev set and
prints the weights to paste into ``plumberforce/knowledge/ranking.py``. It never reads the
held-out set: that set only compares the options afterwards (``bench/retrieval.py``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from plumberforce.knowledge import KnowledgeBase  # noqa: E402
from plumberforce.knowledge.evaluation import EVAL_PATH, load_questions  # noqa: E402
from plumberforce.knowledge.ranking import FEATURES  # noqa: E402

Sample = tuple[np.ndarray, np.ndarray, np.ndarray, str]  # features, lexical, expected, lang
SHARPNESS = 5.0  # softmax temperature of the scores while fitting
L2_GRID = (0.003, 0.01, 0.03)


def samples(kb: KnowledgeBase, path: Path) -> list[Sample]:
    out = []
    for question in load_questions(path):
        if not question.expected:
            continue
        features, lexical = kb.features(question.q)
        expected = np.array([a.id in question.expected for a in kb.articles])
        out.append((features.astype(np.float64), lexical, expected, question.lang))
    return out


def fit(data: Sequence[Sample], l2: float, steps: int = 300, rate: float = 0.5) -> np.ndarray:
    """Weights maximising the mean log-probability of the expected articles, minus ``l2`` |w|^2 / 2."""
    weights = np.zeros(len(FEATURES))
    weights[FEATURES.index("bm25")] = 1.0
    for _ in range(steps):
        grad = np.zeros_like(weights)
        for x, lexical, y, _ in data:
            s = SHARPNESS * (x @ weights)
            s[~lexical] = -1e9
            p = np.exp(s - s.max())
            p /= p.sum()
            hit = p[y].sum()
            if y.any() and hit > 0:
                grad += SHARPNESS * (x.T @ p - x[y].T @ p[y] / hit)
        weights -= rate * (grad / len(data) + l2 * weights)
    return weights


def recall(data: Sequence[Sample], weights: np.ndarray) -> dict[str, tuple[float, float]]:
    """R@1 and R@3 per language."""
    found: dict[str, list[tuple[bool, bool]]] = {}
    for x, lexical, y, lang in data:
        s = x @ weights
        s[~lexical] = -1e9
        top = np.argsort(-s, kind="stable")[:3]
        found.setdefault(lang, []).append((bool(y[top[0]]), bool(y[top].any())))
    return {k: (sum(a for a, _ in v) / len(v), sum(b for _, b in v) / len(v)) for k, v in sorted(found.items())}


def cross_validate(data: Sequence[Sample], l2: float, folds: int = 5) -> float:
    """Mean R@1 over ``folds`` folds of the dev set (fixed shuffle)."""
    order = np.random.default_rng(1).permutation(len(data))
    hits = 0
    for fold in np.array_split(order, folds):
        held = set(fold.tolist())
        weights = fit([data[i] for i in order if i not in held], l2)
        hits += sum(recall([data[i]], weights)[data[i][3]][0] for i in fold)
    return hits / len(data)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=EVAL_PATH)
    args = parser.parse_args(argv)
    data = samples(KnowledgeBase.load(), args.questions)
    scores = {l2: cross_validate(data, l2) for l2 in L2_GRID}
    for l2, r1 in scores.items():
        print(f"l2={l2}: cross-validated R@1 {r1:.3f}")
    best = max(L2_GRID, key=lambda l2: (round(scores[l2], 3), l2))
    weights = fit(data, best)
    print(f"chosen l2={best}; dev recall (R@1, R@3) per language: {recall(data, weights)}")
    print("WEIGHTS = {")
    for name, value in zip(FEATURES, weights, strict=True):
        print(f'    "{name}": {value:.3f},')
    print("}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
