"""The booth installer, run to completion in a fresh Debian root (debootstrap, as root):
a venv with the booth's parts and no Whisper, the bundle in /etc/booth with its modes, the
`booth` user, and the unit enabled for the next boot. An amd64 Bookworm root stands in for
Raspberry Pi OS: it proves the steps, apt and pip included."""

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

SOURCE = Path(__file__).parents[2]
MIRROR = "http://deb.debian.org/debian"


@pytest.fixture(scope="module")
def debian_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    if os.geteuid() != 0 or shutil.which("debootstrap") is None:
        pytest.skip("needs root and debootstrap (make system-deps installs it)")
    root = tmp_path_factory.mktemp("debian") / "root"
    made = subprocess.run(
        ["debootstrap", "--variant=minbase", "bookworm", str(root), MIRROR],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert made.returncode == 0, made.stdout[-3000:] + made.stderr[-3000:]
    shutil.copy("/etc/resolv.conf", root / "etc" / "resolv.conf")
    # This machine may reach PyPI through a TLS proxy: trust what the host trusts.
    host_bundle = os.environ.get("PIP_CERT") or os.environ.get("SSL_CERT_FILE")
    shutil.copy(host_bundle or "/etc/ssl/certs/ca-certificates.crt", root / "etc" / "host-ca.pem")
    yield root


def in_root(root: Path, *command: str, timeout: float = 1200) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "HOME": "/root",
        "PIP_CERT": "/etc/host-ca.pem",
    }
    return subprocess.run(
        ["chroot", str(root), *command], capture_output=True, text=True, env=env, timeout=timeout
    )


def test_the_installer_leaves_a_booth_ready_for_its_first_boot(debian_root: Path) -> None:
    src = debian_root / "opt" / "booth-src"
    shutil.copytree(
        SOURCE,
        src,
        ignore=shutil.ignore_patterns(".venv", ".git", ".run", "*.pyc", "__pycache__", ".*cache"),
    )
    bundle = debian_root / "boot" / "booth"
    bundle.mkdir(parents=True)
    (bundle / "booth.toml").write_text('id = "booth-12"\nneighborhood = "gellerup"\n')
    (bundle / "broker-password").write_text("s3cret\n")

    for attempt in (1, 2):  # the second run proves it idempotent
        done = in_root(debian_root, "sh", "/opt/booth-src/deploy/booth/install.sh", "/boot/booth")
        assert done.returncode == 0, f"run {attempt}:\n{done.stdout[-3000:]}{done.stderr[-3000:]}"

    venv = debian_root / "opt" / "booth" / ".venv"
    listed = in_root(debian_root, "/opt/booth/.venv/bin/pip", "list", "--format=freeze").stdout
    assert "sounddevice" in listed and "gpiozero" in listed
    assert "faster-whisper" not in listed and "ctranslate2" not in listed
    assert (venv / "bin" / "booth").exists()
    config = debian_root / "etc" / "booth" / "booth.toml"
    assert config.stat().st_mode & 0o777 == 0o640
    booth_gid = int(in_root(debian_root, "getent", "group", "booth").stdout.split(":")[2])
    assert config.stat().st_uid == 0 and config.stat().st_gid == booth_gid
    assert (debian_root / "etc" / "booth" / "broker-password").stat().st_mode & 0o777 == 0o640
    wants = debian_root / "etc" / "systemd" / "system" / "multi-user.target.wants"
    enabled = wants / "booth.service"
    assert enabled.is_symlink()  # as `systemctl enable` leaves it, pointing inside the root
    assert (debian_root / os.readlink(enabled).lstrip("/")).is_file()
    help_text = in_root(debian_root, "/opt/booth/.venv/bin/booth", "--help")
    assert help_text.returncode == 0 and "simulate" in help_text.stdout
