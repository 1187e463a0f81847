"""Abuse told by what a request combines, not by set phrases (see :mod:`~plumberforce.knowledge.abuse`).

The phrases of ``abuse.py`` name one way of asking; people ask in many. Here a request is abuse
when it joins two signals that a legitimate question does not join:

- **covert**: done so that the people concerned do not know ("silently", "without the admin
  knowing", "so nobody sees", "senza che l'IT lo sappia", "di nascosto", "senza autorizzazione"),
  or evading whoever could notice (``EVADING``: "so Salesforce doesn't detect it", "won't catch
  us", "evitare che se ne accorga in un audit");
- **unauthorised**: access the asker says they lack ("non ho il permesso", "a cui non ho
  accesso", "I don't have access"), or credentials that are not theirs ("leaked", "stolen",
  "without the password", "a company I'm targeting");
- **circumvent**: bypassing, escalating or disabling a control ("bypass MFA", "escalate my user
  to System Administrator", "aggirare", "disattivando le restriction rule");
- **sensitive**: passwords, credentials, MFA, session ids, tokens, API keys, reset links, login
  history and audit trail, encrypted fields, salaries;
- **access** and **taking data** verbs, and **exfiltration** to an address the asker controls.

Covert + (access, sensitive, circumvent, taking, exfiltration); unauthorised (strong) alone;
unauthorised (weak) + (circumvent, covert, "but I need it"); circumvent + sensitive + someone
else; intercepting credentials; an email or a call posing as Salesforce that asks for a password or
a code; lists of passwords to try; someone else's org + access or taking; evading a licence check; mail
sent as another company or to bought or cold lists past the checks; erasing the records of one's own
doing; access kept after the work for a company ended; other companies' exposed sites, or every public
site crawled; a partner pried on; a victim's session put to use; records taken beyond what was shared
with the asker, or from a site said not to be the asker's; a security test nobody asked for; people's personal
details (a private email, a home address) gathered without telling them; another team's records read through a trick
while the sharing keeps them private; several users posed as to take what other customers hold; a token or a password
put to use by someone let go, or another user's found and put to use; someone else's reset made to reach the asker;
the passwords or recovery answers people usually pick, to be tried; someone else's record edited so its history does not
show it; someone's personal details looked for through another company's portal; a permission found by mistake put to
use by who is not an admin. A question about
defending ("prevent", "detect", "how do we stop", "revoke", "someone is brute-forcing our org", "restrict
logins to our office IPs") is not abuse, unless those words are the evasion itself ("so it doesn't detect").
"""

from __future__ import annotations

import re

from plumberforce.knowledge.abuse_signals import EVADING, NOT_ASKING, TRICK, signals
from plumberforce.knowledge.patterns import AnyOf, bounded
from plumberforce.knowledge.roleplay import fixing_own


def _re(*parts: str) -> re.Pattern[str]:
    return bounded("|".join(parts))


