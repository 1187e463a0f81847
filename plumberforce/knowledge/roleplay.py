"""Role-play phrasing: a professional persona around a real question, or an attempt to swap roles.

People often frame a legitimate question as role-play: "Act as a senior architect and review
this trigger", "Fai finta di essere un consulente: come imposto lo sharing?", "You are now a grumpy
senior architect. Stay in character.". That is a way of
asking, not an attack, and it is answered. Role-play is an injection when the role it imposes is
not a professional persona (a pirate, "my grandmother", another model) or carries an override
(no rules, unrestricted, developer mode, senza filtri...): those stay redirected, as do the
hard injection patterns of :mod:`plumberforce.knowledge.topicality` whatever the framing.

:func:`strip_preamble` drops a leading role sentence ("Pretend you're my tech lead doing a code
review:") before retrieval, so the persona's words do not pull in unrelated articles.
"""

from __future__ import annotations

import re

from plumberforce.knowledge.patterns import bounded
from plumberforce.knowledge.text import fold

# Phrases that set up a role (accent-folded, lower-case text). All but the second open on a word
# boundary: searched alone, those are fast (is_roleplay), and the second needs "pretend"/"imagine".
_ROLE_PHRASES = (
    r"\b(?:pretend|imagine)\s+(?:that\s+)?(?:you\s+are|you'?re|youre)\b",
    r"(?:^|[.!?:;,]\s*|\b(?:please|now|just|and|so)\s+)(?:pretend|imagine)\s+to\s+be\b",
    r"\b(?:let'?s\s+)?role[\s-]?play(?:\s+(?:as|that\s+you(?:'re|\s+are)?|where\s+you(?:'re|\s+are)?))?\b",
    r"\b(?:fai|facciamo)\s+finta\s+(?:di\s+essere|che\s+tu\s+sia)\b|\b(?:fingi|immagina|fingiti)\s+di\s+essere\b",
    r"\b(?:comportati|agisci|rispondi|parla|ragiona)\s+come\b",
    r"\b(?:interpreta|recita|fai|assumi)\s+(?:il\s+ruolo|la\s+parte)\s*(?:di|del|della|dello|dell'|da)?",
    r"\bgioco\s+di\s+ruolo\b|\bnei\s+panni\s+(?:di|del|della|dell')|\b(?:facciamo|giochiamo\s+a)\s+un\s+gioco\b|"
    r"\blet'?s\s+play\s+a\s+game\b",
    # a role given from now on ("You are now a grumpy senior architect", "da ora in poi sei un consulente"): the
    # role decides, as for any role-play (an assistant without rules, DAN, stays an injection)
    r"\b(?:you\s+are|you'?re)\s+now\b|\bfrom\s+now\s+on,?\s+(?:you\s+are|you'?re|you\s+will\s+be)\b|"
    r"\bda\s+(?:ora|adesso|qui)(?:\s+in\s+(?:poi|avanti))?,?\s+(?:tu\s+)?(?:sei|sarai)\b|\b(?:sei\s+ora|ora\s+sei|adesso\s+sei)\b",
    # a role handed to the assistant ("I'm giving you a new role: ...", "ti assegno un nuovo ruolo permanente: sei ...",
    # "il tuo nuovo ruolo e ..."): the role decides; not a role assigned to a user ("assegno un nuovo ruolo all'utente")
    r"\b(?:ti\s+(?:assegno|do|affido|attribuisco|conferisco)|(?:i'?m|i\s+am)\s+(?:giving|assigning)\s+you|i\s+(?:give|assign)\s+you)\s+"
    r"(?:un\s+|a\s+|the\s+|il\s+)?(?:nuovo\s+|new\s+|different\s+|diverso\s+)?(?:ruolo|role)"
    r"(?:\s+(?:nuovo|permanente|fisso|definitivo|temporaneo|new|permanent|temporary))?\b|"
    r"\b(?:your\s+(?:new\s+)?role\s+(?:is|will\s+be)|il\s+tuo\s+(?:nuovo\s+)?ruolo\s+(?:e|sara))\b",
)
ROLEPLAY = bounded("|".join(_ROLE_PHRASES))
_ROLEPLAY_BOUNDED = bounded("|".join(p for i, p in enumerate(_ROLE_PHRASES) if i != 1))
# A role that is a person's job: answered.
PERSONA = bounded(
    r"\b(?:architect\w*|develop\w*|dev|engineer\w*|consultant\w*|admin\w*|lead|manager\w*|trainer\w*|teacher|"
    r"mentor\w*|tutor\w*|coach\w*|review\w*|auditor\w*|tester\w*|pen(?:etration)?[\s-]?tester|interview\w*|expert\w*|"
    r"guru|ninja|wizard|sensei|seniors?|rubber[\s-]?duck\w*|paperell\w+|sparring\s+partner|"
    r"specialist\w*|analyst\w*|steward\w*|cto|cio|cta|dba|qa|devops|sre|owner|scrum|officer|mvp|support|instructor\w*|colleague\w*|professor\w*|"
    r"programmer\w*|coder|architetto|architetti|sviluppator\w*|consulent\w*|amministrator\w*|espert\w*|"
    r"formator\w*|docente|insegnante|mentore|revisor\w*|intervistator\w*|analista|responsabile|capo|"
    r"leader|collega|professore|programmator\w*|specialista|tecnico|istruttor\w*|study\s+(?:buddy|partner)|examiner|dpo|ciso|data\s+protection\s+officer|esaminator\w*|compagn[oa]\s+di\s+studi\w*|ethical\s+hacker|hacker\s+etic[oa])\b"
)
# Words that turn a role into an attempt to drop the rules.
OVERRIDE = bounded(
    r"\b(?:ai|a\.i\.|assistant|assistente|(?<!data\s)(?<!sharing\s)(?<!security\s)(?<!object\s)model(?!\s+answers?\b)|"
    r"modello(?!\s+(?:dati|di\s+(?:dati|sharing|sicurezza)))|chatbot|bot|gpt|llm|dan|jailbr\w*|unrestricted|"
    r"unfiltered|uncensored|evil|mode|modalita|system(?!\.\w)|sistema|grandmother|grandma|nonna|nonno|pirate|pirata|"
    r"villain|(?<!ethical\s)hacker(?!\s+etic[oa])|criminal\w*|anything|qualsiasi|whatever)\b|\bnot\s+a\s+salesforce\b|\bnon\s+(?:piu\s+)?"
    r"(?:un|sei)\b|\b(?:no|without|senza|nessuna|nessun|non\s+\w+|ignor\w*|break\w*|bypass\w*)\s+(?:\w+\s+)?"
    r"(?:rules?|regole|filters?|filtri|restrictions?|restrizioni|limits?|limiti|censur\w*|guidelines|istruzioni)\b"
)
# A red-team review: an attacker of the asker's own org, code or page, asked to show what to fix.
_ATTACKER = bounded(r"\b(?:hacker|attacker|attaccante|malintenzionat\w|red\s+team\w*)\b")
_OWN = bounded(
    r"\b(?:my|our|mia|mio|nostra|nostro)\s+(?:company'?s\s+)?(?:\w+\s+){0,2}(?:org|controller|code|codice|page|pagina|app|"
    r"components?|componente|lwc|sito|site)\b"
)
_FIX = bounded(
    r"\b(?:fix|fixing|secure|harden|patch|correg\w+|proteg\w+|sistemar\w*|mettere\s+in\s+sicurezza)\b|\b(?:li|lo|la|le)\s+sistem\w+|\block\w*\s+(?:\w+\s+)?down\b"
)


