"""The words of the user interface, in English and Italian.

The language comes from the browser (``navigator.language``) the first time, then from the
selector at the top of the page, and is remembered in localStorage. Gradio's own ``gr.I18n``
does not apply custom translations in Gradio 6.31 (gradio-app/gradio#12542), so components are
created in English and registered with a :class:`Translator`, which produces the updates that
switch them to the chosen language.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

TEXTS = {
    "en": {
        "title": "Plumberforce: the plumber for your Salesforce org",
        "intro": "Ask about Apex, SOQL/SOSL, governor limits, triggers, Flows, LWC, sharing and "
        "security, integrations, testing and deployment, in English or Italian.",
        "tab_chat": "Chat",
        "tab_feedback": "Feedback",
        "tab_diagnostics": "Diagnostics",
        "chatbot": "Conversation",
        "placeholder": "Ask a Salesforce question, or paste an error message...",
        "send": "Send",
        "stop": "Stop",
        "new_conversation": "New conversation",
        "examples": "Examples",
        "empty_chat": "Ask anything about Salesforce development.",
        "fb_pick": "One of your recent answers",
        "fb_rating": "Rating (1-5 stars)",
        "fb_comment": "Comment (optional)",
        "fb_submit": "Submit rating",
        "fb_refresh": "Refresh",
        "fb_summary": "Summary",
        "fb_distribution": "Ratings distribution",
        "fb_trend": "Mean rating per day",
        "fb_lowest": "Lowest-rated answers",
        "fb_thanks": "Thank you, your rating was saved.",
        "fb_none": "Ask something in the Chat tab first: your answers will appear here.",
        "dg_figures": "Figures",
        "dg_latency": "Latency (ms) over the last requests",
        "dg_errors": "Errors by kind",
        "dg_plot": "Latency over time",
        "dg_refresh": "Refresh now",
        "like_thanks": "Thanks for the feedback!",
        "language": "Language",
    },
    "it": {
        "title": "Plumberforce: l'idraulico della tua org Salesforce",
        "intro": "Chiedi di Apex, SOQL/SOSL, limiti dei governor, trigger, Flow, LWC, sharing e "
        "sicurezza, integrazioni, test e deploy, in italiano o in inglese.",
        "tab_chat": "Chat",
        "tab_feedback": "Feedback",
        "tab_diagnostics": "Diagnostica",
        "chatbot": "Conversazione",
        "placeholder": "Fai una domanda su Salesforce o incolla un messaggio di errore...",
        "send": "Invia",
        "stop": "Ferma",
        "new_conversation": "Nuova conversazione",
        "examples": "Esempi",
        "empty_chat": "Chiedi qualsiasi cosa sullo sviluppo Salesforce.",
        "fb_pick": "Una delle tue risposte recenti",
        "fb_rating": "Voto (1-5 stelle)",
        "fb_comment": "Commento (facoltativo)",
        "fb_submit": "Invia il voto",
        "fb_refresh": "Aggiorna",
        "fb_summary": "Riepilogo",
        "fb_distribution": "Distribuzione dei voti",
        "fb_trend": "Voto medio per giorno",
        "fb_lowest": "Risposte con i voti più bassi",
        "fb_thanks": "Grazie, il tuo voto è stato salvato.",
        "fb_none": "Fai prima una domanda nella scheda Chat: qui compariranno le tue risposte.",
        "dg_figures": "Dati",
        "dg_latency": "Latenza (ms) delle ultime richieste",
        "dg_errors": "Errori per tipo",
        "dg_plot": "Latenza nel tempo",
        "dg_refresh": "Aggiorna ora",
        "like_thanks": "Grazie per il feedback!",
        "language": "Lingua",
    },
}

EXAMPLES = [
    "How do I avoid 'System.LimitException: Too many SOQL queries: 101' in a trigger?",
    "Come scrivo un trigger bulkificato con il pattern handler?",
    "When should I use Queueable instead of a future method?",
    "Qual è la differenza tra with sharing, without sharing e inherited sharing?",
    "How do I call an Apex method from a Lightning Web Component?",
    "Flow o Apex: quando conviene scrivere codice?",
]

LANGUAGES = [("English", "en"), ("Italiano", "it")]
DETECT_JS = """(stored) => {
  if (stored === "en" || stored === "it") return [stored];
  const lang = (navigator.language || "en").toLowerCase();
  return [lang.startsWith("it") ? "it" : "en"];
}"""


def text(key: str, lang: str | None = "en") -> str:
    """The text ``key`` in ``lang`` (English when the language is unknown)."""
    return TEXTS.get(lang or "en", TEXTS["en"])[key]


class Translator:
    """Components and which of their attributes show which text key."""

    def __init__(self) -> None:
        self.entries: list[tuple[Any, dict[str, str]]] = []

    def __call__(self, component: Any, **attributes: str) -> Any:
        """Register ``component`` (e.g. ``label="fb_rating"``) and return it."""
        self.entries.append((component, attributes))
        return component

    @property
    def components(self) -> list[Any]:
        return [component for component, _ in self.entries]

    def updates(self, lang: str) -> list[dict[str, Any]]:
        return [gr.update(**{attr: text(key, lang) for attr, key in attrs.items()}) for _, attrs in self.entries]
