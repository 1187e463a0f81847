"""The private part of huggingface_hub we rely on is still there and still does its job; if a
release moves it, this fails with the adapter to update (plumberforce/engines/hub_compat.py)."""

from __future__ import annotations

import asyncio

import httpx2
import huggingface_hub


def test_the_default_async_client_factory_still_builds_an_httpx2_client() -> None:
    from plumberforce.engines import hub_compat

    async def main() -> None:
        client = hub_compat.default_async_client_factory()
        assert isinstance(client, httpx2.AsyncClient), (
            f"huggingface_hub {huggingface_hub.__version__}: the default async client factory no longer "
            "builds an httpx2.AsyncClient; update plumberforce/engines/hub_compat.py"
        )
        await client.aclose()

    asyncio.run(main())


def test_the_public_hook_we_use_exists() -> None:
    assert callable(getattr(huggingface_hub, "set_async_client_factory", None)), (
        f"huggingface_hub {huggingface_hub.__version__} has no set_async_client_factory: "
        "update plumberforce/engines/remote.py"
    )


def test_chat_request_builds_what_chat_completion_sends_through_inference_providers() -> None:
    """The provider helper still routes a model id (provider "auto") and a base URL as we expect;
    what the request looks like on the wire is compared with chat_completion's in
    tests/engines/test_stream_conformance.py."""
    from huggingface_hub import AsyncInferenceClient

    from plumberforce.engines.hub_compat import chat_request

    hint = f"huggingface_hub {huggingface_hub.__version__}: update chat_request in plumberforce/engines/hub_compat.py"
    messages = [{"role": "user", "content": "hi"}]
    routed = chat_request(
        AsyncInferenceClient(model="org/model", provider="auto", token="hf_test"), messages, model="org/model"
    )
    assert routed.url.endswith("/v1/chat/completions") and routed.url.startswith("https://"), hint
    assert routed.headers.get("authorization") == "Bearer hf_test", hint
    assert routed.json == {"model": "org/model", "messages": messages, "stream": True}, hint
    direct = chat_request(
        AsyncInferenceClient(base_url="http://127.0.0.1:9/v1", api_key="k"), messages, model="m", max_tokens=5
    )
    assert direct.url == "http://127.0.0.1:9/v1/chat/completions", hint
    assert direct.json == {"model": "m", "messages": messages, "max_tokens": 5, "stream": True}, hint
