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
