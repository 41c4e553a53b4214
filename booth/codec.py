"""Encoding a message for the wire: Ogg Opus by default (small), FLAC when asked (lossless).

Opus goes through PyAV (FFmpeg's libopus) where its wheels exist: at 24 kb/s it encodes a
minute of speech about three times faster than libsndfile's Opus path, which is the
fallback (32-bit Raspberry Pi OS has no PyAV wheel). Both write standard Ogg Opus.
"""

import io
from collections.abc import Iterable
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
    return encode_chunks([samples], codec, prefer_pyav=prefer_pyav)


def encode_chunks(
    chunks: Iterable[Samples], codec: Codec = Codec.OPUS, *, prefer_pyav: bool = True
) -> bytes:
    """Encode a message read in chunks, so no copy of the whole message is ever held."""
    if codec is Codec.OPUS and prefer_pyav:
        try:
            return _opus_pyav(chunks)
        except ImportError:
            pass
    buffer = io.BytesIO()
    # libsndfile's default Opus setting lands near 24 kb/s for speech at 16 kHz.
    fmt, subtype = ("FLAC", "PCM_16") if codec is Codec.FLAC else ("OGG", "OPUS")
    with sf.SoundFile(buffer, "w", RATE, 1, subtype, format=fmt) as out:
        for chunk in chunks:
            out.write(chunk)
    return buffer.getvalue()


def _opus_pyav(chunks: Iterable[Samples]) -> bytes:
    import av

    buffer = io.BytesIO()
    with av.open(buffer, "w", format="ogg") as container:
        stream = container.add_stream("libopus", rate=RATE, layout="mono")
        stream.bit_rate = OPUS_BITRATE
        stream.options = {"application": "voip"}
        pts = 0
        for chunk in chunks:
            frame = av.AudioFrame.from_ndarray(
                chunk.reshape(1, -1).astype("int16"), format="s16", layout="mono"
            )
            frame.sample_rate = RATE
            frame.pts = pts
            pts += len(chunk)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return buffer.getvalue()


def duration_ms(samples: Samples) -> int:
    return len(samples) * 1000 // RATE
