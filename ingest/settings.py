"""Settings of the ingest service, read from `INGEST_*` environment variables."""

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.topics import DEFAULT_PREFIX


class IngestSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="INGEST_", extra="ignore")

    data_dir: Path = Path("./data")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; SQLite in the data directory when unset"
    )
    mqtt_url: str = "mqtt://127.0.0.1:1883"
    mqtt_client_id: str = "ingest"
    mqtt_ca_file: Path | None = None
    mqtt_session_expiry_s: int = 3600
    topic_prefix: str = DEFAULT_PREFIX

    # What a clip may be; anything outside is rejected with a reason.
    max_clip_bytes: int = 2_000_000
    min_duration_ms: int = 200
    max_duration_ms: int = 600_000
    max_clock_skew_s: int = 86_400 * 365  # booths spool offline for long; reject only nonsense
    open_registration: bool = Field(
        default=False, description="accept clips from booths missing in the registry (dev only)"
    )

    whisper_model: str | None = Field(
        default=None, description="size name or CTranslate2 directory; bundled tiny.en if unset"
    )
    whisper_compute_type: str = "int8"
    whisper_threads: int = 2
    whisper_beam_size: int = Field(default=2, ge=1, le=10)
    whisper_batch_size: int = Field(
        default=8, ge=1, le=64, description="clips transcribed together (docs/performance.md)"
    )
    whisper_no_speech_threshold: float = 0.6
    transcribe_workers: int = 1
    transcribe_max_attempts: int = 3
    transcribe_retry_s: float = 5.0
    transcribe_lease_s: float = Field(
        default=600.0, description="a claim older than this belongs to a dead worker"
    )
    languages: dict[str, str] = Field(
        default_factory=dict,
        description='language per theme or neighborhood, e.g. {"budget": "da"}',
    )

    audio_retention_days: int | None = Field(
        default=None, ge=0, description="delete audio this many days after receipt; keep text"
    )
    public_url: str = Field(
        default="http://127.0.0.1:8000", description="how booths reach this service's /prompts"
    )
    tick_s: float = 60.0

    def language_for(self, theme: str, neighborhood: str) -> str | None:
        """The language to transcribe in: the theme's, else the neighborhood's, else none
        (Whisper detects it)."""
        return self.languages.get(theme) or self.languages.get(neighborhood)

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'ingest.sqlite3').resolve()}"

    @property
    def audio_dir(self) -> Path:
        return self.data_dir / "audio"
