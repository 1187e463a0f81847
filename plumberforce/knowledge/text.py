"""Text normalisation for retrieval: one tokenizer for articles and questions, both languages.

Words are lower-cased, accents folded and identifiers split (``System.LimitException`` gives
``system.limitexception``, ``system``, ``limitexception``, ``limit``, ``exception``;
``MIXED_DML_OPERATION`` gives the whole code and its parts). Stop words of English and Italian
are dropped. Each word is then stemmed in the language of the text: article fields know their
language; a question may mix both (an Italian sentence around an English error), so its words are
stemmed both ways (``lang=None``). A short bilingual synonym table adds the English stem to an
Italian one ("ciclo" -> ``loop``, "pianificare" -> ``schedul``), so either language meets the
other's articles; a few multi-word phrases ("with sharing", "ciclo di vita") become one token.
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
    vs versus difference differences differenza differenze compare comparison confronto between
    better meglio should dovrei conviene conviene
    """.split()
)
_TOKEN = re.compile(r"[a-z0-9_]+(?:[.][a-z0-9_]+)*", re.IGNORECASE)
_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_STEMMERS = {"en": Stemmer.Stemmer("english"), "it": Stemmer.Stemmer("italian")}

# Words whose stems would otherwise collide with unrelated ones ("Finalizer" and "finally" both
# stem to "final" in English) or split across languages.
_PROTECTED = {
    "finalizer": "finalizer",
    "finalizers": "finalizer",
    "finalizzatore": "finalizer",
    "locator": "querylocator",
    "querylocator": "querylocator",
    "component": "component",
    "components": "component",
    "componente": "component",
    "componenti": "component",
    "query": "query",
    "queries": "query",
    "querying": "query",
    "records": "record",
    "triggers": "trigger",
    "callouts": "callout",
    "flows": "flow",
    "batches": "batch",
    "batch": "batch",
    "sharing": "sharing",
    "share": "sharing",
    "shared": "sharing",
    "shares": "sharing",
    "events": "event",
    "evento": "event",
    "eventi": "event",
}

