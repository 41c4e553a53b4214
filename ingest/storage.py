"""Where clip audio lives: a small interface, with the local filesystem behind it."""

import contextlib
import os
from pathlib import Path
from typing import Protocol

from ingest.errors import StorageError
from shared.clip import ClipMeta


def audio_key(meta: ClipMeta) -> str:
    """`{neighborhood}/{theme}/{YYYY}/{MM}/{clip_id}.{ext}`; all parts are validated slugs."""
    moment = meta.recorded_at
    return (
        f"{meta.neighborhood}/{meta.theme}/{moment:%Y}/{moment:%m}/{meta.clip_id}.{meta.extension}"
    )


class AudioStore(Protocol):
    def put(self, key: str, payload: bytes) -> None: ...
    def path(self, key: str) -> Path: ...
    def delete(self, key: str) -> None: ...


class LocalAudioStore:
    """Files under one directory, each written so that a power cut leaves either all or nothing."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root):
            raise StorageError(f"audio key escapes the store: {key!r}")
        return path

    def put(self, key: str, payload: bytes) -> None:
        target = self.path(key)
        tmp = target.with_name(f".{target.name}.tmp")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
            _fsync_dir(target.parent)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise StorageError(f"cannot store {key}: {exc.strerror or exc}") from exc

    def delete(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path(key).unlink()


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
