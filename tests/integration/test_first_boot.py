"""The kit's first-boot script (Trixie: cloud-init runcmd) in a root of busybox: it enables
its retry at every boot before it tries, keeps the kit while the install fails, and after
the first success leaves no secret on the boot partition.

The installer is a stand-in here (fails, then succeeds, and records what it was given): the
real one runs in the debootstrap tests (test_booth_install.py), which take minutes. What no
root shows: a booted systemd running the unit at the next boot, and the wait for NTP
(systemd-time-wait-sync runs only under a booted systemd)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.integration.test_booth_install import PASSWORD, make_bundle, make_kit

WIFI_PASSWORD = "v3ry-s3cret wifi"
BUSYBOX = Path("/bin/busybox")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    if os.geteuid() != 0 or not BUSYBOX.exists():
        pytest.skip("needs root (chroot) and busybox-static (make system-deps installs it)")
    root = tmp_path / "root"
    (root / "bin").mkdir(parents=True)
    shutil.copy(BUSYBOX, root / "bin" / "busybox")
    installed = chroot(root, "/bin/busybox", "--install", "-s", "/bin")
    assert installed.returncode == 0, installed.stderr
    for folder in ("etc", "var/log", "tmp"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    return root


def chroot(root: Path, *command: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/bin:/sbin:/usr/bin:/usr/sbin", "HOME": "/"}
    return subprocess.run(
        ["chroot", str(root), *command], capture_output=True, text=True, env=env, timeout=60
    )


def stand_in_installer(kit: Path, status: int) -> None:
    (kit / "src" / "deploy" / "booth" / "install.sh").write_text(
        "#!/bin/sh\n"
        'echo "check-date=$BOOTH_APT_CHECK_DATE bundle=$1" >>/tmp/installer-ran\n'
        f"exit {status}\n"
    )


def files_holding(boot: Path, secret: str) -> list[str]:
    return sorted(
        str(path.relative_to(boot))
        for path in boot.rglob("*")
        if path.is_file() and secret.encode() in path.read_bytes()
    )


def test_first_boot_retries_until_installed_then_wipes_every_secret(
    root: Path, tmp_path: Path
) -> None:
    boot = root / "boot" / "firmware"
    made = make_kit(make_bundle(tmp_path / "bundle"), boot, tmp_path, "Gæst", WIFI_PASSWORD)
    assert made.returncode == 0, made.stderr
    kit = boot / "booth-kit"
    assert files_holding(boot, WIFI_PASSWORD) == ["booth-kit/firstrun.env", "network-config"]
    assert files_holding(boot, PASSWORD) == ["booth-kit/bundle/broker-password"]
    script = "/boot/firmware/booth-kit/first-boot.sh"

    stand_in_installer(kit, 1)  # no network yet, say
    failed = chroot(root, "sh", script)
    assert failed.returncode == 1
    unit = root / "etc" / "systemd" / "system" / "booth-first-boot.service"
    enabled = unit.parent / "multi-user.target.wants" / unit.name
    assert enabled.is_symlink() and os.readlink(enabled) == "/" + str(unit.relative_to(root))
    text = unit.read_text()
    assert "ConditionPathExists=!/boot/firmware/booth-kit/installed" in text
    assert f"ExecStart=/bin/sh {script}" in text
    assert "After=network-online.target time-sync.target" in text
    verified = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60
    )
    problems = [line for line in verified.stderr.splitlines() if unit.name in line]
    assert verified.returncode == 0 and not problems, verified.stderr
    assert not (kit / "installed").exists()
    assert files_holding(boot, PASSWORD) == ["booth-kit/bundle/broker-password"]  # for a retry
    log = (root / "var" / "log" / "booth-first-boot.log").read_text()
    assert "install failed; the kit stays, and the next boot tries again" in log

    stand_in_installer(kit, 0)  # the unit, at the next boot
    done = chroot(root, "sh", script)
    assert done.returncode == 0, done.stderr
    assert (root / "tmp" / "installer-ran").read_text().splitlines() == [
        "check-date=false bundle=/boot/firmware/booth-kit/bundle"
    ] * 2  # apt tolerates a clock still in the past
    assert (kit / "installed").exists()
    assert files_holding(boot, WIFI_PASSWORD) == []
    assert files_holding(boot, PASSWORD) == []
    listing = sorted(str(p.relative_to(boot)) for p in boot.iterdir())
    assert listing == ["booth-kit", "firstrun.sh", "meta-data", "user-data"]
    assert sorted(p.name for p in (kit / "bundle").iterdir()) == ["booth.toml", "hardware.toml"]

    again = chroot(root, "sh", script)  # run by hand once more: nothing to do
    assert again.returncode == 0 and "already installed" in again.stdout
    assert len((root / "tmp" / "installer-ran").read_text().splitlines()) == 2
