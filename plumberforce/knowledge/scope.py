"""Salesforce products the knowledge base leaves out, named in a question.

``COVERAGE.md`` lists what the articles cover and, at its end, the products they leave out on
purpose (CPQ, Field Service, OmniStudio, Marketing Cloud...). A question about one of those is
still a Salesforce question: it is answered, not redirected. But the nearest articles are about
the platform around it (a CPQ price rule's nearest article is on assignment rules), so the answer
opens with a note that names the product and says the knowledge base has no article on it, and
the model's prompt says the same (:mod:`plumberforce.chat.prompts`).

Only products that are a world of their own are listed: integration runtimes (MuleSoft, Heroku)
and Experience Cloud are named beside covered platform questions too often (a MuleSoft client
calling an Apex REST class) for a note to help.
"""

from __future__ import annotations

from collections.abc import Sequence

from plumberforce.knowledge.patterns import bounded
from plumberforce.knowledge.text import fold

# (the name the note shows, what names it in a folded, lower-case question)
PRODUCTS: tuple[tuple[str, str], ...] = (
    ("CPQ / Revenue Cloud", r"\b(?:cpq|steelbrick|revenue\s+cloud|revenue\s+lifecycle\s+management|sbqq__\w+)\b"),
    ("Field Service", r"\b(?:field\s+service(?:\s+lightning)?|fsl)\b"),
    ("OmniStudio", r"\b(?:omnistudio|omniscript\w*|flexcards?|integration\s+procedures?|dataraptors?)\b"),
    (
        "Industries clouds",
        r"\b(?:financial\s+services\s+cloud|health\s+cloud|nonprofit\s+cloud|npsp|nonprofit\s+success\s+pack|"
        r"education\s+cloud|manufacturing\s+cloud|automotive\s+cloud|public\s+sector\s+solutions|net\s+zero\s+cloud)\b",
    ),
    ("Marketing Cloud", r"\b(?:marketing\s+cloud(?!\s+account\s+engagement)|ampscript|journey\s+builder|ssjs)\b"),
    ("Account Engagement (Pardot)", r"\b(?:pardot|marketing\s+cloud\s+account\s+engagement)\b"),
    (
        "Commerce Cloud",
        r"\b(?:commerce\s+cloud|b2b\s+commerce|b2c\s+commerce|sfcc|storefront\s+reference\s+architecture)\b",
    ),
    ("Data Cloud", r"\b(?:data\s+cloud|data\s+360|customer\s+data\s+platform)\b"),
    (
        "Agentforce / Einstein AI",
        r"\b(?:agentforce|prompt\s+builder|einstein\s+(?:bots?|gpt|copilot|prediction\s+builder|next\s+best\s+action|"
        r"trust\s+layer|(?:lead|opportunity)\s+scoring)|copilot\s+builder)\b",
    ),
    ("CRM Analytics", r"\b(?:crm\s+analytics|tableau\s+crm|einstein\s+analytics|saql)\b"),
    ("Salesforce Knowledge", r"\b(?:salesforce\s+knowledge|knowledge\s+articles?|articoli\s+(?:di\s+)?knowledge)\b"),
    ("Salesforce Maps", r"\bsalesforce\s+maps\b"),
    ("Mobile SDK", r"\bmobile\s+sdk\b"),
)
_ANY = bounded("|".join(pattern for _, pattern in PRODUCTS))
_EACH = tuple((name, bounded(pattern)) for name, pattern in PRODUCTS)
FINGERPRINT = repr(PRODUCTS)  # part of the knowledge base's version: a new product changes answers


def outside_scope(question: str) -> tuple[str, ...]:
    """The products left out of the knowledge base that ``question`` names, in :data:`PRODUCTS` order."""
    text = fold(question).lower()
    if not _ANY.search(text):
        return ()
    return tuple(name for name, pattern in _EACH if pattern.search(text))


_NOTE = {
    "en": (
        "> ℹ️ **Outside the knowledge base**: Plumberforce has no article on {names}. What follows comes "
        "from the nearest Salesforce Platform articles; for anything specific to {them}, check {their} "
        "official documentation."
    ),
    "it": (
        "> ℹ️ **Fuori dalla base di conoscenza**: Plumberforce non ha articoli su {names}. Quanto segue viene "
        "dagli articoli più vicini della Salesforce Platform; per ciò che è specifico {them}, verifica la "
        "documentazione ufficiale."
    ),
}
_ONE_OR_MORE = {"en": (("it", "its"), ("them", "their")), "it": (("del prodotto", ""), ("dei prodotti", ""))}


def scope_message(names: Sequence[str], lang: str) -> str:
    """The note for ``names`` (from :func:`outside_scope`) in ``lang`` ("it"/"en"); "" if none."""
    if not names:
        return ""
    lang = "it" if lang == "it" else "en"
    joiner = " e " if lang == "it" else " and "
    listed = ", ".join(names[:-1]) + joiner + names[-1] if len(names) > 1 else names[0]
    them, their = _ONE_OR_MORE[lang][len(names) > 1]
    return _NOTE[lang].format(names=listed, them=them, their=their)
