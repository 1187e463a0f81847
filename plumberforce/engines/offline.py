"""The embedded offline engine: answers composed from the built-in knowledge base.

No network and no model weights: the service retrieves the best articles for the question and
this engine lays them out in the same structure a model is asked for (analysis, approach with
code, best practices, alternatives, sources), with headings in the question's language. It says
plainly, at the top of every answer, that it is the offline knowledge base.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from typing import Literal

from plumberforce.engines.base import EngineRequest
from plumberforce.knowledge import Article, Hit, Source

HEADINGS = {
    "en": {
        "banner": "**Offline knowledge base**: this answer is composed from Plumberforce's "
        "built-in Salesforce articles, not written by a language model.",
        "analysis": "Analysis",
        "approach": "Approach",
        "best_practices": "Best practices",
        "alternatives": "Alternatives",
        "sources": "Sources",
        "related": "Related articles",
        "nothing": "I found nothing in the offline knowledge base that matches this question. "
        "Try naming the Salesforce feature, the Apex class or the exact error message.",
    },
    "it": {
        "banner": "**Knowledge base offline**: questa risposta è composta dagli articoli "
        "Salesforce integrati in Plumberforce, non scritta da un modello linguistico.",
        "analysis": "Analisi",
        "approach": "Approccio",
        "best_practices": "Buone pratiche",
        "alternatives": "Alternative",
        "sources": "Fonti",
        "related": "Articoli correlati",
        "nothing": "Non ho trovato nulla nella knowledge base offline che corrisponda alla "
        "domanda. Prova a indicare la funzionalità Salesforce, la classe Apex o il messaggio "
        "di errore esatto.",
    },
}
RELATED_RATIO = 0.5  # a further article is listed as related when it scores this close to the best
_CHUNK = re.compile(r"\S+\s*|\s+")


def compose_answer(request: EngineRequest) -> str:
    """The offline answer for ``request`` as markdown."""
    words = HEADINGS["it" if request.lang == "it" else "en"]
    lang = request.lang
    parts: list[str] = []
    if request.notice:
        parts.append(f"> ⚠️ {request.notice}")
    parts.append(f"> {words['banner']}")
    if request.preface:
        parts.append(request.preface)
    if not request.hits:
        parts.append(words["nothing"])
        return "\n\n".join(parts) + "\n"
    best: Article = request.hits[0].article
    parts.append(f"## {best.title_for(lang)}")
    parts.append(f"### {words['analysis']}\n\n{best.summary_for(lang)}")
    approach = best.section("approach", lang)
    if lang == "it" and "```" not in approach:
        approach = "\n\n".join([approach, *best.code_blocks()]).strip()
    parts.append(f"### {words['approach']}\n\n{approach}")
    for name in ("best_practices", "alternatives"):
        body = best.section(name, lang)
        if body:
            parts.append(f"### {words[name]}\n\n{body}")
    related = related_hits(request.hits)
    if related:
        lines = [f"- **{h.article.title_for(lang)}**: {h.article.summary_for(lang)}" for h in related]
        parts.append(f"### {words['related']}\n\n" + "\n".join(lines))
    sources = [f"{i}. [{s.title}]({s.url})" for i, s in enumerate(answer_sources(request.hits), 1)]
    parts.append(f"### {words['sources']}\n\n" + "\n".join(sources))
    return "\n\n".join(parts) + "\n"


def related_hits(hits: list[Hit]) -> list[Hit]:
    """The hits after the first that score close enough to it to be worth naming."""
    if not hits:
        return []
    return [h for h in hits[1:] if h.score >= RELATED_RATIO * hits[0].score]


def answer_sources(hits: list[Hit]) -> list[Source]:
    """Citations of an offline answer: the best article's links, then one per related article."""
    if not hits:
        return []
    sources = list(hits[0].article.links)
    for hit in related_hits(hits):
        if hit.article.links and hit.article.links[0] not in sources:
            sources.append(hit.article.links[0])
    return sources


def split_chunks(text: str, size: int = 48) -> list[str]:
    """``text`` cut at word boundaries into chunks of about ``size`` characters."""
    chunks: list[str] = []
    current = ""
    for piece in _CHUNK.findall(text):
        current += piece
        if len(current) >= size:
            chunks.append(current)
            current = ""
    if current:
        chunks.append(current)
    return chunks


class OfflineEngine:
    """Answers from the knowledge base; ``chunk_delay`` paces the stream (seconds)."""

    kind: Literal["offline"] = "offline"
    model = "plumberforce-offline-kb"

    def __init__(self, kb_version: str, chunk_delay: float = 0.0):
        self.kb_version = kb_version
        self.chunk_delay = chunk_delay

    def identity(self) -> dict[str, object]:
        return {"kind": self.kind, "model": self.model, "kb": self.kb_version}

    async def stream(self, request: EngineRequest) -> AsyncIterator[str]:
        request.answered.by(self.kind, self.model, answer_sources(request.hits))
        for i, chunk in enumerate(split_chunks(compose_answer(request))):
            if i and self.chunk_delay:
                await asyncio.sleep(self.chunk_delay)
            yield chunk

    async def aclose(self) -> None:
        return None
