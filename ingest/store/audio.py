"""Where clip audio lives: a small interface, with a local directory or an S3-compatible
bucket behind it (`INGEST_AUDIO_STORE`)."""

import contextlib
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from ingest.settings import IngestSettings

from ingest.errors import StorageError
from ingest.store.secrets import FILE_MODE, private_folders
from shared.clip import ClipMeta
from shared.files import write_atomic, write_many_atomic


def audio_key(meta: ClipMeta) -> str:
    """`{neighborhood}/{theme}/{YYYY}/{MM}/{clip_id}.{ext}`; all parts are validated slugs."""
    moment = meta.recorded_at
    return (
        f"{meta.neighborhood}/{meta.theme}/{moment:%Y}/{moment:%m}/{meta.clip_id}.{meta.extension}"
    )


class AudioStore(Protocol):
    def put(self, key: str, payload: bytes) -> None: ...
    def put_many(self, items: list[tuple[str, bytes]]) -> None:
        """Several objects, all stored on return (intake's group commit)."""
        ...

    def size(self, key: str) -> int | None:
        """Bytes stored under `key`; None when nothing is."""
        ...

    def read(self, key: str, start: int = 0, end: int | None = None) -> bytes:
        """Bytes [start, end) of the object (all of it by default)."""
        ...

    def local_file(self, key: str) -> contextlib.AbstractContextManager[Path]:
        """A file the decoder can open, for as long as the context lasts."""
        ...

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
            private_folders(self.root, target.parent)
            write_atomic(target, payload, FILE_MODE)
        except OSError as exc:
            raise StorageError(f"cannot store {key}: {exc.strerror or exc}") from exc

    def put_many(self, items: list[tuple[str, bytes]]) -> None:
        if not items:
            return
        files = [(self.path(key), payload) for key, payload in items]
        try:
            for folder in {path.parent for path, _ in files}:
                private_folders(self.root, folder)
            write_many_atomic(files, FILE_MODE)
        except OSError as exc:
            raise StorageError(f"cannot store {len(items)} clips: {exc.strerror or exc}") from exc

    def size(self, key: str) -> int | None:
        try:
            return self.path(key).stat().st_size
        except FileNotFoundError:
            return None

    def read(self, key: str, start: int = 0, end: int | None = None) -> bytes:
        with open(self.path(key), "rb") as audio:
            audio.seek(start)
            return audio.read(-1 if end is None else max(0, end - start))

    @contextlib.contextmanager
    def local_file(self, key: str) -> Iterator[Path]:
        yield self.path(key)

    def delete(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path(key).unlink()


class S3AudioStore:
    """Objects in an S3-compatible bucket (MinIO, Ceph, a cloud's) through boto3. A PUT is
    whole or absent, as a rename is locally. Credentials come the usual AWS ways
    (environment, shared files, instance roles)."""

    # PUTs of one intake batch in flight at once: each waits on the network far longer
    # than it works, and a batch is acked only when all are stored.
    PARALLEL_PUTS = 16

    def __init__(self, bucket: str, prefix: str = "", endpoint_url: str | None = None) -> None:
        import boto3
        from botocore.config import Config

        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        # boto3 clients are thread-safe; their pool must hold a connection per PUT in flight.
        self.client: Any = boto3.client(
            "s3",
            endpoint_url=endpoint_url,
            config=Config(max_pool_connections=self.PARALLEL_PUTS),
        )
        self._uploads = ThreadPoolExecutor(self.PARALLEL_PUTS, thread_name_prefix="s3-put")

    def _key(self, key: str) -> str:
        if ".." in key.split("/") or key.startswith("/"):
            raise StorageError(f"audio key escapes the store: {key!r}")
        return self.prefix + key

    def put(self, key: str, payload: bytes) -> None:
        try:
            self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=payload)
        except Exception as exc:  # botocore's errors, connection errors
            raise StorageError(f"cannot store {key} in s3://{self.bucket}: {exc}") from exc

    def put_many(self, items: list[tuple[str, bytes]]) -> None:
        """All PUTs side by side; the first failure is raised once all have ended (the
        clips are then not acked, and the booths' resends overwrite what did land)."""
        if len(items) <= 1:
            for key, payload in items:
                self.put(key, payload)
            return
        futures = [self._uploads.submit(self.put, key, payload) for key, payload in items]
        failures = [exc for future in futures if (exc := future.exception()) is not None]
        if failures:
            raise failures[0]

    def size(self, key: str) -> int | None:
        from botocore.exceptions import ClientError

        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise StorageError(f"cannot reach s3://{self.bucket}: {exc}") from exc
        return int(head["ContentLength"])

    def read(self, key: str, start: int = 0, end: int | None = None) -> bytes:
        extra = {}
        if start or end is not None:
            extra["Range"] = f"bytes={start}-{'' if end is None else end - 1}"
        answer = self.client.get_object(Bucket=self.bucket, Key=self._key(key), **extra)
        return bytes(answer["Body"].read())

    @contextlib.contextmanager
    def local_file(self, key: str) -> Iterator[Path]:
        suffix = Path(key).suffix
        with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
            self.client.download_fileobj(self.bucket, self._key(key), copy)
            copy.flush()
            yield Path(copy.name)

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))


def make_store(settings: "IngestSettings") -> AudioStore:
    if settings.audio_store == "s3":
        if not settings.s3_bucket:
            raise StorageError("INGEST_AUDIO_STORE=s3 needs INGEST_S3_BUCKET")
        return S3AudioStore(settings.s3_bucket, settings.s3_prefix, settings.s3_endpoint_url)
    return LocalAudioStore(settings.audio_dir)
