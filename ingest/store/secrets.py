"""Private files of the service: its own secrets, and folders only it may read.

Personal data lies under the data directory (audio, transcripts, the database), so what the
service creates there is for its own user alone (0600 files, 0700 folders) whatever umask it
was started with.
"""

import contextlib
import os
import secrets
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(path: Path) -> Path:
    """`path` and any missing parents made 0700; an existing folder is tightened to 0700."""
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    path.chmod(FOLDER_MODE)
    return path


def private_folders(root: Path, folder: Path) -> None:
    """`folder` and the folders between it and `root` made 0700 where missing (mkdir's
    `parents` would make them with the umask's mode)."""
    missing = []
    for path in (folder, *folder.parents):
        if path == root or path.is_dir():
            break
        missing.append(path)
    if not root.is_dir():
        private_folder(root)
    for path in reversed(missing):
        path.mkdir(mode=FOLDER_MODE, exist_ok=True)


def private_file(path: Path) -> Path:
    """An empty 0600 file at `path` if none is there (a database file SQLite then fills:
    SQLite gives its journal and WAL files the database file's mode)."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    return path


def secret_key(path: Path, size: int = 32) -> bytes:
    """The key kept in `path`, made (random, 0600) the first time; several processes
    sharing the data directory read the same key."""
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        key = b""
    if key:
        return _checked(key, size, path)
    fresh = secrets.token_bytes(size)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "wb") as out:
        out.write(fresh)
        out.flush()
        os.fsync(out.fileno())
    try:
        os.link(tmp, path)  # the first process to make it wins; the others read its key
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
    return _checked(path.read_bytes(), size, path)


def _checked(key: bytes, size: int, path: Path) -> bytes:
    if len(key) < size:
        raise ValueError(f"{path} holds {len(key)} bytes; a key needs {size}: remove it")
    return key
