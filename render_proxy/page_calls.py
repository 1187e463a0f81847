"""The short calls of one connection (a mixin of :class:`render_proxy.ws.Connection`): history,
feedback, reset, the Space's limits, and the person's conversations (list, new, switch,
rename, delete, export), each one call to a named endpoint of the Space in its own task.

What the Space answers is checked and reduced to known fields before it reaches the page: ids
match the id pattern, titles and file names are plain bounded strings, media types come from a
fixed list.
"""

from __future__ import annotations

import re
from typing import Any

from render_proxy import protocol
from render_proxy.hub import PageSocket
from render_proxy.render import public_message
from render_proxy.upstream import UpstreamError

MEDIA_TYPES = {"markdown": "text/markdown", "json": "application/json"}
MAX_CONVERSATIONS_SHOWN = 500


class CallFailed(Exception):
    """A short call failed; the page was already told (an ``error`` with ``of``)."""


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _conversation_id(value: Any) -> str | None:
    return value if isinstance(value, str) and re.match(protocol.CLIENT_ID, value) else None


def clean_overview(raw: Any) -> dict[str, Any] | None:
    """The Space's ``/conversations`` answer as the page gets it, or None when unreadable."""
    if not isinstance(raw, dict) or not isinstance(raw.get("conversations"), list):
        return None
    shown = []
    for item in raw["conversations"][:MAX_CONVERSATIONS_SHOWN]:
        conversation_id = _conversation_id(item.get("conversation_id")) if isinstance(item, dict) else None
        if conversation_id is None:
            continue
        shown.append(
            {
                "conversation_id": conversation_id,
                "title": str(item.get("title") or "")[: protocol.MAX_TITLE_CHARS],
                "created": _number(item.get("created")),
                "updated": _number(item.get("updated")),
                "message_count": int(_number(item.get("message_count"))),
            }
        )
    return {"current": _conversation_id(raw.get("current")), "conversations": shown}


def clean_export(raw: Any, fmt: str) -> dict[str, str] | None:
    """The Space's ``/export`` answer as the page gets it, or None when unreadable."""
    if not isinstance(raw, dict) or not isinstance(raw.get("content"), str):
        return None
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", str(raw.get("filename") or "")).strip("._")[:100]
    extension = ".md" if fmt == "markdown" else ".json"
    if not name.endswith(extension):
        name = (name or "plumberforce-conversation") + extension
    return {"filename": name, "content": raw["content"], "media_type": MEDIA_TYPES[fmt]}


