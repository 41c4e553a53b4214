#!/bin/sh
# Installs the Debian packages the project needs, or prints the command when not root.
# postgresql: the tests make a throwaway cluster when no server runs (tests/support/postgres.py);
# prometheus: `promtool test rules` checks deploy/prometheus/alerts.yml.
set -eu
packages="python3-venv postgresql prometheus mosquitto mosquitto-clients libportaudio2 libsndfile1 libopus0 espeak-ng sox chromium chromium-driver openssl systemd debootstrap cloud-init caddy busybox-static qemu-user-static"
# The page tests fetch axe-core from the npm registry; Debian packages npm apart from node.
command -v npm >/dev/null 2>&1 || packages="$packages npm"
missing=""
for pkg in $packages; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
    echo "installing:$missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
    echo "missing system packages; run:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y$missing" >&2
    exit 1
fi
