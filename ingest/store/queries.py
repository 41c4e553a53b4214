"""Selecting clips: the filters every planner view shares, full-text search, cursors."""

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, TypeVar

from sqlalchemy import Select, and_, func, or_, select, text, true
from sqlalchemy.orm import Session

from ingest.errors import IngestError
from ingest.language.words import query_terms
from ingest.store.models import Clip, public

Status = Literal["received", "transcribing", "transcribed", "no_speech", "failed"]
ModerationState = Literal["pending", "approved", "hidden", "flagged", "needs_correction"]
Order = Literal["newest", "oldest"]
# Which text a search reads: the raw transcript (moderators, admins), the transcript as
# redacted for planners (the moderator's spans applied), or what the public may read.
Reading = Literal["raw", "redacted", "published"]
_TERMS = {"raw": "search_terms", "redacted": "redacted_terms", "published": "published_terms"}
_FTS = {"raw": "terms", "redacted": "redacted", "published": "published"}
AnySelect = TypeVar("AnySelect", bound=Select[*tuple[Any, ...]])


class QueryError(IngestError):
    """A selection that cannot be made: a time out of range."""


class BadCursor(QueryError):
    """A cursor this service did not make, or made for another ordering."""


def to_utc(moment: datetime | None) -> datetime | None:
    """Times compare in UTC; a time given without a zone is taken as UTC."""
    if moment is None:
        return None
    try:
        aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return aware.astimezone(UTC)
    except (OverflowError, ValueError) as exc:
        raise QueryError(f"time out of range: {moment}") from exc


@dataclass
class ClipFilter:
    """The filters every planner view shares (built from a request by ingest.http.params)."""

    neighborhood: str | None = None
    theme: str | None = None
    booth: str | None = None
    status: Status | None = None
    moderation: ModerationState | None = None
    language: str | None = None
    recorded_from: datetime | None = None  # inclusive
    recorded_to: datetime | None = None  # exclusive
    q: str | None = None

    def given(self) -> dict[str, str]:
        """The filters set, as text (what an audit entry keeps of a selection)."""
        return {
            name: value.isoformat() if isinstance(value, datetime) else str(value)
            for name, value in vars(self).items()
            if value is not None
        }

    def apply(
        self, query: AnySelect, session: Session, *, reading: Reading = "redacted"
    ) -> AnySelect:
        """`reading`: the text a search matches, as the caller may read it."""
        for column, value in (
            (Clip.neighborhood, self.neighborhood),
            (Clip.theme, self.theme),
            (Clip.booth_id, self.booth),
            (Clip.status, self.status),
            (Clip.moderation, self.moderation),
            (Clip.language, self.language),
        ):
            if value is not None:
                query = query.where(column == value)
        if (start := to_utc(self.recorded_from)) is not None:
            query = query.where(Clip.recorded_at >= start)
        if (end := to_utc(self.recorded_to)) is not None:
            query = query.where(Clip.recorded_at < end)
        if self.q and self.q.strip():
            query = query.where(_matches(self.q, session, reading))
        return query


def readable_by_public(
    query: AnySelect,
    session: Session,
    neighborhood: str | None = None,
    theme: str | None = None,
    q: str | None = None,
) -> AnySelect:
    """What the public may read, in one place: approved transcripts as approved, and a
    search over their published words only."""
    where = ClipFilter(neighborhood=neighborhood, theme=theme, q=q)
    return where.apply(query, session, reading="published").where(public(Clip))


def _matches(query: str, session: Session, reading: Reading) -> Any:
    """Clips whose stems match every word of `query` (ingest.language.words: Danish and English,
    prefixes) in the text `reading`."""
    terms = query_terms(query)
    if not terms:
        return true()
    column = getattr(Clip, _TERMS[reading])
    if session.get_bind().dialect.name == "postgresql":
        # Stems are letters only (ingest.language.words), so they are safe inside to_tsquery.
        expression = " & ".join(
            "(" + " | ".join(t + (":*" if prefix else "") for t, prefix in options) + ")"
            for options in terms
        )
        vector = func.to_tsvector("simple", func.coalesce(column, ""))
        return vector.op("@@")(func.to_tsquery("simple", expression))
    fts_column = _FTS[reading]
    expression = " AND ".join(
        "("
        + " OR ".join(f'{fts_column} : "{t}"' + ("*" if prefix else "") for t, prefix in options)
        + ")"
        for options in terms
    )
    found = select(text("clip_id")).select_from(text("clips_fts")).where(text("clips_fts MATCH :q"))
    return Clip.id.in_(found.params(q=expression))


def ordered(query: Select[Any], order: Order) -> Select[Any]:
    if order == "oldest":
        return query.order_by(Clip.recorded_at.asc(), Clip.id.asc())
    return query.order_by(Clip.recorded_at.desc(), Clip.id.desc())


CURSOR_PATTERN = r"^[A-Za-z0-9_-]{24,200}$"
_TAG_BYTES = 16
_ORDERS: dict[str, Order] = {"n": "newest", "o": "oldest"}


def _tag(key: bytes, body: bytes) -> bytes:
    return hmac.new(key, b"cursor\0" + body, hashlib.sha256).digest()[:_TAG_BYTES]


def encode_cursor(clip: Clip, order: Order, key: bytes) -> str:
    """Where the next page starts: the last clip's id (the page shows it) and the order,
    signed with the service's key. It carries no time: paging with hand-made cursors
    cannot date a clip."""
    body = (order[0] + clip.id).encode()
    return base64.urlsafe_b64encode(_tag(key, body) + body).decode().rstrip("=")


def _cursor_clip(cursor: str, order: Order, key: bytes) -> str:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    except (ValueError, binascii.Error) as exc:
        raise BadCursor("bad cursor") from exc
    tag, body = raw[:_TAG_BYTES], raw[_TAG_BYTES:]
    # Compared in constant time: a forged cursor learns nothing from how long a "no" takes.
    if not hmac.compare_digest(tag, _tag(key, body)):
        raise BadCursor("bad cursor: not one this service made")
    text_body = body.decode()
    if _ORDERS.get(text_body[:1]) != order:
        raise BadCursor("cursor belongs to another ordering")
    return text_body[1:]


def after_cursor(
    session: Session, query: Select[Any], cursor: str, order: Order, key: bytes
) -> Select[Any]:
    clip_id = _cursor_clip(cursor, order, key)
    moment = session.scalar(select(Clip.recorded_at).where(Clip.id == clip_id))
    if moment is None:
        raise BadCursor("the clip this page continued after is gone; start from the first page")
    if order == "oldest":
        return query.where(
            or_(Clip.recorded_at > moment, and_(Clip.recorded_at == moment, Clip.id > clip_id))
        )
    return query.where(
        or_(Clip.recorded_at < moment, and_(Clip.recorded_at == moment, Clip.id < clip_id))
    )


def page_of(
    session: Session,
    query: Select[Any],
    order: Order,
    cursor: str | None,
    limit: int,
    key: bytes,
) -> tuple[list[Clip], str | None]:
    """One page of `query` in `order` after `cursor`, and the cursor of the page after it
    (None on the last page); `key` signs cursors."""
    if cursor:
        query = after_cursor(session, query, cursor, order, key)
    rows = list(session.scalars(ordered(query, order).limit(limit + 1)))
    page = rows[:limit]
    return page, encode_cursor(page[-1], order, key) if len(rows) > limit else None
