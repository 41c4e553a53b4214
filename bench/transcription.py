"""Transcription throughput and accuracy: the project's batched path against what a user
would write first, `WhisperModel(model).transcribe(clip)` one clip at a time."""

import re
import statistics
import time
from pathlib import Path
from typing import Any

import jiwer
from faster_whisper import WhisperModel

from bench.corpus import Message
from ingest.transcribe.transcriber import Transcriber, resolve_model
from ingest.transcribe.whisper_models import join_base_model

THREADS = 2


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9 ]", " ", text.lower())).strip()


def word_error_rate(messages: list[Message], texts: list[str]) -> float:
    return float(jiwer.wer([_norm(m.text) for m in messages], [_norm(t) for t in texts]))


def baseline(messages: list[Message]) -> tuple[float, list[str]]:
    model = WhisperModel(
        resolve_model(None), device="cpu", compute_type="int8", cpu_threads=THREADS
    )
    started = time.perf_counter()
    texts = [" ".join(s.text for s in model.transcribe(str(m.path))[0]) for m in messages]
    return time.perf_counter() - started, texts


def project(
    transcriber: Transcriber, messages: list[Message], batch_size: int, language: str | None = None
) -> tuple[float, list[str]]:
    started = time.perf_counter()
    results = transcriber.transcribe_many([(m.path, language) for m in messages], batch_size)
    elapsed = time.perf_counter() - started
    texts = [r.text if not isinstance(r, Exception) else "" for r in results]
    return elapsed, texts


def multilingual(messages: list[Message], model_dir: Path) -> dict[str, Any]:
    """The same path with the multilingual base model (the one Danish needs here), language
    given as a clip's wanted language is: what a Danish worker's capacity is planned on."""
    transcriber = Transcriber(str(join_base_model(model_dir)), threads=THREADS, replicas=2)
    elapsed, texts = project(transcriber, messages, 8, language="en")
    return {
        "what": "Transcriber.transcribe_many with the joined multilingual base model, "
        "language given, same settings",
        "audio_s_per_wall_s": round(sum(m.seconds for m in messages) / elapsed, 1),
        "wer": round(word_error_rate(messages, texts), 3),
    }


def run(messages: list[Message], models: Path, repeats: int = 3) -> dict[str, Any]:
    audio_s = sum(m.seconds for m in messages)
    transcriber = Transcriber(None, threads=THREADS, replicas=2, beam_size=2)
    base_runs, ours_runs = [], []
    base_texts: list[str] = []
    our_texts: list[str] = []
    for _ in range(repeats):  # interleaved, so drift on the machine hits both alike
        seconds, base_texts = baseline(messages)
        base_runs.append(seconds)
        seconds, our_texts = project(transcriber, messages, batch_size=8)
        ours_runs.append(seconds)
    sweep = {}
    for batch_size in (1, 2, 4, 8, 16):
        seconds, _ = project(transcriber, messages, batch_size)
        sweep[batch_size] = round(audio_s / seconds, 1)
    base_rtf = audio_s / statistics.median(base_runs)
    our_rtf = audio_s / statistics.median(ours_runs)
    return {
        "clips": len(messages),
        "audio_seconds": round(audio_s, 1),
        "clip_seconds": [round(m.seconds, 1) for m in messages],
        "repeats": repeats,
        "baseline": {
            "what": "WhisperModel(tiny.en, int8, 2 threads).transcribe(clip): defaults, one by one",
            "audio_s_per_wall_s": round(base_rtf, 1),
            "wer": round(word_error_rate(messages, base_texts), 3),
            "runs_s": [round(s, 2) for s in base_runs],
        },
        "project": {
            "what": "Transcriber.transcribe_many: VAD pieces, 8 in flight on 2 single-threaded "
            "replicas, beam 2, same model and threads",
            "audio_s_per_wall_s": round(our_rtf, 1),
            "wer": round(word_error_rate(messages, our_texts), 3),
            "runs_s": [round(s, 2) for s in ours_runs],
        },
        "speedup": round(our_rtf / base_rtf, 2),
        "throughput_by_batch_size": sweep,
        "multilingual_base": multilingual(messages, models / "base"),
    }


def plot(result: dict[str, Any], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sweep = result["throughput_by_batch_size"]
    sizes = [int(k) for k in sweep]
    figure, axes = plt.subplots(figsize=(6, 3.5))
    axes.plot(sizes, list(sweep.values()), marker="o", label="project (batched, beam 2)")
    axes.axhline(
        result["baseline"]["audio_s_per_wall_s"],
        color="grey",
        linestyle="--",
        label="faster-whisper defaults, one clip at a time",
    )
    axes.set_xscale("log", base=2)
    axes.set_xticks(sizes, [str(s) for s in sizes])
    axes.set_xlabel("clips per batch")
    axes.set_ylabel("audio seconds per wall second")
    axes.set_title(
        f"tiny.en int8, 2 threads, {result['clips']} clips ({result['audio_seconds']} s)"
    )
    axes.legend(loc="lower right", fontsize=8)
    axes.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(out, dpi=120)
