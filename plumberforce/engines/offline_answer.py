"""The offline answer, composed from the knowledge base: a direct answer first, then the best
article trimmed to what is relevant, then related articles and sources.

The direct answer ("Answer" / "Risposta") holds the best article's summary and the few passages
(sentences, bullets, facts) that answer *this* question, chosen across the best articles by the
knowledge base (:attr:`plumberforce.knowledge.Verdict.passages`): only those scoring close to the
best passage, the one stating a figure first when the question asks one, and for a comparison
both sides. The best article follows with its approach, best practices and alternatives cut to
the passages that rank for the question (a section none of whose passages ranks is left out),
the approach's code without comment-only lines, and a link to the whole article as a page
(``articles/<id>?lang=<lang>``, relative to the Space's root: :mod:`plumberforce.web.article_page`;
the Render proxy turns it into its own ``/articles/<id>`` page). The figures behind each choice,
and the options left out, are in bench/README.md ("Eighth round: focused answers").
"""

from __future__ import annotations

import re

from plumberforce.engines.answer_code import CODE_MARGIN, closest_code, trim_code
from plumberforce.engines.base import EngineRequest
from plumberforce.knowledge import Article, Hit, Passage, PassageHit, Source
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
LAYOUT = "focused-3"  # of the answer's text, in the engine's identity (the answer-cache key): bump it
# when the same hits give another text (focused-2: the focused layout, links to the article page;
# focused-3: the approach shows the code block closest to the question)
RELATED_RATIO = 0.6  # a further article is related when it scores this close to the best
DIRECT = 4  # passages in the direct answer at most (after the best article's summary)
FLOOR = 0.75  # a passage joins the direct answer scoring this close to the best one of its kind
FIGURE_FLOOR = 0.6  # the figure-stating passage put first scores at least this close to the best
SIDE_FLOOR = 0.7  # a comparison's side is shown when its best passage scores this close
SENTENCES = 3  # sentences kept of a long passage in the direct answer (those sharing most words)
SECTION_FLOOR = 0.85  # a section's passage is shown when it scores this close to the best passage
SECTION_LIMITS = {"approach": 2, "best_practices": 2, "alternatives": 2}
SOURCES = 3  # links under Sources
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


_TOO_MANY = re.compile(r"\bToo many [^:\n]{3,40}: (\d+)")


def _exceeded(question: str) -> set[int]:
    """The limits a pasted limit error went over: Salesforce prints the count one past the limit
    ("Too many query rows: 50001" is the 50,000 limit)."""
    return {int(n) - 1 for n in _TOO_MANY.findall(question)}


def _figures(text: str) -> set[int]:
    """The numbers a fact passage shows. Read from its label, not from the fact's ``value`` and
    ``accepted``: those also hold other contexts' figures (the synchronous Queueable limit of 50
    accepts the asynchronous 1), which would put the wrong fact first for "added to the queue: 2"."""
    return {int(re.sub(r"[,.]", "", n)) for n in re.findall(r"\d{1,3}(?:[,.]\d{3})+|\d+", text)}


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


def _share(text: str, asked: set[str]) -> float:
    """The share of a passage's words that the question uses (a short fact made of the question's
    words states what it asks)."""
    words = set(tokenize(text, None, bigrams=False))
    return len(words & asked) / max(len(words), 1)


def direct_passages(request: EngineRequest) -> list[PassageHit]:
    """The passages of the direct answer, best first: those scoring at least ``FLOOR`` of the
    best passage of their kind (facts against the best passage, prose against the best prose
    passage, so that a fact matching the question's words does not shut out the fix it asks
    for), at most two per article, and for a comparison one from each of the two best articles.
    When the question asks a figure, the fact most made of the question's words comes first, and
    when it pastes a limit error ("Too many query rows: 50001"), the fact stating that limit.
    Summaries are left out (the best article's opens the answer), so are lead-ins ending in ":"
    (their list is not shown) and a passage that says what an earlier one or the preface (a
    correction) already says: several articles hold the same fact ("SOQL queries per
    transaction: 100 synchronous, 200 asynchronous")."""
    if not request.passages or not request.hits:
        return []
    figures = bool(_FIGURES.search(request.question))
    asked = set(query_tokens(request.question))
    said = _same(request.preface or "")
    seen: set[str] = set()
    ranked = []
    for p in request.passages:
        if p.passage.section == "summary" or (p.passage.section == "fact" and not figures):
            continue
        key = _same(p.passage.text)
        if p.passage.text.rstrip().endswith(":") or key in seen or (key and key in said):
            continue
        seen.add(key)
        ranked.append(p)
    if not ranked:
        return []
    top = ranked[0].score
    prose = next((p.score for p in ranked if p.passage.section != "fact"), top)
    facts = [p for p in ranked if p.passage.section == "fact" and p.score >= FIGURE_FLOOR * top]
    stated = max(facts, key=lambda p: _share(p.passage.text, asked), default=None)
    exceeded = _exceeded(request.question)
    hit = [p for p in ranked if p.passage.section == "fact" and exceeded & _figures(p.passage.text)]
    stated = hit[0] if hit else stated
    chosen = [stated] if stated else []
    sides = [h.article.id for h in [request.hits[0], *related_hits(request.hits)][:2]]
    if _COMPARISON.search(request.question) and len(sides) == 2:
        for side in sides:
            first = next((p for p in ranked if p.article.id == side and p.score >= SIDE_FLOOR * top), None)
            if first and first not in chosen:
                chosen.append(first)
    for p in ranked:
        if len(chosen) >= DIRECT:
            break
        bar = FLOOR * (top if p.passage.section == "fact" else prose)
        if p in chosen or p.score < bar or sum(c.article is p.article for c in chosen) >= 2:
            continue
        chosen.append(p)
    rest = sorted((p for p in chosen if p is not stated), key=lambda p: -p.score)
    return [stated, *rest] if stated else rest


