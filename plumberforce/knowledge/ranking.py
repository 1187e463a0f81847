"""How retrieval signals are combined into one article score: a linear model learned on the dev set.

Each article gets a row of features for a question (below); its score is the row times
``WEIGHTS``. The weights were fitted by ``python bench/learn_ranking.py`` on
``eval/questions.jsonl`` only (listwise: the softmax probability of the expected articles,
L2-regularised, chosen by 5-fold cross-validation on that set); the held-out set was used to
compare this option with the others, never to fit it (bench/README.md). Re-run the script after
large changes to the articles or the tokenizer and paste its output here.

| feature | what it is |
|---|---|
| ``bm25`` | BM25 over the field-weighted document (title and tags count 3x...), scaled to the best article |
| ``title``, ``keywords``, ``summary``, ``body`` | BM25 over one group of fields (title+tags, keywords+errors...) |
| ``passage`` | BM25 of the article's best passage (:mod:`plumberforce.knowledge.passages`), scaled |
| ``dense`` | cosine of the WordLlama vectors of the question and of the article's metadata and summaries |
| ``dense_item`` | the best WordLlama cosine of the question with one of its titles, tags, keywords, summaries |
| ``error`` | how much of a listed error the question pastes (x1.5 when the article's title names it) |
| ``fact`` | 1 when a figure the question states belongs to one of the article's facts |
| ``title_cover``, ``tag_cover`` | share of the title's (best tag's) tokens that the question contains |
| ``head`` | BM25 of what the question asks (:func:`plumberforce.knowledge.focus.head`), scaled |
| ``negated`` | how much of its title or a tag the question rules out ("not the Stub API", "invece di") |
| ``coverage`` | IDF-weighted share of the question's words the article uses (:mod:`~plumberforce.knowledge.focus`) |
| ``passage_cover`` | the same share for the article's best passage (a word counts once, whatever its forms) |
| ``ask_title_cover`` | ``title_cover`` of the asking sentence alone (:func:`~.focus.asking_sentence`) |
| ``scenario_title_cover`` | ``title_cover`` of the words only the other sentences use (the scenario around it) |
| ``ask_model`` | the asking sentence ranked alone by ``ASK_WEIGHTS``: score minus the best one, floored at -3 |
"""

from __future__ import annotations

from collections.abc import Sequence

import bm25s
import numpy as np

from plumberforce.knowledge.articles import Article
from plumberforce.knowledge.error_lookup import ErrorMatch
from plumberforce.knowledge.fields import FIELD_GROUPS, Fields, group_tokens
from plumberforce.knowledge.focus import Coverage
from plumberforce.knowledge.postings import Postings
from plumberforce.knowledge.premises import Claim
from plumberforce.knowledge.segments import Segments
from plumberforce.knowledge.text import tokenize

BM25_PARAMS = {"k1": 1.2, "b": 0.75}
TITLED_BONUS = 1.5  # the article whose title names a pasted error explains it best
FEATURES = (
    "bm25",
    "title",
    "keywords",
    "summary",
    "body",
    "passage",
    "dense",
    "error",
    "fact",
    "title_cover",
    "tag_cover",
    "head",
    "coverage",
    "negated",
    "passage_cover",
    "ask_title_cover",
    "scenario_title_cover",
    "dense_item",
    "ask_model",
)
# fitted by bench/learn_ranking.py on eval/questions.jsonl (evj-, evk- and evl- included; l2 =
# 0.003, chosen by cross-validation: 0.937). ``ask_model`` was chosen by fitting without the blind
# evl- questions and validating on them (bench/rank_eval.py --blind evl-: 52/59 at rank 1 against
# 48/60, +2 per language; evj- 149 against 144, evk- equal; bench/README.md, "Ninth round"); the
# ask/scenario covers and dense_item in the eighth round the same way on evj-.
WEIGHTS = {
    "bm25": 0.924,
    "title": 0.195,
    "keywords": 0.441,
    "summary": -0.028,
    "body": -0.165,
    "passage": 0.136,
    "dense": 0.877,
    "error": 0.453,
    "fact": 0.187,
    "title_cover": 0.013,
    "tag_cover": 0.481,
    "head": 0.019,
    "coverage": 0.221,
    "negated": -0.647,
    "passage_cover": 0.348,
    "ask_title_cover": 0.619,
    "scenario_title_cover": -0.664,
    "dense_item": 1.001,
    "ask_model": 0.243,
}


