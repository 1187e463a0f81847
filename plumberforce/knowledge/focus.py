"""What a question asks about, as opposed to the context it mentions, and how much of it an
article covers.

A question often names a neighbouring topic in passing: "How do I call an Apex method *from a
record-triggered flow*?", "Is the heap limit bigger *when the code runs in a Queueable*?", "Data
Loader batch size is 200 and my trigger fails. *How should the trigger be written?*". Two
signals for the ranking (:mod:`plumberforce.knowledge.ranking`) keep such context from winning:

- :func:`head`: the asking sentence (the last one ending with "?", else the first that starts
  with an interrogative or a request), cut before the first word that opens a context clause
  ("from", "when", "inside", "da", "quando", "dentro"...) once it holds two content words. Its
  BM25 is a feature of its own, so the ranker can weigh what is asked above what is around it.
- :class:`Coverage`: the IDF-weighted share of the question's words that an article uses
  anywhere. An article that matches one distracting phrase strongly (its title) but says nothing
  of the rest covers less of the question than the one that answers it.
"""

from __future__ import annotations

import re
from array import array

import numpy as np

from plumberforce.knowledge.patterns import bounded
from plumberforce.knowledge.postings import Postings
from plumberforce.knowledge.text import STOP_WORDS, fold

_SENTENCE = bounded(r"(?<=[.?!;:])\s+|\n+")
_WORD = bounded(r"[a-z0-9_@$.']+", re.IGNORECASE)
_ASKING = frozenset(
    """
    how what why which when where who can could is are does do did should would will shall
    explain tell describe show help whats hows
    come cosa perche perché quale quali quando dove chi posso puoi si devo conviene serve spiegami
    dimmi mi qual cos esiste ce
    """.split()
)
_CONTEXT = frozenset(
    """
    from in inside within when whenever while that for with without on via through using by after
    during if because since where so once into
    da dal dalla dai dalle dallo dentro in nel nella nei nelle nello con quando mentre che se per
    senza tramite dopo durante sul sulla sui sulle poiche visto perche perché
    """.split()
)
HEAD_WORDS = 2  # content words a head holds before a context word may end it


def _content(word: str) -> bool:
    return len(word) > 1 and word not in STOP_WORDS and word not in _CONTEXT


def asking_sentence(text: str) -> str:
    """The sentence of ``text`` that asks: the last one ending with "?", else the first opening
    with an interrogative or a request, else the whole text."""
    sentences = [s.strip() for s in _SENTENCE.split(text) if s.strip()]
    if len(sentences) <= 1:
        return text
    asked = [s for s in sentences if s.endswith("?")]
    if asked:
        return asked[-1]
    for sentence in sentences:
        first = _WORD.match(fold(sentence).lower())
        if first and first.group(0).strip(".'") in _ASKING:
            return sentence
    return text


def head(text: str) -> str:
    """The asking sentence up to the first context word that follows two content words."""
    return cut_head(asking_sentence(text))


def cut_head(sentence: str) -> str:
    """``sentence`` (an asking sentence) up to the first context word after two content words."""
    seen = 0
    for match in _WORD.finditer(sentence):
        word = fold(match.group(0)).lower().strip(".'")
        if seen >= HEAD_WORDS and word in _CONTEXT:
            return sentence[: match.start()]
        seen += _content(word)
    return sentence


class Coverage:
    """Per document, the IDF-weighted share of a question's unigram tokens it contains, read from
    the postings of the first index of a :class:`~plumberforce.knowledge.postings.Postings` table
    (shared with it, so the pickled knowledge base stores them once)."""

    def __init__(self, postings: Postings):
        self._postings = postings
        df = np.frombuffer(postings.firsts, dtype=np.int64) - np.frombuffer(postings.starts, dtype=np.int64)
        idf = np.log1p(postings.count / np.maximum(df.astype(np.float64), 1.0)).astype(np.float32)
        self._weights = array("d", idf.tolist())  # indexing gives a Python float (the float32 value)
        self._count = postings.count

    def __call__(self, groups: list[tuple[str, ...]]) -> np.ndarray:
        """Per document, the IDF-weighted share of the question's words it uses; a word (a group
        of tokens: its stems in both languages and their synonyms) counts once, with the weight
        of its rarest form the document has."""
        out = np.zeros(self._count, dtype=np.float32)
        total = 0.0
        p, weights = self._postings, self._weights
        vocab, starts, ends, docs = p.ids, p.starts, p.firsts, p.docs
        for group in groups:
            ids = {vocab[t] for t in group if t in vocab}
            if not ids:
                continue
            if len(ids) == 1:
                (i,) = ids
                total += weights[i]
                out[docs[starts[i] : ends[i]]] += weights[i]
                continue
            total += max(weights[i] for i in ids)
            best = np.zeros(self._count, dtype=np.float32)
            for i in sorted(ids, key=weights.__getitem__):  # the heaviest form last: the max
                best[docs[starts[i] : ends[i]]] = weights[i]
            out += best
        return out / total if total > 0 else out

    def tokens(self, tokens: list[str]) -> np.ndarray:
        """``self([(t,) for t in tokens])``, each token a word of its own, without the grouping."""
        out = np.zeros(self._count, dtype=np.float32)
        total = 0.0
        p, weights = self._postings, self._weights
        vocab, starts, ends, docs = p.ids, p.starts, p.firsts, p.docs
        for token in tokens:
            i = vocab.get(token)
            if i is not None:
                total += weights[i]
                out[docs[starts[i] : ends[i]]] += weights[i]
        return out / total if total > 0 else out


_NEGATED = bounded(
    r"\b(?:not\s+(?:the|a|an|with|using|via)|instead\s+of|rather\s+than|without\s+(?:using|writing|an?|the)|"
    r"invece\s+(?:di|del|della|dei|delle|dello|dell')|anziche|senza\s+(?:usare|scrivere|passare\s+da|un|una|il|la))"
    r"\s+([^.?!;:,\n]{2,60})",
    re.IGNORECASE,
)


def negated(text: str) -> str:
    """The words a question rules out ("not the Stub API", "instead of a PushTopic", "senza
    scrivere una classe schedulable"): a topic named only to be set aside."""
    return " ; ".join(m.group(1) for m in _NEGATED.finditer(fold(text)))
