"""Settings of the booth agent: two TOML files, then `BOOTH_*` environment variables on top,
then arguments.

- booth.toml (default /etc/booth/booth.toml) is the booth's identity and broker login, from
  its bundle (`ingest booth add`); the installer replaces it at every update.
- hardware.toml (beside it) is the booth's own wiring and sound devices, from a hardware
  profile (shared/profiles/) or the technician's hand; the installer writes it only when
  there is none, so a technician's change survives updates. It wins over booth.toml (older
  booth.toml files held pins too) and may not set the identity.

Read by hand rather than through pydantic-settings, which ingest uses: on the booth it cost
5 MB of a 60 MB budget (its sources pull in asyncio and cloud providers' code) for what is
a dozen lines here (docs/performance.md)."""

import json
import os
import tomllib
import typing
from collections.abc import Collection
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from booth.codec import Codec
from booth.pins import PinFactoryName
from shared import hardware_profiles
from shared.broker import BrokerAddress
from shared.topics import DEFAULT_PREFIX, SLUG_PATTERN

DEFAULT_CONFIG_FILE = Path("/etc/booth/booth.toml")


def config_file() -> Path:
    """Where the booth's identity is read from: BOOTH_CONFIG_FILE, else the default."""
    return Path(os.environ.get("BOOTH_CONFIG_FILE", DEFAULT_CONFIG_FILE))


def hardware_file() -> Path:
    """Where the booth's hardware is read from: BOOTH_HARDWARE_FILE, else beside booth.toml."""
    default = config_file().parent / hardware_profiles.FILE_NAME
    return Path(os.environ.get("BOOTH_HARDWARE_FILE", default))


def from_hardware_toml(path: Path, known: Collection[str]) -> dict[str, Any]:
    """The hardware file's settings. An identity setting there is refused, never obeyed, and
    so is a name the booth does not know (a typo would otherwise leave a default in place)."""
    if not path.exists():
        return {}
    try:
        values = hardware_profiles.check(path.read_text(encoding="utf-8"), str(path))
    except hardware_profiles.ProfileError as exc:
        raise ValueError(str(exc)) from exc
    unknown = sorted(values.keys() - set(known))
    if unknown:
        raise ValueError(f"{path}: unknown setting(s) {', '.join(unknown)}")
    return values


