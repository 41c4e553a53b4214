"""The transcription queue in the clips table, after procrastinate's and PgQueuer's design.

Each worker registers a row in `transcribe_workers` and beats its heartbeat there while it
lives, also while a batch runs. A claim names its worker (`claimed_by`): only that worker
may finish or fail the clip, and the claim is taken from it only once its heartbeat is
older than the lease, so a long batch on a live worker is never run twice. A clip left by
a dead worker counts a crash; after two it is claimed alone, so it cannot take batch-mates
down with it again, and once its attempts are spent it is `failed` with the reason.

A clip that waits for a run of another model (`wanted_model`, set by `ingest retranscribe`)
goes through the same claims, heartbeats and limits, but keeps its status and text while it
waits and while it is worked on: only a queue of that model (`rerun_model`) takes it, and
a run that fails for good leaves the clip as it was, the reason noted.
"""

import contextlib
import logging
import os
import socket
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, Select, and_, case, delete, literal, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from ingest.settings import IngestSettings
from ingest.store.models import Clip, ClipStatus, TranscribeWorker

log = logging.getLogger(__name__)

ANY = "any"  # in INGEST_TRANSCRIBE_LANGUAGES: clips whose language is not known
SOLO_AFTER_CRASHES = 2  # a clip that was with this many dead workers is transcribed alone


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class ClipQueue:
    """One worker's view of the queue: claims, heartbeats, and settling its own claims."""

    def __init__(
        self,
        settings: IngestSettings,
        sessions: sessionmaker[Session],
        takes: list[str] | None,
        rerun_model: str | None = None,
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.takes = takes
        self.rerun_model = rerun_model  # set: only clips waiting for a run of this model
        self.id = new_worker_id()
        self.lease = timedelta(seconds=settings.transcribe_lease_s)
        self.heartbeat_s = min(settings.transcribe_heartbeat_s, settings.transcribe_lease_s / 3)
        self._last_beat: datetime | None = None

    # Heartbeats ---------------------------------------------------------------------------

    def beat(self) -> None:
        """Tell the others this worker lives (registering it again if it was taken for dead)."""
        now = datetime.now(UTC)
        with self.sessions.begin() as session:
            beaten = session.execute(
                update(TranscribeWorker)
                .where(TranscribeWorker.id == self.id)
                .values(heartbeat_at=now)
            )
            if beaten.rowcount == 0:  # type: ignore[attr-defined]
                session.add(
                    TranscribeWorker(
                        id=self.id,
                        host=socket.gethostname()[:200],
                        pid=os.getpid(),
                        started_at=now,
                        heartbeat_at=now,
                    )
                )
        self._last_beat = now

    def beat_if_due(self) -> None:
        due = self._last_beat is None or datetime.now(UTC) - self._last_beat >= timedelta(
            seconds=self.heartbeat_s
        )
        if due:
            self.beat()

    @contextlib.contextmanager
    def beating(self) -> Iterator[None]:
        """Heartbeats on a thread of their own for as long as the block runs (a batch)."""
        done = threading.Event()

        def keep_beating() -> None:
            while not done.wait(self.heartbeat_s):
                try:
                    self.beat()
                except Exception:
                    log.exception("heartbeat failed; trying again")

        thread = threading.Thread(target=keep_beating, name="heartbeat", daemon=True)
        thread.start()
        try:
            yield
        finally:
            done.set()
            thread.join(timeout=10)

    def leave(self) -> None:
        """A clean stop: unfinished claims go back to the queue at once, without counting
        an attempt or a crash, and the worker's row goes."""
        with self.sessions.begin() as session:
            session.execute(
                update(Clip)
                .where(self._held())
                .values(
                    **self._unclaimed(),
                    attempts=case((Clip.attempts > 0, Clip.attempts - 1), else_=0),
                )
            )
            session.execute(delete(TranscribeWorker).where(TranscribeWorker.id == self.id))

    def _held(self) -> ColumnElement[bool]:
        """The clips this worker holds a claim on."""
        if self.rerun_model is not None:
            return and_(Clip.claimed_by == self.id, Clip.wanted_model == self.rerun_model)
        return and_(Clip.status == ClipStatus.TRANSCRIBING, Clip.claimed_by == self.id)

    def _unclaimed(self) -> dict[str, object]:
        """The values that hand a claim back: a new clip waits again, a re-run keeps its
        status."""
        if self.rerun_model is not None:
            return {"claimed_by": None}
        return {"status": ClipStatus.RECEIVED, "claimed_by": None}

    # Claims -------------------------------------------------------------------------------

    def _alive(self, now: datetime) -> Select[str]:
        """The workers whose heartbeat is fresh."""
        return select(TranscribeWorker.id).where(TranscribeWorker.heartbeat_at >= now - self.lease)

    def _orphaned(self, now: datetime) -> ColumnElement[bool]:
        """The claim's holder is dead: its heartbeat is stale or gone. Claims from before
        workers registered (no holder) live for one lease from the claim."""
        alive = self._alive(now)
        return and_(
            Clip.status == ClipStatus.TRANSCRIBING,
            or_(
                Clip.claimed_by.is_not(None) & Clip.claimed_by.not_in(alive),
                Clip.claimed_by.is_(None) & (Clip.claimed_at < now - self.lease),
            ),
        )

    def _orphaned_rerun(self, now: datetime) -> ColumnElement[bool]:
        """A re-run's claim whose holder is dead (a re-run keeps its status, so the claim is
        told by its holder alone)."""
        return and_(
            Clip.wanted_model.is_not(None),
            Clip.status != ClipStatus.TRANSCRIBING,
            Clip.claimed_by.is_not(None),
            Clip.claimed_by.not_in(self._alive(now)),
        )

    def reap(self, now: datetime | None = None) -> int:
        """Claims of dead workers go back to the queue, a crash counted; a clip whose
        attempts are spent fails with the reason. Returns the clips reaped."""
        now = now or datetime.now(UTC)
        limit = self.settings.transcribe_max_attempts
        spent = Clip.attempts >= limit
        orphaned = self._orphaned(now)
        reason = literal(
            f"the worker died while transcribing it, {limit} times: out of memory or a crash "
            "in the decoder or model"
        )
        with self.sessions.begin() as session:
            reaped = session.execute(
                update(Clip)
                .where(orphaned)
                .values(
                    status=case((spent, ClipStatus.FAILED), else_=ClipStatus.RECEIVED),
                    error=case((spent, reason), else_=literal("the worker died while on it")),
                    crashes=Clip.crashes + 1,
                    claimed_by=None,
                )
                .execution_options(synchronize_session=False)
            ).rowcount  # type: ignore[attr-defined]
            reaped += session.execute(
                update(Clip)
                .where(self._orphaned_rerun(now))
                .values(
                    wanted_model=case((spent, None), else_=Clip.wanted_model),
                    error=case((spent, reason), else_=Clip.error),
                    crashes=Clip.crashes + 1,
                    claimed_by=None,
                )
                .execution_options(synchronize_session=False)
            ).rowcount  # type: ignore[attr-defined]
            # A dead worker's row goes once its heartbeat is long past (kept a while for the
            # console: which worker died when).
            session.execute(
                delete(TranscribeWorker).where(
                    TranscribeWorker.heartbeat_at < now - 10 * self.lease
                )
            )
        if reaped:
            log.warning("took back %d clip(s) from workers that stopped beating", reaped)
        return int(reaped or 0)

    def _waiting(self, now: datetime) -> ColumnElement[bool]:
        due = or_(Clip.next_attempt_at.is_(None), Clip.next_attempt_at <= now)
        if self.rerun_model is not None:
            return and_(
                Clip.wanted_model == self.rerun_model,
                Clip.status != ClipStatus.TRANSCRIBING,
                Clip.claimed_by.is_(None),
                due,
            )
        waiting: ColumnElement[bool] = and_(Clip.status == ClipStatus.RECEIVED, due)
        if self.takes is not None:  # the others wait for a worker with their model
            known = [code for code in self.takes if code != ANY]
            mine = Clip.wanted_language.in_(known)
            waiting = and_(
                waiting, or_(mine, Clip.wanted_language.is_(None)) if ANY in self.takes else mine
            )
        return waiting

    def claim(self, limit: int) -> list[Clip]:
        """Up to `limit` waiting clips, oldest first, as one batch; a clip that crashed
        workers before comes alone."""
        self.beat_if_due()
        self.reap()
        now = datetime.now(UTC)
        waiting = self._waiting(now)
        claimed: list[Clip] = []
        with self.sessions.begin() as session:
            candidates = session.execute(
                select(Clip.id, Clip.crashes)
                .where(waiting)
                .order_by(Clip.received_at)
                .limit(limit + 4)
                .with_for_update(skip_locked=True)
            ).all()
            for clip_id, crashes in candidates:
                suspect = crashes >= SOLO_AFTER_CRASHES
                if claimed and suspect:
                    continue  # it waits for a batch of its own
                # The conditional update makes the claim safe where SKIP LOCKED is unknown
                # (SQLite).
                taken = session.execute(
                    update(Clip)
                    .where(Clip.id == clip_id, waiting)
                    .values(
                        **({} if self.rerun_model else {"status": ClipStatus.TRANSCRIBING}),
                        claimed_at=now,
                        claimed_by=self.id,
                        attempts=Clip.attempts + 1,
                    )
                    .execution_options(synchronize_session=False)
                )
                if taken.rowcount != 1:  # type: ignore[attr-defined]
                    continue
                clip = session.get(Clip, clip_id, populate_existing=True)
                assert clip is not None
                claimed.append(clip)
                if suspect:
                    log.warning(
                        "clip %s was with %d workers that died: transcribing it alone",
                        clip_id,
                        crashes,
                        extra={"clip_id": clip_id},
                    )
                if suspect or len(claimed) >= limit:
                    break
        return claimed

    def release(self, clip_ids: list[str], delay_s: float) -> None:
        """Hand claims back uncounted (a fault of ours, not the clip's: the store was out of
        reach), to be tried again after `delay_s`."""
        with self.sessions.begin() as session:
            session.execute(
                update(Clip)
                .where(Clip.id.in_(clip_ids), self._held())
                .values(
                    **self._unclaimed(),
                    attempts=case((Clip.attempts > 0, Clip.attempts - 1), else_=0),
                    next_attempt_at=datetime.now(UTC) + timedelta(seconds=delay_s),
                )
                .execution_options(synchronize_session=False)
            )

    @contextlib.contextmanager
    def settling(self, clip_id: str) -> Iterator[tuple[Session, Clip | None]]:
        """The clip, locked, if this worker still holds its claim; None if it lost it (taken
        for dead while it worked, or the clip was erased): its result is then dropped."""
        with self.sessions.begin() as session:
            clip = session.scalars(
                select(Clip).where(Clip.id == clip_id, self._held()).with_for_update()
            ).first()
            if clip is None:
                log.warning(
                    "clip %s is no longer ours; dropping this result",
                    clip_id,
                    extra={"clip_id": clip_id},
                )
            else:
                clip.claimed_by = None
            yield session, clip