def sentences(text: str, asked: set[str], n: int = SENTENCES) -> str:
    """The ``n`` sentences of ``text`` that share most tokens with the question, in their order."""
    parts = _SENTENCE.split(text)
    if len(parts) <= n:
        return text
    overlap = [len(set(tokenize(p, None, bigrams=False)) & asked) for p in parts]
    keep = sorted(sorted(range(len(parts)), key=lambda i: (-overlap[i], i))[:n])
    return " ".join(parts[i] for i in keep)


def _direct(request: EngineRequest, best: Article, chosen: list[PassageHit]) -> str:
    """The best article's summary (whole: cutting it to its opening lost key facts), then the
    chosen passages (another article's named)."""
    lang = request.lang
    asked = set(query_tokens(request.question))
    lines = [best.summary_for(lang), ""] if chosen else [best.summary_for(lang)]
    for hit in chosen:
        source = "" if hit.article is best else f" ({hit.article.title_for(lang)})"
        lines.append(f"- {sentences(hit.passage.text, asked)}{source}")
    return "\n".join(lines)


def _trimmed(
    request: EngineRequest, best: Article, passages: list[Passage], section: str, shown: set[str], top: float
) -> str:
    """The passages of ``section`` of the best article scoring at least ``SECTION_FLOOR`` of the
    best prose passage (``top``), in article order, or nothing: the full article is one link
    away. Passages already in the direct answer and lead-ins without their list are skipped. The
    approach keeps one code block: of its shown passages' blocks (else those of its best-ranked
    passage with code, a test's code for a question on tests, else the article's first) the one
    closest to the question (:func:`closest_code`), unless another block of the approach is closer
    still by a wider margin (the Jest test for a question on Jest). Without passages (a caller
    that has only the articles), each section's opening. ``passages`` are the best article's own
    (:func:`split_passages`, split once for the three sections)."""
    lang = request.lang
    own = [p for p in passages if p.section == section and p.lang == lang]
    own = own or [p for p in passages if p.section == section and p.lang == "en"]
    scores = {p.passage.order: p.score for p in request.passages if p.article is best and p.passage.section == section}
    fresh = [p for p in own if p.text not in shown and (p.code or not p.text.endswith(":"))]
    if request.passages:
        ranked = [p for p in fresh if scores.get(p.order, -1.0) >= SECTION_FLOOR * top]
        picked = sorted(ranked, key=lambda p: -scores[p.order])[: SECTION_LIMITS[section]]
    else:
        picked = fresh[: 1 if section == "approach" else SECTION_LIMITS[section]]
    picked.sort(key=lambda p: p.order)
    if section != "approach":
        return "\n".join(f"- {p.text}" for p in picked)
    code = [c for p in picked for c in p.code]
    with_code = [
        p for p in request.passages if p.article is best and p.passage.section == "approach" and p.passage.code
    ]
    code = code or (list(with_code[0].passage.code) if with_code else best.code_blocks()[:1])
    if code:  # the closest of these blocks, then of the approach's other blocks (a wider margin)
        asked = set(query_tokens(request.question))
        others = [c for p in own if p.section == "approach" for c in p.code if c not in code]
        code = [closest_code([closest_code(code, asked), *others], asked, CODE_MARGIN + 1)]
    return "\n\n".join([p.text for p in picked] + [trim_code(c) for c in code])


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
    prose = [p.score for p in request.passages if p.passage.section not in ("summary", "fact")]
    top = max(prose, default=0.0)
    own = split_passages(0, best)
    for name in ("approach", "best_practices", "alternatives"):
        body = _trimmed(request, best, own, name, shown, top)
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
