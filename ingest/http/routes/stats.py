"""Counts for planners: by neighborhood, theme and day or week, days as the city has them;
and the words used most in the published messages of any selection (a period, for the
council report: the public word counts hold every message ever published)."""

from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ingest import city_time
from ingest.city_time import city_day
from ingest.http.deps import AUTH_ERRORS, Reader, SessionDep
from ingest.http.params import Filters
from ingest.language.words import top_words
from ingest.publish.aggregates import monday
from ingest.store.models import Clip, ClipStatus, public
from ingest.store.queries import ClipFilter

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


# neighborhood, theme, the city's day, language, status, clips, milliseconds
Tally = tuple[str, str, date, str | None, str, int, int]


def tallies(session: Session, where: ClipFilter) -> Iterator[Tally]:
    """The matching clips counted per city day. PostgreSQL counts them itself, in the city's
    zone (a city's years of messages never leave the database); SQLite, which knows no zones,
    hands over the rows of its one-box pilot and Python finds each one's day."""
    columns = (Clip.neighborhood, Clip.theme, Clip.language, Clip.status)
    if session.get_bind().dialect.name == "postgresql":
        day = func.date(func.timezone(city_time.zone().key, Clip.recorded_at)).label("day")
        query = select(*columns, day, func.count(), func.sum(Clip.duration_ms))
        for n, t, lang, status, on, clips, ms in session.execute(
            where.apply(query, session).group_by(*columns, day)
        ):
            yield n, t, on, lang, status, clips, int(ms or 0)
        return
    query = select(*columns, Clip.recorded_at, Clip.duration_ms)
    for n, t, lang, status, recorded_at, ms in session.execute(where.apply(query, session)):
        yield n, t, city_day(recorded_at), lang, status, 1, ms


@router.get("", response_model=Stats)
def stats(
    session: SessionDep,
    _who: Reader,
    where: Filters,
    period: Literal["day", "week"] = "day",
) -> Stats:
    counts: Counter[tuple[str, str, date]] = Counter()
    durations: defaultdict[tuple[str, str, date], float] = defaultdict(float)
    languages: Counter[str] = Counter()
    total = no_speech = 0
    for neighborhood, theme, day, language, status, clips, ms in tallies(session, where):
        key = (neighborhood, theme, period_start(day, period))
        counts[key] += clips
        durations[key] += ms / 1000
        if language:
            languages[language] += clips
        total += clips
        no_speech += clips if status == ClipStatus.NO_SPEECH else 0
    groups = [
        Group(neighborhood=n, theme=t, period=p, clips=c, duration_s=round(durations[(n, t, p)], 1))
        for (n, t, p), c in sorted(counts.items())
    ]
    return Stats(
        groups=groups,
        total_clips=total,
        total_duration_s=round(sum(durations.values()), 1),
        languages=dict(languages),
        no_speech_share=round(no_speech / total, 3) if total else 0.0,
    )


class Word(BaseModel):
    word: str = Field(description="the form used most")
    count: int = Field(description="uses of all its forms (cykel, cyklen, cykler)")


# Read in one go: a theme's messages over a period are thousands at most, their words counted
# here as the public counts are (ingest.language.words), stop words and fillers left out.
WORDS_SCAN_LIMIT = 20_000


@router.get("/words", response_model=list[Word])
def words(
    session: SessionDep,
    _who: Reader,
    where: Filters,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[Word]:
    """The words used most in the published text of the selected messages (the newest
    20,000 of them): what the public read, over the period asked."""
    query = where.apply(select(Clip.published_text, Clip.language).where(public(Clip)), session)
    rows = session.execute(query.order_by(Clip.recorded_at.desc()).limit(WORDS_SCAN_LIMIT))
    ranked = top_words(((text or "", language) for text, language in rows), limit)
    return [Word(word=word, count=count) for word, count in ranked]
