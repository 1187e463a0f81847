"""GET /api/health (liveness, never needs a key) and GET /api/status (readiness, summary)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from plumberforce.api.deps import Protected, RuntimeDep
from plumberforce.api.models import ERRORS, HealthResponse

router = APIRouter(prefix="/api", tags=["system"])


@router.get("/health", response_model=HealthResponse)
async def health() -> HealthResponse:
    """The process is up (no auth, no work)."""
    return HealthResponse(status="ok")


@router.get("/status", dependencies=Protected, responses=ERRORS)
async def status(runtime: RuntimeDep, response: Response) -> dict[str, Any]:
    """Readiness and a summary: engine, knowledge base, conversations, cache, uptime."""
    body = runtime.status()
    if body["status"] != "ready":
        response.status_code = 503
    return body