# Italian (or informal) word -> English word(s) with the same meaning in a Salesforce question.
# Both sides are stemmed at import; the English stems are added after the Italian one.
_SYNONYMS_RAW = {
    "ciclo": "loop", "cicli": "loop", "iterazione": "loop iteration",
    "limite": "limit", "limiti": "limit", "massimo": "maximum limit", "massima": "maximum limit",
    "pianificare": "schedule", "pianificato": "schedule", "pianificazione": "schedule",
    "schedulare": "schedule", "schedulato": "schedule", "schedulo": "schedule",
    "scheduler": "schedule", "notte": "night nightly", "notturno": "nightly",
    "campo": "field", "campi": "field", "oggetto": "object", "oggetti": "object",
    "utente": "user", "utenti": "user", "permesso": "permission", "permessi": "permission",
    "eccezione": "exception", "eccezioni": "exception", "errore": "error", "errori": "error",
    "copertura": "coverage", "condivisione": "sharing", "condividere": "sharing",
    "condivido": "sharing", "aggiornare": "update", "aggiorno": "update",
    "aggiornamento": "update", "aggiornamenti": "update", "inserire": "insert",
    "inserisco": "insert", "inserimento": "insert", "cancellare": "delete", "cancello": "delete",
    "eliminare": "delete", "salvare": "save", "salvataggio": "save", "salvo": "save",
    "bloccare": "lock", "bloccato": "lock", "bloccati": "lock", "ricerca": "search",
    "cercare": "search", "sicurezza": "security", "regola": "rule", "regole": "rule",
    "validazione": "validation", "convalida": "validation", "rilascio": "deploy release",
    "rilasciare": "deploy", "distribuire": "deploy", "pacchetto": "package",
    "pacchetti": "package", "tempo": "time", "memoria": "memory heap",
    "transazione": "transaction", "asincrono": "asynchronous", "asincrona": "asynchronous",
    "asincroni": "asynchronous", "sincrono": "synchronous", "lento": "slow", "lenta": "slow",
    "contemporanea": "concurrent", "contemporaneo": "concurrent", "padre": "parent",
    "figlio": "child", "figli": "child children", "richiesta": "request", "risposta": "response",
    "chiamata": "call", "chiamare": "call", "chiamo": "call", "testare": "test", "testo": "test",
    "prova": "test", "concatenare": "chain", "concateno": "chain", "catena": "chain",
    "coda": "queue", "accodare": "enqueue", "lista": "list", "liste": "list", "mappa": "map",
    "mappe": "map", "insieme": "set", "relazione": "relationship", "relazioni": "relationship",
    "registro": "log", "tracciamento": "trace", "riga": "row line", "righe": "row rows",
    "caricare": "load import", "caricamento": "load import", "carico": "load",
    "importare": "import", "esportare": "export", "duplicati": "duplicate",
    "contatore": "counter", "contatori": "counter", "indice": "index", "indici": "index",
    "chiave": "key", "esterno": "external", "esterna": "external", "ruolo": "role",
    "ruoli": "role", "gerarchia": "hierarchy", "profilo": "profile", "gruppo": "group",
    "componenti": "component", "decoratore": "decorator", "evento": "event", "eventi": "event",
    "pagina": "page", "rendering": "render", "renderizza": "render",
    "aggiornarsi": "refresh", "rinfrescare": "refresh", "rinfrescano": "refresh",
    "ricaricare": "refresh reload", "sottoscrivere": "subscribe", "sottoscrivo": "subscribe",
    "pubblicare": "publish", "abilitare": "enable", "attivare": "enable activate",
    "disattivare": "disable bypass", "spegnere": "disable bypass", "bypassare": "bypass",
    "saltare": "bypass skip", "interruttore": "switch bypass", "ordine": "order",
    "sequenza": "order sequence", "esecuzione": "execution", "eseguire": "run execute",
    "girano": "run", "gira": "run", "ricorsione": "recursion", "ricorsivo": "recursion",
    "profondita": "depth", "modalita": "mode", "sandbox": "sandbox", "produzione": "production",
    "cancellazione": "delete", "distruttivo": "destructive", "metadati": "metadata",
    "formula": "formula", "riepilogo": "summary rollup", "somma": "sum", "totale": "total sum",
    "raggruppare": "group", "contare": "count", "conteggio": "count", "selettiva": "selective",
    "selettivo": "selective", "dinamica": "dynamic", "dinamico": "dynamic",
    "dinamicamente": "dynamic", "iniezione": "injection", "firma": "signature",
    "obbligatorio": "required", "obbligatori": "required", "nullo": "null", "vuoto": "empty null",
    "vuota": "empty", "fallisce": "fail", "fallito": "fail failed", "falliscono": "fail",
    "riprovare": "retry", "intercettare": "catch", "annullare": "rollback", "strumento": "tool",
    "credenziali": "credential", "credenziale": "credential", "autenticazione": "authentication",
    "chiamate": "call", "mock": "mock", "finto": "mock fake", "finti": "mock fake",
    "simulare": "mock", "dati": "data", "dato": "data", "flusso": "flow",
    "elaborare": "process", "elaborazione": "process", "processare": "process",
    "debuggare": "debug", "punto": "point", "vecchio": "old", "vecchi": "old",
    "nuovo": "new", "precedente": "old prior previous", "cambiato": "changed change",
    "cambia": "change", "sincronizzare": "sync", "sincronizzazione": "sync", "notifica": "notify",
    "notificare": "notify", "sistema": "system", "ingresso": "inbound", "uscita": "outbound",
    "scadenza": "expire", "durata": "duration", "giorni": "days", "secondi": "seconds",
    "minuti": "minutes", "ore": "hours", "milioni": "million", "mila": "thousand",
    "cron": "schedule",
    # informal English
    "sched": "schedule", "async": "asynchronous",
    "obj": "object", "perm": "permission", "perms": "permission", "env": "environment",
}

