"""A learned guard beside the rules: per-kind logistic regressions that may only add redirects.

The rules (:mod:`plumberforce.knowledge.topicality`) decide first; for a question they answer,
three linear models (off-topic, abuse, injection, each fitted against the dev set's legitimate
lines by ``bench/learn_guard.py``) read the question's dense vector, a few scalars the
knowledge base already has (:func:`scalars`) and three word scores (:func:`word_scores`): how much
the question's words and word pairs lean to each redirect kind against the legitimate lines, as
naive-Bayes log-count ratios over hashed buckets (:func:`grams`, :func:`log_ratios`). The dense
vector of a short sentence blurs the one word that tells an abusive request from an admin's
("aggirare" the sharing model or a validation rule); the word scores keep it. A model whose score is above its threshold
redirects the question as its kind (the highest margin wins). Each threshold is the highest
score a legitimate dev line got from a model fitted without that line's batch, plus a margin:
leave-batch-out, the models redirect no legitimate dev line. The weights live in
``guard_model.json``, written by the trainer (deterministic: Newton's method from zero).
"""

from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from plumberforce.knowledge.ranking import FEATURES
from plumberforce.knowledge.topicality import Kind

MODEL_PATH = Path(__file__).parent / "guard_model.json"
RANKING_COLUMNS = FEATURES.index("dense_item")  # the ranking features exact for every article (before dense_item)
KINDS: tuple[Kind, ...] = ("off_topic", "abuse", "injection")  # one model and one word score each, in this order
BUCKETS = 4096  # hashed word and word-pair buckets: the dev set has some 20,000 distinct grams (at 2,048, collisions
# made "write a test class for a trigger" lean off topic; 4,096 lifted the leave-batch-out catch from 607 to 771 of
# 1,319 lines; 8,192 caught 879 but redirected four hand-written look-alikes in tests/knowledge as abuse)
ALPHA = 0.5  # additive smoothing of the bucket counts
WORD = re.compile(r"[a-zàèéìòù']+")


def grams(question: str) -> np.ndarray:
    """The distinct buckets of the question's lowercase words and adjacent word pairs (CRC-32, stable
    across runs and machines, unlike ``hash``)."""
    words = WORD.findall(question.lower())
    keys = words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    return np.unique(np.array([zlib.crc32(k.encode()) % BUCKETS for k in keys], dtype=np.int64))


def log_ratios(kind_counts: np.ndarray, legit_counts: np.ndarray) -> np.ndarray:
    """Per kind, each bucket's log ratio of its smoothed share among that kind's lines to its share
    among the legitimate lines (``kind_counts``: (kinds, BUCKETS) line counts; ``legit_counts``:
    (BUCKETS,))."""
    kind = kind_counts + ALPHA
    legit = legit_counts + ALPHA
    return np.log(kind / kind.sum(axis=1, keepdims=True)) - np.log(legit / legit.sum())


def word_scores(buckets: np.ndarray, ratios: np.ndarray) -> np.ndarray:
    """The question's word score per kind: its buckets' ratios summed, divided by the square root of their
    number (a long question neither drowns nor inflates its few telling words)."""
    if not len(buckets):
        return np.zeros(len(ratios))
    return ratios[:, buckets].sum(axis=1) / np.sqrt(len(buckets))


def scalars(
    best_bm25: float,
    unknown_share: float,
    counts: tuple[int, int, int],
    words: int,
    error_coverage: float,
    best_score: float,
    features: np.ndarray,
) -> np.ndarray:
    """The guard's scalars of one question: its best BM25, unknown share, lexicon counts (at most 3), length in
    words, pasted-error coverage, best final score, and each ranking feature's best article (signed log)."""
    best = features[:, :RANKING_COLUMNS].max(axis=0)
    head = [
        np.log1p(best_bm25),
        unknown_share,
        *(min(c, 3) for c in counts),
        np.log1p(words),
        error_coverage,
        np.log1p(max(best_score, 0.0)),
    ]
    return np.concatenate([np.array(head, dtype=np.float64), np.sign(best) * np.log1p(np.abs(best))])


def design(vectors: np.ndarray, rows: np.ndarray, mean: np.ndarray, std: np.ndarray, words: np.ndarray) -> np.ndarray:
    """The models' inputs: the unit vectors scaled to entries of about unit size, the scalars standardised,
    the word scores as they are (log ratios, already of about unit size)."""
    return np.hstack([vectors * np.sqrt(vectors.shape[-1]), (rows - mean) / std, words])


@dataclass(frozen=True)
class GuardModel:
    """The fitted models: one weight row, bias and threshold per redirect kind, the scalars' scaling and the
    word log ratios."""

    kinds: tuple[Kind, ...]
    weights: np.ndarray  # (kinds, inputs)
    bias: np.ndarray
    thresholds: np.ndarray
    mean: np.ndarray
    std: np.ndarray
    ratios: np.ndarray  # (kinds, BUCKETS)

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> GuardModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        models = data["models"]
        return cls(
            tuple(m["kind"] for m in models),
            np.array([m["weights"] for m in models]),
            np.array([m["bias"] for m in models]),
            np.array([m["threshold"] for m in models]),
            np.array(data["mean"]),
            np.array(data["std"]),
            np.array(data["ratios"]),
        )

    def kind(self, question: str, vector: np.ndarray, row: np.ndarray) -> Kind | None:
        """The redirect kind of a question the rules answer, or None to answer it."""
        if not self.kinds:
            return None
        words = word_scores(grams(question), self.ratios)
        x = design(vector[None, :].astype(np.float64), row[None, :], self.mean, self.std, words[None, :])[0]
        over = self.weights @ x + self.bias - self.thresholds
        best = int(np.argmax(over))
        return self.kinds[best] if over[best] > 0 else None
