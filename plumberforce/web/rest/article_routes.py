"""GET /api/articles/{article_id}: one knowledge-base article, whole, in both languages.

For programs (and the Render proxy's article page). People follow the offline answer's link to
the same article as a page, ``/articles/<id>`` (:mod:`plumberforce.web.article_page`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from plumberforce.errors import NotFound, NotReady
from plumberforce.knowledge import Article
from plumberforce.web.rest.deps import Protected, RuntimeDep
from plumberforce.web.rest.schemas import ERRORS, ErrorResponse, SourceModel

router = APIRouter(prefix="/api/articles", tags=["knowledge"], dependencies=Protected)
ArticleId = Annotated[
    str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,119}$", description="The article id (its file name), e.g. queueable-apex.")
]
NOT_FOUND = {404: {"model": ErrorResponse, "description": "No article has this id"}}


class Localised(BaseModel):
    en: str
    it: str


class FactModel(BaseModel):
    label: Localised
    value: str


class SectionsModel(BaseModel):
    approach: Localised
    best_practices: Localised
    alternatives: Localised


class ArticleResponse(BaseModel):
    """A whole article: titles, topic, official links, summaries, facts and sections in both languages."""

    id: str
    title: Localised
    topic: str
    summary: Localised
    sections: SectionsModel = Field(description="Markdown; code blocks are in the English approach")
    facts: list[FactModel]
    links: list[SourceModel]
    tags: list[str]
    tags_it: list[str]


def _localised(article: Article, name: str) -> Localised:
    en, it = {"approach": ("Approach", "Approccio"), "best_practices": ("Best practices", "Buone pratiche")}.get(
        name, ("Alternatives", "Alternative")
    )
    return Localised(en=article.sections.get(en, ""), it=article.sections.get(it, ""))


def article_body(article: Article) -> ArticleResponse:
    return ArticleResponse(
        id=article.id,
        title=Localised(en=article.title, it=article.title_it),
        topic=article.topic,
        summary=Localised(en=article.summary, it=article.summary_it),
        sections=SectionsModel(
            approach=_localised(article, "approach"),
            best_practices=_localised(article, "best_practices"),
            alternatives=_localised(article, "alternatives"),
        ),
        facts=[FactModel(label=Localised(en=f.label, it=f.label_it), value=f.value) for f in article.facts],
        links=[SourceModel(title=s.title, url=s.url) for s in article.links],
        tags=list(article.tags),
        tags_it=list(article.tags_it),
    )


@router.get("/{article_id}", response_model=ArticleResponse, responses={**ERRORS, **NOT_FOUND})
async def get_article(article_id: ArticleId, runtime: RuntimeDep) -> ArticleResponse:
    """One article of the offline knowledge base, whole, in English and Italian."""
    if runtime.kb is None:
        raise NotReady()
    article = runtime.kb.by_id.get(article_id)
    if article is None:
        raise NotFound(
            f"No knowledge-base article has the id '{article_id}'.",
            f"Nessun articolo della knowledge base ha l'id '{article_id}'.",
        )
    return article_body(article)
