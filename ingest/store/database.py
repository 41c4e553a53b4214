"""Engine, sessions and schema migrations (Alembic: `ingest migrate`, and at start-up)."""

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.orm import Session, sessionmaker

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


MIGRATION_LOCK = "ingest.migrate"


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision. On PostgreSQL under an advisory lock held
    to the commit: processes that start together migrate one after the other, and each
    after the first finds nothing left to do (DDL is transactional there)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        wait_for_lock(connection, MIGRATION_LOCK)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


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
        if (
            new
            or state.attrs.text.history.has_changes()
            or state.attrs.language.history.has_changes()
        ):
            obj.search_terms = index_terms(obj.text, obj.language)
        if new or state.attrs.published_text.history.has_changes():
            obj.published_terms = index_terms(obj.published_text, obj.language)
