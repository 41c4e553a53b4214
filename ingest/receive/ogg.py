"""Ogg Opus read without decoding: is a payload one whole Ogg Opus stream (RFC 3533 pages,
RFC 7845 headers), and how long is it?

Intake asks this of every clip on its receive path, where decoding (even the first and
last half second) cost two thirds of the time. Walking the pages finds what goes wrong in
transit or on a booth's disk: a cut-off stream (no end-of-stream page, a page cut short), a
missing page, a second stream, another codec, bytes after the end. Page checksums are not
recomputed: the clip's sha256, computed by the booth over these bytes, already guards them.
A stream whose Opus packets themselves are damaged is stored and fails at transcription,
where it stays for a planner to see; nothing is lost.
"""

import struct
from dataclasses import dataclass

from ingest.errors import IngestError

OPUS_RATE = 48_000  # granule positions count 48 kHz samples, whatever the input rate
_PAGE = struct.Struct("<4sBBqIIIB")  # capture, version, flags, granule, serial, sequence, crc, n
_HEAD = struct.Struct("<8sBBHIhB")  # magic, version, channels, pre-skip, input rate, gain, map
_BOS, _EOS = 0x02, 0x04


class NotOggOpus(IngestError, ValueError):
    """The payload is not one whole Ogg Opus stream; the message says where it fails."""


@dataclass(frozen=True)
class OggOpusInfo:
    channels: int
    input_rate: int
    samples: int  # at 48 kHz, pre-skip removed: what a decoder returns

    @property
    def duration_ms(self) -> int:
        return self.samples * 1000 // OPUS_RATE


def read_info(data: bytes) -> OggOpusInfo:
    pos, page, serial, granule, flags = 0, 0, 0, -1, 0
    channels = input_rate = pre_skip = 0
    while pos < len(data):
        if flags & _EOS:
            raise NotOggOpus(f"{len(data) - pos} bytes after the end of the stream")
        if len(data) - pos < _PAGE.size:
            raise NotOggOpus(f"page {page} is cut short (truncated?)")
        capture, version, flags, position, page_serial, sequence, _crc, segments = (
            _PAGE.unpack_from(data, pos)
        )
        if capture != b"OggS" or version != 0:
            raise NotOggOpus(f"no Ogg page at byte {pos}")
        body_start = pos + _PAGE.size + segments
        end = body_start + sum(data[pos + _PAGE.size : body_start])
        if body_start > len(data) or end > len(data):
            raise NotOggOpus(f"page {page} is cut short (truncated?)")
        if page == 0:
            if not flags & _BOS:
                raise NotOggOpus("the first page does not begin a stream")
            serial = page_serial
            channels, input_rate, pre_skip = _opus_head(data[body_start:end])
        elif page_serial != serial:
            raise NotOggOpus("more than one stream")
        elif page == 1 and not data[body_start:end].startswith(b"OpusTags"):
            raise NotOggOpus("no OpusTags header on the second page")
        if sequence != page:
            raise NotOggOpus(f"page {page} is missing")
        if position != -1:  # -1: no packet ends on this page
            granule = position
        page, pos = page + 1, end
    if page == 0:
        raise NotOggOpus("no Ogg page")
    if not flags & _EOS:
        raise NotOggOpus("the stream does not end (truncated?)")
    if granule < pre_skip:
        raise NotOggOpus("the stream holds no audio")
    return OggOpusInfo(channels=channels, input_rate=input_rate, samples=granule - pre_skip)


def _opus_head(packet: bytes) -> tuple[int, int, int]:
    if len(packet) < _HEAD.size or not packet.startswith(b"OpusHead"):
        raise NotOggOpus("not Opus: the first packet is not an OpusHead")
    _magic, version, channels, pre_skip, input_rate, _gain, _mapping = _HEAD.unpack_from(packet)
    if version >> 4 != 0 or channels == 0:
        raise NotOggOpus(f"an OpusHead this reader does not know (version {version})")
    return channels, input_rate, pre_skip
