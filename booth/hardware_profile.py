"""Hardware profiles: a booth's wiring and sound devices as a small named TOML file.

The shipped profiles (booth/profiles/, e.g. `keypad-usb-handset`, `rotary-usb-handset`) or
a technician's own file go into the booth's bundle as hardware.toml (`ingest booth add
--hardware`); the installer copies it to /etc/booth/hardware.toml when the booth has none.
A profile is checked when the bundle is made, so a typo is named in the office, not found
at the booth: valid TOML, only settings a booth knows (no identity), values of the right
kind, and a pin plan that can work.
"""

import tomllib
from pathlib import Path
from typing import Any

from booth.errors import BoothError

PROFILES = Path(__file__).parent / "profiles"
DEFAULT_PROFILE = "keypad-usb-handset"


class ProfileError(BoothError):
    """A hardware profile that cannot be found or cannot work."""


def shipped() -> list[str]:
    """The names of the profiles that come with the booth's source."""
    return sorted(path.stem for path in PROFILES.glob("*.toml"))


def find(name_or_path: str) -> Path:
    """A shipped profile by name, or a technician's own TOML file by its path."""
    own = Path(name_or_path)
    if own.suffix == ".toml" or own.parent != Path():
        if not own.is_file():
            raise ProfileError(f"no hardware profile file {own}")
        return own
    path = PROFILES / f"{name_or_path}.toml"
    if not path.is_file():
        raise ProfileError(
            f"no hardware profile {name_or_path!r}: shipped are {', '.join(shipped())}, "
            "or give the path of a .toml file"
        )
    return path


def check(text: str, source: str) -> dict[str, Any]:
    """The profile's settings, or ProfileError naming everything wrong with them."""
    from pydantic import ValidationError

    from booth.pins import PinPlanError, check_pin_plan, pin_plan
    from booth.settings import IDENTITY_FIELDS, BoothSettings

    try:
        values = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{source} is not valid TOML: {exc}") from exc
    misplaced = sorted(IDENTITY_FIELDS & values.keys())
    if misplaced:
        raise ProfileError(f"{source} sets {', '.join(misplaced)}: that comes from the bundle")
    unknown = sorted(values.keys() - BoothSettings.model_fields.keys())
    if unknown:
        raise ProfileError(f"{source}: unknown setting(s) {', '.join(unknown)}")
    try:
        # Validation only: no file or environment is read (model_validate skips __init__).
        s = BoothSettings.model_validate(values)
        plan = pin_plan(s.hook_pin, s.keypad_pins, s.dial_pulse_pin, s.led_pin)
        check_pin_plan(plan, pull_up=s.switch_pull_up)
    except ValidationError as exc:
        raise ProfileError(f"{source}: {exc}") from exc
    except PinPlanError as exc:
        raise ProfileError(f"{source}: {exc}") from exc
    key = s.consent_key  # the rule of booth.station.check_wiring, which needs gpiozero
    if key not in s.keypad_pins and not (key.isdigit() and s.dial_pulse_pin is not None):
        raise ProfileError(f"{source}: consent key {key!r} cannot be sent: no keypad pin for it")
    return values


def for_bundle(name_or_path: str) -> str:
    """The hardware.toml a bundle carries: the checked profile, headed by where it came from."""
    path = find(name_or_path)
    text = path.read_text(encoding="utf-8")
    check(text, str(path))
    origin = path.stem if path.parent == PROFILES else str(path)
    header = (
        f"# Hardware of this booth, from the profile {origin}. Installed as\n"
        "# /etc/booth/hardware.toml only where there is none: edit it there to match the\n"
        "# wiring; updates keep it.\n"
    )
    return header + text
