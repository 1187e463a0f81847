"""Conversations in Redis, shared by every replica (the layout and the atomic scripts are in
stores/redis_scripts.py). Same contract as the embedded store (stores/contracts.py).

The turn lock is a Redis lease (``SET NX PX`` with a random token), renewed by its holder every
few seconds while the turn runs and released at the end: two questions of one client arriving on
two replicas at once run one after the other. A replica that dies holding a lease stops renewing
it, and the lease lapses within ``lease_seconds`` (``PLUMBERFORCE_REDIS_LEASE_SECONDS``), so that
client's next question is not stuck.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

import redis.asyncio as aioredis
from redis.exceptions import ResponseError

from plumberforce.errors import NotFound
from plumberforce.stores import redis_scripts
from plumberforce.stores.conversation_tables import UNKNOWN, clean_title
from plumberforce.stores.records import ConversationInfo, Message, Overview, new_conversation_id, title_from
from plumberforce.stores.redis_client import unavailable

LEASE_SECONDS = 15.0
POLL_SECONDS = 0.05


class RedisConversationStore:
    """See the module docstring and stores/contracts.py ``ConversationStore``."""

    def __init__(
        self,
        client: aioredis.Redis,
        prefix: str,
        max_messages: int = 200,
        idle_seconds: float = 30 * 86400,
        max_conversations: int = 50,
        lease_seconds: float = LEASE_SECONDS,
    ):
        self.redis = client
        self.prefix = prefix
        self.max_messages = max_messages
        self.idle_seconds = idle_seconds
        self.max_conversations = max_conversations
        self.lease_seconds = lease_seconds
        self._scripts = {
            name: client.register_script(getattr(redis_scripts, name))
            for name in ("APPEND", "CREATE", "UPDATE", "DELETE", "RENEW", "RELEASE")
        }

    # --- keys and script calls ----------------------------------------------------------
    def _keys(self, client_id: str) -> list[str]:
        base = f"{self.prefix}{{{client_id}}}"
        return [f"{base}:convs", f"{base}:current", f"{self.prefix}live"]

    def _messages_key(self, client_id: str, conversation_id: str) -> str:
        return f"{self.prefix}{{{client_id}}}:m:{conversation_id}"

    async def _run(self, name: str, client_id: str, *args: object) -> object:
        now = time.time()
        common = [
            client_id,
            f"{self.prefix}{{{client_id}}}:m:",
            now,
            now - self.idle_seconds,
            int(self.idle_seconds) + 1,
        ]
        try:
            async with unavailable():
                return await self._scripts[name](keys=self._keys(client_id), args=[*common, *args])
        except ResponseError as exc:
            if "NOTFOUND" in str(exc):
                raise NotFound(*UNKNOWN) from None
            raise

    async def _metas(self, client_id: str) -> tuple[str | None, dict[str, dict]]:
        convs, current, _ = self._keys(client_id)
        async with unavailable():
            async with self.redis.pipeline(transaction=True) as pipe:
                raw, cur = await pipe.hgetall(convs).get(current).execute()
        cutoff = time.time() - self.idle_seconds
        metas = {cid: m for cid, m in ((k, json.loads(v)) for k, v in raw.items()) if m["updated"] >= cutoff}
        return (cur if cur in metas else None), metas

    @staticmethod
    def _info(conversation_id: str, meta: dict) -> ConversationInfo:
        return ConversationInfo(conversation_id, meta["title"], meta["created"], meta["updated"], meta["count"])

    async def _resolve(self, client_id: str, conversation_id: str | None) -> str | None:
        current, metas = await self._metas(client_id)
        if conversation_id is None:
            return current
        if conversation_id not in metas:
            raise NotFound(*UNKNOWN)
        return conversation_id

    async def _one(self, client_id: str, conversation_id: str) -> ConversationInfo:
        _, metas = await self._metas(client_id)
        if conversation_id not in metas:
            raise NotFound(*UNKNOWN)
        return self._info(conversation_id, metas[conversation_id])

    # --- the contract -------------------------------------------------------------------------
    async def overview(self, client_id: str) -> Overview:
        current, metas = await self._metas(client_id)
        order = sorted(metas.items(), key=lambda kv: (kv[1]["updated"], kv[1]["created"]), reverse=True)
        return Overview(current, [self._info(cid, m) for cid, m in order])

    async def create(self, client_id: str, title: str = "") -> ConversationInfo:
        title = clean_title(title) if title else ""
        cid = await self._run("CREATE", client_id, new_conversation_id(), title, self.max_conversations)
        return await self._one(client_id, str(cid))

    async def select(self, client_id: str, conversation_id: str) -> ConversationInfo:
        await self._run("UPDATE", client_id, conversation_id, "select", "")
        return await self._one(client_id, conversation_id)

    async def rename(self, client_id: str, conversation_id: str, title: str) -> ConversationInfo:
        await self._run("UPDATE", client_id, conversation_id, "rename", clean_title(title))
        return await self._one(client_id, conversation_id)

    async def delete(self, client_id: str, conversation_id: str | None = None) -> bool:
        return bool(await self._run("DELETE", client_id, conversation_id or ""))

    async def get(self, client_id: str, conversation_id: str | None = None) -> list[Message]:
        return (await self._history(client_id, conversation_id))[1]

    async def turn_history(
        self, client_id: str, conversation_id: str | None = None
    ) -> tuple[str | None, list[Message]]:
        if conversation_id is not None:
            await self._run("UPDATE", client_id, conversation_id, "select", "")
        return await self._history(client_id, conversation_id)

    async def _history(self, client_id: str, conversation_id: str | None) -> tuple[str | None, list[Message]]:
        """The conversation a call means (the current one by default) and its messages."""
        target = await self._resolve(client_id, conversation_id)
        if target is None:
            return None, []
        async with unavailable():
            raw = await self.redis.lrange(self._messages_key(client_id, target), 0, -1)
        return target, [Message(**json.loads(m)) for m in raw]

    async def append(
        self,
        client_id: str,
        messages: Sequence[Message],
        conversation_id: str | None = None,
        replace_last: int = 0,
    ) -> str:
        first = next((m.content for m in messages if m.role == "user"), "")
        payload = json.dumps([json.dumps(m.to_dict(), ensure_ascii=False) for m in messages], ensure_ascii=False)
        target = await self._run(
            "APPEND",
            client_id,
            conversation_id or "",
            new_conversation_id(),
            title_from(first),
            payload,
            replace_last,
            self.max_messages,
            self.max_conversations,
        )
        return str(target)

    async def find(self, client_id: str, message_id: str) -> tuple[Message | None, Message | None]:
        _, metas = await self._metas(client_id)
        for conversation_id in metas:
            messages = await self.get(client_id, conversation_id)
            for i, message in enumerate(messages):
                if message.message_id == message_id:
                    return message, messages[i - 1] if i else None
        return None, None

    async def count(self) -> int:
        live = f"{self.prefix}live"
        cutoff = time.time() - self.idle_seconds
        async with unavailable():
            async with self.redis.pipeline(transaction=False) as pipe:
                _, count = (
                    await pipe.zremrangebyscore(live, "-inf", f"({cutoff}").zcount(live, cutoff, "+inf").execute()
                )
        return int(count)

    @asynccontextmanager
    async def lock(self, client_id: str) -> AsyncIterator[None]:
        key = f"{self.prefix}{{{client_id}}}:lock"
        token = uuid.uuid4().hex
        lease = int(self.lease_seconds * 1000)
        async with unavailable():
            while True:  # another replica (or task) holds this client's turn: wait for it
                if await self.redis.set(key, token, nx=True, px=lease):
                    break
                await asyncio.sleep(POLL_SECONDS)
        renewer = asyncio.get_running_loop().create_task(self._renew(key, token, lease))
        try:
            yield
        finally:
            renewer.cancel()
            with contextlib.suppress(Exception):  # Redis gone: the lease lapses by itself
                await asyncio.shield(self._scripts["RELEASE"](keys=[key], args=[token]))

    async def _renew(self, key: str, token: str, lease: int) -> None:
        while True:
            await asyncio.sleep(self.lease_seconds / 3)
            with contextlib.suppress(Exception):
                await self._scripts["RENEW"](keys=[key], args=[token, lease])

    async def aclose(self) -> None:
        return None  # the client (and its pool) is closed by whoever opened it
