"""Checks on what people send, shared by every door (REST, SSE, Gradio, named endpoints).

One definition of each rule, used by the checks here and by the OpenAPI schema
(:mod:`plumberforce.web.rest.schemas`), so that the schema and the service agree on every input:

- a client id is 1 to 64 letters, digits, ``-`` or ``_`` (:data:`CLIENT_ID_PATTERN`);
- a question is blank when every character is whitespace as Python's ``str.strip()`` sees it
  (which includes the ASCII separators U+001C-U+001F, unlike JSON Schema's ``\\s``): the schema's
  :data:`NON_BLANK_PATTERN` names those characters one by one, so every regex engine agrees.
"""

from __future__ import annotations

import re
import sys
import uuid

from plumberforce.errors import InputError

CLIENT_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
CLIENT_ID = re.compile(CLIENT_ID_PATTERN)
WHITESPACE = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())


def _char_class(chars: str) -> str:
    return "".join(f"\\u{ord(c):04x}" for c in chars)


NON_BLANK_PATTERN = f"[^{_char_class(WHITESPACE)}]"  # at least one character str.strip() keeps


def is_blank(text: str) -> bool:
    return not text.strip()


def new_client_id() -> str:
    return uuid.uuid4().hex


def validate_client_id(client_id: object, *, allow_empty: bool = False) -> str:
    """A valid client id (letters, digits, '-', '_', 1-64), or a new one when empty is allowed."""
    if client_id is None or (isinstance(client_id, str) and not client_id.strip()):
        if allow_empty:
            return new_client_id()
        raise InputError("A client_id is required.", "Serve un client_id.")
    if not isinstance(client_id, str) or not CLIENT_ID.match(client_id):
        raise InputError(
            "Invalid client_id: use 1 to 64 letters, digits, '-' or '_'.",
            "client_id non valido: usa da 1 a 64 lettere, cifre, '-' o '_'.",
        )
    return client_id


def validate_conversation_id(conversation_id: object) -> str | None:
    """None (the current conversation), or a well-formed conversation id."""
    if conversation_id is None or conversation_id == "":
        return None
    if not isinstance(conversation_id, str) or not CLIENT_ID.match(conversation_id):
        raise InputError(
            "Invalid conversation_id: use 1 to 64 letters, digits, '-' or '_'.",
            "conversation_id non valido: usa da 1 a 64 lettere, cifre, '-' o '_'.",
        )
    return conversation_id


def validate_question(question: object, max_chars: int) -> str:
    """The question without surrounding spaces; refuses empty, non-text and over-long ones."""
    if not isinstance(question, str):
        raise InputError("The question must be text.", "La domanda deve essere un testo.")
    if is_blank(question):
        raise InputError("The question is empty.", "La domanda è vuota.")
    text = question.strip()
    if len(text) > max_chars:
        raise InputError(
            f"The question is too long: {len(text)} characters, the limit is {max_chars}.",
            f"La domanda è troppo lunga: {len(text)} caratteri, il limite è {max_chars}.",
        )
    return text
