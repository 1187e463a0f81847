"""Retrieval over the knowledge base: BM25 (bm25s) on weighted fields, plus error-message lookup.

The index is built from the article files at start-up (tens of milliseconds for a hundred
articles), so adding an article is adding a file. Fields people search by count more than body
text: each field's tokens are repeated ``FIELD_WEIGHTS`` times in the indexed document, and each
field is stemmed in its own language. A pasted error that matches an article's ``errors`` list
(see :mod:`plumberforce.knowledge.error_lookup`) lifts that article by ``ERROR_BONUS`` times the
best BM25 score of the question, so the article that explains the error comes first even when
the stack trace around it is noisy.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np

from plumberforce.knowledge.articles import ARTICLES_DIR, Article, load_articles
from plumberforce.knowledge.error_lookup import ErrorIndex, ErrorMatch
from plumberforce.knowledge.text import tokenize
from plumberforce.lang import detect_language

log = logging.getLogger(__name__)

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
_BODY_IT = {"Approccio", "Buone pratiche", "Alternative"}


@dataclass(frozen=True)
class Hit:
    """An article and its retrieval score for one question."""

    article: Article
    score: float


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


def query_tokens(question: str) -> list[str]:
    """The distinct retrieval tokens of a question, in order.

    An Italian question is stemmed both ways (it usually quotes English errors and API names);
    an English one only in English.
    """
    lang = None if detect_language(question) == "it" else "en"
    return list(dict.fromkeys(tokenize(question, lang)))


class KnowledgeBase:
    """The loaded articles, their BM25 index and their error index."""

    def __init__(self, articles: list[Article]):
        if not articles:
            raise ValueError("the knowledge base has no articles")
        self.articles = articles
        self.by_id = {a.id: a for a in articles}
        self._retriever = bm25s.BM25(**BM25_PARAMS)
        corpus = [document_tokens(a) for a in articles]
        self._retriever.index(corpus, show_progress=False)
        self._errors = ErrorIndex([a.errors for a in articles])
        digest = hashlib.sha256()
        for article, tokens in zip(articles, corpus, strict=True):
            digest.update(article.id.encode())
            digest.update(repr(article).encode())
            digest.update(" ".join(tokens).encode())
        self.version = digest.hexdigest()[:16]

    @classmethod
    def load(cls, directory: Path = ARTICLES_DIR) -> KnowledgeBase:
        return cls(load_articles(directory))

    def bm25(self, question: str) -> np.ndarray:
        """Plain BM25 score of every article (in ``self.articles`` order) for ``question``."""
        tokens = query_tokens(question)
        if not tokens:
            return np.zeros(len(self.articles), dtype=np.float32)
        return self._retriever.get_scores(tokens)

    def error_matches(self, question: str) -> list[ErrorMatch]:
        """Articles whose listed errors occur in ``question``, best match first."""
        return self._errors.matches(question)

    def scores(self, question: str) -> np.ndarray:
        """Retrieval score of every article: BM25 lifted by pasted-error matches."""
        scores = self.bm25(question)
        matches = self.error_matches(question)
        if matches:
            scores = scores.copy()
            lift = ERROR_BONUS * max(float(scores.max()), 1.0)
            for match in matches:
                scores[match.article] += lift * match.coverage
        return scores

    def search(self, question: str, k: int = 3) -> list[Hit]:
        """The ``k`` best articles with a positive score, best first."""
        scores = self.scores(question)
        order = np.argsort(-scores, kind="stable")[:k]
        return [Hit(self.articles[i], float(scores[i])) for i in order if scores[i] > 0]
