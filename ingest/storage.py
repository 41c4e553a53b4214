"""Where clip audio lives: a small interface, with the local filesystem behind it."""

import contextlib
from pathlib import Path
from typing import Protocol

from ingest.errors import StorageError
from shared.clip import ClipMeta
from shared.files import write_atomic


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
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, payload)
        except OSError as exc:
            raise StorageError(f"cannot store {key}: {exc.strerror or exc}") from exc

    def delete(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path(key).unlink()
