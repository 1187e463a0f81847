"""Abuse: help to get into an org, account or data without authorisation (see topicality.py).

Attack topics (phishing, brute force, stealing) are abuse unless the question is about defending
against them; intent to reach someone else's org, account, session or data, to get round the
login or MFA of another person's account, or to hide one's tracks, is abuse whatever the wording.
Legit security questions ("how do I secure my org", "how does sharing work") are not abuse.
"""

from __future__ import annotations

from plumberforce.knowledge.abuse_intent import DEFENDING_ATTACKS, abusive_intent, defending
from plumberforce.knowledge.patterns import AnyOf, bounded
from plumberforce.knowledge.roleplay import fixing_own
from plumberforce.knowledge.text import fold


def normalise(text: str) -> str:
    """Accent-folded, lower-case ``text`` with single spaces and straight apostrophes."""
    return " ".join(fold(text).replace("’", "'").lower().split())


_OTHERS_EN = (
    r"(?:someone\s+else'?s?|somebody\s+else'?s?|another\s+(?:company|person|user|customer|org)'?s?|"
    r"other\s+(?:people|users|reps|companies)'?s?|(?:a|my)\s+(?:colleague|coworker|co-worker|boss|"
    r"manager|competitor|teammate)'?s?|(?:my|an?)\s+(?:ex|former|previous|old)[\s-]?(?:employer|company|client|"
    r"colleague|coworker|co-worker|teammate|boss|admin|manager|partner|girlfriend|boyfriend|wife|husband)'?s?|"
    r"a\s+competitor'?s?|competitor'?s?)"
)
# (the org after a password is not the asker's own: "of my scratch org", "della nostra org di prova")
_NOT_MINE = r"(?![^.?!\n]{0,40}\b(?:my|our|mia|mio|nostra|nostro|scratch|trial|prova)\b)"
# Attack topics: abuse unless the question is about defending against them.
_ATTACKS = AnyOf(
    (
        r"\bphish\w*",
        r"\b(?:steal|stealing|stole|swipe|harvest\w*)\b",
        r"\bbrute[\s-]?forc\w*",
        r"\b(?:hack|hacking|sneak|sneaking)\s+(?:in|into)\b|\b(?:break|breaking)\s+into\b",
        r"\bfake\s+(?:salesforce\s+)?login\b|\blogin\s+page\s+(?:clone|copy)\b|\bkeylogger\b",
        r"\bexploit\b[^.?!\n]{0,40}\b(?:admin|administrator|privilege|access|org)\b",
        r"\b(?:rubare|ruba|rubo|rubato|rubati|carpire|sottrarre|estorcere)\b",
        r"\bforza\s+bruta\b",
        # (not "bucare il limite": going over a limit)
        r"\b(?:hackerare|craccare|crackare)\b|\bbucare\b(?!'?\s+(?:il|i)\s+limit)",
        r"\bpassword\s+spray\w*|\bcredential\s+stuffing\b",
        # a form's captcha got round (to flood it), a managed package's licence cracked
        r"\b(?:aggir\w+|bypass\w*|get\s+past|evad\w+|beat|break|solv\w+|risolv\w+)\s+(?:\w+\s+){0,2}(?:re)?captcha\b",
        r"\b(?:crack\w*|cracc\w+|keygen|pirat\w+)\b[^.?!\n]{0,40}\blicen[zcs]\w*|\blicen[zcs]\w*[^.?!\n]{0,40}\b(?:crack\w*|cracc\w+|keygen)\b",
        r"\b(?:pagina|schermata)\s+di\s+(?:login|accesso)\s+(?:finta|falsa|clonata|identica)\b",
        r"\b(?:login|accesso)\s+(?:finto|falso)\b",
        r"\braccogliere\s+(?:le\s+)?(?:credenziali|password)\b",
    )
)
# Intent to get at something one is not authorised to: abuse whatever the wording.
_ABUSE = AnyOf(
    (
        rf"\b(?:get|gain|log|login|access|enter|into|in)\s+(?:in\s+)?(?:to\s+)?{_OTHERS_EN}\s+"
        r"(?:salesforce\s+)?(?:org|account|instance|data|records|mailbox|login)",
        rf"\b{_OTHERS_EN}\s+(?:salesforce\s+|sfdc\s+|org\s+)?(?:session\s*ids?|sessions?|tokens?|access\s+tokens?|"
        r"oauth\s+tokens?|passwords?|"
        r"credentials|mfa|2fa|cookies?)\b",
        rf"\b(?:export|download|extract|pull|copy|dump|scrape|read|see|view)\b[^.?!\n]{{0,30}}\b(?:from|in|of)\s+"
        rf"{_OTHERS_EN}\s+(?:salesforce\s+)?(?:org|account|instance|data|records)",
        r"\b(?:get|obtain|find|see|read|retrieve|recover|extract|decrypt|steal)\s+(?:a|another|other|the|any)?\s*"
        r"(?:user'?s?|users'|someone'?s|colleague'?s|people'?s|employee'?s)\s+passwords?\b",
        # the admin's password, which is not the asker's ("get the admin password of an org where I'm a standard
        # user", "recuperare la password dell'amministratore"); not of the asker's own org ("the admin password of my
        # scratch org", "of our trial")
        r"\b(?:get|getting|obtain|find(?:\s+out)?|see|read|retrieve|recover|extract|decrypt|steal|know|learn|have|grab)\s+(?:the|an?|their|his|"
        r"her|the\s+org'?s?)\s+(?:system\s+)?(?:admin|administrator|sysadmin|manager|boss)(?:'s)?\s+(?:passwords?|credentials|login)\b"
        rf"{_NOT_MINE}|"
        r"\b(?:ottenere|avere|trovare|prendere|sapere|scoprire|recuperare|leggere)\s+(?:la\s+|le\s+)?(?:password|credenziali)\s+"
        rf"(?:dell'?\s*|del\s+|di\s+un\s+)(?:admin\w*|amministrator\w+|system\s+admin\w*|capo|responsabile)\b{_NOT_MINE}",
        r"\b(?:try|test|spray)\w*\s+(?:thousands|hundreds|lots|a\s+list)\s+of\s+passwords\b",
        r"\bwithout\s+(?:them|him|her|anyone|anybody|the\s+(?:admin|owner|customer|client))\s+"
        r"(?:knowing|noticing|finding\s+out|seeing)\b",
        r"\b(?:i'?m|i\s+am|we'?re|we\s+are|i|we)\s+(?:not|n't)\s+(?:supposed|allowed|authori[sz]ed|"
        r"permitted)\s+to\b",
        r"\b(?:i|we)\s+(?:shouldn'?t|should\s+not|am\s+not\s+supposed\s+to)\s+(?:see|access|read|have|view)\b",
        r"\b(?:hid|hidden|hides|restricted)\s+from\s+(?:me|us)\b",
        r"\b(?:cover|hide|erase|clear|wipe)\s+(?:my|our)\s+(?:tracks|traces)\b",
        r"\b(?:hide|delete|erase|clear|avoid|bypass)\b[^.?!\n]{0,30}\baudit\s+trail\b",
        r"\bbefore\s+(?:they|my|our)\s+(?:revoke|remove|disable|access\s+is\s+revoked)",
        rf"\b(?:bypass|circumvent|get\s+round|get\s+around|skip)\w*\s+(?:the\s+)?(?:login|log-?in|authentication|"
        rf"sign[\s-]?in|password)\b[^.?!\n]{{0,40}}{_OTHERS_EN}",
        r"\b(?:disable|turn\s+off|bypass|get\s+round|get\s+around)\s+(?:the\s+)?(?:mfa|2fa|two[\s-]factor)\b"
        rf"[^.?!\n]{{0,30}}\b(?:of|for)\s+{_OTHERS_EN}",
        # Italian
        r"\bentrare\s+(?:nell'?|nel|in)\s*(?:org|account|sistema|salesforce|istanza)?\s*(?:salesforce\s+)?"
        r"(?:di|del|della|dell'?)\s+(?:un\s+altr|un'altr|altri|altre|un\s+collega|un\s+concorrente|"
        r"un'azienda|una\s+azienda|la\s+mia\s+ex|il\s+mio\s+ex|mio\s+ex|mia\s+ex)",
        r"\bdi\s+nascosto\b",
        r"\b(?:nascost\w*|oscurat\w*)\s+(?:da|a)\s+me\b",
        r"\b(?:provare|tentare|testare)\s+(?:migliaia|centinaia|tante|molte|una\s+lista)\s+(?:di\s+)?password\b",
        r"\b(?:ottenere|recuperare|vedere|leggere|scoprire|decifrare)\s+(?:la\s+|le\s+)?password\s+(?:di\s+un|"
        r"dell'|degli|di\s+altri|del\s+mio)",
        r"\bsenza\s+che\s+(?:se\s+ne\s+accorg|nessuno|lo\s+sappi|lui\s+lo|lei\s+lo|il\s+cliente|l'admin)",
        r"\bnon\s+(?:sono|siamo)\s+autorizzat\w*",
        r"\bnon\s+(?:dovrei|dovremmo|potrei|potremmo)\s+(?:vedere|leggere|accedere|avere)\b",
        r"\b(?:cancellare|nascondere|eliminare)\s+(?:le\s+)?(?:mie\s+|nostre\s+)?tracce\b",
        r"\b(?:token|password|credenziali|sessione|session\s+id|mfa|account)\s+(?:oauth\s+)?"
        r"(?:di\s+un\s+(?:ex[\s-]?)?(?:collega|altro(?!\s+(?:team|ufficio|reparto|gruppo|ruolo|territorio))|utente\s+diverso)|del\s+mio\s+(?:ex[\s-]?)?(?:collega|capo|"
        r"responsabile)|della\s+mia\s+(?:ex[\s-]?)?(?:collega|capa|responsabile)|del(?:la)?\s+mi[ao]\s+ex\b|"
        r"di\s+(?:altri|un'altra\s+persona|mio\s+(?:ex[\s-]?)?(?:collega|capo)))",
        r"\bprima\s+che\s+(?:mi|ci)\s+(?:revochino|tolgano|disattivino|rimuovano)\b",
        # getting round the MFA or login of someone else's account, or using their session
        r"\bsenza\s+che\s+(?:arrivi|scatti|parta|venga\s+inviat\w+|gli\s+arrivi|le\s+arrivi)\s+(?:il\s+|la\s+|l'|alcun\w*\s+)?"
        r"(?:codice|mfa|2fa|verifica|notifica|avviso|sms)",
        r"\bwithout\s+(?:triggering|setting\s+off|getting|prompting|sending)\s+(?:the\s+|an?\s+|their\s+|his\s+|"
        r"her\s+)?(?:mfa|2fa|verification|login\s+alert|alert|notification)",
        r"\b(?:bypass\w*|aggir\w+|saltare|evitare|disattivare)\s+(?:l'|la\s+|il\s+)?(?:mfa|2fa|verifica|"
        r"autenticazione\s+a\s+(?:due|piu)\s+fattori)\b[^.?!\n]{0,60}\b(?:d(?:i|el|ella|ell')\s*(?:mia|mio)\s+ex|"
        r"di\s+(?:un|una)\s+(?:collega|altr\w+|ex)|altrui|della\s+mia|del\s+mio)",
        r"\b(?:cookie|sid|session\s*id|id\s+di\s+sessione)\b[^.?!\n]{0,60}\b(?:collega|colleague|coworker|"
        r"co-worker|someone\s+else|qualcun\s+altro|altro\s+utente|another\s+user)",
        r"\banother\s+(?:company|org|organi[sz]ation|business)'?s?\b[^?!\n]{0,160}\b(?:dump|scrape|harvest|"
        r"download|export|extract|pull)\w*\s+(?:all\s+)?(?:of\s+)?(?:their|its)\b",
        r"\b(?:di\s+un'altra|di\s+un\s+altra|di\s+un\s+concorrente|altrui)\b[^?!\n]{0,160}\b(?:scaricare|"
        r"scarico|esportare|estrarre|prendere)\s+(?:tutti\s+)?(?:i\s+)?(?:loro|suoi)\b",
        # hiding one's tracks
        r"\b(?:cancell\w+|disattiv\w+|elimin\w+|nascond\w+|svuot\w+|delete|disable|turn\s+off|hide|erase|"
        r"clear|wipe|purge)\b[^.?!\n]{0,50}\b(?:audit\s+trail|login\s+history|cronologia\s+(?:degli\s+|di\s+)?"
        r"access\w*|event\s+monitoring|field\s+history|debug\s+logs?)\b[^?!\n]{0,100}\b(?:nessuno|nobody|no\s+one|"
        r"no-one|anyone|senza\s+che|won'?t\s+(?:see|know|notice)|non\s+(?:si\s+)?(?:veda|vedano|sappia|accorg\w+))",
        r"\b(?:aggir\w+|elud\w+|scavalc\w+)\b[^.?!\n]{0,40}\b(?:altri|altrui|nascost\w*|non\s+"
        r"(?:posso|dovrei|sono))\b",
    )
)


