"""What anyone may see: the text moderators approved, as they approved it, and aggregates.
No audio, no raw text, no booth, no time of day (with a known booth, a time can point at
a caller)."""

from collections import Counter
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import func, select

from ingest.models import Clip, ClipStatus, Moderation, Theme
from ingest.params import Cursor, SlugFilter, Words
from ingest.queries import Order, page_of, readable_by_public
from ingest.routes.deps import SessionDep
from ingest.schemas import utc
from ingest.words import top_words

router = APIRouter(prefix="/public", tags=["public"])


class PublicClip(BaseModel):
    id: str
    neighborhood: str
    theme: str
    recorded_on: date = Field(description="the day only")
    text: str = Field(description="as the moderator approved it, personal data hidden")


class PublicPage(BaseModel):
    items: list[PublicClip]
    next_cursor: str | None


class PublicCount(BaseModel):
    neighborhood: str
    theme: str
    received: int = Field(description="spoken messages received, published or not")
    published: int = Field(description="messages a moderator approved for this site")


class PublicStats(BaseModel):
    counts: list[PublicCount]
    total_received: int
    total_published: int


class PublicTheme(BaseModel):
    slug: str
    title: str
    question: str
    live: bool = Field(description="asked in the booths today")
    starts_on: date | None
    ends_on: date | None
    we_did: str | None = Field(description='"Det sagde I - det gjorde vi", by the city')


@router.get("/clips", response_model=PublicPage, responses={400: {"description": "bad cursor"}})
def public_clips(
    session: SessionDep,
    neighborhood: SlugFilter = None,
    theme: SlugFilter = None,
    order: Order = "newest",
    cursor: Cursor = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    q: Words = None,
) -> PublicPage:
    """Approved messages, as approved; `q` searches their published words (Danish and
    English forms: "cykel" finds cyklen, cykler, cykelsti)."""
    query = readable_by_public(select(Clip), session, neighborhood, theme, q)
    page, next_cursor = page_of(session, query, order, cursor, limit)
    items = [
        PublicClip(
            id=c.id,
            neighborhood=c.neighborhood,
            theme=c.theme,
            recorded_on=utc(c.recorded_at).date(),
            text=c.published_text or "",
        )
        for c in page
    ]
    return PublicPage(items=items, next_cursor=next_cursor)


@router.get("/stats", response_model=PublicStats)
def public_stats(session: SessionDep) -> PublicStats:
    """How many messages each neighborhood left on each theme (speech only)."""
    spoken = Clip.status == ClipStatus.TRANSCRIBED
    rows = session.execute(
        select(Clip.neighborhood, Clip.theme, Clip.moderation, func.count())
        .where(spoken)
        .group_by(Clip.neighborhood, Clip.theme, Clip.moderation)
    ).all()
    received: Counter[tuple[str, str]] = Counter()
    published: Counter[tuple[str, str]] = Counter()
    for neighborhood, theme, moderation, count in rows:
        received[(neighborhood, theme)] += count
        if moderation == Moderation.APPROVED:
            published[(neighborhood, theme)] += count
    counts = [
        PublicCount(neighborhood=n, theme=t, received=c, published=published[(n, t)])
        for (n, t), c in sorted(received.items())
    ]
    return PublicStats(
        counts=counts,
        total_received=sum(received.values()),
        total_published=sum(published.values()),
    )


class PublicWord(BaseModel):
    word: str = Field(description="the form people used most")
    count: int = Field(description="uses of all its forms (cykel, cyklen, cykler)")


@router.get("/words", response_model=list[PublicWord])
def public_words(
    session: SessionDep,
    neighborhood: SlugFilter = None,
    theme: SlugFilter = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[PublicWord]:
    """The words used most in published messages, stop words and fillers left out."""
    rows = session.execute(
        readable_by_public(select(Clip.published_text, Clip.language), session, neighborhood, theme)
    ).all()
    counted = top_words(((text or "", language) for text, language in rows), limit)
    return [PublicWord(word=word, count=count) for word, count in counted]


@router.get("/themes", response_model=list[PublicTheme])
def public_themes(session: SessionDep) -> list[PublicTheme]:
    """The questions asked today, and past ones the city has answered."""
    today = datetime.now(UTC).date()
    themes = session.scalars(select(Theme).order_by(Theme.slug))
    return [
        PublicTheme(
            slug=t.slug,
            title=t.title,
            question=t.question,
            live=t.live_on(today),
            starts_on=t.starts_on,
            ends_on=t.ends_on,
            we_did=t.we_did,
        )
        for t in themes
        if t.live_on(today) or t.we_did
    ]
