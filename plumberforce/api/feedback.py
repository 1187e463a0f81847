"""POST /api/feedback, GET /api/feedback/summary, GET /api/feedback/export (CSV)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from plumberforce import analytics
from plumberforce.api.deps import Protected, RuntimeDep
from plumberforce.api.models import CLIENT_ID_PATTERN, ERRORS, ErrorResponse
from plumberforce.feedback import FeedbackService
from plumberforce.stores.feedback import FeedbackRecord

router = APIRouter(prefix="/api/feedback", tags=["feedback"], dependencies=Protected)


def get_feedback(runtime: RuntimeDep) -> FeedbackService:
    return runtime.feedback


FeedbackDep = Annotated[FeedbackService, Depends(get_feedback)]


class FeedbackRequest(BaseModel):
    """A rating of one answer: 1-5 stars and/or a thumb, with an optional comment."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"client_id": "demo-1", "message_id": "0f...", "rating": 5, "comment": "Spot on"}],
            # at least one of rating and thumb (checked by the service, which answers 400)
            "anyOf": [
                {"required": ["rating"], "properties": {"rating": {"type": "integer"}}},
                {"required": ["thumb"], "properties": {"thumb": {"enum": ["up", "down"]}}},
            ],
        },
    )

    client_id: str = Field(pattern=CLIENT_ID_PATTERN)
    message_id: str = Field(min_length=1, max_length=64)
    rating: int | None = Field(None, description="1 to 5", json_schema_extra={"minimum": 1, "maximum": 5})
    thumb: Literal["up", "down"] | None = None
    comment: str | None = Field(None, description="At most PLUMBERFORCE_MAX_COMMENT_CHARS characters")


class FeedbackResponse(BaseModel):
    ok: bool = True
    record: FeedbackRecord


@router.post(
    "",
    response_model=FeedbackResponse,
    responses={**ERRORS, 404: {"model": ErrorResponse, "description": "Unknown message id for this client"}},
)
async def post_feedback(body: FeedbackRequest, feedback: FeedbackDep, runtime: RuntimeDep) -> FeedbackResponse:
    """Rate an answer. A newer rating of the same message by the same client replaces the older."""
    record = feedback.submit(
        body.client_id, body.message_id, rating=body.rating, thumb=body.thumb, comment=body.comment
    )
    runtime.metrics.observe_feedback(body.rating, body.thumb)
    return FeedbackResponse(record=record)


@router.get("/summary", responses=ERRORS)
async def feedback_summary(feedback: FeedbackDep) -> dict[str, Any]:
    """count, mean rating, distribution 1-5, thumbs, by engine, by knowledge-base topic, per day."""
    return analytics.feedback_summary(feedback.store.frame())


@router.get(
    "/export",
    response_class=Response,
    responses={**ERRORS, 200: {"content": {"text/csv": {}}, "description": "Every feedback record, CSV"}},
)
async def feedback_export(feedback: FeedbackDep) -> Response:
    """Every feedback record as CSV (UTF-8, header row, one line per record)."""
    csv = feedback.store.frame().to_csv(index=False)
    return Response(
        csv,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="plumberforce-feedback.csv"'},
    )
