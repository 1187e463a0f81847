"""Every article parses and follows FORMAT.md."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from plumberforce.knowledge import load_articles
from plumberforce.knowledge.articles import ARTICLES_DIR, SECTION_NAMES
from plumberforce.knowledge.premises import parse_number

TOPICS = {
    "apex", "soql", "dml", "triggers", "async", "events", "integration", "testing", "security", "lwc", "flow",
    "declarative", "data", "deployment", "debugging",
}  # fmt: skip
OFFICIAL_HOSTS = {
    "developer.salesforce.com", "help.salesforce.com", "trailhead.salesforce.com", "architect.salesforce.com",
}  # fmt: skip
HEADINGS = ["Approach", "Approccio", "Best practices", "Buone pratiche", "Alternatives", "Alternative"]
ARTICLES = load_articles()


def test_the_knowledge_base_is_broad() -> None:
    assert len(ARTICLES) >= 60
    assert {a.topic for a in ARTICLES} == TOPICS


def test_ids_are_unique_kebab_case_file_names() -> None:
    ids = [a.id for a in ARTICLES]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", i) for i in ids)
    assert sorted(ids) == sorted(p.stem for p in ARTICLES_DIR.glob("*.md"))


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.id)
def test_article_follows_the_format(article) -> None:
    assert article.topic in TOPICS
    assert article.title and article.title_it and article.summary and article.summary_it
    for name in ("tags", "tags_it", "keywords", "keywords_it"):
        assert getattr(article, name), f"{name} is empty"
    assert article.links
    for link in article.links:
        url = urlparse(link.url)
        assert url.scheme == "https" and url.hostname in OFFICIAL_HOSTS, link.url
        assert link.title
    assert list(article.sections) == HEADINGS
    assert all(article.sections[h] for h in HEADINGS)
    assert set(SECTION_NAMES) == {"approach", "best_practices", "alternatives"}


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.id)
def test_code_is_fenced_with_a_language(article) -> None:
    assert article.code_blocks(), "the English approach has no fenced code block"
    for heading, body in article.sections.items():
        fences = re.findall(r"^```(.*)$", body, re.M)
        assert len(fences) % 2 == 0, f"unbalanced fences in {heading}"
        openings = fences[0::2]
        assert all(re.fullmatch(r"[a-z0-9+-]+", f.strip()) for f in openings), f"fence without a language in {heading}"


@pytest.mark.parametrize("article", [a for a in ARTICLES if a.facts], ids=lambda a: a.id)
def test_facts_are_numbers_with_terms(article) -> None:
    for fact in article.facts:
        assert fact.label and fact.label_it and fact.terms
        assert parse_number(fact.value) is not None, fact.value
        assert all(parse_number(v) is not None for v in fact.accepted), fact.accepted
        assert fact.value.replace(".0", "") in re.sub(r"[,.](?=\d{3})", "", fact.label), fact.label


def test_error_lists_hold_real_messages() -> None:
    errors = [e for a in ARTICLES for e in a.errors]
    assert len(errors) >= 40
    assert all(e.strip() == e and len(e) >= 8 for e in errors)
