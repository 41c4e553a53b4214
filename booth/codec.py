"""Encoding a message for the wire: Ogg Opus by default (small), FLAC when asked (lossless).

Opus is libopus from Debian's `libopus0` with our own Ogg writer (booth/ogg_opus.py): no
FFmpeg in the booth (PyAV's costs 16-20 MB), and at complexity 5 a minute of speech
encodes in about a third of a second on one core (docs/performance.md).
"""

import io
from collections.abc import Iterable
from enum import StrEnum

import soundfile as sf

from booth.ogg_opus import encode_ogg_opus
from booth.sounds import RATE, Samples
from shared.clip import FLAC, OGG_OPUS

OPUS_BITRATE = 24_000  # speech stays clear; 180 s stay under 1 MB
# libopus' default is 9; at 5 it needs half the CPU for speech at 24 kb/s, with the same
# transcripts in the bench (docs/performance.md).
OPUS_COMPLEXITY = 5


class Codec(StrEnum):
    OPUS = "opus"
    FLAC = "flac"

    @property
    def content_type(self) -> str:
        return OGG_OPUS if self is Codec.OPUS else FLAC


def encode(samples: Samples, codec: Codec = Codec.OPUS) -> bytes:
    return encode_chunks([samples], codec)


def encode_chunks(chunks: Iterable[Samples], codec: Codec = Codec.OPUS) -> bytes:
    """Encode a message read in chunks, so no copy of the whole message is ever held."""
    if codec is Codec.OPUS:
        return encode_ogg_opus(chunks, OPUS_BITRATE, complexity=OPUS_COMPLEXITY)
    buffer = io.BytesIO()
    with sf.SoundFile(buffer, "w", RATE, 1, "PCM_16", format="FLAC") as out:
        for chunk in chunks:
            out.write(chunk)
    return buffer.getvalue()


def duration_ms(samples: Samples) -> int:
    return len(samples) * 1000 // RATE
