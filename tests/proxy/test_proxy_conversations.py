"""Conversations, export, regenerate, the Space's limits and answers rendered while streaming,
over the WebSocket: a real proxy process in front of a real Space process (offline engine)."""

from __future__ import annotations

import json
import uuid

from gradio_client import Client

from plumberforce.testing.processes import SpaceProcess
from render_proxy.render import render_streaming
from tests.proxy.proxy_processes import ProxyProcess
from tests.proxy.wsclient import Message, ProxySocket, run


def cid() -> str:
    return "c-" + uuid.uuid4().hex[:16]


def unique(question: str) -> str:
    """A question no earlier test asked (the Space's answer cache would answer it at once)."""
    return f"{question} (#{uuid.uuid4().int % 10**9})"


async def reply(ws: ProxySocket, message: Message, *kinds: str) -> list[Message]:
    """Send ``message``; the replies of the given kinds, in order (one each)."""
    await ws.send(message)
    replies = []
    for kind in kinds:
        replies.append((await ws.until(lambda m, kind=kind: m["type"] in (kind, "error")))[-1])
        assert replies[-1]["type"] == kind, replies[-1]
    return replies


def test_new_switch_rename_export_delete(offline_proxy: ProxyProcess, offline_space: SpaceProcess) -> None:
    client_id = cid()
    first_question, second_question = unique("What is a governor limit?"), unique("What is a sharing rule?")

    async def scenario() -> None:
        async with ProxySocket(f"{offline_proxy.ws_url}/ws/{client_id}") as ws:
            [empty] = await reply(ws, {"type": "conversations", "id": "c1"}, "conversations")
            assert empty == {
                "type": "conversations",
                "id": "c1",
                "of": "conversations",
                "current": None,
                "conversations": [],
            }

            _, first = await ws.ask("q1", first_question)
            assert first["type"] == "done" and len(first["conversation_id"]) == 32
            [listed] = await reply(ws, {"type": "conversations"}, "conversations")
            assert listed["current"] == first["conversation_id"]
            assert [(c["title"], c["message_count"]) for c in listed["conversations"]] == [(first_question, 2)]

            # new: a second, empty, current conversation; the first one stays
            created, history = await reply(ws, {"type": "new_conversation", "id": "n1"}, "conversations", "history")
            second_id = created["current"]
            assert (
                created["of"] == "new_conversation" and created["id"] == "n1" and second_id != first["conversation_id"]
            )
            assert [c["conversation_id"] for c in created["conversations"]] == [second_id, first["conversation_id"]]
            assert created["conversations"][0]["title"] == "" and created["conversations"][0]["message_count"] == 0
            assert history == {"type": "history", "source": "space", "conversation_id": second_id, "messages": []}
            _, second = await ws.ask("q2", second_question)
            assert second["conversation_id"] == second_id

            # switch back: the list, then the history of the first conversation
            switched, history = await reply(
                ws,
                {"type": "switch", "id": "s1", "conversation_id": first["conversation_id"]},
                "conversations",
                "history",
            )
            assert (
                switched["current"] == first["conversation_id"]
                and history["conversation_id"] == first["conversation_id"]
            )
            assert [m["content"] for m in history["messages"]] == [first_question, first["text"]]
            assert history["messages"][1]["html"] == first["html"]

            [renamed] = await reply(
                ws,
                {"type": "rename", "conversation_id": first["conversation_id"], "title": "  Limits  "},
                "conversations",
            )
            assert {c["conversation_id"]: c["title"] for c in renamed["conversations"]}[
                first["conversation_id"]
            ] == "Limits"

            [exported] = await reply(ws, {"type": "export", "id": "e1", "conversation_id": second_id}, "export")
            assert exported["filename"].endswith(".md") and exported["media_type"] == "text/markdown"
            assert exported["content"].startswith("# ") and second_question in exported["content"]
            [as_json] = await reply(ws, {"type": "export", "format": "json"}, "export")  # the current one
            record = json.loads(as_json["content"])
            assert record["title"] == "Limits" and [m["content"] for m in record["messages"]][0] == first_question

            # delete the current one: the list without it, then the history of the new current one
            deleted, history = await reply(
                ws,
                {"type": "delete_conversation", "id": "d1", "conversation_id": first["conversation_id"]},
                "conversations",
                "history",
            )
            assert [c["conversation_id"] for c in deleted["conversations"]] == [second_id]
            assert deleted["current"] == second_id and history["conversation_id"] == second_id
            assert [m["content"] for m in history["messages"]] == [second_question, second["text"]]

        async with ProxySocket(f"{offline_proxy.ws_url}/ws/{client_id}") as ws:  # a reconnecting page
            await ws.send({"type": "history"})
            cached = (await ws.until(lambda m: m["type"] == "history"))[-1]
            assert cached["source"] == "cache" and cached["messages"][0]["content"] == second_question

    run(scenario())
    listed = Client(offline_space.url, verbose=False).predict(client_id, "list", api_name="/conversations")
    assert [c["title"] for c in listed["conversations"]] == [second_question]


