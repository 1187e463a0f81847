"""Retrieval over the knowledge base: BM25 (bm25s) on weighted fields, plus error-message lookup.

The index is built from the article files at start-up (a few hundred milliseconds for a hundred
articles), so adding an article is adding a file. Fields people search by count more than body
text: each field's tokens are repeated ``FIELD_WEIGHTS`` times in the indexed document, and each
field is stemmed in its own language. A pasted error that matches an article's ``errors`` list
(see :mod:`plumberforce.knowledge.error_lookup`) lifts that article by ``ERROR_BONUS`` times the
best BM25 score of the question, so the article that explains the error comes first even when
the stack trace around it is noisy; a figure the question states ("500 callouts") lifts the
article whose ``facts`` hold it by ``FACT_BONUS`` (see :mod:`plumberforce.knowledge.premises`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import bm25s
import numpy as np

from plumberforce.knowledge.articles import ARTICLES_DIR, Article, Fact, load_articles
from plumberforce.knowledge.error_lookup import ErrorIndex, ErrorMatch
from plumberforce.knowledge.language import detect_language
from plumberforce.knowledge.premises import Claim, FactIndex, corrections
from plumberforce.knowledge.spelling import Speller
from plumberforce.knowledge.text import STOP_WORDS, stem, tokenize, words
from plumberforce.knowledge.topicality import Kind, Lexicon, classify

log = logging.getLogger(__name__)
_CODE_DIR = Path(__file__).parent

FIELD_WEIGHTS = {
    "title": 3,
    "tags": 3,
    "keywords": 2,
    "errors": 2,
    "summary": 1,
    "body": 1,
}
BM25_PARAMS = {"k1": 1.2, "b": 0.75}
ERROR_BONUS = 0.6
TITLED_BONUS = 1.5  # the article whose title names the error explains it best
FACT_BONUS = 0.3
_BODY_IT = {"Approccio", "Buone pratiche", "Alternative"}


@dataclass(frozen=True)
class Hit:
    """An article and its retrieval score for one question."""

    article: Article
    score: float


@dataclass(frozen=True)
class Verdict:
    """What the knowledge base makes of a question, before anyone answers it.

    ``kind`` says whether to answer (``on_topic``) or redirect; ``hits`` are the best articles,
    best first (empty unless on topic; possibly empty for a Salesforce question no article
    covers); ``corrections`` are key figures the question states wrongly (a false premise).
    """

    kind: Kind  # Literal["on_topic", "off_topic", "abuse", "injection"]
    hits: list[Hit] = field(default_factory=list)
    corrections: list[Fact] = field(default_factory=list)

    @property
    def redirect(self) -> bool:
        return self.kind != "on_topic"


def _fields(article: Article) -> list[tuple[str, str, str]]:
    """(field, language, text) triples indexed for ``article``."""
    body_en = " ".join(t for h, t in article.sections.items() if h not in _BODY_IT)
    body_it = " ".join(t for h, t in article.sections.items() if h in _BODY_IT)
    return [
        ("title", "en", article.title),
        ("title", "it", article.title_it),
        ("tags", "en", " ; ".join(article.tags)),
        ("tags", "it", " ; ".join(article.tags_it)),
        ("keywords", "en", " ; ".join(article.keywords)),
        ("keywords", "it", " ; ".join(article.keywords_it)),
        ("errors", "en", " ; ".join(article.errors)),
        ("summary", "en", article.summary),
        ("summary", "it", article.summary_it),
        ("body", "en", body_en),
        ("body", "it", body_it),
    ]


def document_tokens(article: Article) -> list[str]:
    """The weighted token list indexed for ``article``."""
    tokens: list[str] = []
    for name, lang, text in _fields(article):
        tokens.extend(tokenize(text, lang) * FIELD_WEIGHTS[name])
    return tokens


def query_tokens(question: str, correct: Callable[[str], str | None] | None = None) -> list[str]:
    """The distinct retrieval tokens of a question, in order.

    An Italian question is stemmed both ways (it usually quotes English errors and API names);
    an English one only in English.
    """
    lang = None if detect_language(question) == "it" else "en"
    return list(dict.fromkeys(t for t in tokenize(question, lang, correct=correct) if not t.isdigit()))


@dataclass(frozen=True)
class _Scored:
    """One question's retrieval: final scores, BM25 alone, pasted errors and stated figures."""

    scores: np.ndarray
    best_bm25: float
    errors: list[ErrorMatch]
    claims: list[Claim]


