"""The review gate: no article without a recorded check of its facts by someone who did not write it.

Every article names its ``author`` and carries ``reviewed: {by, date, against}``: a reviewer other
than the author, an ISO date not in the future, and the official pages (https, Salesforce
documentation hosts) the facts were checked against, each of them also in the article's
``links`` so a reader can open it (FORMAT.md, "The review gate").
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse

import pytest

from plumberforce.knowledge import load_articles

ARTICLES = load_articles()
REVIEW_HOSTS = {
    "developer.salesforce.com",
    "help.salesforce.com",
    "trailhead.salesforce.com",
    "architect.salesforce.com",
}


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.id)
def test_article_is_reviewed_by_someone_else_against_official_pages(article) -> None:
    assert article.author, f"{article.id}: no 'author' in the front-matter"
    review = article.reviewed
    assert review, f"{article.id}: no 'reviewed: {{by, date, against}}' in the front-matter"
    assert review.by != article.author, f"{article.id}: reviewed by its own author ({review.by})"
    assert review.date <= dt.date.today(), f"{article.id}: review date {review.date} is in the future"
    assert review.against, f"{article.id}: 'reviewed.against' is empty"
    links = {link.url for link in article.links}
    for url in review.against:
        parts = urlparse(url)
        assert parts.scheme == "https" and parts.hostname in REVIEW_HOSTS, f"{article.id}: not an official page: {url}"
        assert url in links, f"{article.id}: {url} is in 'reviewed.against' but not in 'links'"