# The model that ranks the asking sentence alone for ``ask_model``: WEIGHTS as they were before
# that feature (fitted on the dev set with evk-, before evl- was added; ninth round).
ASK_WEIGHTS = {
    "bm25": 0.950,
    "title": 0.294,
    "keywords": 0.563,
    "summary": -0.059,
    "body": -0.207,
    "passage": 0.128,
    "dense": 1.004,
    "error": 0.400,
    "fact": 0.282,
    "title_cover": 0.033,
    "tag_cover": 0.399,
    "head": 0.290,
    "coverage": 0.369,
    "negated": -0.775,
    "passage_cover": 0.430,
    "ask_title_cover": 0.953,
    "scenario_title_cover": -0.977,
    "dense_item": 1.332,
}
ASK_FLOOR = -3.0  # ``ask_model`` of articles far below the asking sentence's best


def weight_vector(weights: dict[str, float] | None = None) -> np.ndarray:
    chosen = WEIGHTS if weights is None else weights
    return np.array([chosen.get(name, 0.0) for name in FEATURES], dtype=np.float32)


def scaled(scores: np.ndarray) -> np.ndarray:
    """``scores`` divided by their maximum (unchanged when nothing scores)."""
    top = float(scores.max()) if len(scores) else 0.0
    return scores / top if top > 0 else scores


def scaled_rows(rows: np.ndarray) -> np.ndarray:
    """:func:`scaled` of each row of a 2-D float32 array, in one pass: the same float32 divisions
    (a row whose maximum is not positive divided by 1, which leaves it as it is)."""
    top = rows.max(axis=1, keepdims=True) if rows.shape[1] else np.zeros((len(rows), 1), dtype=rows.dtype)
    return rows / np.where(top > 0, top, 1)


class Cover:
    """Per article, the best share of one of its token groups (its titles, or its tags) that a
    question contains; an inverted index, so a question costs only its own tokens."""

    def __init__(self, groups: Sequence[Sequence[frozenset[str]]]):
        owners, sizes, postings = [], [], {}
        for article, article_groups in enumerate(groups):
            for group in article_groups:
                if group:
                    for token in group:
                        postings.setdefault(token, []).append(len(sizes))
                    owners.append(article)
                    sizes.append(len(group))
        self._owner = np.array(owners, dtype=np.int64)
        self._size = np.array(sizes, dtype=np.float32)
        self._postings = {t: np.array(g, dtype=np.int64) for t, g in postings.items()}
        self._articles = len(groups)
        self._segments = Segments(self._owner, self._articles)

    def __call__(self, question: set[str]) -> np.ndarray:
        hits = [self._postings[t] for t in question if t in self._postings]
        if not hits:
            return np.zeros(self._articles, dtype=np.float32)
        counts = np.bincount(np.concatenate(hits), minlength=len(self._size)).astype(np.float32)
        return self._segments.max(counts / np.maximum(self._size, 1.0))


class Ranker:
    """The per-field postings and token sets the features need, and the weights that combine them."""

    def __init__(
        self,
        articles: Sequence[Article],
        fields: Sequence[Fields],
        vectors: np.ndarray,
        index: bm25s.BM25,
        items: tuple[np.ndarray, np.ndarray],
    ):
        """``index`` is the knowledge base's field-weighted BM25 index (the ``bm25`` feature);
        ``vectors`` the articles' WordLlama vectors, ``items`` the WordLlama vectors of their
        titles, tags, keywords and summaries one by one with their article (listed article by
        article)."""
        groups = []
        for group in FIELD_GROUPS:
            groups.append(bm25s.BM25(**BM25_PARAMS))
            groups[-1].index([group_tokens(f, group) for f in fields], show_progress=False)
        # the field-weighted index, then the field groups', read in one pass per question (the
        # groups' bm25s indexes are not kept: their postings are all a question needs)
        self.postings = Postings([index, *groups])
        self._titles = Cover([[_set(a.title, "en"), _set(a.title_it, "it")] for a in articles])
        self._tags = Cover([[_set(t, "en") for t in a.tags] + [_set(t, "it") for t in a.tags_it] for a in articles])
        self._count = len(articles)
        self.vectors = vectors  # the articles' dense vectors
        self.item_vectors, self.item_owner = items
        if np.any(np.diff(self.item_owner) < 0):
            raise ValueError("items are listed article by article")
        self.item_counts = np.bincount(self.item_owner, minlength=self._count)
        # article a's items are rows item_starts[a] to item_starts[a + 1] (a list: indexing gives an int)
        self.item_starts = [0, *np.cumsum(self.item_counts).tolist()]
        self.with_items = int(np.count_nonzero(self.item_counts))
        self._coverage = Coverage(self.postings)
        self.weights = weight_vector()
        self.ask_weights = weight_vector(ASK_WEIGHTS)

    def features(
        self,
        tokens: list[str],
        bm25: np.ndarray,
        groups: np.ndarray,
        errors: list[ErrorMatch],
        claims: list[Claim],
        best_passage: np.ndarray,
        vector: np.ndarray,
        head: np.ndarray,
        ruled_out: list[str],
        passage_cover: np.ndarray,
        ask: set[str],
    ) -> np.ndarray:
        """One row of :data:`FEATURES` per article (``groups``: the BM25 of each of
        :data:`FIELD_GROUPS`, rows 1 to 4 of :attr:`postings`' scores; ``ask``: the tokens of the
        asking sentence, all of the question's when it has one sentence)."""
        n = self._count
        error, fact = np.zeros(n, dtype=np.float32), np.zeros(n, dtype=np.float32)
        for match in errors:
            error[match.article] = max(error[match.article], match.coverage * (TITLED_BONUS if match.titled else 1.0))
        for claim in claims:
            fact[list(claim.articles)] = 1.0
        asked = set(tokens)
        title_cover = self._titles(asked)
        zeros = np.zeros(n, dtype=np.float32)
        columns = {
            "bm25": scaled(bm25),
            **dict(zip(FIELD_GROUPS, scaled_rows(groups), strict=True)),
            "passage": scaled(best_passage),
            "dense": self.vectors @ vector,
            "error": error,
            "fact": fact,
            "title_cover": title_cover,
            "tag_cover": self._tags(asked),
            "head": scaled(head),
            "coverage": self._coverage.tokens([t for t in tokens if "+" not in t and not t.startswith("vs:")]),
            "negated": np.maximum(self._titles(set(ruled_out)), self._tags(set(ruled_out))) if ruled_out else zeros,
            "passage_cover": passage_cover,
            # a question of one sentence asks with all its tokens: the same cover, and no scenario
            "ask_title_cover": title_cover if ask == asked else self._titles(ask),
            "scenario_title_cover": self._titles(asked - ask),
            # the two columns the caller fills: dense_item (DenseItems) for the articles it needs, and
            # ask_model, which ranks the asking sentence
            "dense_item": zeros,
            "ask_model": zeros,
        }
        # one row per article, C-ordered as np.stack(axis=1) makes it (half its cost: one copy)
        return np.ascontiguousarray(np.array([columns[name] for name in FEATURES], dtype=np.float32).T)


