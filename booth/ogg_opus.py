"""A small Ogg Opus writer (RFC 7845 over RFC 3533 pages) around libopus (`opuslib-next`).

The booth's own encoder: libopus from Debian's `libopus0` through a thin ctypes binding,
with no FFmpeg in the process, which PyAV would bring (16-20 MB of the booth's memory).
Mono 16-kHz speech in 20-ms packets, about one page per second of audio.
"""

import io
import struct
from collections.abc import Iterable

import numpy as np

from booth.sounds import RATE, Samples

FRAME = RATE // 50  # 20 ms: the packet size speech codecs are tuned for
PACKETS_PER_PAGE = 50  # one page per second: little overhead, little lost to a cut
OPUS_RATE = 48_000  # granule positions count 48-kHz samples, whatever the input rate
VENDOR = b"digital-neighborhood booth (libopus)"


def _crc_table() -> list[int]:
    table = []
    for byte in range(256):
        crc = byte << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) if crc & 0x80000000 else crc << 1
        table.append(crc & 0xFFFFFFFF)
    return table


_CRC = _crc_table()


def ogg_crc(data: bytes) -> int:
    """Ogg's CRC-32: polynomial 0x04C11DB7, not reflected, no initial or final XOR (which
    is why zlib.crc32 will not do)."""
    crc = 0
    table = _CRC
    for byte in data:
        crc = ((crc << 8) & 0xFFFFFFFF) ^ table[((crc >> 24) ^ byte) & 0xFF]
    return crc


class OggStream:
    """Packets into pages of one logical stream (RFC 3533)."""

    def __init__(self, out: io.BytesIO, serial: int) -> None:
        self.out = out
        self.serial = serial
        self.sequence = 0
        self.packets: list[bytes] = []
        self.segments = 0
        self.granule = 0

    def add(self, packet: bytes, granule: int) -> None:
        """A packet that ends at `granule`; pages are written as they fill."""
        segments = len(packet) // 255 + 1
        if self.packets and (
            self.segments + segments > 255 or len(self.packets) >= PACKETS_PER_PAGE
        ):
            self.page(self.granule)
        self.packets.append(packet)
        self.segments += segments
        self.granule = granule

    def page(self, granule: int, *, first: bool = False, last: bool = False) -> None:
        lacing = bytearray()
        for packet in self.packets:
            lacing += b"\xff" * (len(packet) // 255) + bytes([len(packet) % 255])
        flags = (0x02 if first else 0) | (0x04 if last else 0)
        header = struct.pack(
            "<4sBBqIIIB", b"OggS", 0, flags, granule, self.serial, self.sequence, 0, len(lacing)
        )
        page = bytearray(header + bytes(lacing) + b"".join(self.packets))
        struct.pack_into("<I", page, 22, ogg_crc(bytes(page)))
        self.out.write(page)
        self.sequence += 1
        self.packets, self.segments = [], 0


def opus_head(pre_skip: int, input_rate: int = RATE) -> bytes:
    """RFC 7845 5.1: version 1, one channel, mapping family 0."""
    return struct.pack("<8sBBHIhB", b"OpusHead", 1, 1, pre_skip, input_rate, 0, 0)


def opus_tags() -> bytes:
    """RFC 7845 5.2: the vendor string and no comments."""
    return b"OpusTags" + struct.pack("<I", len(VENDOR)) + VENDOR + struct.pack("<I", 0)


def encode_ogg_opus(
    chunks: Iterable[Samples], bitrate: int, complexity: int = 9, serial: int = 0x0B007B
) -> bytes:
    """Mono 16-kHz int16 chunks of any length into one Ogg Opus file."""
    import opuslib_next  # type: ignore[import-untyped]

    encoder = opuslib_next.Encoder(RATE, 1, opuslib_next.APPLICATION_VOIP)
    encoder.bitrate = bitrate
    encoder.complexity = complexity
    scale = OPUS_RATE // RATE
    pre_skip = int(encoder.lookahead) * scale  # the codec's delay, dropped by decoders
    out = io.BytesIO()
    stream = OggStream(out, serial)
    stream.packets = [opus_head(pre_skip)]
    stream.page(0, first=True)
    stream.packets = [opus_tags()]
    stream.page(0)

    carry = np.zeros(0, np.int16)
    samples_in = 0  # real samples given to the encoder
    coded = 0  # samples in packets so far (real ones, then end padding)
    for chunk in chunks:
        samples_in += len(chunk)
        buffer = np.concatenate([carry, np.asarray(chunk, np.int16)])
        whole = len(buffer) - len(buffer) % FRAME
        for start in range(0, whole, FRAME):
            coded += FRAME
            # A page's granule position: samples decoded up to its last packet, pre-skip
            # included (RFC 7845 4).
            stream.add(
                encoder.encode(buffer[start : start + FRAME].tobytes(), FRAME), coded * scale
            )
        carry = buffer[whole:]
    # Zeros after the end, until every real sample has come out of the codec's delay.
    tail = np.concatenate([carry, np.zeros(FRAME - len(carry), np.int16)])
    while coded < samples_in + pre_skip // scale:
        coded += FRAME
        stream.add(encoder.encode(tail.tobytes(), FRAME), coded * scale)
        tail = np.zeros(FRAME, np.int16)
    # The last granule position trims that padding: exactly the samples recorded.
    stream.page(pre_skip + samples_in * scale, last=True)
    return out.getvalue()