_SOMEONE_ELSE = _re(
    r"\b(?:the|a|another|other|any)\s+(?:\w+\s+)?users?'s\b|\busers'\b|\bsome(?:one|body)(?:\s+else)?'?s\b|\bhis\b|\bher\b",
    r"\b(?:client|customer|colleague|coworker|manager|boss|partner|admin|administrator)'s\b",
    r"\b(?:another|other|someone|somebody)\s+(?:\w+\s+)?(?:person|user|employee|colleague)'?s\b|\btheir\s+(?:username|login|account)\b",
    r"\b(?:che\s+)?non\s+(?:e|è)\s+(?:il\s+|la\s+)?mi[oa]\b|\b(?:that|which)\s+(?:isn'?t|is\s+not)\s+mine\b|"
    r"\bnot\s+my\s+(?:own\s+)?(?:account|org|user)\b",
    r"\b(?:di\s+)?(?:un|un'altro|altro)\s+utente\b|\bdell'?\s*utente\b|\baltrui\b|\bsu\s+un\s+utente\b",
)
# Someone else's credentials, session or login, put to use: "log in with his credentials", "usare le sue
# credenziali", "riutilizzare il cookie di sessione di un utente" (resetting one is an admin's job, and asking
# whether its email goes "to the user or to me" is an admin's question).
_THEIRS_USED = _re(
    r"\b(?:use|using|reuse|reusing|log\s*in\s+with|login\s+with|sign\s+in\s+with|send)\b[^.?!\n]{0,30}\b(?:his|her|their|"
    r"\w+'s)\s+(?:\w+\s+)?(?:credentials|password|session|cookie|token|login|mfa|code)\b",
    r"\b(?:entrare|accedere|entro|accedo|loggarmi|loggarsi|loggo)\s+(?:con|col)\s+(?:il\s+|la\s+|l'\s*)?(?:suo|sua)\s+(?:utente|utenza|account|login|"
    r"credenziali)\b",
    r"\b(?:usare|uso|usando|riutilizz\w+|entrare\s+con|accedere\s+con)\b[^.?!\n]{0,30}\b(?:le\s+sue|la\s+sua|il\s+suo|i\s+suoi|"
    r"di\s+un\s+(?:altro\s+)?utente|di\s+un\s+collega)\b[^.?!\n]{0,30}\b(?:credenziali|password|sessione|cookie|token|login)\b",
    r"\b(?:cookie|session\w*|token)\s+(?:di\s+sessione\s+)?(?:di|of)\s+(?:un|uno|a|another)\s+(?:altro\s+)?(?:utente|user)\b"
    r"[^.?!\n]{0,80}\b(?:riutilizz|reus|usar|use)\w*",
    r"\b(?:reset|resett\w+)\b[^.?!\n]{0,40}\b(?:mfa|password|code)\b[^.?!\n]{0,60}(?<!\bor\s)(?<!\bo\s)\b(?:to\s+me|a\s+me|instead|without\s+(?:her|his|"
    r"their)\s+phone)\b",
)
_THEIRS_TAKEN = _re(
    r"\b(?:take|taking|grab\w*|steal\w*|use|reuse)\s+(?:\w+\s+){0,4}(?:session|token|cookie|credentials)\s+(?:\w+\s+){0,2}from\s+"
    r"(?:someone|somebody|another|other|their|a\s+competitor)",
)
# catching an error ("intercetto l'errore nel flow", "capture the exception") is not interception
_INTERCEPT = _re(
    r"\b(?:intercept\w*|intercett\w+|sniff\w*|captur\w+|cattur\w+|keylog\w*)\b(?!\s+(?:(?:the|an?|l'|gli|le|un|i|il|lo)\s*)?"
    r"(?:error\w*|errore|errori|eccezion\w*|exception\w*|fault\w*))"
)
_POSING = _re(
    r"\b(?:looks?|appears?|seems?)\s+(?:exactly\s+|just\s+)?(?:like\s+it\s+(?:came|comes)\s+from|to\s+come\s+from|like|"
    r"as\s+if\s+(?:it\s+)?(?:came|comes|was\s+sent)\s+from)\s+(?:an?\s+|the\s+)?salesforce\b",
    r"\bsembr\w+\s+(?:\S+\s+){0,4}salesforce\b",
    r"\blogin\s+page\s+(?:that\s+)?i\s+(?:host|control|own)\b|\bpagina\s+di\s+login\s+(?:mia|che\s+controllo)\b",
    r"\b(?:sembri|sembra|sembrino|finga|spacci\w*)\s+(?:di\s+essere\s+|inviat\w+\s+da\s+|mandat\w+\s+da\s+|arrivat\w+\s+da\s+|"
    r"come\s+)?salesforce\b",
    r"\b(?:spoof\w*|impersonat\w*)\b[^.?!\n]{0,30}\bsalesforce\b",
    r"\b(?:fake|finto|finta|falso|falsa)\s+(?:\w+\s+){0,3}(?:from|da)\s+(?:parte\s+(?:del|dell'?|della)\s*)?['\"]?"
    r"(?:salesforce|amministrator\w*|admin\w*)\b",
    r"\bpretend\w*\s+to\s+be\s+(?:their|the|a|an|his|her)\s+(?:\w+\s+){0,2}(?:admin\w*|it|support|helpdesk)\b|"
    # ...or as Salesforce itself ("pretending to be Salesforce Support", "spacciandomi per il supporto Salesforce")
    r"\b(?:pretend\w*\s+to\s+be|pos(?:e|es|ing)\s+as|impersonat\w*|fing\w*\s+(?:di\s+essere\s+)?|spacci\w*\s+per)\s+(?:the\s+|il\s+|la\s+|"
    r"l'\s*)?(?:(?:support|supporto|assistenza|helpdesk)\s+(?:di\s+)?)?(?:salesforce|sfdc)\b|"
    r"\bfingendo(?:mi)?\s+(?:di\s+essere\s+)?(?:il\s+loro|l'?)\s*(?:admin\w*|amministrator\w*)\b",
)
_CONFIRM_PASSWORD = _re(r"\b(?:password|credentials?|credenziali|login|log\s+in|sign\s+in|mfa|otp|codice|code)\b")
# Posing as a named person to a helpdesk: "si finge il CEO e chiama l'help desk per farsi resettare la password".
_IMPERSONATE = _re(
    r"\b(?:si\s+finge|fingendosi|fingendomi|spacciandosi\s+per|spacciandomi\s+per|pretending\s+to\s+be|pretend\s+to\s+be|poses?\s+as|"
    r"posing\s+as|impersonat\w+)\s+(?:il\s+|la\s+|the\s+|a\s+|an\s+|un\s+|una\s+|our\s+|my\s+|their\s+|his\s+|her\s+|"
    r"(?:il|la)\s+(?:nostr[oa]|mi[oa]|loro|su[oa])\s+|(?:nostr[oa]|mi[oa])\s+)?(?:ceo|cfo|cio|cto|coo|manager|admin\w*|amministrator\w*|"
    r"direttore|direttrice|boss|capo|it|presidente|president|founder|fondatore|titolare)\b"
)
_GUESSING = _re(
    r"\bpasswords?\s+(?:to\s+)?(?:try|test|guess)\b|\b(?:try|test)\w*\s+(?:them\s+)?against\s+(?:the\s+|a\s+|their\s+)?"
    r"login\b|\bcommon\s+(?:\w+\s+){0,2}passwords\b|\bpassword\s+(?:list|wordlist|dictionary)\b|"
    r"\bwordlists?\b[^.?!\n]{0,30}\bpasswords?\b|\bpasswords?\b[^.?!\n]{0,30}\bwordlists?\b",
    r"\bpassword\s+(?:comuni|piu\s+usate)\s+da\s+provare\b|\blista\s+di\s+password\b|\bprovare\s+(?:delle\s+|le\s+)?"
    r"password\s+(?:piu\s+)?(?:comuni|usate|a\s+caso)\b",
    r"\bsim[\s-]?swap\w*\b|\bguess\w*\s+(?:\w+\s+){0,2}passwords?\b|\bpasswords?\s+(?:can|could|should|do)\s+(?:i|we)\s+"
    r"guess\b|\bpassword\s+(?:posso|possiamo|devo)\s+indovinare\b|\bindovin\w+\s+(?:la\s+|sua\s+)?password\b|"
    r"\bbrute[\s-]?forc\w*\b|\bpassword\s+a\s+raffica\b",
    r"\bprov\w+\s+(?:\w+\s+){0,3}(?:tante|molte|migliaia\s+di|centinaia\s+di)\s+password\b|\btr(?:y|ies|ying)\s+"
    r"(?:\w+\s+){0,2}(?:many|lots\s+of|thousands\s+of|hundreds\s+of)\s+passwords\b",
    r"\blogs?\s+into\s+(?:a\s+)?(?:list|lot|bunch)\s+of\s+(?:salesforce\s+)?orgs\b",
)
_OTHER_ORG = _re(
    r"\b(?:competitor|concorrent\w*)\b[^.?!\n]{0,80}\b(?:their|its|loro)\b|\bcompetitor'?s\b",
    r"\b(?:another|other)\s+(?:client|customer)'s\b|\bdi\s+un\s+altro\s+cliente\b",
    r"\banother\s+(?:company|organi[sz]ation|business)'s\b|\bun'?\s*altra\s+(?:azienda|societa)\b",
    r"\borg\s+(?:\w+\s+){0,2}di\s+altre\s+(?:aziende|societa)\b|\bother\s+(?:companies|organi[sz]ations)'?\s+(?:\w+\s+){0,2}orgs\b|"
    r"\borgs\s+(?:of|belonging\s+to)\s+other\s+(?:companies|organi[sz]ations)\b|\b(?:sfruttando|sfruttare|exploit\w*)\b[^.?!\n]{0,60}"
    r"\b(?:configurat\w+\s+male|mal\s+configurat\w+|misconfigured)\b",
)
# A site or an org said not to be the asker's ("a customer portal (not ours, a logistics company)"): abuse when its
# records are taken
_NOT_OURS = _re(
    r"\b(?:portal\w*|sites?|sito|siti|orgs?|community|communities|instance|istanza)\b[^.?!\n]{0,40}\b(?:not|non)\s+(?:e\s+)?(?:il\s+|la\s+)?"
    r"(?:ours|mine|nostr[oaie]|mi[oa])\b",
)
# A security test nobody asked for ("nobody asked me to test it", "nessuno mi ha chiesto di testarlo") of a site, a
# guest user or an endpoint: probing without a mandate.
_UNASKED = _re(
    r"\b(?:nobody|no\s+one|no-one)\s+(?:has\s+)?(?:asked|hired|authori[sz]ed|engaged|paid|told)\s+(?:me|us)\s+to\s+(?:pen-?)?(?:test|"
    r"scan|probe|audit|check|verify|hack|look\s+(?:at|into))\b|\bnessuno\s+(?:mi|ci)\s+ha\s+(?:chiesto|incaricat\w+|autorizzat\w+|"
    r"pagat\w+|dett\w+)\s+di\s+(?:testar|verificar|controllar|scansionar|provar|bucar|analizzar)\w*|"
    r"\bsenza\s+che\s+nessuno\s+(?:me|ce)\s+l'?\s*abbia\s+chiesto\b",
)
_PROBE = _re(
    r"\b(?:vuln\w*|exploit\w*|enumerat\w+|pen-?test\w*|security\s+(?:hole|flaw|test)|fall[ae]|bug\s+di\s+sicurezza|expos\w+|espost\w*|"
    r"espon\w+|sfsites|aura\s+endpoints?|endpoint\s+aura)\b",
)
# A competitor's portal or site, and its data taken or read ("enumerate their Accounts via the guest user").
_RIVAL_PORTAL = _re(r"\b(?:competitor|concorrent\w*)\b[^?!\n]{0,120}\b(?:portal\w*|site|sito|community|guest)\b")
# Posing as several other users, a site's guest users among them ("logs into the community as different guest users",
# "entrare nel portale come utenti diversi"), not one user for a test (the admin's Login As: "log in as another user to
# reproduce a bug")...
_AS_OTHER_USERS = _re(
    r"\b(?:log\w*\s*in(?:to)?|sign\w*\s+in|access\w*|brows\w*|entr\w+|acced\w+|navig\w+)\b[^.?!\n]{0,60}\b(?:as|come)\s+"
    r"(?:(?:different|other|several|multiple|many|various|random|fake|rotating)\s+(?:guest\s+)?|guest\s+)users\b",
    r"\bcome\s+(?:altri\s+)?utenti\s+(?:guest\s+)?(?:diversi|differenti|vari|fint\w+)\b|\bcome\s+altri\s+utenti\b|"
    r"\bcon\s+(?:utenze|utenti|account)\s+(?:guest\s+)?(?:diverse|diversi|differenti|vari[ae]?|fint\w+)\b",
    r"\b(?:impersonat\w+|pretend\w*\s+to\s+be|pos\w+\s+as|fingendo\w*\s+(?:di\s+essere\s+)?|spacciando\w*\s+per|"
    r"impersonando)\s+(?:\w+\s+)?(?:other|different|several|multiple|altri|diversi)\s+(?:\w+\s+)?(?:users|customers|clients|members|"
    r"utenti|clienti|membri)\b",
)
# ...to take what other customers or users hold ("every contact record other customers have posted", "i contatti
# degli altri clienti"), named apart from the users posed as
_OTHER_CUSTOMERS = _re(
    r"\bother\s+(?:customers|clients|users|members|buyers|tenants|companies)\b",
    r"\baltri\s+(?:clienti|utenti|membri|iscritti|acquirenti|aziende)\b",
)
# Records owned by another team or other people ("the opportunities owned by the other sales team", "le opportunità
# dell'altro team"), read through a trick while the sharing keeps them private.
_OTHERS_OWNED = _re(
    r"\b(?:owned\s+by|belonging\s+to|assigned\s+to|of)\s+(?:the\s+|an?\s+)?(?:other|another)\s+(?:\w+\s+){0,2}(?:teams?|reps?|"
    r"users?|colleagues?|groups?|regions?|divisions?|offices?|branch(?:es)?|sellers?|agents?|people)\b",
    r"\b(?:the\s+)?other\s+(?:\w+\s+)?(?:team|rep|group|region|division|office)'s\b|\b(?:other|another)\s+(?:reps?|teams?)'\b",
    r"\b(?:dell'?\s*|della\s+|del\s+|dei\s+|degli\s+|delle\s+|di\s+un'?\s*|di\s+)(?:altr[oiae]|l'?\s*altr[oa])\s+(?:team|gruppo|"
    r"grupp[oi]|commercial\w+|venditor\w+|agent\w+|utent\w+|collegh\w+|ufficio|uffici|filial\w+|repart\w+|region\w+|divisione)\b",
    r"\b(?:di\s+proprieta|assegnat\w+)\s+(?:di|a|ad)\s+(?:un\s+|un'\s*)?altr\w+\b",
)
# Another user's secret found (in the logs, on a screen) and put to use: "ho trovato nei log un token oauth di un utente
# admin, come lo uso con workbench", "found a colleague's session id ... how do I use it" (not masked or kept out of the
# logs: "which setting masks it")
_FOUND_OF_A_USER = _re(
    r"\b(?:found|trovat\w+|came\s+across)\b[^.?!\n]{0,80}(?:\b(?:of|belonging\s+to)\s+(?:an?|another|some)\s+(?:\w+\s+)?(?:user|admin\w*|"
    r"colleague)\b|\b(?:an?|another|some)\s+(?:\w+\s+)?(?:user|admin\w*|colleague)'s\b|\bdi\s+un\s+(?:altro\s+)?(?:utente|admin\w*|"
    r"amministrator\w+|collega)\b|\bdell'?\s*(?:admin\w*|amministrator\w+)\b)",
)
_PUT_TO_USE = _re(
    r"\b(?:use|using|reuse|reusing)\s+(?:it|them|that|this|those|the\s+(?:token|session|cookie|password|credentials))\b|"
    r"\b(?:usarl[oaie]|riusarl[oaie]|(?:lo|la|li|le)\s+(?:uso|usiamo|riuso|riutilizzo))\b",
)
# Logging in as a named colleague (not the admin's Login As), with their secrets or without telling.
_AS_THEM = _re(
    r"\b(?:log\s*in|login|sign\s+in|entrare|accedere)\b[^.?!\n]{0,30}\b(?:as|come)\s+(?:him|her|them|lui|lei)\b",
    r"\b(?:i'?m|i\s+am|be|get)\s+in\s+as\s+(?:him|her|them)\b|\bas\s+if\s+i\s+were\s+(?:him|her)\b",
)
_OWN_ORG = AnyOf((r"\bmy\s+own\s+org\b", r"\bla\s+mia\s+org\b"))
# A former employer's or partner's org: abuse when the question is about getting in.
_EX_ORG = _re(
    r"\b(?:my\s+)?ex[\s-]?employer'?s?\b|\bmy\s+(?:former|previous|old)\s+(?:employer|company|client|customer)'?s?\b",
    r"\b(?:mia|mio|dell'?|della|del)\s*ex[\s-]?(?:azienda|datore\s+di\s+lavoro|cliente|societa)\b|\bex[\s-]?partner'?s?\b",
)
# Access that was taken away, wanted back or kept: "my access ended", "mi hanno tolto l'accesso".
_REVOKED = _re(
    r"\b(?:access|login|account|user)\s+(?:ended|expired|was\s+(?:revoked|removed|ended|disabled|deactivated)|has\s+been\s+"
    r"(?:revoked|removed|disabled|deactivated))\b",
    r"\b(?:mi|ci)\s+ha(?:nno)?\s+(?:tolto|revocato|disattivato|bloccato|sospeso)\s+(?:gli\s+|l'?\s*)?(?:access\w|utent\w|account|login)",
    r"\b(?:they|it|the\s+admin|security)\s+(?:have\s+|has\s+)?(?:blocked|locked|suspended|disabled|deactivated|froze)\s+(?:my|our)\s+"
    r"(?:account|user|login|access)\b",
    r"\b(?:accesso|utente|account)\s+(?:e|è)\s+stat[oa]\s+(?:revocat|disattivat|rimoss|tolt)\w*\b",
)
# The asker is leaving or was let go: abuse with taking data out, getting round a control or keeping access.
_LEAVING = _re(
    r"\b(?:before|by)\s+my\s+last\s+day\b|\bmy\s+last\s+day\b|\bbefore\s+(?:hr|they|it|the\s+company)\s+(?:disables?|deactivates?|"
    r"removes?|revokes?|freezes?)\s+(?:my|me)\b|\b(?:i\s+was|i'?ve\s+been|i\s+got|got)\s+(?:fired|let\s+go|laid\s+off)\b",
    r"\b(?:i'?m\s+)?leaving\s+(?:for\s+a\s+competitor|the\s+company|my\s+job)\b|\b(?:mi|ci)\s+(?:disattiv|togli|revoc|blocc)\w*\s+"
    r"(?:l'?\s*)?(?:utente|utenza|accesso|account)\b|\b(?:vado|passo)\s+(?:a\s+lavorare\s+)?da\s+un\s+concorrente\b|"
    r"\b(?:prima\s+di\s+|before\s+)?(?:passare|passo|andare|vado|joining|going|moving|switching)\s+(?:a\s+lavorare\s+)?(?:alla|a|to)\s+"
    r"(?:la\s+|the\s+)?(?:concorrenza|competition)\b|\b(?:before\s+)?(?:join|joining)\s+(?:the\s+|a\s+)?(?:competition|competitor)\b|"
    r"\bprima\s+di\s+(?:dimettermi|licenziarmi|andare\s+via)\b|\bme\s+ne\s+(?:vado|andro|sto\s+andando)\b"
    r"(?![^.?!\n]{0,30}\b(?:ferie|vacanza|pausa|malattia|maternita|paternita|a\s+casa|al\s+mare|a\s+pranzo|viaggio))|"
    r"\b(?:i'?m|i\s+am)\s+leaving\s+(?:in|at\s+the\s+end\s+of|next)\s+(?:\w+\s+)?(?:days?|weeks?|months?|week|month|friday|monday)\b"
    r"(?![^.?!\n]{0,30}\b(?:holiday|vacation|leave|trip|honeymoon|a\s+break))|\bbefore\s+i\s+(?:resign|quit|leave)\b|\b(?:i'?m\s+)?(?:moving|move|going|switching|jumping)\s+to\s+a\s+competitor\b|"
    r"\b(?:mi\s+hanno|sono\s+stat[oa])\s+licenziat\w*\b|\bil\s+mio\s+ultimo\s+giorno\b|\bprima\s+che\s+(?:mi|l'?hr)\s+"
    r"(?:disattiv|blocc|tolga|toglia|revoch)\w*\b|\bprima\s+di\s+andarmene\b",
    # resigning, in both languages ("prima di dare le dimissioni", "I handed in my notice")
    # (the asker's own: "a user resigned" is an admin's offboarding)
    r"\b(?:prima\s+di\s+|dopo\s+aver\s+|quando\s+)?(?:dare|dato|do|daro|ho\s+dato)\s+le\s+(?:mie\s+)?dimissioni\b|\bdimettermi\b|"
    r"\bmi\s+sono\s+dimess[oa]\b|\bmi\s+dimetto\b|\bil\s+mio\s+(?:periodo\s+di\s+)?preavviso\b|\bbefore\s+(?:i\s+)?(?:resign|resigning|quitting)\b|"
    r"\b(?:i\s+resigned|i'?m\s+resigning|i\s+am\s+resigning|i'?ve\s+resigned|my\s+resignation|i\s+(?:handed|gave)\s+in\s+my\s+notice|"
    r"(?:on|during)\s+my\s+notice\s+period|(?:before\s+)?i\s+(?:hand|give)\s+in\s+my\s+notice|handing\s+in\s+my\s+notice)\b|\bbefore\s+leaving\s+(?:the\s+company|my\s+job)\b",
    r"\bi\s+left\s+(?:my|the)\s+(?:company|job|employer)\b|\bho\s+lasciato\s+(?:l'?\s*azienda|il\s+lavoro)\b|"
    r"\bmy\s+(?:user|account)\s+was\s+(?:deactivated|frozen|disabled)\b",
)
# Taking the records to the next employer ("li voglio portare nella nuova azienda").
_NEXT_EMPLOYER = _re(
    r"\b(?:nella|alla|per\s+la|nell'?\s*)\s*nuova\s+azienda\b|\b(?:to|at|for)\s+(?:my\s+)?(?:new|next)\s+(?:company|job|employer)\b|"
    r"\bnuovo\s+(?:lavoro|datore\s+di\s+lavoro)\b",
    # or one's own new business ("for my new business", "per la mia nuova attività")
    r"\b(?:for|to|at)\s+my\s+(?:new|own)\s+(?:business|company|startup|agency|firm|consultancy)\b|"
    r"\bper\s+la\s+mia\s+(?:nuova\s+)?(?:attivita|azienda|societa|startup|agenzia)\b",
)
_REAL_TARGET = _re(
    r"\b(?:the\s+)?real\s+(?:company|org|customer|client)\b|\bazienda\s+vera\b|"
    r"\b(?:target|targeting|bersaglio|obiettivo)\b[^.?!\n]{0,20}\b[\w-]+\.(?:my\.salesforce|force|my\.site|lightning\.force)\.com\b"
)
_RESET = _re(r"\b(?:reset\w*|resettar\w*|reimpost\w*)\b")
_BRING = _re(r"\b(?:portar\w*|porto|bring|take|taking)\b")
# One's partner, in both languages: read by _SPOUSE and _PARTNER.
_COUPLE_IT = r"mio\s+marito|mia\s+moglie|il\s+mio\s+ragazzo|la\s+mia\s+ragazza|il\s+mio\s+compagno|la\s+mia\s+compagna"
_COUPLE_EN = r"husband|wife|girlfriend|boyfriend"
# A spouse's or partner's account or phone: reading their mail is spying.
_SPOUSE = _re(
    rf"\b(?:{_COUPLE_IT}|my\s+(?:{_COUPLE_EN}|spouse)|la\s+mia\s+ex|il\s+mio\s+ex|my\s+ex(?:-?(?:{_COUPLE_EN}))?)\b"
)
_PIN = _re(
    r"\b(?:pin|passcode|codice\s+di\s+sblocco)\b[^.?!\n]{0,40}\b(?:salt\w+|skip\w*|bypass\w*|aggir\w+|evit\w+)\b|"
    r"\b(?:salt\w+|skip\w*|bypass\w*|aggir\w+)\b[^.?!\n]{0,20}\b(?:pin|passcode)\b"
)
# Someone's session left open on a computer, and their records: "her laptop was left logged in".
_UNATTENDED = _re(
    r"\b(?:left|lasciat\w+)\s+(?:\w+\s+){0,3}(?:logged\s+in|open|unlocked|apert[oa]|loggat\w+|sbloccat\w+)\b"
)
# A partner's account: "my girlfriend works at a company that uses Salesforce, I have her phone for the MFA".
_PARTNER = _re(rf"\b(?:{_COUPLE_IT}|my\s+(?:{_COUPLE_EN}|partner))\b")
# A hidden way back in: "a backdoor", "a hidden API-only user with Modify All Data".
_BACKDOOR = _re(
    r"\b(?:doesn'?t|does\s+not|won'?t|will\s+not|non)\s+(?:show|appear|compa\w+|risult\w+)\s+(?:up\s+)?(?:in|nella|nelle|nel)\s+"
    r"(?:the\s+)?(?:users?\s+list|list\s+of\s+users|lista\s+(?:degli\s+)?utenti|setup\s+audit\s+trail|login\s+history)\b|"
    r"\b(?:invisibil\w+|invisible)\s+(?:agli|to\s+(?:the\s+)?)\s*(?:altri\s+)?(?:admin\w*|amministrator\w*)\b|"
    r"\bback\s*doors?\b|\b(?:hidden|secret|nascost\w)\s+(?:[\w-]+\s+){0,2}(?:user|utente|admin\w*|account)\b|"
    r"\b(?:utente|account|admin\w*|amministrator\w*)\s+(?:\w+\s+){0,2}['\"]?nascost\w\b"
)
# Fiction as the pretext ("a short story where the hero...", "racconto per un concorso") for the
# exact technical steps of getting in: the steps are the same whoever the hero is.
_FICTION = _re(
    r"\b(?:(?:short\s+)?stor(?:y|ies)|novel|screenplay|thriller|fiction|racconto|romanzo|sceneggiatura|giallo|movie|film|"
    r"heist|scene|scena|fan\s*fic\w*)\b",
)
_STEPS = _re(
    r"\b(?:exact|precise|real|actual|realistic)\s+(?:\w+\s+){0,2}(?:steps|commands|code|apex|queries)\b|\bstep[\s-]by[\s-]step\b|"
    r"\bfor\s+realism\b|\bpassaggi\s+(?:\w+\s+)?(?:precisi|esatti|tecnici|reali)\b|\b(?:deve|devono)\s+sembrare\s+ver\w+\b|"
    r"\bper\s+(?:il\s+)?realismo\b|\bcomandi\s+(?:precisi|esatti|reali)\b",
    # accuracy asked for the sake of readers who know the subject ("technically accurate so readers believe it")
    r"\btechnically\s+(?:accurate|correct|precise|realistic|plausible|sound)\b|\btecnicamente\s+(?:accurat|corrett|precis|realistic|"
    r"verosimil|credibil)\w*|\b(?:readers|the\s+audience|viewers|experts|people)\s+(?:who|that)\s+know\b|"
    r"\b(?:lettori|pubblico|spettatori|chi)\s+(?:che\s+)?(?:conosc\w+|se\s+ne\s+intend\w+)\b",
)
_GETTING_IN = _re(
    r"\b(?:can'?t|cannot|isn'?t\s+allowed\s+to)\s+see\b|\bsharing\s+hides\b|\bhides?\s+them\s+from\b|\b(?:ex|former|old)\s+"
    r"(?:company|employer|azienda)\b|\bsua\s+ex\s+azienda\b|\b(?:vecchia|old)\s+password\b|\bnon\s+(?:puo|potrebbe)\s+vedere\b",
    # someone's org: "get into a company's Salesforce org with only the admin's username", "l'org di un concorrente"
    r"\bget\w*\s+into\s+(?:a|an|the|their|someone'?s|[\w-]+'s)\s+(?:[\w-]+'?s?\s+){0,3}org\b|\bwith\s+only\s+(?:the\s+|their\s+|an?\s+)?"
    r"(?:\w+'s\s+)?(?:username|email)\b|\b(?:org|istanza)\s+(?:di\s+un|del)\s+concorrente\b|\bcompetitor'?s?\s+org\b",
)
# Someone's private records read anyway ("my boss has everything private, is there an endpoint that
# ignores sharing?"): the person, the privacy and the way round it.
_PRIVATE_THEIRS = _re(
    r"\b(?:il\s+mio|la\s+mia|del\s+mio|della\s+mia|my)\s+(?:capo|capa|collega|responsabile|boss|manager|colleague|coworker|co-worker)\b"
    r"|\bla\s+mia\s+collega\b|\bil\s+mio\s+collega\b|\bmio\s+capo\b",
)
_PRIVATE = _re(r"\b(?:privat[oaie]|private|hidden|hides?|nascond\w+|nascost\w*)\b")
_ANYHOW = _re(
    r"\b(?:ignor\w+|bypass\w*|aggir\w+|salta\w*)\s+(?:la\s+|the\s+)?(?:sharing|condivisione)\b|\blo\s+stesso\b|\bcomunque\b|"
    r"\banyway\b|\bregardless\b|\bbut\s+i\s+(?:want|need)\s+to\s+(?:know|see|read)\b|\bma\s+voglio\s+(?:sapere|vedere|leggere)\b",
)
_THEIRS = _re(r"\b(?:his|her|their|i\s+suoi|le\s+sue|il\s+suo|la\s+sua)\b")
_KEEP = _re(
    r"\b(?:keep|still|again|back)\b[^.?!\n]{0,30}\b(?:pull\w*|export\w*|access\w*|log\w*\s*in|get\w*\s+in|download\w*)\b",
    r"\b(?:rientr\w+|riaccede\w*|continuare\s+a|ancora)\b|\b(?:tenere|mantenere)\s+(?:comunque\s+)?(?:l'?\s*)?access\w*",
    r"\b(?:trick|way|modo)\s+(?:to|per)\b|\bold\s+token\b|\btoken\s+vecchio\b",
)
_GET_IN = _re(
    r"\b(?:log\s*in|login|sign\s+in|get\s+(?:back\s+)?in(?:to)?|access|enter)\b",
    r"\b(?:entrare|entro|accedere|accedo|rientrare)\b",
)
# Defending one's own org, or asking what to do after an incident: never abuse, whatever else the
# question says ("prevent", not "preventivi": Italian for quotes). One list for both checks: abuse_intent()
# reads it, and abuse.is_abuse() reads it with DEFENDING_ATTACKS for attack topics; fixing or locking down
# one's own org, code or page is roleplay.fixing_own(), read by both.
DEFENDING = _re(
    r"\b(?:protect\w*|prevent(?!iv[oi]\b)\w*|detect\w*|defend\w*|recogni[sz]\w*|mitigat\w*|harden\w*|"
    r"revok(?:e|ing)|invalidat(?:e|ing)|rotat(?:e|ing)\s+(?:the\s+|our\s+|all\s+|its\s+|their\s+)?(?:[\w-]+\s+)?(?:keys?|secrets?|passwords?|"
    r"tokens?|credentials|certificates?)\b|audit\s+who|find\s+out\s+who|how\s+(?:do|can|should)\s+(?:we|i)\s+stop(?!\s+(?:the\s+)?(?:[\w-]+\s+)?(?:mfa|2fa|verification|alerts?|notifications?|"
    r"monitoring)\b)|stops?\s+(?:someone|anyone|people|attackers?))\b",
    # monitoring as a verb ("monitor the logins"), not the screen on a desk (every branch opens on \b,
    # which the engine then tests once per position: five times faster than with the look-behind first)
    r"\b(?<!event\s)monitor(?:s|ing|ed)?\s+(?:the|our|my|for|who|what|when|logins?|access|activity|users?|sessions?|suspicious|and)\b",
    r"\b(?:proteg\w*|preven(?!tiv[oi]\b)\w*|rilev\w*|riconosc\w*|difend\w*|revocar\w*|ruotare|invalidare|capire\s+chi|"
    r"scoprire\s+chi|come\s+(?:blocc|ferm)\w+|evitare\s+che)\b",
    r"\bwhat\s+(?:should|do|can)\s+(?:we|i)\s+do\b|\bcosa\s+(?:devo|dobbiamo|possiamo)\s+fare\b",
    # the asker's org as the target of someone else's attempt ("someone is brute-forcing logins on our org",
    # "qualcuno sta provando a entrare nei nostri account"), not "someone's password in our org"
    r"\b(?:someone|somebody|an?\s+attacker|attackers|hackers?|a\s+bot|bots)\s+(?:is|are|was|were|has\s+been|have\s+been|keeps?|kept)\s+"
    r"(?:\w+\s+){0,2}(?:\w+ing)\b[^.?!\n]{0,40}\b(?:our|my)\s+(?:\w+\s+)?(?:org|orgs|users?|logins?|site|community|instance|accounts?)\b|"
    r"\bqualcuno\s+(?:sta|stava|ha|continua\s+a)\s+(?:\w+\s+){0,3}(?:nella|nel|nei|negli|nelle|alla|al|ai|agli|alle|sulla|sul|"
    r"sui|sugli|sulle|contro\s+la|contro\s+il|contro\s+i)\s+nostr\w+\b",
    # a login restriction imposed on one's own org ("restrict logins to our office IPs"), failed logins reviewed
    r"\b(?:restrict|limit|lock)(?:ing)?\s+(?:\w+\s+){0,2}(?:logins?|access)\s+(?:only\s+)?to\s+(?:our|the\s+company'?s?|the\s+office|"
    r"company|corporate|office|trusted)\b|\b(?:limit\w+|restring\w+|consent\w+)\s+(?:gli\s+|l'\s*|i\s+)?(?:accessi|accesso|login)\s+"
    r"(?:solo\s+)?(?:dai|dal|dagli|dalle|dall'|agli|all'|alla|ai|dalla)\s*(?:nostr\w+|ip\s+dell'?\s*ufficio|ufficio|sede)\b|"
    r"\b(?:see|view|check|find|list|review|report\s+on)\s+(?:all\s+)?(?:the\s+)?failed\s+(?:login\s+)?(?:logins?|attempts)\b|"
    r"\b(?:vedere|controllare|trovare|elencare)\s+(?:i\s+|gli\s+)?(?:login|accessi|tentativi)\s+(?:di\s+accesso\s+)?fallit\w+",
    # incident response on one's own org: a user who was phished, a compromised account frozen, a forced reset
    r"\b(?:got|was|were|been|get)\s+phished\b|\be\s+stat[oa]\s+vittima\b|\bcompromis\w+|\bcompromess\w+|\bfreez(?:e|ing)\s+(?:him|her|them|the\s+user|his|her)\b|"
    r"\bcongel\w+\s+(?:l'?\s*)?(?:utente|account)\b|\bkill\s+(?:\w+\s+){0,2}sessions\b|\bincident\s+response\b|"
    r"\bforz\w+\s+(?:il\s+)?reset\b|\bforce\s+(?:a\s+)?(?:password\s+)?reset\b|\bcontroll\w+\s+(?:i\s+suoi\s+|gli\s+)?accessi\b|"
    r"\bcheck\s+(?:his|her|their)\s+(?:recent\s+)?(?:logins?|login\s+history)\b",
    # the org was hit ("we got hit by a password spraying attack"), sessions ended, "where did this access come from"
    r"\b(?:we|i|our\s+\w+)\s+(?:got|were|was|have\s+been|'ve\s+been|had\s+been)\s+(?:hit|targeted|attacked)\b|"
    r"\babbiamo\s+(?:avuto|subito)\s+(?:un\s+|una\s+)?(?:phishing|attacc\w+|incident\w+|violazion\w+|data\s+breach)\b|\bdopo\s+un\s+attacco\b|"
    r"\b(?:chiud\w+|termin\w+|revoc\w+)\s+(?:\w+\s+){0,3}sessioni\b|\bend\s+(?:\w+\s+){0,2}sessions\b|"
    r"\b(?:capire|capisco|scoprire|scopro|verificare|verifico)\s+(?:da\s+dove|come|perche)\b",
    # an attack the asker is watching happen ("we're seeing what looks like a brute force attack", "stiamo subendo
    # dei tentativi di accesso"), or aimed at the asker's own users ("an attack on our users' logins", "attacchi ai
    # nostri utenti"); not at a competitor or a former employer of theirs
    r"\b(?:(?:we'?re|we\s+are|i'?m|i\s+am)\s+(?:seeing|noticing|getting|facing|under|experiencing|dealing\s+with)|(?:we|i)"
    r"(?:'ve|\s+have)?\s+(?:noticed|spotted|seen|saw)|(?:stiamo|sto)\s+(?:subendo|vedendo|notando|ricevendo)|(?:abbiamo|ho)\s+"
    r"(?:notato|visto|ricevuto)|(?:ci|mi)\s+(?:sono|stanno)\s+arrivando)\b(?!\s+(?:if|whether|se)\b)[^.?!\n]{0,50}\b(?:attacks?|"
    r"attacc\w+|attempts|tentativ\w+)\b",
    r"\b(?:attacks?|attacc\w+|attempts|tentativ\w+)\s+(?:\w+\s+){0,3}(?:on|against|targeting|contro|su|sul|sulla|sui|sugli|sulle|al|alla|ai|agli|"
    r"alle|nel|nella|nei|negli|nelle|verso)\s+(?:(?:i|gli|le|il|la|l')\s*)?(?:login\s+(?:of|dei|degli)\s+)?(?:our|my|nostr\w+|mia|mio|miei|mie)\s+"
    r"(?!(?:\w+\s+)?(?:competitor|concorrent|rival|former|ex\b|old|vecchi|previous|precedent))",
    # the org's password policy and lockout, set or asked about ("so users can't pick common passwords", "does it
    # lock a user out after too many guessed passwords?"), not a way round them
    r"\b(?:set|setting|configure|configuring|enforce|enforcing|change|changing|tighten\w*)\s+(?:\w+\s+)?"
    r"password\s+polic(?:y|ies)\b|\bso\s+(?:that\s+)?(?:our\s+)?(?:users|people|employees)\s+(?:can'?t|cannot|can\s+not|won'?t\s+be\s+able\s+to)\s+"
    r"(?:pick|choose|use|set|reuse)\b|\block\w*\s+(?:a\s+|the\s+)?(?:users?|accounts?)\s+out\s+after\b|"
    r"\b(?:block\w*|ban\w*|forbid\w*|disallow\w*|reject\w*)\s+(?:\w+\s+){0,2}(?:common|weak|easy|guessable)\s+passwords\b",
    # the lockout the org sets, asked about: after how many wrong passwords, for how long ("after how many failed
    # logins is a user locked out?", "dopo quanti tentativi sbagliati si blocca l'utente?")
    r"\b(?:after|within)\s+how\s+many\s+(?:wrong|failed|invalid|incorrect|bad|unsuccessful)\s+(?:passwords?|attempts|logins?|"
    r"login\s+attempts|tries)\b|\b(?:users?|accounts?|people|someone|they|he|she)\s+(?:get|gets|got|is|are|become|becomes)\s+"
    r"locked\s+out\b|\blockout\s+(?:period|duration|effective\s+period|policy|settings?|threshold)\b|"
    r"\bdopo\s+quanti\s+(?:tentativi|login|accessi|password)\s+(?:\w+\s+)?(?:sbagliat\w+|errat\w+|fallit\w+|non\s+riuscit\w+)\b|"
    r"\b(?:durata|periodo)\s+del\s+blocco\b",
    r"\b(?:impost\w+|configur\w+|cambi\w+|rafforz\w+|i\s+nostri)\s+(?:i\s+)?criteri\s+(?:delle\s+|per\s+le\s+)?password\b|"
    r"\b(?:in\s+modo\s+)?che\s+(?:gli\s+)?(?:utenti|dipendenti)\s+non\s+possano\s+(?:scegliere|usare|impostare|riusare)\b|"
    r"\bblocc\w+\s+(?:l'\s*)?(?:utente|account)\s+dopo\b|\b(?:blocc\w+|vietar\w*|rifiut\w+)\s+(?:\w+\s+){0,2}password\s+"
    r"(?:comuni|deboli|facili)\b",
)
# ...and, for attack topics only (phishing, brute force: abuse.py), the wider words of defence ("against"
# is not in DEFENDING: it is also part of "try it against the login page")
DEFENDING_ATTACKS = _re(
    r"\b(?:force|enforce|require|forzare|imporre|obbligare)\s+(?:\w+\s+){0,2}(?:mfa|2fa)\b|\bonly\s+allow\s+logins?\b",
    r"\b(?:stop|block\w*|spot|secure\s+(?:my|our|the)|against|blocc\w*|contro|mettere\s+in\s+sicurezza|awareness|"
    r"red\s+flags|limit\s+the\s+damage|sensibilizza\w*|limitare\s+i\s+danni)\b",
)