def fixing_own(text: str) -> bool:
    """Whether the (normalised) ``text`` asks to fix or lock down the asker's own org, code or page
    (a red-team role-play, and the defence abuse.py accepts around an attack topic)."""
    return bool(_OWN.search(text) and _FIX.search(text))


# A Salesforce thing as the role, to learn it ("tu sei Trigger.oldMap: in quali eventi esisti?").
_CONCEPT = bounded(
    r"\b(?:trigger|apex|soql|sosl|flow|lwc|batch|queueable|sobject|governor)\w*\b|\b[a-z]\w*\.[a-z]\w+\b"
)
_ROLE_END = bounded(
    r"[:;!?\n]|\.(?![a-z])|,\s|\s(?:and|e|then|poi)\s+(?:(?:then|poi)\s+)?(?:tell|explain|review|answer|give|dimmi|spiega|"
    r"rispondi|dammi)"
)
# What a role sentence goes on to ask ("... and explain", "... e spiegami"): where the role ends.
_ASK = (
    r"(?:tell|explain|review|answer|recommend|walk|show|help|describe|advise|suggest|teach|give|list|"
    r"dimmi|spiega\w*|rispondi\w*|consiglia\w*|mostra\w*|aiuta\w*|descrivi\w*|suggerisci\w*|elenca\w*|dammi)\b"
)
_LEAD = bounded(r"^\s*(?:and|e|then|poi)\s+", re.IGNORECASE)
_PREAMBLE = bounded(
    r"^\s*(?:(?:ok(?:ay)?|hi|hello|ciao|please|per\s+favore)[,!.]?\s+)*"
    r"(?:(?:role[\s-]?play|gioco\s+di\s+ruolo)\s*[:,.-]\s*)?"
    r"(?:(?:from\s+now\s+on|for\s+this\s+(?:chat|conversation)|d(?:a\s+|')(?:ora|adesso|qui)(?:\s+in\s+(?:poi|avanti))?|"
    r"per\s+questa\s+(?:chat|conversazione))\s*,?\s+(?:tu\s+)?)?"
    r"(?:i\s+(?:want|would\s+like|need)\s+you\s+to\s+|i'?d\s+like\s+you\s+to\s+|can\s+you\s+)?"
    r"(?:(?:act|acting|answer|respond|reply|think|speak)\s+(?:as|like)|pretend\s+(?:that\s+)?(?:you\s+are|you'?re|to\s+be)|"
    r"imagine\s+(?:that\s+)?(?:you\s+are|you'?re)|you'?re|you\s+are|as|be\s+my|"
    r"(?:take|play|assume)\s+(?:on\s+)?the\s+(?:role|part)\s+of|"
    r"(?:ti\s+chiedo\s+di\s+)?(?:farmi|fammi|fai|fare)\s+da|"
    r"(?:fai|facciamo)\s+finta\s+di\s+essere|(?:immagina|fingi)\s+di\s+essere|fingiti|sei|"
    r"(?:comportati|agisci|rispondi|ragiona|parla)\s+(?:come|da)|"
    r"(?:ti\s+chiedo\s+di\s+)?(?:fai|fare|interpreta|interpretare|assumi|assumere|recita|prendi|prendere)\s+"
    r"(?:il\s+ruolo|la\s+parte)\s+(?:di|del|della|dello|dell')|"
    r"(?:(?:mettiti|calati)\s+)?nei\s+panni\s+(?:di|del|della|dello|dell')|in\s+qualita\s+di|"
    r"put\s+yourself\s+in\s+the\s+shoes\s+of)\s+"
    r"[^:.;!?\n]{2,160}?(?:[:.;!?\n]|,(?=\s)|\s(?=(?:and|e|then|poi)\s+" + _ASK + r"))\s*",
    re.IGNORECASE,
)


