"""Durable file writes, for both halves: a power cut leaves the old file or the new one."""

import functools
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO


def _create(path: Path, mode: int) -> BinaryIO:
    """`path` opened for writing, made with `mode` (less the umask) if new."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode), "wb")


def write_atomic(path: Path, data: bytes, mode: int = 0o666) -> None:
    """Write to a temporary name, fsync, rename over `path`, fsync the directory. `mode`:
    the new file's, less the umask (0o600: for its owner alone, whatever the umask)."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with _create(tmp, mode) as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def fsync_dir(directory: Path) -> None:
    """Make renames and deletions in `directory` durable."""
    _fsync(directory)


def _fsync(path: Path) -> None:
    """A file's data, or a directory's entries, on disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_many_atomic(files: Sequence[tuple[Path, bytes]], mode: int = 0o666) -> None:
    """`write_atomic` for several files at once: each is whole or absent after a power cut,
    and all are durable on return. The fsyncs run side by side and each directory is synced
    once, so a batch costs about what one file does."""
    temps = [path.with_name(f".{path.name}.tmp") for path, _ in files]
    try:
        for tmp, (_, data) in zip(temps, files, strict=True):
            with _create(tmp, mode) as handle:
                handle.write(data)
        list(_syncers().map(_fsync, temps))
        for tmp, (path, _) in zip(temps, files, strict=True):
            os.replace(tmp, path)
    except BaseException:
        for tmp in temps:
            tmp.unlink(missing_ok=True)
        raise
    list(_syncers().map(_fsync, {path.parent for path, _ in files}))


@functools.cache
def _syncers() -> ThreadPoolExecutor:
    """fsyncs issued together let the file system's journal commit them as one group.
    Made on first use: the booth, which writes one file at a time, never starts it."""
    return ThreadPoolExecutor(max_workers=8, thread_name_prefix="fsync")
