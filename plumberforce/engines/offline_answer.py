"""The offline answer, composed from the knowledge base: a direct answer first, then the best
article trimmed to what is relevant, then related articles and sources.

The direct answer ("Answer" / "Risposta") holds the few passages (sentences, bullets, facts)
that answer *this* question, chosen across the best articles by the knowledge base
(:attr:`plumberforce.knowledge.Verdict.passages`); a comparison draws from both sides. The best
article follows with its approach, best practices and alternatives cut to the passages that
matter for the question (with the approach's code), and a link to the whole article as a page
(``articles/<id>?lang=<lang>``, relative to the Space's root: :mod:`plumberforce.web.article_page`;
the Render proxy turns it into its own ``/articles/<id>`` page).
"""

from __future__ import annotations

import re

from plumberforce.engines.base import EngineRequest
from plumberforce.knowledge import Article, Hit, PassageHit, Source
from plumberforce.knowledge.fields import query_tokens
from plumberforce.knowledge.passages import split_passages
from plumberforce.knowledge.text import tokenize

HEADINGS = {
    "en": {
        "banner": "**Offline knowledge base**: this answer is composed from Plumberforce's "
        "built-in Salesforce articles, not written by a language model.",
        "answer": "Answer",
        "approach": "Approach",
        "best_practices": "Best practices",
        "alternatives": "Alternatives",
        "sources": "Sources",
        "related": "Related articles",
        "full": "Full article",
        "nothing": "I found nothing in the offline knowledge base that matches this question. "
        "Try naming the Salesforce feature, the Apex class or the exact error message.",
    },
    "it": {
        "banner": "**Knowledge base offline**: questa risposta è composta dagli articoli "
        "Salesforce integrati in Plumberforce, non scritta da un modello linguistico.",
        "answer": "Risposta",
        "approach": "Approccio",
        "best_practices": "Buone pratiche",
        "alternatives": "Alternative",
        "sources": "Fonti",
        "related": "Articoli correlati",
        "full": "Articolo completo",
        "nothing": "Non ho trovato nulla nella knowledge base offline che corrisponda alla "
        "domanda. Prova a indicare la funzionalità Salesforce, la classe Apex o il messaggio "
        "di errore esatto.",
    },
}
LAYOUT = "2"  # of the answer's text, in the engine's identity (the answer-cache key): bump it when
# the same hits give another text (2: links to the article page, not its JSON)
RELATED_RATIO = 0.6  # a further article is related when it scores this close to the best
DIRECT = 6  # passages in the direct answer (after the best article's summary)
SENTENCES = 3  # sentences kept of a long passage in the direct answer (those sharing most words)
SECTION_LIMITS = {"approach": 2, "best_practices": 2, "alternatives": 2}
SOURCES = 4  # links under Sources
_COMPARISON = re.compile(
    r"\b(?:vs\.?|versus|or|o|oppure|differen\w*|compare\w*|comparison|confront\w*|better|meglio|"
    r"which\s+(?:one|should)|quale\s+(?:scegliere|usare|conviene))\b",
    re.IGNORECASE,
)


_SENTENCE = re.compile(r"(?<=[.!?;])\s+(?=[A-Z`*(\d\"])")
_FIGURES = re.compile(
    r"\d|\bhow\s+(?:many|much|long|big)\b|\blimit|\bmax|\bquant[ioe]\b|\bquanto\b|\blimit[ei]\b|\bmassim|"
    r"\bfino\s+a\b|\bup\s+to\b|\bdefault\b|\bpredefinit",
    re.IGNORECASE,
)


def article_link(article: Article, lang: str) -> str:
    """The relative link to the whole article as a page in ``lang`` (``GET /articles/{id}``; the
    JSON stays at ``/api/articles/{id}`` for programs)."""
    return f"articles/{article.id}?lang={'it' if lang == 'it' else 'en'}"


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
    return sources[:SOURCES]  # the answer lists these, and the meta says the same


def _same(text: str) -> str:
    """What two passages must share to say the same thing (the same fact in two articles)."""
    return " ".join(re.findall(r"\w+", text.lower()))


