"""Numbers and units as people write them in questions and as articles' facts state them:
``parse_number`` ("1,000,000", "1.000.000", "50k", "40mila", "75%") and the kind of unit a word
names (time, size, percent, repetitions), for :mod:`plumberforce.knowledge.premises`.
"""

from __future__ import annotations

import re

_TIME_UNITS = frozenset(
    """ms millisecond milliseconds millisecondi s sec secs second seconds secondi secondo min mins minute
    minutes minuti minuto h hour hours ora ore day days giorno giorni""".split()
)
_SIZE_UNITS = frozenset({"kb", "mb", "gb", "byte", "bytes", "megabyte", "megabytes"})
_PERCENT = frozenset({"%", "percent", "percento"})
_REPEAT = frozenset({"times", "volte", "retries", "tentativi", "attempts"})  # "retry 3 times" is no log size
_SCALE = {"k": 1_000, "mila": 1_000, "mln": 1_000_000}
MILLION = {"million", "millions", "milione", "milioni"}
THOUSAND = {"thousand", "mille", "mila"}


def parse_number(text: str) -> float | None:
    """``"1,000,000"``, ``"1.000.000"``, ``"50k"``, ``"40mila"``, ``"67.0"``, ``"75%"`` -> a float."""
    text = text.strip().rstrip("%").strip()
    scale = 1
    for suffix, factor in _SCALE.items():
        if text.endswith(suffix):
            text, scale = text[: -len(suffix)].strip(), factor
            break
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", text):
        text = re.sub(r"[.,]", "", text)
    else:
        text = text.replace(",", ".")
    try:
        return float(text) * scale
    except ValueError:
        return None


def unit_kind(word: str) -> str | None:
    """The kind of unit a word names: "time", "size", "percent", "repeat" or None."""
    if word in _TIME_UNITS:
        return "time"
    if word in _SIZE_UNITS:
        return "size"
    if word in _PERCENT:
        return "percent"
    if word in _REPEAT:
        return "repeat"
    return None