class DenseItems:
    """The ``dense_item`` feature of one question vector, computed article by article on demand:
    ``values[a]`` is article ``a``'s once ``known[a]``.

    ``dense_item`` is the largest cosine of the question with one of an article's titles, tags,
    keywords and summaries (11,849 vectors of 256 floats), floored at 0. Computing it for every
    article was the largest single cost of ``analyse()``, which needs it for a dozen of 180
    (:mod:`plumberforce.knowledge.topk`). An article's value is the same bit for bit whichever
    articles are computed with it: each item's cosine comes from the same einsum on its own row
    (einsum, not ``@``: BLAS splits a product this size over both cores and, on a busy machine,
    waits for them; p95 16 ms against 0.4 ms on one thread), and a maximum does not depend on
    order. Until known, a value is 0; it can be no more than :data:`DENSE_ITEM_MAX`.
    """

    def __init__(self, ranker: Ranker, vector: np.ndarray):
        self._ranker = ranker
        self._vector = vector
        count = ranker.item_counts
        self.values = np.zeros(len(count), dtype=np.float32)
        self.known = count == 0  # an article without items scores 0

    def fill(self, articles: np.ndarray) -> None:
        """Compute the value of the articles of the mask ``articles`` not known yet."""
        new = articles & ~self.known
        if not new.any():
            return
        ranker = self._ranker
        ids = np.flatnonzero(new)
        if len(ids) == ranker.with_items:
            vectors = ranker.item_vectors  # every article's items: the whole table, not a copy
        else:  # the items of these articles, copied together (each one's are listed together)
            at = ranker.item_starts
            vectors = np.concatenate([ranker.item_vectors[at[a] : at[a + 1]] for a in ids.tolist()])
        cosines = np.einsum("ij,j->i", vectors, self._vector)
        starts = np.concatenate([[0], np.cumsum(ranker.item_counts[ids])[:-1]])
        self.values[ids] = np.maximum(np.maximum.reduceat(cosines, starts), self.values[ids])
        self.known |= new


DENSE_ITEM_MAX = 1.0  # a cosine of unit vectors (float32 rounding is left to topk's margin)


def ask_column(scores: np.ndarray, lexical: np.ndarray, best: float) -> np.ndarray:
    """The ``ask_model`` column from the asking sentence's scores under ``ASK_WEIGHTS`` and lexical
    evidence, and the best of those scores: each score minus the best, floored at ``ASK_FLOOR``
    (at the floor without lexical evidence)."""
    return np.maximum(np.where(lexical, scores - best, ASK_FLOOR), ASK_FLOOR).astype(np.float32)


def _set(text: str, lang: str) -> frozenset[str]:
    return frozenset(tokenize(text, lang, bigrams=False))
