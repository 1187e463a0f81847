"""Compare dense text models as ranking features by cross-validation on the dev set.

Run from the repository root: ``python bench/compare_dense.py [--models wordllama,use]``. For
every answerable dev question (``eval/questions.jsonl``; the held-out set is never read) it takes
the committed ranking features (``KnowledgeBase.features``, whose ``dense`` column is
WordLlama's), then, per candidate of :mod:`bench.dense_models`, three cosines of the question
(role-play preamble stripped, as retrieval does) with each article:

- ``meta``: one vector of the article's metadata and summaries (``fields.meta_text``), the
  committed feature's text;
- ``items``: the best of its titles, tags, keywords and summaries embedded one by one;
- ``passage``: the best of its passages (``passages.split_passages``), both languages.

Each option (the committed features; ``dense`` replaced by a candidate's ``meta``; a candidate's
columns added) is fitted exactly as ``bench/learn_ranking.py`` fits the ranker and scored by the
same 5-fold cross-validation (fixed shuffle, its L2 grid, the best CV R@1 with ties to the
stronger regularisation); the table gives the CV R@1 / R@3 per language at that L2. It also
prints each model's load time and the time to embed one question.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.dense_models import MODELS  # noqa: E402
from bench.learn_ranking import L2_GRID, SHARPNESS  # noqa: E402
from plumberforce.knowledge import KnowledgeBase  # noqa: E402
from plumberforce.knowledge.evaluation import EVAL_PATH, load_questions  # noqa: E402
from plumberforce.knowledge.fields import meta_text  # noqa: E402
from plumberforce.knowledge.ranking import FEATURES  # noqa: E402
from plumberforce.knowledge.roleplay import strip_preamble  # noqa: E402

DENSE = FEATURES.index("dense")


def fit(x: np.ndarray, lexical: np.ndarray, y: np.ndarray, l2: float, steps: int = 300, rate: float = 0.5):
    """``learn_ranking.fit`` on stacked arrays (questions x articles x features): the same
    gradient, summed over the questions at once."""
    weights = np.zeros(x.shape[2])
    weights[FEATURES.index("bm25")] = 1.0
    for _ in range(steps):
        s = SHARPNESS * (x @ weights)
        s[~lexical] = -1e9
        p = np.exp(s - s.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        py = np.where(y, p, 0.0)
        hit = py.sum(axis=1)
        ok = (hit > 0) & y.any(axis=1)
        q = p - py / np.where(ok, hit, 1.0)[:, None]
        grad = SHARPNESS * np.einsum("na,naf->f", q[ok], x[ok])
        weights -= rate * (grad / len(x) + l2 * weights)
    return weights


def hits(x: np.ndarray, lexical: np.ndarray, y: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per question: expected article first, expected article in the top 3."""
    s = x @ weights
    s[~lexical] = -1e9
    top = np.argsort(-s, axis=1, kind="stable")[:, :3]
    found = np.take_along_axis(y, top, axis=1)
    return found[:, 0], found.any(axis=1)


def cross_validate(x, lexical, y, l2: float, folds: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Each question's R@1 and R@3 hit from a model fitted without its fold (the folds of
    ``learn_ranking.cross_validate``)."""
    order = np.random.default_rng(1).permutation(len(x))
    r1, r3 = np.zeros(len(x), dtype=bool), np.zeros(len(x), dtype=bool)
    for fold in np.array_split(order, folds):
        train = np.setdiff1d(order, fold)
        weights = fit(x[train], lexical[train], y[train], l2)
        r1[fold], r3[fold] = hits(x[fold], lexical[fold], y[fold], weights)
    return r1, r3


def items(kb: KnowledgeBase) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Every article's titles, tags, keywords and summaries one by one, with their article and
    kind (0 titles and tags, 1 keywords, 2 summaries)."""
    texts, owner, kind = [], [], []
    for i, a in enumerate(kb.articles):
        groups = ([a.title, a.title_it, *a.tags, *a.tags_it], [*a.keywords, *a.keywords_it], [a.summary, a.summary_it])
        for k, group in enumerate(groups):
            for text in group:
                if text.strip():
                    texts.append(text)
                    owner.append(i)
                    kind.append(k)
    return texts, np.array(owner, dtype=np.int64), np.array(kind, dtype=np.int64)


