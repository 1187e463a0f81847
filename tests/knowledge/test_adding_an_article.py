"""Adding an article is adding a markdown file; a malformed file is refused by name."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from plumberforce.engines.base import EngineRequest
from plumberforce.engines.offline import compose_answer
from plumberforce.knowledge import ArticleError, KnowledgeBase
from plumberforce.knowledge.articles import ARTICLES_DIR

NEW_ARTICLE = """\
---
id: platform-cache
title: "Platform Cache: org and session partitions for fast reads"
title_it: "Platform Cache: partizioni org e session per letture veloci"
topic: apex
author: writer-1
reviewed:
  by: reviewer-2
  date: 2026-11-30
  against:
    - "https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/apex_cache_namespace_overview.htm"
tags: [platform cache, org cache, session cache, cache partition]
tags_it: [platform cache, cache dell'org, cache di sessione, partizione della cache]
keywords: [Cache.Org, Cache.Session, Cache.OrgPartition, CacheBuilder, put, get, ttlSecs]
keywords_it: [mettere in cache, leggere dalla cache, scadenza della cache]
errors:
  - "cache.Org.OrgCacheException: Failed Cache.Org.put() for key"
links:
  - title: "Platform Cache (Apex Developer Guide)"
    url: "https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/apex_cache_namespace_overview.htm"
summary: >
  Platform Cache keeps data you read often in memory, in an org-wide or per-session partition.
summary_it: >
  Platform Cache tiene in memoria i dati letti spesso, in una partizione dell'org o di sessione.
facts:
  - label: "Minimum time-to-live of a cached value: 300 seconds"
    label_it: "Durata minima di un valore in cache: 300 secondi"
    value: "300"
    terms: [ttl, time-to-live, cache ttl]
---
## Approach

Read through the cache and fall back to a query on a miss.

```apex statements
Object rates = Cache.Org.get('local.Rates.all');
```

## Approccio

Leggi dalla cache e, se il valore manca, esegui la query.

## Best practices

- Always handle a cache miss.

## Buone pratiche

- Gestisci sempre l'assenza del valore in cache.

## Alternatives

- Custom metadata for configuration that rarely changes.

## Alternative

- Custom metadata per la configurazione che cambia di rado.
"""


@pytest.fixture
def articles_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "articles"
    shutil.copytree(ARTICLES_DIR, directory)
    return directory


def test_a_new_file_is_a_new_article(articles_dir: Path) -> None:
    (articles_dir / "platform-cache.md").write_text(NEW_ARTICLE, encoding="utf-8")
    kb = KnowledgeBase.load(articles_dir)
    assert "platform-cache" in kb.by_id
    assert kb.search("how do I use the org partition of platform cache?")[0].article.id == "platform-cache"
    assert kb.search("come metto un valore nella cache di sessione?")[0].article.id == "platform-cache"
    error = "cache.Org.OrgCacheException: Failed Cache.Org.put() for key rates"
    assert kb.search(error)[0].article.id == "platform-cache"
    verdict = kb.analyse("The cache TTL can be as low as 10 seconds, right?")
    assert [f.value for f in verdict.corrections] == ["300"]
    assert kb.version != KnowledgeBase.load(ARTICLES_DIR).version
    article = kb.by_id["platform-cache"]
    assert article.author == "writer-1"
    assert (article.reviewed.by, article.reviewed.date) == ("reviewer-2", dt.date(2026, 11, 30))
    assert [(b.language, b.fragment) for b in article.code] == [("apex", "statements")]


@pytest.mark.parametrize("lang", ["en", "it"])
def test_a_fragment_mark_stays_out_of_answers(articles_dir: Path, lang: str) -> None:
    """```apex statements is for the parser test: readers (and the model's passages) see ```apex."""
    (articles_dir / "platform-cache.md").write_text(NEW_ARTICLE, encoding="utf-8")
    kb = KnowledgeBase.load(articles_dir)
    article = kb.by_id["platform-cache"]
    assert "statements" not in "\n".join(article.sections.values())
    assert article.code_blocks() == ["```apex\nObject rates = Cache.Org.get('local.Rates.all');\n```"]
    question = "come leggo la cache dell'org?" if lang == "it" else "how do I read the org cache?"
    hits = kb.search(question)
    assert hits[0].article.id == "platform-cache"
    answer = compose_answer(EngineRequest([], question, lang, hits))
    assert "```apex\nObject rates" in answer and "```apex statements" not in answer


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("id: platform-cache", "id: other-id", "differs from the file name"),
        ("title_it:", "titolo:", "'title_it' is missing"),
        ('    value: "300"\n', "", "each fact needs"),
        ('  - title: "Platform Cache (Apex Developer Guide)"\n', "  - name: x\n", "each link needs"),
        ("author: writer-1", "author: [writer-1]", "'author' must be"),
        ("  by: reviewer-2\n", "", "'reviewed' needs exactly"),
        ("date: 2026-11-30", "date: 30/11/2026", "'reviewed.date' must be an ISO date"),
        ("  against:\n    - ", "  against: ", "'reviewed.against' must be a non-empty list"),
        ("```apex statements", "```apex snippet", "unknown code fence '```apex snippet'"),
        ("```apex statements", "```javascript statements", "unknown code fence"),
    ],
)
def test_a_malformed_article_is_refused_by_name(articles_dir: Path, old: str, new: str, message: str) -> None:
    (articles_dir / "platform-cache.md").write_text(NEW_ARTICLE.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ArticleError, match=message) as error:
        KnowledgeBase.load(articles_dir)
    assert "platform-cache.md" in str(error.value)


def test_an_empty_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no articles"):
        KnowledgeBase.load(tmp_path)
