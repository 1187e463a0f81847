"""Knowledge-base articles: markdown files with YAML front-matter (see FORMAT.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ARTICLES_DIR = Path(__file__).parent / "articles"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SECTION_NAMES = {
    "approach": ("Approach", "Approccio"),
    "best_practices": ("Best practices", "Buone pratiche"),
    "alternatives": ("Alternatives", "Alternative"),
}
_FRONT = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.S)
_HEADING = re.compile(r"^## (.+?)\s*$", re.M)
_CODE = re.compile(r"^```[a-z0-9+-]+\n.*?^```[ \t]*$", re.S | re.M)


class ArticleError(ValueError):
    """An article file is malformed; the message names the file and the problem."""


@dataclass(frozen=True)
class Source:
    """A citation: a title and an official documentation link."""

    title: str
    url: str


@dataclass(frozen=True)
class Fact:
    """A key figure of an article, used to correct false premises.

    ``value`` is the figure's main number; ``accepted`` lists other numbers that are also right
    for it (the asynchronous limit, the default next to the maximum, another unit); ``terms``
    are the words that name the figure in a question.
    """

    label: str
    label_it: str
    value: str
    terms: tuple[str, ...]
    accepted: tuple[str, ...] = ()

    def label_for(self, lang: str) -> str:
        return self.label_it if lang == "it" else self.label


@dataclass(frozen=True)
class Article:
    """One parsed article."""

    id: str
    title: str
    title_it: str
    topic: str
    tags: tuple[str, ...]
    tags_it: tuple[str, ...]
    keywords: tuple[str, ...]
    keywords_it: tuple[str, ...]
    errors: tuple[str, ...]
    links: tuple[Source, ...]
    summary: str
    summary_it: str
    facts: tuple[Fact, ...]
    sections: dict[str, str] = field(repr=False)

    def title_for(self, lang: str) -> str:
        return self.title_it if lang == "it" else self.title

    def summary_for(self, lang: str) -> str:
        return self.summary_it if lang == "it" else self.summary

    def section(self, name: str, lang: str) -> str:
        """Body of section ``name`` ("approach", ...) in ``lang``, falling back to English."""
        en, it = SECTION_NAMES[name]
        if lang == "it" and self.sections.get(it):
            return self.sections[it]
        return self.sections.get(en, "")

    def code_blocks(self) -> list[str]:
        """Fenced code blocks of the English approach (shared by both languages)."""
        return _CODE.findall(self.sections.get("Approach", ""))


def _strings(value: object, name: str, path: Path) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise ArticleError(f"{path.name}: '{name}' must be a list of strings")
    return tuple(str(v) for v in value)


def _fact(data: object, path: Path) -> Fact:
    if not isinstance(data, dict) or any(not data.get(k) for k in ("label", "label_it", "value", "terms")):
        raise ArticleError(f"{path.name}: each fact needs label, label_it, value and terms")
    return Fact(
        label=str(data["label"]),
        label_it=str(data["label_it"]),
        value=str(data["value"]),
        terms=_strings(data["terms"], "terms", path),
        accepted=_strings(data.get("accepted"), "accepted", path),
    )


def parse_article(path: Path) -> Article:
    """Parse one article file, or raise :class:`ArticleError`."""
    match = _FRONT.match(path.read_text(encoding="utf-8"))
    if not match:
        raise ArticleError(f"{path.name}: no YAML front-matter between '---' lines")
    try:
        meta = yaml.load(match.group(1), Loader=_LOADER) or {}  # noqa: S506 (a safe loader, in C when available)
    except yaml.YAMLError as exc:
        raise ArticleError(f"{path.name}: invalid YAML front-matter: {exc}") from None
    for key in ("id", "title", "title_it", "topic", "summary", "summary_it", "links"):
        if not meta.get(key):
            raise ArticleError(f"{path.name}: front-matter field '{key}' is missing")
    if meta["id"] != path.stem:
        raise ArticleError(f"{path.name}: id '{meta['id']}' differs from the file name")
    if not isinstance(meta["links"], list) or not all(
        isinstance(link, dict) and link.get("title") and link.get("url") for link in meta["links"]
    ):
        raise ArticleError(f"{path.name}: each link needs a title and a url")
    links = tuple(Source(str(link["title"]), str(link["url"])) for link in meta["links"])
    facts = tuple(_fact(f, path) for f in meta.get("facts") or [])
    body = match.group(2)
    heads = list(_HEADING.finditer(body))
    sections = {
        h.group(1): body[h.end() : heads[i + 1].start() if i + 1 < len(heads) else len(body)].strip()
        for i, h in enumerate(heads)
    }
    return Article(
        id=meta["id"],
        title=str(meta["title"]),
        title_it=str(meta["title_it"]),
        topic=str(meta["topic"]),
        tags=_strings(meta.get("tags"), "tags", path),
        tags_it=_strings(meta.get("tags_it"), "tags_it", path),
        keywords=_strings(meta.get("keywords"), "keywords", path),
        keywords_it=_strings(meta.get("keywords_it"), "keywords_it", path),
        errors=_strings(meta.get("errors"), "errors", path),
        links=links,
        summary=" ".join(str(meta["summary"]).split()),
        summary_it=" ".join(str(meta["summary_it"]).split()),
        facts=facts,
        sections=sections,
    )


def load_articles(directory: Path = ARTICLES_DIR) -> list[Article]:
    """Every ``*.md`` article of ``directory``, sorted by id; duplicate ids are an error."""
    articles = [parse_article(p) for p in sorted(directory.glob("*.md"))]
    seen: set[str] = set()
    for article in articles:
        if article.id in seen:
            raise ArticleError(f"duplicate article id '{article.id}'")
        seen.add(article.id)
    return articles
