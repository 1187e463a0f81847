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
from plumberforce.knowledge.focus import Coverage
from plumberforce.knowledge.postings import Postings
from plumberforce.knowledge.segments import Segments
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
RANK_DENSE = 1.0  # passage ranking: cosine with the question, next to its BM25 scaled to the best
RANK_ARTICLE = 0.5  # passage ranking: its article's retrieval score relative to the best article
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
        if section is None or lang is None:
            continue
        for order, (text, code) in enumerate(_blocks(body)):
            out.append(Passage(index, lang, section, order, text, tuple(code)))
    for order, fact in enumerate(article.facts):
        out.append(Passage(index, "en", "fact", order, fact.label))
        out.append(Passage(index, "it", "fact", order, fact.label_it))
    return out


def body_tokens(passages: Sequence[Passage], tokens: Sequence[list[str]], lang: str) -> list[str]:
    """The body tokens of one article in ``lang``: its approach, best-practice and alternative
    passages' tokens, and its code (identifiers, in English)."""
    out: list[str] = []
    for passage, passage_tokens in zip(passages, tokens, strict=True):
        if passage.section in ("summary", "fact"):
            continue
        if passage.lang == lang:
            out.extend(passage_tokens)
        if lang == "en":
            for code in passage.code:
                out.extend(tokenize(code, "en"))
    return out


class PassageIndex:
    """BM25 over every passage of the knowledge base (tokens: the passage's, then its article
    title's), with their dense vectors when the knowledge base computes them."""

    def __init__(self, articles: Sequence[Article], passages: Sequence[Passage], tokens: Sequence[list[str]]):
        self.passages = list(passages)
        self.article_of = np.array([p.article for p in self.passages], dtype=np.int64)
        self.count = len(articles)
        self._segments = Segments(self.article_of, self.count)
        titles = {(i, lang): tokenize(a.title_for(lang), lang) for i, a in enumerate(articles) for lang in ("en", "it")}
        self._retriever = bm25s.BM25(k1=1.2, b=0.75)
        corpus = [t + titles[(p.article, p.lang)] for p, t in zip(self.passages, tokens, strict=True)]
        self._retriever.index(corpus, show_progress=False)
        self._postings = Postings([self._retriever])
        # IDF-weighted share of a question's words each passage uses (the best one's is a feature)
        self.coverage = Coverage(self._postings)
        self._groups: dict[tuple[int, str], np.ndarray] = {}
        for i, p in enumerate(self.passages):
            self._groups.setdefault((p.article, p.lang), []).append(i)  # type: ignore[arg-type]
        self._groups = {k: np.array(v, dtype=np.int64) for k, v in self._groups.items()}
        self.vectors = np.zeros((len(self.passages), 0), dtype=np.float32)  # set by the knowledge base

    def rank(
        self, bm25: np.ndarray, vector: np.ndarray, articles: dict[int, float], lang: str, n: int
    ) -> list[tuple[int, float]]:
        """The ``n`` best (passage index, score) in ``lang`` among the passages of ``articles``
        (article index -> its retrieval score relative to the best article)."""
        present = [a for a in articles if (a, lang) in self._groups]
        if not present:
            return []
        groups = [self._groups[(a, lang)] for a in present]
        idx = np.concatenate(groups)
        lexical = bm25[idx]
        score = lexical / max(float(lexical.max()), 1e-9) + RANK_DENSE * (self.vectors[idx] @ vector)
        relative = np.array([articles[a] for a in present], dtype=np.float32)  # each passage: its article's
        score += RANK_ARTICLE * np.repeat(relative, [len(g) for g in groups])
        order = np.argsort(-score, kind="stable")[:n]
        return [(int(idx[i]), float(score[i])) for i in order]

    def bm25(self, tokens: list[str]) -> np.ndarray:
        """BM25 of every passage for the question's retrieval tokens."""
        if not tokens:
            return np.zeros(len(self.passages), dtype=np.float32)
        return self._postings.first(tokens)

    def best_per_article(self, scores: np.ndarray) -> np.ndarray:
        """The best passage score of each article."""
        return self._segments.max(scores.astype(np.float32))
