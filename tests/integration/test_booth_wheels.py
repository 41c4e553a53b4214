"""Nothing compiles on a Raspberry Pi: every Python dependency of the booth has a wheel for
64-bit Raspberry Pi OS, Bookworm (Python 3.11) and Trixie (3.13), where lgpio comes from
apt (python3-lgpio) instead."""

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

pytestmark = pytest.mark.slow

PYPROJECT = Path(__file__).parents[2] / "pyproject.toml"
PLATFORMS = ["manylinux_2_34_aarch64", "manylinux_2_28_aarch64", "manylinux2014_aarch64"]


def booth_requirements(python: str) -> list[str]:
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    wanted = []
    for line in [*project["dependencies"], *project["optional-dependencies"]["booth"]]:
        requirement = Requirement(line)
        pi = {"platform_machine": "aarch64", "python_version": python, "sys_platform": "linux"}
        if requirement.marker is not None and not requirement.marker.evaluate(pi):
            continue
        requirement.marker = None
        wanted.append(str(requirement))
    return wanted


@pytest.mark.parametrize("python", ["3.11", "3.13"])
def test_every_booth_dependency_has_an_aarch64_wheel(python: str, tmp_path: Path) -> None:
    wanted = booth_requirements(python)
    assert any(r.startswith("sounddevice") for r in wanted)
    # 3.13: no lgpio wheel on PyPI; the marker leaves it to apt (python3-lgpio, install.sh).
    assert any(r.startswith("lgpio") for r in wanted) == (python == "3.11")
    platforms = [arg for platform in PLATFORMS for arg in ("--platform", platform)]
    result = subprocess.run(
        [
            *(sys.executable, "-m", "pip", "download", "--quiet", "--only-binary=:all:"),
            *platforms,
            *("--python-version", python, "--implementation", "cp", "-d", str(tmp_path)),
            *wanted,
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    wheels = [p.name for p in tmp_path.iterdir()]
    assert all(name.endswith(".whl") for name in wheels), wheels
    assert not any("faster_whisper" in name or "ctranslate2" in name for name in wheels)


LOCK = PYPROJECT.parent / "deploy" / "booth" / "requirements.lock"


def locked() -> dict[str, Requirement]:
    """The lock's requirements by name (continuation lines and hashes joined)."""
    text = LOCK.read_text().replace("\\\n", " ")
    entries = [line.split(" --hash")[0] for line in text.splitlines() if line[:1].isalnum()]
    return {Requirement(entry).name: Requirement(entry) for entry in entries}


def test_the_lock_pins_every_booth_dependency_with_hashes() -> None:
    """deploy/booth/lock.sh was run after the last change of the booth's dependencies."""
    pins = locked()
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    for line in [*project["dependencies"], *project["optional-dependencies"]["booth"]]:
        wanted = Requirement(line)
        assert wanted.name in pins, f"{wanted.name} is not in {LOCK.name}: run deploy/booth/lock.sh"
        (pin,) = pins[wanted.name].specifier
        assert pin.operator == "==" and wanted.specifier.contains(pin.version), (wanted, pin)
    assert {"pip", "setuptools"} <= pins.keys()  # what installs and builds, pinned too
    hashed = LOCK.read_text().replace("\\\n", " ")
    assert all("--hash=sha256:" in line for line in hashed.splitlines() if line[:1].isalnum())


@pytest.mark.parametrize("python", ["3.11", "3.13"])
def test_the_locked_versions_have_aarch64_wheels(python: str, tmp_path: Path) -> None:
    """What deploy/booth/install.sh installs on a Pi, as a download for its platform. pip
    evaluates markers against the interpreter it runs on, not --python-version: the entries
    whose marker the Pi's Python rejects (lgpio on 3.13) are left out here, as pip there
    leaves them out."""
    pi = {"python_version": python, "platform_machine": "aarch64", "sys_platform": "linux"}
    text = LOCK.read_text().replace("\\\n", " ")
    kept = [
        line
        for line in text.splitlines()
        if line[:1].isalnum() and _applies(Requirement(line.split(" --hash")[0]), pi)
    ]
    lock = tmp_path / "requirements.lock"
    lock.write_text("\n".join(kept) + "\n")
    platforms = [arg for platform in PLATFORMS for arg in ("--platform", platform)]
    wheels = tmp_path / "wheels"
    result = subprocess.run(
        [
            *(sys.executable, "-m", "pip", "download", "--quiet", "--only-binary=:all:"),
            *("--require-hashes", "--no-deps", *platforms),
            *("--python-version", python, "--implementation", "cp", "-d", str(wheels)),
            *("-r", str(lock)),
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    names = {p.name.split("-")[0].lower().replace("_", "-") for p in wheels.glob("*.whl")}
    assert names == {name for name, pin in locked().items() if _applies(pin, pi)}
    assert ("lgpio" in names) == (python == "3.11")


def _applies(requirement: Requirement, environment: dict[str, str]) -> bool:
    return requirement.marker is None or requirement.marker.evaluate(environment)
