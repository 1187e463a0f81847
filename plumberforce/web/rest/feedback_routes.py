"""POST /api/feedback, GET /api/feedback/summary, GET /api/feedback/export (CSV)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from plumberforce.ops import analytics
from plumberforce.stores.records import FeedbackRecord
from plumberforce.web.rest.deps import Protected, RatingsDep, RuntimeDep
from plumberforce.web.rest.schemas import CLIENT_ID_PATTERN, ERRORS, ErrorResponse

router = APIRouter(prefix="/api/feedback", tags=["feedback"], dependencies=Protected)


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
async def post_feedback(body: FeedbackRequest, ratings: RatingsDep, runtime: RuntimeDep) -> FeedbackResponse:
    """Rate an answer. A newer rating of the same message by the same client replaces the older."""
    record = await ratings.submit(
        body.client_id, body.message_id, rating=body.rating, thumb=body.thumb, comment=body.comment
    )
    runtime.metrics.observe_feedback(body.rating, body.thumb)
    return FeedbackResponse(record=record)


@router.get("/summary", responses=ERRORS)
async def feedback_summary(ratings: RatingsDep) -> dict[str, Any]:
    """count, mean rating, distribution 1-5, thumbs, by engine, by knowledge-base topic, per day."""
    return analytics.feedback_summary(await ratings.frame())


@router.get(
    "/export",
    response_class=Response,
    responses={**ERRORS, 200: {"content": {"text/csv": {}}, "description": "Every feedback record, CSV"}},
)
async def feedback_export(ratings: RatingsDep) -> Response:
    """Every feedback record as CSV (UTF-8, header row, one line per record)."""
    csv = (await ratings.frame()).to_csv(index=False)
    return Response(
        csv,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="plumberforce-feedback.csv"'},
    )
