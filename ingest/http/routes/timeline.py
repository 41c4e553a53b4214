"""A theme's timeline, "det gjorde vi" step by step: planners add, change and remove dated
steps (received, being looked into, decided, done), each for one neighborhood or the whole
city, and link the published messages a step answers. The public reads them with the
theme (/public/themes, /public/neighborhoods/{name}/themes)."""

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Response
from fastapi import Path as PathParam
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest.http.deps import AUTH_ERRORS, Planner, Reader, SessionDep
from ingest.http.params import CLIP_ID_PATTERN, ThemeSlug
from ingest.http.routes.public import PublicStep, public_steps
from ingest.http.schemas import IsoDate
from ingest.publish.places import names
from ingest.review.audit import record
from ingest.store.models import Clip, StepQuote, StepStage, Theme, ThemeStep, public
from shared.topics import SLUG_PATTERN

router = APIRouter(prefix="/api/themes", tags=["themes"], responses=AUTH_ERRORS)

NO_THEME = "Temaet findes ikke. / No such theme."
NO_STEP = "Trinnet findes ikke i temaet. / No such step in this theme."
NOT_PUBLIC = (
    "Kun offentliggjorte beskeder kan knyttes til et trin. / "
    "Only published messages can be linked to a step:"
)
NO_NEIGHBORHOOD = "Bydelen findes ikke. / No such neighborhood:"
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "no such theme or step"}}
REFUSED: dict[int | str, dict[str, Any]] = {
    422: {"description": "invalid, an unknown neighborhood, or a message that is not public"}
}
# Text a planner writes: line breaks allowed, no other control characters.
TEXT_PATTERN = r"^[^\x00-\x09\x0b-\x1f\x7f]*$"

StepId = Annotated[int, PathParam(ge=1, le=2_147_483_647, description="the step's id")]


class StepIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    stage: StepStage = Field(description="modtaget -> undersøges -> besluttet -> udført")
    happened_on: IsoDate = Field(description="the day it happened, in the city's time zone")
    text: str = Field(min_length=1, max_length=1000, pattern=TEXT_PATTERN)
    neighborhood: str | None = Field(
        default=None, pattern=SLUG_PATTERN, description="the one it concerns; null: the city"
    )
    clip_ids: list[Annotated[str, Field(pattern=CLIP_ID_PATTERN)]] = Field(
        default_factory=list,
        max_length=20,
        description="published messages the step answers; others are refused",
    )


class StepOut(PublicStep):
    theme: str
    clip_ids: list[str] = Field(description="every message linked, public now or not")
    created_at: datetime
    updated_at: datetime


def _theme(session: Session, slug: str) -> Theme:
    theme = session.get(Theme, slug)
    if theme is None:
        raise HTTPException(404, NO_THEME)
    return theme


def _step(session: Session, slug: str, step_id: int) -> ThemeStep:
    _theme(session, slug)
    step = session.get(ThemeStep, step_id)
    if step is None or step.theme != slug:
        raise HTTPException(404, NO_STEP)
    return step


def _checked(session: Session, body: StepIn) -> list[str]:
    """The body's message ids, once each, refused unless every one is public, and its
    neighborhood refused unless the city knows it."""
    if body.neighborhood is not None and body.neighborhood not in names(session).neighborhoods:
        raise HTTPException(422, f"{NO_NEIGHBORHOOD} {body.neighborhood}")
    wanted = list(dict.fromkeys(body.clip_ids))
    shown = set(session.scalars(select(Clip.id).where(Clip.id.in_(wanted), public(Clip))))
    refused = [c for c in wanted if c not in shown]
    if refused:
        raise HTTPException(422, f"{NOT_PUBLIC} {', '.join(refused)}")
    return wanted


def _out(session: Session, slug: str, steps: list[ThemeStep]) -> list[StepOut]:
    """The steps as the public reads them, with every linked id beside."""
    shown = {s.id: s for s in public_steps(session, [slug])[slug]}
    return [
        StepOut(
            **shown[step.id].model_dump(),
            theme=step.theme,
            clip_ids=sorted(q.clip_id for q in step.quotes),
            created_at=step.created_at,
            updated_at=step.updated_at,
        )
        for step in steps
    ]


def _fill(step: ThemeStep, body: StepIn, clip_ids: list[str]) -> None:
    step.stage = body.stage
    step.happened_on = body.happened_on
    step.text = body.text
    step.neighborhood = body.neighborhood
    step.quotes = [StepQuote(clip_id=c) for c in clip_ids]
    step.updated_at = datetime.now(UTC)


@router.get("/{slug}/steps", response_model=list[StepOut], responses=NOT_FOUND)
def list_steps(slug: ThemeSlug, session: SessionDep, _who: Reader) -> list[StepOut]:
    """The theme's steps, oldest first."""
    _theme(session, slug)
    steps = session.scalars(
        select(ThemeStep)
        .where(ThemeStep.theme == slug)
        .order_by(ThemeStep.happened_on, ThemeStep.id)
    )
    return _out(session, slug, list(steps))


@router.post(
    "/{slug}/steps",
    response_model=StepOut,
    status_code=201,
    responses={**NOT_FOUND, **REFUSED},
)
def add_step(slug: ThemeSlug, body: StepIn, session: SessionDep, who: Planner) -> StepOut:
    """A new step on the theme's timeline."""
    _theme(session, slug)
    clip_ids = _checked(session, body)
    step = ThemeStep(theme=slug, created_at=datetime.now(UTC))
    _fill(step, body, clip_ids)
    session.add(step)
    session.flush()
    record(session, who, "theme_step_add", None, _detail(step, clip_ids))
    session.commit()
    return _out(session, slug, [step])[0]


@router.put("/{slug}/steps/{step_id}", response_model=StepOut, responses={**NOT_FOUND, **REFUSED})
def change_step(
    slug: ThemeSlug, step_id: StepId, body: StepIn, session: SessionDep, who: Planner
) -> StepOut:
    """Change a step: its stage, day, text, neighborhood and linked messages, all at once."""
    step = _step(session, slug, step_id)
    clip_ids = _checked(session, body)
    _fill(step, body, clip_ids)
    record(session, who, "theme_step_update", None, _detail(step, clip_ids))
    session.commit()
    return _out(session, slug, [step])[0]


@router.delete(
    "/{slug}/steps/{step_id}",
    status_code=204,
    response_class=Response,
    responses=NOT_FOUND,
)
def remove_step(slug: ThemeSlug, step_id: StepId, session: SessionDep, who: Planner) -> Response:
    """Remove a step (its links go with it; the messages stay)."""
    step = _step(session, slug, step_id)
    record(session, who, "theme_step_delete", None, {"theme": slug, "step": step.id})
    session.delete(step)
    session.commit()
    return Response(status_code=204)


def _detail(step: ThemeStep, clip_ids: list[str]) -> dict[str, object]:
    return {
        "theme": step.theme,
        "step": step.id,
        "stage": step.stage,
        "happened_on": step.happened_on.isoformat(),
        "clip_ids": clip_ids,
    }
