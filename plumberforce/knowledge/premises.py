"""False premises: a number the question states for a figure an article's ``facts`` cover.

"Confirm the SOQL limit is 1,000,000" states 1,000,000 next to "SOQL" and "limit": the SOQL
queries fact (value 100) covers it and the number differs, so that fact is returned as a
correction. To avoid false alarms a number is only read as a claim when

- its sentence makes a claim about a figure (limit, maximum, up to, confirm, right?, vero?...)
  and is not part of a pasted error or stack trace ("Too many SOQL queries: 101");
- a fact's terms occur within a few words of it (the fact whose terms match more words, and
  closer ones, wins; facts of the articles the question retrieves best win ties) and the
  number's unit, if any, fits the fact ("30 seconds" is never a number of queries);
- it differs from the fact's value and from every other value the fact accepts (the
  asynchronous limit, the same limit in another unit), and from the values of the facts named
  about as strongly near it;
- it is not a version ("Bulk API 2.0"), the period a figure is counted over ("per 24 hours") or
  part of a SOQL clause ("LIMIT 50"), nor a count of an object's records (a word of ``_COUNTED``
  after it, "50.000 account", unless the fact's terms name it), nor a count limit plus one ("101",
  the count a LimitException prints: :meth:`Claim._exception_count`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from plumberforce.knowledge.articles import Article, Fact
from plumberforce.knowledge.figures import MILLION, THOUSAND, parse_number, unit_kind
from plumberforce.knowledge.patterns import bounded
from plumberforce.knowledge.text import fold, stem

WINDOW = 8  # words between a number and a fact term
RANKED = 5  # articles whose facts are preferred, by retrieval rank
RANK_BONUS = 0.25
SUPPORT = 0.8  # articles whose fact fits a number this well (relative to the best) share it
RIGHT_SHARE = SUPPORT  # a fact that fits this well and holds the number makes it right
PLANNED_WINDOW = 10  # words before a number where a verb of processing makes it a planned volume
PREFIX = 6  # stems this long that start the same word count as a match ("asincr" / "asincron")
_SENTENCE = bounded(r"[.!?;\n]+(?:\s|$)|\?")
_WORD = bounded(r"(?<![a-z_\d])\d+(?:[.,]\d+)*(?:\s?(?:k|mila|mln)\b)?%?|[a-z][a-z_'-]*")
# ("SeeAllData=true" is code, not a claim; "is it" opens a question or a clause, not "a VAT number is IT
# followed by 11 digits")
_CLAIM = bounded(
    r"\b(?:limit\w*|max\w*|minimum|at\s+most|up\s+to|no\s+more\s+than|confirm\w*|true(?<!=true)(?<!=\strue)|right|"
    r"correct|allowed|allows?|lets?|permits?|enough|isn'?t\s+it|"
    r"limite|limiti|massim\w*|minim\w*|al\s+massimo|fino\s+a|non\s+piu\s+di|conferm\w*|vero|giusto|"
    r"corretto|consent\w*|permett\w*|basta|bastano|sufficient\w*|"
    # a figure reported as read or heard, or as what a feature can take
    r"i\s+(?:read|heard)|i'?ve\s+(?:read|heard)|ho\s+(?:letto|sentito)|can\s+(?:take|handle|hold|accept)|"
    r"pu[oò]\s+(?:prendere|gestire|contenere|accettare|reggere))\b|(?:^|[,:])\s*is\s+it\b"
)
_ERRORISH = bounded(
    r"(?:exception\b|\btoo\s+many|\btoo\s+large|exceeded|first\s+error|failed|line\s+\d+|column\s+\d+|"
    r"maximum\s+size\s+is|is\s+too\s+(?:big|large)|fatal|skipped\s+\d+|size\s+reached)\b|[a-z]+_[a-z_]+:"
)
# a number soon after these is a volume the person plans to handle ("process 3 million rows in
# chunks of 500"), not a figure they claim for a limit
_PLANNED = frozenset(
    "process processes processed processing processare elaborare elaboriamo elabora elaborano load loads loaded "
    "loading caricare carichiamo caricano import imports imported importing importare importiamo importa "
    "importano".split()
)
_TOOLS = frozenset({"wizard"})  # "Data Import Wizard" names a tool, it is not a verb of processing
_COUNTED = frozenset("account accounts contact contacts contatti lead leads case cases users utenti ordini".split())


def _planned(raw: list[str], at: int) -> bool:
    """A verb of :data:`_PLANNED` among the words before the number at ``at``, unless it is part of
    a tool's name ("the Data Import Wizard handles up to...")."""
    start = max(0, at - PLANNED_WINDOW)
    return any(raw[k] in _PLANNED and raw[k + 1] not in _TOOLS for k in range(start, at))


def _accepted(fact: Fact) -> set[float]:
    values = {parse_number(v) for v in (fact.value, *fact.accepted)}
    return {v for v in values if v is not None}


def _term_stems(term: str) -> list[set[str]]:
    return [{stem(w, "en"), stem(w, "it"), w} for w in fold(term).lower().split()]


