"""The signals a request for unauthorised access joins (:mod:`~plumberforce.knowledge.abuse_intent`
says which combinations are abuse): covert, unauthorised (strong, weak), access refused, "anyway" (a trick among it),
circumventing a control, sensitive things, access and taking verbs, exfiltration.

Each is a regular expression over the normalised question (accent-folded, lower case).
"""

from __future__ import annotations

import re

from plumberforce.knowledge.patterns import bounded


def _re(*parts: str) -> re.Pattern[str]:
    return bounded("|".join(parts))


# Whoever could notice: the vendor, an audit or a check, the admin or IT, "they", anyone.
_WATCHER = (
    r"(?:salesforce|sfdc|the\s+platform|(?:the\s+|a\s+|an?\s+)?(?:licen[cs]e\s+)?(?:audit\w*|auditors?)|(?:the\s+)?licen[cs]e\s+checks?|compliance|"
    r"(?:the\s+)?security(?:\s+team)?|(?:the\s+)?it\s+(?:team|department)|(?:the\s+|our\s+|my\s+)?(?:admins?|administrators?|boss|manager|hr|owners?|customer|client)|"
    r"they|he|she|anyone|anybody|nobody|no\s+one|(?:event\s+)?monitoring|shield|spam\s+filters?|deliverability|bounce\s+management)"
)
# Evading whoever could notice, told by the watcher and a negated noticing verb rather than set phrases:
# "so Salesforce doesn't detect it", "deliverability won't catch us", "avoid detection", "evitiamo che
# Salesforce se ne accorga in un audit", "per non farci beccare", "without her getting any notification".
# Read by _COVERT, and removed before DEFENDING is searched (abuse_intent.py): "detect", "prevent", "evitare
# che" inside these phrases are the evasion, not a defence.
EVADING = _re(
    rf"\b(?:so|so\s+that|in\s+order\s+that)\s+{_WATCHER}\s+(?:\w+\s+){{0,2}}(?:doesn'?t|don'?t|won'?t|can'?t|cannot|"
    r"does\s+not|do\s+not|will\s+not|wouldn'?t|never)\s+(?:detect|notice|catch|flag|find\s+out|spot|realise|realize|pick\s+up)\w*\b",
    r"\b(?:doesn'?t|don'?t|won'?t|can'?t|never|not)\s+(?:catch|detect|flag|spot|notice|trace|track)\w*\s+(?:us|me)\b|"
    r"\bwithout\s+(?:\w+\s+){0,2}(?:catching|detecting|flagging|noticing|tracing)\s+(?:us|me)\b",
    # ...or the watcher named ("without event monitoring noticing", "without the DLP flagging it")
    rf"\bwithout\s+(?:{_WATCHER}|(?:the\s+)?dlp)(?:\s+or\s+(?:the\s+)?[\w-]+)?\s+(?:noticing|detecting|catching|flagging|spotting|"
    r"finding\s+out|realising|realizing)\b",
    r"\b(?:avoid|avoiding|evade|evading|escape|escaping|dodge|dodging|beat|beating|slip\s+past|get\s+past|fool|fooling)\s+"
    r"(?:any\s+|the\s+|a\s+|their\s+)?(?:detection|being\s+(?:detected|caught|flagged|noticed)|getting\s+(?:caught|flagged))\b|"
    r"\bundetectable\b",
    # (an audit avoided is a finding to fix: "avoid licence audit issues"; evaded, it is the audit itself)
    r"\b(?:evade|evading|dodge|dodging|beat|beating|slip\s+past|get\s+past|fool|fooling|escape|escaping)\s+(?:any\s+|the\s+|a\s+|their\s+)?"
    r"(?:licen[cs]e\s+|compliance\s+)?(?:audits?|checks?)\b",
    rf"\b(?:avoid|prevent|stop|keep)\w*\s+{_WATCHER}\s+from\s+(?:detecting|noticing|catching|flagging|finding\s+out|realising|realizing)\b",
    r"\b(?:evit\w+|impedi\w+|senza)\s+che\s+(?:\S+\s+){0,6}(?:se\s+ne\s+accorg\w+|ci\s+scopr\w+|mi\s+scopr\w+|ci\s+becc\w+|"
    r"mi\s+becc\w+|(?:ce\s+|lo\s+|li\s+)?rilev\w+)",
    r"\bse\s+ne\s+accorg\w+\s+(?:\w+\s+){0,2}(?:in|durante|con|a)\s+(?:un\s+|una\s+|l'\s*|gli\s+|i\s+)?(?:audit|controll\w+|"
    r"verific\w+|ispezion\w+)|\b(?:salesforce|l'?\s*audit|i\s+controlli)\s+(?:non\s+)?(?:se\s+ne\s+accorg\w+|ci\s+scopr\w+|"
    r"ci\s+becc\w+)|\bper\s+non\s+(?:farci|farmi|essere|venire)\s+(?:scopert\w+|scoprire|beccare|beccat\w+|notare|rilevare|rilevat\w+)\b",
    # what was done kept out of the org's records ("avoid it showing in event monitoring")
    r"\b(?:avoid|prevent|stop|keep)\w*\s+(?:it|this|that|them|me|us|my\s+\w+)\s+(?:from\s+)?(?:showing|appearing|being\s+(?:logged|recorded))\s+"
    r"(?:up\s+)?in\s+(?:the\s+)?(?:setup\s+)?(?:audit\w*|login\s+history|event\s+(?:monitoring|log\w*)|logs?|field\s+history)\b",
    # ...or the asker's own trace kept out of them ("non far comparire il mio ip nella login history", "keep my
    # IP out of the login history")
    r"\b(?:non\s+far(?:e|lo|la|li|le|ne)?\s+(?:comparire|apparire|risultare|vedere)|far(?:e|lo|la|li|le)?\s+sparire|non\s+(?:compaia|compaiano|appaia|risulti))\b"
    r"[^.?!\n]{0,40}\b(?:nella|nel|nei|nelle|dalla|dal|dai|in)\s+(?:\w+\s+)?(?:login\s+history|audit\s+trail|cronologia|log|logs|"
    r"registr\w+|event\s+monitoring|field\s+history)\b|\b(?:keep|hide|mask|scrub)\s+(?:my|our)\s+(?:ip|name|user(?:name)?|logins?|"
    r"activity|sessions?)\s+(?:address\s+)?(?:out\s+of|from|off)\s+(?:the\s+)?(?:setup\s+)?(?:login\s+history|audit\s+trail|logs?|"
    r"event\s+monitoring|field\s+history)\b",
    # the person concerned kept unaware
    r"\bwithout\s+(?:him|her)\s+(?:getting|receiving|seeing|knowing|noticing|being\s+(?:notified|alerted|told|informed))\b|"
    r"\bsenza\s+che\s+(?:lui|lei)\s+(?:riceva|veda|sappia|venga\s+(?:avvisat|notificat|informat)\w*)\b",
)
# Not asking the person who decides ("I don't want to ask him", "non voglio chiederglielo"): abuse with a
# control got round (abuse_intent.py), not on its own ("non voglio chiedere all'admin ogni volta").
NOT_ASKING = _re(
    r"\b(?:i\s+)?(?:don'?t|do\s+not)\s+want\s+to\s+ask\s+(?:him|her|them|the\s+admin\w*|it|my\s+(?:boss|manager))\b|"
    r"\b(?:i'?d\s+)?rather\s+not\s+ask\b|\bnon\s+(?:voglio|vorrei)\s+(?:chieder(?:e|gli|le|lo|glielo|gliela)|dir(?:gli|le|lo|glielo|gliela))\b|"
    r"\bsenza\s+chiederglielo\b",
)
_COVERT = _re(
    EVADING.pattern,
    # (not code that "silently drops the fields", "quietly retries" or "silently does nothing": software that fails or
    # has no effect without a message)
    r"\b(?:silently|secretly|covertly|quietly|unnoticed|undetected|stealthily)\b(?!\s+(?:drop|ignor|skip|fail|remov|strip|"
    r"discard|swallow|truncat|return|fall|catch|log|retr|omit|hid|stop|break|di(?:e|es|ed)\b|abort|revert|roll|overwrit|"
    r"does\s+nothing|did\s+nothing|do(?:es)?\s+not|did\s+not|doesn'?t|don'?t|didn'?t|won'?t|never|not|no-?op|error|crash|"
    r"succeed|pass|block|reject|time)\w*)",
    # someone kept uninformed, named ("without telling them", "without asking the admin", "senza avvisarli", "senza
    # informare il cliente"), not software that acts without a message ("refreshes it without warning", "la rinfresca
    # senza avvisare")
    r"\bwithout\s+(?:telling|informing|asking|notifying|alerting|warning)\s+(?:them|him|her|anyone|anybody|people|for\s+\w+|"
    r"(?:the|my|our|their|his|her|any)\s+\w+)\b",
    r"\bwithout\s+(?:the\s+|my\s+|our\s+|their\s+)?(?:admins?|administrators?|it|owners?|customers?|clients?|users?|"
    r"them|anyone|anybody|him|her|company|boss|manager)(?:\s+or\s+(?:the\s+)?\w+)?\s+(?:knowing|noticing|seeing|"
    r"finding\s+out|being\s+aware|being\s+told)\b",
    r"\b(?:they|he|she|the\s+admin|the\s+customer|the\s+owner|anyone)\s+(?:don'?t|doesn'?t|won'?t|will\s+not|"
    r"do\s+not|does\s+not|never)\s+(?:know|notice|find\s+out)\b",
    r"\b(?:nobody|no\s+one|no-one)\s+(?:will\s+|would\s+|can\s+|could\s+)?(?:see|sees|know|knows|notice|notices)\b",
    r"\bbefore\s+(?:the\s+)?(?:it|admin|administrator|anyone|anybody|someone|somebody|they|he|she|security)\s+(?:notices?|finds?\s+out|"
    r"realises|realizes|sees?)\b|\bprima\s+che\s+(?:\S+\s+){0,2}(?:se\s+ne\s+)?(?:accorg\w+|scopr\w+)\b",
    r"\bso\s+(?:that\s+)?(?:the\s+)?(?:admins?|administrators?|it|owners?|customer|nobody|no\s+one|security(?:\s+team)?|hr|"
    r"(?:my\s+)?(?:boss|manager))\s+(?:doesn'?t|won'?t|can'?t|does\s+not|will\s+not|cannot|don'?t|do\s+not)\s+(?:see|know|notice|find\s+out)\b",
    r"\bwithout\s+(?:getting|being)\s+(?:flagged|caught|detected|noticed)\b|\bspam\s+filters?\s+(?:miss|(?:don'?t|won'?t)\s+catch)\b|"
    r"\bsenza\s+(?:essere|venire|farmi|farci)\s+(?:segnalat|scopert|beccat)\w*",
    r"\bwithout\s+(?:any\s+|their\s+|his\s+|her\s+)?(?:authori[sz]ation|permission|consent|knowledge|knowing)\b",
    r"\b(?:least|less|most\s+un)\s*noticeable\b|\bunnoticeable\b|\bwithout\s+(?:triggering|setting\s+off|raising)\s+"
    r"(?:any\s+|an?\s+|the\s+)?(?:alerts?|alarms?|notifications?)\b|\b(?:leave|leaves|leaving)\s+no\s+traces?\b|"
    r"\bwithout\s+leaving\s+(?:a\s+|any\s+)?traces?\b",
    # no trace left, however said ("methods that don't leave a trace", "so there's no trace of me", "che non lasciano
    # traccia", "nessuna traccia di me")
    r"\b(?:don'?t|doesn'?t|do\s+not|does\s+not|won'?t|wouldn'?t)\s+leave\s+(?:a\s+|any\s+)?traces?\b|\bno\s+traces?\s+(?:left\s+)?of\s+"
    r"(?:me|us|my|our|it)\b|\bcan'?t\s+be\s+traced\s+(?:back\s+)?to\s+(?:me|us)\b|\bnessuna\s+traccia\s+(?:di\s+me|di\s+noi|mia|nostra)\b|"
    r"\b(?:risalire|risalgano|ricondurre|riconducano)\s+a\s+me\b",
    r"\b(?:per\s+)?non\s+lasci\w*\s+(?:alcuna\s+|nessuna\s+)?tracc\w+\b|\bsenza\s+lasciare\s+tracc\w+\b|\binosservat\w*\b|"
    r"\bsenza\s+(?:far\s+)?scattare\s+(?:alcun\w*\s+|nessun\w*\s+|la\s+|il\s+|gli\s+|i\s+)?(?:allarm\w+|avvis\w+|alert|verific\w+|blocc\w+|mfa|notific\w+)\b",
    r"\bsenza\s+far(?:mi|si|ci)\s+(?:notare|vedere|scoprire|beccare)\b|\bsenza\s+(?:comparire|apparire|risultare)\b|"
    r"\bdi\s+nascosto\b|\b(?:all'?\s*|a\s+(?:loro|sua)\s+)insaputa\b|\bin\s+segreto\b|\bsenza\s+farsi\s+(?:notare|vedere|scoprire)\b",
    r"\bsenza\s+che\s+(?:\S+\s+){0,3}(?:lo\s+|se\s+ne\s+|ne\s+)?(?:sappia|sappiano|accorg\w*|veda|vedano|scopr\w*|"
    r"noti|notino)\b",
    r"\bsenza\s+(?:alcuna\s+|alcun\s+|il\s+loro\s+|il\s+suo\s+)?(?:autorizzazion\w|permess\w|consenso)\b|"
    # (with the people as a suffix too: "senza avvisarli", "senza dirglielo")
    r"\bsenza\s+(?:dirlo|dirglielo|dirgli|dirle|dirlo\s+a\s+nessuno|(?:avvis|avvert|inform)(?:arl[oaie]|argli|arle|arglielo)|"
    r"chiederglielo|(?:avvis|avvert|inform)are\s+(?:nessuno|(?:il|la|lo|l'|i|gli|le|un|una|mio|mia|miei|mie|nostr\w+|chi)\b))",
    r"\b(?:cosi|in\s+modo\s+che)\s+(?:che\s+)?nessuno\s+(?:\w+\s+)?(?:vede|veda|sappia|sa|noti|scopra|se\s+ne\s+accorga)\b",
    r"\bwithout\s+(?:anyone|anybody|the\s+admin|an\s+admin)\s+(?:granting|giving|approving)\b",
    r"\bwithout\s+(?:it\s+)?(?:showing\s+up|appearing|being\s+(?:logged|recorded))\b|\bquietest\b|\bnothing\s+shows\s+up\b|"
    r"\b(?:doesn'?t|don'?t|does\s+not|do\s+not)\s+need\s+to\s+know\b|\b(?:needs?\s+to|has\s+to)\s+be\s+"
    r"(?:quiet|discreet)\b|\bunder\s+the\s+radar\b|\bwithout\s+(?:tripping|triggering|hitting)\s+(?:the\s+|any\s+)?lock\s*outs?\b|"
    # ...or with a lockout named as what must not happen ("slowly so it doesn't trip the lockout", "così non scatta
    # il blocco")
    r"\b(?:doesn'?t|don'?t|won'?t|wouldn'?t|does\s+not|do\s+not|never)\s+(?:trigger|trip|hit|set\s+off|cause)\s+(?:the\s+|a\s+|an\s+|any\s+)?"
    r"(?:account\s+)?lock\s*-?outs?\b|\bsenza\s+(?:far\s+)?scattare\s+(?:il\s+)?blocco\b|\bnon\s+scatt\w+\s+(?:il\s+)?blocco\b",
    r"\bsenza\s+che\s+(?:ne\s+|ci\s+)?rest\w+\s+(?:alcuna\s+|nessuna\s+)?tracc\w+|\bsenza\s+passare\s+(?:dall'?\s*|dal\s+|per\s+l'?\s*)(?:admin\w*|amministrator\w*|it)\b|"
    r"\bwithout\s+going\s+through\s+(?:the\s+)?(?:admin\w*|it)\b|\bsenza\s+che\s+(?:gli|le)\s+arriv\w+\b",
    # "they haven't noticed", "I don't want the admin to find out", "il mio responsabile non deve saperlo",
    # "lui non lo sa", "così l'admin non vede", while the owner sleeps, "se ne accorgono?"
    r"\b(?:they|he|she|the\s+(?:admins?|client|customer|owner|company))\s+(?:haven'?t|hasn'?t|have\s+not|has\s+not)\s+"
    r"(?:yet\s+)?(?:noticed|found\s+out|realised|realized)\b|\bi\s+(?:don'?t|do\s+not)\s+want\s+(?:the\s+|my\s+)?(?:admins?|"
    r"administrators?|boss|manager|it|anyone|anybody|them|him|her|security)\s+to\s+(?:know|find\s+out|notice|see)\b",
    r"\bnon\s+(?:deve|devono|dovra|dovranno)\s+(?:saperlo|saperne\s+(?:niente|nulla)|accorgersene|scoprirlo|vederlo)\b|"
    r"\b(?:lui|lei|loro)\s+non\s+lo\s+(?:sa|sanno|sapra|sapranno)\b|"
    # whoever owns the org or the account, unaware ("però il cliente non lo sa", "the client doesn't know"), or the
    # person just named ("..., non se ne accorge"; not a user who "non se ne accorge" of a delay)
    r"\b(?:il\s+cliente|i\s+clienti|l'?\s*azienda|l'?\s*admin\w*|l'?\s*amministrator\w*|il\s+proprietario|il\s+(?:mio\s+)?(?:capo|"
    r"responsabile)|la\s+(?:mia\s+)?(?:capa|responsabile))\s+non\s+(?:lo|ne)\s+(?:sa|sanno|sapra|sapranno)\b|"
    r"\b(?:the\s+)?(?:client|company|org\s+owner)\s+(?:doesn'?t|does\s+not|won'?t|will\s+not|never)\s+(?:know|notice|find\s+out)\b|"
    r"(?:[,;:]\s*|\b(?:tanto|cosi|e)\s+)non\s+se\s+ne\s+accorg(?:e|era|ono|eranno)\b|\b(?:cosi|in\s+modo\s+che|cosicche)\s+(?:che\s+)?"
    r"(?:l'?\s*admin\w*|l'?\s*amministrator\w*|il\s+(?:mio\s+)?(?:capo|responsabile|manager)|(?:i|gli)\s+(?:colleghi|admin))\s+"
    r"non\s+(?:\w+\s+)?(?:vede|veda|vedono|vedano|sa|sappia|sappiano|nota|noti|scopr\w+|se\s+ne\s+accorg\w+)\b",
    r"\bmentre\s+(?:lui\s+|lei\s+)?(?:dorme|non\s+guarda|e\s+in\s+bagno)\b|\bwhile\s+(?:she|he|they)\s+(?:sleeps?|"
    r"(?:is|are|'s|'re)\s+(?:asleep|sleeping|in\s+the\s+shower))\b|\bse\s+ne\s+accorg(?:e|ono|era|eranno)\s*\?|"
    r"\b(?:will|would)\s+(?:they|the\s+admins?|anyone|anybody|security)\s+(?:notice|find\s+out)\b",
    r"\bsenza\s+che\s+(?:\S+\s+){0,3}(?:compaia|compaiano|risulti|risultino|appaia|appaiano|abbia\s+(?:concesso|"
    r"autorizzato|dato))\b|\bsenza\s+(?:farmi|farsi|essere)\s+bloccar\w*\b|\bsenza\s+chiedere\s+(?:a\s+nessuno|(?:il\s+|i\s+)?permess\w+|l'?\s*autorizzazion\w+|all'?\s*(?:admin\w*|amministrator\w*))\b",
)
# a character of a sentence that names no org of the asker's own (a sandbox, a scratch or trial org, "my org")
_NOT_OWN = (
    r"(?:(?!\b(?:sandbox\w*|scratch|trial|(?:di\s+)?prova|(?:my|our)\s+(?:own\s+)?org|"
    r"(?:la\s+)?(?:mia|nostra)\s+org)\b)[^.?!\n])"
)
# a secret that lets one in, and a character of a sentence that names nothing as the asker's own
_CREDENTIAL = (
    r"(?:(?:access\s+|oauth\s+|refresh\s+|api\s+)?tokens?|session\s*ids?|passwords?|credentials|credenziali|cookies?|client_secret|"
    r"client\s+secret|api\s+keys?|chiav[ei]\s+(?:api|di\s+accesso))"
)
_NONE_OURS = r"(?:(?!\b(?:our|my|own|nostr[oaie]|mi[oaie])\b)[^.?!\n])"
# a security test of a site or an org, and the mandate for it
_SECURITY_TEST = (
    r"(?:pen(?:etration)?[\s-]?test\w*|security\s+(?:test\w*|audit\w*|assessment)|test\s+di\s+(?:sicurezza|penetrazione)|"
    r"audit\s+di\s+sicurezza|verifica\s+di\s+sicurezza)"
)
_MANDATE = (
    r"(?:authori[sz]ation|permission|contract|mandate|sign-?off|scope\s+letter|autorizzazion\w+|contratto|mandato|"
    r"incarico|permesso)"
)
_UNAUTHORISED_STRONG = _re(
    r"\b(?:leaked|stolen|trapelat\w*|rubat\w*)\s+(?:[^\s,]+\s+){0,4}(?:api\s+)?(?:keys?|passwords?|credentials?|tokens?|"
    r"logins?|sessions?|chiav\w+|credenziali)\b",
    # (or without one handed over: "without them giving me credentials", "senza che mi diano le credenziali"), not into
    # the asker's own sandbox or org ("log into the new sandbox without being given an account")
    rf"\b(?:get|gets|getting|log|break|breaking)\s+(?:in)?to\b{_NOT_OWN}{{0,60}}\bwithout\s+(?:(?:them|him|her|anyone|the\s+\w+)\s+"
    r"(?:giving|granting|handing)\s+(?:me|us)\s+|being\s+(?:given|granted)\s+)?(?:an?\s+|any\s+)?(?:account|login|credentials|permission)\b|"
    rf"\b(?:entrare|entro|entriamo|accedere|accedo|accediamo)\b{_NOT_OWN}{{0,60}}\bsenza\s+(?:che\s+(?:mi|ci)\s+(?:diano|dia|abbiano\s+dato|"
    r"abbia\s+dato|dessero|desse|concedano|conceda)\s+)?(?:un\s+|un'\s*|le\s+|l'\s*|avere\s+un\s+)?(?:account|utenza|credenziali)\b",
    r"\b(?:log\s*in|login|sign\s+in|access|enter|get\s+in)\w*\b[^.?!\n]{0,40}\bwithout\s+(?:the|their|his|her|a|"
    r"knowing\s+the)\s+password\b",
    r"\b(?:accedere|accedo|entrare|entro|login)\b[^.?!\n]{0,40}\bsenza\s+(?:la\s+|sua\s+|la\s+sua\s+)?password\b",
    r"\b(?:company|org|organi[sz]ation|business|site)\s+(?:i'?m|we'?re|i\s+am|we\s+are)\s+targeting\b",
    r"\b(?:mi\s+ha\s+dato|mi\s+ha\s+passato)\s+la\s+sua\s+password\b|\bgave\s+me\s+(?:his|her|their)\s+password\b|"
    # someone else's password handed over or held, however ("mi ha lasciato la sua password su un post-it", "ho
    # username e password suoi", "she left me her login", "I have my boss's password")
    r"\bmi\s+ha(?:nno)?\s+(?:lasciato|prestato|detto|scritto|mandato|girato|dettato|dato|passato)\s+(?:\w+\s+){0,2}(?:la\s+sua|le\s+sue|"
    r"il\s+suo|i\s+suoi)\s+(?:password|credenziali|login|utenza|pin)\b|\b(?:ho|abbiamo|conosco)\s+(?:la\s+sua|le\s+sue)\s+(?:password|"
    r"credenziali)\b|\b(?:ho|abbiamo|conosco|so)\s+(?:(?:la|le|il|i|gli|username|utente|user|e|ed)\s+){0,4}(?:password|credenziali)\s+"
    r"(?:sua|sue|suoi|suo|di\s+lui|di\s+lei|del\s+(?:mio\s+)?(?:capo|collega|responsabile)|della\s+(?:mia\s+)?(?:collega|capa|"
    r"responsabile)|di\s+un\s+collega)\b|\b(?:left|lent|sent|texted|told|shared)\s+me\s+(?:his|her|their)\s+(?:\w+\s+)?(?:password|"
    r"credentials|login)\b|\bi\s+(?:have|got)\s+(?:his|her|their|my\s+(?:boss|manager|colleague|coworker)'s)\s+(?:username\s+and\s+)?"
    r"(?:password|credentials)\b|"
    r"\bi\s+know\s+(?:his|her|their)\s+password\b|\bconosco\s+la\s+sua\s+password\b|\bso\s+la\s+(?:sua\s+)?password\b|"
    r"\bso\s+la\s+risposta\s+alla\s+sua\s+domanda\s+di\s+sicurezza\b|\bi\s+know\s+the\s+answer\s+to\s+(?:his|her)\s+security\b",
    r"\b(?:from|in)\s+a\s+(?:data\s+)?(?:breach|leak)\b|\bbreach(?:ed)?\s+(?:dump|data|list|database)\b|\bcombo\s*lists?\b|\b(?:email|user(?:name)?)\s*[/:]\s*password\s+pairs\b|"
    r"\b(?:dump|lista)\s+di\s+(?:password|credenziali)\b",
    rf"\b{_SECURITY_TEST}\b[^.?!\n]{{0,40}}"
    r"\b(?:not|non)\s+(?:yet\s+|ancora\s+)?(?:hired|engaged|incaricat\w*|ingaggiat\w*)\b|"
    rf"\b{_SECURITY_TEST}\b[^.?!\n]{{0,80}}"
    r"\b(?:not|non|isn'?t|hasn'?t|wasn'?t)\s+(?:e\s+|is\s+|been\s+|has\s+been\s+)?(?:yet\s+|ancora\s+|stato\s+)?(?:authori[sz]ed|autorizzat\w*|approved|approvat\w*|"
    r"signed|firmat\w*)",
    # ...or with no mandate, the asker says ("a security audit for a client (no paperwork yet)", "non ho autorizzazione
    # scritta"), of no org of the asker's own
    rf"\b{_SECURITY_TEST}\b{_NOT_OWN}{{0,80}}(?:\bno\s+(?:\w+\s+)?paperwork|\b(?:i|we)\s+(?:have|'ve\s+got|got)\s+no\s+(?:written\s+|signed\s+)?"
    rf"{_MANDATE}|\b(?:i|we)\s+(?:don'?t|do\s+not)\s+have\s+(?:a\s+|any\s+)?(?:written\s+|signed\s+)?{_MANDATE}|\bwithout\s+(?:any\s+|a\s+)?"
    rf"(?:written\s+|signed\s+)?{_MANDATE}|\bnon\s+(?:ho|abbiamo)\s+(?:ancora\s+)?(?:un[a']?\s*|l'\s*|il\s+|la\s+|alcun\w*\s+|nessun\w*\s+)?{_MANDATE}|"
    rf"\bsenza\s+(?:alcun\w*\s+|un[a']?\s*)?{_MANDATE})\b",
    # a secret found that belongs to someone else ("found an access token ... for some company's org", "trovato le
    # credenziali di un'azienda")...
    rf"\b(?:found|trovat\w+)\b[^.?!\n]{{0,80}}\b{_CREDENTIAL}\b[^.?!\n]{{0,80}}\b(?:another|other|un\s+altro|un'?\s*altr[ao]|di\s+altri|"
    r"their|loro|someone|somebody|that\s+org|quell'?\s*org|(?:some|a|an|one)\s+(?:random\s+|other\s+)?(?:company|business|firm|"
    r"organi[sz]ation)(?:'s)?|di\s+(?:un'?\s*|una\s+|qualche\s+)(?:azienda|societa|impresa|org))\b",
    # ...or found in a public place, a repository or a paste site, with nothing saying it is the asker's own ("found an
    # access token in a public github repo", "ho trovato una chiave API su pastebin"; not "in our public repo")
    rf"\b(?:found|trovat\w+|came\s+across|stumbled\s+(?:up)?on)\b{_NONE_OURS}{{0,80}}\b{_CREDENTIAL}\b{_NONE_OURS}{{0,60}}"
    r"(?:\bpublic\s+(?:\w+\s+)?(?:repo\w*|gists?)|\b(?:repo\w*|gists?)\s+(?:\w+\s+)?pubblic\w+|\bpastebin)\b",
)
_UNAUTHORISED_WEAK = _re(
    r"\bnon\s+ho\s+(?:il\s+|i\s+)?(?:permess\w+|accesso|autorizzazion\w+|diritti)\b",
    r"\b(?:a\s+cui|cui)\s+non\s+ho\s+accesso\b|\bche\s+il\s+mio\s+profilo\s+non\s+(?:puo|vede)\b",
    r"\b(?:i|we)\s+(?:don'?t|do\s+not)\s+have\s+(?:access|permission|the\s+permission|rights)\b",
    r"\b(?:i'?m|i\s+am)\s+not\s+(?:allowed|authori[sz]ed|permitted)\b",
    # the asker's profile refuses it
    r"\bmy\s+profile\s+(?:(?:can'?t|cannot)\s+see|(?:doesn'?t|does\s+not)\s+(?:have|allow|include|let\s+me)|won'?t\s+let\s+me)\b|"
    r"\bil\s+mio\s+profilo\s+non\s+(?:ha|permette|consente)\b|\b(?:il\s+(?:mio\s+)?profilo|my\s+profile)\s+non\s+mi\s+"
    r"(?:permette|consente|lascia)\b",
    r"\b(?:the\s+)?(?:admin|administrator|manager|it)\s+(?:said|told\s+me|has\s+said)\s+no\b|\b(?:refused|denied)\s+(?:me|my\s+request)\b",
    r"\bmi\s+ha\s+detto\s+(?:di\s+)?no\b|\bnon\s+mi\s+(?:da|danno|vuole\s+dare)\s+(?:l'?\s*)?accesso\b",
    # a control set on the asker ("the admin hid the field on my profile") or the asker's own low standing ("I'm
    # just a standard user", "sono utente standard")
    r"\b(?:hid|hidden|restricted|removed|locked|blocked|revoked)\s+(?:\S+\s+){0,5}(?:on|from|for|in)\s+my\s+(?:profile|user|role|"
    r"permission\s+set|account)\b|\b(?:i'?m|i\s+am)\s+(?:just|only)\s+(?:a\s+)?(?:standard|normal|regular|basic|read[\s-]only)\s+user\b|"
    r"\bsono\s+(?:solo\s+|soltanto\s+|un\s+semplice\s+)?(?:un\s+)?utente\s+(?:standard|normale|base|in\s+sola\s+lettura)\b",
    r"\b(?:messo|impostato|limitato|bloccato|nascosto|tolto|ristretto|disabilitato)\s+(?:\S+\s+){0,4}(?:sul|nel|al|per\s+il|dal)\s+mio\s+"
    r"(?:profilo|utente|ruolo)\b|\b(?:per|sul|nel)\s+(?:il\s+)?mio\s+(?:profilo|utente)\s+(?:e|è)\s+(?:bloccat|limitat|disabilitat|"
    r"nascost|vietat)\w*",
    r"\b(?:hide|hides|hid|hidden|hiding)\s+(?:\S+\s+){0,4}from\s+me\b|\b(?:nascost\w*|nascond\w+)\s+(?:\w+\s+)?a\s+me\b|"
    r"\bme\s+(?:li|le|lo|la)\s+nascond\w+\b|\bhidden\s+from\s+my\s+(?:profile|user|role)\b",
    r"\bnon\s+mi\s+(?:hanno|ha)\s+(?:condiviso|concesso)\b|\b(?:not|never)\s+(?:been\s+)?shared\s+with\s+me\b|"
    r"\bnon\s+sono\s+nel(?:la)?\s+(?:ruolo|gruppo|profilo|coda|team)\s+giust[oa]\b|\bi'?m\s+not\s+in\s+the\s+right\s+"
    r"(?:role|group|profile|queue|team)\b",
)
# Access asked for and refused, or never granted: "they never gave me access", "nessuno mi da l'accesso".
_DENIED = _re(
    r"\b(?:they|he|she|admin\w*|manager|boss|hr|it)\b[^.?!\n]{0,40}\b(?:didn'?t|did\s+not|hasn'?t|has\s+not|never)\s+"
    r"(?:approved?|authori[sz]ed?|granted?|gave\s+me|given\s+me)\b|"
    r"\bnon\s+(?:ha|hanno)\s+(?:mai\s+)?(?:approvato|autorizzato|concesso|dato)\b|\bnon\s+mi\s+hanno\s+mai\s+dato\b|"
    r"\b(?:nobody|no\s+one)\s+(?:will|would)\s+(?:give|grant)\s+me\b|\bche\s+non\s+posso\s+vedere\b|\bnessuno\s+mi\s+(?:da|dara|vuole\s+dare)\b",
    # access or credentials the other side refuses to hand over ("a partner won't give us API access", "non ci danno
    # l'accesso"); not the platform's own limits ("Salesforce non ci da accesso al db")
    r"(?<!salesforce\s)(?<!sfdc\s)\b(?:won'?t|will\s+not|wouldn'?t|would\s+not|refuse[sd]?\s+to|keep\s+refusing\s+to)\s+(?:give|grant|hand|share\s+with)\s+(?:me|us)\s+"
    r"(?:\w+\s+){0,2}?(?:access|permission|credentials|logins?|an?\s+(?:account|user|login))\b",
    r"(?<!salesforce\s)(?<!sfdc\s)\bnon\s+(?:mi|ci)\s+(?:vuole\s+|vogliono\s+)?(?:da|danno|dare|concede|concedono|concedere)\s+(?:l'?\s*|le\s+|un'?\s*|una\s+|i\s+)?"
    r"(?:accesso|credenziali|utenza|account|permess\w+)\b",
)
# A trick or a loophole, or reading it still ("any trick to still read the values"): part of "anyway", and read
# alone by abuse_intent.py (records owned by another team read through a trick).
TRICK = _re(
    r"\b(?:tricks?|loopholes?|scappatoi[ae]|trucc(?:o|hi|hetto|hetti)|escamotage)\b|\bto\s+still\s+(?:read|see|view|get|access|open|export|pull)\b|"
    r"\b(?:can|could)\s+(?:i|we)\s+still\s+(?:read|see|view|get\s+at|access|open|export|pull|query)\b",
)
_ANYWAY = _re(
    r"\bma\s+(?:mi|ci)\s+serv\w+\b|\bbut\s+i\s+need\b|\banyway\b|\blo\s+stesso\b|\bcomunque\b|\bfar\s+credere\b",
    r"\b(?:thinks?|believe)\s+i'?m\s+(?:in|at)\s+the\s+office\b|\bignores?\s+sharing\b",
    TRICK.pattern,
)
_CIRCUMVENT = _re(
    r"\b(?:bypass\w*|circumvent\w*|evad\w*|get\s+(?:a)?round|work\s+around|override|get\s+past)\b",
    r"\b(?:trick|hack|way)\s+to\s+(?:skip|avoid|get\s+past)\b|\bskip\s+(?:the\s+)?(?:verification|mfa|2fa|login|sso)\b",
    r"\bstop\s+(?:the\s+)?(?:mfa|2fa|verification|[\w-]+\s+verification)\b[^.?!\n]{0,40}\bfrom\s+(?:flagging|catching|detecting|blocking)\b",
    r"\b(?:saltare|salto|saltiamo|saltando)\s+(?:il\s+|la\s+|l'\s*)?(?:codice|verifica|mfa|2fa|otp|autenticazione)\b|"
    r"\bwithout\s+(?:hitting|tripping|triggering|running\s+into)\s+(?:the\s+|their\s+|its\s+|any\s+)?(?:\w+\s+){0,2}(?:restrictions?|"
    r"ip\s+ranges?|login\s+hours|mfa|2fa|verification)\b",
    r"\bforz\w+\s+(?:l'?\s*)?accesso\b|\bforce\s+(?:my\s+way\s+in|access)\b|\bspoof\w*\b|\bmake\s+my\s+(?:home\s+)?ip\s+(?:look|appear)\b|\bfing\w+\s+(?:l'?\s*)?ip\b|\b(?:route|tunnel)\s+(?:my\s+)?traffic\b|\b(?:vpn|proxy)\b[^.?!\n]{0,60}\b(?:credere|think|believe|pretend)\b",
    r"\b(?:escalat\w*|elevat\w*)\b[^.?!\n]{0,40}\b(?:admin\w*|privileges?|permissions?|rights)\b",
    r"\b(?:grab\w*|swip\w+|lift\w*|cop(?:y|ied|ying)|copia\w*)\b[^.?!\n]{0,30}\b(?:sid|session|cookie|token)s?\b",
    r"\bmake\s+myself\s+(?:an?\s+)?(?:system\s+)?admin\w*\b|\bprivilege\s+escalation\b",
    r"\b(?:aggir\w+|elud\w+|scavalc\w+)\b|\bscalare\s+(?:i\s+)?privilegi\b|\bdiventare\s+(?:system\s+)?admin\w*\b",
    r"\b(?:disattiv\w+|disabl\w+|turn\w*\s+off)\b[^.?!\n]{0,30}\b(?:restriction\s+rules?|sharing|mfa|2fa|audit|"
    r"login\s+history|field\s+history|(?:history\s+)?tracking|tracciamento)\b",
    r"\b(?:purg|delet|eras|wip|cancell|elimin|svuot)\w*\s+(?:\w+\s+){0,3}(?:\w+fieldhistory|\w+history\s+(?:rows|records|righe)|"
    r"field\s+history|login\s+history|audit\s+trail)\b",
    # a login control outlasted ("stay logged in past my login hours", "restare loggato oltre l'orario")
    r"\b(?:stay|stays|staying|remain|remaining|keep\s+me|restare|resto|rimanere|rimango)\s+(?:\w+\s+)?(?:logged\s+in|loggat\w+|"
    r"collegat\w+|connected|connesso)\s+(?:oltre|past|beyond|after|outside|dopo|fuori)\b",
)
_SENSITIVE = _re(
    r"\b(?:passwords?|credentials?|credenziali|mfa|2fa|two[\s-]factor|otp|session\s*ids?|sid|cookies?|"
    r"(?:access\s+|oauth\s+|refresh\s+)?tokens?|api\s+keys?|chiav\w+\s+api|reset\s+links?)\b",
    # (the recovery question, not the asker's question about security: "LWC security question: ...", "a security
    # question about sharing")
    r"\b(?<!quick\s)(?:security\s+question|domanda\s+di\s+sicurezza)\b(?!\s*[:(\-\u2013]|\s+(?:about|on|regarding|for\s+you|"
    r"here|su|sul\w*|riguardo|per\s+te)\b)|\b(?:login\s+history|audit\s+trail|cronologia\s+(?:degli\s+)?accessi|system\s+administrator)\b",
    r"\b(?:verification\s+(?:step|code)|codice\s+di\s+verifica|single\s+sign[\s-]?on|sso|ip\s+restrictions?|"
    r"cookie\s+di\s+sessione)\b",
    r"\b(?:encrypted|cifrat\w*|criptat\w*|salar\w*|stipend\w*|payroll)\b",
    r"\b(?:login\s+)?ip\s+ranges?\b|\blogin\s+hours\b|\borari\s+di\s+(?:accesso|login)\b",
)
_ACCESS = _re(
    r"\b(?:log\s*in|login|logins|sign\s+in|access\w*|get\s+into|enter|read|see|view|open|query)\b",
    r"\b(?:accedere|accedo|accedi|entrare|entro|leggere|legg(?:o|i|e|ono|erli|erle)|vedere|aprire)\b|"
    r"\b(?:veder|legger|aprir)(?:lo|la|li|le|ne)\b",
)
# (not the sandboxes named Partial Copy and Full Copy)
_TAKING = _re(
    r"\b(?:scrap\w+|harvest\w*|enumerat\w*|dump\w*|exfiltrat\w*|pull\w*|download\w*|export\w*|extract\w*|"
    r"copy(?<!partial\scopy)(?<!full\scopy)|copies|copying)\b",
    r"\b(?:scaric\w+|esport\w+|estra\w+|esfiltr\w+|copia\w*|prelev\w+|girarmi|inoltrarmi)\b|\bport(?:ar\w*|o|a|iamo|ate|ando|ato)\s+via\b(?![^.?!\n]{0,20}\b(?:tempo|ore|minut\w+|second\w+|spazio|memoria|cpu)\b)|\bmi\s+(?:giro|inoltro)\b|"
    r"\b(?:forward|send|email)\w*\s+(?:\w+\s+){0,3}to\s+myself\b",
)
_EXFILTRATION = _re(
    r"\bto\s+(?:my\s+(?:personal|private|own)\b|my\s+(?:gmail|hotmail|yahoo|server|endpoint|webhook|domain)\b|an?\s+(?:external\s+)?(?:endpoint|"
    r"server|address|url|site)\s+(?:that\s+)?i\s+(?:control|own|run))",
    r"\b(?:al|alla|sul|sulla|verso\s+(?:il|la|un|una))\s+(?:mio|mia)\s+(?:indirizzo\s+)?(?:personale|privat\w|gmail)\b",
    r"\bche\s+controllo\s+io\b|\b(?:endpoint|server)\s+(?:esterno\s+)?(?:mio|che\s+controllo)\b",
)
_SIGNALS = {
    "covert": _COVERT,
    "strong": _UNAUTHORISED_STRONG,
    "weak": _UNAUTHORISED_WEAK,
    "denied": _DENIED,
    "anyway": _ANYWAY,
    "circumvent": _CIRCUMVENT,
    "sensitive": _SENSITIVE,
    "access": _ACCESS,
    "taking": _TAKING,
    "exfiltration": _EXFILTRATION,
}


def signals(text: str) -> dict[str, bool]:
    """Which of the signals ``text`` (normalised: folded, lower case) carries."""
    return {name: bool(pattern.search(text)) for name, pattern in _SIGNALS.items()}
