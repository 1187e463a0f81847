"""Candidate ranking features for the dev questions, computed once and saved for fast experiments.

Why: trying a feature through ``learn_ranking.py`` means a rebuild and a full feature pass per
option; this computes main's features and a set of candidate extras (head-only covers, head
dense cosine, context covers, rank indicators...) for every answerable dev question once, and
saves them (``.npz``), so fits, cross-validation and the evj- validation run in seconds
(``bench/rank_eval.py``). Dev set only: it never loads the held-out file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from plumberforce.knowledge import KnowledgeBase  # noqa: E402
from plumberforce.knowledge.evaluation import load_questions  # noqa: E402
from plumberforce.knowledge.fields import query_tokens  # noqa: E402
from plumberforce.knowledge.focus import _ASKING, _WORD, asking_sentence, head  # noqa: E402
from plumberforce.knowledge.ranking import ASK_FLOOR, FEATURES, scaled  # noqa: E402
from plumberforce.knowledge.roleplay import strip_preamble  # noqa: E402
from plumberforce.knowledge.text import fold  # noqa: E402

EXTRAS = (
    "head_title_cover",
    "head_tag_cover",
    "ctx_title_cover",
    "ctx_tag_cover",
    "head_dense",
    "ask_dense",
    "head_coverage",
    "ask_bm25",
    "top_bm25",
    "top_head",
    "top_dense",
    "top_title",
    "dense_rank",
    "head_cut",
    "ask_title_cover",
    "ask_tag_cover",
    "scen_title_cover",
    "scen_tag_cover",
    "ask_coverage",
    "wh_bm25",
    "wh_title_cover",
    "wh_dense",
    "scen_bm25",
    "ask_model_top",
    "ask_model_rank",
)


def _top(values: np.ndarray, lexical: np.ndarray) -> np.ndarray:
    masked = np.where(lexical, values, -np.inf)
    out = np.zeros(len(values), dtype=np.float32)
    if lexical.any() and np.isfinite(masked.max()) and masked.max() > 0:
        out[masked == masked.max()] = 1.0
    return out


def from_asking_word(sentence: str) -> str:
    """The asking sentence from its first interrogative or request word on (drops "Lato codice,",
    "Ma", "Nel test però"), or the whole sentence when it has none."""
    for match in _WORD.finditer(sentence):
        if fold(match.group(0)).lower().strip(".'") in _ASKING:
            return sentence[match.start() :]
    return sentence


def extras(kb: KnowledgeBase, question: str, base: np.ndarray, lexical: np.ndarray) -> np.ndarray:
    """The :data:`EXTRAS` columns for ``question`` (``base``: its :data:`FEATURES` rows)."""
    ranker, correct = kb._ranker, kb._speller.correct
    text = strip_preamble(question)
    tokens = set(query_tokens(text, correct))
    asked = head(text)
    sentence = asking_sentence(text)
    head_tokens = set(query_tokens(asked, correct)) if asked != text else tokens
    context = tokens - head_tokens
    vectors = kb._embedder.embed([asked, sentence])
    ask_tokens = set(query_tokens(sentence, correct)) if sentence != text else tokens
    ask_bm25 = kb._bm25(query_tokens(sentence, correct)) if sentence != text else kb._bm25(list(tokens))
    col = {name: base[:, i] for i, name in enumerate(FEATURES)}
    dense = col["dense"]
    order = np.argsort(-np.where(lexical, dense, -np.inf), kind="stable")
    rank = np.empty(len(dense), dtype=np.float32)
    rank[order] = np.arange(1, len(dense) + 1)
    n = len(dense)
    cut = np.full(n, float(asked != text), dtype=np.float32)
    scenario = tokens - ask_tokens
    wh = from_asking_word(sentence)
    wh_tokens = set(query_tokens(wh, correct)) if wh != text else tokens
    wh_vector = kb._embedder.embed([wh])[0]
    # the ask_model feature (the asking sentence ranked alone), as the best article there and as a rank
    ask_model = col["ask_model"]
    ask_order = np.argsort(-ask_model, kind="stable")
    ask_rank = np.empty(n, dtype=np.float32)
    ask_rank[ask_order] = np.arange(1, n + 1)
    columns = [
        ranker._titles(head_tokens),
        ranker._tags(head_tokens),
        ranker._titles(context),
        ranker._tags(context),
        ranker.vectors @ vectors[0],
        ranker.vectors @ vectors[1],
        ranker._coverage.tokens([t for t in head_tokens if "+" not in t and not t.startswith("vs:")]),
        scaled(ask_bm25),
        _top(col["bm25"], lexical),
        _top(col["head"], lexical),
        _top(dense, lexical),
        _top(col["title_cover"], lexical),
        1.0 / rank,
        cut,
        ranker._titles(ask_tokens),
        ranker._tags(ask_tokens),
        ranker._titles(scenario),
        ranker._tags(scenario),
        ranker._coverage.tokens([t for t in ask_tokens if "+" not in t and not t.startswith("vs:")]),
        scaled(kb._bm25(query_tokens(wh, correct))),
        ranker._titles(wh_tokens),
        ranker.vectors @ wh_vector,
        scaled(kb._bm25(sorted(scenario))),
        ask_model == 0,
        np.where(ask_model > ASK_FLOOR, 1.0 / ask_rank, 0.0),
    ]
    return np.stack([np.asarray(c, dtype=np.float32) for c in columns], axis=1)


def main(out: Path) -> int:
    kb = KnowledgeBase.load()
    ids = [a.id for a in kb.articles]
    rows, masks, targets, meta = [], [], [], []
    for q in load_questions():
        if not q.expected:
            continue
        base, lexical = kb.features(q.q)
        rows.append(np.concatenate([base, extras(kb, q.q, base, lexical)], axis=1))
        masks.append(lexical)
        targets.append(np.array([i in q.expected for i in ids]))
        meta.append({"id": q.id, "lang": q.lang, "kind": q.kind, "expected": list(q.expected)})
    np.savez_compressed(
        out, x=np.stack(rows), lexical=np.stack(masks), y=np.stack(targets), names=np.array(FEATURES + EXTRAS)
    )
    out.with_suffix(".json").write_text(json.dumps({"questions": meta, "articles": ids}))
    print(f"{len(rows)} questions x {len(ids)} articles x {len(FEATURES + EXTRAS)} features -> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/rank_probe.npz")))
