"""Entry point of the Hugging Face Space: ``python space_app.py``.

Reads the settings from the environment (and ``.env``), builds the app and serves it with
uvicorn on ``0.0.0.0:$PORT`` (7860 by default). A bad setting stops start-up with a message
naming the variable.
"""

from __future__ import annotations

import asyncio
import logging
import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before gradio is imported

import uvicorn  # noqa: E402

from plumberforce.settings import load_settings  # noqa: E402
from plumberforce.web.app import create_app  # noqa: E402


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = load_settings()
    if settings.redis_url is not None:  # a wrong Redis password stops start-up here, naming the variable
        from plumberforce.stores.redis_client import verify

        asyncio.run(verify(settings))
    app = create_app(settings)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level="info",
        timeout_graceful_shutdown=5,
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
    )


if __name__ == "__main__":
    main()
