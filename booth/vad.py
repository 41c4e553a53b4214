"""Voice activity: trimming silence off a message, and noticing when a caller stopped talking.

WebRTC VAD, because it runs on every Raspberry Pi OS (Silero needs onnxruntime).
"""

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import webrtcvad

from booth.sounds import RATE, Samples

FRAME = 480  # 30 ms
FRAME_S = FRAME / RATE
MIN_RUN_FRAMES = 3  # speech shorter than this (90 ms) is a click or a cough of line noise
# WebRTC VAD takes steady hiss for speech; a handset held to the mouth is far louder than
# this (-50 dBFS), so quieter frames count as silence whatever the VAD says.
MIN_SPEECH_RMS = 32768 * 10 ** (-50 / 20)


def _loud_enough(frame: np.ndarray) -> bool:
    return float(np.sqrt(np.mean(np.square(frame, dtype=np.float32)))) >= MIN_SPEECH_RMS


def speech_frames(samples: Samples, aggressiveness: int = 2) -> np.ndarray:
    """One bool per 30 ms frame: does it hold speech?"""
    return speech_frames_of(_views(samples), aggressiveness)


def speech_frames_of(chunks: Iterable[Samples], aggressiveness: int = 2) -> np.ndarray:
    """The same over a message read in chunks (each a whole number of frames but the last),
    with no float copy bigger than one chunk."""
    vad = webrtcvad.Vad(aggressiveness)
    flags = []
    for chunk in chunks:
        usable = len(chunk) - len(chunk) % FRAME
        frames = np.ascontiguousarray(chunk[:usable], dtype=np.int16).reshape(-1, FRAME)
        rms = np.sqrt(np.mean(np.square(frames, dtype=np.float32), axis=1))
        flags.append(
            np.fromiter(
                (
                    loud and vad.is_speech(f.tobytes(), RATE)
                    for f, loud in zip(frames, rms >= MIN_SPEECH_RMS, strict=True)
                ),
                bool,
                len(frames),
            )
        )
    return np.concatenate(flags) if flags else np.zeros(0, bool)


def _views(samples: Samples, frames_per_chunk: int = 1000) -> Iterable[Samples]:
    step = FRAME * frames_per_chunk
    return (samples[i : i + step] for i in range(0, len(samples), step))