def test_refusals_name_the_message(offline_proxy: ProxyProcess) -> None:
    async def scenario() -> None:
        async with ProxySocket(f"{offline_proxy.ws_url}/ws/{cid()}") as ws:
            for message, words in [
                ({"type": "switch", "id": "s1"}, "conversation_id: missing"),
                ({"type": "switch", "conversation_id": "no such/id"}, "conversation_id"),
                ({"type": "rename", "conversation_id": "abc", "title": "   "}, "title"),
                ({"type": "rename", "conversation_id": "abc", "title": "t" * 121}, "title"),
                ({"type": "export", "format": "pdf"}, "format"),
                ({"type": "regenerate"}, "id: missing"),
            ]:
                await ws.send(message)
                error = await ws.recv()
                assert error["type"] == "error" and error["code"] == "invalid" and words in error["message"], error
            await ws.send({"type": "switch", "id": "s2", "conversation_id": "0" * 32})
            unknown = (await ws.until(lambda m: m.get("id") == "s2"))[-1]
            assert unknown["code"] == "upstream_error" and unknown["of"] == "switch" and unknown["message"]
            await ws.send({"type": "regenerate", "id": "g1"})  # nothing to regenerate yet
            nothing = (await ws.until(lambda m: m.get("id") == "g1" and m["type"] == "error"))[-1]
            assert nothing["code"] == "upstream_error" and "regenerate" in nothing["message"]

    run(scenario())


def test_no_change_of_conversation_while_an_answer_streams(offline_proxy: ProxyProcess) -> None:
    async def scenario() -> None:
        async with ProxySocket(f"{offline_proxy.ws_url}/ws/{cid()}") as ws:
            await ws.send({"type": "query", "id": "q1", "text": unique("How do I write a trigger handler?")})
            await ws.send({"type": "new_conversation", "id": "n1"})
            seen = await ws.until(lambda m: m.get("id") == "q1" and m["type"] == "done")
            refused = next(m for m in seen if m.get("id") == "n1")
            assert refused["type"] == "error" and refused["code"] == "busy" and refused["of"] == "new_conversation"
            [listed] = await reply(ws, {"type": "conversations"}, "conversations")
            assert len(listed["conversations"]) == 1  # the answer went where the question was asked

    run(scenario())


def test_regenerate_replaces_the_last_answer(offline_proxy: ProxyProcess, offline_space: SpaceProcess) -> None:
    client_id = cid()
    question = unique("How do I bulkify a trigger?")

    async def scenario() -> tuple[Message, Message]:
        async with ProxySocket(f"{offline_proxy.ws_url}/ws/{client_id}") as ws:
            _, first = await ws.ask("q1", question)
            await ws.send({"type": "regenerate", "id": "g1", "conversation_id": first["conversation_id"]})
            seen = await ws.until(lambda m: m.get("id") == "g1" and m["type"] in ("done", "error"))
            mine = [m for m in seen if m.get("id") == "g1"]
            assert mine[0] == {"type": "ack", "id": "g1", "of": "regenerate"}
            fresh = mine[-1]
            assert fresh["type"] == "done" and fresh["regenerated"] is True and fresh["cached"] is False
            assert len([m for m in mine if m["type"] == "delta"]) >= 2  # streamed
            assert fresh["message_id"] != first["message_id"]
            return first, fresh

    first, fresh = run(scenario())
    history = Client(offline_space.url, verbose=False).predict(client_id, api_name="/history")
    assert [m["content"] for m in history] == [question, fresh["text"]]
    assert history[1]["message_id"] == fresh["message_id"] != first["message_id"]


def test_the_space_limits_the_question_before_it_travels(
    offline_proxy: ProxyProcess, offline_space: SpaceProcess
) -> None:
    client_id = cid()

    async def scenario() -> None:
        async with ProxySocket(f"{offline_proxy.ws_url}/ws/{client_id}") as ws:
            [limits] = await reply(ws, {"type": "limits"}, "limits")
            assert limits == {
                "type": "limits",
                "max_question_chars": 4000,
                "max_comment_chars": 1000,
                "source": "space",
            }
            # 5,000 characters: over the Space's limit, under the frame limit (the old proxy sent it on)
            mine, refused = await ws.ask("q1", "  " + "x" * 5000 + "  ")
            assert [m["type"] for m in mine] == ["ack", "error"]
            assert refused == {
                "type": "error",
                "id": "q1",
                "code": "too_long",
                "message": "The question is too long: 5000 characters, the limit is 4000.",
                "limit": 4000,
                "length": 5000,
            }
            _, accepted = await ws.ask("q2", "  " + unique("What is SOQL?") + "  ")  # spaces do not count
            assert accepted["type"] == "done"

    run(scenario())
    history = Client(offline_space.url, verbose=False).predict(client_id, api_name="/history")
    assert len(history) == 2 and "x" * 100 not in history[0]["content"]


def test_answers_are_rendered_while_they_stream(offline_proxy: ProxyProcess) -> None:
    async def scenario() -> None:
        async with ProxySocket(f"{offline_proxy.ws_url}/ws/{cid()}") as ws:
            mine, done = await ws.ask("q1", unique("How do I avoid too many SOQL queries in a trigger?"))
            assert done["type"] == "done"
            text, html, renders = "", "", []
            for message in mine:
                if message["type"] != "delta":
                    continue
                text = message["text"] if message.get("replace") else text + message["text"]
                if "html" in message:
                    html = message["html"]
                elif "html_tail" in message:
                    kept = html.encode("utf-16-le")[: 2 * message["html_keep"]].decode("utf-16-le")
                    html = kept + message["html_tail"]  # html_keep counts UTF-16 units, as JavaScript
                else:
                    continue
                assert html == render_streaming(text)  # the same rules as the final rendering
                renders.append(html)
            assert len(renders) >= 2 and any("<h2>" in r or "<h3>" in r for r in renders), renders
            assert "<script" not in "".join(renders)

    run(scenario())