def best_of(cosines: np.ndarray, owner: np.ndarray, articles: int) -> np.ndarray:
    """Per question, each article's best cosine among its rows (questions x rows -> questions x articles)."""
    out = np.full((len(cosines), articles), -1.0, dtype=np.float32)
    for a in range(articles):
        mine = owner == a
        if mine.any():
            out[:, a] = cosines[:, mine].max(axis=1)
    return out


def columns(name: str, kb: KnowledgeBase, questions: list[str]) -> tuple[dict[str, np.ndarray], dict[str, float]]:
    """The candidate's three cosine columns (questions x articles) and its timings."""
    start = time.perf_counter()
    model = MODELS[name]()
    load = time.perf_counter() - start
    per_question = []
    for text in questions[:200]:
        start = time.perf_counter()
        model.embed([text])
        per_question.append(time.perf_counter() - start)
    q = model.embed(questions)
    meta = model.embed([meta_text(a) for a in kb.articles])
    item_texts, item_owner, item_kind = items(kb)
    item_cos = q @ model.embed(item_texts).T
    passages = kb.passages.passages
    out = {
        "meta": q @ meta.T,
        "items": best_of(item_cos, item_owner, len(kb.articles)),
        **{
            kind: best_of(item_cos[:, item_kind == k], item_owner[item_kind == k], len(kb.articles))
            for k, kind in enumerate(("titles", "keywords", "summaries"))
        },
        "passage": best_of(q @ model.embed([p.text for p in passages]).T, kb.passages.article_of, len(kb.articles)),
    }
    ms = 1000 * np.array(per_question)
    return out, {"load_s": load, "q_p50_ms": float(np.median(ms)), "q_p95_ms": float(np.percentile(ms, 95))}


def report(label: str, x, lexical, y, langs: np.ndarray) -> None:
    scores = {l2: cross_validate(x, lexical, y, l2) for l2 in L2_GRID}
    best = max(L2_GRID, key=lambda l2: (round(float(scores[l2][0].mean()), 3), l2))
    r1, r3 = scores[best]
    cells = [f"{r1.mean():.3f}"] + [f"{r1[langs == k].mean():.3f} / {r3[langs == k].mean():.3f}" for k in ("en", "it")]
    print(f"| {label} | {' | '.join(cells)} | {best} |", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=EVAL_PATH)
    parser.add_argument("--models", default="wordllama,use,tokenlearn")
    parser.add_argument(
        "--variants",
        help="options to score instead of the default set, ';'-separated: columns 'model.column' joined by"
        " '+', added to the committed features ('=' first: the first replaces the dense column)",
    )
    args = parser.parse_args(argv)
    kb = KnowledgeBase.load()
    dev = [q for q in load_questions(args.questions) if q.expected]
    rows = [kb.features(q.q) for q in dev]
    x = np.stack([f for f, _ in rows]).astype(np.float64)
    lexical = np.stack([lex for _, lex in rows])
    y = np.stack([np.array([a.id in q.expected for a in kb.articles]) for q in dev])
    langs = np.array([q.lang for q in dev])
    texts = [strip_preamble(q.q) for q in dev]
    print(f"{len(dev)} answerable dev questions ({(langs == 'en').sum()} en, {(langs == 'it').sum()} it)")
    print("| option | CV R@1 all | CV en R@1 / R@3 | CV it R@1 / R@3 | L2 |\n|---|---|---|---|---|")
    report("committed: 15 features (dense = WordLlama meta)", x, lexical, y, langs)
    every = {}
    for name in args.models.split(","):
        cols, timing = columns(name, kb, texts)
        print(f"<!-- {name}: {timing} -->", flush=True)
        every.update({f"{name}.{c}": v for c, v in cols.items()})
        if args.variants:
            continue
        replaced = x.copy()
        replaced[:, :, DENSE] = cols["meta"]
        report(f"{name}: dense = its meta cosine", replaced, lexical, y, langs)
        for extra in (("meta",), ("items",), ("passage",), ("meta", "items", "passage")):
            if name == "wordllama" and extra == ("meta",):
                continue  # the committed column itself
            added = np.concatenate([x, *[cols[c][:, :, None] for c in extra]], axis=2)
            report(f"{name}: + {' + '.join(extra)}", added, lexical, y, langs)
    for variant in args.variants.split(";") if args.variants else []:
        replace = variant.startswith("=")
        names = variant.lstrip("=").split("+")
        base = x.copy()
        if replace:
            base[:, :, DENSE] = every[names.pop(0)]
        added = np.concatenate([base, *[every[n][:, :, None] for n in names]], axis=2)
        report(variant, added, lexical, y, langs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
