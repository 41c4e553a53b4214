"""Every stored moment comes back aware and in UTC, on SQLite (which keeps no zone) and on
PostgreSQL (which answers in its session's zone, Europe/Copenhagen in the city)."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from ingest.store.models import Base, Booth
from tests.support.postgres import fresh_database


@pytest.fixture(params=["sqlite", "postgresql"])
def engine_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/t.sqlite3"
        return
    with fresh_database("utc") as url:
        if url is None:
            pytest.skip("no PostgreSQL server")
        yield url


def test_moments_come_back_aware_in_utc(engine_url: str) -> None:
    engine = create_engine(engine_url)
    Base.metadata.create_all(engine, tables=[Base.metadata.tables["booths"]])
    copenhagen = timezone(timedelta(hours=1))
    moment = datetime(2026, 12, 6, 0, 30, tzinfo=copenhagen)  # 23:30 UTC the day before
    with Session(engine) as session, session.begin():
        session.add(Booth(id="b1", neighborhood="gellerup", created_at=moment))
        session.add(Booth(id="b2", neighborhood="gellerup", created_at=datetime(2026, 1, 1)))
    with Session(engine) as session:
        first, second = session.scalars(select(Booth.created_at).order_by(Booth.id)).all()
    engine.dispose()
    assert first == moment and first.tzinfo is UTC
    assert first.hour == 23
    assert second == datetime(2026, 1, 1, tzinfo=UTC)  # a naive time is taken as UTC
