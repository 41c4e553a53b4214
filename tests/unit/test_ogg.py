"""Intake's Ogg Opus reader (ingest.receive.ogg) agrees with libsndfile on every stream booths and
tools make, and says what is wrong with every broken one."""

import io
import struct

import numpy as np
import pytest
import soundfile as sf

from booth.ogg_opus import encode_ogg_opus
from ingest.receive.ogg import NotOggOpus, read_info
from tests.unit.test_ogg_opus import pages


def tone(seconds: float) -> np.ndarray:
    t = np.arange(int(16000 * seconds)) / 16000
    return (5000 * np.sin(2 * np.pi * 220 * t)).astype(np.int16)


def libsndfile_opus(samples: np.ndarray, rate: int = 16000, channels: int = 1) -> bytes:
    out = io.BytesIO()
    data = np.repeat(samples[:, None], channels, axis=1) if channels > 1 else samples
    sf.write(out, data, rate, format="OGG", subtype="OPUS")
    return out.getvalue()


@pytest.mark.parametrize("seconds", [0.02, 1.0, 3.7, 61.3])
def test_the_booths_streams_have_the_length_a_decoder_finds(seconds: float) -> None:
    data = encode_ogg_opus([tone(seconds)], 24_000)
    info = read_info(data)
    frames = sf.info(io.BytesIO(data)).frames
    assert (info.channels, info.input_rate) == (1, 16000)
    assert info.duration_ms == frames * 1000 // 16000


@pytest.mark.parametrize(("rate", "channels"), [(16000, 1), (48000, 2), (8000, 1)])
def test_libsndfiles_streams_too(rate: int, channels: int) -> None:
    data = libsndfile_opus(tone(2.5), rate, channels)
    info = read_info(data)
    decoded = sf.info(io.BytesIO(data))
    assert info.channels == channels
    assert abs(info.duration_ms - decoded.frames * 1000 // decoded.samplerate) <= 1


def broken(data: bytes) -> dict[str, bytes]:
    found = pages(data)
    whole = [p[3] for p in found]
    assert len(whole) >= 4
    no_eos = b"".join(whole[:-1])
    vorbis = io.BytesIO()
    sf.write(vorbis, tone(1.0), 16000, format="OGG", subtype="VORBIS")
    other_serial = bytearray(whole[2])
    struct.pack_into("<I", other_serial, 14, 0xDEAD)
    return {
        "cut mid-page": data[: len(data) // 2 + 7],
        "cut at a page boundary": no_eos,
        "a page missing": b"".join(whole[:2] + whole[3:]),
        "a second stream": b"".join([*whole[:2], bytes(other_serial), *whole[3:]]),
        "bytes after the end": data + b"\0" * 40,
        "vorbis": vorbis.getvalue(),
        "random bytes": bytes(range(256)) * 20,
        "empty": b"",
        "only the header": whole[0][:20],
    }


@pytest.mark.parametrize(
    "case",
    ["cut mid-page", "cut at a page boundary", "a page missing", "a second stream",
     "bytes after the end", "vorbis", "random bytes", "empty", "only the header"],
)  # fmt: skip
def test_every_broken_stream_is_refused_with_a_reason(case: str) -> None:
    data = broken(encode_ogg_opus([tone(4.0)], 24_000))[case]
    with pytest.raises(NotOggOpus) as refused:
        read_info(data)
    assert str(refused.value)
