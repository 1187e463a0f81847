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
from plumberforce.knowledge.classifier import L2 as MODEL_L2  # noqa: E402
from plumberforce.knowledge.classifier import Examples, QuestionModel, pseudo_queries  # noqa: E402
from plumberforce.knowledge.evaluation import EVAL_PATH, load_questions  # noqa: E402
from plumberforce.knowledge.fields import query_tokens  # noqa: E402
from plumberforce.knowledge.ranking import FEATURES  # noqa: E402

Sample = tuple[np.ndarray, np.ndarray, np.ndarray, str]  # features, lexical, expected, lang
SHARPNESS = 5.0  # softmax temperature of the scores while fitting
L2_GRID = (0.003, 0.01, 0.03)
FOLDS = 5
MODEL = FEATURES.index("model")
Columns = list[dict[int, np.ndarray]]  # per outer fold: question -> its ``model`` column


def folds(n: int) -> list[np.ndarray]:
    """The fixed 5-fold split of the dev set (the same for the question model and the ranker)."""
    return np.array_split(np.random.default_rng(1).permutation(n), FOLDS)


def model_columns(
    kb: KnowledgeBase, path: Path, n: int, l2: float, dev_weight: float, passages: bool = True
) -> Columns:
    """The ``model`` feature of every question, per outer fold, from question models that never
    saw the question's own fold nor the outer fold (trained on the articles, plus the other
    folds' dev questions when ``dev_weight`` > 0): honest for both the ranker's training folds
    and its test fold."""
    questions = [q for q in load_questions(path) if q.expected]
    position = {a.id: i for i, a in enumerate(kb.articles)}
    tokens = [kb.question_tokens(q.q) for q in questions]
    cache: dict[frozenset[int], QuestionModel] = {}
    base = kb.model_examples
    if not passages:  # the articles' fields and fact labels only
        base = kb.model_vocabulary.examples(
            (query_tokens(text), i) for i, a in enumerate(kb.articles) for text in pseudo_queries(a, [])
        )

    def model(excluded: frozenset[int]) -> QuestionModel:
        if dev_weight <= 0:
            excluded = frozenset(range(FOLDS))
        if excluded not in cache:
            extra = Examples([], [], [])
            for fold, members in enumerate(split):
                if fold not in excluded:
                    for i in members:
                        ids = [position[e] for e in questions[i].expected if e in position]
                        part = kb.model_vocabulary.examples(((tokens[i], a) for a in ids), dev_weight / len(ids))
                        extra = extra.extended(part)
            cache[excluded] = QuestionModel.fit(kb.model_vocabulary, base.extended(extra), kb.model_candidates, l2)
        return cache[excluded]

    split = folds(n)
    columns: Columns = []
    for outer in range(FOLDS):
        column = {}
        for fold, members in enumerate(split):
            chosen = model(frozenset({outer} if fold == outer else {outer, fold}))
            column.update({int(i): chosen.log_probs(tokens[i]) for i in members})
        columns.append(column)
    return columns


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


def with_column(sample: Sample, column: np.ndarray | None) -> Sample:
    x = sample[0].copy()
    x[:, MODEL] = 0.0 if column is None else column
    return (x, *sample[1:])


def cross_validate(data: Sequence[Sample], l2: float, columns: Columns | None) -> tuple[float, dict]:
    """Mean R@1 over the 5 folds of the dev set (fixed shuffle), and R@1 / R@3 per language;
    ``columns`` give the ``model`` feature per outer fold (None: the feature left out)."""
    hits, found = 0, {}
    for outer, fold in enumerate(folds(len(data))):
        held = set(fold.tolist())
        column = (lambda i: None) if columns is None else columns[outer].get
        weights = fit([with_column(data[i], column(i)) for i in range(len(data)) if i not in held], l2)
        for i in fold:
            r1, r3 = recall([with_column(data[i], column(i))], weights)[data[i][3]]
            hits += r1
            found.setdefault(data[i][3], []).append((r1, r3))
    per_lang = {
        k: (round(sum(a for a, _ in v) / len(v), 3), round(sum(b for _, b in v) / len(v), 3)) for k, v in found.items()
    }
    return hits / len(data), per_lang


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=EVAL_PATH)
    parser.add_argument("--model-l2", type=float, default=MODEL_L2, help="the question model's L2")
    parser.add_argument("--model-dev", type=float, default=0.0, help="weight of dev questions in its training")
    parser.add_argument("--without-model", action="store_true", help="leave the model feature out")
    parser.add_argument("--model-no-passages", action="store_true", help="train it on the fields only")
    parser.add_argument("--l2", type=float, nargs="*", default=L2_GRID, help="the ranker's L2 grid")
    args = parser.parse_args(argv)
    kb = KnowledgeBase.load()
    data = samples(kb, args.questions)
    columns = (
        None
        if args.without_model
        else model_columns(kb, args.questions, len(data), args.model_l2, args.model_dev, not args.model_no_passages)
    )
    scores = {l2: cross_validate(data, l2, columns) for l2 in args.l2}
    for l2, (r1, per_lang) in scores.items():
        print(f"l2={l2}: cross-validated R@1 {r1:.3f}, (R@1, R@3) per language {per_lang}", flush=True)
    best = max(args.l2, key=lambda l2: (round(scores[l2][0], 3), l2))
    if columns is not None:  # the ranker's weights on out-of-fold model columns (the first outer fold's)
        split = folds(len(data))
        oof = {int(i): columns[k][int(i)] for k, members in enumerate(split) for i in members}
        data = [with_column(sample, oof[i]) for i, sample in enumerate(data)]
    else:
        data = [with_column(sample, None) for sample in data]
    weights = fit(data, best)
    print(f"chosen l2={best}; dev recall (R@1, R@3) per language: {recall(data, weights)}")
    print("WEIGHTS = {")
    for name, value in zip(FEATURES, weights, strict=True):
        print(f'    "{name}": {value:.3f},')
    print("}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
