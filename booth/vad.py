"""Voice activity: trimming silence off a message, and noticing when a caller stopped talking.

WebRTC VAD, because it runs on every Raspberry Pi OS (Silero needs onnxruntime).
"""

from dataclasses import dataclass

import numpy as np
import webrtcvad

from booth.sounds import RATE, Samples

FRAME = 480  # 30 ms
FRAME_S = FRAME / RATE
# WebRTC VAD takes steady hiss for speech; a handset held to the mouth is far louder than
# this (-50 dBFS), so quieter frames count as silence whatever the VAD says.
MIN_SPEECH_RMS = 32768 * 10 ** (-50 / 20)


def _loud_enough(frame: np.ndarray) -> bool:
    return float(np.sqrt(np.mean(frame.astype(np.float64) ** 2))) >= MIN_SPEECH_RMS


def speech_frames(samples: Samples, aggressiveness: int = 2) -> np.ndarray:
    """One bool per 30 ms frame: does it hold speech?"""
    vad = webrtcvad.Vad(aggressiveness)
    usable = len(samples) - len(samples) % FRAME
    frames = np.ascontiguousarray(samples[:usable], dtype=np.int16).reshape(-1, FRAME)
    rms = np.sqrt(np.mean(frames.astype(np.float64) ** 2, axis=1))
    return np.fromiter(
        (
            loud and vad.is_speech(f.tobytes(), RATE)
            for f, loud in zip(frames, rms >= MIN_SPEECH_RMS, strict=True)
        ),
        bool,
        len(frames),
    )


@dataclass(frozen=True)
class Trimmed:
    samples: Samples
    speech_s: float  # seconds of frames judged speech
    start_s: float  # where the kept part began in the original
    end_s: float


def trim(
    samples: Samples, *, padding_s: float = 0.2, min_run_frames: int = 3, aggressiveness: int = 2
) -> Trimmed:
    """Cut leading and trailing silence, keep `padding_s` around the speech, never cut inside.

    Speech must last `min_run_frames` frames in a row to count, so a click of the hook or a
    cough of line noise does not stretch the clip.
    """
    flags = speech_frames(samples, aggressiveness)
    runs = _runs(flags, min_run_frames)
    if not runs:
        return Trimmed(samples[:0], 0.0, 0.0, 0.0)
    first, last = runs[0][0], runs[-1][1]
    pad = int(padding_s * RATE)
    start = max(0, first * FRAME - pad)
    end = min(len(samples), last * FRAME + pad)
    speech_s = sum(b - a for a, b in runs) * FRAME_S
    return Trimmed(samples[start:end], speech_s, start / RATE, end / RATE)


def _runs(flags: np.ndarray, min_len: int) -> list[tuple[int, int]]:
    """(start, end) frame index pairs of speech runs at least `min_len` frames long."""
    runs = []
    start = None
    for i, flag in enumerate([*flags.tolist(), False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            if i - start >= min_len:
                runs.append((start, i))
            start = None
    return runs


class SilenceWatch:
    """Fed live 30 ms blocks while recording; says when speech was followed by long silence."""

    def __init__(self, timeout_s: float, aggressiveness: int = 2, min_speech_frames: int = 5):
        self._vad = webrtcvad.Vad(aggressiveness)
        self._timeout_frames = int(timeout_s / FRAME_S)
        self._min_speech = min_speech_frames
        self._speech_run = 0
        self._heard_speech = False
        self._quiet = 0

    def feed(self, block: Samples) -> bool:
        """True once the caller spoke and has since been quiet for the timeout."""
        if len(block) != FRAME:
            return False
        frame = np.ascontiguousarray(block, np.int16)
        if _loud_enough(frame) and self._vad.is_speech(frame.tobytes(), RATE):
            self._speech_run += 1
            if self._speech_run >= self._min_speech:
                self._heard_speech = True
            self._quiet = 0
        else:
            self._speech_run = 0
            self._quiet += 1
        return self._heard_speech and self._quiet >= self._timeout_frames