# Harassment: messages sent to one person to "teach her a lesson".
_LESSON = _re(
    r"\b(?:learns?|teach\s+(?:her|him|them))\s+a\s+lesson\b|\b(?:dargli|darle|impari|imparare)\s+(?:una\s+|la\s+)?lezione\b"
)
_MESSAGES = _re(r"\b(?:messages?|messaggi\w*|chatter|emails?|mail|notific\w+|sms)\b")
# One login shared by several people (the licence's terms), kept past the checks that would flag it:
# logins or usernames shared, "the same username", or more people than the licences paid for
# ("we pay for 10 users but 40 people use it", "5 licenze ma le usiamo in 15").
_SHARED_LOGIN = _re(
    r"\bshare\s+(?:one|a\s+single|the\s+same)\s+(?:\w+\s+){0,2}(?:licen[cs]e|login|user)\b|\b(?:all\s+)?use\s+the\s+same\s+login\b|"
    r"\bcondivider\w*\s+(?:una\s+sola|la\s+stessa|un\s+solo|lo\s+stesso)\s+(?:licenza|utenza|login|utente)\b",
    r"\bshar\w+\s+(?:the\s+|our\s+|their\s+|these\s+)?(?:logins|usernames|user\s+accounts|licen[cs]es|seats|credentials)\b|"
    r"\b(?:the\s+)?same\s+(?:username|login|credentials|user\s+account|authenticator)\s+(?:for|between|among|across)\b|"
    r"\b(?:gli\s+)?stessi\s+(?:username|utenti|account|login)\b|\b(?:le\s+)?stesse\s+(?:credenziali|utenze|licenze)\b|"
    r"\bcondivid\w+\s+(?:le\s+|gli\s+|i\s+)?(?:credenziali|utenze|username|login|licenze)\b",
    r"\b(?:pay|paid|buy|bought|have|paghiamo|pagato|abbiamo|compriamo)\s+(?:for\s+)?\d+\s+(?:\w+\s+){0,2}(?:users|licen[cs]es|seats|"
    r"licenze|utenze)\b[^.?!\n]{0,40}\b(?:but|ma)\b[^.?!\n]{0,30}\b\d+\s*(?:people|persone|users|utenti|colleagues|colleghi)?\b",
)


