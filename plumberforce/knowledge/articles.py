"""Knowledge-base articles: markdown files with YAML front-matter (see FORMAT.md)."""

from __future__ import annotations

import datetime as dt
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
_FENCE = re.compile(r"^```(.*)$", re.M)
# Marks of an Apex block that is not a whole class or trigger (see FORMAT.md, "Code blocks").
APEX_FRAGMENTS = ("members", "statements")


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
class CodeBlock:
    """A fenced code block of an article, as written in the file.

    ``fragment`` is ``""`` for a whole compilation unit, or the mark of an Apex fragment
    (``members``: fields, methods, inner classes; ``statements``: anonymous Apex).
    """

    section: str
    language: str
    fragment: str
    code: str


@dataclass(frozen=True)
class Review:
    """Who checked an article's facts, when, and against which official pages."""

    by: str
    date: dt.date
    against: tuple[str, ...]


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
    author: str = ""
    reviewed: Review | None = None
    code: tuple[CodeBlock, ...] = field(default=(), repr=False)

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
        """Fenced code blocks of the English approach (shared by both languages).

        Fences read ```` ```apex ```` even where the file marks a fragment (```` ```apex members ````):
        the mark is for the parser test, never for a reader.
        """
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


def _review(meta: dict, path: Path) -> tuple[str, Review | None]:
    author = meta.get("author")
    if author is not None and (not isinstance(author, str) or not author.strip()):
        raise ArticleError(f"{path.name}: 'author' must be a non-empty string")
    data = meta.get("reviewed")
    if data is None:
        return author or "", None
    if not isinstance(data, dict) or set(data) != {"by", "date", "against"}:
        raise ArticleError(f"{path.name}: 'reviewed' needs exactly 'by', 'date' and 'against'")
    by, date, against = data["by"], data["date"], data["against"]
    if not isinstance(by, str) or not by.strip():
        raise ArticleError(f"{path.name}: 'reviewed.by' must be a non-empty string")
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date)
        except ValueError:
            raise ArticleError(f"{path.name}: 'reviewed.date' must be an ISO date (YYYY-MM-DD)") from None
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
        raise ArticleError(f"{path.name}: 'reviewed.date' must be an ISO date (YYYY-MM-DD)")
    if not isinstance(against, list) or not against or not all(isinstance(u, str) and u for u in against):
        raise ArticleError(f"{path.name}: 'reviewed.against' must be a non-empty list of URLs")
    return author or "", Review(by=by.strip(), date=date, against=tuple(against))


def _code(sections: dict[str, str], path: Path) -> tuple[dict[str, str], tuple[CodeBlock, ...]]:
    """The sections with fragment marks removed from their fences, and every code block."""
    blocks: list[CodeBlock] = []
    plain: dict[str, str] = {}
    for heading, body in sections.items():
        fences = list(_FENCE.finditer(body))
        if len(fences) % 2:
            raise ArticleError(f"{path.name}: unbalanced code fences in '## {heading}'")
        out, last = [], 0
        for opening, closing in zip(fences[0::2], fences[1::2], strict=True):
            language, _, fragment = opening.group(1).strip().partition(" ")
            fragment = fragment.strip()
            if fragment and (language != "apex" or fragment not in APEX_FRAGMENTS):
                raise ArticleError(
                    f"{path.name}: unknown code fence '```{opening.group(1).strip()}' in '## {heading}' "
                    f"(only ```apex members and ```apex statements mark fragments)"
                )
            code = body[opening.end() + 1 : closing.start()].rstrip("\n")
            blocks.append(CodeBlock(section=heading, language=language, fragment=fragment, code=code))
            out += [body[last : opening.start()], f"```{language}"]
            last = opening.end()
        plain[heading] = "".join([*out, body[last:]])
    return plain, tuple(blocks)


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
    sections, code = _code(sections, path)
    author, reviewed = _review(meta, path)
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
        author=author,
        reviewed=reviewed,
        code=code,
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
