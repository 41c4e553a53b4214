"""Encoding a message for the wire: Ogg Opus by default (small), FLAC when asked (lossless).

Opus goes through PyAV (FFmpeg's libopus) where its wheels exist: at 24 kb/s it encodes a
minute of speech about three times faster than libsndfile's Opus path, which is the
fallback (32-bit Raspberry Pi OS has no PyAV wheel). Both write standard Ogg Opus.
"""

import io
from enum import StrEnum

import soundfile as sf

from booth.sounds import RATE, Samples
from shared.clip import FLAC, OGG_OPUS

OPUS_BITRATE = 24_000  # speech stays clear; 180 s stay under 1 MB


class Codec(StrEnum):
    OPUS = "opus"
    FLAC = "flac"

    @property
    def content_type(self) -> str:
        return OGG_OPUS if self is Codec.OPUS else FLAC


def encode(samples: Samples, codec: Codec = Codec.OPUS, *, prefer_pyav: bool = True) -> bytes:
    if codec is Codec.FLAC:
        buffer = io.BytesIO()
        sf.write(buffer, samples, RATE, format="FLAC", subtype="PCM_16")
        return buffer.getvalue()
    if prefer_pyav:
        try:
            return _opus_pyav(samples)
        except ImportError:
            pass
    buffer = io.BytesIO()
    # libsndfile's default Opus setting lands near 24 kb/s for speech at 16 kHz.
    sf.write(buffer, samples, RATE, format="OGG", subtype="OPUS")
    return buffer.getvalue()


def _opus_pyav(samples: Samples) -> bytes:
    import av

    buffer = io.BytesIO()
    with av.open(buffer, "w", format="ogg") as container:
        stream = container.add_stream("libopus", rate=RATE, layout="mono")
        stream.bit_rate = OPUS_BITRATE
        stream.options = {"application": "voip"}
        frame = av.AudioFrame.from_ndarray(
            samples.reshape(1, -1).astype("int16"), format="s16", layout="mono"
        )
        frame.sample_rate = RATE
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return buffer.getvalue()


def duration_ms(samples: Samples) -> int:
    return len(samples) * 1000 // RATE
