"""Hardware profiles: the shipped ones make a booth that passes its start-up check, a
technician's own file is checked before it reaches a bundle (TOML, no identity) and by the
booth that reads it (known settings, values, pin plan), and the booth reads its identity
(booth.toml, from the bundle) and its hardware (hardware.toml) from two files."""

import re
from pathlib import Path

import pytest

from booth.pins import EX_CONFIG
from booth.settings import BoothSettings
from booth.station import check_wiring
from ingest.fleet.provisioning import HARDWARE_FILE, bundle_hardware, write_bundle
from shared import hardware_profiles as hardware_profile
from shared.broker import BrokerAddress
from tests.support.bundles import installed_config
from tests.support.services import run_cli

BROKER = BrokerAddress.from_url("mqtt://127.0.0.1:1")


def bundle(folder: Path, profile: str | None) -> Path:
    """A bundle as `ingest booth add --hardware PROFILE` writes it, installed in place."""
    hardware = bundle_hardware(profile, "add") if profile != "none" else None
    write_bundle(folder, "booth-12", "gellerup", BROKER, "s3cret", None, hardware)
    return installed_config(folder)


def boot_check(config: Path, tmp_path: Path) -> tuple[int, str]:
    # No gpiochip here: MockFactory pins stand in for lgpio's (the hardware edge).
    env = {
        "BOOTH_CONFIG_FILE": str(config),
        "BOOTH_PIN_FACTORY": "mock",
        "BOOTH_SPOOL_DIR": str(tmp_path / "spool"),
    }
    result = run_cli("booth", ["check", "--boot"], env, timeout=120)
    return result.returncode, result.stdout + result.stderr


def test_the_shipped_profiles_are_these() -> None:
    assert hardware_profile.shipped() == ["keypad-usb-handset", "rotary-usb-handset"]


@pytest.mark.parametrize("profile", hardware_profile.shipped())
def test_a_booth_from_a_shipped_profile_passes_its_boot_check(profile: str, tmp_path: Path) -> None:
    config = bundle(tmp_path / "bundle", profile)
    assert (tmp_path / "bundle" / HARDWARE_FILE).exists()
    status, said = boot_check(config, tmp_path)
    assert status == 0, said
    assert "OK    pins" in said and "ready" in said


def test_a_bundle_without_hardware_fails_as_before(tmp_path: Path) -> None:
    """What a booth got before profiles: an identity alone, no keypad, consent key '#'."""
    config = bundle(tmp_path / "bundle", "none")
    status, said = boot_check(config, tmp_path)
    assert status == EX_CONFIG and "no keypad pin for it" in said


def test_shipped_profiles_wire_every_part_the_agent_needs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "booth.toml").write_text('id = "booth-12"\n')
    monkeypatch.setenv("BOOTH_CONFIG_FILE", str(tmp_path / "booth.toml"))
    monkeypatch.delenv("BOOTH_HARDWARE_FILE", raising=False)
    for name in hardware_profile.shipped():
        (tmp_path / "hardware.toml").write_text(hardware_profile.for_bundle(name))
        settings = BoothSettings()  # every name known, every value valid
        check_wiring(settings)  # the agent's own rule: raises on a key the booth cannot send
        assert settings.output_device and settings.input_device  # by ALSA card name
        if settings.dial_pulse_pin is not None:
            assert settings.consent_key.isdigit()


def test_the_hardware_file_wins_and_may_not_set_the_identity(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "booth.toml"
    config.write_text('id = "booth-12"\nneighborhood = "gellerup"\nhook_pin = 5\n')
    monkeypatch.setenv("BOOTH_CONFIG_FILE", str(config))
    monkeypatch.delenv("BOOTH_HARDWARE_FILE", raising=False)
    for name in ("BOOTH_ID", "BOOTH_HOOK_PIN", "BOOTH_DIAL_PULSE_PIN"):
        monkeypatch.delenv(name, raising=False)
    assert BoothSettings().hook_pin == 5  # an older booth.toml with pins still works
    hardware = tmp_path / "hardware.toml"  # beside booth.toml
    hardware.write_text("hook_pin = 6\ndial_pulse_pin = 27\n")
    settings = BoothSettings()
    assert (settings.id, settings.hook_pin, settings.dial_pulse_pin) == ("booth-12", 6, 27)
    monkeypatch.setenv("BOOTH_HOOK_PIN", "7")
    assert BoothSettings().hook_pin == 7  # the environment still wins
    hardware.write_text('id = "booth-99"\nhook_pin = 6\n')
    with pytest.raises(ValueError, match=r"hardware\.toml sets id: the identity belongs"):
        BoothSettings()
    elsewhere = tmp_path / "wiring.toml"
    elsewhere.write_text("hook_pin = 4\n")
    monkeypatch.setenv("BOOTH_HARDWARE_FILE", str(elsewhere))
    monkeypatch.delenv("BOOTH_HOOK_PIN")
    assert BoothSettings().hook_pin == 4


@pytest.mark.parametrize(
    ("text", "problem"),
    [("hook_pin = \n", "not valid TOML"), ('id = "booth-1"\n', "sets id: the identity belongs")],
)
def test_a_technicians_own_profile_is_checked_before_it_reaches_a_bundle(
    text: str, problem: str, tmp_path: Path
) -> None:
    own = tmp_path / "my-booth.toml"
    own.write_text(text)
    with pytest.raises(hardware_profile.ProfileError, match=problem):
        hardware_profile.for_bundle(str(own))


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("hook_pn = 5\n", r"unknown setting\(s\) hook_pn"),
        ('hook_pin = "seventeen"\n', "hook_pin"),
        ('keypad_pins = {"#" = 17}\n', "already used by hook"),
        ("dial_pulse_pin = 27\n", "consent key '#' cannot be sent"),
    ],
)
def test_the_booth_refuses_a_hardware_file_it_cannot_use(
    text: str, problem: str, tmp_path: Path
) -> None:
    """What the office does not judge, the booth does, with 78: no restart, a clear line."""
    config = tmp_path / "booth.toml"
    config.write_text('id = "booth-12"\n')
    (tmp_path / "hardware.toml").write_text('pin_factory = "mock"\n' + text)
    status, said = boot_check(config, tmp_path)
    assert status == EX_CONFIG, said
    assert re.search(problem, said), said


