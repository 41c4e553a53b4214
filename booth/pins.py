"""Which pins the booth uses, checked before any is touched, and the pin factory that drives them.

A wrong pin plan (two parts on one pin, a pin that is not on the header, a fixed pull-up
where a pull-down is wired) is a configuration error: the agent exits with `EX_CONFIG`,
which the unit's `RestartPreventExitStatus` keeps from restarting in a loop.
"""

import importlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from booth.errors import BoothError

EX_CONFIG = 78  # sysexits.h: restarting cannot fix a configuration error

PinFactoryName = Literal["lgpio", "rpigpio", "native", "mock"]

# GPIO numbers (BCM) on the 40-pin header; 0 and 1 belong to the HAT ID EEPROM.
HEADER_PINS = range(2, 28)
FIXED_PULL_UP = {2: "SDA1", 3: "SCL1"}  # 1.8 kΩ pull-ups soldered on the board
OUTPUTS = {"led"}  # driven by the booth (as are keypad rows), so a pull-up does no harm

_FACTORIES: dict[str, tuple[str, str, str]] = {
    # name -> (module, class, what to install when the module is missing)
    "lgpio": ("gpiozero.pins.lgpio", "LGPIOFactory", "apt install python3-lgpio"),
    "rpigpio": ("gpiozero.pins.rpigpio", "RPiGPIOFactory", "apt install python3-rpi.gpio"),
    "native": ("gpiozero.pins.native", "NativeFactory", "nothing (not on a Pi 5)"),
    "mock": ("gpiozero.pins.mock", "MockFactory", "nothing"),
}


class PinPlanError(BoothError):
    """The settings put the booth's parts on pins that cannot work."""


class PinFactoryError(BoothError):
    """The chosen pin factory cannot drive this board."""


def pin_plan(
    hook: int,
    keys: dict[str, int],
    dial: int | None,
    led: int | None,
    *,
    off_normal: int | None = None,
    rows: Sequence[int] = (),
    columns: Sequence[int] = (),
) -> list[tuple[str, int]]:
    plan = [("hook", hook), *((f"key {key}", pin) for key, pin in keys.items())]
    plan += [(f"keypad row {n}", pin) for n, pin in enumerate(rows, 1)]
    plan += [(f"keypad column {n}", pin) for n, pin in enumerate(columns, 1)]
    if dial is not None:
        plan.append(("dial", dial))
    if off_normal is not None:
        plan.append(("dial off-normal", off_normal))
    if led is not None:
        plan.append(("led", led))
    return plan


def check_pin_plan(plan: list[tuple[str, int]], *, pull_up: bool) -> None:
    """Raise PinPlanError naming every problem of the plan at once."""
    problems = []
    owner: dict[int, str] = {}
    for part, pin in plan:
        if pin not in HEADER_PINS:
            problems.append(f"{part} on GPIO{pin}: not a header pin (use GPIO2-GPIO27)")
        if pin in owner:
            problems.append(f"{part} on GPIO{pin}: already used by {owner[pin]}")
        owner.setdefault(pin, part)
        if pin in FIXED_PULL_UP and not pull_up and part not in OUTPUTS and "row" not in part:
            problems.append(
                f"{part} on GPIO{pin}: {FIXED_PULL_UP[pin]} has a fixed pull-up; "
                "switches wired to 3.3 V need another pin"
            )
    if problems:
        raise PinPlanError("bad pin plan: " + "; ".join(problems))


def make_pin_factory(name: PinFactoryName, workdir: Path) -> Any:
    """The gpiozero pin factory `name`, or PinFactoryError in one line saying what is missing.

    lgpio makes a notification FIFO in its working directory when imported; under systemd's
    `ProtectSystem=strict` the current directory is read-only, so it is pointed at `workdir`.
    """
    module_name, class_name, install = _FACTORIES[name]
    os.environ.setdefault("LG_WD", str(workdir))
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise PinFactoryError(f"pin factory {name}: {exc.name or exc} missing ({install})") from exc
    except OSError as exc:
        raise PinFactoryError(f"pin factory {name}: cannot load: {exc}") from exc
    try:
        return getattr(module, class_name)()
    except Exception as exc:  # gpiozero raises many kinds: unknown board, no /dev/gpiochip
        raise PinFactoryError(
            f"pin factory {name}: {type(exc).__name__}: {exc} (not a Raspberry Pi, "
            "or the booth user is not in the gpio group?)"
        ) from exc
