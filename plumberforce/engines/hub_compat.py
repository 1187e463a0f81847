"""The one place that touches private parts of huggingface_hub.

1. The remote engine lends huggingface_hub's per-request HTTP clients a connection pool of its
   own through the public ``set_async_client_factory`` hook (see engines/remote.py); when no pool
   is lent it must fall back to the library's own factory, which huggingface_hub only exposes in
   its private ``utils._http`` module.
2. The fast stream reader (engines/stream_reader.py) sends the request that
   ``AsyncInferenceClient.chat_completion(..., stream=True)`` would send, and reads the stream
   itself. What differs between providers (routing, URL, headers, payload) stays
   huggingface_hub's: :func:`chat_request` repeats the steps of ``chat_completion`` (huggingface_hub
   2.4) with its provider helper, ``inference._providers.get_provider_helper``.

``tests/engines/test_hub_compat.py`` fails with a clear message when a release moves or renames
either, or when :func:`chat_request` no longer sends what ``chat_completion`` sends.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx2
from huggingface_hub import AsyncInferenceClient

try:
    from huggingface_hub.inference._providers import get_provider_helper
    from huggingface_hub.utils._http import default_async_client_factory as _default_factory
except ImportError as exc:  # pragma: no cover - only on an incompatible huggingface_hub
    raise ImportError(
        "huggingface_hub no longer provides utils._http.default_async_client_factory or "
        "inference._providers.get_provider_helper; update plumberforce/engines/hub_compat.py for this release"
    ) from exc

default_async_client_factory: Callable[[], httpx2.AsyncClient] = _default_factory


@dataclass(frozen=True)
class ChatRequest:
    """The HTTP request of one streamed chat completion, as huggingface_hub builds it."""

    url: str
    headers: dict[str, Any]
    json: Any
    data: bytes | None
    cookies: dict[str, str] | None


def chat_request(client: AsyncInferenceClient, messages: list[dict], *, model: str, **parameters: Any) -> ChatRequest:
    """What ``client.chat_completion(messages, model=model, stream=True, **parameters)`` sends.

    The same steps as huggingface_hub 2.4's ``AsyncInferenceClient.chat_completion``: the
    client's model (or base URL) picks the route, ``model`` goes in the payload, and the provider
    helper prepares URL, headers (token, user agent) and payload (``None`` values left out).
    """
    model_id_or_url = client.model or model
    payload_model = model or client.model
    is_url = model_id_or_url is not None and model_id_or_url.startswith(("http://", "https://"))
    helper = get_provider_helper(
        client.provider, task="conversational", model=model_id_or_url if is_url else payload_model
    )
    prepared = helper.prepare_request(
        inputs=messages,
        parameters={"model": payload_model, **parameters, "stream": True},
        headers=client.headers,
        model=model_id_or_url,
        api_key=client.token,
    )
    return ChatRequest(prepared.url, prepared.headers, prepared.json, prepared.data, client.cookies)
