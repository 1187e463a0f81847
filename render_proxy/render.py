"""Markdown of model answers -> HTML that is safe to insert into the page.

The proxy renders on the server: the whole answer at ``done`` (:func:`render_markdown`), and
while it streams at most every ``render_interval_ms`` (:func:`render_streaming`: the same parser
and rules over the text so far, with the unfinished last line held back where it would show raw
markup). The page inserts only this HTML, never model text as HTML.

Safety comes from construction, not from filtering afterwards:

- markdown-it-py in CommonMark mode with ``html`` off: raw HTML in the text (``<script>``,
  ``<img onerror=...>``) is escaped and shows as text; linkify is off (bare URLs stay text);
- links are kept only for ``http:``, ``https:`` and ``mailto:`` targets (``javascript:``,
  ``data:``, ``vbscript:``, relative and protocol-relative ones render as plain text) and get
  ``rel="noopener noreferrer nofollow"`` and ``target="_blank"``; the one exception is the
  offline answer's link to a whole article, exactly ``articles/<id>`` with an optional
  ``?lang=en|it`` (or the older ``api/articles/<id>``), relative to the Space: it becomes a link
  to the proxy's own article page ``/articles/<id>`` (:mod:`render_proxy.article_page`), in a
  new tab too;
- images are not rendered (they would load third-party content), their alt text stays;
- code is highlighted by Pygments into CSS classes (no inline styles), the language name is
  reduced to ``[A-Za-z0-9_+-]``.

The page's Content-Security-Policy (no inline scripts, no inline event handlers) is the second
wall should anything slip through.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import inherit
from pygments.lexers import get_lexer_by_name
from pygments.lexers.jvm import JavaLexer
from pygments.token import String
from pygments.util import ClassNotFound

SAFE_SCHEMES = ("http://", "https://", "mailto:")
LANG_ALIASES = {"soql": "sql", "sosl": "sql", "lwc": "javascript", "visualforce": "html", "sh": "bash"}
CSS_SCOPE = ".highlight"


def safe_href(url: str) -> bool:
    """Only absolute http(s) and mailto links survive (case and whitespace tricks included)."""
    cleaned = re.sub(r"[\x00-\x20\x7f]+", "", url).lower()
    return cleaned.startswith(SAFE_SCHEMES) and cleaned == url.strip().lower()


def _lang(info: str) -> str:
    return re.sub(r"[^A-Za-z0-9_+-]", "", info.split(maxsplit=1)[0] if info.strip() else "")[:32]


class ApexLexer(JavaLexer):
    """Java's lexer with Apex's single-quoted strings (Java's would mark each quote an error)."""

    name = "Apex"
    aliases = ["apex"]
    tokens = {"root": [(r"'(?:\\.|[^'\\\n])*'", String.Single), inherit]}


@lru_cache(maxsize=64)
def _lexer(lang: str) -> Any:
    name = LANG_ALIASES.get(lang.lower(), lang.lower())
    if name == "apex":
        return ApexLexer()
    try:
        return get_lexer_by_name(name) if name else None
    except ClassNotFound:
        return None


_FORMATTER = HtmlFormatter(nowrap=True)


def _fence(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    lang = _lang(token.info)
    lexer = _lexer(lang) if lang else None
    body = pygments_highlight(token.content, lexer, _FORMATTER) if lexer else html.escape(token.content)
    label = f' data-lang="{lang}"' if lang else ""
    klass = f' class="language-{lang}"' if lang else ""
    return f'<pre class="highlight"{label}><code{klass}>{body}</code></pre>\n'


# The offline answer's link to a whole article (relative to the Space), as markdown-it hands it
# to validateLink: the current ``articles/<id>?lang=..`` and the first version's ``api/articles/<id>``.
ARTICLE_HREF = re.compile(r"(?:api/)?articles/([a-z0-9][a-z0-9-]{0,119})(?:\?lang=(en|it))?")


def article_href(url: str) -> str | None:
    """The proxy's page for a link to an article of the Space, or None for any other link."""
    match = ARTICLE_HREF.fullmatch(url)
    if match is None:
        return None
    return f"/articles/{match[1]}" + (f"?lang={match[2]}" if match[2] else "")


def _valid_link(url: str) -> bool:
    return safe_href(url) or article_href(url) is not None


def _link_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    href = str(token.attrGet("href") or "")
    href = article_href(href) or href
    token.attrs = {"href": href, "rel": "noopener noreferrer nofollow", "target": "_blank"}
    return f'<a href="{html.escape(href, quote=True)}" rel="noopener noreferrer nofollow" target="_blank">'


def _image(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    alt = "".join(child.content for child in token.children or [])
    return html.escape(alt)


def build_markdown() -> MarkdownIt:
    """The one parser configuration (see the module docstring)."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.validateLink = _valid_link  # type: ignore[method-assign]
    md.add_render_rule("fence", _fence)
    md.add_render_rule("code_block", _fence)
    md.add_render_rule("link_open", _link_open)
    md.add_render_rule("image", _image)
    return md


_MD = build_markdown()


def render_markdown(text: str) -> str:
    """Safe HTML for a Markdown answer."""
    return _MD.render(text)


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_OPENING_FENCE = re.compile(r"^ {0,3}(`{1,}|~{1,})")
_BARE_MARKER = re.compile(r"^\s*(#{1,6}|[-*+]|\d{1,9}[.)]|>)?\s*$")
_OPEN_LINK = re.compile(r"!?\[[^\]]*$|!?\[[^\]]*\]\([^)]*$")


def _inside_fence(lines: list[str]) -> bool:
    """Whether ``lines`` (complete lines) leave a fenced code block open."""
    fence = ""
    for line in lines:
        match = _FENCE.match(line)
        if not match:
            continue
        marker = match.group(1)
        if not fence:
            fence = marker
        elif marker[0] == fence[0] and len(marker) >= len(fence) and not line.strip(" `~"):
            fence = ""
    return bool(fence)


def _settled(line: str) -> str:
    """The part of an unfinished line that renders as it will once finished."""
    if _OPENING_FENCE.match(line) or _BARE_MARKER.match(line) or line.lstrip().startswith("|"):
        return ""  # a fence, heading, list item, quote or table row still being written
    if line.count("`") % 2:
        line = line[: line.rindex("`")]
    if line.count("**") % 2:
        line = line[: line.rindex("**")]
    link = _OPEN_LINK.search(line)
    if link:
        line = line[: link.start()]
    return line


def render_streaming(text: str) -> str:
    """Safe HTML for an answer still streaming: :func:`render_markdown` of the text so far,
    without the raw markup of its unfinished last line (an unmatched backtick or ``**``, a link
    or a fence being written, a bare ``###``). An open code fence renders as code to the end."""
    head, newline, tail = text.rpartition("\n")
    lines = head.split("\n") if newline else []
    if _inside_fence(lines):
        return render_markdown(head + newline + ("" if tail.lstrip(" ").startswith(("`", "~")) else tail))
    if lines and _is_row(lines[-1]) and not (len(lines) > 1 and _is_row(lines[-2])):
        lines.pop()  # a table's header row, its delimiter row not there yet
    complete = "".join(line + "\n" for line in lines)
    return render_markdown(complete + _settled(tail))


def _is_row(line: str) -> bool:
    return line.lstrip().startswith("|")


def pygments_css() -> str:
    """The highlighting stylesheet (light, plus a dark variant under prefers-color-scheme)."""
    light = HtmlFormatter(style="default").get_style_defs(CSS_SCOPE)
    dark = HtmlFormatter(style="monokai").get_style_defs(f"[data-bs-theme=dark] {CSS_SCOPE}")
    return f"{light}\n{dark}\n"


def public_message(message: dict[str, Any]) -> dict[str, Any]:
    """A message of the Space's /history as the page gets it (assistant Markdown rendered)."""
    out = {k: message.get(k) for k in ("role", "content", "message_id", "ts")}
    meta = message.get("meta") if isinstance(message.get("meta"), dict) else {}
    if message.get("role") == "assistant":
        out["html"] = message.get("html") or render_markdown(str(message.get("content") or ""))
        out["sources"] = clean_sources(meta.get("sources") if meta else message.get("sources"))
        for key in ("engine", "cached", "incomplete"):
            if key in meta:
                out[key] = meta[key]
    return out


def clean_sources(sources: Any) -> list[dict[str, str]]:
    """Sources with a safe http(s) URL and a title, nothing else."""
    if not isinstance(sources, list):
        return []
    cleaned = []
    for source in sources[:20]:
        if isinstance(source, dict) and isinstance(source.get("url"), str) and safe_href(source["url"]):
            if source["url"].lower().startswith(("http://", "https://")):
                cleaned.append({"title": str(source.get("title") or source["url"])[:200], "url": source["url"]})
    return cleaned
