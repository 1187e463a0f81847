"""The sidebar of the Chat tab: the person's conversations (newest first), with new, switch,
rename, delete and download as Markdown. Handlers return the chat area's new content too, so
one event updates the list and the conversation shown."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

import gradio as gr

from plumberforce.chat.validation import CLIENT_ID
from plumberforce.errors import PlumberforceError
from plumberforce.stores.records import Overview
from plumberforce.web.runtime import Runtime
from plumberforce.web.ui.formatting import chat_messages, notice
from plumberforce.web.ui.texts import Translator, lang_of, text

CONFIRM_JS = """(cid, conv, choice) => {
  const it = choice === "it";
  const ok = window.confirm(it ? "Eliminare questa conversazione? Non si può annullare."
                               : "Delete this conversation? This cannot be undone.");
  return [cid, ok ? conv : "", choice];
}"""


@dataclass
class ConversationsPanel:
    listing: gr.Radio
    new: gr.Button
    title: gr.Textbox
    rename: gr.Button
    delete: gr.Button
    download: gr.HTML


def build_panel(tr: Translator) -> ConversationsPanel:
    """Lay out the panel (inside a ``gr.Sidebar``)."""
    new = tr(
        gr.Button(text("new_conversation"), variant="primary", size="sm", elem_id="pf-new"), value="new_conversation"
    )
    listing = tr(
        gr.Radio(choices=[], label=text("conversations"), elem_id="pf-conversations", interactive=True),
        label="conversations",
    )
    title = tr(
        gr.Textbox(
            label=text("rename_label"),
            placeholder=text("rename_placeholder"),
            max_lines=1,
            elem_id="pf-title-input",
        ),
        label="rename_label",
        placeholder="rename_placeholder",
    )
    with gr.Row():
        rename = tr(gr.Button(text("rename"), size="sm", elem_id="pf-rename"), value="rename")
        delete = tr(gr.Button(text("delete"), size="sm", variant="stop", elem_id="pf-delete"), value="delete")
    download = gr.HTML(elem_id="pf-download")
    return ConversationsPanel(listing, new, title, rename, delete, download)


def download_link(client_id: str | None, conversation_id: str | None, lang: str | None) -> str:
    """A link to the REST export of the conversation (ids are checked patterns: safe in HTML)."""
    if not client_id or not conversation_id or not CLIENT_ID.match(client_id) or not CLIENT_ID.match(conversation_id):
        return ""
    href = f"api/conversations/{client_id}/{conversation_id}/export?format=markdown"
    return f'<a class="pf-download" href="{escape(href)}" download>⬇ {escape(text("download", lang))}</a>'


def listing_update(overview: Overview, lang: str | None) -> dict[str, Any]:
    choices = [(c.title or text("untitled", lang), c.conversation_id) for c in overview.conversations]
    return gr.update(choices=choices, value=overview.current)  # the label follows the Translator


async def panel_state(runtime: Runtime, client_id: str, lang: str | None) -> tuple[Any, ...]:
    """(listing, title box, download link) for the client's conversations now."""
    overview = await runtime.conversations.overview(client_id)
    current = next((c for c in overview.conversations if c.conversation_id == overview.current), None)
    return (
        listing_update(overview, lang),
        gr.update(value=current.title if current else ""),
        download_link(client_id, overview.current, lang),
    )


def wire_panel(runtime: Runtime, panel: ConversationsPanel, chat: Any, lang: gr.Radio) -> None:
    """The panel's events. ``chat`` is the ChatTab (chatbot, meta, notice, client id, message ids)."""
    private = dict(api_visibility="private")
    outputs = [panel.listing, panel.title, panel.download, chat.chatbot, chat.meta, chat.notice, chat.message_ids]

    async def show(client_id: str, choice: str | None) -> tuple[Any, ...]:
        history = await runtime.service.history(client_id)
        return (
            *(await panel_state(runtime, client_id, choice)),
            chat_messages(history),
            "",
            gr.update(value="", visible=False),
            [m.message_id for m in history],
        )

    async def guarded(action, client_id: str | None, choice: str | None) -> tuple[Any, ...]:
        if not client_id:
            return tuple(gr.update() for _ in outputs)
        try:
            await action(client_id)
            return await show(client_id, choice)
        except PlumberforceError as exc:
            return (
                *(gr.update() for _ in outputs[:-2]),
                gr.update(value=notice(exc.message(lang_of(choice))), visible=True),
                gr.update(),
            )

    async def new(client_id: str | None, choice: str | None):
        return await guarded(lambda cid: runtime.conversations.create(cid), client_id, choice)

    async def switch(client_id: str | None, conversation_id: str | None, choice: str | None):
        if not conversation_id:
            return tuple(gr.update() for _ in outputs)
        return await guarded(
            lambda cid: runtime.conversations.update(cid, conversation_id, current=True), client_id, choice
        )

    async def rename(client_id: str | None, conversation_id: str | None, title: str, choice: str | None):
        return await guarded(
            lambda cid: runtime.conversations.update(cid, conversation_id, title=title), client_id, choice
        )

    async def delete(client_id: str | None, conversation_id: str | None, choice: str | None):
        if not conversation_id:  # not confirmed
            return tuple(gr.update() for _ in outputs)
        return await guarded(lambda cid: runtime.conversations.delete(cid, conversation_id), client_id, choice)

    panel.new.click(new, [chat.client_id, lang], outputs, api_name="ui_new", **private)
    panel.listing.input(switch, [chat.client_id, panel.listing, lang], outputs, api_name="ui_switch", **private)
    panel.rename.click(
        rename, [chat.client_id, panel.listing, panel.title, lang], outputs, api_name="ui_rename", **private
    )
    panel.title.submit(
        rename, [chat.client_id, panel.listing, panel.title, lang], outputs, api_name="ui_rename_enter", **private
    )
    panel.delete.click(
        delete, [chat.client_id, panel.listing, lang], outputs, js=CONFIRM_JS, api_name="ui_delete", **private
    )
