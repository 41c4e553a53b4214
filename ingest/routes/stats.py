"""Counts for planners: by neighborhood, theme and day or week."""

from collections import Counter, defaultdict
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from sqlalchemy import select

from ingest.aggregates import monday
from ingest.auth import AUTH_ERRORS, Reader
from ingest.city_time import city_day
from ingest.models import Clip, ClipStatus
from ingest.queries import ClipFilter
from ingest.routes.deps import SessionDep

router = APIRouter(prefix="/api/stats", tags=["stats"], responses=AUTH_ERRORS)


class Group(BaseModel):
    neighborhood: str
    theme: str
    period: date  # the day, or the Monday of the week
    clips: int
    duration_s: float


class Stats(BaseModel):
    groups: list[Group]
    total_clips: int
    total_duration_s: float
    languages: dict[str, int]
    no_speech_share: float


def period_start(day: date, period: Literal["day", "week"]) -> date:
    return day if period == "day" else monday(day)


@router.get("", response_model=Stats)
def stats(
    session: SessionDep,
    _who: Reader,
    where: Annotated[ClipFilter, Depends()],
    period: Literal["day", "week"] = "day",
) -> Stats:
    columns = (Clip.neighborhood, Clip.theme, Clip.recorded_at, Clip.duration_ms, Clip.language)
    rows = session.execute(where.apply(select(*columns, Clip.status), session)).all()
    counts: Counter[tuple[str, str, date]] = Counter()
    durations: defaultdict[tuple[str, str, date], float] = defaultdict(float)
    languages: Counter[str] = Counter()
    no_speech = 0
    for neighborhood, theme, recorded_at, duration_ms, language, status in rows:
        key = (neighborhood, theme, period_start(city_day(recorded_at), period))
        counts[key] += 1
        durations[key] += duration_ms / 1000
        if language:
            languages[language] += 1
        no_speech += status == ClipStatus.NO_SPEECH
    groups = [
        Group(neighborhood=n, theme=t, period=p, clips=c, duration_s=round(durations[(n, t, p)], 1))
        for (n, t, p), c in sorted(counts.items())
    ]
    return Stats(
        groups=groups,
        total_clips=len(rows),
        total_duration_s=round(sum(durations.values()), 1),
        languages=dict(languages),
        no_speech_share=round(no_speech / len(rows), 3) if rows else 0.0,
    )
