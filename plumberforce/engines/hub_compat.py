"""The one place that touches a private part of huggingface_hub.

The remote engine lends huggingface_hub's per-request HTTP clients a connection pool of its own
through the public ``set_async_client_factory`` hook (see engines/remote.py); when no pool is
lent it must fall back to the library's own factory, which huggingface_hub only exposes in its
private ``utils._http`` module. ``tests/engines/test_hub_compat.py`` fails with a clear message
when a release moves or renames it.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx2

try:
    from huggingface_hub.utils._http import default_async_client_factory as _default_factory
except ImportError as exc:  # pragma: no cover - only on an incompatible huggingface_hub
    raise ImportError(
        "huggingface_hub no longer provides utils._http.default_async_client_factory; "
        "update plumberforce/engines/hub_compat.py for this release"
    ) from exc

default_async_client_factory: Callable[[], httpx2.AsyncClient] = _default_factory
