"""Where the stores keep their data, and whether it survives a restart.

On a Hugging Face Space (``SPACE_ID`` is set) the container's disk is wiped whenever the Space
restarts: it sleeps after 48 hours without visitors on the free tier, and every push rebuilds it.
Only a persistent volume survives; Hugging Face mounts it at ``/data``
(``PLUMBERFORCE_PERSISTENT_DIR``). So the data directory defaults to ``/data/plumberforce`` when
that mount is there and writable, and to ``./data`` otherwise; in the second case start-up logs a
warning, and ``/api/status`` and the Diagnostics tab say what is lost and the two remedies.
Outside a Space the local disk is taken as persistent.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

SPACE_SUBDIR = "plumberforce"

NOT_PERSISTENT = {
    "en": "Storage is not persistent: this Space keeps its data in {where}, which is wiped when the Space "
    "restarts (after 48 hours without visitors on the free tier, and at every push), so conversations, "
    "feedback and the answer cache are lost. Remedies: attach persistent storage mounted at {mount} "
    "(Space settings), or set PLUMBERFORCE_REDIS_URL to a Redis server.",
    "it": "Lo storage non è persistente: questo Space tiene i dati in {where}, che viene cancellato quando lo "
    "Space si riavvia (dopo 48 ore senza visitatori nel piano gratuito, e a ogni push), quindi "
    "conversazioni, feedback e cache delle risposte vanno persi. Rimedi: collega uno storage persistente "
    "montato in {mount} (impostazioni dello Space), oppure imposta PLUMBERFORCE_REDIS_URL verso un server Redis.",
}


REDIS_NOT_PERSISTENT = {
    "en": "Storage is not persistent: Redis at {where} keeps the data in memory only (no AOF, no RDB "
    "snapshots), so conversations, feedback and the cache are lost when Redis restarts. Turn on "
    "appendonly yes (see README, Scaling out).",
    "it": "Lo storage non è persistente: Redis in {where} tiene i dati solo in memoria (né AOF né "
    "snapshot RDB), quindi conversazioni, feedback e cache vanno persi quando Redis si riavvia. Attiva "
    "appendonly yes (vedi README, Scaling out).",
}


def writable_dir(path: Path) -> bool:
    return path.is_dir() and os.access(path, os.W_OK | os.X_OK)


def default_data_dir(space_id: str | None, persistent_dir: Path) -> Path:
    """``<persistent_dir>/plumberforce`` on a Space whose persistent storage is mounted, else ``data``."""
    if space_id and writable_dir(persistent_dir):
        return persistent_dir / SPACE_SUBDIR
    return Path("data")


@dataclass(frozen=True)
class StorageInfo:
    """What the stores are and whether their data survives a restart of the process."""

    kind: Literal["embedded", "redis"]
    persistent: bool
    where: str
    mount: str = "/data"

    def warning(self, lang: str = "en") -> str | None:
        """Why and what to do, when the data does not survive a restart; else None."""
        if self.persistent:
            return None
        if self.kind == "redis":
            return REDIS_NOT_PERSISTENT["it" if lang == "it" else "en"].format(where=self.where)
        return NOT_PERSISTENT["it" if lang == "it" else "en"].format(where=self.where, mount=self.mount)

    def public(self) -> dict[str, Any]:
        """The ``storage`` object of ``/api/status``."""
        body: dict[str, Any] = {"kind": self.kind, "persistent": self.persistent, "where": self.where}
        if not self.persistent:
            body["warning"] = self.warning("en")
        return body


def embedded_storage(data_dir: Path, space_id: str | None, persistent_dir: Path) -> StorageInfo:
    """The embedded stores in ``data_dir``: persistent off a Space, or inside a writable mount on one."""
    where = data_dir.resolve()
    if not space_id:
        persistent = True
    else:
        mount = persistent_dir.resolve()
        persistent = writable_dir(mount) and where.is_relative_to(mount)
    return StorageInfo("embedded", persistent, str(where), str(persistent_dir))
