"""Text normalisation for retrieval: one tokenizer for articles and questions, both languages.

Words are lower-cased, accents folded, identifiers split (``System.LimitException`` gives
``system``, ``limitexception``, ``limit``, ``exception``; ``MIXED_DML_OPERATION`` gives the whole
code and its parts), stop words of English and Italian dropped, and each word reduced by the
English Snowball stemmer followed by the removal of one Italian inflection vowel, so that
"limits", "limit" and "limiti" meet on ``limit``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

_STOP = frozenset(
    """
    a an the of to is are was were be been being do does did doing how what when where why which
    who whom this that these those my your our their its it in on at from by about into
    can could should would will shall may might must have has had not no and or but if then than
    there here i you we they me him her them he she us so very just also too any some all each
    get got please want need im ive dont doesnt isnt cant way ways thing things use using used
    il lo la i gli le un una uno del della dei delle degli dello al alla ai alle allo dal dalla
    dai dalle nel nella nei nelle sul sulla sui sulle con per tra fra di da in su che chi cosa
    come quando perche dove quale quali quanto non piu anche ancora gia sono e sei siamo siete ho
    hai ha abbiamo avete hanno posso puoi puo devo deve voglio vorrei mi ti si ci vi ne lo se ma
    o ed questo questa questi queste quello quella mio mia tuo tua suo sua loro ogni uso usare
    fare faccio fa modo qual cos l d c un po
    vs versus difference differences differenza differenze compare comparison confronto between
    tra fra better meglio should dovrei conviene
    """.split()
)
_TOKEN = re.compile(r"[a-z0-9_]+(?:[.][a-z0-9_]+)*", re.IGNORECASE)
_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_stemmer = Stemmer.Stemmer("english")


def fold(text: str) -> str:
    """Strip accents: "perché" -> "perche"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """English stem, then one trailing Italian inflection vowel off longer words."""
    word = _stemmer.stemWord(word)
    if len(word) > 4 and word[-1] in "aeio":
        word = word[:-1]
    return word


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


def tokenize(text: str) -> list[str]:
    """Retrieval tokens of ``text`` (order kept, duplicates kept: BM25 counts them)."""
    tokens: list[str] = []
    for raw in _TOKEN.findall(fold(text)):
        for word in _parts(raw.strip("._")):
            if len(word) < 2 and not word.isdigit():
                continue
            if word in _STOP:
                continue
            tokens.append(stem(word) if word.isalpha() else word)
    return tokens
