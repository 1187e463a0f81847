"""The built index is cached in the data directory and rebuilt when an article changes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from plumberforce.knowledge import KnowledgeBase
from plumberforce.knowledge.articles import ARTICLES_DIR


def test_cache_is_reused_then_rebuilt_when_an_article_is_added(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    shutil.copytree(ARTICLES_DIR, articles)
    cache = tmp_path / "cache"
    first = KnowledgeBase.load_cached(cache, articles)
    files = list(cache.glob("knowledge-*.pickle"))
    assert len(files) == 1
    again = KnowledgeBase.load_cached(cache, articles)
    assert again.version == first.version and list(cache.glob("knowledge-*.pickle")) == files

    text = (articles / "mixed-dml.md").read_text(encoding="utf-8")
    new = re.sub(
        r"(?m)^title: .*$",
        'title: "Zebra quokka setup"',
        text.replace("id: mixed-dml", "id: zz-custom-article"),
        count=1,
    )
    (articles / "zz-custom-article.md").write_text(new, encoding="utf-8")
    rebuilt = KnowledgeBase.load_cached(cache, articles)
    assert "zz-custom-article" in rebuilt.by_id and rebuilt.version != first.version
    assert [p.name for p in cache.glob("knowledge-*.pickle")] != [p.name for p in files]  # old one replaced
    assert rebuilt.search("zebra quokka setup", k=1)[0].article.id == "zz-custom-article"


def test_a_corrupt_cache_file_is_ignored(tmp_path: Path) -> None:
    kb = KnowledgeBase.load_cached(tmp_path)
    (cache_file,) = tmp_path.glob("knowledge-*.pickle")
    cache_file.write_bytes(b"not a pickle")
    again = KnowledgeBase.load_cached(tmp_path)
    assert again.version == kb.version


def test_a_second_load_in_one_process_reuses_the_first_until_the_file_changes(tmp_path: Path) -> None:
    first = KnowledgeBase.load_cached(tmp_path)
    assert KnowledgeBase.load_cached(tmp_path) is first  # in memory: no second unpickling
    (cache_file,) = tmp_path.glob("knowledge-*.pickle")
    cache_file.write_bytes(cache_file.read_bytes() + b"\0")  # another file now (size and time differ)
    again = KnowledgeBase.load_cached(tmp_path)
    assert again is not first and again.version == first.version
