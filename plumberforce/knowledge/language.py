"""Which language a question is written in: Italian or English (the default).

A word count, not a model: Italian function words and verb forms against English ones. It is
right for the short technical questions people ask, where most content words (trigger, batch,
SOQL) are English in both languages, because the small words are not.
"""

from __future__ import annotations

import re

from plumberforce.errors import Lang

_IT_WORDS = frozenset(
    """
    il lo la i gli le un una uno del della dei delle degli dello al alla ai alle allo dal dalla
    nel nella nei nelle sul sulla con per tra fra di da in su che chi cosa come quando perché
    perche dove quale quali quanto quanti quante qual non più piu anche ancora già gia sono è
    sei siamo siete ho hai ha abbiamo avete hanno posso puoi può puo possiamo devo deve devono
    voglio vorrei serve servono fare faccio fa funziona funzionano usare uso utilizzare
    differenza differenze meglio errore errori ricevo ottengo ciao grazie salve buongiorno questo
    questa questi queste quello quella mio mia mie miei suo sua loro ogni tutti tutte qualcuno
    scrivere creare gestire evitare esempio spiegami spiega dimmi aiutami aiuto
    quale meglio oppure ovvero cioè cioe mentre invece senza dopo prima
    """.split()
)
_EN_WORDS = frozenset(
    """
    the a an of to is are was were be been being do does did how what when where why which who
    whom this that these those my your our their it its in on at for with from by about into
    can could should would will shall may might must have has had not no yes and or but if
    then than there here get getting got use using used write create make between difference
    best way ways error errors help please hi hello thanks explain show tell me i you we they
    """.split()
)
_WORD = re.compile(r"[a-zàèéìíòóùú']+", re.IGNORECASE)
_ELIDED = re.compile(r"\b(?:l|un|dell|nell|all|sull|dall|c|d|quest)'")
_ACCENTED = ("à", "è", "é", "ì", "ò", "ù")


def detect_language(text: str) -> Lang:
    """``"it"`` when the text reads as Italian, else ``"en"``."""
    lower = text.lower()
    words = [w.strip("'") for w in _WORD.findall(lower)]
    it = sum(w in _IT_WORDS for w in words)
    en = sum(w in _EN_WORDS for w in words)
    # Elided articles and accented verbs are a strong Italian signal: "l'heap", "perché", "è".
    it += 2 * len(_ELIDED.findall(lower))
    it += sum(w.endswith(_ACCENTED) for w in words)
    return "it" if it > en else "en"