def _label_units(fact: Fact) -> set[str]:
    units = {unit_kind(w) for w in re.findall(r"[a-z%]+", fact.label.lower())}
    return {u for u in units if u}


# Numbers that are not figures: a product's version ("Bulk API 2.0", "OAuth 2.0"; "API version
# 60.0" stays a claim), the period a figure is counted over ("per 24 hours", "nelle 24 ore"), and
# SOQL clauses ("LIMIT 50 OFFSET 100", upper case as written in code).
_NOT_FIGURES = [
    bounded(r"(\b(?:api|oauth|soap|rest|http|tls|saml|pub/sub)\s+)v?\d+(?:\.\d+)+\b", re.I),
    bounded(
        r"()\b(?:per|every|each|a|an|ogni|nelle|nell'arco\s+di|in|within|entro|over|rolling|last|ultime|al|alle)\s+"
        r"(?:rolling\s+|a\s+)?\d+(?=[\s-]?(?:hours?|hrs?|h|ore|ora)\b)",
        re.I,
    ),
    bounded(r"()\b(?:LIMIT|OFFSET)\s+:?\w+"),
    # an HTTP status ("risponde 429", "returns a 503"), a debug log's usage line ("10412 out of 10000"),
    # and a count seen going up ("going up to 12"): what happened, not a figure claimed for a limit
    bounded(
        r"(\b(?:http|status|code|codice|risponde|rispondono|returns?|returned|returning|responds?|responded|got|gets|"
        r"errore|error)\s+(?:with\s+|un\s+|a\s+|an\s+|con\s+|il\s+|lo\s+)?(?:http\s+|status\s+)?)[1-5]\d\d\b",
        re.I,
    ),
    bounded(r"()\b\d+\s+out\s+of\s+\d+\b", re.I),
    bounded(r"(\b(?:going|went|gone|growing|grew|climbing|climbed|rising|rose)\s+(?:up\s+)?to\s+)\d+", re.I),
    # how many things the question asks for ("fammi 3 domande sui governor limits", "give me 5 examples")
    bounded(
        r"()\b\d+(?=\s+(?:domande|questions|quiz|esempi|examples|esercizi|exercises|scenari|scenarios|consigli|tips|idee|ideas|"
        r"modi|ways)\b)",
        re.I,
    ),
]


def _figures_only(question: str) -> str:
    """``question`` without the numbers that are versions, periods or SOQL clauses."""
    for pattern in _NOT_FIGURES:
        question = pattern.sub(r"\1 ", question)
    return question


def _claims(question: str) -> list[tuple[float, str | None, list[set[str]], int, str]]:
    """(number, its unit kind, words of its sentence as stem sets, index of the number, the
    object it counts or "")."""
    out = []
    for sentence in _SENTENCE.split(fold(_figures_only(question)).lower()):
        if not _CLAIM.search(sentence) or _ERRORISH.search(sentence):
            continue
        raw = _WORD.findall(sentence)
        words = [{w, stem(w, "en"), stem(w, "it")} if not w[0].isdigit() else {w} for w in raw]
        for i, w in enumerate(raw):
            if not w[0].isdigit():
                continue
            value = parse_number(w)
            if value is None or _planned(raw, i):
                continue
            following = raw[i + 1] if i + 1 < len(raw) else ""
            if following in MILLION:
                value *= 1_000_000
            elif following in THOUSAND:
                value *= 1_000
            unit = "percent" if w.endswith("%") else unit_kind(following)
            out.append((value, unit, words, i, following if following in _COUNTED else ""))
    return out


class _Parts:
    """The distinct words of every fact's terms (each a set of forms: the word and its stems), and
    which of them a question word meets: the same form or stem, or a stem of :data:`PREFIX`
    letters or more that starts the other (the Italian stemmer cuts "asincrono" and "asincrone"
    differently). Look-ups by form and by prefix instead of comparing every pair."""

    def __init__(self) -> None:
        self.ids: dict[frozenset[str], int] = {}
        self._exact: dict[str, set[int]] = {}  # form -> the parts holding it
        self._prefixes: dict[str, set[int]] = {}  # prefix of PREFIX+ letters of a long form -> parts

    def add(self, part: set[str]) -> int:
        key = frozenset(part)
        if key not in self.ids:
            self.ids[key] = len(self.ids)
            for form in key:
                self._exact.setdefault(form, set()).add(self.ids[key])
                for end in range(PREFIX, len(form) + 1):
                    self._prefixes.setdefault(form[:end], set()).add(self.ids[key])
        return self.ids[key]

    def met(self, word: frozenset[str]) -> set[int]:
        """The parts a question word (its forms and stems) meets."""
        found: set[int] = set()
        for form in word:
            found.update(self._exact.get(form, ()))
            if len(form) >= PREFIX:
                found.update(self._prefixes.get(form, ()))  # a longer or equal form starts with it
                for end in range(PREFIX, len(form)):  # it starts with a shorter form
                    found.update(self._exact.get(form[:end], ()))
        return found