def direct_passages(request: EngineRequest) -> list[PassageHit]:
    """The passages of the direct answer: the best ones, at most two per article, and for a
    comparison at least one from each of the two best articles. A passage that says what an
    earlier one or the preface (a correction) already says is left out: several articles hold
    the same fact ("SOQL queries per transaction: 100 synchronous, 200 asynchronous")."""
    figures = bool(_FIGURES.search(request.question))
    said = _same(request.preface or "")
    seen: set[str] = set()
    ranked = []
    for p in request.passages:
        if p.passage.section == "summary" and p.article is not request.hits[0].article:
            continue
        if p.passage.section == "fact" and not figures:
            continue
        key = _same(p.passage.text)
        if key in seen or (key and key in said):
            continue
        seen.add(key)
        ranked.append(p)
    chosen: list[PassageHit] = []
    per_article: dict[str, int] = {}
    sides = [h.article.id for h in ([request.hits[0], *related_hits(request.hits)][:2])]
    if _COMPARISON.search(request.question) and len(sides) == 2:
        for side in sides:
            first = next((p for p in ranked if p.article.id == side), None)
            if first:
                chosen.append(first)
                per_article[side] = 1
    for passage in ranked:
        if len(chosen) >= DIRECT:
            break
        if passage in chosen or per_article.get(passage.article.id, 0) >= 2:
            continue
        chosen.append(passage)
        per_article[passage.article.id] = per_article.get(passage.article.id, 0) + 1
    return sorted(chosen, key=lambda p: -p.score)


def sentences(text: str, asked: set[str], n: int = SENTENCES) -> str:
    """The ``n`` sentences of ``text`` that share most tokens with the question, in their order."""
    parts = _SENTENCE.split(text)
    if len(parts) <= n:
        return text
    overlap = [len(set(tokenize(p, None, bigrams=False)) & asked) for p in parts]
    keep = sorted(sorted(range(len(parts)), key=lambda i: (-overlap[i], i))[:n])
    return " ".join(parts[i] for i in keep)


def _direct(request: EngineRequest, best: Article) -> str:
    """The best article's summary, then the best passages (the other articles' ones named)."""
    lang = request.lang
    chosen = [p for p in direct_passages(request) if p.passage.section != "summary"] if request.passages else []
    asked = set(query_tokens(request.question))
    lines = [best.summary_for(lang), ""] if chosen else [best.summary_for(lang)]
    for hit in chosen:
        source = "" if hit.article is best else f" ({hit.article.title_for(lang)})"
        lines.append(f"- {sentences(hit.passage.text, asked)}{source}")
    return "\n".join(lines)


def _trimmed(request: EngineRequest, best: Article, section: str, shown: set[str]) -> str:
    """The passages of ``section`` of the best article that rank for the question (in article
    order), or its opening when none does; passages already in the direct answer are skipped."""
    lang = request.lang
    own = [p for p in split_passages(0, best) if p.section == section and p.lang == lang]
    own = own or [p for p in split_passages(0, best) if p.section == section and p.lang == "en"]
    scores = {p.passage.order: p.score for p in request.passages if p.article is best and p.passage.section == section}
    fresh = [p for p in own if p.text not in shown]
    picked = sorted((p for p in fresh if p.order in scores), key=lambda p: -scores[p.order])[: SECTION_LIMITS[section]]
    if not picked:
        picked = fresh[: 1 if section == "approach" else SECTION_LIMITS[section]]
    picked.sort(key=lambda p: p.order)
    if section != "approach":
        return "\n".join(f"- {p.text}" for p in picked)
    code = [c for p in picked for c in p.code] or best.code_blocks()[:1]
    return "\n\n".join([p.text for p in picked] + code[:1])


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
    parts.append(f"### {words['answer']}\n\n{_direct(request, best)}")
    shown = {p.passage.text for p in direct_passages(request)} | {best.summary_for(lang)} if request.passages else set()
    for name in ("approach", "best_practices", "alternatives"):
        body = _trimmed(request, best, name, shown)
        if body.strip():
            parts.append(f"### {words[name]}\n\n{body}")
    parts.append(f"{words['full']}: [{best.title_for(lang)}]({article_link(best, lang)})")
    related = related_hits(request.hits)
    if related:
        lines = [f"- [{h.article.title_for(lang)}]({article_link(h.article, lang)})" for h in related]
        parts.append(f"### {words['related']}\n\n" + "\n".join(lines))
    sources = [f"{i}. [{s.title}]({s.url})" for i, s in enumerate(answer_sources(request.hits), 1)]
    parts.append(f"### {words['sources']}\n\n" + "\n".join(sources))
    return "\n\n".join(parts) + "\n"