# A bought list of addresses mailed past the spam checks ("a database of 50,000 emails I bought", a
# scraped list), or cold addresses mailed past the checks that would stop it.
_BOUGHT_LIST = _re(
    r"\b(?:bought|purchased|rented|scraped|comprat\w+|acquistat\w+|noleggiat\w+|scrapat\w+)\s+(?:\S+\s+){0,4}(?:emails?|e-mails?|"
    r"addresses|indirizzi|contatti|contacts|leads?|numbers|numeri)\b",
    # ...the participle after the addresses ("40mila email comprate da una lista", "contacts purchased from a broker"),
    # not the people who bought ("contacts who purchased in May", "i contatti che hanno acquistato")
    r"\b(?:e-?mails?|addresses|indirizzi|contatti|contacts|leads?|numbers|numeri|nominativi)\s+"
    r"(?:(?!who|that|which|che|whose|have|had|has)\w+\s+)?(?:bought|purchased|rented|"
    r"scraped|comprat\w+|acquistat\w+|noleggiat\w+|scrapat\w+)\b",
)
# Sends spread over several orgs, domains or addresses so that no one of them hits a limit or a check.
_SPREAD = _re(
    r"\b(?:spread\w*|split\w*|distribut\w*|rotat\w*|spalm\w+|divid\w+|ruot\w+|distribu\w+)\b[^.?!\n]{0,40}\b(?:several|multiple|many|"
    r"different|various|more|diversi|diverse|piu|vari[ae]?|tante|tanti)\s+(?:\w+\s+)?(?:orgs?|domains?|domini|senders?|mittenti|"
    r"addresses|indirizzi|accounts?)\b",
)
_MAIL = _re(r"\b(?:e-?mails?|mailing\w*|campaign\w*|campagn\w+|newsletter\w*|sends|invii|deliverability|recapit\w+)\b")
# Licence terms: a licence check or audit evaded is abuse (with EVADING).
_LICENCE = _re(r"\b(?:licen[cs]\w*|licenz\w+|seats?|audit\s+licen\w+)\b")
_COLD_MAIL = _re(
    r"\bcold\s+(?:e-?mails?|mailing|outreach|lists?|contacts|leads)\b|\b(?:mail|email)\s+(?:a\s+)?freddo\b",
)
_SPAM = _re(r"\bspam\w*|\bblast\w*|\bflagged\b|\bsegnalat\w+\b")
# Mail sent as another company: a sender made to look like someone else's domain or brand ("far sembrare
# che il mittente sia il dominio di un'altra azienda", "spoof a well-known brand's from address").
_SENDER = (
    r"(?:sender|from\s+address|from\s+domain|domain|mittente|dominio|indirizzo\s+(?:del\s+)?mittente|reply[\s-]?to)"
)
_OTHERS_BRAND = (
    r"(?:another|other|someone\s+else'?s|a\s+(?:famous|well[\s-]known|big|known)|un'?\s*altr[ao]|altrui|di\s+altri|famos[ao]|"
    r"not\s+(?:ours|mine|our\s+own)|non\s+(?:e\s+)?(?:nostro|mio)|(?:we|i)\s+(?:don'?t|do\s+not)\s+own|competitor\w*|concorrent\w*|"
    r"(?:a|una|the|la)\s+(?:bank|banca))"
)
_SENDER_SPOOF = _re(
    rf"\b(?:sembr\w+|look\w*\s+like|appear\w*|as\s+if|spacci\w+|fing\w+|pretend\w*|pass\w*\s+(?:it\s+)?off)\b[^.?!\n]{{0,60}}"
    rf"{_OTHERS_BRAND}[^.?!\n]{{0,30}}\b{_SENDER}\b",
    rf"\b(?:sembr\w+|look\w*\s+like|appear\w*|as\s+if|spacci\w+|fing\w+|pretend\w*|pass\w*\s+(?:it\s+)?off|spoof\w*|impersonat\w*)\b"
    rf"[^.?!\n]{{0,60}}\b{_SENDER}\b[^.?!\n]{{0,60}}{_OTHERS_BRAND}",
    rf"\b{_SENDER}\b[^.?!\n]{{0,60}}\b(?:sembr\w+|look\w*\s+like|appear\w*|spacci\w+|spoof\w*)\b[^.?!\n]{{0,60}}{_OTHERS_BRAND}",
    rf"\bspoof\w*\s+(?:\S+\s+){{0,3}}{_OTHERS_BRAND}",
)
# Evidence of the asker's own doing erased from the org's records: "delete the audit trail rows that show
# I exported the customers", "hide my logins from the login history", or rows wiped after what the asker did
# ("clear the login history once I've given myself admin", "dopo essermi dato Modify All Data, come cancello le righe
# della Setup Audit Trail?"); only wiping ("the changes in the audit trail after I edited the profile" are read).
# (the records of who did what, not the field history a purge after an archive is for)
_OVERSIGHT = (
    r"setup\s+audit\s+trail|audit\s+trail|audit\s+logs?|login\s+history|cronologia\s+(?:degli\s+|di\s+)?(?:access\w*|login)|"
    r"log\s+di\s+(?:accesso|audit)"
)
_TRACE = (
    rf"(?:{_OVERSIGHT}|field\s+history|event\s+log\s+files?|event\s+monitoring|"
    r"cronologia\s+(?:delle\s+|di\s+)?modifiche)"
)
_WIPE = (
    r"delet\w*|eras\w*|remov\w*|purg\w*|clear\w*|wip\w*|hid\w*|cancell\w*|elimin\w*|nascond\w*|svuot\w*|ripul\w*|toglier\w*|"
    r"tolg\w*|rimuov\w*"
)
_ERASE = rf"(?:{_WIPE}|edit\w*|alter\w*|modif\w*)"
_AFTER_MINE = (
    r"(?:(?:after|once|since|now\s+that)\s+(?:i|we|i'?ve|we'?ve|having|giving\s+myself|granting\s+myself|making\s+myself)|"
    r"(?:dopo|ora\s+che|adesso\s+che|una\s+volta)\s+(?:che\s+)?(?:ho|abbiamo|avevo|esser\w*|aver\w*))\b"
)
_TAMPER = _re(
    rf"\b{_ERASE}\b[^.?!\n]{{0,60}}\b{_TRACE}\b[^.?!\n]{{0,80}}\b(?:show|shows|showing|prove|proves|record|records|mostra\w*|prova\w*|"
    r"dimostra\w*|indica\w*|registra\w*|say|says|dice|dicono|see|seen|(?:si\s+)?ved\w+|(?:si\s+)?legg\w+|risult\w+|compa\w+)\s+"
    r"(?:that\s+|che\s+)?(?:i|we|io|noi|ho|abbiamo|my|our|mie|miei|mia|mio|mi\s+sono|ci\s+siamo|me)\b",
    rf"\b{_ERASE}\b[^.?!\n]{{0,40}}\b(?:my|our|le\s+mie|i\s+miei|le\s+nostre|i\s+nostri)\s+(?:own\s+)?(?:logins?|accessi|exports?|"
    rf"esportazion\w+|downloads?|activity|actions|azioni|attivita|changes|modifiche|entries|righe)\b[^.?!\n]{{0,40}}\b{_TRACE}",
    rf"\b(?:{_WIPE})\b[^.?!\n]{{0,60}}\b(?:{_OVERSIGHT})\b[^.?!\n]{{0,40}}\b{_AFTER_MINE}",
    rf"\b{_AFTER_MINE}[^.?!\n]{{0,80}}\b(?:how|come|can|posso|si\s+puo|is\s+there)\b[^.?!\n]{{0,30}}\b(?:{_WIPE})\b[^.?!\n]{{0,40}}"
    rf"\b(?:{_OVERSIGHT})\b",
)
# Credentials or access kept after the work for that company ended: "a former client", "my ex-employer",
# "when I consulted for them", with a token, password or session kept or still working.
_FORMER = _re(
    r"\b(?:a|an|my|our|the|one)\s+(?:former|ex|old|previous|past)[\s-]?(?:clients?|customers?|employers?|company|companies|job|agency|partners?)\b",
    r"\b(?:ex|vecchi[oa]|precedente)[\s-]?(?:cliente|clienti|datore\s+di\s+lavoro|azienda|societa)\b|\bmio\s+ex\s+cliente\b",
    r"\bwhen\s+i\s+(?:consulted|worked|was\s+working|contracted)\s+(?:for|at|with)\s+(?:them|it|that\s+company)\b|"
    r"\bquando\s+(?:lavoravo|collaboravo|ero\s+consulente)\s+(?:per|da|con|presso)\s+(?:loro|quell'?\s*azienda)\b|"
    r"\b(?:contract|engagement|contratto)\s+(?:with\s+them\s+|con\s+loro\s+)?(?:ended|expired|is\s+over|e\s+finito|e\s+scaduto|"
    r"e\s+terminato)\b",
    # the job the asker left ("left my last job", "my previous employer", "ho lasciato il vecchio lavoro")
    r"\b(?:my|our)\s+(?:last|old|previous|former)\s+(?:job|employer|company|workplace|client|team|firm)\b|"
    r"\b(?:left|quit)\s+(?:my|the|that)\s+(?:\w+\s+)?(?:job|company|employer|firm|agency|consultancy)\b|"
    r"\b(?:ho\s+lasciato|lasciato|ho\s+cambiato)\s+(?:il\s+(?:mio\s+)?|l'\s*)?(?:vecchio\s+|ultimo\s+|precedente\s+)?(?:lavoro|posto|azienda)\b|"
    r"\b(?:il\s+mio|al\s+mio|del\s+mio|nel\s+mio)\s+(?:vecchio|ultimo|precedente)\s+(?:lavoro|datore\s+di\s+lavoro|cliente|ufficio)\b",
)
_KEPT = _re(
    r"\b(?:kept|keep|saved|still\s+have|held\s+on\s+to|hung\s+on\s+to|retained|copied|ho\s+tenuto|ho\s+conservato|ho\s+salvato|"
    r"ho\s+ancora|mi\s+sono\s+tenut[oa]|conservo|tengo)\b[^.?!\n]{0,40}\b(?:(?:refresh\s+|access\s+|oauth\s+|api\s+)?tokens?|"
    r"passwords?|credentials|credenziali|sessions?|sessione|logins?|keys?|chiav\w+|connected\s+app|export\w*|backup)\b",
    r"\b(?:tokens?|passwords?|credentials|credenziali|sessions?|sessione|logins?|keys?|connected\s+app)\b[^.?!\n]{0,40}"
    r"\b(?:still\s+(?:works?|valid|active|authori[sz]ed|open)|funziona\s+ancora|ancora\s+(?:valid\w*|attiv\w*|funzionante|autorizzat\w*))\b",
)
_USE = _re(r"\b(?:use|using|usar\w*|uso|query\w*|call\w*|log\s*in|sign\s+in)\b")
# Other companies' orgs or sites listed by their exposure ("list orgs with an open guest user", "find
# misconfigured Experience Cloud sites"), to be read or taken from.
_EXPOSED_ORGS = _re(
    r"\b(?:list|elenc\w+|find|trov\w+|enumerat\w+|scan\w*|cerc\w+|search\s+for|discover|individu\w+)\b[^.?!\n]{0,40}"
    r"\b(?:orgs|org\s+salesforce|siti|sites|portals|portali|communities|instances|istanze|aziende|companies)\b[^.?!\n]{0,80}"
    r"\b(?:open|exposed|aperto|aperti|esposti|esposto|misconfigured|mal\s+configurat\w+|configurat\w+\s+male|vulnerable|vulnerabili|"
    r"unprotected|non\s+protett\w+|public(?:ly)?\s+(?:readable|accessible)|leaky)\b",
    r"\b(?:crawl|scan|scrap|spider|enumerat|harvest|scansion|setacci|cerc|find|list|elenc)\w*\b[^.?!\n]{0,20}\b(?:every|all|any|ogni|"
    r"tutti\s+i|tutte\s+le|qualsiasi|qualunque)\s+(?:the\s+)?(?:public|publicly\s+\w+|open|exposed|pubblic\w*|apert\w*|espost\w*)\s+"
    r"(?:\S+\s+){0,4}?(?:sites?|siti|sito|portals?|portal[ei]|communit\w+|orgs?)\b(?![^.?!\n]{0,40}\b(?:in|of|nella|della|nel|del)\s+"
    r"(?:my|our|la\s+mia|la\s+nostra|mia|nostra)\b)",
    r"\b(?:scansion|setacci|cerc|trov|elenc|scaric)\w*\b[^.?!\n]{0,20}\b(?:ogni|tutti\s+i|tutte\s+le|qualsiasi|qualunque)\s+(?:\S+\s+){0,2}?"
    r"(?:siti|sito|portali|portale|community|org)\s+(?:\S+\s+){0,2}?(?:pubblic\w*|apert\w*|espost\w*)\b(?![^.?!\n]{0,40}\b(?:nella|della|"
    r"nel|del)\s+(?:mia|nostra|mio|nostro)\b)",
)
# People's personal contact details (not the company's: "personal email", "numero di cellulare privato", "home
# address") gathered while the people are kept unaware (the covert signal: "without telling them", "senza avvisarli", "a
# loro insaputa", "quietly"): collecting data behind its owners' backs
_PERSONAL_DATA = _re(
    r"\b(?:personal|private|home|privat[oaie]|personal[ei])\s+(?:e-?mails?|e-?mail\s+addresses|phones?|phone\s+numbers?|numbers?|"
    r"addresses|address|cell\w*|mobiles?|numer[oi]|indirizz[oi])\b|\b(?:e-?mails?|indirizz[oi](?:\s+e-?mail)?|numer[oi](?:\s+di\s+"
    r"(?:telefono|cellulare))?|cellular[ei]|telefon[oi])\s+(?:\w+\s+)?(?:personal[ei]|privat[oaie]|di\s+casa)\b",
)
# Someone's partner, and what they do, read to see whom they meet ("to see who she's meeting", "spiare").
_PRYING = _re(
    r"\b(?:to\s+)?(?:see|find\s+out|know|check|learn)\s+(?:who|whom|what)\s+(?:she|he)(?:'s|\s+is|\s+was)?\s+(?:meeting|seeing|"
    r"talking|texting|writing|doing|dating)\b|\bcon\s+chi\s+(?:si\s+vede|esce|parla|si\s+scrive|si\s+incontra|va)\b|"
    r"\b(?:spy|spying|spiar\w*|spio)\b|\bkeep\s+(?:an\s+)?eye\s+on\s+(?:her|him)\b|\btenerl[ao]\s+d'?occhio\b|"
    r"\b(?:track|monitor|controll\w+)\s+(?:her|him|lei|lui)\b",
)
# Records taken beyond what was shared with the asker ("download all their leads, even the ones not shared with
# us", "anche quelli a cui non abbiamo accesso"): abuse with a taking or access verb.
_BEYOND_SHARED = _re(
    r"\b(?:anche|compres[ie]|inclus[ie]|pure)\s+quell[ie]\s+(?:che\s+)?(?:non\s+(?:sono\s+|ci\s+sono\s+|ci\s+hanno\s+|mi\s+hanno\s+)?"
    r"(?:condivis\w+|visibil\w+|accessibil\w+)|non\s+(?:possiamo|posso|vediamo|vedo)|a\s+cui\s+non\s+(?:abbiamo|ho)\s+accesso)",
    r"\b(?:even|including|also)\s+(?:the\s+ones|those|records?|the\s+records?)\s+(?:that\s+|which\s+)?(?:(?:are|were)\s+)?"
    r"(?:not|aren'?t|weren'?t|never)\s+(?:been\s+)?(?:shared|visible)\s+(?:with|to)\s+(?:us|me)\b|\b(?:even|including|also)\s+"
    r"(?:the\s+ones|those)\s+(?:that\s+|which\s+)?(?:i|we)\s+(?:can'?t|cannot|don'?t\s+have\s+access\s+to|(?:am|are)\s+not\s+allowed)",
)
# A victim's session or credentials put to use ("steals the sid cookie from the victim's browser and replays it").
_VICTIM = _re(r"\b(?:victim|victims|vittima|vittime)\b(?!\s+di\s+(?:phishing|un\s+attacco))")
_REPLAY = _re(r"\b(?:replay\w*|reus\w+|riutilizz\w+|riusa\w*|inject\w*|inietta\w*|hijack\w*)\b")

