"""VAD trim and encoding on generated speech."""

import io
import itertools
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from booth import codec, vad
from booth.processing import Message, Processor
from booth.settings import BoothSettings
from booth.spool import Spool
from booth.tape import Tape
from tests.support.clips import room_tone, voiced_burst
from tests.support.speech import speak


@pytest.fixture(scope="module")
def bare_speech(tmp_path_factory: pytest.TempPathFactory) -> np.ndarray:
    path = speak(
        "Please keep the library open on Sundays", tmp_path_factory.mktemp("vad") / "s.wav"
    )
    data, _ = sf.read(path, dtype="int16")
    return np.asarray(data)


@pytest.mark.parametrize(("lead_s", "tail_s"), [(0.0, 0.0), (2.0, 3.0), (5.0, 0.5)])
def test_trim_keeps_the_speech_and_drops_the_silence(
    bare_speech: np.ndarray, lead_s: float, tail_s: float
) -> None:
    spoken_s = len(bare_speech) / 16000
    clip = np.concatenate([room_tone(lead_s, seed=1), bare_speech, room_tone(tail_s, seed=2)])
    trimmed = vad.trim(clip)
    assert abs(len(trimmed.samples) / 16000 - spoken_s) <= 0.5
    # Nothing voiced is cut: every frame the VAD hears as speech lies inside what is kept.
    voiced = np.flatnonzero(vad.speech_frames(bare_speech))
    assert trimmed.start_s <= lead_s + voiced[0] * vad.FRAME_S
    assert trimmed.end_s >= lead_s + (voiced[-1] + 1) * vad.FRAME_S
    assert trimmed.speech_s > 1.0


def test_a_pause_inside_speech_is_kept(bare_speech: np.ndarray) -> None:
    clip = np.concatenate([bare_speech, np.zeros(16000 * 2, np.int16), bare_speech])
    trimmed = vad.trim(clip)
    assert len(trimmed.samples) >= len(clip) - 2 * 16000 * 0.3


def test_clicks_and_room_tone_are_no_speech() -> None:
    click = np.zeros(16000 * 3, np.int16)
    click[16000:16040] = 20000  # the hook switch knocking
    assert vad.trim(click).speech_s < 0.5
    assert vad.trim(room_tone(4.0)).speech_s < 0.5


def test_silence_watch_fires_after_speech_then_quiet(bare_speech: np.ndarray) -> None:
    watch = vad.SilenceWatch(timeout_s=1.0, min_speech_s=0.5)
    quiet = np.zeros(16000 * 2, np.int16)
    blocks = np.concatenate([quiet, bare_speech, quiet])
    fired_at = None
    for i in range(0, len(blocks) - 480, 480):
        if watch.feed(blocks[i : i + 480]):
            fired_at = i / 16000
            break
    speech_end = (2 * 16000 + len(bare_speech)) / 16000
    assert fired_at is not None and speech_end + 0.5 < fired_at < speech_end + 1.5


BURSTS = [0.2, 0.3, 0.4, 0.45, 0.5, 0.55, 0.6]


def test_the_caller_is_thanked_exactly_for_what_processing_keeps(tmp_path: Path) -> None:
    """Voiced bursts of 0.2-0.6 s around the 0.5 s threshold: what the live watch calls a
    message (the caller then hears thanks and a receipt) is what processing spools."""
    settings = BoothSettings(id="b1", spool_dir=tmp_path / "spool", min_speech_s=0.5)
    processor = Processor(settings, Spool(settings.spool_dir))
    verdicts = {}
    for seconds in BURSTS:
        said = np.concatenate(
            [room_tone(0.5, seed=3), voiced_burst(seconds), room_tone(1.5, seed=4)]
        )
        watch = vad.SilenceWatch(timeout_s=1.0, min_speech_s=settings.min_speech_s)
        tape = Tape(tmp_path / f"{seconds}.raw")
        for start in range(0, len(said) - 479, 480):  # as the card delivers it
            block = said[start : start + 480]
            watch.feed(block)
            tape.append(block)
        message = Message(1, "parks", "center", 0, datetime.now(UTC), "12345678", tape)
        kept = processor.process(message) is not None
        verdicts[seconds] = (watch.heard_speech, kept)
    assert all(thanked == kept for thanked, kept in verdicts.values()), verdicts
    assert not verdicts[0.2][1] and not verdicts[0.45][1] and verdicts[0.6][1], verdicts


