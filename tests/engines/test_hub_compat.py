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
