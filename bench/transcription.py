"""Transcription throughput and accuracy: the project's batched path against what a user
would write first, `WhisperModel(model).transcribe(clip)` one clip at a time, on clips as
booths send them (trimmed by the booth, Ogg Opus, with the booth's speech map)."""

import re
import statistics
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jiwer
from faster_whisper import WhisperModel

from bench.corpus import Message
from ingest.transcribe.batching import Profile
from ingest.transcribe.transcriber import Transcriber, resolve_model
from ingest.transcribe.whisper_models import join_base_model

THREADS = 2


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w ]|_", " ", text.lower())).strip()


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
    transcriber: Transcriber,
    messages: list[Message],
    batch_size: int,
    language: str | None = None,
    *,
    speech_map: bool = True,
    profile: Profile | None = None,
) -> tuple[float, list[str]]:
    """`speech_map` False: the clips as if from a source without one (Silero finds the
    speech), the path every clip took before."""
    maps = [m.speech if speech_map else None for m in messages]
    started = time.perf_counter()
    results = transcriber.transcribe_many(
        [(m.path, language) for m in messages], batch_size, speech=maps, profile=profile
    )
    elapsed = time.perf_counter() - started
    texts = [r.text if not isinstance(r, Exception) else "" for r in results]
    return elapsed, texts


def outside_the_model(
    transcriber: Transcriber, messages: list[Message], *, speech_map: bool = True
) -> dict[str, Any]:
    """One profiled run: the share of its wall time in which no replica was in the model
    (encode, language detection, generate), and the thread seconds of each other step."""
    profile = Profile()
    started = time.perf_counter()
    project(transcriber, messages, 8, speech_map=speech_map, profile=profile)
    wall = time.perf_counter() - started
    model = sorted((a, b) for kind, a, b in profile.steps if kind == "model")
    busy, until = 0.0, started
    for a, b in model:  # the union of the replicas' model intervals
        if b > until:
            busy += b - max(a, until)
            until = b
    thread_s: dict[str, float] = {}
    for kind, a, b in profile.steps:
        thread_s[kind] = thread_s.get(kind, 0.0) + b - a
    return {
        "wall_s": round(wall, 2),
        "share_of_wall_outside_model": round(1 - busy / wall, 3),
        "thread_s": {kind: round(s, 2) for kind, s in sorted(thread_s.items())},
    }


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


def danish(messages: list[Message], model_dir: Path) -> dict[str, Any]:
    """Danish messages (espeak-ng's Danish voice, as booths send them) through the
    multilingual base model, language given: the figure Danish capacity is planned on.
    The word error rate is high: `base` gets most Danish words wrong, and espeak's Danish
    is robotic (docs/performance.md)."""
    transcriber = Transcriber(str(join_base_model(model_dir)), threads=THREADS, replicas=2)
    audio_s = sum(m.seconds for m in messages)
    elapsed, texts = project(transcriber, messages, 8, language="da")
    return {
        "what": "Transcriber.transcribe_many, multilingual base, language da, speech maps",
        "clips": len(messages),
        "audio_seconds": round(audio_s, 1),
        "audio_s_per_wall_s": round(audio_s / elapsed, 1),
        "real_time_factor": round(elapsed / audio_s, 3),
        "wer": round(word_error_rate(messages, texts), 3),
        "examples": [
            {"said": m.text, "heard": t} for m, t in list(zip(messages, texts, strict=True))[:3]
        ],
    }


def run(
    messages: list[Message],
    models: Path,
    repeats: int = 3,
    danish_messages: Sequence[Message] = (),
) -> dict[str, Any]:
    audio_s = sum(m.seconds for m in messages)
    transcriber = Transcriber(None, threads=THREADS, replicas=2, beam_size=2)
    base_runs, ours_runs, silero_runs = [], [], []
    base_texts: list[str] = []
    our_texts: list[str] = []
    silero_texts: list[str] = []
    for _ in range(repeats):  # interleaved, so drift on the machine hits all alike
        seconds, base_texts = baseline(messages)
        base_runs.append(seconds)
        seconds, our_texts = project(transcriber, messages, batch_size=8)
        ours_runs.append(seconds)
        seconds, silero_texts = project(transcriber, messages, batch_size=8, speech_map=False)
        silero_runs.append(seconds)
    sweep = {}
    for batch_size in (1, 2, 4, 8, 16):
        seconds, _ = project(transcriber, messages, batch_size)
        sweep[batch_size] = round(audio_s / seconds, 1)
    base_rtf = audio_s / statistics.median(base_runs)
    our_rtf = audio_s / statistics.median(ours_runs)
    silero_rtf = audio_s / statistics.median(silero_runs)
    result = {
        "clips": len(messages),
        "audio_seconds": round(audio_s, 1),
        "clip_seconds": [round(m.seconds, 1) for m in messages],
        "repeats": repeats,
        "corpus": "as booths send it: trimmed by booth.processing, Ogg Opus, speech map",
        "baseline": {
            "what": "WhisperModel(tiny.en, int8, 2 threads).transcribe(clip): defaults, one by one",
            "audio_s_per_wall_s": round(base_rtf, 1),
            "wer": round(word_error_rate(messages, base_texts), 3),
            "runs_s": [round(s, 2) for s in base_runs],
        },
        "project": {
            "what": "Transcriber.transcribe_many: the booths' speech maps as pieces, 8 in "
            "flight on 2 single-threaded replicas, beam 2, same model and threads",
            "audio_s_per_wall_s": round(our_rtf, 1),
            "wer": round(word_error_rate(messages, our_texts), 3),
            "runs_s": [round(s, 2) for s in ours_runs],
        },
        "speedup": round(our_rtf / base_rtf, 2),
        "project_without_speech_map": {
            "what": "the same, the speech found again by Silero (clips without a map)",
            "audio_s_per_wall_s": round(silero_rtf, 1),
            "wer": round(word_error_rate(messages, silero_texts), 3),
            "runs_s": [round(s, 2) for s in silero_runs],
            "speedup": round(silero_rtf / base_rtf, 2),
        },
        "outside_model": outside_the_model(transcriber, messages),
        "outside_model_without_speech_map": outside_the_model(
            transcriber, messages, speech_map=False
        ),
        "throughput_by_batch_size": sweep,
        "multilingual_base": multilingual(messages, models / "base"),
    }
    if danish_messages:
        result["danish_base"] = danish(list(danish_messages), models / "base")
    return result


def plot(result: dict[str, Any], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sweep = result["throughput_by_batch_size"]
    sizes = [int(k) for k in sweep]
    figure, axes = plt.subplots(figsize=(6, 3.5))
    axes.plot(sizes, list(sweep.values()), marker="o", label="project (speech maps, beam 2)")
    axes.axhline(
        result["baseline"]["audio_s_per_wall_s"],
        color="grey",
        linestyle="--",
        label="faster-whisper defaults, one clip at a time",
    )
    if silero := result.get("project_without_speech_map"):
        axes.axhline(
            silero["audio_s_per_wall_s"],
            color="tab:orange",
            linestyle=":",
            label="project, batch 8, Silero instead of the map",
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
