"""Engine, sessions and schema migrations (Alembic: `ingest migrate`, and at start-up)."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from ingest.language.redaction import redacted_as_chosen
from ingest.language.words import index_terms
from ingest.store.locks import wait_for_lock
from ingest.store.models import Clip

MIGRATIONS = Path(__file__).parent / "migrations"


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the API read while the receiver writes; FULL makes a commit survive a power cut,
    # which the `stored` ack promises.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


@dataclass(frozen=True)
class Derived:
    """The rules that derived data follows, handed to the migrations that fill it in.

    Migrations import nothing of the application, so that a later change of the code
    cannot change what an old migration does to the schema; data that is derived from the
    clips (the text approval publishes, search terms, public counts) is made by the rules
    the caller passes here, which are today's rules, as the service would make it.
    Counts read the clips through today's models, so a migration only asks for them
    (`attributes["rebuild_counts"]`) and they are made once the newest revision stands."""

    redact: Callable[[str, str | None], str]
    index_terms: Callable[[str | None, str | None], str]
    rebuild_counts: Callable[[Connection], None]


MIGRATION_LOCK = "ingest.migrate"


def migrate(engine: Engine, derived: Derived) -> None:
    """Bring the schema to the newest revision, in one transaction. On PostgreSQL under an
    advisory lock held to the commit: processes that start together migrate one after the
    other, and each after the first finds nothing left to do (DDL is transactional there)."""
    config = alembic_config()
    config.attributes["derived"] = derived
    config.attributes["rebuild_counts"] = False
    with engine.begin() as connection:
        wait_for_lock(connection, MIGRATION_LOCK)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        if config.attributes["rebuild_counts"]:
            derived.rebuild_counts(connection)
    _fill_redacted_terms(engine)


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def redacted_terms(clip: Clip) -> str:
    """The stems of the clip's text as planners read it (the moderator's spans applied)."""
    return index_terms(redacted_as_chosen(clip.text, clip.language, clip.redactions), clip.language)


def _fill_redacted_terms(engine: Engine, batch: int = 500) -> None:
    """Planners' search terms for clips stored before they were kept (migration 0011 adds
    the column; computing them needs the redaction rules, which migrations do not import)."""
    with Session(engine) as session:
        while True:
            waiting = session.scalars(
                select(Clip).where(Clip.redacted_terms.is_(None)).limit(batch)
            ).all()
            for clip in waiting:
                clip.redacted_terms = redacted_terms(clip)
            session.commit()
            if len(waiting) < batch:
                return


def schema_revision(engine: Engine) -> str | None:
    """The revision the database's schema is at (None: never migrated)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep each clip's search terms with its text. Rooms above the store
    attach their own listeners to the factory (ingest.service composes them)."""
    sessions = sessionmaker(engine, expire_on_commit=False)
    event.listen(sessions, "before_flush", _keep_search_terms)
    return sessions


def _keep_search_terms(session: Session, _context: Any, _instances: Any) -> None:
    """Every way a transcript changes (a model run, a correction, approval, retention)
    goes through the ORM: the search terms follow here, in one place."""
    for obj in (*session.new, *session.dirty):
        if not isinstance(obj, Clip):
            continue
        state = inspect(obj)
        new = obj in session.new
        text_changed = (
            new
            or state.attrs.text.history.has_changes()
            or state.attrs.language.history.has_changes()
        )
        if text_changed:
            obj.search_terms = index_terms(obj.text, obj.language)
        if text_changed or state.attrs.redactions.history.has_changes():
            obj.redacted_terms = redacted_terms(obj)
        if new or state.attrs.published_text.history.has_changes():
            obj.published_terms = index_terms(obj.published_text, obj.language)