# Someone else's password or MFA reset so that the link, the code or the new password reaches the asker ("reset her
# password so the reset link comes to my email", "resetto la sua password e mi faccio arrivare il link"); an admin's
# own question about where a user's reset email goes names no purpose.
_RESET_TO_ME = _re(
    r"\breset\w*\s+(?:\w+\s+){0,2}(?:his|her|their|\w+'s)\s+(?:\w+\s+)?(?:password|mfa|2fa|credentials|login|authenticator)\b[^.?!\n]{0,60}"
    r"\b(?:so|so\s+that|and\s+(?:have|get|make))\s+(?:\w+\s+){0,4}(?:comes?|goes?|is\s+sent|gets\s+sent|arrives?|lands?|sent|routed|"
    r"delivered)\s+(?:\w+\s+)?(?:to|in|on|into)\s+(?:me|my)\b|\breset\w*\s+(?:\w+\s+){0,2}(?:his|her|their|\w+'s)\s+(?:\w+\s+)?password\s+"
    r"to\s+(?:one|something|a\s+\w+)\s+(?:that\s+)?(?:only\s+)?i\s+(?:know|choose|pick|set)\b",
    r"\b(?:resett|reset|reimpost|cambi)\w*\s+(?:\w+\s+){0,2}(?:la\s+sua|le\s+sue|il\s+suo|la\s+password\s+(?:del|della|di)\s+\w+)\s*"
    r"(?:password|credenziali|mfa|2fa)?\b[^.?!\n]{0,60}\b(?:(?:in\s+modo\s+)?che|cosi\s+(?:che\s+)?|per\s+far(?:mi|e)?|e\s+far(?:mi|e)?|"
    r"e\s+mi\s+faccio)\s+(?:\w+\s+){0,4}?(?:arriv|mand|invi|gir|recapit)\w*\s+(?:\w+\s+){0,3}?(?:a\s+me|alla\s+mia|sulla\s+mia|al\s+mio|sul\s+mio|"
    r"nella\s+mia)\b",
)
# Lists of the passwords or recovery answers people usually pick, to be tried on a login ("default passwords and
# security answers admins usually pick so I can try them on ...", "le password più comuni da provare sull'org"); not
# the ones to ban in one's own password policy
_LIKELY_SECRETS = _re(
    r"\b(?:default|usual|typical|common|popular|likely|predictable|obvious|weak|standard|most\s+(?:common|used|popular|likely))\s+"
    r"(?:\w+\s+){0,2}(?:passwords|pins|security\s+answers|answers)\b",
    r"\b(?:passwords|pins|security\s+answers|answers\s+to\s+(?:the\s+)?security\s+questions)\s+(?:\w+\s+){0,3}(?:usually|typically|"
    r"often|commonly|normally|tend\s+to)\s+(?:\w+\s+)?(?:pick|choose|use|set)\b",
    r"\b(?:password|pin|risposte(?:\s+(?:alle\s+domande\s+)?di\s+sicurezza)?)\s+(?:predefinite|di\s+default|tipiche|comuni|solite|"
    r"deboli|ovvie|standard|piu\s+(?:comuni|usate|frequenti|diffuse|probabili))\b",
    r"\b(?:password|pin|risposte)\s+(?:\w+\s+){0,3}che\s+(?:gli\s+|le\s+|i\s+)?(?:\w+\s+){0,2}(?:scelgono|usano|mettono|impostano)\s+"
    r"(?:\w+\s+)?(?:di\s+solito|spesso|solitamente|normalmente|piu\s+spesso)\b",
)
_TRY_THEM = _re(
    r"\b(?:try|test|attempt|use)\w*\s+(?:them|these|those|each(?:\s+one)?|one\s+by\s+one)\s+(?:on|against|in|at)\b"
    r"(?!\s+(?:our\s+|my\s+|the\s+)?(?:\w+\s+)?(?:polic\w+|blocklist|ban\w*\s+list|rules?))",
    r"\b(?:provarl[ei]|tentarl[ei]|usarl[ei]|testarl[ei]|(?:le|li)\s+(?:provo|proviamo|testo|testiamo|tento|uso|usiamo)|da\s+provare|"
    r"per\s+provare|provare)\s+(?:\w+\s+){0,2}?(?:su|sul|sull'?|sulla|contro|nel|"
    r"nella|nell'?)\s*(?!(?:\w+\s+)?(?:polic\w+|criter\w+|regol\w+))",
)
# Someone else's record edited so that its history does not show it ("change my colleague's closed opportunity
# without it appearing in field history"); one's own data fixed in a migration is not someone else's
_EDIT = _re(r"\b(?:edit\w*|modif\w+|chang\w+|alter\w*|cambi\w+|aggiorn\w+|updat\w+|rewrit\w+|riscriv\w+)\b")
_OTHERS_RECORD = _re(
    r"\b(?:my\s+)?(?:colleague|coworker|co-worker|boss|manager|teammate|rep)'s\b|\b(?:his|her|their)\s+(?:closed\s+)?(?:\w+\s+)?"
    r"(?:records?|opportunit\w+|opps?|deals?|accounts?|quotes?|cases?)\b",
    r"\b(?:del|della|dei|delle|di\s+un|di\s+una)\s+(?:mio\s+|mia\s+|miei\s+|mie\s+)?(?:collega|colleghi|capo|capa|responsabile|manager)\b|"
    r"\b(?:di\s+)?altri\s+(?:utenti|colleghi|commerciali)\b",
)
_UNLOGGED = _re(
    r"\b(?:without|senza)\s+(?:it|this|that|the\s+change|the\s+edit|(?:che\s+)?(?:la\s+modifica|il\s+cambio)?)\s*(?:\w+\s+)?(?:showing|appearing|"
    r"being\s+(?:logged|recorded|tracked|shown)|leaving|compa\w+|appa\w+|risult\w+|rest\w+\s+traccia|lasciare\s+traccia|venga\s+"
    r"(?:registrat|tracciat|salvat)\w*)\b",
)
# A partner or an ex's personal details looked for ("find my ex's home address through their portal")
_LOOK_FOR = _re(
    r"\b(?:find|look\s+up|locate|track\s+down|get|search|see|pull|trov\w+|cerc\w+|rintracci\w+|scopr\w+|recuper\w+|risal\w+)\b"
)
# ...or anyone's, through another company's portal or org ("a girl I met works at a company that uses Salesforce: how do
# I find her home address through their portal?"); a customer's own details on the asker's portal are not looked for
_ONE_PERSON = _re(r"\b(?:her|his|lei|lui|suo|sua)\b")
_THEIR_SYSTEM = _re(
    r"\b(?:through|via|on|in|from|using)\s+(?:their|its)\s+(?:\w+\s+)?(?:portal|site|community|org|salesforce|crm)\b|"
    r"\b(?:tramite|attraverso|su|sul|nel|nella|dal|dalla)\s+(?:il\s+|la\s+)?loro\s+(?:\w+\s+)?(?:portale|sito|community|org|salesforce|"
    r"crm)\b|\b(?:a|an)\s+(?:company|firm|business)\s+that\s+uses\s+salesforce\b|\bun'?\s*azienda\s+che\s+usa\s+salesforce\b",
)
# Found holding more than their role: a profile or a user with too many permissions, put to use ("non sono admin ma
# ho trovato un profilo con troppi permessi")
_NOT_ADMIN = _re(
    r"\b(?:i'?m|i\s+am)\s+not\s+(?:an?\s+|the\s+)?(?:admin\w*|sysadmin|system\s+administrator)\b|\bnon\s+sono\s+(?:un\s+|l'\s*)?"
    r"(?:admin\w*|amministrator\w+)\b"
)
_STRAY_PERMISSION = _re(
    r"\b(?:found|discovered|noticed|came\s+across|trovat\w+|scopert\w+|notat\w+)\b[^.?!\n]{0,40}\b(?:profiles?|permission\s+sets?|users?|"
    r"accounts?|profil\w+|utenz\w+|utent\w+)\s+(?:\w+\s+){0,2}(?:with|con)\s+(?:too\s+many|extra|excessive|more|admin|troppi|piu|"
    r"tutti\s+i)\s+(?:\w+\s+)?(?:permissions?|permessi|privileges?|privilegi|rights|diritti)\b",
)

