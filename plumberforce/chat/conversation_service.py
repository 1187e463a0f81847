"""A person's conversations: list, start, switch, rename, delete, and export as Markdown or JSON.

Every door that takes a client id alone addresses the current conversation (see
stores/contracts.py); these are the operations on the others. An export holds the questions,
the answers, their sources and the person's own ratings (from the feedback store).
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any, Literal

from plumberforce.chat.validation import validate_client_id, validate_conversation_id
from plumberforce.errors import InputError, NotFound
from plumberforce.knowledge.language import detect_language
from plumberforce.stores.contracts import ConversationStore, FeedbackStore
from plumberforce.stores.records import ConversationInfo, FeedbackRecord, Message, Overview

ExportFormat = Literal["markdown", "json"]
WORDS = {
    "en": {
        "untitled": "New conversation",
        "created": "created",
        "updated": "updated",
        "you": "You",
        "sources": "Sources",
        "rating": "Your rating",
        "comment": "comment",
        "exported": "Exported from Plumberforce",
        "empty": "(no messages yet)",
    },
    "it": {
        "untitled": "Nuova conversazione",
        "created": "creata",
        "updated": "aggiornata",
        "you": "Tu",
        "sources": "Fonti",
        "rating": "Il tuo voto",
        "comment": "commento",
        "exported": "Esportata da Plumberforce",
        "empty": "(ancora nessun messaggio)",
    },
}


def _when(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M UTC")


def _stars(record: FeedbackRecord, words: dict[str, str]) -> str | None:
    parts = []
    if record.rating:
        parts.append("★" * record.rating + "☆" * (5 - record.rating) + f" ({record.rating}/5)")
    if record.thumb:
        parts.append("👍" if record.thumb == "up" else "👎")
    if record.comment:
        parts.append(f'{words["comment"]}: "{record.comment}"')
    return f"*{words['rating']}: " + " · ".join(parts) + "*" if parts else None


def to_markdown(info: ConversationInfo, messages: list[Message], ratings: dict[str, FeedbackRecord]) -> str:
    """A readable document: title, dates, then each question and answer with sources and ratings."""
    first = next((m.content for m in messages if m.role == "user"), "")
    words = WORDS[detect_language(first) if first else "en"]
    lines = [
        f"# {info.title or words['untitled']}",
        "",
        f"*{words['exported']} · {words['created']} {_when(info.created)} · {words['updated']} {_when(info.updated)}*",
        "",
    ]
    if not messages:
        lines += [words["empty"], ""]
    for message in messages:
        if message.role == "user":
            quoted = "\n".join("> " + line if line else ">" for line in message.content.splitlines())
            lines += ["---", "", f"**{words['you']}:**", "", quoted, ""]
            continue
        engine = message.meta.get("engine", "")
        lines += [f"**Plumberforce** ({engine}):" if engine else "**Plumberforce:**", "", message.content.strip(), ""]
        sources = [s for s in message.meta.get("sources") or [] if s.get("url") and s["url"] not in message.content]
        if sources:
            lines += [f"{words['sources']}:", *[f"- [{s.get('title') or s['url']}]({s['url']})" for s in sources], ""]
        record = ratings.get(message.message_id)
        stars = _stars(record, words) if record else None
        if stars:
            lines += [stars, ""]
    return "\n".join(lines).rstrip() + "\n"


def to_json(info: ConversationInfo, messages: list[Message], ratings: dict[str, FeedbackRecord]) -> dict[str, Any]:
    """The full record: the conversation, every message with its meta, and the ratings."""
    return {
        **info.public(),
        "exported": time.time(),
        "messages": [
            {
                **m.public(),
                **({"rating": _rating(ratings[m.message_id])} if m.message_id in ratings else {}),
            }
            for m in messages
        ],
    }


def _rating(record: FeedbackRecord) -> dict[str, Any]:
    return {"rating": record.rating, "thumb": record.thumb, "comment": record.comment, "updated": record.updated}


class ConversationService:
    """The conversation operations every door shares (validation first, then the store)."""

    def __init__(self, conversations: ConversationStore, feedback: FeedbackStore):
        self.conversations = conversations
        self.feedback = feedback

    async def overview(self, client_id: object) -> Overview:
        return await self.conversations.overview(validate_client_id(client_id))

    async def create(self, client_id: object, title: object = "") -> ConversationInfo:
        cid = validate_client_id(client_id)
        return await self.conversations.create(cid, title if isinstance(title, str) else "")

    async def update(
        self, client_id: object, conversation_id: object, *, title: object = None, current: bool = False
    ) -> ConversationInfo:
        """Rename and/or make current."""
        cid = validate_client_id(client_id)
        conv = validate_conversation_id(conversation_id)
        if conv is None:
            raise InputError("A conversation_id is required.", "Serve un conversation_id.")
        if title is None and not current:
            raise InputError(
                "Nothing to change: give a title or current: true.",
                "Niente da cambiare: indica un titolo o current: true.",
            )
        info = await self.conversations.rename(cid, conv, title) if title is not None else None  # type: ignore[arg-type]
        if current:
            info = await self.conversations.select(cid, conv)
        assert info is not None
        return info

    async def delete(self, client_id: object, conversation_id: object) -> bool:
        cid = validate_client_id(client_id)
        conv = validate_conversation_id(conversation_id)
        if conv is None:
            raise InputError("A conversation_id is required.", "Serve un conversation_id.")
        if not await self.conversations.delete(cid, conv):
            raise NotFound(
                "Unknown conversation_id for this client_id.", "conversation_id sconosciuto per questo client_id."
            )
        return True

    async def export(self, client_id: object, conversation_id: object, fmt: object = "markdown") -> tuple[str, str]:
        """(filename, body) of a conversation in ``fmt`` (``markdown`` or ``json``)."""
        if fmt not in ("markdown", "json"):
            raise InputError("format must be 'markdown' or 'json'.", "format deve essere 'markdown' o 'json'.")
        cid = validate_client_id(client_id)
        conv = validate_conversation_id(conversation_id)
        overview = await self.conversations.overview(cid)
        target = conv or overview.current
        info = next((c for c in overview.conversations if c.conversation_id == target), None)
        if info is None:
            raise NotFound(
                "Unknown conversation_id for this client_id.", "conversation_id sconosciuto per questo client_id."
            )
        messages = await self.conversations.get(cid, info.conversation_id)
        ids = {m.message_id for m in messages}
        ratings = {r.message_id: r for r in await self.feedback.records(cid) if r.message_id in ids}
        stem = f"plumberforce-{datetime.fromtimestamp(info.created, UTC):%Y%m%d}-{info.conversation_id[:8]}"
        if fmt == "json":
            body = json.dumps(to_json(info, messages, ratings), ensure_ascii=False, indent=2)
            return stem + ".json", body
        return stem + ".md", to_markdown(info, messages, ratings)
