"""Real encoded clips and their metadata, for feeding ingest directly."""

import io
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from shared.clip import OGG_OPUS, ClipMeta, sha256_hex


def encode_file(path: Path, fmt: str = "OGG", subtype: str = "OPUS") -> tuple[bytes, int]:
    data, rate = sf.read(path, dtype="int16")
    buffer = io.BytesIO()
    sf.write(buffer, data, rate, format=fmt, subtype=subtype)
    return buffer.getvalue(), len(data) * 1000 // rate


def encode_samples(samples: np.ndarray) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    sf.write(buffer, samples, 16000, format="OGG", subtype="OPUS")
    return buffer.getvalue(), len(samples) * 1000 // 16000


def meta_for(payload: bytes, booth_id: str, duration_ms: int, **changes: Any) -> ClipMeta:
    fields: dict[str, Any] = {
        "clip_id": uuid.uuid4(),
        "booth_id": booth_id,
        "neighborhood": "gellerup",
        "theme": "parks",
        "recorded_at": datetime.now(UTC),
        "duration_ms": duration_ms,
        "sha256": sha256_hex(payload),
        "content_type": OGG_OPUS,
        "config_version": 1,
    }
    fields.update(changes)
    return ClipMeta(**fields)


def properties_from(fields: dict[str, str]) -> Properties:
    """PUBLISH properties from raw fields (paho appends on each UserProperty assignment,
    so edited fields must go into a fresh object)."""
    fields = dict(fields)
    props = Properties(PacketTypes.PUBLISH)
    props.ContentType = fields.pop("content_type", "")
    props.UserProperty = list(fields.items())
    return props


def room_tone(seconds: float, level: float = 30.0, seed: int = 1) -> np.ndarray:
    """Quiet noise like an empty booth's microphone."""
    rng = np.random.default_rng(seed)
    return (rng.normal(0, level, int(16000 * seconds))).astype(np.int16)


def voiced_burst(seconds: float, pitch_hz: float = 130.0) -> np.ndarray:
    """A sustained vowel of `seconds` (harmonics of the pitch, a little vibrato, soft edges):
    WebRTC VAD hears it as speech from its first frame to about two frames past its end."""
    t = np.arange(int(16000 * seconds)) / 16000
    vibrato = 1 + 0.05 * np.sin(2 * np.pi * 5 * t)
    harmonics = sum(np.sin(2 * np.pi * pitch_hz * k * t) / k for k in range(1, 30))
    edges = np.minimum(1.0, np.minimum(t, seconds - t) / 0.02)
    signal = harmonics * vibrato * edges
    return (signal / np.abs(signal).max() * 8000).astype(np.int16)
