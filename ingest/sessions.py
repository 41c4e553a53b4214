"""The database as every process opens it, composed where a reader can see it: the
migrations with the rules for derived data, and sessions with the public counts attached."""

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ingest.language.redaction import redact
from ingest.language.words import index_terms
from ingest.publish.aggregates import keep_counts, rebuild
from ingest.store.database import Derived, migrate, session_factory

# What the migrations fill in for clips already kept, by today's rules.
DERIVED = Derived(redact=redact, index_terms=index_terms, rebuild_counts=rebuild)


def migrate_database(engine: Engine) -> None:
    """Bring the schema to the newest revision, deriving data by today's rules."""
    migrate(engine, DERIVED)


def open_sessions(engine: Engine) -> sessionmaker[Session]:
    """Sessions in which the store keeps each clip's search terms and the public counts
    follow every change of a clip, in the same transaction."""
    sessions = session_factory(engine)
    keep_counts(sessions)
    return sessions
