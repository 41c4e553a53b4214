"""`booth check --interactive` on gpiozero's LGPIOFactory over a fake lgpio that, as the
kernel does, refuses a line to a second handle while another holds it."""

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from booth import check
from booth.settings import BoothSettings
from tests.support.fake_lgpio import FakeLgpio
from tests.support.fake_sounddevice import FakeCard


def settings(tmp_path: Path) -> BoothSettings:
    return BoothSettings(
        id="b1",
        spool_dir=tmp_path / "spool",
        mqtt_url="mqtt://127.0.0.1:1",
        keypad_pins={"#": 22, "1": 6},
        led_pin=24,
        pin_factory="lgpio",
    )


@pytest.fixture
def lgpio(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeLgpio]:
    """gpiozero's LGPIOFactory on a fake lgpio, on a Raspberry Pi 4B's board."""
    monkeypatch.setenv("LG_WD", str(tmp_path))  # importing lgpio makes a FIFO there
    import gpiozero.pins.lgpio as lgpio_pins
    from gpiozero.pins.local import LocalPiFactory

    fake = FakeLgpio()
    monkeypatch.setattr(lgpio_pins, "lgpio", fake)
    monkeypatch.setattr(lgpio_pins.LGPIOFactory, "_get_revision", lambda _self: 0xC03111)
    yield fake
    LocalPiFactory.pins.clear()  # gpiozero shares the pins among all its local factories


def test_the_interactive_check_claims_the_lines_once_and_frees_them(
    tmp_path: Path, lgpio: FakeLgpio
) -> None:
    hands = {
        "lift the handset": lambda: lgpio.set_level(17, 0),
        "hang up": lambda: lgpio.set_level(17, 1),
        "press or dial #": lambda: (lgpio.set_level(22, 0), lgpio.set_level(22, 1)),
        "press or dial 1": lambda: (lgpio.set_level(6, 0), lgpio.set_level(6, 1)),
    }

    class Screen(io.StringIO):
        def write(self, text: str) -> int:
            written = super().write(text)
            instruction = text.strip().removeprefix("....  ")
            if instruction in hands:
                hands[instruction]()
            return written

    screen = Screen()
    check.run(
        settings(tmp_path),
        interactive=True,
        sd=FakeCard(speed=20),
        out=screen,
        answer=lambda _question: "y",
    )
    report = screen.getvalue()
    assert "OK    pins" in report and "OK    walk       hook, 2 key(s), LED" in report, report
    assert lgpio.opened == 1  # one factory for the pins check and the walk
    assert lgpio.open_handles == set() and lgpio.owner == {}  # closed: every line free again
