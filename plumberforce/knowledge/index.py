"""Retrieval over the knowledge base: field-weighted BM25, per-field and passage BM25, dense
vectors, pasted errors and stated figures, combined by a linear model learned on the dev set.

The index is built from the article files at start-up (one to three seconds for 180 articles
on a busy 2-core machine), or read from its cache in the data directory, so adding an article is
adding a file. For a question (a leading role-play sentence dropped first,
:mod:`plumberforce.knowledge.roleplay`) each article gets a row of features
(:mod:`plumberforce.knowledge.ranking`): its field-weighted BM25 (:mod:`plumberforce.knowledge.fields`),
the BM25 of its title/tags, keywords/errors, summaries and body alone, the BM25 of its best
passage (:mod:`plumberforce.knowledge.passages`), the cosine of WordLlama vectors
(:mod:`plumberforce.knowledge.dense`), how much of one of its listed errors the question pastes
(:mod:`plumberforce.knowledge.error_lookup`), whether a figure the question states is one of its
facts (:mod:`plumberforce.knowledge.premises`), how much of its title and tags the question
names (its title also by the asking sentence alone and by the scenario around it), the BM25
of what the question asks and the share of the question's words the article uses
(:mod:`plumberforce.knowledge.focus`), the same share for its best passage (each word counted
once whatever its forms), and how much of its title the question rules out.
Only articles with lexical evidence (BM25, a pasted error or a figure) can be hits. For an answer,
the verdict also carries the best passages of the best articles in the question's language.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import bm25s
import numpy as np

from plumberforce.knowledge.abuse import normalise
from plumberforce.knowledge.abuse_intent import excused_from_learned_abuse
from plumberforce.knowledge.articles import ARTICLES_DIR, Article, Fact, load_articles
from plumberforce.knowledge.cache import load_or_build
from plumberforce.knowledge.dense import Embedder
from plumberforce.knowledge.error_lookup import ErrorIndex, ErrorMatch
from plumberforce.knowledge.fields import (
    document_tokens,
    field_tokens,
    item_texts,
    meta_text,
    query_analysis,
    query_tokens,
    text_fields,
)
from plumberforce.knowledge.focus import asking_sentence, cut_head, negated
from plumberforce.knowledge.guard_model import MODEL_PATH as GUARD_MODEL_PATH
from plumberforce.knowledge.guard_model import GuardModel, scalars
from plumberforce.knowledge.language import detect_language
from plumberforce.knowledge.memory import QuestionMemory, load_entries, render
from plumberforce.knowledge.passages import Passage, PassageIndex, split_passages
from plumberforce.knowledge.premises import Claim, FactIndex, correction_message, corrections
from plumberforce.knowledge.ranking import BM25_PARAMS, FEATURES, TITLED_BONUS, DenseItems, Ranker
from plumberforce.knowledge.roleplay import strip_preamble
from plumberforce.knowledge.scope import FINGERPRINT as SCOPE_FINGERPRINT
from plumberforce.knowledge.scope import outside_scope, scope_message
from plumberforce.knowledge.spelling import Speller
from plumberforce.knowledge.text import STOP_WORDS, stem, tokenize, vocabulary_words, words
from plumberforce.knowledge.topicality import Kind, Lexicon, classify
from plumberforce.knowledge.topk import AskModel, Rows, top_scores

ERROR_BONUS = 0.6  # lift of an article whose listed error is pasted (x its best BM25), before ranking
FACT_BONUS = 0.3  # the same for an article holding a figure the question states
MEMORY_WEIGHT = 0.3  # the answered questions' vote (plumberforce.knowledge.memory), in units of the best score
PASSAGES = 20  # passages a verdict carries, for the offline answer and the model's grounding
__all__ = ["Hit", "KnowledgeBase", "PassageHit", "Verdict", "query_tokens"]


@dataclass(frozen=True)
class Hit:
    """An article and its retrieval score for one question."""

    article: Article
    score: float


@dataclass(frozen=True)
class PassageHit:
    """A passage of a retrieved article and how well it answers the question."""

    passage: Passage
    article: Article
    score: float


@dataclass(frozen=True)
class Verdict:
    """What the knowledge base makes of a question, before anyone answers it.

    ``kind`` says whether to answer (``on_topic``) or redirect; ``hits`` are the best articles,
    best first (empty unless on topic; possibly empty for a Salesforce question no article
    covers); ``passages`` the passages of those articles that answer the question best, best
    first, in the question's language; ``corrections`` are key figures the question states
    wrongly (a false premise); ``outside`` the products the question names that the knowledge
    base leaves out (:mod:`plumberforce.knowledge.scope`).
    """

    kind: Kind  # Literal["on_topic", "off_topic", "abuse", "injection"]
    hits: list[Hit] = field(default_factory=list)
    corrections: list[Fact] = field(default_factory=list)
    passages: list[PassageHit] = field(default_factory=list)
    outside: tuple[str, ...] = ()

    @property
    def redirect(self) -> bool:
        return self.kind != "on_topic"

    def preface(self, lang: str) -> str | None:
        """What an answer states before anything else, in ``lang``: the corrections of a false
        premise and the note on products outside the knowledge base (None: nothing)."""
        notes = [correction_message(self.corrections, lang), scope_message(self.outside, lang)]
        return "\n\n".join(note for note in notes if note) or None


@dataclass(frozen=True)
class _Features:
    """One text's features before ``dense_item`` and ``ask_model``, and what else its verdict needs."""

    text: str  # without its role-play preamble
    sentence: str  # its asking sentence (the text when it has one sentence)
    tokens: list[str]
    best_bm25: float
    errors: list[ErrorMatch]
    claims: list[Claim]
    lexical: np.ndarray
    features: np.ndarray
    passages: np.ndarray
    vector: np.ndarray
    lang: str


