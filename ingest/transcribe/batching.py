"""Transcribing many clips at once through CTranslate2's batched encode and generate.

Booth messages are short, and faster-whisper's defaults pay for a full 30-second window
whatever the clip's length; one clip at a time, the model also decodes one sequence per step.
Here the speech of every clip (found with the VAD that ships with faster-whisper) is cut into
pieces of at most 28 s at pauses, pieces of similar length are batched, and each batch is
encoded once, in a window as long as its pieces and a tail of silence, in steps of 5 s
(CTranslate2 takes windows shorter than 30 s, as faster-whisper's `chunk_length` does), and
decoded together. A batch holds pieces of one window width only, so that what a clip is heard
to say does not depend on the clips that happened to be transcribed with it. See
docs/performance.md for the figures.

A booth says where it heard speech (the clip's speech map, shared.clip): when the map checks
out against the decoded audio, its regions stand in for Silero's, which was the largest
share of the time spent outside the model.
"""

import contextlib
import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import soundfile as sf
from faster_whisper.audio import decode_audio
from faster_whisper.tokenizer import Tokenizer
from faster_whisper.transcribe import get_compression_ratio, get_suppressed_tokens
from faster_whisper.vad import VadOptions, get_speech_timestamps

from shared.clip import SpeechMap, check_speech_map
from shared.errors import ProtocolError

log = logging.getLogger(__name__)

RATE = 16_000
FRAMES = 3000  # 30 s of log-mel frames: Whisper's full window
# Silence after a batch's longest piece, in frames (10 ms each): without it Whisper is apt to
# drop or invent the last words of a piece that ends at the window's edge.
TAIL_FRAMES = 300
# Windows come in steps of 5 s, and a batch holds pieces of one step only: a piece's window,
# and so its transcript, depends on its own length, never on the pieces batched with it.
WINDOW_STEP = 500
HOP = 160  # samples a log-mel frame
VAD = VadOptions(min_silence_duration_ms=300, speech_pad_ms=200, max_speech_duration_s=28)
PIECE_S = 28.0
# A claimed region none of whose 30-ms frames reaches -50 dBFS (the booth's own floor for
# speech, booth.vad) is silence, whatever the map says: Whisper would invent words on it.
MIN_SPEECH_RMS = 10 ** (-50 / 20)
_FRAME = 480


