"""Running stored audio through another model (a city upgrades to a better Danish model),
through the transcription queue like any clip: the selected clips are marked as waiting for
a run of that model (`Clip.wanted_model`) and a worker with the model works them off with
the same claims, heartbeats, retries and crash isolation (transcribe.queue). Their texts stay
in force meanwhile, and every earlier text stays in the history. A run that was cut off
goes on where it stopped (`ingest retranscribe --resume`)."""

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from ingest.store.models import Clip, ClipStatus
from ingest.store.queries import ClipFilter
from ingest.transcribe.worker import TranscriptionWorker

log = logging.getLogger(__name__)

# Clips with a transcription to replace; newer ones are the workers' already.
FINISHED = (ClipStatus.TRANSCRIBED, ClipStatus.NO_SPEECH, ClipStatus.FAILED)
CHUNK = 500  # ids per UPDATE: well under every database's limit on bound parameters


@dataclass(frozen=True)
class Asked:
    marked: int  # now waiting for the model
    unfinished: int  # selected, but not transcribed yet: left to the workers


def ask_for_model(sessions: sessionmaker[Session], where: ClipFilter, model: str) -> Asked:
    """Mark the selected clips that still have audio as waiting for a run of `model`."""
    with sessions.begin() as session:
        selected = where.apply(
            select(Clip.id).where(Clip.audio_key.is_not(None), Clip.audio_deleted_at.is_(None)),
            session,
            reading="raw",
        )
        ids = list(session.scalars(selected.where(Clip.status.in_(FINISHED))))
        for start in range(0, len(ids), CHUNK):
            session.execute(
                update(Clip)
                .where(Clip.id.in_(ids[start : start + CHUNK]))
                .values(wanted_model=model, attempts=0, crashes=0, next_attempt_at=None)
                .execution_options(synchronize_session=False)
            )
        unfinished = session.scalar(
            select(func.count()).select_from(
                selected.where(Clip.status.not_in(FINISHED)).subquery()
            )
        )
    return Asked(len(ids), int(unfinished or 0))


def work_off(worker: TranscriptionWorker) -> int:
    """Transcribe every clip waiting for the worker's model, waiting out retry delays;
    returns how many still wait because other workers hold them."""
    model = worker.rerun_model
    assert model is not None, "a worker made with rerun=True"
    try:
        while True:
            if worker.work_once():
                continue
            with worker.sessions() as session:
                free, due = session.execute(
                    select(func.count(), func.min(Clip.next_attempt_at)).where(
                        Clip.wanted_model == model, Clip.claimed_by.is_(None)
                    )
                ).one()
                held = session.scalar(
                    select(func.count()).where(
                        Clip.wanted_model == model, Clip.claimed_by.is_not(None)
                    )
                )
            if not free:
                return int(held or 0)
            wait = (due - datetime.now(UTC)).total_seconds() if due else 0.0
            time.sleep(min(max(wait, 0.5), 60.0))  # a failed clip's next attempt
    finally:
        worker.queue.leave()