@dataclass(frozen=True)
class Speech:
    """Where the speech of a message lies, in samples, with padding."""

    start: int
    end: int
    speech_s: float  # seconds of frames judged speech
    runs: tuple[tuple[int, int], ...] = ()  # the speech runs, in samples of the message

    def regions_ms(self, pad_s: float = 0.2, bridge_s: float = 0.3) -> tuple[tuple[int, int], ...]:
        """The runs as the clip's speech map: ms from `start`; runs less than `bridge_s`
        apart joined, then padded by `pad_s` within the clip (as ingest's Silero VAD
        joins and pads: 300 ms, 200 ms); padded regions that touch become one."""
        pad, bridge = int(pad_s * RATE), int(bridge_s * RATE)
        merged: list[list[int]] = []
        for a, b in self.runs:
            if merged and a - merged[-1][1] < bridge:
                merged[-1][1] = b
            else:
                merged.append([a, b])
        padded: list[list[int]] = []
        for a, b in merged:
            a, b = max(self.start, a - pad) - self.start, min(self.end, b + pad) - self.start
            if padded and a <= padded[-1][1]:
                padded[-1][1] = b
            else:
                padded.append([a, b])
        ms = ((a * 1000 // RATE, -(-b * 1000 // RATE)) for a, b in padded)
        limit = (self.end - self.start) * 1000 // RATE  # the clip's duration_ms
        return tuple((a, min(b, limit)) for a, b in ms if a < min(b, limit))


def find_speech(
    chunks: Iterable[Samples],
    total: int,
    *,
    padding_s: float = 0.2,
    min_run_frames: int = MIN_RUN_FRAMES,
    aggressiveness: int = 2,
) -> Speech | None:
    """The span to keep of a `total`-sample message: from the first speech to the last, with
    `padding_s` around it, never cut inside. None if there is no speech.

    Speech must last `min_run_frames` frames in a row to count, so a click of the hook or a
    cough of line noise does not stretch the clip.
    """
    runs = _runs(speech_frames_of(chunks, aggressiveness), min_run_frames)
    if not runs:
        return None
    pad = int(padding_s * RATE)
    start = max(0, runs[0][0] * FRAME - pad)
    end = min(total, runs[-1][1] * FRAME + pad)
    samples = tuple((a * FRAME, min(total, b * FRAME)) for a, b in runs)
    return Speech(start, end, sum(b - a for a, b in runs) * FRAME_S, samples)


@dataclass(frozen=True)
class Trimmed:
    samples: Samples
    speech_s: float  # seconds of frames judged speech
    start_s: float  # where the kept part began in the original
    end_s: float


def trim(
    samples: Samples,
    *,
    padding_s: float = 0.2,
    min_run_frames: int = MIN_RUN_FRAMES,
    aggressiveness: int = 2,
) -> Trimmed:
    """`find_speech` on a message in memory: the kept part is a view, not a copy."""
    speech = find_speech(
        _views(samples),
        len(samples),
        padding_s=padding_s,
        min_run_frames=min_run_frames,
        aggressiveness=aggressiveness,
    )
    if speech is None:
        return Trimmed(samples[:0], 0.0, 0.0, 0.0)
    return Trimmed(
        samples[speech.start : speech.end], speech.speech_s, speech.start / RATE, speech.end / RATE
    )


def _runs(flags: np.ndarray, min_len: int) -> list[tuple[int, int]]:
    """(start, end) frame index pairs of speech runs at least `min_len` frames long."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], flags.astype(np.int8), [0]])))
    pairs = zip(edges[::2], edges[1::2], strict=True)
    return [(int(a), int(b)) for a, b in pairs if b - a >= min_len]


def is_message(speech_s: float, min_speech_s: float) -> bool:
    """The one rule for what a caller left: a message to keep, or nothing. The booth thanks
    the caller (with a receipt) by it while recording, and processing keeps the clip by
    it; both count `speech_s` the same way, in runs of at least MIN_RUN_FRAMES frames."""
    return speech_s >= min_speech_s


class SilenceWatch:
    """Fed live 30 ms blocks while recording; notes when the caller has said enough to
    make a message (`heard_speech`, by `is_message`) and says when that was followed by
    long silence.

    It judges each frame as `find_speech` later judges the same frames on the tape (the
    same loudness floor, a VAD of the same aggressiveness fed the same frames in order),
    so a caller is thanked exactly when processing will keep the message.
    """

    def __init__(self, timeout_s: float, min_speech_s: float, aggressiveness: int = 2):
        self._vad = webrtcvad.Vad(aggressiveness)
        self._timeout_frames = int(timeout_s / FRAME_S)
        self._min_speech_s = min_speech_s
        self._run = 0  # speech frames in a row, up to now
        self._counted = 0  # frames in finished runs long enough to count
        self.heard_speech = False
        self._quiet = 0

    @property
    def speech_s(self) -> float:
        current = self._run if self._run >= MIN_RUN_FRAMES else 0
        return (self._counted + current) * FRAME_S

    def feed(self, block: Samples) -> bool:
        """True once the caller said enough and has since been quiet for the timeout."""
        if len(block) != FRAME:
            return False
        frame = np.ascontiguousarray(block, np.int16)
        if _loud_enough(frame) and self._vad.is_speech(frame.tobytes(), RATE):
            self._run += 1
            self._quiet = 0
        else:
            if self._run >= MIN_RUN_FRAMES:
                self._counted += self._run
            self._run = 0
            self._quiet += 1
        if not self.heard_speech:
            self.heard_speech = is_message(self.speech_s, self._min_speech_s)
        return self.heard_speech and self._quiet >= self._timeout_frames
