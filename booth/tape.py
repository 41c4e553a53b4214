"""A message as it is recorded: blocks spilled to a raw file, so a 600-s message costs the
booth no more memory than a 30-s one.

The file goes to RAM when there is room (systemd's RuntimeDirectory, a tmpfs under /run):
every call would otherwise write up to 19 MB of raw audio to the SD card only to delete it
a second later, and SD cards wear out by writes. A tape is never kept past a crash or a
power cut anyway (the caller never finished consenting to it), so RAM loses nothing. The
arithmetic: 16 kHz 16-bit mono is 32 KB/s; the longest message a config may ask for is
600 s, 19.2 MB; while one message is processed the next caller may record, so two tapes
(38.4 MB) plus 8 MB for the rest of /run. A Raspberry Pi's /run is 10% of its RAM: 1 GB
and more have room (about 100 MB), a 512 MB board only for messages under about 5 minutes;
without room the tape goes beside the spool, as before.

The sound card's thread only appends to a short list; whole chunks go to a writer thread,
so a slow SD card never stalls the capture. Processing reads the tape back in chunks.
"""

import logging
import queue
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from booth.sounds import RATE, Samples

log = logging.getLogger(__name__)

CHUNK_SAMPLES = 10 * RATE  # what is read or written at a time: 320 KB
_BYTES = 2  # int16
RUN_MARGIN_BYTES = 8_000_000  # left for the rest of /run


def tape_folder(ram: Path | None, disk: Path, longest_s: float) -> Path:
    """Where the next tape goes: `ram` (a tmpfs) when it holds two tapes of the longest
    message the booth may record and a margin, else `disk`."""
    if ram is None:
        return disk
    need = 2 * longest_s * RATE * _BYTES + RUN_MARGIN_BYTES
    try:
        room = shutil.disk_usage(ram).free
    except OSError:  # not there (yet): the disk it is
        return disk
    return ram / "tapes" if room >= need else disk


class Tape:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._file = open(path, "wb")  # noqa: SIM115 - closed by close()
        self._lock = threading.Lock()
        self._pending: list[Samples] = []
        self._pending_len = 0
        self._closed = False
        self.samples = 0
        self._chunks: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._writer = threading.Thread(target=self._write, name="tape", daemon=True)
        self._writer.start()

    def append(self, block: Samples) -> None:
        """Called on the sound card's thread; never blocks on the disk."""
        with self._lock:
            if self._closed:
                return  # a block that raced the end of the recording
            self._pending.append(block)
            self._pending_len += len(block)
            self.samples += len(block)
            if self._pending_len >= CHUNK_SAMPLES:
                self._flush()

    def close(self) -> None:
        """Finish writing; afterwards the tape can be read."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._flush()
        self._chunks.put(None)
        self._writer.join()
        self._file.close()

    def read(self, start: int = 0, end: int | None = None) -> Iterator[Samples]:
        """Samples [start, end) in chunks of at most CHUNK_SAMPLES."""
        end = self.samples if end is None else min(end, self.samples)
        with open(self.path, "rb") as handle:
            handle.seek(start * _BYTES)
            position = start
            while position < end:
                count = min(CHUNK_SAMPLES, end - position)
                chunk = np.fromfile(handle, dtype="<i2", count=count)
                if not len(chunk):
                    return
                position += len(chunk)
                yield chunk

    def discard(self) -> None:
        self.close()
        self.path.unlink(missing_ok=True)

    def _flush(self) -> None:  # holding the lock
        if self._pending:
            self._chunks.put(np.concatenate(self._pending).astype("<i2").tobytes())
            self._pending, self._pending_len = [], 0

    def _write(self) -> None:
        while (data := self._chunks.get()) is not None:
            try:
                self._file.write(data)
            except OSError as exc:  # a full card: the message is cut short, the booth lives
                log.error("tape %s: %s", self.path.name, exc)
        try:
            self._file.flush()
        except OSError as exc:
            log.error("tape %s: %s", self.path.name, exc)
