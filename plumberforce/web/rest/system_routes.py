"""GET /api/health (liveness, never needs a key), GET /api/status (readiness, summary) and
GET /metrics (Prometheus text format)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from plumberforce.web.rest.deps import Protected, RuntimeDep
from plumberforce.web.rest.schemas import ERRORS, HealthResponse

router = APIRouter(prefix="/api", tags=["system"])
metrics_router = APIRouter(tags=["system"], dependencies=Protected)


@router.get("/health", response_model=HealthResponse)
async def health() -> HealthResponse:
    """The process is up (no auth, no work)."""
    return HealthResponse(status="ok")


@router.get("/status", dependencies=Protected, responses=ERRORS)
async def status(runtime: RuntimeDep, response: Response) -> dict[str, Any]:
    """Readiness (``ready``, ``degraded`` with ``problems`` naming what is wrong, or ``starting``)
    and a summary: engine, knowledge base, storage, conversations, cache, uptime, replica."""
    body = await runtime.status()
    if body["status"] == "starting":
        response.status_code = 503  # degraded still answers 200: the body names the problem
    return body


@metrics_router.get(
    "/metrics",
    response_class=Response,
    responses={**ERRORS, 200: {"content": {"text/plain": {}}, "description": "Prometheus text format"}},
)
async def metrics(runtime: RuntimeDep) -> Response:
    """Request counts and latency histograms by engine and outcome, cache, feedback, conversations."""
    return Response(
        runtime.metrics.render(await runtime.gauges()), media_type="text/plain; version=0.0.4; charset=utf-8"
    )
