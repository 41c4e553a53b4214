"""Turns one inbound MQTT message into a stored clip or a reasoned rejection."""

import contextlib
import io
import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import soundfile as sf
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ingest import metrics
from ingest.receive import ogg
from ingest.receive.limits import BoothBuckets
from ingest.settings import IngestSettings
from ingest.store.audio import AudioStore, audio_key
from ingest.store.models import Booth, Clip, ClipStatus, ErasedClip, Rejection, Theme
from shared.clip import ClipMeta, format_speech_map, receipt_hash, sha256_hex
from shared.errors import ProtocolError, RejectReason
from shared.messages import Ack, AckStatus
from shared.topics import Channel, Topics

log = logging.getLogger(__name__)

# A decoded clip may differ a little from the length the booth measured (codec padding).
_DURATION_TOLERANCE_MS = 250


@dataclass(frozen=True)
class InboundClip:
    """A clip message as it came off the broker, free of paho types: its metadata as
    plain fields (the user properties, and the content type as `content_type`). `fault`:
    why those properties could not be read as fields (a key given twice), so the clip is
    rejected as malformed."""

    topic: str
    payload: bytes
    fields: dict[str, str]
    fault: str | None = None


class Intake:
    def __init__(
        self,
        settings: IngestSettings,
        sessions: sessionmaker[Session],
        store: AudioStore,
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.store = store
        self.topics = Topics(settings.topic_prefix)
        self.buckets = BoothBuckets(settings.booth_clips_per_minute, settings.booth_clip_burst)

    def accept(self, inbound: InboundClip) -> Ack:
        """Validate, store durably, and answer. Raises only for faults that are not the clip's
        (disk, database): then no ack is sent and the booth, which still holds the clip, resends."""
        return self.accept_many([inbound])[0]

    def accept_many(self, inbounds: list[InboundClip]) -> list[Ack]:
        """`accept` for several clips with one database commit (group commit): under load the
        cost of making a commit durable is shared, at no cost to a lone clip."""
        acks: list[Ack | None] = [None] * len(inbounds)
        valid: dict[uuid.UUID, tuple[int, ClipMeta]] = {}
        rejections: list[Rejection] = []
        registered = self._registered_booths(inbounds)
        themes = self._known_themes()
        for index, inbound in enumerate(inbounds):
            try:
                meta = self._validate(inbound, registered)
                self._check_theme(meta, themes)
            except ProtocolError as exc:
                acks[index] = self._rejection(inbound, exc, rejections)
                continue
            if meta.clip_id in valid:  # the same clip twice in one batch: a resend
                acks[index] = Ack(clip_id=meta.clip_id, status=AckStatus.STORED)
                continue
            valid[meta.clip_id] = (index, meta)
        stored_before, erased = self._known_ids([str(clip_id) for clip_id in valid])
        same_audio = self._recent_audio([meta for _, meta in valid.values()])
        rows, audio = [], []
        for clip_id, (index, meta) in valid.items():
            acks[index] = Ack(clip_id=clip_id, status=AckStatus.STORED)
            if str(clip_id) in erased:  # the caller asked us to forget it: the booth may too
                log.info("clip %s was erased; dropping it again", clip_id, extra=_ids(meta))
                continue
            if str(clip_id) in stored_before:
                metrics.CLIPS_DUPLICATE.inc()
                log.info("clip %s already stored, acking again", clip_id, extra=_ids(meta))
                continue
            copy_of = same_audio.get((meta.booth_id, meta.sha256))
            if copy_of is not None:  # the same recording under a new id: kept once
                metrics.CLIPS_DUPLICATE.inc()
                log.warning("clip %s is clip %s's audio again; not stored", clip_id, copy_of)
                acks[index] = Ack(
                    clip_id=clip_id,
                    status=AckStatus.STORED,
                    reason="duplicate",
                    detail=f"the same audio as clip {copy_of}",
                )
                continue
            if not self.buckets.take(meta.booth_id):
                wait = self.buckets.wait_s(meta.booth_id)
                limited = ProtocolError(
                    RejectReason.RATE_LIMITED,
                    f"more than {self.settings.booth_clips_per_minute:g} clips a minute "
                    f"(burst {self.settings.booth_clip_burst}); send again in {wait:.0f} s",
                )
                # Not kept as a rejection row: a flood must not fill the database either.
                acks[index] = self._rejection(inbounds[index], limited, None)
                continue
            if self.settings.duplicate_audio_s:
                same_audio[(meta.booth_id, meta.sha256)] = str(clip_id)
            key = audio_key(meta)
            audio.append((key, inbounds[index].payload))
            wanted = themes.get(meta.theme) or self.settings.language_for(
                meta.theme, meta.neighborhood
            )
            rows.append(_clip_row(meta, key, len(inbounds[index].payload), wanted))
        self.store.put_many(audio)  # durable before the rows that point at it
        try:
            with self.sessions.begin() as session:
                session.add_all([*rows, *rejections])
        except IntegrityError:
            if len(inbounds) == 1:
                # Another receiver stored the same clip between our check and our insert.
                metrics.CLIPS_DUPLICATE.inc()
                return [a for a in acks if a is not None]
            return [self.accept(inbound) for inbound in inbounds]  # settle them one by one
        for row in rows:
            metrics.CLIPS_STORED.inc()
            log.info("stored clip %s at %s", row.id, row.audio_key, extra={"clip_id": row.id})
        return [a for a in acks if a is not None]

    def _validate(self, inbound: InboundClip, registered: dict[str, str] | None) -> ClipMeta:
        """`registered`: the booths allowed to send and their neighborhoods, or None in open
        registration."""
        booth_id, channel = self.topics.parse(inbound.topic)
        if channel is not Channel.CLIPS:
            raise ProtocolError(RejectReason.MALFORMED_METADATA, f"not a clips topic: {channel}")
        size = len(inbound.payload)
        if size == 0:
            raise ProtocolError(RejectReason.EMPTY_PAYLOAD, "payload is empty")
        if size > self.settings.max_clip_bytes:
            raise ProtocolError(
                RejectReason.OVERSIZE, f"{size} bytes > {self.settings.max_clip_bytes}"
            )
        if inbound.fault:
            raise ProtocolError(RejectReason.MALFORMED_METADATA, inbound.fault)
        meta = ClipMeta.from_dict(inbound.fields)
        if meta.booth_id != booth_id:
            raise ProtocolError(
                RejectReason.BOOTH_MISMATCH,
                f"metadata says {meta.booth_id!r}, topic says {booth_id!r}",
            )
        if registered is not None and booth_id not in registered:
            raise ProtocolError(RejectReason.UNKNOWN_BOOTH, f"booth {booth_id!r} not registered")
        if registered is not None and meta.neighborhood != registered[booth_id]:
            raise ProtocolError(
                RejectReason.NEIGHBORHOOD_MISMATCH,
                f"booth {booth_id!r} stands in {registered[booth_id]!r}, not {meta.neighborhood!r}",
            )
        if sha256_hex(inbound.payload) != meta.sha256:
            raise ProtocolError(RejectReason.CHECKSUM_MISMATCH, "sha256 does not match payload")
        self._check_audio(inbound.payload, meta)
        return self._trusted_time(meta)

    def _check_audio(self, payload: bytes, meta: ClipMeta) -> None:
        """The payload is audio of the declared kind and length. Ogg Opus (what booths send)
        is checked page by page without decoding (ingest.receive.ogg); FLAC through libsndfile,
        decoding its first and last half second."""
        if meta.extension == "ogg":
            if payload.startswith(b"fLaC"):
                raise ProtocolError(
                    RejectReason.UNSUPPORTED_CONTENT_TYPE, "payload is FLAC, content type says OGG"
                )
            try:
                decoded_ms = ogg.read_info(payload).duration_ms
            except ogg.NotOggOpus as exc:
                raise ProtocolError(RejectReason.UNDECODABLE_AUDIO, str(exc)) from exc
        else:
            decoded_ms = self._decoded_ms(payload, meta)
        self._check_length(decoded_ms, meta)

    def _decoded_ms(self, payload: bytes, meta: ClipMeta) -> int:
        try:
            with sf.SoundFile(io.BytesIO(payload)) as audio:
                expected = meta.extension.upper()
                if audio.format != expected:
                    raise ProtocolError(
                        RejectReason.UNSUPPORTED_CONTENT_TYPE,
                        f"payload is {audio.format}, content type says {expected}",
                    )
                rate, frames = audio.samplerate, audio.frames
                probe = rate // 2
                head = len(audio.read(probe, dtype="int16"))
                audio.seek(max(0, frames - probe))
                tail = len(audio.read(dtype="int16"))
        except (sf.LibsndfileError, RuntimeError, TypeError) as exc:
            raise ProtocolError(RejectReason.UNDECODABLE_AUDIO, str(exc)) from exc
        if frames <= 0 or head < min(probe, frames) or tail < min(probe, frames):
            raise ProtocolError(RejectReason.UNDECODABLE_AUDIO, "audio does not decode to the end")
        return int(frames * 1000 // rate)

    def _check_length(self, decoded_ms: int, meta: ClipMeta) -> None:
        if abs(decoded_ms - meta.duration_ms) > _DURATION_TOLERANCE_MS:
            raise ProtocolError(
                RejectReason.UNDECODABLE_AUDIO,
                f"decoded {decoded_ms} ms, metadata says {meta.duration_ms} ms (truncated?)",
            )
        if not self.settings.min_duration_ms <= decoded_ms <= self.settings.max_duration_ms:
            raise ProtocolError(
                RejectReason.DURATION_OUT_OF_BOUNDS,
                f"{decoded_ms} ms outside {self.settings.min_duration_ms}"
                f"..{self.settings.max_duration_ms} ms",
            )

    def _trusted_time(self, meta: ClipMeta) -> ClipMeta:
        """The clip with a recording time ingest can stand behind. A Pi has no battery clock:
        a booth that recorded before NTP set its clock (it says so), or whose time is in the
        future or older than any spool holds, gets the time ingest received the clip: a
        message is never lost over its timestamp."""
        now = datetime.now(UTC)
        if meta.clock_synced is False:
            why = "its clock was not set"
        elif meta.recorded_at > now + timedelta(minutes=5):
            why = "recorded in the future"
        elif meta.recorded_at < now - timedelta(seconds=self.settings.max_clock_skew_s):
            why = "recorded too long ago"
        else:
            return meta
        metrics.CLIPS_RETIMED.inc()
        log.warning(
            "clip %s: %s (booth says %s); stored at the time received",
            meta.clip_id,
            why,
            meta.recorded_at.isoformat(),
            extra=_ids(meta),
        )
        return replace(meta, recorded_at=now)

    def _registered_booths(self, inbounds: list[InboundClip]) -> dict[str, str] | None:
        """Which of the batch's booths are in the registry, and where they stand: one query
        for the batch."""
        if self.settings.open_registration:
            return None
        booth_ids = set()
        for inbound in inbounds:
            with contextlib.suppress(ProtocolError):  # a bad topic is rejected in _validate
                booth_ids.add(self.topics.parse(inbound.topic)[0])
        if not booth_ids:
            return {}
        with self.sessions() as session:
            rows = session.execute(
                select(Booth.id, Booth.neighborhood).where(Booth.id.in_(booth_ids))
            )
            return {booth_id: neighborhood for booth_id, neighborhood in rows}

    def _known_themes(self) -> dict[str, str | None]:
        """Managed themes and the language each is asked in."""
        with self.sessions() as session:
            rows = session.execute(select(Theme.slug, Theme.language)).all()
            return {slug: language for slug, language in rows}

    def _check_theme(self, meta: ClipMeta, themes: Mapping[str, str | None]) -> None:
        """A clip's theme must be one the city manages (retired ones too: booths spool
        offline) or the booths' built-in default; before the first theme is made, only the
        default (a slug nobody chose must not reach the public counts)."""
        if not themes and self.settings.open_themes:
            return
        if meta.theme not in themes and meta.theme != self.settings.default_theme:
            raise ProtocolError(RejectReason.UNKNOWN_THEME, f"no theme {meta.theme!r}")

    def _recent_audio(self, metas: list[ClipMeta]) -> dict[tuple[str, str], str]:
        """(booth, sha256) of audio these booths delivered within `duplicate_audio_s`, with
        the clip that holds it."""
        if not metas or not self.settings.duplicate_audio_s:
            return {}
        since = datetime.now(UTC) - timedelta(seconds=self.settings.duplicate_audio_s)
        with self.sessions() as session:
            rows = session.execute(
                select(Clip.booth_id, Clip.sha256, Clip.id).where(
                    Clip.sha256.in_({m.sha256 for m in metas}),
                    Clip.booth_id.in_({m.booth_id for m in metas}),
                    Clip.received_at >= since,
                )
            )
            return {(booth_id, sha): clip_id for booth_id, sha, clip_id in rows}

    def _known_ids(self, clip_ids: list[str]) -> tuple[set[str], set[str]]:
        """Of these clips: those stored already, and those erased on request."""
        if not clip_ids:
            return set(), set()
        with self.sessions() as session:
            stored = set(session.scalars(select(Clip.id).where(Clip.id.in_(clip_ids))))
            erased = set(
                session.scalars(select(ErasedClip.clip_id).where(ErasedClip.clip_id.in_(clip_ids)))
            )
        return stored, erased

    def _rejection(
        self, inbound: InboundClip, exc: ProtocolError, rejections: list[Rejection] | None
    ) -> Ack:
        clip_id = _clip_id_hint(inbound.fields)
        metrics.CLIPS_REJECTED.labels(reason=exc.reason.value).inc()
        log.warning(
            "rejected clip %s on %s: %s",
            clip_id,
            inbound.topic,
            exc,
            extra={"clip_id": clip_id, "reason": exc.reason.value},
        )
        if rejections is None:
            return _rejected(clip_id, exc)
        rejections.append(
            Rejection(
                at=datetime.now(UTC),
                topic=inbound.topic[:300],
                clip_id=clip_id,
                reason=exc.reason.value,
                detail=exc.detail[:2000],
                size_bytes=len(inbound.payload),
            )
        )
        return _rejected(clip_id, exc)


def _rejected(clip_id: str | None, exc: ProtocolError) -> Ack:
    return Ack(
        clip_id=_as_uuid(clip_id),
        status=AckStatus.REJECTED,
        reason=exc.reason.value,
        detail=exc.detail,
    )


def _ids(meta: ClipMeta) -> dict[str, str]:
    return {"clip_id": str(meta.clip_id), "booth_id": meta.booth_id}


def _clip_row(meta: ClipMeta, key: str, size: int, wanted_language: str | None) -> Clip:
    return Clip(
        id=str(meta.clip_id),
        booth_id=meta.booth_id,
        neighborhood=meta.neighborhood,
        theme=meta.theme,
        recorded_at=meta.recorded_at,
        received_at=datetime.now(UTC),
        duration_ms=meta.duration_ms,
        content_type=meta.content_type,
        sha256=meta.sha256,
        size_bytes=size,
        audio_key=key,
        config_version=meta.config_version,
        speech_map=format_speech_map(meta.speech) if meta.speech else None,
        wanted_language=wanted_language,
        receipt_hash=receipt_hash(meta.receipt) if meta.receipt else None,
        status=ClipStatus.RECEIVED,
        attempts=0,
    )


def _clip_id_hint(fields: Mapping[str, str]) -> str | None:
    """The clip id a rejected message claimed, if any, so the booth can match the ack."""
    claimed = fields.get("clip_id")
    return claimed[:64] if claimed is not None else None


def _as_uuid(text: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(text) if text else None
    except ValueError:
        return None
