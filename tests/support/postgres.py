"""Fresh PostgreSQL databases on this machine's server (trust auth), for tests and benches."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def postgres_reachable() -> bool:
    engine = create_engine(POSTGRES_ADMIN_URL, connect_args={"connect_timeout": 2})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except OperationalError:
        return False
    finally:
        engine.dispose()


@contextmanager
def fresh_database(prefix: str) -> Iterator[str | None]:
    """The URL of a new, empty database, dropped afterwards; None if there is no server."""
    if not postgres_reachable():
        yield None
        return
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
        # As on a server installed in Denmark: Debian's initdb takes the system's zone, and
        # PostgreSQL hands times back in it.
        connection.execute(text(f"ALTER DATABASE \"{name}\" SET timezone TO 'Europe/Copenhagen'"))
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