# ...put to use (an edit, a read, "sfruttarlo"), not reported ("come lo segnalo all'amministratore?")
_PUT_IT_TO_USE = _re(
    r"\b(?:use|using|exploit\w*|abus\w+|sfrutt\w+|usar\w*|uso|edit\w*|modif\w+|chang\w+|cambi\w+|read|see|view|export\w*|"
    r"vede\w*|legg\w+|esport\w+|give\s+myself|grant\s+myself|dar(?:mi|si)|assegnar(?:mi|si))\b"
    r"(?![^.?!\n]{0,60}\b(?:report|segnal|flag|notify|tell|avvis|avvert|inform)\w*\b)",
)

# What the asker does made to look done by someone else in the org's records ("make the audit trail list my edits as
# done by another user", "far risultare le modifiche fatte da un collega"): the records of who did what
# falsified. A question about why the trail shows another user ("the audit trail shows my changes as made by the
# Automated Process user, why?") asks for no such thing.
_AS_SOMEONE_ELSE = (
    r"(?:someone\s+else|somebody\s+else|another\s+(?:user|person|admin\w*|colleague)|a\s+(?:colleague|coworker|different\s+user)|"
    r"(?:my\s+)?(?:colleague|coworker|boss|manager)|un\s+altro(?:\s+utente|\s+admin\w*)?|un'?\s*altra\s+persona|un\s+collega|"
    r"qualcun\s+altro|qualcun'?\s*altra|(?:il\s+)?mio\s+(?:collega|capo|responsabile)|(?:la\s+)?mia\s+collega|altri)"
)
_MISATTRIBUTE = _re(
    rf"\b(?:have|make|get|let)\s+(?:the\s+)?(?:{_OVERSIGHT}|field\s+history|history|logs?|records?)\s+(?:\w+\s+){{0,2}}(?:show|list|record|"
    rf"display|say)\w*\b[^.?!\n]{{0,50}}\b(?:as|like)\s+(?:if\s+)?(?:(?:made|done|performed|created|edited|changed|by)\s+)+{_AS_SOMEONE_ELSE}\b",
    rf"\b(?:so|so\s+that)\s+(?:it\s+)?(?:looks?|appears?|seems?)\s+(?:like\s+|as\s+if\s+)?{_AS_SOMEONE_ELSE}\s+(?:did|made|changed|"
    r"edited|ran|created|deleted)\b",
    rf"\b(?:attribut\w+|assign\w*|pin|blame)\s+(?:my|our|the)\s+(?:own\s+)?(?:changes|edits|actions|activity|exports?)\s+(?:on\s+|to\s+)"
    rf"{_AS_SOMEONE_ELSE}\b|\battribuir\w*\s+(?:le\s+)?(?:mie|nostre)\s+(?:modifiche|azioni|attivita|esportazioni)\s+a\s+{_AS_SOMEONE_ELSE}\b",
    rf"\bfar\w*\s+(?:risultare|sembrare|apparire|comparire)\s+(?:che\s+)?(?:le\s+(?:mie\s+)?modifiche\s+|i\s+(?:miei\s+)?cambiamenti\s+)?"
    rf"(?:(?:le\s+|li\s+|l')?(?:abbia|hanno|ha|fatt\w+|eseguit\w+)\s+(?:fatt\w+\s+)?(?:da\s+)?){_AS_SOMEONE_ELSE}\b",
    rf"\bfar\w*\s+(?:risultare|sembrare|apparire|comparire)\b[^.?!\n]{{0,60}}\b(?:come\s+)?(?:fatt\w+|eseguit\w+|effettuat\w+|"
    rf"compiut\w+)\s+da\s+{_AS_SOMEONE_ELSE}\b",
)
# Records another team or other people own, read by getting round what keeps them apart (restriction rules, the
# sharing) by the asker: "come posso aggirare le restriction rules per vedere i contratti degli altri team?"
_ASKER_GETS_ROUND = _re(
    r"\b(?:how\s+(?:can|could|do|would)\s+i|can\s+i|could\s+i|is\s+there\s+(?:a|any)\s+way\s+(?:for\s+me\s+)?to|"
    r"any\s+way\s+to|let\s+me|come\s+(?:posso|potrei|faccio\s+a|riesco\s+a)|posso|potrei|c'e\s+un\s+modo\s+(?:per|di))\b"
    r"[^.?!\n]{0,20}\b(?:bypass\w*|circumvent\w*|get\s+(?:a)?round|work\s+around|get\s+past|skip|aggir\w+|elud\w+|scavalc\w+|"
    r"salt\w+)\b",
)
# Permissions granted by the asker to themself ("darmi da solo View All Data", "grant myself Modify All Data", "assign
# myself the admin permission set"): an admin's own business, abuse from who says they are not one or a standard user.
_SELF_GRANT = _re(
    r"\b(?:give|grant|assign|add)\s+(?:(?:it|them)\s+to\s+)?myself\b|\b(?:make|promote)\s+myself\b|"
    r"\b(?:dar(?:mi|si)|assegnar(?:mi|si)|conceder(?:mi|si)|attribuir(?:mi|si)|aggiunger(?:mi|si)|promuover(?:mi|si)|"
    r"mi\s+(?:do|assegno|concedo|aggiungo|attribuisco)|(?:mi\s+)?auto[\s-]?(?:assegn|conced|promuov)\w*)\b",
)
_PRIVILEGE = _re(
    r"\b(?:view\s+all(?:\s+data)?|modify\s+all(?:\s+data)?|system\s+administrator|sys\s*admin|admin\w*|amministrator\w*|"
    r"permission\s+sets?|permess\w+|privileg\w+|permissions?|rights|diritti|profil[oei]\w*|author\s+apex|manage\s+users)\b",
)