def from_toml(path: Path) -> dict[str, Any]:
    """The file's settings; none if there is no file."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path} is not valid TOML: {exc}") from exc


def from_environment(model: type[BaseModel], prefix: str = "BOOTH_") -> dict[str, Any]:
    """`BOOTH_<FIELD>` variables (any case); tables such as keypad_pins are JSON."""
    found = {key.upper(): value for key, value in os.environ.items()}
    values: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        raw = found.get(f"{prefix}{name.upper()}")
        if raw is None:
            continue
        if typing.get_origin(field.annotation) is dict:
            try:
                values[name] = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{prefix}{name.upper()} is not JSON: {exc}") from exc
        else:
            values[name] = raw
    return values


class BoothSettings(BaseModel):
    model_config = ConfigDict(extra="ignore", validate_default=True)

    def __init__(self, _env_file: object = None, **values: Any) -> None:
        # Arguments win over the environment, which wins over the hardware file, which wins
        # over booth.toml. (`_env_file` is accepted for callers of the pydantic-settings era;
        # no .env file is read.)
        merged = {
            **from_toml(config_file()),
            **from_hardware_toml(hardware_file(), type(self).model_fields),
            **from_environment(type(self)),
            **values,
        }
        super().__init__(**merged)

    id: str = Field(default="booth-dev", pattern=SLUG_PATTERN)
    neighborhood: str = Field(default="center", pattern=SLUG_PATTERN)
    theme: str = Field(default="general", pattern=SLUG_PATTERN)
    theme_digits: dict[str, str] = Field(
        default_factory=dict,
        description='digit -> theme until remote config arrives, {"1": "parks"}',
    )

    mqtt_url: str = Field(
        default="mqtt://127.0.0.1:1883", description="mqtts://BOOTH_ID@HOST:8883 in the field"
    )
    mqtt_password_file: Path | None = Field(
        default=None,
        description="the broker password, alone in a 0600 file (the bundle's), not in the URL",
    )
    mqtt_ca_file: Path | None = None
    topic_prefix: str = DEFAULT_PREFIX
    ack_timeout_s: float = 30.0
    send_window: int = 4

    spool_dir: Path = Path("/var/lib/booth/spool")
    spool_budget_bytes: int = 500_000_000
    quarantine_keep_days: float = Field(
        default=30, gt=0, description="rejected clips are deleted from the booth after this"
    )
    config_cache_dir: Path | None = Field(
        default=None, description="last good remote config and its prompts; beside the spool"
    )

    codec: Codec = Codec.OPUS
    consent_key: str = Field(
        default="#",
        pattern=r"^[0-9#*]$",
        description="the key that says yes; a digit on rotary-only booths, whose dial has no #",
    )
    consent_timeout_s: float = 20.0
    choice_timeout_s: float = 6.0
    max_recording_s: float = 180.0
    silence_timeout_s: float = 5.0
    no_speech_timeout_s: float = Field(
        default=8.0, gt=0, description="a caller silent this long after the beep: nothing kept"
    )
    off_hook_after_s: float = Field(
        default=60.0, gt=0, description="a handset still up this long after a call is reported"
    )
    min_speech_s: float = 0.5
    receipt_digits: int = Field(default=8, ge=4, le=12)

    # Hardware (BCM pin numbers).
    pin_factory: PinFactoryName = Field(
        default="lgpio", description="lgpio on Pi 4 and Pi 5; mock for simulations"
    )
    switch_pull_up: bool = Field(
        default=True, description="switches wired to ground (pull-up) or to 3.3 V (pull-down)"
    )
    hook_pin: int = 17
    hook_lifted_when_high: bool = False
    hook_bounce_s: float = 0.05
    keypad_pins: dict[str, int] = Field(
        default_factory=dict, description='key -> pin for push buttons, {"#": 22, "1": 5}'
    )
    keypad_rows: list[int] = Field(
        default_factory=list, description="a key matrix: row pins, driven low one at a time"
    )
    keypad_columns: list[int] = Field(
        default_factory=list, description="a key matrix: column pins, read while a row is low"
    )
    keypad_layout: str = Field(
        default="123456789*0#", description="the matrix's keys row by row (3x4 telephone pad)"
    )
    dial_pulse_pin: int | None = None
    dial_off_normal_pin: int | None = Field(
        default=None, description="the dial's off-normal contact, closed while it turns"
    )
    greeting_delay_ms: int = Field(
        default=400, ge=0, le=5000, description="from lift to greeting: the handset reaches the ear"
    )
    led_pin: int | None = None
    output_device: str | None = None
    input_device: str | None = None
    output_gain_db: float = Field(default=0.0, ge=-40, le=20, description="handset volume")
    audio_stall_s: float = Field(
        default=1.5,
        gt=0,
        description="a card silent this long mid-stream (or mid-prompt) counts as failed",
    )
    audio_retry_max_s: float = Field(
        default=60.0, gt=0, description="longest wait between tries to reopen a failed card"
    )

    heartbeat_s: float = 60.0

    def broker_address(self) -> BrokerAddress:
        """The broker URL, with the password from `mqtt_password_file` when one is set."""
        return BrokerAddress.from_url(self.mqtt_url).with_password_file(
            self.mqtt_password_file, self.id
        )

    @property
    def state_dir(self) -> Path:
        """Writable home of the spool, config cache and tapes (systemd's StateDirectory)."""
        return self.spool_dir.parent

    @property
    def runtime_dir(self) -> Path | None:
        """systemd's RuntimeDirectory (a tmpfs under /run) where the unit has one: the
        place for tapes when it has room (booth.tape)."""
        value = os.environ.get("RUNTIME_DIRECTORY", "")
        return Path(value.split(":")[0]) if value else None

    @property
    def configured(self) -> bool:
        """Was the booth given its id (in its booth.toml or BOOTH_ID), or is this a default?"""
        return "id" in self.model_fields_set

    @property
    def config_dir(self) -> Path:
        return self.config_cache_dir or self.spool_dir.parent / "config"
