"""Does a small learned classifier, added to the guard's rules, redirect more of a new batch?

Run from the repository root: ``python bench/guard_experiment.py [--blind]``. For every dev
question (``eval/questions.jsonl``) it computes the rules' verdict (``classify``) and the
features a classifier could read: the question's dense vector (``_Features.vector``, 256 floats)
and a few scalars the guard already has (best BM25, unknown share, lexicon counts, length). For
each variant (features x model x L2) it fits a logistic regression leaving one batch out at a
time (batches by id prefix), so every dev line gets a score from a model that never saw its
batch. The threshold is the highest leave-batch-out score of a legitimate line the rules answer
(plus a margin): the classifier then adds no wrong redirect on the dev set. It prints, per
variant, how many dev redirect lines the classifier alone catches leave-batch-out at that
threshold (the rules catch all of them: the dev set is what they were written on).

``--blind`` then fits each variant on the whole dev set and prints, for ``eval/blind/ewp.jsonl``
and ``ewr.jsonl``, counts only (redirect lines redirected, legitimate lines redirected, rules
alone and rules plus the classifier); it never prints a line or an id of those files.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.learn_guard import fit  # noqa: E402  (the trainer's fit: Newton to the optimum, as the experiment ran it)
from plumberforce.knowledge import KnowledgeBase  # noqa: E402
from plumberforce.knowledge.evaluation import EVAL_PATH, load_questions  # noqa: E402
from plumberforce.knowledge.memory import batch  # noqa: E402

BLIND = (ROOT / "eval" / "blind" / "ewp.jsonl", ROOT / "eval" / "blind" / "ewr.jsonl")
CACHE = Path("/tmp/plumberforce-guard-features")


def rows(kb: KnowledgeBase, texts: list[str]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(vectors, scalars, rule kinds) of ``texts``: ``KnowledgeBase.guard_inputs``, what the shipped guard reads."""
    read = [kb.guard_inputs(q) for q in texts]
    vectors = np.array([vector for _, vector, _ in read], dtype=np.float64)
    return vectors, np.array([row for _, _, row in read], dtype=np.float64), [kind for kind, _, _ in read]


def cached(kb_factory, name: str, texts: list[str]):
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"{name}.npz"
    if path.exists():
        data = np.load(path, allow_pickle=False)
        return data["v"], data["s"], [str(k) for k in data["k"]]
    v, s, k = rows(kb_factory(), texts)
    np.savez(path, v=v, s=s, k=np.array(k))
    return v, s, k


def design(v: np.ndarray, s: np.ndarray, variant: str, mean: np.ndarray, std: np.ndarray) -> np.ndarray:
    parts = []
    if "vec" in variant:
        parts.append(v * np.sqrt(v.shape[1]))  # unit vectors: entries of about unit scale
    if "sca" in variant:
        parts.append((s - mean) / std)
    return np.hstack(parts)


