"""The transcription queue's guarantees, on SQLite and PostgreSQL, with nothing transcribed: a live
worker keeps its claims however long its batch runs; a dead one's are taken over; only the
holder may settle a claim; a clip that was with dead workers twice comes alone; one whose
attempts are spent is `failed`, with the reason, in the API and in /metrics; a batch that
fails as a whole frees its claims.

A worker "dies" here as a SIGKILLed one does: its heartbeats stop and its row stays
(tests/e2e/test_kill.py kills real worker processes)."""

import time
from datetime import UTC, datetime, timedelta

import pytest

from ingest.roles import Role
from ingest.settings import IngestSettings
from ingest.store.models import Clip, ClipStatus
from ingest.transcribe.queue import ClipQueue
from ingest.transcribe.transcriber import Transcriber
from ingest.transcribe.worker import TranscriptionWorker
from tests.integration.conftest import Api

LEASE_S = 1.0


def queue(api: Api, **changes: object) -> ClipQueue:
    settings: IngestSettings = api.service.settings.model_copy(
        update={"transcribe_lease_s": LEASE_S, "transcribe_heartbeat_s": 0.2, **changes}
    )
    return ClipQueue(settings, api.service.sessions, None)


def waiting(api: Api, n: int) -> list[str]:
    return [api.add_clip("", status=ClipStatus.RECEIVED) for _ in range(n)]


def clip(api: Api, clip_id: str) -> Clip:
    with api.service.sessions() as session:
        found = session.get(Clip, clip_id)
        assert found is not None
        return found


def outlive_the_lease() -> None:
    time.sleep(LEASE_S * 1.5)


def test_a_live_worker_keeps_its_claims_however_long_its_batch_runs(api: Api) -> None:
    (clip_id,) = waiting(api, 1)
    working, other = queue(api), queue(api)
    assert [c.id for c in working.claim(8)] == [clip_id]
    with working.beating():  # a batch three leases long
        for _ in range(3):
            outlive_the_lease()
            assert other.claim(8) == []
    with working.settling(clip_id) as (_session, held):
        assert held is not None
        held.status = ClipStatus.TRANSCRIBED
    row = clip(api, clip_id)
    assert (row.status, row.attempts, row.crashes) == (ClipStatus.TRANSCRIBED, 1, 0)


def test_a_dead_workers_claims_are_taken_over_and_it_can_no_longer_settle_them(
    api: Api,
) -> None:
    ids = waiting(api, 3)
    dead, alive = queue(api), queue(api)
    assert sorted(c.id for c in dead.claim(8)) == sorted(ids)
    assert alive.claim(8) == []  # not before the lease is out
    outlive_the_lease()
    taken = alive.claim(8)
    assert sorted(c.id for c in taken) == sorted(ids)
    assert all(c.claimed_by == alive.id and c.crashes == 1 and c.attempts == 2 for c in taken)
    # The dead worker wakes (a long pause, not a kill): its results are dropped.
    with dead.settling(ids[0]) as (_session, held):
        assert held is None
    with alive.settling(ids[0]) as (_session, held):
        assert held is not None


def test_a_clip_that_crashed_two_workers_is_retried_alone(api: Api) -> None:
    ids = waiting(api, 4)
    poison = ids[0]
    for _ in range(2):  # two workers die on the batch holding it
        assert poison in [c.id for c in queue(api).claim(8)]
        outlive_the_lease()
    assert queue(api).reap() == 4  # the second death is counted by the next to look
    assert clip(api, poison).crashes == 2
    # No batch-mates any more: each suspect in a batch of its own.
    assert [c.id for c in queue(api).claim(8)] == [poison]
    fresh = waiting(api, 2)
    # Its batch-mates were with the same dead workers: the queue cannot tell which clip
    # killed them, so each comes alone too; clips that never crashed one come together.
    for mate in ids[1:]:
        assert [c.id for c in queue(api).claim(8)] == [mate]
    assert sorted(c.id for c in queue(api).claim(8)) == sorted(fresh)


def test_a_clip_whose_attempts_are_spent_fails_with_the_reason(api: Api) -> None:
    (clip_id,) = waiting(api, 1)
    attempts = 2
    for _ in range(attempts):
        assert [c.id for c in queue(api, transcribe_max_attempts=attempts).claim(8)] == [clip_id]
        outlive_the_lease()
    assert queue(api, transcribe_max_attempts=attempts).claim(8) == []
    row = clip(api, clip_id)
    assert row.status == ClipStatus.FAILED
    assert row.error is not None and "died while transcribing it, 2 times" in row.error

    shown = api.get(f"/api/clips/{clip_id}", role=Role.PLANNER)
    assert shown["status"] == "failed" and "died while transcribing" in shown["error"]
    metrics = api.client.get("/metrics").text
    assert "ingest_clips_failed 1.0" in metrics


def test_a_clean_stop_hands_claims_back_at_once(api: Api) -> None:
    (clip_id,) = waiting(api, 1)
    stopping = queue(api)
    assert stopping.claim(8)
    stopping.leave()
    row = clip(api, clip_id)
    assert (row.status, row.attempts, row.claimed_by) == (ClipStatus.RECEIVED, 0, None)
    assert [c.id for c in queue(api).claim(8)] == [clip_id]  # no lease to wait out


def test_metrics_tell_the_queue_from_the_database(api: Api) -> None:
    """The API process runs no worker, yet its /metrics shows the queue."""
    ids = waiting(api, 5)
    with api.service.sessions.begin() as session:
        for clip_id in ids:
            row = session.get(Clip, clip_id)
            assert row is not None
            row.received_at = datetime.now(UTC) - timedelta(hours=3)
    lines = api.client.get("/metrics").text.splitlines()
    depth = [line for line in lines if line.startswith("ingest_transcription_queue_depth{")]
    assert depth == ['ingest_transcription_queue_depth{language="any"} 5.0']
    (oldest,) = [
        line for line in lines if line.startswith("ingest_transcription_oldest_waiting_seconds ")
    ]
    assert 3 * 3600 <= float(oldest.split()[1]) < 3 * 3600 + 120


def test_a_batch_that_fails_as_a_whole_frees_its_claims(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CTranslate2 raises RuntimeError for a whole batch (e.g. "CUDA failed with error out
    of memory"): the live worker must not sit on the claims, which no lease would free."""
    ids = waiting(api, 2)
    transcriber = Transcriber()
    worker = TranscriptionWorker(
        api.service.settings, api.service.sessions, api.service.store, transcriber
    )

    def out_of_memory(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("CUDA failed with error out of memory")

    monkeypatch.setattr(transcriber, "transcribe_many", out_of_memory)
    assert worker.work_once()
    rows = [clip(api, clip_id) for clip_id in ids]
    assert [(r.status, r.attempts, r.claimed_by) for r in rows] == [
        (ClipStatus.RECEIVED, 1, None)
    ] * 2
    assert all("out of memory" in (r.error or "") for r in rows)