def test_three_minutes_of_opus_stay_under_a_megabyte(bare_speech: np.ndarray) -> None:
    three_minutes = np.resize(bare_speech, 16000 * 180)
    encoded = codec.encode(three_minutes, codec.Codec.OPUS)
    assert encoded[:4] == b"OggS" and b"OpusHead" in encoded[:100]
    assert len(encoded) < 1_000_000
    decoded, rate = sf.read(io.BytesIO(encoded), dtype="int16")
    assert rate == 16000 and len(decoded) == len(three_minutes)


def test_flac_is_lossless(bare_speech: np.ndarray) -> None:
    decoded, _ = sf.read(io.BytesIO(codec.encode(bare_speech, codec.Codec.FLAC)), dtype="int16")
    assert np.array_equal(decoded, bare_speech)


def test_codec_content_types() -> None:
    assert codec.Codec.OPUS.content_type == "audio/ogg; codecs=opus"
    assert codec.Codec.FLAC.content_type == "audio/flac"


def test_quarantined_clips_are_deleted_after_their_time(tmp_path: Path) -> None:
    import os
    import time
    import uuid
    from datetime import UTC, datetime

    from booth.spool import Spool
    from shared.clip import ClipMeta, sha256_hex

    spool = Spool(tmp_path / "spool")
    for _ in range(2):
        audio = os.urandom(1000)
        meta = ClipMeta(
            uuid.uuid4(), "b1", "gellerup", "parks", datetime.now(UTC), 1000, sha256_hex(audio)
        )
        spool.put(meta, audio)
        spool.quarantine(str(meta.clip_id), "rejected: test")
    old, new = spool.quarantined()
    month_ago = time.time() - 31 * 86_400
    for path in spool.quarantine_dir.glob(f"{old}.*"):
        os.utime(path, (month_ago, month_ago))
    assert spool.purge_quarantine(30 * 86_400) == 1
    assert spool.quarantined() == [new]
    assert not list(spool.quarantine_dir.glob(f"{old}.*"))


def test_the_booth_sends_where_it_heard_speech(bare_speech: np.ndarray, tmp_path: Path) -> None:
    """The speech map (ms from the trimmed clip's start) comes from the VAD pass that trims
    the message, and travels with the clip through the spool."""
    from datetime import UTC, datetime

    from booth.processing import Message, Processor
    from booth.settings import BoothSettings
    from booth.spool import Spool
    from booth.tape import Tape

    pause_s = 2.0
    message = np.concatenate(
        [room_tone(1.5, seed=1), bare_speech, room_tone(pause_s, seed=2), bare_speech]
    )
    settings = BoothSettings(id="b1", spool_dir=tmp_path / "spool", theme="parks")
    spool = Spool(settings.spool_dir)
    tape = Tape(tmp_path / "tape.raw")
    tape.append(message)
    call = Message(1, "parks", "gellerup", 1, datetime.now(UTC), "1234", tape)
    meta = Processor(settings, spool).process(call)
    assert meta is not None and meta.speech is not None
    regions = meta.speech
    assert regions[0][0] == 0 and regions[-1][1] <= meta.duration_ms  # trimmed: starts at speech
    assert all(a < b <= c for (a, b), (c, _) in itertools.pairwise(regions))
    gaps = [c - b for (_, b), (c, _) in itertools.pairwise(regions)]
    # The pause between the two sayings is a gap (less the 200 ms pads on each side).
    assert max(gaps) >= (pause_s - 0.5) * 1000
    heard = sum(b - a for a, b in regions)
    assert 2 * len(bare_speech) / 16 * 0.7 <= heard <= meta.duration_ms - 1000
    assert [c.meta.speech for c in spool.pending()] == [regions]
