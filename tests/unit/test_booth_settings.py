"""The booth's settings: booth.toml, then BOOTH_* variables, then arguments; a bad file or
variable is named in the error."""

from pathlib import Path

import pytest

from booth.settings import BoothSettings


@pytest.fixture
def toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = tmp_path / "booth.toml"
    config.write_text(
        'id = "gellerup-1"\nneighborhood = "gellerup"\nhook_pin = 5\n'
        'keypad_pins = {"#" = 22, "1" = 6}\nunknown_setting = 1\n'
    )
    monkeypatch.setenv("BOOTH_CONFIG_FILE", str(config))
    for name in ("BOOTH_ID", "BOOTH_HOOK_PIN", "BOOTH_KEYPAD_PINS", "booth_led_pin"):
        monkeypatch.delenv(name, raising=False)
    return config


def test_the_file_then_the_environment_then_arguments(
    toml: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from_file = BoothSettings()
    assert (from_file.id, from_file.hook_pin, from_file.keypad_pins) == (
        "gellerup-1", 5, {"#": 22, "1": 6},
    )  # fmt: skip
    assert from_file.configured and from_file.led_pin is None
    monkeypatch.setenv("BOOTH_HOOK_PIN", "27")
    monkeypatch.setenv("BOOTH_KEYPAD_PINS", '{"#": 4}')
    monkeypatch.setenv("booth_led_pin", "12")  # any case, as systemd units are written
    from_env = BoothSettings()
    assert (from_env.hook_pin, from_env.keypad_pins, from_env.led_pin) == (27, {"#": 4}, 12)
    assert BoothSettings(hook_pin=3).hook_pin == 3


def test_no_file_leaves_an_unconfigured_booth(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOOTH_CONFIG_FILE", str(tmp_path / "absent.toml"))
    monkeypatch.delenv("BOOTH_ID", raising=False)
    assert not BoothSettings().configured


def test_bad_settings_are_named(toml: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOOTH_KEYPAD_PINS", "{#: 4")
    with pytest.raises(ValueError, match="BOOTH_KEYPAD_PINS is not JSON"):
        BoothSettings()
    monkeypatch.delenv("BOOTH_KEYPAD_PINS")
    toml.write_text('id = "b1"\nhook_pin = \n')
    with pytest.raises(ValueError, match=r"booth\.toml is not valid TOML"):
        BoothSettings()
    toml.write_text('id = "not a slug!"\n')
    with pytest.raises(ValueError, match="id"):
        BoothSettings()