def defending(text: str) -> bool:
    """Whether the (normalised) ``text`` asks about defending its own org. The words of evasion and of
    prying are read first: "so Salesforce doesn't detect", "evitare che l'audit se ne accorga", "find out
    who she is meeting" name no defence."""
    for words in (EVADING, _PRYING):
        if words.search(text):
            text = words.sub(" ", text)
    return bool(DEFENDING.search(text))


# An admin looking after the org's own users ("our users don't know their passwords after the SSO
# migration, how do we reset them?", "sbloccare i nostri utenti"): read only to keep the learned guard
# (plumberforce.knowledge.guard_model), whose word scores lean on single words such as "passwords", from
# redirecting what the rules answer. Never a reason to answer what the rules redirect.
_OUR_USERS = _re(
    r"\b(?:our|my)\s+(?:\w+\s+){0,2}(?:users|employees|staff|reps|agents|colleagues|team)\b",
    r"\b(?:i\s+)?(?:nostri|miei)\s+(?:\w+\s+){0,2}(?:utenti|dipendenti|colleghi|agenti|commerciali)\b",
    r"\b(?:un|una|uno)\s+(?:nostro|nostra|mio|mia)\s+(?:\w+\s+)?(?:utente|dipendente|collega|agente|commerciale|venditore|"
    r"venditrice)\b",
)
_ADMINISTER = _re(
    r"\b(?:reset\w*|unlock\w*|deactivat\w*|reactivat\w*|freez\w*|unfreez\w*|onboard\w*|provision\w*)\b",
    r"\b(?:reimpost\w+|sblocc\w+|disattiv\w+|riattiv\w+|congel\w+|scongel\w+)\b",  # "resetto": reset\w* above
)