_PHRASES_RAW = {
    "with sharing": "withsharing",
    "without sharing": "withoutsharing",
    "inherited sharing": "inheritedsharing",
    "for update": "forupdate",
    "ciclo di vita": "lifecycle",
    "lifecycle hook": "lifecycle",
    "sola lettura": "readonly",
    "read only": "readonly",
    "read-only": "readonly",
    "riga di comando": "commandline",
    "command line": "commandline",
    "change set": "changeset",
    "change sets": "changeset",
    "data loader": "dataloader",
    "import wizard": "importwizard",
    "scratch org": "scratchorg",
    "scratch orgs": "scratchorg",
    "platform event": "platformevent",
    "platform events": "platformevent",
    "change data capture": "changedatacapture",
    "named credential": "namedcredential",
    "named credentials": "namedcredential",
    "test setup": "testsetup",
    "custom metadata": "custommetadata",
    "custom setting": "customsetting",
    "custom settings": "customsetting",
    "roll-up summary": "rollupsummary",
    "rollup summary": "rollupsummary",
    "roll up summary": "rollupsummary",
    "before save": "beforesave",
    "after save": "aftersave",
    "record-triggered flow": "recordtriggeredflow",
    "record triggered flow": "recordtriggeredflow",
    "field update": "fieldupdate",
    "validation rule": "validationrule",
    "validation rules": "validationrule",
    "regola di convalida": "validationrule",
    "regole di convalida": "validationrule",
    "regole di validazione": "validationrule",
    "role hierarchy": "rolehierarchy",
    "gerarchia dei ruoli": "rolehierarchy",
    "sharing rule": "sharingrule",
    "sharing rules": "sharingrule",
    "regole di condivisione": "sharingrule",
    "data skew": "dataskew",
    "skinny table": "skinnytable",
    "skinny tables": "skinnytable",
    "big object": "bigobject",
    "big objects": "bigobject",
    "query plan": "queryplan",
    "debug log": "debuglog",
    "debug logs": "debuglog",
    "replay debugger": "replaydebugger",
    "unlocked package": "unlockedpackage",
    "unlocked packages": "unlockedpackage",
    "dev hub": "devhub",
    "permission set": "permissionset",
    "permission sets": "permissionset",
    "org-wide default": "owd",
    "org-wide defaults": "owd",
    "lightning data service": "lds",
    "message channel": "messagechannel",
    "lightning message service": "lms",
    "uncommitted work": "uncommittedwork",
    "composite request": "composite",
    "bulk api": "bulkapi",
    "rest api": "restapi",
    "soap api": "soapapi",
    "flex queue": "flexqueue",
    "test class": "testclass",
    "record type": "recordtype",
    "record types": "recordtype",
    "code coverage": "codecoverage",
    "copertura del codice": "codecoverage",
}


def fold(text: str) -> str:
    """Strip accents: "perché" -> "perche"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def stem(word: str, lang: str = "en") -> str:
    """The stem of a lower-case ``word`` in ``lang`` ("en" or "it")."""
    protected = _PROTECTED.get(word)
    if protected:
        return protected
    return _STEMMERS[lang].stemWord(word)


def _stems(word: str, lang: str | None) -> list[str]:
    if lang:
        return [stem(word, lang)]
    en, it = stem(word, "en"), stem(word, "it")
    return [en] if en == it else [en, it]


def _build_synonyms() -> dict[str, tuple[str, ...]]:
    table: dict[str, set[str]] = {}
    for word, english in _SYNONYMS_RAW.items():
        extra = {stem(w, "en") for w in english.split()}
        for key in {stem(word, "it"), stem(word, "en")}:
            table.setdefault(key, set()).update(extra - {key})
    return {k: tuple(sorted(v)) for k, v in table.items() if v}


_SYNONYMS = _build_synonyms()
_PHRASES = {tuple(k.split()): v for k, v in _PHRASES_RAW.items()}
_PHRASE_FIRST = {k[0] for k in _PHRASES}
_PHRASE_MAX = max(len(k) for k in _PHRASES)


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
    out: list[str] = []
    for i, word in enumerate(raw_words):
        if word not in _PHRASE_FIRST:
            continue
        for n in range(_PHRASE_MAX, 0, -1):
            token = _PHRASES.get(tuple(raw_words[i : i + n]))
            if token:
                out.append(token)
                break
    return out


_SEGMENT = re.compile(r"[;:!?\n()\[\]{}|]|[.,](?:\s|$)")


def tokenize(text: str, lang: str | None = None, *, bigrams: bool = True) -> list[str]:
    """Retrieval tokens of ``text`` (order kept, duplicates kept: BM25 counts them).

    ``lang`` is the language of ``text`` ("en" or "it"); ``None`` stems each word both ways, so
    a mixed-language question meets articles in either language. With ``bigrams``, each pair of
    neighbouring content words within a clause also gives an order-free pair token
    (``apex+flow`` for "flow or Apex" and "Apex vs Flow").
    """
    tokens: list[str] = []
    folded = fold(text)
    for segment in _SEGMENT.split(folded):
        previous: list[str] = []
        for raw in _TOKEN.findall(segment):
            for word in _parts(raw.strip("._")):
                if len(word) < 2 and not word.isdigit():
                    continue
                if word in _STOP:
                    continue
                if not word.isalpha():
                    tokens.append(word)
                    previous = []
                    continue
                stems = _stems(word, lang)
                for s in stems:
                    tokens.append(s)
                    tokens.extend(_SYNONYMS.get(s, ()))
                if bigrams and previous:
                    pairs = {(previous[0], stems[0]), (previous[-1], stems[-1])}
                    tokens.extend("+".join(sorted(p)) for p in pairs if p[0] != p[1])
                previous = stems
    tokens.extend(_phrase_tokens(re.findall(r"[a-z0-9_-]+", folded.lower())))
    return tokens
