"""Retrieval over the knowledge base: BM25 (bm25s) with weighted fields.

The index is built from the article files at start-up (a few milliseconds for a hundred
articles), so adding an article is adding a file. Fields people search by count more than body
text: each field's tokens are repeated ``FIELD_WEIGHTS`` times in the indexed document.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np

from plumberforce.knowledge.articles import ARTICLES_DIR, Article, load_articles
from plumberforce.knowledge.text import tokenize

log = logging.getLogger(__name__)

FIELD_WEIGHTS = {
    "title": 3,
    "tags": 3,
    "keywords": 2,
    "errors": 2,
    "summary": 1,
    "body": 1,
}


@dataclass(frozen=True)
class Hit:
    """An article and its retrieval score for one question."""

    article: Article
    score: float


def _fields(article: Article) -> dict[str, str]:
    return {
        "title": f"{article.title} {article.title_it}",
        "tags": " ".join(article.tags + article.tags_it),
        "keywords": " ".join(article.keywords + article.keywords_it),
        "errors": " ".join(article.errors),
        "summary": f"{article.summary} {article.summary_it}",
        "body": " ".join(article.sections.values()),
    }


def document_tokens(article: Article) -> list[str]:
    """The weighted token list indexed for ``article``."""
    tokens: list[str] = []
    for name, text in _fields(article).items():
        tokens.extend(tokenize(text) * FIELD_WEIGHTS[name])
    return tokens


class KnowledgeBase:
    """The loaded articles and their BM25 index."""

    def __init__(self, articles: list[Article]):
        if not articles:
            raise ValueError("the knowledge base has no articles")
        self.articles = articles
        self.by_id = {a.id: a for a in articles}
        self._retriever = bm25s.BM25()
        corpus = [document_tokens(a) for a in articles]
        self._retriever.index(corpus, show_progress=False)
        digest = hashlib.sha256()
        for article, tokens in zip(articles, corpus):
            digest.update(article.id.encode())
            digest.update(repr(article).encode())
            digest.update(" ".join(tokens).encode())
        self.version = digest.hexdigest()[:16]

    @classmethod
    def load(cls, directory: Path = ARTICLES_DIR) -> KnowledgeBase:
        return cls(load_articles(directory))

    def scores(self, question: str) -> np.ndarray:
        """BM25 score of every article (in ``self.articles`` order) for ``question``."""
        tokens = tokenize(question)
        if not tokens:
            return np.zeros(len(self.articles), dtype=np.float32)
        return self._retriever.get_scores(tokens)

    def search(self, question: str, k: int = 3) -> list[Hit]:
        """The ``k`` best articles with a positive score, best first."""
        scores = self.scores(question)
        order = np.argsort(-scores, kind="stable")[:k]
        return [Hit(self.articles[i], float(scores[i])) for i in order if scores[i] > 0]
