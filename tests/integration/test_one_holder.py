"""What must happen once however many processes run: migrating a fresh database, the
config publisher, the janitor; and purges that stay small."""

import concurrent.futures
import os
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session

from ingest.review.retention import purge_expired_audio
from ingest.service import IngestService
from ingest.sessions import migrate_database
from ingest.store.database import make_engine, schema_revision
from ingest.store.locks import AdvisoryLock
from ingest.store.models import Booth, Clip, ClipStatus
from shared.messages import BoothStatus
from tests.conftest import BOOTH
from tests.integration.conftest import Api, ingest_settings, register
from tests.support.broker import Mosquitto
from tests.support.mqtt import RawBooth
from tests.support.waiting import wait_until

# The newest migration's revision (files are named by it: 0015_theme_steps.py).
VERSIONS = Path(__file__).parents[2] / "ingest" / "store" / "migrations" / "versions"
HEAD = max(path.name[:4] for path in VERSIONS.glob("[0-9][0-9][0-9][0-9]_*.py"))


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_three_processes_migrate_a_fresh_database_at_once(
    tmp_path: Path, database_url: str | None
) -> None:
    assert database_url is not None
    env = {"INGEST_DATABASE_URL": database_url, "INGEST_DATA_DIR": str(tmp_path)}
    started = [
        subprocess.Popen(
            [sys.executable, "-m", "ingest.cli", "migrate"],
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [process.communicate(timeout=120)[0] for process in started]
    assert [p.returncode for p in started] == [0, 0, 0], "\n---\n".join(outputs)
    assert all(f"schema at revision {HEAD}" in out for out in outputs)
    engine = make_engine(database_url)
    assert schema_revision(engine) == HEAD
    engine.dispose()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_one_holder_at_a_time_and_the_next_takes_over_when_it_dies(
    database_url: str | None,
) -> None:
    assert database_url is not None
    first_host, second_host = make_engine(database_url), make_engine(database_url)
    first = AdvisoryLock(first_host, "ingest.publish-configs")
    second = AdvisoryLock(second_host, "ingest.publish-configs")
    other = AdvisoryLock(second_host, "ingest.housekeeping")
    try:
        assert first.held() and first.held()
        assert not second.held()
        assert other.held()  # another lock, another holder
        # The holder's process dies: the server ends its connection, the lock is free. The
        # backend leaves on its own time after the signal; with a timeout (PostgreSQL 14 and
        # later) pg_terminate_backend returns once it has gone, and its locks with it.
        with second_host.connect() as admin:
            admin.execute(
                text(
                    "SELECT pg_terminate_backend(pid, 10000) FROM pg_locks "
                    "WHERE locktype = 'advisory' AND objid = :low AND granted"
                    " AND pid <> pg_backend_pid()"
                ),
                {"low": first.key & 0xFFFFFFFF},
            )
        assert second.held()
        assert not first.held()  # it notices its loss, and the lock is taken
    finally:
        for lock in (first, second, other):
            lock.release()
        first_host.dispose()
        second_host.dispose()


def test_retention_purges_in_small_transactions(api: Api) -> None:
    ids = [api.add_clip("", status=ClipStatus.TRANSCRIBED) for _ in range(5)]
    with api.service.sessions.begin() as session:
        for clip_id in ids:
            clip = session.get(Clip, clip_id)
            assert clip is not None
            clip.received_at = datetime.now(UTC) - timedelta(days=100)
    commits: list[int] = []

    def counted(session: Session) -> None:
        commits.append(sum(isinstance(o, Clip) for o in session.identity_map.values()))

    event.listen(api.service.sessions, "after_commit", counted)
    try:
        purged = purge_expired_audio(api.service.sessions, api.service.store, 90, batch=2)
    finally:
        event.remove(api.service.sessions, "after_commit", counted)
    assert purged == 5
    assert max(commits) <= 2 and len(commits) == 3  # 2 + 2 + 1
    with api.service.sessions() as session:
        assert all(session.get(Clip, i).audio_deleted_at is not None for i in ids)  # type: ignore[union-attr]


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_migrations_started_in_the_same_instant_wait_for_each_other(
    database_url: str | None,
) -> None:
    """The processes above start as fast as Python imports; here three connections begin
    migrating in the same instant, as three hosts rebooted together do."""
    assert database_url is not None
    engines = [make_engine(database_url) for _ in range(3)]
    together = threading.Barrier(3)

    def start(engine: Engine) -> None:
        together.wait()
        migrate_database(engine)

    try:
        with concurrent.futures.ThreadPoolExecutor(3) as pool:
            for done in [pool.submit(start, engine) for engine in engines]:
                done.result(timeout=120)  # raises what a migration raised
        assert schema_revision(engines[0]) == HEAD
    finally:
        for engine in engines:
            engine.dispose()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_booth_statuses_are_written_by_one_receiver(
    broker: Mosquitto, tmp_path: Path, database_url: str | None
) -> None:
    """Both receivers hear every status; only the one holding the publisher lock writes."""
    services = [
        IngestService(
            ingest_settings(broker, tmp_path / f"r{n}", database_url=database_url),
            transcribe=False,
        )
        for n in (1, 2)
    ]
    try:
        for service in services:
            service.start()
            assert service.receiver is not None and service.receiver.connected.wait(10)
        register(services[0], BOOTH)
        status = BoothStatus(state="idle", version="test").encode()
        with RawBooth(broker.url(BOOTH), BOOTH) as booth:
            for _ in range(3):
                booth.publish(status, None, topic=f"dn/v1/booths/{BOOTH}/status")

        def seen() -> bool:
            with services[0].sessions() as session:
                found = session.get(Booth, BOOTH)
                return found is not None and found.last_seen_at is not None

        assert wait_until(seen, 15)
        time.sleep(1)  # the other receiver's share, had it one
        written = sorted(s.fleet.statuses_recorded for s in services)
        assert written == [0, 3]
    finally:
        for service in services:
            service.stop()