class KnowledgeBase:
    """The loaded articles with their BM25, error and fact indexes, and the topic lexicon."""

    def __init__(self, articles: list[Article], lexicon: Lexicon | None = None):
        if not articles:
            raise ValueError("the knowledge base has no articles")
        self.articles = articles
        self.by_id = {a.id: a for a in articles}
        self._retriever = bm25s.BM25(**BM25_PARAMS)
        corpus = [document_tokens(a) for a in articles]
        self._retriever.index(corpus, show_progress=False)
        known: set[str] = set()
        targets: Counter[str] = Counter()
        for article in articles:
            fields = _fields(article)
            known.update(w for _, _, text in fields for w in words(text))
            targets.update({w for name, _, text in fields if name not in ("summary", "body") for w in words(text)})
        self._speller = Speller(known, targets)
        self._vocabulary = frozenset(known)
        self._errors = ErrorIndex([a.errors for a in articles], [a.title for a in articles])
        self._facts = FactIndex(articles)
        self.lexicon = lexicon or Lexicon.load()
        digest = hashlib.sha256(self.lexicon.fingerprint.encode())
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
        """:meth:`load`, reusing a pickle of the built index in ``cache_dir`` when nothing changed.

        The cache file is named after a hash of every article file and of the knowledge code and
        vocabularies, so adding or editing an article (or upgrading Plumberforce) rebuilds the
        index at the next start and nothing else is needed. The file is written atomically and
        only ever read from our own data directory.
        """
        digest = hashlib.sha256()
        for path in sorted(directory.glob("*.md")) + sorted(_CODE_DIR.glob("*.py")) + sorted(_CODE_DIR.glob("*.yaml")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        cache = cache_dir / f"knowledge-{digest.hexdigest()[:20]}.pickle"
        try:
            with cache.open("rb") as handle:
                kb = pickle.load(handle)  # noqa: S301 (our own file, named by the content's hash)
            if isinstance(kb, cls):
                return kb
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            pass
        kb = cls.load(directory)
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            for old in cache_dir.glob("knowledge-*.pickle"):
                old.unlink(missing_ok=True)
            tmp = cache.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(pickle.dumps(kb, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, cache)
        except OSError as exc:
            log.warning("could not cache the knowledge index in %s: %s", cache_dir, exc)
        return kb

    def bm25(self, question: str) -> np.ndarray:
        """Plain BM25 score of every article (in ``self.articles`` order) for ``question``."""
        tokens = query_tokens(question, self._speller.correct)
        if not tokens:
            return np.zeros(len(self.articles), dtype=np.float32)
        return self._retriever.get_scores(tokens)

    def error_matches(self, question: str) -> list[ErrorMatch]:
        """Articles whose listed errors occur in ``question``, best match first."""
        return self._errors.matches(question)

    def _score(self, question: str) -> _Scored:
        bm25 = self.bm25(question)
        top = max(float(bm25.max()), 1.0)
        scores = bm25.copy()
        errors = self.error_matches(question)
        for match in errors:
            weight = TITLED_BONUS if match.titled else 1.0
            scores[match.article] += ERROR_BONUS * weight * top * match.coverage
        claims: list[Claim] = []
        if any(c.isdigit() for c in question):
            ranking = [int(i) for i in np.argsort(-scores, kind="stable")[:5]]
            claims = self._facts.claims(question, ranking)
            for article in {a for c in claims for a in c.articles}:
                scores[article] += FACT_BONUS * top
        return _Scored(scores, float(bm25.max()), errors, claims)

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
        """Retrieval score of every article: BM25 lifted by pasted errors and stated figures."""
        return self._score(question).scores

    def _hits(self, scores: np.ndarray, k: int) -> list[Hit]:
        order = np.argsort(-scores, kind="stable")[:k]
        return [Hit(self.articles[i], float(scores[i])) for i in order if scores[i] > 0]

    def search(self, question: str, k: int = 3) -> list[Hit]:
        """The ``k`` best articles with a positive score, best first."""
        return self._hits(self.scores(question), k)

    def analyse(self, question: str, k: int = 3) -> Verdict:
        """Whether to answer ``question``, with which articles, and what it states wrongly."""
        scored = self._score(question)
        coverage = scored.errors[0].coverage if scored.errors else 0.0
        kind = classify(question, self.lexicon, scored.best_bm25, coverage, self.unknown_share(question))
        if kind != "on_topic":
            return Verdict(kind)
        return Verdict(kind, self._hits(scored.scores, k), corrections(scored.claims))
