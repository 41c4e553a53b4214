"""Transcribing many clips at once through CTranslate2's batched encode and generate.

Booth messages are short, and Whisper pays for a full 30-second window whatever the clip's
length; one clip at a time, the model also decodes one sequence per step. Here the speech of
every clip (found with the VAD that ships with faster-whisper) is cut into pieces of at most
28 s at pauses, pieces of similar length are batched, each batch is encoded once and decoded
together. See docs/performance.md for the figures.
"""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import soundfile as sf
from faster_whisper.audio import decode_audio
from faster_whisper.tokenizer import Tokenizer
from faster_whisper.transcribe import get_compression_ratio, get_suppressed_tokens
from faster_whisper.vad import VadOptions, get_speech_timestamps

RATE = 16_000
FRAMES = 3000  # 30 s of log-mel frames: Whisper's fixed window
VAD = VadOptions(min_silence_duration_ms=300, speech_pad_ms=200, max_speech_duration_s=28)
PIECE_S = 28.0


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


def cut(audio: np.ndarray, clip: int, language: str | None) -> list[Piece]:
    """The clip's speech in pieces of at most PIECE_S seconds, split at pauses."""
    spans = get_speech_timestamps(audio, VAD)
    pieces: list[Piece] = []
    start = end = None
    for span in spans:
        if start is None:
            start, end = span["start"], span["end"]
        elif span["end"] - start <= PIECE_S * RATE:
            end = span["end"]
        else:
            pieces.append(Piece(clip, start / RATE, audio[start:end], language))
            start, end = span["start"], span["end"]
    if start is not None:
        pieces.append(Piece(clip, start / RATE, audio[start:end], language))
    return pieces


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
    model: Any, pieces: list[Piece], beam_size: int, batch_size: int, parallel: int = 1
) -> None:
    """Fill in each piece's text and scores. `model` is a faster-whisper WhisperModel with
    `parallel` replicas (num_workers): batches go to them from as many threads, and a lone
    batch is halved so that no replica idles."""
    # Similar lengths decode in similar numbers of steps: batch them together.
    ordered = sorted(pieces, key=lambda p: (p.language or "", len(p.audio)))
    size = batch_size
    if parallel > 1 and len(ordered) <= batch_size * parallel:
        size = max(1, -(-len(ordered) // parallel))  # few pieces: one batch per replica
    batches = [ordered[first : first + size] for first in range(0, len(ordered), size)]
    if parallel == 1 or len(batches) == 1:
        for batch in batches:
            _decode_batch(model, batch, beam_size)
        return
    with ThreadPoolExecutor(max_workers=parallel, thread_name_prefix="whisper") as pool:
        list(pool.map(lambda batch: _decode_batch(model, batch, beam_size), batches))


def _decode_batch(model: Any, batch: list[Piece], beam_size: int) -> None:
    multilingual = bool(model.model.is_multilingual)
    features = np.stack([_features(model, p.audio) for p in batch])
    encoded = model.encode(features)
    if multilingual:
        for piece, ranked in zip(batch, model.model.detect_language(encoded), strict=True):
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
    results = model.model.generate(
        encoded,
        prompts,
        beam_size=beam_size,
        max_length=model.max_length,
        return_scores=True,
        return_no_speech_prob=True,
        suppress_blank=True,
        suppress_tokens=get_suppressed_tokens(tokenizers[0], (-1,)),
    )
    for piece, tokenizer, result in zip(batch, tokenizers, results, strict=True):
        tokens = [t for t in result.sequences_ids[0] if t < tokenizer.eot]
        piece.text = tokenizer.decode(tokens).strip()
        piece.avg_logprob = result.scores[0] * len(tokens) / (len(tokens) + 1)
        piece.no_speech_prob = result.no_speech_prob
        piece.compression_ratio = get_compression_ratio(piece.text) if piece.text else 0.0


def _features(model: Any, audio: np.ndarray) -> np.ndarray:
    features: np.ndarray = model.feature_extractor(audio)[..., :FRAMES]
    return np.pad(features, ((0, 0), (0, FRAMES - features.shape[-1])))