@dataclass
class Profile:
    """Where the time of a run went: (kind, start, end) per step and thread, for the bench.
    Kinds: `decode` (audio), `vad` (finding speech), `features`, `model` (encode + generate)."""

    steps: list[tuple[str, float, float]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @contextlib.contextmanager
    def step(self, kind: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            with self._lock:
                self.steps.append((kind, started, time.perf_counter()))


def timed(profile: Profile | None, kind: str) -> contextlib.AbstractContextManager[None]:
    return profile.step(kind) if profile else contextlib.nullcontext()


@dataclass
class Piece:
    clip: int
    start_s: float  # where the piece begins in its clip
    audio: np.ndarray
    language: str | None
    text: str = ""
    avg_logprob: float = 0.0
    no_speech_prob: float = 0.0
    compression_ratio: float = 0.0
    detected: tuple[str, float] | None = None


def claimed_spans(audio: np.ndarray, speech: SpeechMap) -> list[tuple[int, int]] | None:
    """The booth's regions in samples, if they lie inside the decoded clip, sorted and apart;
    regions holding only silence dropped. None: the map does not fit this audio."""
    try:
        check_speech_map(speech, -(-len(audio) * 1000 // RATE))
    except ProtocolError as exc:
        log.warning("speech map does not fit the audio (%s); finding the speech again", exc)
        return None
    spans = [(start * RATE // 1000, min(len(audio), end * RATE // 1000)) for start, end in speech]
    return [(a, b) for a, b in spans if b > a and _loudest_frame(audio[a:b]) >= MIN_SPEECH_RMS]


def speech_spans(audio: np.ndarray, speech: SpeechMap | None = None) -> list[tuple[int, int]]:
    """Where the clip's speech is, in samples: the booth's map when it checks out, else
    Silero (faster-whisper's VAD)."""
    if speech and (claimed := claimed_spans(audio, speech)) is not None:
        return _split_long(audio, claimed)
    return [(span["start"], span["end"]) for span in get_speech_timestamps(audio, VAD)]


def pieces_of(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Consecutive spans joined, pauses and all, into pieces of at most PIECE_S seconds."""
    pieces: list[tuple[int, int]] = []
    for a, b in spans:
        if pieces and b - pieces[-1][0] <= PIECE_S * RATE:
            pieces[-1] = (pieces[-1][0], b)
        else:
            pieces.append((a, b))
    return pieces


def cut(
    audio: np.ndarray,
    clip: int,
    language: str | None,
    speech: SpeechMap | None = None,
    profile: Profile | None = None,
) -> list[Piece]:
    """The clip's speech in pieces of at most PIECE_S seconds, split at pauses."""
    with timed(profile, "vad"):
        spans = speech_spans(audio, speech)
    return [Piece(clip, a / RATE, audio[a:b], language) for a, b in pieces_of(spans)]


def _loudest_frame(audio: np.ndarray) -> float:
    usable = len(audio) - len(audio) % _FRAME
    if not usable:
        return float(np.sqrt(np.mean(np.square(audio)))) if len(audio) else 0.0
    frames = audio[:usable].reshape(-1, _FRAME)
    return float(np.sqrt(np.mean(np.square(frames), axis=1)).max())


def _split_long(audio: np.ndarray, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Regions longer than a piece cut at their quietest 30 ms in the last 4 s before the
    limit (Silero's own regions never exceed it: max_speech_duration_s)."""
    limit, search = int(PIECE_S * RATE), 4 * RATE
    out: list[tuple[int, int]] = []
    for a, b in spans:
        while b - a > limit:
            window = audio[a + limit - search : a + limit]
            frames = window[: len(window) - len(window) % _FRAME].reshape(-1, _FRAME)
            quietest = int(np.argmin(np.mean(np.square(frames), axis=1)))
            cut_at = a + limit - search + quietest * _FRAME + _FRAME // 2
            out.append((a, cut_at))
            a = cut_at
        out.append((a, b))
    return out


def load(path: str) -> np.ndarray:
    """The clip as 16 kHz mono float32. What booths send (Ogg Opus, FLAC, WAV at 16 kHz)
    libsndfile decodes in C without holding the GIL, about twice as fast as PyAV; any other
    format or rate, or a file libsndfile balks at, goes through PyAV as faster-whisper's own."""
    try:
        if sf.info(path).samplerate == RATE:
            data, _ = sf.read(path, dtype="float32", always_2d=True)
            return np.ascontiguousarray(data.mean(axis=1) if data.shape[1] > 1 else data[:, 0])
    except RuntimeError:  # soundfile.LibsndfileError is one: a format or file it cannot read
        pass
    audio: np.ndarray = decode_audio(path, sampling_rate=RATE)
    return audio


def decode_pieces(
    model: Any,
    pieces: list[Piece],
    beam_size: int,
    batch_size: int,
    parallel: int = 1,
    profile: Profile | None = None,
    progress: Callable[[], None] | None = None,
) -> None:
    """Fill in each piece's text and scores. `model` is a faster-whisper WhisperModel with
    `parallel` replicas (num_workers): batches go to them from as many threads, and a lone
    batch is halved so that no replica idles. `progress` is called after each batch."""
    # Similar lengths decode in similar numbers of steps: batch them together, one window
    # width a batch.
    ordered = sorted(pieces, key=lambda p: (p.language or "", len(p.audio)))
    size = batch_size
    if parallel > 1 and len(ordered) <= batch_size * parallel:
        size = max(1, -(-len(ordered) // parallel))  # few pieces: one batch per replica
    batches = [
        group[first : first + size]
        for _, grouped in itertools.groupby(
            ordered, key=lambda p: (p.language or "", window_frames(len(p.audio)))
        )
        for group in [list(grouped)]
        for first in range(0, len(group), size)
    ]
    if parallel == 1 or len(batches) == 1:
        for batch in batches:
            _decode_batch(model, batch, beam_size, profile)
            if progress is not None:
                progress()
        return
    with ThreadPoolExecutor(max_workers=parallel, thread_name_prefix="whisper") as pool:
        for _ in pool.map(lambda batch: _decode_batch(model, batch, beam_size, profile), batches):
            if progress is not None:
                progress()


def _decode_batch(
    model: Any, batch: list[Piece], beam_size: int, profile: Profile | None = None
) -> None:
    multilingual = bool(model.model.is_multilingual)
    with timed(profile, "features"):
        features = _window(model, [p.audio for p in batch])
    with timed(profile, "model"):
        encoded = model.encode(features)
    if multilingual:
        with timed(profile, "model"):
            detected = model.model.detect_language(encoded)
        for piece, ranked in zip(batch, detected, strict=True):
            token, probability = ranked[0]
            piece.detected = (token.strip("<|>"), float(probability))
    prompts = []
    tokenizers = []
    for piece in batch:
        language = piece.language or (piece.detected[0] if piece.detected else "en")
        tokenizer = Tokenizer(
            model.hf_tokenizer, multilingual, task="transcribe", language=language
        )
        tokenizers.append(tokenizer)
        prompts.append(model.get_prompt(tokenizer, previous_tokens=[], without_timestamps=True))
    with timed(profile, "model"):
        results = _generate(model, encoded, prompts, beam_size, tokenizers[0])
    for piece, tokenizer, result in zip(batch, tokenizers, results, strict=True):
        tokens = [t for t in result.sequences_ids[0] if t < tokenizer.eot]
        piece.text = tokenizer.decode(tokens).strip()
        piece.avg_logprob = result.scores[0] * len(tokens) / (len(tokens) + 1)
        piece.no_speech_prob = result.no_speech_prob
        piece.compression_ratio = get_compression_ratio(piece.text) if piece.text else 0.0


def _generate(
    model: Any, encoded: Any, prompts: list[Any], beam_size: int, tokenizer: Tokenizer
) -> Any:
    return model.model.generate(
        encoded,
        prompts,
        beam_size=beam_size,
        max_length=model.max_length,
        return_scores=True,
        return_no_speech_prob=True,
        suppress_blank=True,
        suppress_tokens=get_suppressed_tokens(tokenizer, (-1,)),
    )


def window_frames(samples: int) -> int:
    """The window a piece of `samples` is encoded in: its frames and TAIL_FRAMES of silence,
    rounded up to WINDOW_STEP (an even number: the encoder's first convolution halves it),
    at most Whisper's 30 s."""
    return min(FRAMES, -(-(samples // HOP + TAIL_FRAMES) // WINDOW_STEP) * WINDOW_STEP)


def _window(model: Any, pieces: list[np.ndarray]) -> np.ndarray:
    """The pieces' log-mel features in one window (see `window_frames`)."""
    features = [model.feature_extractor(audio)[..., :FRAMES] for audio in pieces]
    frames = max(window_frames(len(audio)) for audio in pieces)
    frames = max(frames, *(f.shape[-1] for f in features))
    return np.stack([np.pad(f, ((0, 0), (0, frames - f.shape[-1]))) for f in features])
