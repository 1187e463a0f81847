"""``python -m render_proxy``: read the settings from the environment, serve on ``$PORT``."""

from __future__ import annotations

import logging
import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # gradio_client's telemetry stays home

import uvicorn  # noqa: E402

from render_proxy.app import create_app  # noqa: E402
from render_proxy.settings import load_settings  # noqa: E402


def main() -> None:
    settings = load_settings()
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        access_log=False,
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        ws=settings.ws_impl,
        ws_max_size=max(4 * settings.max_frame_bytes, 65_536),  # bigger frames: closed with 1009
        ws_per_message_deflate=False,  # a zlib context per socket would cost more than the chat saves
        ws_ping_interval=20,
        ws_ping_timeout=20,
        timeout_graceful_shutdown=3,
    )


if __name__ == "__main__":
    main()