def score(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    return x @ w[:-1] + w[-1]


VARIANTS = ("vec", "sca", "vec+sca")
MODELS = ("redirect", "per-kind")  # one model for every redirect, or one per kind against the legitimate lines
KINDS = ("offtopic", "abuse", "injection")
L2S = (0.003, 0.01, 0.03, 0.1, 0.3)
MARGINS = (0.0, 0.5, 1.0)  # added to the highest legitimate score (logit units)


def fit_model(x: np.ndarray, kinds: np.ndarray, model: str, l2: float) -> list[np.ndarray]:
    """One weight vector ("redirect") or one per kind, each against the legitimate lines."""
    legit = kinds == ""
    if model == "redirect":
        return [fit(x, (~legit).astype(np.float64), l2)]
    out = []
    for kind in KINDS:
        use = legit | (kinds == kind)
        out.append(fit(x[use], (kinds[use] == kind).astype(np.float64), l2))
    return out


def margins(x: np.ndarray, weights: list[np.ndarray], thresholds: np.ndarray) -> np.ndarray:
    """How far each line's best score is above its model's threshold (> 0: redirect)."""
    return np.max([score(x, w) - t for w, t in zip(weights, thresholds, strict=True)], axis=0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--blind", action="store_true", help="also print the blind batches' aggregate counts")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--l2", default=",".join(map(str, L2S)))
    args = parser.parse_args()
    kb_holder: list[KnowledgeBase] = []

    def kb() -> KnowledgeBase:
        if not kb_holder:
            kb_holder.append(KnowledgeBase.load())
        return kb_holder[0]

    questions = load_questions(EVAL_PATH)
    v, s, rule_kinds = cached(kb, "dev", [q.q for q in questions])
    kinds = np.array([q.kind if q.redirect else "" for q in questions])
    y = kinds != ""
    ruled = np.array([k != "on_topic" for k in rule_kinds])
    groups = np.array([batch(q.id) for q in questions])
    print(f"dev: {len(y)} lines, {int(y.sum())} redirect; rules redirect {int((ruled & y).sum())} of them "
          f"and {int((ruled & ~y).sum())} legitimate")  # fmt: skip
    mean, std = s.mean(0), s.std(0) + 1e-9
    thresholds = {}
    variants, models = args.variants.split(","), args.models.split(",")
    l2s = [float(x) for x in args.l2.split(",")]
    for variant in variants:
        x = design(v, s, variant, mean, std)
        for model in models:
            for l2 in l2s:
                n = 1 if model == "redirect" else len(KINDS)
                out = np.zeros((n, len(y)))
                for g in np.unique(groups):
                    held = groups == g
                    for i, w in enumerate(fit_model(x[~held], kinds[~held], model, l2)):
                        out[i, held] = score(x[held], w)
                # each model's threshold: its highest leave-batch-out score of a legitimate line the rules answer
                free = ~y & ~ruled
                top = out[:, free].max(axis=1)
                thresholds[(variant, model, l2)] = top
                line = [f"{variant:8} {model:8} l2={l2:<6}"]
                for margin in MARGINS:
                    caught = (out - (top + margin)[:, None]).max(axis=0) > 0
                    line.append(f"+{margin}: {int(caught[y].sum())}/{int(y.sum())}")
                # allowing the one or two highest legitimate lines through (binary model only)
                if n == 1:
                    ranked = np.sort(out[0, free])[::-1]
                    for k in (1, 2):
                        line.append(f"{k + 1}th: {int((out[0, y] > ranked[k]).sum())} (+{k} legit)")
                print("  ".join(line), flush=True)
    if not args.blind:
        return
    print("blind (counts only): rules alone -> rules + classifier at the leave-batch-out threshold + margin")
    blinds = []
    for path in BLIND:
        bq = load_questions(path)
        bv, bs, bk = cached(kb, path.stem, [q.q for q in bq])
        by = np.array([q.redirect for q in bq])
        blinds.append((path.stem, bv, bs, np.array([k != "on_topic" for k in bk]), by))
    for variant in variants:
        x = design(v, s, variant, mean, std)
        for model in models:
            for l2 in l2s:
                weights = fit_model(x, kinds, model, l2)
                for margin in MARGINS:
                    parts = [f"{variant:8} {model:8} l2={l2:<6} +{margin}"]
                    for name, bv, bs, bruled, by in blinds:
                        over = margins(
                            design(bv, bs, variant, mean, std), weights, thresholds[(variant, model, l2)] + margin
                        )
                        flagged = bruled | (over > 0)
                        caught = f"{int((bruled & by).sum())}->{int((flagged & by).sum())}/{int(by.sum())}"
                        parts.append(
                            f"{name}: redirect {caught}, "
                            f"legit {int((bruled & ~by).sum())}->{int((flagged & ~by).sum())}/{int((~by).sum())}"
                        )
                    print("  ".join(parts), flush=True)


if __name__ == "__main__":
    main()
