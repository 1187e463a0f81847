"""The English and Italian texts of an article state the same figures and the same advice.

Every number of the English text (summary, approach, best practices, alternatives) appears in
the Italian text (summary_it, approccio, buone pratiche, alternative) and the other way round;
numbers in code blocks and URLs and the numbers of ordered-list items are ignored, thousands
separators (50,000 / 50.000 / 50 000) and units (6 MB / 6MB) do not matter. Both languages have
as many best-practice bullets and as many alternative bullets.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from plumberforce.knowledge import load_articles

ARTICLES = load_articles()
FENCED = re.compile(r"^```.*?^```[ \t]*$", re.S | re.M)
URL = re.compile(r"https?://[^\s)>\]]+")
LIST_MARKER = re.compile(r"^([ \t]*)\d+[.)][ \t]", re.M)  # "1. " numbers steps, it states no figure
# A number not glued to a word before it (expr0, v2, SHA256 are names, not figures): digits with
# thousands groups (separated by ',', '.', a space or a no-break space) and an optional decimal part.
NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:(?:,|\.|[ \u00a0\u202f])\d{3}(?!\d))+(?![.,]\d)|(?<![\w.,])\d+(?:[.,]\d+)?")
BULLET = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]", re.M)
TEXTS = {
    "en": ("summary", ("Approach", "Best practices", "Alternatives")),
    "it": ("summary_it", ("Approccio", "Buone pratiche", "Alternative")),
}


def prose(article, lang: str) -> str:
    summary, sections = TEXTS[lang]
    text = "\n\n".join([getattr(article, summary), *(article.sections.get(s, "") for s in sections)])
    return LIST_MARKER.sub(r"\1- ", URL.sub(" ", FENCED.sub(" ", text)))


def numbers(text: str) -> set[str]:
    """The numbers of ``text``, normalised (``50.000`` -> ``50000``, ``2,5`` -> ``2.5``, ``67.0`` -> ``67``)."""
    found = set()
    for match in NUMBER.finditer(text):
        token = match.group(0)
        if re.fullmatch(r"\d{1,3}(?:[,. \u00a0\u202f]\d{3})+", token):
            token = re.sub(r"\D", "", token)
        value = Decimal(token.replace(",", "."))
        found.add(format(value.normalize(), "f") if value == value.to_integral() else str(value))
    return {str(int(Decimal(n))) if "." not in n else n for n in found}


def test_numbers_are_normalised() -> None:
    text = "50,000 rows, 50.000 righe, 50 000, 50000; 6 MB or 6MB; API 67.0; 2,5 s; expr0 v2 SHA256; 1, 2 and 3"
    assert numbers(text) == {"50000", "6", "67", "2.5", "1", "2", "3"}


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.id)
def test_both_languages_state_the_same_numbers(article) -> None:
    en, it = numbers(prose(article, "en")), numbers(prose(article, "it"))
    assert not en - it, f"{article.id}: only in the English text: {sorted(en - it, key=Decimal)}"
    assert not it - en, f"{article.id}: only in the Italian text: {sorted(it - en, key=Decimal)}"


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.id)
def test_both_languages_have_the_same_bullets(article) -> None:
    for en, it in (("Best practices", "Buone pratiche"), ("Alternatives", "Alternative")):
        count_en = len(BULLET.findall(article.sections.get(en, "")))
        count_it = len(BULLET.findall(article.sections.get(it, "")))
        assert count_en == count_it, f"{article.id}: {count_en} bullets in '{en}', {count_it} in '{it}'"