def test_profiles_are_found_by_name_or_path(tmp_path: Path) -> None:
    with pytest.raises(hardware_profile.ProfileError, match="shipped are keypad-usb-handset"):
        hardware_profile.find("keypad-usb")
    with pytest.raises(hardware_profile.ProfileError, match="no hardware profile file"):
        hardware_profile.find(str(tmp_path / "absent.toml"))
    own = tmp_path / "mine.toml"
    own.write_text('keypad_pins = {"#" = 22}\nled_pin = 24\n')
    text = hardware_profile.for_bundle(str(own))
    assert text.startswith(f"# Hardware of this booth, from the profile {own}.")
    assert text.endswith(own.read_text())
    assert "from the profile rotary-usb-handset" in hardware_profile.for_bundle(
        "rotary-usb-handset"
    )


def test_a_rotation_keeps_the_bundles_hardware_unless_told(tmp_path: Path) -> None:
    folder = tmp_path / "bundle"
    write_bundle(
        folder, "b1", "n", BROKER, "one", None, bundle_hardware("rotary-usb-handset", "add")
    )
    write_bundle(folder, "b1", "n", BROKER, "two", None, bundle_hardware(None, "rotate"))
    assert "rotary-usb-handset" in (folder / HARDWARE_FILE).read_text()
    write_bundle(
        folder, "b1", "n", BROKER, "three", None, bundle_hardware("keypad-usb-handset", "rotate")
    )
    assert "keypad-usb-handset" in (folder / HARDWARE_FILE).read_text()
    assert "keypad-usb-handset" in (bundle_hardware(None, "add") or "")  # the default


def set_hardware(config: Path, profile: str) -> tuple[int, str]:
    result = run_cli("booth", ["set-hardware", profile], {"BOOTH_CONFIG_FILE": str(config)})
    return result.returncode, result.stdout + result.stderr


def test_set_hardware_swaps_the_profile_and_keeps_the_one_before(tmp_path: Path) -> None:
    """The booth rewired on site, keypad to rotary dial: one command, then the boot check."""
    config = bundle(tmp_path / "bundle", "keypad-usb-handset")
    hardware = config.parent / HARDWARE_FILE
    keypad = hardware.read_text()
    status, said = set_hardware(config, "rotary-usb-handset")
    assert status == 0, said
    assert "systemctl restart booth" in said
    assert hardware.read_text() == hardware_profile.find("rotary-usb-handset").read_text()
    assert (config.parent / "hardware.toml.previous").read_text() == keypad
    status, said = boot_check(config, tmp_path)
    assert status == 0, said


def test_set_hardware_refuses_a_file_the_booth_could_not_start_with(tmp_path: Path) -> None:
    config = bundle(tmp_path / "bundle", "keypad-usb-handset")
    hardware = config.parent / HARDWARE_FILE
    before = hardware.read_text()
    clash = tmp_path / "mine.toml"  # the LED on the hook's pin
    clash.write_text(before.replace("led_pin = 24", "led_pin = 17"))
    status, said = set_hardware(config, str(clash))
    assert status == EX_CONFIG and "already used by" in said and "nothing changed" in said
    identity = tmp_path / "identity.toml"
    identity.write_text('id = "booth-99"\n')
    status, said = set_hardware(config, str(identity))
    assert status == EX_CONFIG and "booth.toml" in said
    status, said = set_hardware(config, "no-such-profile")
    assert status == EX_CONFIG and "rotary-usb-handset" in said  # the shipped ones, named
    assert hardware.read_text() == before
    assert sorted(p.name for p in config.parent.iterdir() if p.name.startswith(".")) == []


def test_set_hardware_mends_a_broken_file(tmp_path: Path) -> None:
    """A hardware.toml the booth refuses (exit 78) is what set-hardware is for."""
    config = bundle(tmp_path / "bundle", "keypad-usb-handset")
    (config.parent / HARDWARE_FILE).write_text("hook_pin = [not toml\n")
    assert boot_check(config, tmp_path)[0] == EX_CONFIG
    status, said = set_hardware(config, "keypad-usb-handset")
    assert status == 0, said
    assert boot_check(config, tmp_path)[0] == 0