def _nearest(
    parts: _Parts, words: list[set[str]], at: int, met: dict[frozenset[str], set[int]]
) -> dict[int, tuple[int, int]]:
    """For each part met within :data:`WINDOW` words of the number at ``at``: the nearest position
    meeting it and its distance (the leftmost of two as near); ``met`` caches :meth:`_Parts.met`."""
    nearest: dict[int, tuple[int, int]] = {}
    for j in range(max(0, at - WINDOW), min(len(words), at + WINDOW + 1)):
        if j == at:
            continue
        word = frozenset(words[j])
        if word not in met:
            met[word] = parts.met(word)
        for part in met[word]:
            if part not in nearest or abs(j - at) < nearest[part][1]:
                nearest[part] = (j, abs(j - at))
    return nearest


def _strength(terms: list[tuple[int, ...]], nearest: dict[int, tuple[int, int]]) -> float:
    """How strongly a fact's terms (tuples of part ids) surround a number: the sum of 1/distance
    over the distinct question words they match, a term counting only when all its words are near
    (0 when none is)."""
    matched: dict[int, int] = {}
    for term in terms:
        found: dict[int, int] = {}
        for part in term:
            if part not in nearest:
                found = {}
                break
            j, distance = nearest[part]
            found[j] = distance
        matched.update(found)
    return sum(1 / d for d in matched.values())


@dataclass(frozen=True)
class Claim:
    """A number the question states for a fact. ``article`` indexes the article list;
    ``articles`` are all the articles holding a fact that fits the number about as well."""

    article: int
    fact: Fact
    number: float
    articles: tuple[int, ...] = ()

    @property
    def wrong(self) -> bool:
        accepted = _accepted(self.fact)
        return self.number not in accepted and not self._exception_count(accepted)

    def _exception_count(self, accepted: set[float]) -> bool:
        """The count a LimitException prints for a count limit: one past it ("Too many SOQL
        queries: 101"), which people use to name the limit ("the SOQL 101 limit"). Counts only:
        a figure of 10 or more whose label names no unit ("7 MB" of a 6 MB heap stays wrong)."""
        below = self.number - 1
        return self.number.is_integer() and below >= 10 and below in accepted and not _label_units(self.fact)


class FactIndex:
    """The facts of every article, ready to be matched against the numbers of a question."""

    def __init__(self, articles: Sequence[Article]):
        self._parts = _Parts()
        self._facts = [
            (
                i,
                fact,
                [tuple(self._parts.add(p) for p in _term_stems(t)) for t in fact.terms],
                _label_units(fact),
                frozenset(w for t in fact.terms for w in fold(t).lower().split()),
            )
            for i, article in enumerate(articles)
            for fact in article.facts
        ]

    def claims(self, question: str, ranking: Sequence[int] = ()) -> list[Claim]:
        """The fact each claimed number of ``question`` refers to.

        ``ranking`` lists article indexes best first; facts of the first few articles win ties,
        so a number goes to the fact of the article the question is about.
        """
        bonus = {article: RANK_BONUS / (rank + 1) for rank, article in enumerate(ranking[:RANKED])}
        found: list[Claim] = []
        met: dict[frozenset[str], set[int]] = {}
        for value, unit, words, at, counted in _claims(question):
            nearest = _nearest(self._parts, words, at, met)
            candidates = []
            for article, fact, terms, units, named in self._facts:
                if (unit and unit not in units) or (counted and counted not in named):
                    continue  # "30 seconds" cannot be a number of queries, nor "50.000 account" of calls
                strength = _strength(terms, nearest)
                if strength:
                    candidates.append((strength + bonus.get(article, 0.0), strength, article, fact))
            if candidates:
                _, strongest, article, fact = max(candidates, key=lambda c: c[0])
                near = tuple(sorted({c[2] for c in candidates if c[1] >= SUPPORT * strongest}))
                # a number that is the documented figure of a fact named about as strongly is right
                # ("250,000 executions" next to both the daily async limit and a batch's "per execute")
                right = [c for c in candidates if c[1] >= RIGHT_SHARE * strongest and value in _accepted(c[3])]
                if right and value not in _accepted(fact):
                    _, _, article, fact = max(right, key=lambda c: c[0])
                found.append(Claim(article, fact, value, near))
        return found


def corrections(claims: Sequence[Claim]) -> list[Fact]:
    """The facts the question states wrongly, once each."""
    facts: list[Fact] = []
    for claim in claims:
        if claim.wrong and claim.fact not in facts:
            facts.append(claim.fact)
    return facts


_CORRECTION = {
    "en": ("**A correction first**: the question assumes a different figure.", "{label}"),
    "it": ("**Prima una correzione**: la domanda presuppone un valore diverso.", "{label}"),
}


def correction_message(facts: Sequence[Fact], lang: str) -> str:
    """A short markdown note that states the right figures, in ``lang`` ("it"/"en"); "" if none."""
    if not facts:
        return ""
    intro, line = _CORRECTION["it" if lang == "it" else "en"]
    return "\n".join([intro, *(f"- {line.format(label=f.label_for(lang))}" for f in facts)])
