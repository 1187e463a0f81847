"""How answers, their badges and notices look in the Gradio UI."""

from __future__ import annotations

from typing import Any

from plumberforce.stores.records import Message
from plumberforce.web.ui.texts import text


def badges(meta: dict[str, Any], answer: str, lang: str | None) -> str:
    """Markdown in the UI's language: engine and state badges, then the sources the answer
    does not already cite (an offline answer and most model answers list them in the text)."""
    parts = [f"`{text('badge_engine', lang)}: {meta.get('engine', '?')}`", f"`{meta.get('model', '')}`"]
    for flag in ("cached", "incomplete", "regenerated"):
        if meta.get(flag):
            parts.append(f"`{text('badge_' + flag, lang)}`")
    line = " · ".join(parts)
    missing = [s for s in meta.get("sources") or [] if s.get("url") and s["url"] not in answer]
    if missing:
        links = " · ".join(f"[{s['title']}]({s['url']})" for s in missing)
        line += f"\n\n**{text('badge_sources', lang)}:** {links}"
    return line


def notice(message: str) -> str:
    """An inline warning under the conversation (a refused question, an unavailable service)."""
    return f"⚠️ {message}"


def chat_messages(history: list[Message]) -> list[dict[str, str]]:
    """Stored messages as the Chatbot's list of {role, content}."""
    return [{"role": m.role, "content": m.content} for m in history]
