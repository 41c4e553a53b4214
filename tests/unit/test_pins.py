"""The pin plan and the pin factory, checked before any pin is touched."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from booth.pins import PinFactoryError, PinPlanError, check_pin_plan, make_pin_factory, pin_plan


def test_a_good_plan_passes() -> None:
    check_pin_plan(pin_plan(17, {"#": 22, "1": 6}, 27, 24), pull_up=True)


@pytest.mark.parametrize(
    ("plan", "pull_up", "message"),
    [
        (pin_plan(17, {"#": 17}, None, None), True, "key # on GPIO17: already used by hook"),
        (pin_plan(17, {}, 22, 22), True, "led on GPIO22: already used by dial"),
        (pin_plan(1, {}, None, None), True, "hook on GPIO1: not a header pin"),
        (pin_plan(40, {}, None, None), True, "hook on GPIO40: not a header pin"),
        (pin_plan(3, {}, None, None), False, "hook on GPIO3: SCL1 has a fixed pull-up"),
        (
            pin_plan(17, {}, 27, None, off_normal=27),
            True,
            "dial off-normal on GPIO27: already used by dial",
        ),
        (
            pin_plan(17, {}, None, None, rows=[5, 6], columns=[6]),
            True,
            "keypad column 1 on GPIO6: already used by keypad row 2",
        ),
    ],
)
def test_a_bad_plan_names_the_problem(
    plan: list[tuple[str, int]], pull_up: bool, message: str
) -> None:
    with pytest.raises(PinPlanError, match=message):
        check_pin_plan(plan, pull_up=pull_up)


def test_every_problem_is_named_at_once() -> None:
    with pytest.raises(PinPlanError) as caught:
        check_pin_plan(pin_plan(17, {"#": 17, "1": 0}, None, None), pull_up=True)
    assert "already used by hook" in str(caught.value) and "GPIO0" in str(caught.value)


def test_a_factory_that_cannot_load_says_so_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(PinFactoryError) as caught:
        make_pin_factory("rpigpio", tmp_path)  # RPi.GPIO is not installed here
    assert "\n" not in str(caught.value) and "python3-rpi.gpio" in str(caught.value)


LOAD_LGPIO = """
import sys
from pathlib import Path
from booth.pins import PinFactoryError, make_pin_factory
try:
    make_pin_factory("lgpio", Path(sys.argv[1]))
except PinFactoryError as exc:
    print(exc)
"""


def test_lgpio_loads_with_a_read_only_working_directory(tmp_path: Path) -> None:
    """Under the unit's ProtectSystem=strict the cwd is read-only: lgpio must not need it."""
    env = {k: v for k, v in os.environ.items() if k != "LG_WD"}
    plain = subprocess.run(
        [sys.executable, "-c", "import lgpio"], cwd="/proc", env=env, capture_output=True, text=True
    )
    assert plain.returncode != 0 and ".lgd-nfy" in plain.stderr  # the trap is real here
    state = tmp_path / "state"
    state.mkdir()
    ours = subprocess.run(
        [sys.executable, "-c", LOAD_LGPIO, str(state)],
        cwd="/proc",
        env={**env, "PYTHONPATH": str(Path(__file__).parents[2])},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ours.returncode == 0, ours.stderr
    # Off a Pi the board is unknown; what matters is that lgpio itself loaded.
    assert "pin factory lgpio" in ours.stdout and ".lgd-nfy" not in ours.stdout
    assert any(p.name.startswith(".lgd-nfy") for p in state.iterdir())