# Someone else's org or site, and taking its data: abuse when both are in the question.
_OTHER_PARTY = bounded(
    r"\b(?:competitor\w*|concorrent\w*|another\s+(?:company|org|organi[sz]ation|business)|"
    r"un'?\s*altra\s+(?:azienda|societa|org)|altrui)\b"
)
_TAKE_THEIRS = bounded(
    r"\b(?:dump|scrape|harvest|download|export|extract|pull|steal|copy)\w*\s+(?:all\s+)?(?:of\s+)?(?:their|its)\s+"
    r"(?:records|data|accounts|contacts|leads|customers|users|files)|\b(?:scaric\w+|tirar\w*\s+giu|esport\w+|estrar\w+|estra\w+|"
    r"prender\w*|copiar\w*)\s+(?:tutti\s+|tutte\s+)?(?:i\s+|le\s+)?(?:loro|suoi|sue)\s+(?:record|dati|account|"
    r"contatti|lead|clienti|utenti|file)"
)


def is_abuse(question: str) -> bool:
    """Whether ``question`` asks for help accessing orgs or data without authorisation."""
    text = normalise(question)
    if _ABUSE.search(text):
        return True
    if _OTHER_PARTY.search(text) and _TAKE_THEIRS.search(text):
        return True
    if abusive_intent(text):
        return True
    # an attack topic is abuse unless the question defends against it (searched only when one is named)
    if not _ATTACKS.search(text):
        return False
    return not (defending(text) or DEFENDING_ATTACKS.search(text) or fixing_own(text))
