"""Figures an operator alerts on, read from the database at each scrape, so every process
that serves `/metrics` (API, receiver, worker) tells the same truth about the deployment,
not only about itself."""

import logging
import threading
from collections.abc import Iterator
from datetime import UTC, datetime

from prometheus_client.core import REGISTRY, GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from ingest.store.models import Booth, Clip, ClipStatus, TranscribeWorker

log = logging.getLogger(__name__)

NO_LANGUAGE = "any"  # the label of clips whose language Whisper detects


class DatabaseGauges(Collector):
    def __init__(self) -> None:
        self.sessions: sessionmaker[Session] | None = None
        self.offline_after_s = 600.0
        self.lease_s = 60.0

    def describe(self) -> list[GaugeMetricFamily]:
        return []  # read at scrape time only: never query the database at registration

    def collect(self) -> Iterator[GaugeMetricFamily]:
        sessions = self.sessions
        if sessions is None:
            return
        try:
            with sessions() as session:
                yield from self._read(session, datetime.now(UTC))
        except Exception:  # a scrape must not fail the page; `ingest_database_up` says why
            log.exception("could not read the figures from the database")
            yield GaugeMetricFamily("ingest_database_up", "The database answered", value=0)

    def _read(self, session: Session, now: datetime) -> Iterator[GaugeMetricFamily]:
        yield GaugeMetricFamily("ingest_database_up", "The database answered", value=1)
        depth = GaugeMetricFamily(
            "ingest_transcription_queue_depth",
            "Clips waiting for transcription, by the language they are to be transcribed in",
            labels=["language"],
        )
        waiting = Clip.status.in_([ClipStatus.RECEIVED, ClipStatus.TRANSCRIBING])
        for language, count in session.execute(
            select(Clip.wanted_language, func.count()).where(waiting).group_by(Clip.wanted_language)
        ):
            depth.add_metric([language or NO_LANGUAGE], count)
        yield depth
        oldest = session.scalar(select(func.min(Clip.received_at)).where(waiting))
        yield GaugeMetricFamily(
            "ingest_transcription_oldest_waiting_seconds",
            "Age of the oldest clip not yet transcribed",
            value=max(0.0, (now - oldest).total_seconds()) if oldest else 0.0,
        )
        failed = session.scalar(
            select(func.count()).select_from(Clip).where(Clip.status == ClipStatus.FAILED)
        )
        yield GaugeMetricFamily(
            "ingest_clips_failed", "Clips whose transcription failed for good", value=failed or 0
        )
        beats = list(session.scalars(select(TranscribeWorker.heartbeat_at)))
        alive = sum(1 for beat in beats if (now - beat).total_seconds() <= self.lease_s)
        yield GaugeMetricFamily(
            "ingest_transcribe_workers_alive", "Workers whose heartbeat is fresh", value=alive
        )

        seen = GaugeMetricFamily(
            "ingest_booth_last_seen_timestamp_seconds",
            "When each booth last sent its status (Unix time; 0: never)",
            labels=["booth", "neighborhood"],
        )
        offline = 0
        for booth_id, neighborhood, last_seen in session.execute(
            select(Booth.id, Booth.neighborhood, Booth.last_seen_at)
        ):
            stamp = last_seen.timestamp() if last_seen else 0.0
            seen.add_metric([booth_id, neighborhood], stamp)
            if now.timestamp() - stamp > self.offline_after_s:
                offline += 1
        yield seen
        yield GaugeMetricFamily(
            "ingest_booths_offline",
            f"Registered booths silent for more than {self.offline_after_s:.0f} s "
            "(INGEST_BOOTH_OFFLINE_S)",
            value=offline,
        )
        newest = GaugeMetricFamily(
            "ingest_neighborhood_last_clip_timestamp_seconds",
            "When the newest message from each neighborhood was received (Unix time)",
            labels=["neighborhood"],
        )
        for neighborhood, received in session.execute(
            select(Clip.neighborhood, func.max(Clip.received_at)).group_by(Clip.neighborhood)
        ):
            newest.add_metric([neighborhood], received.timestamp())
        yield newest


_gauges = DatabaseGauges()
_registered = threading.Lock()
_attached: list[sessionmaker[Session]] = []


def attach(sessions: sessionmaker[Session], offline_after_s: float, lease_s: float) -> None:
    """Serve these figures from this process's `/metrics`, read through `sessions`."""
    with _registered:
        if not _attached:
            REGISTRY.register(_gauges)
        _attached.append(sessions)
        _gauges.sessions = sessions
        _gauges.offline_after_s = offline_after_s
        _gauges.lease_s = lease_s


def detach(sessions: sessionmaker[Session]) -> None:
    with _registered:
        if sessions in _attached:
            _attached.remove(sessions)
        _gauges.sessions = _attached[-1] if _attached else None
        if not _attached:
            REGISTRY.unregister(_gauges)
