"""Passages: the pieces of an article that answer one thing, and their index.

An article is split into passages in both languages: its summary, each paragraph or list item
of the approach (code blocks are kept aside, attached to the paragraph they follow), each bullet
of best practices and alternatives, and each fact's label. Passages are scored for a question
by BM25 on their own tokens (plus the article title, so "it" in a bullet still belongs to its
topic) and by the cosine of their dense vector with the question's. Retrieval uses the best
passage of each article as one signal among others; the offline engine and the model's prompt
use the best passages themselves: the few sentences that answer *this* question.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import bm25s
import numpy as np

from plumberforce.knowledge.articles import Article
from plumberforce.knowledge.text import tokenize

# heading -> (section name, language)
SECTIONS = {
    "Approach": ("approach", "en"),
    "Approccio": ("approach", "it"),
    "Best practices": ("best_practices", "en"),
    "Buone pratiche": ("best_practices", "it"),
    "Alternatives": ("alternatives", "en"),
    "Alternative": ("alternatives", "it"),
}
MIN_CHARS = 25
_CODE = re.compile(r"^```[^\n]*\n.*?^```[ \t]*$", re.S | re.M)
_ITEM = re.compile(r"^(?:[-*]|\d+\.)\s+", re.M)


@dataclass(frozen=True)
class Passage:
    """One answerable piece of an article, in one language.

    ``section`` is ``summary``, ``approach``, ``best_practices``, ``alternatives`` or ``fact``;
    ``order`` keeps the article's order within a section; ``code`` holds the code blocks that
    follow an approach paragraph (shown with it).
    """

    article: int
    lang: str
    section: str
    order: int
    text: str
    code: tuple[str, ...] = ()


def _pieces(chunk: str) -> list[str]:
    """A paragraph, or the lead-in and each item of a list, without list markers."""
    starts = [m.start() for m in _ITEM.finditer(chunk)]
    cuts = [0, *starts, len(chunk)] if starts else [0, len(chunk)]
    pieces = [chunk[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]
    pieces = [_ITEM.sub("", p, count=1) if a in starts else p for a, p in zip(cuts, pieces, strict=False)]
    return [" ".join(p.split()) for p in pieces if p.strip()]


def _blocks(body: str) -> list[tuple[str, list[str]]]:
    """(prose, code blocks right after it) for a section body."""
    out: list[tuple[str, list[str]]] = []
    last = 0
    for match in [*_CODE.finditer(body), None]:
        prose = body[last : match.start() if match else len(body)]
        for chunk in re.split(r"\n\s*\n", prose):
            out.extend((piece, []) for piece in _pieces(chunk))
        if match:
            if out:
                out[-1][1].append(match.group(0))
            last = match.end()
    return out


def split_passages(index: int, article: Article) -> list[Passage]:
    """Every passage of ``article`` (``index`` is its position in the knowledge base)."""
    out = [
        Passage(index, "en", "summary", 0, article.summary),
        Passage(index, "it", "summary", 0, article.summary_it),
    ]
    for heading, body in article.sections.items():
        section, lang = SECTIONS.get(heading, (None, None))
        if section is None:
            continue
        for order, (text, code) in enumerate(_blocks(body)):
            if len(text) >= MIN_CHARS or code:
                out.append(Passage(index, lang, section, order, text, tuple(code)))
    for order, fact in enumerate(article.facts):
        out.append(Passage(index, "en", "fact", order, fact.label))
        out.append(Passage(index, "it", "fact", order, fact.label_it))
    return out


def passage_tokens(passage: Passage, article: Article) -> list[str]:
    return tokenize(passage.text, passage.lang) + tokenize(article.title_for(passage.lang), passage.lang)


class PassageIndex:
    """BM25 over every passage of the knowledge base, with their dense vectors."""

    def __init__(self, articles: Sequence[Article], vectors: np.ndarray | None = None):
        self.passages = [p for i, a in enumerate(articles) for p in split_passages(i, a)]
        self.article_of = np.array([p.article for p in self.passages], dtype=np.int64)
        self.count = len(articles)
        self._retriever = bm25s.BM25(k1=1.2, b=0.75)
        self._retriever.index([passage_tokens(p, articles[p.article]) for p in self.passages], show_progress=False)
        self.vectors = vectors

    def bm25(self, tokens: list[str]) -> np.ndarray:
        """BM25 of every passage for the question's retrieval tokens."""
        if not tokens:
            return np.zeros(len(self.passages), dtype=np.float32)
        return self._retriever.get_scores(tokens)

    def best_per_article(self, scores: np.ndarray) -> np.ndarray:
        """The best passage score of each article."""
        out = np.zeros(self.count, dtype=np.float32)
        np.maximum.at(out, self.article_of, scores.astype(np.float32))
        return out
