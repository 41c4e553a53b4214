"""The booth's Ogg Opus writer, read back by the decoders ingest and players use:
libsndfile (libogg + libopus) and FFmpeg (PyAV, as faster-whisper decodes)."""

import io
import itertools
import struct

import av
import numpy as np
import pytest
import soundfile as sf

from booth.ogg_opus import FRAME, encode_ogg_opus, ogg_crc


def pages(data: bytes) -> list[tuple[int, int, int, bytes]]:
    """(flags, granule, sequence, whole page) of each page, checked for structure."""
    found, at = [], 0
    while at < len(data):
        assert data[at : at + 4] == b"OggS", f"no page at {at}"
        flags, granule, _serial, sequence, _crc, count = struct.unpack_from("<BqIIIB", data, at + 5)
        lacing = data[at + 27 : at + 27 + count]
        end = at + 27 + count + sum(lacing)
        found.append((flags, granule, sequence, data[at:end]))
        at = end
    return found


@pytest.fixture(scope="module")
def voice() -> np.ndarray:
    t = np.arange(16000 * 7) / 16000
    wobble = np.sin(2 * np.pi * 3 * t)
    return (6000 * np.sin(2 * np.pi * (180 + 40 * wobble) * t)).astype(np.int16)


@pytest.mark.parametrize("length", [0, 1, FRAME - 1, FRAME, 16000 * 7])
def test_any_length_decodes_to_exactly_that_length(voice: np.ndarray, length: int) -> None:
    data = encode_ogg_opus([voice[:length]], 24_000)
    decoded, rate = sf.read(io.BytesIO(data), dtype="int16")
    assert rate == 16000 and len(decoded) == length


def test_chunks_of_any_size_make_the_same_stream(voice: np.ndarray) -> None:
    whole = encode_ogg_opus([voice], 24_000)
    cuts = [0, 1, 333, 640, 641, 20000, 51111, len(voice)]
    chunked = encode_ogg_opus([voice[a:b] for a, b in itertools.pairwise(cuts)], 24_000)
    assert chunked == whole


def test_pages_carry_head_tags_granules_and_checksums(voice: np.ndarray) -> None:
    data = encode_ogg_opus([voice], 24_000)
    found = pages(data)
    head = found[0][3]
    assert found[0][0] == 0x02 and head[28:36] == b"OpusHead"
    version, channels, pre_skip, rate = struct.unpack_from("<BBHI", head, 36)
    assert (version, channels, rate) == (1, 1, 16000) and pre_skip > 0
    assert found[1][3][28:36] == b"OpusTags" and found[1][1] == 0
    assert [p[2] for p in found] == list(range(len(found)))
    granules = [p[1] for p in found[2:]]
    assert granules == sorted(granules) and found[-1][0] == 0x04
    assert granules[-1] == pre_skip + len(voice) * 3  # 48-kHz units, padding trimmed
    for *_, page in found:
        blank = page[:22] + b"\0\0\0\0" + page[26:]
        assert struct.unpack_from("<I", page, 22)[0] == ogg_crc(blank)
    # About one page a second: a power cut mid-write loses at most that much.
    assert 6 <= len(found) - 2 <= 9


def test_a_damaged_page_is_dropped_by_the_reader_not_misread(voice: np.ndarray) -> None:
    data = bytearray(encode_ogg_opus([voice], 24_000))
    third = pages(bytes(data))[4]
    at = bytes(data).index(third[3]) + 60
    data[at] ^= 0xFF  # one flipped byte: the page's checksum no longer matches
    decoded, _ = sf.read(io.BytesIO(bytes(data)), dtype="int16")
    assert len(decoded) < len(voice)


def test_ffmpeg_reads_it_as_whisper_will_and_the_sound_survives(voice: np.ndarray) -> None:
    data = encode_ogg_opus([voice], 24_000, complexity=5)
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.audio[0]
        assert stream.codec_context.name == "opus"
        samples = np.concatenate(
            [frame.to_ndarray().reshape(-1) for frame in container.decode(stream)]
        )
    assert len(samples) == len(voice) * 3  # 48 kHz, pre-skip applied
    decoded, _ = sf.read(io.BytesIO(data), dtype="int16")
    assert (
        np.corrcoef(voice.astype(float), decoded.astype(float))[0, 1] > 0.9
    )  # a waveform check; words are checked in e2e


def test_loud_noise_makes_packets_longer_than_a_lacing_segment() -> None:
    noise = np.random.default_rng(1).integers(-20000, 20000, 16000 * 3, dtype=np.int16)
    data = encode_ogg_opus([noise], 128_000)
    lacings = [page[27 : 27 + page[26]] for *_, page in pages(data)[2:]]
    assert any(255 in lacing for lacing in lacings)  # packets that span segments
    decoded, _ = sf.read(io.BytesIO(data), dtype="int16")
    assert len(decoded) == len(noise)
