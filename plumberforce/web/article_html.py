"""A knowledge-base article as a page a person reads: HTML built on the server, nothing to run.

The offline answer links the whole article (``articles/<id>?lang=..``, relative to the Space's
root); :mod:`plumberforce.web.article_page` serves it with this module's HTML.

Safety comes from construction, as on the Render page (``render_proxy/render.py``, which the
Space does not ship): the article's Markdown goes through markdown-it-py in CommonMark mode with
raw HTML off (it is escaped), links survive only for ``http(s):`` and ``mailto:`` targets and
open in a new tab without referrer, images show their alt text, code is highlighted by Pygments
into CSS classes. Every other string (titles, facts, sources) is escaped here. The page loads
nothing: its one stylesheet is inline and allowed by its hash in the page's
Content-Security-Policy (no script at all, no CDN).
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import inherit
from pygments.lexers import get_lexer_by_name
from pygments.lexers.jvm import JavaLexer
from pygments.token import String
from pygments.util import ClassNotFound

from plumberforce.knowledge import Article

WORDS = {
    "en": {
        "back": "← Back to the chat",
        "approach": "Approach",
        "best_practices": "Best practices",
        "alternatives": "Alternatives",
        "facts": "Key facts",
        "sources": "Official sources",
        "other": "Leggi in italiano",
        "footer": "Plumberforce offline knowledge base: written in our own words from Salesforce's "
        "official documentation, which the sources above link.",
        "not_found": "Article not found",
        "not_found_text": "No knowledge-base article has the id “{id}”. It may have been renamed.",
        "not_ready": "The knowledge base is still loading",
        "not_ready_text": "Plumberforce is starting: try again in a few seconds.",
    },
    "it": {
        "back": "← Torna alla chat",
        "approach": "Approccio",
        "best_practices": "Buone pratiche",
        "alternatives": "Alternative",
        "facts": "Dati chiave",
        "sources": "Fonti ufficiali",
        "other": "Read in English",
        "footer": "Knowledge base offline di Plumberforce: scritta con parole nostre a partire dalla "
        "documentazione ufficiale di Salesforce, collegata nelle fonti qui sopra.",
        "not_found": "Articolo non trovato",
        "not_found_text": "Nessun articolo della knowledge base ha l'id “{id}”. Potrebbe essere stato rinominato.",
        "not_ready": "La knowledge base si sta ancora caricando",
        "not_ready_text": "Plumberforce si sta avviando: riprova tra qualche secondo.",
    },
}
SAFE_SCHEMES = ("http://", "https://", "mailto:")
LANG_ALIASES = {"soql": "sql", "sosl": "sql", "lwc": "javascript", "visualforce": "html", "sh": "bash"}
E = html.escape


def safe_href(url: str) -> bool:
    """Only absolute http(s) and mailto links survive (case and whitespace tricks included)."""
    cleaned = re.sub(r"[\x00-\x20\x7f]+", "", url).lower()
    return cleaned.startswith(SAFE_SCHEMES) and cleaned == url.strip().lower()


class ApexLexer(JavaLexer):
    """Java's lexer with Apex's single-quoted strings (Java's would mark each quote an error)."""

    name = "Apex"
    aliases = ["apex"]
    tokens = {"root": [(r"'(?:\\.|[^'\\\n])*'", String.Single), inherit]}


@lru_cache(maxsize=32)
def _lexer(lang: str) -> Any:
    name = LANG_ALIASES.get(lang, lang)
    if name == "apex":
        return ApexLexer()
    try:
        return get_lexer_by_name(name) if name else None
    except ClassNotFound:
        return None


def _fence(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    lang = re.sub(r"[^a-z0-9_+-]", "", (token.info.split() or [""])[0].lower())[:32]
    lexer = _lexer(lang)
    body = highlight(token.content, lexer, HtmlFormatter(nowrap=True)) if lexer else E(token.content)
    return f'<pre class="highlight"><code>{body}</code></pre>\n'


def _link_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    href = str(tokens[idx].attrGet("href") or "")
    return f'<a href="{E(href)}" rel="noopener noreferrer" target="_blank">'


def _image(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return E("".join(child.content for child in tokens[idx].children or []))


@cache
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.validateLink = safe_href  # type: ignore[method-assign]
    md.add_render_rule("fence", _fence)
    md.add_render_rule("code_block", _fence)
    md.add_render_rule("link_open", _link_open)
    md.add_render_rule("image", _image)
    return md


def render_markdown(text: str) -> str:
    """Safe HTML for an article's Markdown."""
    return _markdown().render(text)


CSS = """
:root{color-scheme:light dark;--fg:#1d232b;--muted:#5b6673;--bg:#fff;--panel:#f5f7fa;--line:#dfe3e8;
 --accent:#0b5cad}
@media (prefers-color-scheme:dark){:root{--fg:#e6e9ee;--muted:#a3adb9;--bg:#14181d;--panel:#1d232b;
 --line:#323a45;--accent:#7cb7ff}}
*{box-sizing:border-box}
body{margin:0;font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent)}
.bar{position:sticky;top:0;display:flex;gap:1rem;align-items:center;justify-content:space-between;
 padding:.6rem max(1rem,calc((100% - 46rem)/2));background:var(--panel);border-bottom:1px solid var(--line)}
.bar a{text-decoration:none;font-weight:600}
.bar .lang{font-weight:400;font-size:.9rem}
main{max-width:48rem;margin:0 auto;padding:1.5rem 1rem 3rem}
.topic{margin:0;color:var(--muted);font-size:.8rem;text-transform:uppercase;letter-spacing:.06em}
h1{font-size:1.7rem;line-height:1.25;margin:.2rem 0 1rem}
h2{font-size:1.2rem;margin:2rem 0 .6rem;padding-bottom:.25rem;border-bottom:1px solid var(--line)}
.summary{font-size:1.05rem;padding:.8rem 1rem;background:var(--panel);border-left:4px solid var(--accent);
 border-radius:.3rem}
.summary>p{margin:0}
@media (max-width:600px){h1{font-size:1.4rem}.summary{font-size:1rem}}
ul{padding-left:1.3rem}li{margin:.25rem 0}
code{font:.88em/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere}
:not(pre)>code{background:var(--panel);padding:.05em .3em;border-radius:.25rem}
pre{overflow-x:auto;padding:.8rem 1rem;background:var(--panel);border:1px solid var(--line);border-radius:.4rem}
pre code{overflow-wrap:normal}
.facts li::marker{color:var(--accent)}
footer{max-width:48rem;margin:0 auto;padding:0 1rem 2rem;color:var(--muted);font-size:.85rem}
.error h1{margin-top:2rem}
"""


@cache
def stylesheet() -> tuple[str, str]:
    """The page's CSS (with Pygments' classes, light and dark) and its CSP hash source."""
    light = HtmlFormatter(style="default").get_style_defs(".highlight")
    dark = HtmlFormatter(style="monokai").get_style_defs(".highlight")
    css = f"{CSS}\n{light}\n@media (prefers-color-scheme:dark){{\n{dark}\n}}\n"
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    return css, f"'sha256-{digest}'"


def content_security_policy() -> str:
    """Nothing but the inline stylesheet (by hash), no script. No frame-ancestors: the Space is
    framed by huggingface.co (the page opens in a tab of its own anyway)."""
    return f"default-src 'none'; style-src {stylesheet()[1]}; img-src 'self' data:; base-uri 'none'; form-action 'none'"


def _page(lang: str, title: str, back: str, body: str, switch: str = "") -> str:
    words = WORDS[lang]
    other = f'<a class="lang" href="{E(switch)}" hreflang="{"en" if lang == "it" else "it"}">{words["other"]}</a>'
    return (
        f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{E(title)} · Plumberforce</title><style>{stylesheet()[0]}</style></head>\n"
        f'<body><header class="bar"><a href="{E(back)}">{words["back"]}</a>{other if switch else ""}</header>\n'
        f"<main>{body}</main>\n<footer>{words['footer'] if switch else ''}</footer></body></html>\n"
    )


def _section(name: str, heading: str, body: str) -> str:
    return f'<section id="{name.replace("_", "-")}"><h2>{heading}</h2>{body}</section>'


def approach(article: Article, lang: str) -> str:
    """The approach in ``lang``, with the code of the English one when the text has none (the
    articles keep their code blocks in the English approach, shared by both languages)."""
    text = article.section("approach", lang)
    if "```" not in text:
        text = "\n\n".join([text, *article.code_blocks()])
    return text


def article_page(article: Article, lang: str, back: str, switch: str) -> str:
    """The whole article in ``lang``: summary, approach with code, best practices, alternatives,
    key facts and official sources. ``back`` links the chat, ``switch`` the other language."""
    words = WORDS[lang]
    parts = [
        f'<article><p class="topic">{E(article.topic)}</p><h1>{E(article.title_for(lang))}</h1>',
        f'<div class="summary">{render_markdown(article.summary_for(lang))}</div>',
    ]
    for name in ("approach", "best_practices", "alternatives"):
        text = approach(article, lang) if name == "approach" else article.section(name, lang)
        if text.strip():
            parts.append(_section(name, words[name], render_markdown(text)))
    if article.facts:
        facts = "".join(f"<li>{E(fact.label_for(lang))}</li>" for fact in article.facts)
        parts.append(_section("facts", words["facts"], f'<ul class="facts">{facts}</ul>'))
    links = "".join(
        f'<li><a href="{E(s.url)}" rel="noopener noreferrer" target="_blank">{E(s.title)}</a></li>'
        for s in article.links
        if safe_href(s.url)
    )
    if links:
        parts.append(_section("sources", words["sources"], f"<ul>{links}</ul>"))
    parts.append("</article>")
    return _page(lang, article.title_for(lang), back, "".join(parts), switch)


def error_page(lang: str, back: str, kind: str, article_id: str = "") -> str:
    """A page for an unknown article (``not_found``) or a knowledge base not loaded yet (``not_ready``)."""
    words = WORDS[lang]
    body = f'<div class="error"><h1>{words[kind]}</h1><p>{E(words[kind + "_text"].format(id=article_id))}</p></div>'
    return _page(lang, words[kind], back, body)
