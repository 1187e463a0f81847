"""Text normalisation for retrieval: one tokenizer for articles and questions, both languages.

Words are lower-cased, accents folded and identifiers split (``System.LimitException`` gives
``system.limitexception``, ``system``, ``limitexception``, ``limit``, ``exception``;
``MIXED_DML_OPERATION`` gives the whole code and its parts). Stop words of English and Italian
are dropped, with the boilerplate of forum questions ("ciao", "raga", "qualcuno sa", "far",
"possibile"...). Each word is then stemmed in the language of the text: article fields know their
language; a question may mix both (an Italian sentence around an English error), so its words are
stemmed both ways (``lang=None``). The Snowball stemmers already join Italian plural and gender
forms ("chiuso", "chiusa", "chiusi", "chiuse" -> ``chius``), so the synonym table needs one
form. A short bilingual synonym table adds the English stem to an Italian one ("ciclo" ->
``loop``, "pianificare" -> ``schedul``), so either language meets the other's articles; a few
multi-word phrases ("with sharing", "ciclo di vita") become one token. Those tables live in
``vocabulary.yaml``. Neighbouring content words also give an order-free pair token, and "X or
Y" / "X vs Y" a comparison token, which ranks "Flow or Apex?" with the article that compares them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import Stemmer
import yaml

STOP_WORDS = frozenset(
    """
    a an the of to is are was were be been being do does did doing how what when where why which
    who whom this that these those my your our their its it in on at from by about into
    can could should would will shall may might must have has had not no and or but if then than
    there here i you we they me him her them he she us so very just also too any some all each
    get got please want need im ive dont doesnt isnt cant way ways thing things use using used
    one ones still really something anything every ever already instead actually right know
    il lo la i gli le un una uno del della dei delle degli dello al alla ai alle allo dal dalla
    dai dalle nel nella nei nelle sul sulla sui sulle con per tra fra di da in su che chi cosa
    come quando perche perché dove quale quali quanto non piu anche ancora gia sono e sei siamo
    siete ho hai ha abbiamo avete hanno posso puoi puo devo deve voglio vorrei mi ti si ci vi ne
    se ma o ed questo questa questi queste quello quella mio mia miei mie tuo tua suo sua loro
    ogni uso usare fare faccio fa modo qual cos l d c po col coi nello negli sugli agli dagli
    esce succede sto stai sta stanno era erano essere avere qualcosa qualche tutto tutti tutta
    tutte cioe ecco allora pero invece oppure solo sempre mai proprio cosi rispetto quanti quante
    quanta sapere so sai capire capisco riesco riesce esiste esistono serve servono bisogna
    dovrebbe potrebbe vorrei volevo avevo ero stato stata messo mettere metto trovo trovare
    many much does which whats hows lot lots dell nell sull dall quest anch tutt
    vero giusto corretto confermi confermare true correct ok okay
    vs versus difference differences differenza differenze compare comparison confronto between
    better meglio should dovrei conviene for with
    ciao salve raga ragazzi grazie qualcuno sapete saprebbe far farlo farla farli fatto faccia
    facendo possibile potrei possiamo dobbiamo devono vogliamo volete migliore maniera usando
    utilizzare utilizzo usiamo praticamente comunque quindi ecc aiutatemi aiutami verso
    prendere prendo prende nostro nostra nostri nostre vostro vostra vostri vostre spiegami spiegatemi
    hi hello thanks guys anyone someone best possible pls plz wondering trying tried able basically
    """.split()
)
_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_STEMMERS = {"en": Stemmer.Stemmer("english"), "it": Stemmer.Stemmer("italian")}

_COMBINING = re.compile(r"[\u0300-\u036f]")
VOCABULARY_PATH = Path(__file__).parent / "vocabulary.yaml"


@dataclass(frozen=True)
class _Vocabulary:
    protected: dict[str, str]
    synonyms: dict[str, tuple[str, ...]]
    phrases: dict[tuple[str, ...], str]
    phrase_first: frozenset[str]
    phrase_max: int
    words: frozenset[str]  # the single words the tables name (protected forms, synonyms' keys)


@lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    """The tables of ``vocabulary.yaml``, with synonyms keyed and valued by stems."""
    data = yaml.safe_load(VOCABULARY_PATH.read_text(encoding="utf-8"))
    protected = {str(k): str(v) for k, v in data["protected"].items()}
    table: dict[str, set[str]] = {}
    for word, english in data["synonyms"].items():
        extra = {_stem(w, "en", protected) for w in str(english).split()}
        for key in {_stem(str(word), "it", protected), _stem(str(word), "en", protected)}:
            table.setdefault(key, set()).update(extra - {key})
    phrases = {tuple(str(k).split()): str(v) for k, v in data["phrases"].items()}
    return _Vocabulary(
        protected=protected,
        synonyms={k: tuple(sorted(v)) for k, v in table.items() if v},
        phrases=phrases,
        phrase_first=frozenset(k[0] for k in phrases),
        phrase_max=max(len(k) for k in phrases),
        words=frozenset(str(w) for table in ("protected", "synonyms") for w in data[table] if " " not in str(w)),
    )


def vocabulary_words() -> frozenset[str]:
    """The single words ``vocabulary.yaml`` names (protected forms and synonyms' keys): real words the
    tokenizer already reads, which the speller must never "correct" ("condivido" is not "condiviso")."""
    return _vocabulary().words


def _stem(word: str, lang: str, protected: dict[str, str]) -> str:
    return protected.get(word) or _STEMMERS[lang].stemWord(word)


def fold(text: str) -> str:
    """Strip accents: "perché" -> "perche"."""
    if text.isascii():
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


@lru_cache(maxsize=65536)
def stem(word: str, lang: str = "en") -> str:
    """The stem of a lower-case ``word`` in ``lang`` ("en" or "it")."""
    return _stem(word, lang, _vocabulary().protected)


def _stems(word: str, lang: str | None) -> list[str]:
    if lang:
        return [stem(word, lang)]
    en, it = stem(word, "en"), stem(word, "it")
    return [en] if en == it else [en, it]


def _parts(raw: str) -> list[str]:
    """A raw token and, for identifiers, its pieces (dotted, snake_case, CamelCase)."""
    out = [raw.lower()]
    pieces = re.split(r"[._]", raw)
    if len(pieces) > 1:
        out.extend(p.lower() for p in pieces if p)
    for piece in pieces:
        camel = _CAMEL.findall(piece)
        if len(camel) > 1:
            out.extend(c.lower() for c in camel)
    return out


def _phrase_tokens(raw_words: list[str]) -> list[str]:
    vocabulary = _vocabulary()
    out: list[str] = []
    for i, word in enumerate(raw_words):
        if word not in vocabulary.phrase_first:
            continue
        for n in range(vocabulary.phrase_max, 0, -1):
            token = vocabulary.phrases.get(tuple(raw_words[i : i + n]))
            if token:
                out.append(token)
                break
    return out


_THOUSANDS = re.compile(r"(?<=\d)[,.](?=\d{3}(?!\d))")
_SCALED = re.compile(r"\b(\d+)\s?(k|mila)\b", re.IGNORECASE)
_VERSUS = frozenset({"or", "vs", "versus", "o", "oppure", "against", "contro"})
_ALPHA = re.compile(r"[a-z]+", re.IGNORECASE)
_PHRASE_WORD = re.compile(r"[a-z0-9_-]+")
# A word or identifier, or a clause boundary (which ends the chain of bigrams).
_RAW = re.compile(r"([a-z0-9_]+(?:[.][a-z0-9_]+)*)|([;:!?\n()\[\]{}|]|[.,](?=\s|$))", re.IGNORECASE)


@lru_cache(maxsize=131072)
def _analyse(raw: str, lang: str | None) -> tuple[tuple[tuple[str, ...], tuple[str, ...] | None], ...]:
    """For one raw token: (unigram tokens, stems) per word kept; stems is None for a number or
    identifier, which breaks the chain of bigrams."""
    out: list[tuple[tuple[str, ...], tuple[str, ...] | None]] = []
    for word in _parts(raw):
        if (len(word) < 2 and not word.isdigit()) or word in STOP_WORDS:
            continue
        if not word.isalpha():
            out.append(((word,), None))
            continue
        stems = _stems(word, lang)
        unigrams: list[str] = []
        for s in stems:
            unigrams.append(s)
            unigrams.extend(_vocabulary().synonyms.get(s, ()))
        out.append((tuple(unigrams), tuple(stems)))
    return tuple(out)


@lru_cache(maxsize=262144)
def _pairs(left: tuple[str, ...], right: tuple[str, ...]) -> tuple[str, ...]:
    """Order-free pair tokens of two neighbouring words (their first and their last stems)."""
    out: list[str] = []
    for a, b in ((left[0], right[0]), (left[-1], right[-1])):
        pair = f"{a}+{b}" if a < b else f"{b}+{a}"
        if a != b and pair not in out:
            out.append(pair)
    return tuple(out)


def _folded(text: str) -> str:
    """``text`` with accents folded and numbers written out ("1,000" and "1k" -> "1000")."""
    return _SCALED.sub(r"\g<1>000", _THOUSANDS.sub("", fold(text)))


def _raw_words(folded: str, correct: Callable[[str], str | None] | None) -> Iterator[tuple[str | None, bool]]:
    """Per raw token of ``folded``: (the word, whether it is a comparison word such as "vs"), or
    (None, False) at a clause boundary. ``correct`` may replace a misspelt word (never a stop word
    or a comparison word)."""
    for raw, stop in _RAW.findall(folded):
        if stop:
            yield None, False
            continue
        raw = raw.strip("._")
        if raw.lower() in _VERSUS:
            yield raw, True
            continue
        if correct and raw.isalpha() and raw.lower() not in STOP_WORDS:
            raw = correct(raw.lower()) or raw
        yield raw, False


def word_groups(
    text: str, lang: str | None = None, *, correct: Callable[[str], str | None] | None = None
) -> list[tuple[str, ...]]:
    """The unigram tokens of ``text`` grouped by the word they come from (its stems in each
    language and their synonyms), then one group per phrase token: what a word-level coverage
    counts once per word, however many forms it has."""
    return tokens_and_groups(text, lang, correct=correct)[1]


def words(text: str) -> list[str]:
    """The lower-case alphabetic words of ``text`` (accents folded), as typed."""
    return [w.lower() for w in _ALPHA.findall(fold(text))]


def tokenize(
    text: str, lang: str | None = None, *, bigrams: bool = True, correct: Callable[[str], str | None] | None = None
) -> list[str]:
    """Retrieval tokens of ``text`` (order kept, duplicates kept: BM25 counts them).

    ``lang`` is the language of ``text`` ("en" or "it"); ``None`` stems each word both ways, so
    a mixed-language question meets articles in either language. With ``bigrams``, each pair of
    neighbouring content words within a clause also gives an order-free pair token
    (``apex+flow`` for "flow or Apex" and "Apex vs Flow"), and a comparison ("X or Y", "X vs
    Y", "X o Y") a rarer ``vs:`` pair that meets the articles comparing the two. ``correct`` may replace a misspelt
    word before it is stemmed (see :mod:`plumberforce.knowledge.spelling`).
    """
    return tokens_and_groups(text, lang, bigrams=bigrams, correct=correct, groups=False)[0]


def tokens_and_groups(
    text: str,
    lang: str | None = None,
    *,
    bigrams: bool = True,
    correct: Callable[[str], str | None] | None = None,
    groups: bool = True,
) -> tuple[list[str], list[tuple[str, ...]]]:
    """:func:`tokenize` and (with ``groups``) :func:`word_groups` of ``text`` from one walk over it."""
    tokens: list[str] = []
    grouped: list[tuple[str, ...]] = []
    folded = _folded(text)
    previous: tuple[str, ...] | None = None
    versus = False
    for raw, comparison in _raw_words(folded, correct):
        if raw is None:
            previous, versus = None, False
            continue
        if comparison:
            versus = previous is not None
            continue
        for unigrams, stems in _analyse(raw, lang):
            tokens.extend(unigrams)
            if groups and not unigrams[0].isdigit():
                grouped.append(unigrams)
            if bigrams and previous and stems:
                pairs = _pairs(previous, stems)
                tokens.extend(pairs)
                if versus:
                    tokens.extend(f"vs:{p}" for p in pairs)
            previous, versus = stems, False
    phrases = _phrase_tokens(_PHRASE_WORD.findall(folded.lower()))
    tokens.extend(phrases)
    if groups:
        grouped.extend((t,) for t in phrases)
    return tokens, list(dict.fromkeys(grouped))
