#!/bin/sh
# Creates (or renews) broker credentials for one booth. The secret is never printed: it goes
# into a 0600 file for the booth's bundle (`mqtt_password_file` in its booth.toml), and the
# broker reloads its password file (no restart: connected booths stay connected).
# Usage: add-booth.sh BOOTH_ID [PASSWORD_FILE] [BUNDLE_DIR]
set -eu
booth="${1:-}"
file="${2:-/etc/mosquitto/dn/passwords}"
bundle="${3:-./bundle-$booth}"
case "$booth" in
    *[!a-z0-9_-]* | "" | -* | _*) echo "booth id must be lowercase letters, digits, - and _" >&2; exit 2 ;;
    ingest | ingest-*) echo "'$booth' is reserved for the ingest service" >&2; exit 2 ;;
esac
umask 077
mkdir -p "$bundle"
head -c 24 /dev/urandom | base64 | tr -d '/+=\n' > "$bundle/broker-password"
touch "$file"
chmod 0640 "$file"
mosquitto_passwd -b "$file" "$booth" "$(cat "$bundle/broker-password")"
# SIGHUP makes mosquitto re-read its password and ACL files.
if pid="$(pidof mosquitto 2>/dev/null)"; then kill -HUP $pid; fi
cat > "$bundle/booth.toml" <<TOML
id = "$booth"
mqtt_url = "mqtts://$booth@BROKER_HOST:8883"
mqtt_password_file = "/etc/booth/broker-password"
mqtt_ca_file = "/etc/booth/ca.crt"
TOML
echo "credentials for $booth written to $bundle/ (booth.toml, broker-password: mode 0600)"
