"""Hardware profiles: a booth's wiring and sound devices as a small named TOML file, the
part of a booth's bundle that the office chooses and the booth reads.

The shipped profiles (shared/profiles/: `keypad-usb-handset`, `rotary-usb-handset`) or a
technician's own file go into the booth's bundle as hardware.toml (`ingest booth add
--hardware`); the installer copies it to /etc/booth/hardware.toml where the booth has none.
Here a profile is checked as far as both sides agree on it: valid TOML, and none of the
identity a bundle's booth.toml alone may set. What the settings mean (known names, values,
a pin plan that works) is the booth's to judge: it refuses a hardware.toml it cannot use
(exit 78) and `booth check` names the fault.
"""

import tomllib
from pathlib import Path
from typing import Any

PROFILES = Path(__file__).parent / "profiles"
DEFAULT_PROFILE = "keypad-usb-handset"
FILE_NAME = "hardware.toml"
# What only the bundle's booth.toml says: who the booth is and how it logs in to the broker.
IDENTITY_FIELDS = frozenset(
    {"id", "neighborhood", "mqtt_url", "mqtt_password_file", "mqtt_ca_file", "topic_prefix"}
)


class ProfileError(ValueError):
    """A hardware profile that cannot be found or read."""


def shipped() -> list[str]:
    """The names of the profiles that come with the source."""
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
    """The profile's settings, or ProfileError: not TOML, or an identity setting in it."""
    try:
        values = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{source} is not valid TOML: {exc}") from exc
    misplaced = sorted(IDENTITY_FIELDS & values.keys())
    if misplaced:
        raise ProfileError(
            f"{source} sets {', '.join(misplaced)}: the identity belongs in booth.toml "
            "(from the bundle), not in the hardware"
        )
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
