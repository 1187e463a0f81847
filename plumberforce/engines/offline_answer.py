"""The offline answer, composed from the knowledge base: a direct answer first, then the best
article trimmed to what is relevant, then related articles and sources.

The direct answer ("Answer" / "Risposta") holds the few passages (sentences, bullets, facts)
that answer *this* question, chosen across the best articles by the knowledge base
(:attr:`plumberforce.knowledge.Verdict.passages`); a comparison draws from both sides. The best
article follows with its approach, best practices and alternatives cut to the passages that
matter for the question (with the approach's code), and a link to the whole article
(``api/articles/<id>``, JSON in both languages).
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
RELATED_RATIO = 0.6  # a further article is related when it scores this close to the best
DIRECT = 4  # passages in the direct answer (after the best article's summary)
FLOOR = 0.85  # a passage of the best article joins the direct answer scoring this close to the best passage
FLOOR_OTHER = 0.9  # ... and a passage of another article only this close (it is off the article's topic)
SECTION_FLOOR = 0.8  # a section passage is shown when it scores this close to the best passage
SUMMARY = 2  # sentences of the best article's summary kept when passages follow
SENTENCES = 2  # sentences kept of a long passage in the direct answer (those sharing most words)
SECTION_LIMITS = {"approach": 2, "best_practices": 2, "alternatives": 2}
CODE_LINES = 24  # lines of the approach's code kept (comment-only lines are cut first)
CODE_WHEN = "always"  # "always", "howto" (questions asking how to do or write something), "never"
SOURCES = 3  # links under Sources
FIGURE_FLOOR = 0.7
FIGURE_ANY = False
SIDE_FLOOR = 0.7
SUMMARY_FIRST = False
CODE_COMMENTS = True
CODE_ALONE = True
OTHER_STRICT = False
SIDE_BY_TITLE = False
SKIP_LEADIN = True
PROSE_TOP = True
_COMPARISON = re.compile(
    r"\b(?:vs\.?|versus|or|o|oppure|differen\w*|compare\w*|comparison|confront\w*|better|meglio|"
    r"which\s+(?:one|should)|quale\s+(?:scegliere|usare|conviene))\b",
    re.IGNORECASE,
)


_SENTENCE = re.compile(r"(?<=[.!?;])\s+(?=[A-Z`*(\d\"])")
_STOP = re.compile(r"(?<=[.!?])\s+(?=[A-Z`*(\d\"])")  # full stops only: a summary's opening ends on one
_FIGURES = re.compile(
    r"\d|\bhow\s+(?:many|much|long|big)\b|\blimit|\bmax|\bquant[ioe]\b|\bquanto\b|\blimit[ei]\b|\bmassim|"
    r"\bfino\s+a\b|\bup\s+to\b|\bdefault\b|\bpredefinit",
    re.IGNORECASE,
)


def article_link(article: Article) -> str:
    """The relative link to the whole article as JSON (``GET /api/articles/{id}``)."""
    return f"api/articles/{article.id}"


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
    """The passages of the direct answer, best first: those scoring close to the best passage
    (closer still for another article's), at most two per article, and for a comparison at
    least one from each of the two best articles. When the question asks a figure, the best
    passage stating one comes first. A passage that says what an earlier one or the preface (a
    correction) already says is left out: several articles hold the same fact ("SOQL queries per
    transaction: 100 synchronous, 200 asynchronous"); so is any summary (the best article's
    opens the answer)."""
    if not request.passages or not request.hits:
        return []
    best = request.hits[0].article
    figures = bool(_FIGURES.search(request.question))
    said = _same(request.preface or "")
    seen: set[str] = set()
    ranked = []
    for p in request.passages:
        if p.passage.section == "summary" or (p.passage.section == "fact" and not figures):
            continue
        if SKIP_LEADIN and p.passage.text.rstrip().endswith(":"):
            continue
        key = _same(p.passage.text)
        if key in seen or (key and key in said):
            continue
        seen.add(key)
        ranked.append(p)
    if not ranked:
        return []
    top = ranked[0].score
    prose = next((p.score for p in ranked if p.passage.section != "fact"), top) if PROSE_TOP else top
    chosen: list[PassageHit] = []
    if figures:
        stated = next((p for p in ranked if _figure(p) and p.score >= FIGURE_FLOOR * top), None)
        chosen += [stated] if stated else []
    related = related_hits(request.hits)
    if SIDE_BY_TITLE:
        asked = set(query_tokens(request.question))
        related = sorted(
            related, key=lambda h: -len(asked & set(tokenize(h.article.title_for(request.lang), None, bigrams=False)))
        )
    sides = [h.article.id for h in ([request.hits[0], *related][:2])]
    if _COMPARISON.search(request.question) and len(sides) == 2:
        for side in sides:
            first = next((p for p in ranked if p.article.id == side and p.score >= SIDE_FLOOR * top), None)
            if first and first not in chosen:
                chosen.append(first)
    for p in ranked:
        if len(chosen) >= DIRECT:
            break
        floor = FLOOR if p.article is best else FLOOR_OTHER
        if OTHER_STRICT and p.article is not best and p.passage.section != "fact":
            continue
        if (
            p in chosen
            or p.score < floor * (top if p.passage.section == "fact" else prose)
            or sum(c.article is p.article for c in chosen) >= 2
        ):
            continue
        chosen.append(p)
    return (
        chosen[:1] + sorted(chosen[1:], key=lambda p: -p.score)
        if figures and chosen
        else sorted(chosen, key=lambda p: -p.score)
    )


def _figure(hit: PassageHit) -> bool:
    """Whether a passage states a figure (a fact, or a sentence with a number)."""
    return hit.passage.section == "fact" or (FIGURE_ANY and bool(re.search(r"\d", hit.passage.text)))


def sentences(text: str, asked: set[str], n: int | None = None) -> str:
    """The ``n`` sentences of ``text`` that share most tokens with the question, in their order."""
    n = SENTENCES if n is None else n
    parts = _SENTENCE.split(text)
    if len(parts) <= n:
        return text
    overlap = [len(set(tokenize(p, None, bigrams=False)) & asked) for p in parts]
    keep = sorted(sorted(range(len(parts)), key=lambda i: (-overlap[i], i))[:n])
    return " ".join(parts[i] for i in keep)


def _direct(request: EngineRequest, best: Article, chosen: list[PassageHit]) -> str:
    """The best article's summary (its opening when passages follow), then the chosen passages
    (another article's named)."""
    lang = request.lang
    asked = set(query_tokens(request.question))
    summary = best.summary_for(lang)
    if chosen and SUMMARY:
        if SUMMARY_FIRST == "lead":
            parts = _STOP.split(summary)
            summary = " ".join(
                parts[:1]
                + ([sentences(" ".join(parts[1:]), asked, SUMMARY - 1)] if len(parts) > 1 and SUMMARY > 1 else [])
            )
        else:
            summary = " ".join(_STOP.split(summary)[:SUMMARY]) if SUMMARY_FIRST else sentences(summary, asked, SUMMARY)
    lines = [summary, ""] if chosen else [summary]
    for hit in chosen:
        source = "" if hit.article is best else f" ({hit.article.title_for(lang)})"
        lines.append(f"- {sentences(hit.passage.text, asked)}{source}")
    return "\n".join(lines)


_HOWTO = re.compile(
    r"\bhow\s+(?:do|can|should|to|would)\b|\bwrite|\bexample|\bcode\b|\bsyntax|\bimplement|\bcome\s+"
    r"(?:faccio|si|posso|devo|scrivo|richiamo|gestisco|testo|chiamo)\b|\besempio|\bcodice|\bsintassi|\bscriv",
    re.IGNORECASE,
)
_COMMENT = re.compile(r"^\s*(?://|#|<!--.*-->\s*$|/?\*)")


def trim_code(block: str, limit: int | None = None) -> str:
    """A code block without its comment-only lines (commented-out "bad" examples, step labels),
    cut to ``limit`` lines; the whole block stays in the full article."""
    limit = CODE_LINES if limit is None else limit
    lines = block.splitlines()
    fence, body, close = lines[0], lines[1:-1], lines[-1]
    if CODE_COMMENTS:
        body = [line for line in body if not _COMMENT.match(line)]
    body = [line for i, line in enumerate(body) if line.strip() or (i and body[i - 1].strip())]
    if limit and len(body) > limit:
        mark = (
            "#"
            if any(x in fence for x in ("bash", "yaml", "python"))
            else "<!--"
            if any(x in fence for x in ("xml", "html"))
            else "//"
        )
        body = body[:limit] + [f"{mark} …" + (" -->" if mark == "<!--" else "")]
    return "\n".join([fence, *body, close])


def _wants_code(request: EngineRequest) -> bool:
    return CODE_WHEN == "always" or (CODE_WHEN == "howto" and bool(_HOWTO.search(request.question)))


def _trimmed(request: EngineRequest, best: Article, section: str, shown: set[str], top: float) -> str:
    """The passages of ``section`` of the best article that rank for the question (in article
    order; none when none ranks close to the best passage, the full article is one link away);
    passages already in the direct answer are skipped. Without passages (a caller that has only
    the articles), the section's opening."""
    lang = request.lang
    own = [p for p in split_passages(0, best) if p.section == section and p.lang == lang]
    own = own or [p for p in split_passages(0, best) if p.section == section and p.lang == "en"]
    scores = {p.passage.order: p.score for p in request.passages if p.article is best and p.passage.section == section}
    fresh = [p for p in own if p.text not in shown]
    if request.passages:
        ranked = [p for p in fresh if scores.get(p.order, -1.0) >= SECTION_FLOOR * top]
        picked = sorted(ranked, key=lambda p: -scores[p.order])[: SECTION_LIMITS[section]]
    else:
        picked = fresh[: 1 if section == "approach" else SECTION_LIMITS[section]]
    picked.sort(key=lambda p: p.order)
    if section != "approach":
        return "\n".join(f"- {p.text}" for p in picked)
    code = [c for p in picked for c in p.code] or best.code_blocks()[:1]
    code = [trim_code(code[0])] if code and (_wants_code(request) or not request.passages) else []
    if not picked and not CODE_ALONE:
        code = []
    return "\n\n".join([p.text for p in picked] + code)


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
    chosen = direct_passages(request)
    parts.append(f"### {words['answer']}\n\n{_direct(request, best, chosen)}")
    shown = {p.passage.text for p in chosen} | {best.summary_for(lang)}
    skip = ("summary", "fact") if PROSE_TOP else ("summary",)
    top = max((p.score for p in request.passages if p.passage.section not in skip), default=0.0)
    for name in ("approach", "best_practices", "alternatives"):
        body = _trimmed(request, best, name, shown, top)
        if body.strip():
            parts.append(f"### {words[name]}\n\n{body}")
    parts.append(f"{words['full']}: [{best.title_for(lang)}]({article_link(best)})")
    related = related_hits(request.hits)
    if related:
        lines = [f"- [{h.article.title_for(lang)}]({article_link(h.article)})" for h in related]
        parts.append(f"### {words['related']}\n\n" + "\n".join(lines))
    sources = [f"{i}. [{s.title}]({s.url})" for i, s in enumerate(answer_sources(request.hits), 1)]
    parts.append(f"### {words['sources']}\n\n" + "\n".join(sources))
    return "\n\n".join(parts) + "\n"
