"""The database sessions every writer uses, composed where a reader can see it."""

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ingest.publish.aggregates import keep_counts
from ingest.store.database import session_factory


def open_sessions(engine: Engine) -> sessionmaker[Session]:
    """Sessions in which the store keeps each clip's search terms and the public counts
    follow every change of a clip, in the same transaction."""
    sessions = session_factory(engine)
    keep_counts(sessions)
    return sessions