# A role's description after its name ("'AdminGod', un consulente senza limiti"): part of the role.
_APPOSITION = bounded(r",\s+(?:a|an|the|un|una|uno|un'|il|la|lo|l')\b")


def _roles(text: str) -> list[str]:
    """The role each role-play phrase of ``text`` sets up (the words after it, to the clause end, with the
    description that follows a name)."""
    roles = []
    for match in ROLEPLAY.finditer(text):
        rest = text[match.end() : match.end() + 160]
        # "Roleplay: you're our QA lead." names the role in the clause after the separator
        rest = re.sub(r"^\s*(?:di\s+ruolo\s*)?[:,.-]\s*", "", rest)  # "facciamo un gioco di ruolo: tu sei l'admin"
        end = _ROLE_END.search(rest)
        while end and _APPOSITION.match(rest, end.start()):
            end = _ROLE_END.search(rest, end.end())
        roles.append(rest[: end.start()] if end else rest)
    return roles


def is_roleplay(text: str) -> bool:
    """Whether the (normalised) ``text`` frames itself as role-play."""
    if _ROLEPLAY_BOUNDED.search(text):
        return True
    return ("pretend" in text or "imagine" in text) and bool(ROLEPLAY.search(text))


def is_persona(text: str) -> bool:
    """Whether every role the (normalised) ``text`` sets up is a professional persona with no override,
    or an attacker of the asker's own org asked to show what to fix (a red-team review)."""
    roles = _roles(text)
    red_team = fixing_own(text)
    return bool(roles) and all(
        ((PERSONA.search(r) or _CONCEPT.search(r)) and not OVERRIDE.search(r)) or (red_team and _ATTACKER.search(r))
        for r in roles
    )


def strip_preamble(question: str) -> str:
    """``question`` without a leading role sentence ("Act as a senior architect: ..."), for retrieval."""
    folded = fold(question)
    match = _PREAMBLE.match(folded)
    if not match or len(folded) - match.end() < 15 or not PERSONA.search(folded[: match.end()].lower()):
        return question
    rest = (question if len(folded) == len(question) else folded)[match.end() :]
    return _LEAD.sub("", rest)
