#!/bin/sh
# Installs or updates the booth agent on Raspberry Pi OS (Bookworm or Trixie, 64-bit) from
# this source tree and a booth's bundle. Idempotent: run it again after `git pull`.
# System parts come from apt (PortAudio, libsndfile, libopus, lgpio: Trixie's Python 3.13
# has no lgpio wheel on PyPI); Python parts are wheels, only the booth's extra (no Whisper).
# Usage: sudo deploy/booth/install.sh BUNDLE_DIR
#   (booth.toml, broker-password, ca.crt, hardware.toml: from `ingest booth add`)
set -eu
bundle="${1:-}"
src="$(cd "$(dirname "$0")/../.." && pwd)"
if [ "$(id -u)" -ne 0 ]; then echo "run as root (sudo)" >&2; exit 1; fi
if [ ! -f "$bundle/booth.toml" ]; then echo "no booth.toml in '$bundle'" >&2; exit 2; fi

export DEBIAN_FRONTEND=noninteractive
# BOOTH_APT_CHECK_DATE=false (first boot): a Pi's clock may still be at the last shutdown's
# time, before the Release file's date; apt then skips its date checks, signatures still hold.
apt-get update -qq -o Acquire::Check-Date="${BOOTH_APT_CHECK_DATE:-true}"
packages="ca-certificates python3-venv python3-pip libportaudio2 libsndfile1 libopus0"
# Raspberry Pi OS has python3-lgpio; elsewhere (a test root, another board) pip has lgpio.
if apt-cache show python3-lgpio >/dev/null 2>&1; then packages="$packages python3-lgpio"; fi
# shellcheck disable=SC2086 # a list of package names
apt-get install -y -qq --no-install-recommends $packages >/dev/null

id booth >/dev/null 2>&1 ||
    useradd --system --home-dir /var/lib/booth --shell /usr/sbin/nologin booth
for group in audio gpio; do
    if getent group "$group" >/dev/null; then usermod -a -G "$group" booth; fi
done

# System site packages: python3-lgpio comes from apt.
[ -x /opt/booth/.venv/bin/python ] || python3 -m venv --system-site-packages /opt/booth/.venv
# Every booth of a fleet runs the same versions: the lock pins each package with the hashes
# of its files (deploy/booth/lock.sh), pip itself and the build backend included; wheels
# only, nothing is compiled on the Pi.
/opt/booth/.venv/bin/pip install --quiet --require-hashes --only-binary=:all: \
    -r "$src/deploy/booth/requirements.lock"
# The booth itself, built with the backend just installed: nothing unpinned is fetched.
/opt/booth/.venv/bin/pip install --quiet --no-deps --no-build-isolation --force-reinstall "$src"

install -d -m 0750 -o root -g booth /etc/booth
# booth.toml is the bundle's (identity, broker login): replaced at every update; the one it
# replaces is kept beside it, as booth.toml.previous.
if [ -f /etc/booth/booth.toml ] && ! cmp -s "$bundle/booth.toml" /etc/booth/booth.toml; then
    cp -p /etc/booth/booth.toml /etc/booth/booth.toml.previous
fi
install -m 0640 -o root -g booth "$bundle/booth.toml" /etc/booth/booth.toml
# hardware.toml is the technician's (pins, polarity, consent key, sound cards): written from
# the bundle's profile only where there is none, never overwritten.
if [ -f /etc/booth/hardware.toml ]; then
    echo "kept /etc/booth/hardware.toml"
elif [ -f "$bundle/hardware.toml" ]; then
    install -m 0640 -o root -g booth "$bundle/hardware.toml" /etc/booth/hardware.toml
else
    echo "warning: no hardware.toml in the bundle: copy a profile from $src/shared/profiles/" \
        "to /etc/booth/hardware.toml and fit it to the wiring (docs/technician.md)" >&2
fi
for file in broker-password ca.crt; do
    if [ -f "$bundle/$file" ]; then install -m 0640 -o root -g booth "$bundle/$file" "/etc/booth/$file"; fi
done

# The spool's home, private (systemd's StateDirectory makes it so too, at each start).
install -d -m 0700 -o booth -g booth /var/lib/booth

install -m 0644 "$src/systemd/booth.service" /etc/systemd/system/booth.service
# A journal capped in size, and the hardware watchdog (docs/technician.md).
install -d -m 0755 /etc/systemd/journald.conf.d /etc/systemd/system.conf.d
install -m 0644 "$src/deploy/booth/systemd/journald-booth.conf" /etc/systemd/journald.conf.d/booth.conf
install -m 0644 "$src/deploy/booth/systemd/watchdog-booth.conf" \
    /etc/systemd/system.conf.d/booth-watchdog.conf
if [ -d /run/systemd/system ]; then
    systemctl daemon-reload  # (the watchdog setting takes effect at the next boot)
    systemctl try-restart systemd-journald.service
    systemctl enable booth.service
    systemctl restart booth.service
else  # an image being prepared: enable for the next boot
    mkdir -p /etc/systemd/system/multi-user.target.wants
    ln -sf /etc/systemd/system/booth.service \
        /etc/systemd/system/multi-user.target.wants/booth.service
fi
echo "booth installed: /opt/booth/.venv, /etc/booth/booth.toml and hardware.toml, booth.service enabled"
echo "next: sudo systemctl stop booth; sudo -u booth /opt/booth/.venv/bin/booth check --interactive; sudo systemctl start booth"