class ShortCalls(PageSocket):
    """History, feedback, reset, limits and conversations (see the module docstring)."""

    async def call(self, of: str, request_id: str | None, api_name: str, *data: Any) -> Any:
        """One call to the Space; on failure the page gets ``error {id, code, message, of}``."""
        try:
            return await self.hub.upstream.call(api_name, *data, client_ip=self.ip, client_id=self.client_id)
        except UpstreamError as exc:
            await self.send(protocol.error(exc.code, exc.message, request_id, of=of))
            raise CallFailed from None

    async def unreadable(self, of: str, request_id: str | None, what: str) -> None:
        message = f"The Space sent {what} the proxy cannot read."
        await self.send(protocol.error("upstream_error", message, request_id, of=of))

    # --- the current conversation ------------------------------------------------------------
    async def sync_history(self) -> None:
        """Cached history at once (when there is one), then the Space's."""
        cached = self.hub.history.get(self.client_id)
        if cached is not None:
            await self.send({"type": "history", "source": "cache", "messages": [public_message(m) for m in cached]})
        await self.load_history(None, of="history")

    async def load_history(self, conversation_id: str | None, of: str, request_id: str | None = None) -> None:
        """The Space's history of the current conversation (``conversation_id`` when known)."""
        try:
            messages = await self.call(of, request_id, "/history", self.client_id)
        except CallFailed:
            return
        if not isinstance(messages, list):
            await self.unreadable(of, request_id, "a history")
            return
        shown = [public_message(m) for m in messages if isinstance(m, dict)]
        self.hub.history.put(self.client_id, shown, conversation_id)
        reply: dict[str, Any] = {"type": "history", "source": "space", "messages": shown}
        if conversation_id is not None:
            reply["conversation_id"] = conversation_id
        await self.send(reply)

    async def feedback(self, message: protocol.Feedback) -> None:
        try:
            await self.hub.upstream.call(
                "/feedback",
                self.client_id,
                message.message_id,
                message.rating,
                message.comment,
                client_ip=self.ip,
                client_id=self.client_id,
            )
        except UpstreamError as exc:
            await self.send(
                protocol.error(exc.code, exc.message, message.id, of="feedback", message_id=message.message_id)
            )
            return
        await self.send({"type": "ack", "id": message.id, "of": "feedback", "message_id": message.message_id})

    async def reset(self, message: protocol.Reset) -> None:
        """Delete the current conversation (the first version's "new conversation")."""
        async with self.changing:
            try:
                await self.call("reset", message.id, "/reset", self.client_id)
            except CallFailed:
                return
            self.hub.history.put(self.client_id, [])
            await self.send({"type": "ack", "id": message.id, "of": "reset"})
            await self.send({"type": "history", "source": "space", "messages": []})

    async def send_limits(self) -> None:
        limits = await self.hub.limits.get()
        await self.send({"type": "limits", **limits.public()})

    # --- conversations -----------------------------------------------------------------------
    async def conversation_action(
        self, of: str, request_id: str | None, action: str, conversation_id: str = "", title: str = ""
    ) -> dict[str, Any] | None:
        """``/conversations`` with an action; the page gets the list after it (None on failure).
        Every input is sent: the queue protocol has no defaults (gradio_client fills them in)."""
        try:
            raw = await self.call(of, request_id, "/conversations", self.client_id, action, conversation_id, title)
        except CallFailed:
            return None
        overview = clean_overview(raw)
        if overview is None:
            await self.unreadable(of, request_id, "a list of conversations")
            return None
        reply = {"type": "conversations", "of": of, **overview}
        if request_id is not None:
            reply["id"] = request_id
        await self.send(reply)
        return overview

    async def list_conversations(self, message: protocol.Conversations) -> None:
        await self.conversation_action("conversations", message.id, "list")

    async def rename(self, message: protocol.Rename) -> None:
        await self.conversation_action("rename", message.id, "rename", message.conversation_id, message.title)

    async def new_conversation(self, message: protocol.NewConversation) -> None:
        """A new, empty current conversation (the others stay)."""
        async with self.changing:
            overview = await self.conversation_action("new_conversation", message.id, "new")
            if overview is None:
                return
            self.hub.history.put(self.client_id, [], overview["current"])
            await self.send(
                {"type": "history", "source": "space", "conversation_id": overview["current"], "messages": []}
            )

    async def switch(self, message: protocol.Switch) -> None:
        """Make a conversation current; its history follows the list."""
        async with self.changing:
            overview = await self.conversation_action("switch", message.id, "select", message.conversation_id)
            if overview is not None:
                await self.load_history(overview["current"], "switch", message.id)

    async def delete_conversation(self, message: protocol.DeleteConversation) -> None:
        """Delete a conversation; the history of the (maybe new) current one follows the list."""
        async with self.changing:
            overview = await self.conversation_action(
                "delete_conversation", message.id, "delete", message.conversation_id
            )
            if overview is not None:
                await self.load_history(overview["current"], "delete_conversation", message.id)

    async def export(self, message: protocol.Export) -> None:
        """A conversation as a file for the page to download."""
        try:
            raw = await self.call(
                "export", message.id, "/export", self.client_id, message.conversation_id or "", message.format
            )
        except CallFailed:
            return
        exported = clean_export(raw, message.format)
        if exported is None:
            await self.unreadable("export", message.id, "an export")
            return
        reply: dict[str, Any] = {"type": "export", "conversation_id": message.conversation_id, **exported}
        if message.id is not None:
            reply["id"] = message.id
        await self.send(reply)
