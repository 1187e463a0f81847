"""COVERAGE.md (official guide section -> articles) lists every article exactly once, and nothing else."""

from __future__ import annotations

import re
from collections import Counter

from plumberforce.knowledge.articles import ARTICLES_DIR


def test_every_article_is_in_the_coverage_table_once() -> None:
    text = (ARTICLES_DIR.parent / "COVERAGE.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| ") and "`" in line and "Why" not in line]
    listed = Counter(re.findall(r"`([a-z0-9]+(?:-[a-z0-9]+)*)`", "\n".join(row.split("|", 2)[2] for row in rows)))
    articles = {path.stem for path in ARTICLES_DIR.glob("*.md")}
    assert len(articles) >= 150
    assert not set(listed) - articles, f"listed but not articles: {sorted(set(listed) - articles)}"
    assert not articles - set(listed), f"articles missing from COVERAGE.md: {sorted(articles - set(listed))}"
    assert [a for a, n in listed.items() if n > 1] == []
