"""Debian roots made with debootstrap, for the installer's tests: native (amd64 here), or
arm64 as on a Raspberry Pi, run through qemu-user-static and the kernel's binfmt_misc.

debootstrap takes minutes (arm64 under qemu: ~2); a pristine root is cached per suite,
architecture and ISO week under DN_TEST_ROOTS (default /var/cache/dn-test-roots), and each
test works on a copy of it."""

import os
import platform
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

CACHE = Path(os.environ.get("DN_TEST_ROOTS", "/var/cache/dn-test-roots"))
# Raspberry Pi OS Lite has sudo; Debian's minbase has not.
INCLUDE = ["sudo"]
BINFMT = Path("/proc/sys/fs/binfmt_misc")
QEMU_CONF = Path("/usr/lib/binfmt.d/qemu-aarch64.conf")  # from qemu-user-static


def host_arch() -> str:
    return {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())


def mirror() -> str:
    """The Debian mirror apt on this machine uses (its sources), else deb.debian.org."""
    for sources in sorted(Path("/etc/apt/sources.list.d").glob("*.sources")):
        found = re.search(r"^URIs:\s*(\S+/debian)/?\s*$", sources.read_text(), re.M)
        if found:
            return found.group(1)
    return "http://deb.debian.org/debian"


def why_no_arm64() -> str | None:
    """None when arm64 programs run here (registering qemu with binfmt_misc if needed, as
    root), else the reason in one line."""
    if host_arch() == "arm64":
        return None
    if not QEMU_CONF.exists():
        return "qemu-user-static is not installed (apt-get install qemu-user-static)"
    if not (BINFMT / "register").exists():
        mounted = subprocess.run(
            ["mount", "-t", "binfmt_misc", "binfmt_misc", str(BINFMT)],
            capture_output=True,
            text=True,
        )
        if mounted.returncode != 0:
            return f"the kernel's binfmt_misc cannot be mounted here: {mounted.stderr.strip()}"
    entry = BINFMT / "qemu-aarch64"
    if not entry.exists():
        line = next(
            text for text in QEMU_CONF.read_text().splitlines() if text.startswith(":qemu-aarch64:")
        )
        try:
            (BINFMT / "register").write_text(line)
        except OSError as exc:
            return f"the kernel refused to register qemu-aarch64 with binfmt_misc: {exc}"
    state = entry.read_text()
    if not state.startswith("enabled"):
        return f"qemu-aarch64 is registered with binfmt_misc but not enabled: {state.strip()}"
    if "F" not in re.search(r"flags: (\S*)", state).group(1):  # type: ignore[union-attr]
        # Without F the interpreter is looked up inside the root, which has none.
        return "qemu-aarch64 is registered without the F flag: it cannot run in a chroot"
    return None


def pristine(suite: str, arch: str) -> Path:
    """The cached root, made now if this week has none (older ones are removed)."""
    key = f"{suite}-{arch}-minbase-{'+'.join(INCLUDE)}-{date.today():%G-W%V}"
    cached = CACHE / key
    if cached.exists():
        return cached
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = CACHE / f"{key}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    made = subprocess.run(
        [
            "debootstrap",
            f"--arch={arch}",
            "--variant=minbase",
            f"--include={','.join(INCLUDE)}",
            suite,
            str(partial),
            mirror(),
        ],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if made.returncode != 0:
        raise RuntimeError(
            f"debootstrap {suite} {arch}: {made.stdout[-2000:]}{made.stderr[-2000:]}"
        )
    partial.rename(cached)
    for old in CACHE.glob(f"{suite}-{arch}-*"):
        if old != cached and not old.name.endswith(".partial"):
            shutil.rmtree(old, ignore_errors=True)
    return cached


def fresh_root(suite: str, arch: str, dest: Path) -> Path:
    """A copy of the pristine root at `dest`, with the host's DNS and CA bundle."""
    copied = subprocess.run(
        ["cp", "-a", str(pristine(suite, arch)), str(dest)], capture_output=True, text=True
    )
    if copied.returncode != 0:
        raise RuntimeError(copied.stderr)
    shutil.copy("/etc/resolv.conf", dest / "etc" / "resolv.conf")
    # This machine may reach PyPI through a TLS proxy: trust what the host trusts.
    host_bundle = os.environ.get("PIP_CERT") or os.environ.get("SSL_CERT_FILE")
    shutil.copy(host_bundle or "/etc/ssl/certs/ca-certificates.crt", dest / "etc" / "host-ca.pem")
    # For every pip in the root, under sudo too (which drops PIP_CERT from the environment).
    (dest / "etc" / "pip.conf").write_text("[global]\ncert = /etc/host-ca.pem\n")
    return dest
