"""Settings of the ingest service, read from `INGEST_*` environment variables."""

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from ingest.city_time import DEFAULT_ZONE, parse_zone
from shared.broker import BrokerAddress
from shared.topics import DEFAULT_PREFIX


class IngestSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="INGEST_", extra="ignore")

    data_dir: Path = Path("./data")
    audio_store: Literal["local", "s3"] = Field(
        default="local", description="local: under the data directory; s3: a bucket"
    )
    s3_bucket: str | None = None
    s3_prefix: str = ""
    s3_endpoint_url: str | None = Field(
        default=None, description="MinIO, Ceph or another S3-compatible endpoint; AWS if unset"
    )
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; SQLite in the data directory when unset"
    )
    mqtt_url: str = "mqtt://127.0.0.1:1883"
    mqtt_password_file: Path | None = Field(
        default=None, description="ingest's broker password, alone in a file (not in the URL)"
    )
    mqtt_client_id: str = Field(default="ingest", description="one per receiver process")
    mqtt_ca_file: Path | None = None
    broker_admin_url: str | None = Field(
        default=None,
        description="mqtts://dn-admin@HOST:8883: the broker's dynamic security admin, for "
        "`ingest broker init` and `ingest booth add|rotate|revoke`",
    )
    broker_admin_password_file: Path | None = None
    booth_mqtt_url: str | None = Field(
        default=None,
        description="the broker as booths reach it (mqtts://HOST:8883), written into bundles; "
        "INGEST_MQTT_URL's host and port when unset",
    )
    mqtt_session_expiry_s: int = 3600
    topic_prefix: str = DEFAULT_PREFIX

    # What a clip may be; anything outside is rejected with a reason.
    max_clip_bytes: int = 2_000_000
    min_duration_ms: int = 200
    max_duration_ms: int = 600_000
    # Older than this, a recording time is taken for a wrong clock (booths spool offline for
    # long, but not for a year): the clip is stored at its receive time.
    max_clock_skew_s: int = 86_400 * 365
    booth_clips_per_minute: float = Field(
        default=3.0,
        gt=0,
        description="clips one booth may deliver per minute, on average; more are refused "
        "`rate_limited` and the booth sends them again later",
    )
    booth_clip_burst: int = Field(
        default=10, ge=1, description="clips one booth may deliver at once (a spool emptying)"
    )
    duplicate_audio_s: int = Field(
        default=86_400,
        ge=0,
        description="identical audio from the same booth within this many seconds is stored "
        "once; a copy is acked as a duplicate",
    )
    default_theme: str = Field(
        default="general", description="the theme a booth without remote config files under"
    )
    open_themes: bool = Field(
        default=False,
        description="accept any theme slug while no theme is managed (dev only); otherwise "
        "only the default theme until the first theme is created",
    )
    open_registration: bool = Field(
        default=False, description="accept clips from booths missing in the registry (dev only)"
    )

    whisper_model: str | None = Field(
        default=None, description="size name or CTranslate2 directory; bundled tiny.en if unset"
    )
    whisper_model_sha256: str | None = Field(
        default=None,
        pattern=r"^[0-9a-f]{64}$",
        description="sha256 of the model directory's model.bin, checked at load; the "
        "bundled tiny.en and the joined base are always checked against their pins",
    )
    whisper_compute_type: str = Field(
        default="int8", description="int8 on CPUs; int8_float16 or float16 on a GPU"
    )
    whisper_device: Literal["auto", "cpu", "cuda"] = Field(
        default="cpu",
        description="auto: the GPU when CTranslate2 sees one, else the CPU; the compute type "
        "is checked against the device at start (ingest.transcribe.device)",
    )
    transcribe_languages: list[str] | None = Field(
        default=None,
        description='the clip languages this worker takes, e.g. ["da"]; "any" stands for '
        "clips of unknown language. Unset: all with a multilingual model, English and "
        "unknown with an English-only one",
    )
    whisper_threads: int = Field(default=2, ge=1, description="CPU threads in all")
    prep_threads: int | None = Field(
        default=None,
        ge=1,
        le=64,
        description="threads decoding a batch's audio and finding its speech (VAD) before "
        "the model runs; INGEST_WHISPER_THREADS when unset",
    )
    whisper_replicas: int = Field(
        default=2,
        ge=1,
        le=16,
        description="model copies decoding batches side by side, sharing the threads; two "
        "single-threaded copies outrun one with two threads (docs/performance.md)",
    )
    whisper_beam_size: int = Field(default=2, ge=1, le=10)
    whisper_batch_size: int = Field(
        default=8, ge=1, le=64, description="clips transcribed together (docs/performance.md)"
    )
    whisper_no_speech_threshold: float = 0.6
    transcribe_workers: int = 1
    worker_nice: int = Field(
        default=10, ge=0, le=19, description="CPU niceness of `ingest worker`: acks never wait"
    )
    transcribe_max_attempts: int = 3
    transcribe_retry_s: float = 5.0
    transcribe_lease_s: float = Field(
        default=60.0,
        gt=0,
        description="a worker whose heartbeat is older than this is dead: its claims go "
        "to others (a live worker beats while it transcribes, however long a batch takes)",
    )
    transcribe_heartbeat_s: float = Field(
        default=10.0, gt=0, description="how often a worker says it lives (at most lease/3)"
    )
    languages: dict[str, str] = Field(
        default_factory=dict,
        description='language per theme or neighborhood, e.g. {"budget": "da"}',
    )

    audio_retention_days: int | None = Field(
        default=90,
        ge=0,
        description="delete audio this many days after receipt, keep the text; unset: keep",
    )
    raw_text_retention_days: int | None = Field(
        default=180,
        ge=0,
        description="after this many days keep only the redacted text (the moderator's spans "
        "applied to text, segments and history); unset: keep the raw",
    )

    # What a request may be (checked before its body is read).
    max_request_bytes: int = Field(default=1_000_000, description="any API request body")
    max_prompt_bytes: int = Field(default=5_000_000, description="an uploaded theme prompt")
    max_prompt_s: float = Field(default=60.0, description="an uploaded prompt's duration")
    max_status_bytes: int = Field(default=4096, description="a booth's status message")
    token_days: int = Field(default=90, ge=1, description="API tokens expire after this")
    sign_in_failures_per_minute: int = Field(
        default=10, description="failed token checks per client before it is made to wait"
    )
    cursor_key_file: Path | None = Field(
        default=None,
        description="the key signing page cursors, shared by every API process; made (0600) "
        "as cursor.key in the data directory when unset",
    )
    tick_s: float = Field(default=60.0, gt=0, description="housekeeping runs this often")
    map_tile_url: str | None = Field(
        default=None,
        pattern=r"^https?://[^/\s]+/\S*\{z\}\S*$",
        description="a tile server for the neighborhood maps, as Leaflet takes it "
        "(https://tiles.example.dk/{z}/{x}/{y}.png); unset: no map, the booths as a list",
    )
    map_attribution: str = Field(
        default="© OpenStreetMap", description="the tile server's required credit line"
    )
    web_vendor_dir: Path = Field(
        default=Path(__file__).parent / "http" / "web" / "vendor",
        description="third-party browser code, put there at build time "
        "(deploy/tools/vendor-web.sh: Leaflet from npm); served under /web/vendor",
    )
    config_check_s: float = Field(
        default=10.0,
        gt=0,
        description="the config publisher looks for changed booth configs this often",
    )
    booth_offline_s: float = Field(
        default=600.0, gt=0, description="a booth silent this long counts as offline in metrics"
    )
    time_zone: str = Field(
        default=DEFAULT_ZONE,
        description="the city's zone (IANA): where its days and weeks begin, in counts, "
        "statistics, exports and theme dates; the same on every ingest process",
    )

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        parse_zone(name)
        return name

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
    def cursor_key_path(self) -> Path:
        return self.cursor_key_file or self.data_dir / "cursor.key"

    @property
    def audio_dir(self) -> Path:
        return self.data_dir / "audio"

    def broker_address(self) -> BrokerAddress:
        return BrokerAddress.from_url(self.mqtt_url).with_password_file(self.mqtt_password_file)

    def admin_address(self) -> BrokerAddress | None:
        if self.broker_admin_url is None:
            return None
        return BrokerAddress.from_url(self.broker_admin_url).with_password_file(
            self.broker_admin_password_file
        )

    def booth_broker(self) -> BrokerAddress:
        return BrokerAddress.from_url(self.booth_mqtt_url or self.mqtt_url)
