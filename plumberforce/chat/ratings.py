"""Ratings of answers: validation, then one record per (client, message) in the feedback store.

A rating is 1-5 stars and/or a thumb ("up"/"down"), with an optional comment. It must name an
assistant message of the caller's own conversation: another client's message id is as unknown
as a made-up one. Bad input raises before anything is written.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pandas as pd

from plumberforce.chat.validation import validate_client_id
from plumberforce.errors import InputError, NotFound
from plumberforce.ops.analytics import records_frame
from plumberforce.stores.contracts import ConversationStore, FeedbackStore
from plumberforce.stores.records import FeedbackRecord, Rating

THUMBS = ("up", "down")


def validate_rating(rating: object) -> int | None:
    if rating is None:
        return None
    if isinstance(rating, bool) or not isinstance(rating, (int, float)) or rating != int(rating):
        raise InputError(
            "The rating must be a whole number from 1 to 5.", "Il voto deve essere un numero intero da 1 a 5."
        )
    if not 1 <= int(rating) <= 5:
        raise InputError(
            f"The rating must be from 1 to 5, not {int(rating)}.", f"Il voto deve essere da 1 a 5, non {int(rating)}."
        )
    return int(rating)


def validate_thumb(thumb: object) -> str | None:
    if thumb is None or thumb == "":
        return None
    if thumb not in THUMBS:
        raise InputError("The thumb must be 'up' or 'down'.", "Il pollice deve essere 'up' o 'down'.")
    return str(thumb)


def validate_comment(comment: object, max_chars: int) -> str | None:
    if comment is None:
        return None
    if not isinstance(comment, str):
        raise InputError("The comment must be text.", "Il commento deve essere un testo.")
    comment = comment.strip()
    if len(comment) > max_chars:
        raise InputError(
            f"The comment is too long: {len(comment)} characters, the limit is {max_chars}.",
            f"Il commento è troppo lungo: {len(comment)} caratteri, il limite è {max_chars}.",
        )
    return comment


def is_poor(rating: int | None, thumb: str | None) -> bool:
    """A rating that says the answer is wrong or useless: a thumb down, or 1-2 stars."""
    return thumb == "down" or (rating is not None and rating <= 2)


class RatingService:
    """Checks feedback against the conversation it rates and stores it.

    Feedback changes something: a poor rating (:func:`is_poor`) of an answer that came from or
    went into the answer cache evicts that entry (``evict``), so nobody else is served it again.
    """

    def __init__(
        self,
        conversations: ConversationStore,
        store: FeedbackStore,
        max_comment_chars: int = 1000,
        evict: Callable[[str], Awaitable[bool]] | None = None,
    ):
        self.conversations = conversations
        self.store = store
        self.max_comment_chars = max_comment_chars
        self.evict = evict

    async def submit(
        self,
        client_id: object,
        message_id: object,
        *,
        rating: object = None,
        thumb: object = None,
        comment: object = None,
    ) -> FeedbackRecord:
        cid = validate_client_id(client_id)
        stars = validate_rating(rating)
        direction = validate_thumb(thumb)
        text = validate_comment(comment, self.max_comment_chars)
        if stars is None and direction is None:
            raise InputError("Give a rating (1-5) or a thumb (up/down).", "Indica un voto (1-5) o un pollice (su/giù).")
        if not isinstance(message_id, str) or not message_id or len(message_id) > 64:
            raise InputError("A message_id is required.", "Serve un message_id.")
        answer, question = await self.conversations.find(cid, message_id)
        if answer is None or answer.role != "assistant":
            raise NotFound(
                "Unknown message_id for this client_id: rate an answer of your own conversation.",
                "message_id sconosciuto per questo client_id: valuta una risposta della tua conversazione.",
            )
        record = await self.store.save(
            Rating(
                client_id=cid,
                message_id=message_id,
                question=question.content if question else "",
                answer=answer.content,
                engine=str(answer.meta.get("engine", "")),
                model=str(answer.meta.get("model", "")),
                topic=answer.meta.get("topic"),
                rating=stars,
                thumb=direction,
                comment=text,
                article=answer.meta.get("article"),
            )
        )
        key = answer.meta.get("_cache_key")
        if self.evict is not None and key and is_poor(stars, direction):
            await self.evict(key)
        return record

    async def frame(self) -> pd.DataFrame:
        """Every record, oldest first, as a DataFrame (for the analytics)."""
        return records_frame(await self.store.records())