# The asker away for a while (a holiday, parental leave) who wants to keep up with their own work: read only to
# keep the learned guard, whose word scores lean on "me ne vado" and "continuare a vedere" (said by people
# leaving a company with its data), from redirecting it. Never a reason to answer what the rules redirect.
_AWAY = _re(
    r"\b(?:on|going\s+on|off\s+on)\s+(?:holiday|vacation|leave|parental\s+leave|maternity\s+leave|paternity\s+leave)\b|"
    r"\b(?:holiday|vacation)\s+for\s+(?:a|two|three|\d+)\s+weeks?\b",
    r"\b(?:in|vado\s+in|me\s+ne\s+vado\s+in)\s+(?:ferie|vacanza|congedo|maternita|paternita)\b",
)


def _unmarked(text: str, s: dict[str, bool]) -> bool:
    """No sign in ``text`` (normalised, with its :func:`signals` ``s``) of hiding, of a strong abuse phrase, of
    getting round a control or of someone else's secret put to use: what both exemptions below require."""
    return not (s["covert"] or s["strong"] or s["circumvent"] or _THEIRS_USED.search(text))


def away_from_own_work(text: str) -> bool:
    """Whether ``text`` (normalised) asks how to keep up with the asker's own work while on holiday or on leave,
    with no sign of hiding it, of a strong abuse phrase, of getting round a control or of someone else's data."""
    if not _AWAY.search(text):
        return False
    s = signals(text)
    return _unmarked(text, s) and not (s["exfiltration"] or _LEAVING.search(text))


def administering_own_users(text: str) -> bool:
    """Whether ``text`` (normalised) asks how to reset, unlock, freeze or deactivate the asker's own org's
    users, with no sign of hiding it, of a strong abuse phrase or of getting round a control."""
    if not (_OUR_USERS.search(text) and _ADMINISTER.search(text)):
        return False
    return _unmarked(text, signals(text)) and not _AS_THEM.search(text)


def excused_from_learned_abuse(text: str) -> bool:
    """Whether the learned guard may not redirect ``text`` (normalised) as abuse: an admin looking after the org's
    own users, or someone keeping up with their own work while away (the rules decide everything else)."""
    return administering_own_users(text) or away_from_own_work(text)


def abusive_intent(text: str) -> bool:
    """Whether ``text`` (normalised) joins signals that make it a request for unauthorised access."""
    if defending(text) or fixing_own(text):
        return False
    s = signals(text)
    if s["covert"] and (s["access"] or s["sensitive"] or s["circumvent"] or s["taking"] or s["exfiltration"]):
        return True
    if s["denied"] and (s["sensitive"] or s["circumvent"] or s["taking"] or s["covert"] or s["anyway"] and s["access"]):
        return True
    if s["strong"] or (
        s["weak"] and (s["circumvent"] or s["covert"] or s["anyway"] and (s["sensitive"] or s["access"]))
    ):
        return True
    if s["circumvent"] and s["sensitive"] and _SOMEONE_ELSE.search(text):
        return True
    if s["exfiltration"] and s["sensitive"]:
        return True
    if _THEIRS_USED.search(text):
        return True
    if _INTERCEPT.search(text) and s["sensitive"]:
        return True
    if _POSING.search(text) and _CONFIRM_PASSWORD.search(text):
        return True
    if _GUESSING.search(text):
        return True
    if _REVOKED.search(text) and (_KEEP.search(text) or s["circumvent"]):
        return True
    if _LEAVING.search(text) and (_KEEP.search(text) or s["covert"] or s["circumvent"] or s["exfiltration"]):
        return True
    if s["exfiltration"] and s["taking"]:
        return True
    if _THEIRS_TAKEN.search(text) or (_RIVAL_PORTAL.search(text) and (s["taking"] or s["access"])):
        return True
    if _AS_THEM.search(text) and (s["sensitive"] or s["covert"] or s["weak"]):
        return True
    if _IMPERSONATE.search(text) and _CONFIRM_PASSWORD.search(text):
        return True
    if _PARTNER.search(text) and (s["sensitive"] or s["covert"]) and s["access"]:
        return True
    if _BACKDOOR.search(text):
        return True
    if _REAL_TARGET.search(text) and (s["taking"] or s["access"]):
        return True
    if _NEXT_EMPLOYER.search(text) and (s["taking"] or _BRING.search(text)):
        return True
    if _LEAVING.search(text) and s["sensitive"] and (s["access"] or s["taking"] or _USE.search(text)):
        return True  # the asker let go or leaving, with a token or a password put to use
    if _FOUND_OF_A_USER.search(text) and s["sensitive"] and _PUT_TO_USE.search(text):
        return True  # another user's secret found and put to use
    if (
        _SPOUSE.search(text)
        and (s["access"] or s["taking"] or _RESET.search(text))
        and (_PIN.search(text) or s["circumvent"] or s["covert"] or s["sensitive"] or _GETTING_IN.search(text))
    ):
        return True
    if (
        _FICTION.search(text)
        and _STEPS.search(text)
        and (s["circumvent"] or s["weak"] or s["sensitive"] or _GETTING_IN.search(text))
    ):
        return True
    if _PRIVATE_THEIRS.search(text) and _PRIVATE.search(text) and _ANYHOW.search(text):
        return True
    if _OTHERS_OWNED.search(text) and _PRIVATE.search(text) and TRICK.search(text) and s["access"]:
        return True  # another team's records read through a trick while the sharing keeps them private
    apart = _AS_OTHER_USERS.sub(" ", text)  # without the users posed as
    if apart != text and _OTHER_CUSTOMERS.search(apart) and s["taking"]:
        return True  # posing as several users to take what other customers hold
    if _UNATTENDED.search(text) and (s["taking"] or s["access"]) and _THEIRS.search(text):
        return True
    if _EX_ORG.search(text) and _GET_IN.search(text):
        return True
    if _BOUGHT_LIST.search(text) and (s["covert"] or _SPAM.search(text) or _SENDER_SPOOF.search(text)):
        return True
    if _COLD_MAIL.search(text) and (s["covert"] or s["circumvent"] or _SENDER_SPOOF.search(text)):
        return True
    if _SPREAD.search(text) and _MAIL.search(text) and (s["covert"] or _SPAM.search(text) or _COLD_MAIL.search(text)):
        return True
    if EVADING.search(text) and _LICENCE.search(text):
        return True
    if NOT_ASKING.search(text) and s["circumvent"] and s["sensitive"]:
        return True
    if _SENDER_SPOOF.search(text):
        return True
    if _TAMPER.search(text):
        return True
    if _FORMER.search(text) and _KEPT.search(text) and (s["taking"] or s["access"] or _USE.search(text)):
        return True
    if _EXPOSED_ORGS.search(text) and (s["taking"] or s["access"] or _THEIRS.search(text)):
        return True
    if _PARTNER.search(text) and _PRYING.search(text):
        return True
    if _PERSONAL_DATA.search(text) and s["covert"]:
        return True  # people's personal details gathered behind their backs
    if (
        _VICTIM.search(text)
        and s["sensitive"]
        and (s["access"] or s["taking"] or _REPLAY.search(text) or _USE.search(text))
    ):
        return True  # a victim's session or credentials put to use
    if _RESET_TO_ME.search(text):
        return True  # someone else's reset link, code or new password made to reach the asker
    if _LIKELY_SECRETS.search(text) and _TRY_THEM.search(text):
        return True  # the passwords or answers people usually pick, to be tried on a login
    if _EDIT.search(text) and _OTHERS_RECORD.search(text) and (_UNLOGGED.search(text) or s["covert"]):
        return True  # someone else's record changed behind the history's or their back
    if _SPOUSE.search(text) and _PERSONAL_DATA.search(text) and _LOOK_FOR.search(text):
        return True  # a partner's or an ex's personal details looked for
    if (
        _PERSONAL_DATA.search(text)
        and _THEIR_SYSTEM.search(text)
        and _LOOK_FOR.search(text)
        and _ONE_PERSON.search(text)
    ):
        return True  # someone's personal details looked for in another company's portal or org
    if _NOT_ADMIN.search(text) and _STRAY_PERMISSION.search(text) and _PUT_IT_TO_USE.search(text):
        return True  # permissions held by mistake, put to use by who is not their admin
    if (s["weak"] or _NOT_ADMIN.search(text)) and _SELF_GRANT.search(text) and _PRIVILEGE.search(text):
        return True  # permissions granted to oneself by who says they are not an admin
    if _MISATTRIBUTE.search(text):
        return True  # what the asker did recorded as someone else's doing
    if _OTHERS_OWNED.search(text) and _ASKER_GETS_ROUND.search(text) and s["access"]:
        return True  # another team's records read by getting round what keeps them apart
    if _LESSON.search(text) and _MESSAGES.search(text):
        return True
    if _SHARED_LOGIN.search(text) and (s["circumvent"] or s["covert"]):
        return True
    if s["taking"] and _NOT_OURS.search(text):
        return True
    if _BEYOND_SHARED.search(text) and (s["taking"] or s["access"]):
        return True
    # a site, a guest user or an endpoint probed without a mandate (searched only when somebody is said not to ask)
    unasked = "nobody" in text or "no one" in text or "no-one" in text or "nessuno" in text
    if unasked and _UNASKED.search(text) and _PROBE.search(text):
        return True
    return bool(_OTHER_ORG.search(text) and (s["access"] or s["taking"]) and not _OWN_ORG.search(text))
