"""What is indexed of an article, field by field, and the retrieval tokens of a question.

Fields people search by count more than body text: each field's tokens are repeated
``FIELD_WEIGHTS`` times in the indexed document, and each field is stemmed in its own language.
The body is tokenized passage by passage (:mod:`plumberforce.knowledge.passages`), so each
paragraph is tokenized once for both the article and the passage index.
"""

from __future__ import annotations

from collections.abc import Callable

from plumberforce.errors import Lang
from plumberforce.knowledge.articles import Article
from plumberforce.knowledge.language import detect_language
from plumberforce.knowledge.passages import Passage, body_tokens
from plumberforce.knowledge.text import tokenize, tokens_and_groups, word_groups

FIELD_WEIGHTS = {
    "title": 3,
    "tags": 3,
    "keywords": 2,
    "errors": 2,
    "summary": 1,
    "body": 1,
}
# Field groups with an index of their own (features of plumberforce.knowledge.ranking).
FIELD_GROUPS = {
    "title": ("title", "tags"),
    "keywords": ("keywords", "errors"),
    "summary": ("summary",),
    "body": ("body",),
}
Fields = list[tuple[str, list[str]]]


def text_fields(article: Article) -> list[tuple[str, str, str]]:
    """(field, language, text) triples indexed for ``article``, the body apart."""
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
    ]


def meta_text(article: Article) -> str:
    """What the article's dense vector is computed from: titles, tags, keywords and summaries."""
    return " ; ".join(
        [article.title, article.title_it, *article.tags, *article.tags_it, *article.keywords, *article.keywords_it]
        + [article.summary, article.summary_it]
    )


def field_tokens(article: Article, passages: list[Passage], tokens: list[list[str]]) -> Fields:
    """(field, tokens) for every indexed field of ``article``, each tokenized in its language; the
    body from its passages' ``tokens``."""
    fields = [(name, tokenize(text, lang)) for name, lang, text in text_fields(article)]
    return fields + [("body", body_tokens(passages, tokens, lang)) for lang in ("en", "it")]


def document_tokens(fields: Fields) -> list[str]:
    """The weighted token list indexed for an article, from its :func:`field_tokens`."""
    out: list[str] = []
    for name, tokens in fields:
        out.extend(tokens * FIELD_WEIGHTS[name])
    return out


def group_tokens(fields: Fields, group: str) -> list[str]:
    """The tokens of one of :data:`FIELD_GROUPS`, unweighted."""
    names = FIELD_GROUPS[group]
    return [t for name, tokens in fields if name in names for t in tokens]


def _stemming(question: str) -> str | None:
    """How a question is stemmed: an Italian one both ways (it usually quotes English errors and
    API names), an English one only in English."""
    return None if detect_language(question) == "it" else "en"


def query_tokens(question: str, correct: Callable[[str], str | None] | None = None) -> list[str]:
    """The distinct retrieval tokens of a question, in order (stemmed as :func:`_stemming` says)."""
    return list(dict.fromkeys(t for t in tokenize(question, _stemming(question), correct=correct) if not t.isdigit()))


def query_groups(question: str, correct: Callable[[str], str | None] | None = None) -> list[tuple[str, ...]]:
    """The question's unigram tokens grouped by word (:func:`~plumberforce.knowledge.text.word_groups`),
    stemmed as in :func:`query_tokens`."""
    return word_groups(question, _stemming(question), correct=correct)


def query_analysis(
    question: str, correct: Callable[[str], str | None] | None = None
) -> tuple[list[str], list[tuple[str, ...]], Lang]:
    """:func:`query_tokens` and :func:`query_groups` of ``question`` from one walk over it, and the
    language it was detected in."""
    lang = detect_language(question)
    tokens, groups = tokens_and_groups(question, None if lang == "it" else "en", correct=correct)
    return list(dict.fromkeys(t for t in tokens if not t.isdigit())), groups, lang
