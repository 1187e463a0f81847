"""Figures that recur across articles (governor limits, defaults, API versions and their
releases, and every ``facts`` entry stated by more than one article) say the same thing everywhere,
in both languages."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

import pytest

from plumberforce.knowledge import Article, load_articles

ARTICLES = load_articles()
N = r"(\d{1,3}(?:[.,]\d{3})+|\d+)"
# name -> (pattern: the first non-empty group is the figure, allowed figures)
RECURRING = {
    "SOQL queries per transaction": (
        rf"{N}\s+(?:synchronous\s+|asynchronous\s+)?(?:SOQL\b(?!\s+rows)|query\s+SOQL\b)",
        {100, 200},
    ),
    "DML statements per transaction": (
        rf"{N}\s+(?:DML\b(?!\s+(?:rows|records))|istruzioni\s+DML|operazioni\s+DML)",
        {150},
    ),
    "records processed by DML": (rf"{N}\s+(?:DML\s+rows|righe\s+DML|DML\s+records|record\s+DML)", {10000}),
    "rows retrieved by SOQL": (
        rf"{N}\s+(?:query\s+rows|righe\s+di\s+query)|(?:SOQL|DML),\s+{N}\s+(?:rows|righe)"
        rf"|limite\s+di\s+{N}\s+righe(?!\s+DML)",
        {50000},
    ),
    "heap size": (rf"{N}\s*MB\s+(?:of\s+)?heap|heap[^.\d\n]{{0,30}}?{N}\s*MB", {6, 12}),
    "CPU time": (rf"{N}\s*ms\s+(?:of\s+)?(?:di\s+)?CPU|CPU(?:\s+time)?[^.\d\n]{{0,30}}?{N}\s*ms", {10000, 60000}),
    # 100 per transaction; a Continuation holds up to 3 callouts in parallel
    "callouts per transaction": (rf"{N}\s+callouts?\b", {100, 3}),
    "future calls per transaction": (
        rf"{N}\s+(?:future\s+(?:calls|methods|invocations)|chiamate\s+future|metodi\s+future)",
        {50},
    ),
    "SOSL searches per transaction": (rf"{N}\s+(?:SOSL\s+(?:searches|queries)|ricerche\s+SOSL|query\s+SOSL)", {20}),
    "records per SOSL search": (rf"{N}\s+SOSL\s+(?:rows|records)", {2000}),
    "selectivity thresholds": (
        rf"{N}\s*%\s+(?:of\s+the\s+first|del\s+primo)\s+(?:million|milione)"
        rf"|(?:first\s+million|primo\s+milione)[^.\n]{{0,60}}?(?:at\s+most|up\s+to|al\s+massimo|fino\s+a)\s+{N}",
        {30, 10, 1000000, 333333},
    ),
    "code coverage to deploy": (rf"{N}\s*%\s+(?:(?:of\s+)?(?:code\s+)?coverage|(?:di\s+)?copertura)", {75}),
}
# "API version 67.0 (Summer '26)" or "Summer '26 (API 67.0)": one version per release
RELEASE = re.compile(
    r"(?:API\s+(?:version\s+|versione\s+)?|\bv)(\d{2})\.0\b[^.\n]{0,40}?\((Spring|Summer|Winter)\s+'(\d\d)\)"
    r"|(Spring|Summer|Winter)\s+'(\d\d)[^.\n]{0,25}?\(?(?:API\s+(?:version\s+|versione\s+)?|\bv)(\d{2})\.0",
    re.IGNORECASE,
)
SEASON = {"winter": -1, "spring": 0, "summer": 1}  # three releases a year; Spring '24 is API 60.0


def texts(article: Article) -> Iterator[tuple[str, str]]:
    """(where, text) for everything an article states, both languages, facts and front-matter."""
    yield "summary", article.summary
    yield "summary_it", article.summary_it
    yield from article.sections.items()
    for fact in article.facts:
        yield "fact", fact.label
        yield "fact_it", fact.label_it
    yield "tags/keywords", " ; ".join(article.tags + article.tags_it + article.keywords + article.keywords_it)


def number(text: str) -> int:
    return int(re.sub(r"[.,]", "", text))


@pytest.mark.parametrize("name", list(RECURRING))
def test_a_recurring_figure_has_one_value_everywhere(name: str) -> None:
    pattern, allowed = RECURRING[name]
    seen, wrong = [], []
    for article in ARTICLES:
        for where, text in texts(article):
            for match in re.finditer(pattern, text, re.IGNORECASE):
                value = number(next(g for g in match.groups() if g))
                seen.append(article.id)
                if value not in allowed:
                    wrong.append(f"{article.id} ({where}): {match.group(0)!r}")
    assert seen, f"no article states the {name} any more: update this test's pattern"
    assert not wrong, f"{name} must be one of {sorted(allowed)}:\n" + "\n".join(wrong)


def test_api_versions_match_their_release() -> None:
    seen, wrong = 0, []
    for article in ARTICLES:
        for where, text in texts(article):
            for match in RELEASE.finditer(text):
                g = match.groups()
                version, season, year = (g[0], g[1], g[2]) if g[0] else (g[5], g[3], g[4])
                seen += 1
                expected = 60 + 3 * (int(year) - 24) + SEASON[season.lower()]
                if int(version) != expected:
                    wrong.append(f"{article.id} ({where}): {match.group(0)!r}, expected API {expected}.0")
    assert seen >= 3
    assert not wrong, "\n".join(wrong)


def _label(text: str) -> str:
    return re.sub(r"[\d.,%]+", "#", text.lower()).strip()


def test_a_fact_stated_by_several_articles_has_the_same_figures() -> None:
    """Facts with the same label (numbers aside), or the same first term and unit words, agree."""
    groups: dict[str, list[tuple[str, str, frozenset[str]]]] = defaultdict(list)
    for article in ARTICLES:
        for fact in article.facts:
            groups[_label(fact.label)].append((article.id, fact.value, frozenset(fact.accepted)))
    disagreements = [
        f"{label}: {members}" for label, members in groups.items() if len({(v, a) for _, v, a in members}) > 1
    ]
    assert not disagreements, "\n".join(disagreements)
    shared = [members for members in groups.values() if len({m[0] for m in members}) > 1]
    assert len(shared) >= 5  # the heap, CPU, SOSL and coverage facts are stated by several articles
