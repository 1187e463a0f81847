"""How answers and their meta look in the Gradio UI."""

from __future__ import annotations

from typing import Any

from plumberforce.stores.records import Message

BADGE_LABELS = {
    "en": {"engine": "engine", "cached": "cached", "incomplete": "incomplete", "sources": "Sources"},
    "it": {"engine": "motore", "cached": "dalla cache", "incomplete": "incompleta", "sources": "Fonti"},
}


def badges(meta: dict[str, Any]) -> str:
    """Markdown: engine and cached badges, then the sources as links."""
    words = BADGE_LABELS["it" if meta.get("lang") == "it" else "en"]
    parts = [f"`{words['engine']}: {meta.get('engine', '?')}`", f"`{meta.get('model', '')}`"]
    if meta.get("cached"):
        parts.append(f"`{words['cached']}`")
    if meta.get("incomplete"):
        parts.append(f"`{words['incomplete']}`")
    line = " · ".join(parts)
    sources = meta.get("sources") or []
    if sources:
        links = " · ".join(f"[{s['title']}]({s['url']})" for s in sources)
        line += f"\n\n**{words['sources']}:** {links}"
    return line


def chat_messages(history: list[Message]) -> list[dict[str, str]]:
    """Stored messages as the Chatbot's list of {role, content}."""
    return [{"role": m.role, "content": m.content} for m in history]
