"""The words of the user interface, in English and Italian (gr.I18n picks by browser locale)."""

from __future__ import annotations

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
        "feedback_soon": "Ratings and their summary will appear here.",
        "diagnostics_soon": "Request figures will appear here.",
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
        "feedback_soon": "Qui compariranno le valutazioni e il loro riepilogo.",
        "diagnostics_soon": "Qui compariranno i dati delle richieste.",
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

I18N = gr.I18n(**TEXTS)


def t(key: str):
    """A translated string for a component label."""
    return I18N(key)
