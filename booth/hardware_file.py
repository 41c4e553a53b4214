"""`booth set-hardware`: the technician's hardware.toml from a hardware profile, checked
before it replaces the one in use, so a booth rewired on site never ends up with a file it
refuses at start (exit 78)."""

import contextlib
import os
import shutil
import sys
from pathlib import Path

from pydantic import ValidationError

from booth.pins import EX_CONFIG, PinPlanError
from booth.settings import BoothSettings, hardware_file
from booth.station import check_wiring
from shared import hardware_profiles
from shared.files import write_atomic

PREVIOUS_SUFFIX = ".previous"


def set_hardware(profile: str) -> int:
    """Write `profile` (a shipped name or a .toml path) as the booth's hardware.toml; the file
    it replaces is kept beside it as hardware.toml.previous. Nothing is written unless the
    booth can run with the result: same checks as at start."""
    target = hardware_file()
    try:
        source = hardware_profiles.find(profile)
        text = source.read_text(encoding="utf-8")
        hardware_profiles.check(text, str(source))
    except (hardware_profiles.ProfileError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EX_CONFIG
    trial = target.with_name(f".{target.name}.trial")
    try:
        write_atomic(trial, text.encode(), mode=0o640)
        problem = _problem_with(trial)
        if problem is not None:
            print(
                f"error: {source} does not fit this booth, nothing changed:\n{problem}",
                file=sys.stderr,
            )
            return EX_CONFIG
        if target.exists():
            previous = target.with_name(target.name + PREVIOUS_SUFFIX)
            shutil.copy2(target, previous)
            shutil.copystat(target, trial)  # owner group and mode stay the technician's
            _copy_owner(target, trial)
        os.replace(trial, target)
    except OSError as exc:
        print(f"error: cannot write {target}: {exc}", file=sys.stderr)
        return EX_CONFIG
    finally:
        trial.unlink(missing_ok=True)
    print(f"{target} now from {source}; apply it with: sudo systemctl restart booth")
    return 0


def _problem_with(candidate: Path) -> str | None:
    """Why the booth would refuse to start with `candidate` as its hardware file, or None."""
    saved = os.environ.get("BOOTH_HARDWARE_FILE")
    os.environ["BOOTH_HARDWARE_FILE"] = str(candidate)
    try:
        check_wiring(BoothSettings())
    except (ValidationError, ValueError, PinPlanError) as exc:
        return str(exc)
    finally:
        if saved is None:
            del os.environ["BOOTH_HARDWARE_FILE"]
        else:
            os.environ["BOOTH_HARDWARE_FILE"] = saved
    return None


def _copy_owner(original: Path, replacement: Path) -> None:
    info = original.stat()
    with contextlib.suppress(PermissionError):  # not root: the file stays the caller's
        os.chown(replacement, info.st_uid, info.st_gid)
