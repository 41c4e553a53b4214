"""The durable outbox: every finished clip is on disk before anyone tries to send it.

Layout under the spool directory:
    outbox/{clip_id}.{ext}        the audio
    outbox/{clip_id}.json         its metadata, written last: the clip exists once this exists
    quarantine/{clip_id}.*        clips ingest rejected or that cannot be read, with the reason

Files are written to a temporary name, fsynced, renamed, and the directory fsynced, so a
power cut leaves either the whole clip or nothing that counts.
"""

import contextlib
import json
import logging
import os
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from booth.errors import SpoolCorrupt, SpoolFull
from shared.clip import CONTENT_TYPES, ClipMeta
from shared.errors import ProtocolError
from shared.files import fsync_dir, write_atomic

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SpooledClip:
    meta: ClipMeta
    audio_path: Path

    @property
    def size(self) -> int:
        return self.audio_path.stat().st_size


# Free space left on the card for the system (journal, apt, logs): a card this full takes no
# new messages, as a spool over its budget does. The booth is out of order until sending
# frees space; what the spool holds is kept, oldest sent first.
DISK_RESERVE_BYTES = 50_000_000


class Spool:
    def __init__(
        self,
        root: Path,
        budget_bytes: int = 500_000_000,
        reserve_bytes: int = DISK_RESERVE_BYTES,
    ) -> None:
        self.outbox = root / "outbox"
        self.quarantine_dir = root / "quarantine"
        self.budget_bytes = budget_bytes
        self.reserve_bytes = reserve_bytes
        self._lock = threading.Lock()
        self.outbox.mkdir(parents=True, exist_ok=True)
        self.quarantine_dir.mkdir(parents=True, exist_ok=True)
        self.recover()

    # Writing -------------------------------------------------------------------------

    def put(self, meta: ClipMeta, audio: bytes) -> SpooledClip:
        """Store a finished clip durably; raises SpoolFull when the budget would be exceeded."""
        with self._lock:
            if self.used_bytes() + len(audio) > self.budget_bytes:
                raise SpoolFull(f"spool holds {self.used_bytes()} of {self.budget_bytes} bytes")
            if self.free_bytes() - len(audio) < self.reserve_bytes:
                raise SpoolFull(f"the card has {self.free_bytes()} bytes free")
            audio_path = self.outbox / f"{meta.clip_id}.{meta.extension}"
            write_atomic(audio_path, audio)
            record = json.dumps(meta.to_dict()).encode()
            write_atomic(self.outbox / f"{meta.clip_id}.json", record)
        return SpooledClip(meta, audio_path)

    # Reading -------------------------------------------------------------------------

    def pending(self) -> list[SpooledClip]:
        """Clips waiting to be sent, oldest recording first. Unreadable ones are quarantined."""
        clips = []
        # Under the lock: a clip settled meanwhile (metadata gone first, then its audio)
        # must not look like a corrupt one.
        with self._lock:
            for meta_path in self.outbox.glob("*.json"):
                try:
                    clips.append(self._load(meta_path))
                except SpoolCorrupt as exc:
                    log.error("quarantining corrupt spool entry %s: %s", meta_path.name, exc)
                    self._move_to_quarantine(meta_path.stem, f"corrupt in spool: {exc}")
        return sorted(clips, key=lambda c: (c.meta.recorded_at, str(c.meta.clip_id)))

    def read_audio(self, clip: SpooledClip) -> bytes:
        return clip.audio_path.read_bytes()

    def used_bytes(self) -> int:
        total = 0
        with os.scandir(self.outbox) as entries:
            for entry in entries:
                # A temporary file may be renamed or a settled clip deleted meanwhile.
                with contextlib.suppress(FileNotFoundError):
                    if entry.is_file():
                        total += entry.stat().st_size
        return total

    def depth(self) -> int:
        return sum(1 for _ in self.outbox.glob("*.json"))

    def free_bytes(self) -> int:
        return shutil.disk_usage(self.outbox).free

    @property
    def full(self) -> bool:
        # Room for at least one more long message (3 min Opus is under 1 MB), in the budget
        # and on the card.
        return (
            self.used_bytes() + 1_000_000 > self.budget_bytes
            or self.free_bytes() - 1_000_000 < self.reserve_bytes
        )

    # Settling ------------------------------------------------------------------------

    def delete(self, clip_id: str) -> None:
        """Ingest stored it: the clip may go. The metadata goes first, so a cut leaves an
        orphan audio file (cleaned up by `recover`) and never metadata without audio."""
        with self._lock:
            for path in self._files(clip_id, meta_first=True):
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
            fsync_dir(self.outbox)

    def quarantine(self, clip_id: str, reason: str) -> None:
        with self._lock:
            self._move_to_quarantine(clip_id, reason)

    def quarantined(self) -> list[str]:
        return sorted(p.stem for p in self.quarantine_dir.glob("*.reason"))

    def purge_quarantine(self, older_than_s: float) -> int:
        """Delete quarantined clips older than this (a rejected message is still a voice);
        returns how many."""
        cutoff = time.time() - older_than_s
        purged = 0
        for reason in self.quarantine_dir.glob("*.reason"):
            if reason.stat().st_mtime < cutoff:
                for path in self.quarantine_dir.glob(f"{reason.stem}.*"):
                    path.unlink(missing_ok=True)
                purged += 1
        return purged

    def recover(self) -> None:
        """After a crash: drop half-written temporaries and audio whose metadata never landed."""
        for path in self.outbox.iterdir():
            if path.name.startswith(".") and path.name.endswith(".tmp"):
                log.warning("removing partial spool write %s", path.name)
                path.unlink()
            elif path.suffix != ".json" and not (self.outbox / f"{path.stem}.json").exists():
                log.warning("removing audio %s whose metadata never landed", path.name)
                path.unlink()

    # Internals -----------------------------------------------------------------------

    def _load(self, meta_path: Path) -> SpooledClip:
        try:
            record = json.loads(meta_path.read_text())
            meta = ClipMeta.from_dict({k: str(v) for k, v in record.items() if v is not None})
        except (OSError, ValueError, ProtocolError, AttributeError) as exc:
            raise SpoolCorrupt(str(exc)) from exc
        audio_path = self.outbox / f"{meta.clip_id}.{meta.extension}"
        if not audio_path.exists():
            raise SpoolCorrupt("audio file missing")
        return SpooledClip(meta, audio_path)

    def _files(self, clip_id: str, *, meta_first: bool = False) -> list[Path]:
        meta = self.outbox / f"{clip_id}.json"
        audio = [self.outbox / f"{clip_id}.{ext}" for ext in CONTENT_TYPES.values()]
        return [meta, *audio] if meta_first else [*audio, meta]

    def _move_to_quarantine(self, clip_id: str, reason: str) -> None:
        for path in self._files(clip_id):
            if path.exists():
                shutil.move(path, self.quarantine_dir / path.name)
        write_atomic(self.quarantine_dir / f"{clip_id}.reason", reason.encode())
        fsync_dir(self.outbox)
