"""The counts the public pages read, kept up to date as clips change instead of computed
from every clip on every visit: spoken messages received and published per neighborhood,
theme and week, and the word forms of published text per neighborhood and theme.

A flush hook (`keep_counts`, which ingest.sessions attaches to the service's sessions)
turns each change of a clip into the difference between what it counted for before and
after, and adds that to the tables in the same transaction: the counts can never disagree
with the clips they were made from.
`rebuild` makes them again from the clips (the migration that adds them, and repairs).
"""

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Table, delete, event, inspect, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from ingest.city_time import city_day
from ingest.language.words import word_forms
from ingest.store.models import Clip, ClipStatus, WeekCount, WordCount, public

_FIELDS = (
    "neighborhood",
    "theme",
    "recorded_at",
    "status",
    "moderation",
    "published_text",
    "language",
)
WEEKS: Table = WeekCount.__table__  # type: ignore[assignment]
WORDS: Table = WordCount.__table__  # type: ignore[assignment]


def monday(day: date) -> date:
    """The Monday of `day`'s week: how weeks are named in counts and stats."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Share:
    """What one clip counts for on the public pages."""

    neighborhood: str
    theme: str
    recorded_at: datetime
    status: str
    moderation: str
    published_text: str | None
    language: str | None

    @property
    def received(self) -> int:
        return int(self.status == ClipStatus.TRANSCRIBED)

    @property
    def published(self) -> int:
        return int(bool(public(self)))


@dataclass
class Changes:
    """Differences to add to the count tables."""

    weeks: Counter[tuple[str, str, date, str]]
    words: Counter[tuple[str, str, str, str, str]]

    @classmethod
    def empty(cls) -> "Changes":
        return cls(Counter(), Counter())

    def add(self, share: Share, sign: int) -> None:
        week = monday(city_day(share.recorded_at))
        for column in ("received", "published"):
            if getattr(share, column):
                self.weeks[(share.neighborhood, share.theme, week, column)] += sign
        if share.published:
            for (language, stem, form), uses in word_forms(
                share.published_text or "", share.language
            ).items():
                self.words[(share.neighborhood, share.theme, language, stem, form)] += sign * uses


def _before(clip: Clip) -> Share:
    """The clip as the database holds it now, before this flush."""
    state = inspect(clip)
    values = {}
    for name in _FIELDS:
        history = state.attrs[name].history
        values[name] = history.deleted[0] if history.deleted else getattr(clip, name)
    return Share(**values)


def _after(clip: Clip) -> Share:
    return Share(**{name: getattr(clip, name) for name in _FIELDS})


def changes_in(session: Session) -> Changes:
    """What the clips about to be flushed change in the counts."""
    changes = Changes.empty()
    for clip in session.new:
        if isinstance(clip, Clip) and clip.status == ClipStatus.TRANSCRIBED:
            changes.add(_after(clip), +1)
    for clip in session.dirty:
        if isinstance(clip, Clip) and session.is_modified(clip):
            before, after = _before(clip), _after(clip)
            if before != after:
                changes.add(before, -1)
                changes.add(after, +1)
    for clip in session.deleted:
        if isinstance(clip, Clip):
            changes.add(_before(clip), -1)
    return changes


def apply(connection: Connection, changes: Changes) -> None:
    """Add the differences; rows in key order, so concurrent writers never deadlock."""
    weeks: dict[tuple[str, str, date], dict[str, Any]] = {}
    for (neighborhood, theme, week, column), n in sorted(changes.weeks.items()):
        if n:
            row = weeks.setdefault(
                (neighborhood, theme, week),
                {
                    "neighborhood": neighborhood,
                    "theme": theme,
                    "week": week,
                    "received": 0,
                    "published": 0,
                },
            )
            row[column] += n
    _upsert(
        connection,
        WEEKS,
        ["neighborhood", "theme", "week"],
        list(weeks.values()),
        ["received", "published"],
    )
    words = [
        {"neighborhood": n, "theme": t, "language": lang, "stem": stem, "form": form, "uses": uses}
        for (n, t, lang, stem, form), uses in sorted(changes.words.items())
        if uses
    ]
    _upsert(
        connection, WORDS, ["neighborhood", "theme", "language", "stem", "form"], words, ["uses"]
    )


def _upsert(
    connection: Connection,
    table: Table,
    keys: list[str],
    rows: list[dict[str, Any]],
    counters: list[str],
) -> None:
    if not rows:
        return
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    statement = insert(table)
    statement = statement.on_conflict_do_update(
        index_elements=keys, set_={c: table.c[c] + statement.excluded[c] for c in counters}
    )
    connection.execute(statement, rows)


def _shares(connection: Connection) -> Iterator[Share]:
    columns = [getattr(Clip, name) for name in _FIELDS]
    query = select(*columns).where(Clip.status == ClipStatus.TRANSCRIBED)
    for row in connection.execute(query.execution_options(yield_per=2000)):
        yield Share(*row)


def rebuild(connection: Connection, shares: Iterable[Share] | None = None) -> None:
    """The counts made again from all clips."""
    connection.execute(delete(WEEKS))
    connection.execute(delete(WORDS))
    changes = Changes.empty()
    for share in _shares(connection) if shares is None else shares:
        changes.add(share, +1)
    apply(connection, changes)


def keep_counts(sessions: sessionmaker[Session]) -> None:
    """Keep the public counts in step with the clips in every session `sessions` makes."""
    event.listen(sessions, "before_flush", _keep_counts)


def _keep_counts(session: Session, _context: Any, _instances: Any) -> None:
    # The public pages' counts change with the clips, in the same transaction.
    changes = changes_in(session)
    if changes.weeks or changes.words:
        apply(session.connection(), changes)