@dataclass(frozen=True)
class _Scored:
    """One question's retrieval: final scores (exact for the best articles, see :meth:`KnowledgeBase._score`),
    BM25 alone, pasted errors, stated figures, and the passage scores, question vector and
    language the passages are chosen with."""

    scores: np.ndarray
    best_bm25: float
    errors: list[ErrorMatch]
    claims: list[Claim]
    lexical: np.ndarray  # articles with any lexical evidence (BM25, a pasted error, a figure)
    # exact only as the scores are: with ``k``, an article not computed holds its bound in the dense_item and
    # ask_model columns (features() scores with k None)
    features: np.ndarray
    passages: np.ndarray
    vector: np.ndarray
    lang: str  # the question's language (with its role-play preamble), for the passages


class _Texts:
    """The analyses (:func:`~plumberforce.knowledge.fields.query_analysis`) and field-weighted BM25
    of the texts one question is scored on, each made once.

    A question with an asking sentence is scored twice (:meth:`KnowledgeBase._score`): whole,
    which tokenizes the asking sentence (its ``ask`` tokens) and the part of it that asks (its
    ``head``), then the asking sentence alone, which needs the same two. Both are pure functions of
    the text, so the second scoring reuses the first's; nothing is kept from one question to the
    next. ``query_tokens(text)`` is ``query_analysis(text)[0]`` (the same walk, the same stemming).
    """

    def __init__(self, kb: KnowledgeBase):
        self._kb = kb
        self._analyses: dict[str, tuple[list[str], list[tuple[str, ...]], str]] = {}
        self._bm25: dict[str, np.ndarray] = {}

    def analysis(self, text: str) -> tuple[list[str], list[tuple[str, ...]], str]:
        """``query_analysis(text)`` with the knowledge base's speller: tokens, groups, language."""
        if text not in self._analyses:
            self._analyses[text] = query_analysis(text, self._kb._speller.correct)
        return self._analyses[text]

    def tokens(self, text: str) -> list[str]:
        """``query_tokens(text)`` with the knowledge base's speller."""
        return self.analysis(text)[0]

    def bm25(self, text: str) -> np.ndarray:
        """The field-weighted BM25 of every article for ``text`` (not to be written to: shared)."""
        if text not in self._bm25:
            self._bm25[text] = self._kb._bm25(self.tokens(text))
        return self._bm25[text]


