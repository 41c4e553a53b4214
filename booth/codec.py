"""Encoding a message for the wire: Ogg Opus by default (small), FLAC when asked (lossless)."""

import io
from enum import StrEnum

import soundfile as sf

from booth.sounds import RATE, Samples
from shared.clip import FLAC, OGG_OPUS


class Codec(StrEnum):
    OPUS = "opus"
    FLAC = "flac"

    @property
    def content_type(self) -> str:
        return OGG_OPUS if self is Codec.OPUS else FLAC


def encode(samples: Samples, codec: Codec = Codec.OPUS) -> bytes:
    buffer = io.BytesIO()
    if codec is Codec.OPUS:
        # libsndfile's default Opus setting lands near 24 kb/s for speech at 16 kHz, so three
        # minutes stay under 1 MB; its compression_level knob raises the bitrate, not lowers it.
        sf.write(buffer, samples, RATE, format="OGG", subtype="OPUS")
    else:
        sf.write(buffer, samples, RATE, format="FLAC", subtype="PCM_16")
    return buffer.getvalue()


def duration_ms(samples: Samples) -> int:
    return len(samples) * 1000 // RATE