class KnowledgeBase:
    """The loaded articles with their BM25, error and fact indexes, and the topic lexicon."""

    def __init__(self, articles: list[Article], lexicon: Lexicon | None = None):
        if not articles:
            raise ValueError("the knowledge base has no articles")
        self.articles = articles
        self.by_id = {a.id: a for a in articles}
        self._position = {a.id: i for i, a in enumerate(articles)}
        self._retriever = bm25s.BM25(**BM25_PARAMS)
        passages = [split_passages(i, a) for i, a in enumerate(articles)]
        tokens = [[tokenize(p.text, p.lang) for p in group] for group in passages]
        fields = [field_tokens(a, p, t) for a, p, t in zip(articles, passages, tokens, strict=True)]
        corpus = [document_tokens(f) for f in fields]
        self._retriever.index(corpus, show_progress=False)
        known: set[str] = set()
        targets: Counter[str] = Counter()
        for article in articles:
            texts = text_fields(article)
            known.update(w for _, _, text in texts for w in words(text))
            known.update(w for text in article.sections.values() for w in words(text))
            targets.update({w for name, _, text in texts if name != "summary" for w in words(text)})
        self._speller = Speller(known | vocabulary_words(), targets)
        self._vocabulary = frozenset(known)
        self._errors = ErrorIndex([a.errors for a in articles], [a.title for a in articles])
        self._facts = FactIndex(articles)
        self.passages = PassageIndex(articles, [p for g in passages for p in g], [t for g in tokens for t in g])
        self._embedder = Embedder()
        metas = [meta_text(a) for a in articles]
        items = [item_texts(a) for a in articles]
        item_owner = np.repeat(np.arange(len(articles)), [len(i) for i in items])
        item_vectors = self._embedder.embed([t for i in items for t in i])
        self._ranker = Ranker(
            articles, fields, self._embedder.embed(metas), self._retriever, (item_vectors, item_owner)
        )
        self._postings = self._ranker.postings
        self.passages.vectors = self._embedder.embed([p.text for p in self.passages.passages])
        self.lexicon = lexicon or Lexicon.load()
        self.guard = GuardModel.load()
        asked = load_entries()
        self.memory = QuestionMemory(asked, self._position, len(articles), self._speller.correct)
        # the version keys cached answers: it changes with the articles, the tokens, the lexicon
        # and the ranking model (a refit or a new feature changes which articles answer)
        digest = hashlib.sha256(self.lexicon.fingerprint.encode())
        digest.update(repr(sorted(zip(FEATURES, self._ranker.weights.tolist(), strict=True))).encode())
        digest.update(render(asked).encode())
        digest.update(SCOPE_FINGERPRINT.encode())
        digest.update(GUARD_MODEL_PATH.read_bytes())  # the learned guard decides redirects too
        for article, tokens in zip(articles, corpus, strict=True):
            digest.update(article.id.encode())
            digest.update(repr(article).encode())
            digest.update(" ".join(tokens).encode())
        self.version = digest.hexdigest()[:16]

    @classmethod
    def load(cls, directory: Path = ARTICLES_DIR) -> KnowledgeBase:
        return cls(load_articles(directory))

    @classmethod
    def load_cached(cls, cache_dir: Path, directory: Path = ARTICLES_DIR) -> KnowledgeBase:
        """:meth:`load`, reusing a pickle of the built index in ``cache_dir`` when nothing changed
        (see :mod:`plumberforce.knowledge.cache`)."""
        return load_or_build(cls, lambda: cls.load(directory), cache_dir, directory)

    def bm25(self, question: str) -> np.ndarray:
        """Plain BM25 score of every article (in ``self.articles`` order) for ``question``."""
        return self._bm25(query_tokens(strip_preamble(question), self._speller.correct))

    def _bm25(self, tokens: list[str]) -> np.ndarray:
        return self._postings.first(tokens)

    def error_matches(self, question: str) -> list[ErrorMatch]:
        """Articles whose listed errors occur in ``question``, best match first."""
        return self._errors.matches(question)

    def _features(self, question: str, texts: _Texts | None = None) -> _Features:
        """Everything about ``question`` that its articles' scores are made of, with the
        ``dense_item`` and ``ask_model`` columns left for :meth:`_score` to fill (``texts``: the
        analyses already made for the same question, see :class:`_Texts`)."""
        texts = texts or _Texts(self)
        text = strip_preamble(question)
        tokens, groups, lang = texts.analysis(text)
        lexical_scores = self._postings.scores(tokens)
        bm25 = lexical_scores[0]
        top = max(float(bm25.max()), 1.0)
        scores = bm25.copy()
        errors = self.error_matches(question)
        for match in errors:
            weight = TITLED_BONUS if match.titled else 1.0
            scores[match.article] += ERROR_BONUS * weight * top * match.coverage
        claims: list[Claim] = []
        if any(map(str.isdigit, question)):
            ranking = [int(i) for i in np.argsort(-scores, kind="stable")[:5]]
            claims = self._facts.claims(question, ranking)
            for article in {a for c in claims for a in c.articles}:
                scores[article] += FACT_BONUS * top
        passages = self.passages.bm25(tokens)
        vector = self._embedder.embed_one(text)
        lexical = scores > 0
        sentence = asking_sentence(text)
        asked = cut_head(sentence)
        # the asked part's tokens, also the asking sentence's when cut_head kept it whole
        asked_tokens = tokens if asked == text else texts.tokens(asked)
        focus = bm25 if asked == text else texts.bm25(asked)
        best_passages = self.passages.best_per_article(passages)
        excluded = negated(text)
        ruled_out = tokenize(excluded, None, bigrams=False) if excluded else []
        passage_cover = self.passages.best_per_article(self.passages.coverage(groups))
        if sentence == text:
            ask = set(tokens)
        else:
            ask = set(asked_tokens if asked == sentence else texts.tokens(sentence))
        features = self._ranker.features(
            tokens,
            bm25,
            lexical_scores[1:],
            errors,
            claims,
            best_passages,
            vector,
            focus,
            ruled_out,
            passage_cover,
            ask,
        )
        lang = lang if text == question else detect_language(question)
        return _Features(
            text, sentence, tokens, float(bm25.max()), errors, claims, lexical, features, passages, vector, lang
        )

    def _score(self, question: str, k: int | None = None) -> _Scored:
        """Features and scores of every article, exact for the ``k`` best (all when None; see
        :mod:`plumberforce.knowledge.topk`). The asking sentence, when the question has others, is
        ranked alone by ``ASK_WEIGHTS`` for the ``ask_model`` column."""
        texts = _Texts(self)
        own = self._features(question, texts)
        dense = DenseItems(self._ranker, own.vector)
        rows = Rows(own.features, own.lexical, dense)
        if own.sentence != own.text:
            alone = self._features(own.sentence, texts)
            ask_rows = Rows(alone.features, alone.lexical, DenseItems(self._ranker, alone.vector))
        else:  # the question is its own asking sentence (with its ask_model column at 0)
            ask_rows = Rows(own.features.copy(), own.lexical, dense)
        if k is None:
            for each in (rows, ask_rows):
                each.dense.fill(np.ones(len(self.articles), dtype=bool))
        vote = self.memory.vote(own.tokens) if MEMORY_WEIGHT and own.lexical.any() else None
        ask = AskModel(ask_rows, self._ranker.ask_weights)
        scores = top_scores(rows, ask, self._ranker.weights, MEMORY_WEIGHT, vote, k)
        return _Scored(
            scores, own.best_bm25, own.errors, own.claims, own.lexical, own.features, own.passages, own.vector, own.lang
        )

    def features(self, question: str) -> tuple[np.ndarray, np.ndarray]:
        """The ranking features of every article for ``question`` and which articles have lexical
        evidence (the only ones that can be hits); for ``bench/learn_ranking.py``."""
        scored = self._score(question)
        return scored.features, scored.lexical

    def unknown_share(self, question: str) -> float:
        """Share of the question's content words (3+ letters) that no article uses, in any form."""
        content = {w for w in words(question) if len(w) >= 3 and w not in STOP_WORDS}
        vocabulary = self._retriever.vocab_dict
        unknown = sum(
            w not in self._vocabulary and stem(w, "en") not in vocabulary and stem(w, "it") not in vocabulary
            for w in content
        )
        return unknown / len(content) if content else 1.0

    def scores(self, question: str) -> np.ndarray:
        """Retrieval score of every article (0 for those without lexical evidence)."""
        return self._score(question).scores

    def _hits(self, scores: np.ndarray, k: int) -> list[Hit]:
        order = np.argsort(-scores, kind="stable")[:k]
        return [Hit(self.articles[i], float(scores[i])) for i in order if scores[i] > 0]

    def search(self, question: str, k: int = 3) -> list[Hit]:
        """The ``k`` best articles with a positive score, best first."""
        return self._hits(self._score(question, k).scores, k)

    def analyse(self, question: str, k: int = 3, passages: int = PASSAGES) -> Verdict:
        """Whether to answer ``question``, with which articles and passages, and what it states wrongly."""
        return self._verdict(question, self._score(question, k), k, passages)

    def search_and_analyse(self, question: str, ranked: int, k: int = 3) -> tuple[list[Hit], Verdict]:
        """``search(question, ranked)`` and ``analyse(question, k)`` from one scoring (``ranked`` >= ``k``:
        the scores exact for the ``ranked`` best are exact for the ``k`` best); for the evaluation."""
        scored = self._score(question, max(ranked, k))
        return self._hits(scored.scores, ranked), self._verdict(question, scored, k, PASSAGES)

    def guard_inputs(self, question: str, scored: _Scored | None = None) -> tuple[Kind, np.ndarray, np.ndarray]:
        """The rules' kind of ``question`` and what the learned guard reads (its vector and scalars,
        :mod:`plumberforce.knowledge.guard_model`), whatever the rules say: ``bench/learn_guard.py``
        fits on the scalars of the lines the rules redirect too."""
        scored = scored or self._score(question, 3)
        coverage = scored.errors[0].coverage if scored.errors else 0.0
        # the unknown share without a role-play preamble ("pretend you're a senior consultant:"), whose
        # words no article uses
        unknown = self.unknown_share(strip_preamble(question))
        kind = classify(question, self.lexicon, scored.best_bm25, coverage, unknown)
        row = scalars(
            scored.best_bm25,
            unknown,
            self.lexicon.counts(question),
            len(question.split()),
            coverage,
            float(scored.scores.max()),
            scored.features,
        )
        return kind, scored.vector, row

    def _verdict(self, question: str, scored: _Scored, k: int, passages: int) -> Verdict:
        kind, vector, row = self.guard_inputs(question, scored)
        if kind == "on_topic":  # the learned guard may only add redirects to the rules'
            learned = self.guard.kind(question, vector, row)
            # but not an abuse redirect of an admin resetting or unlocking the org's own users, nor of someone
            # keeping up with their own work while on holiday (the question is normalised only then)
            if learned and not (learned == "abuse" and excused_from_learned_abuse(normalise(question))):
                kind = learned
        if kind != "on_topic":
            return Verdict(kind)
        hits = self._hits(scored.scores, k)
        found = self._passage_hits(question, scored, hits, passages)
        return Verdict(kind, hits, corrections(scored.claims), found, outside_scope(question))

    def _passage_hits(self, question: str, scored: _Scored, hits: list[Hit], n: int) -> list[PassageHit]:
        """The ``n`` passages of ``hits`` (in the question's language) that answer it best."""
        if not hits or n <= 0:
            return []
        best = max(hits[0].score, 1e-9)
        articles = {self._position[h.article.id]: h.score / best for h in hits}
        ranked = self.passages.rank(scored.passages, scored.vector, articles, scored.lang, n)
        return [
            PassageHit(self.passages.passages[i], self.articles[self.passages.passages[i].article], score)
            for i, score in ranked
        ]
