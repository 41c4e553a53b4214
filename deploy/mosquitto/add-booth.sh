#!/bin/sh
# Creates broker credentials for one booth and prints the line for the booth's booth.toml.
# Usage: add-booth.sh BOOTH_ID [PASSWORD_FILE]
set -eu
booth="$1"
file="${2:-/etc/mosquitto/dn/passwords}"
case "$booth" in
    *[!a-z0-9_-]* | "" | -* | _*) echo "booth id must be lowercase letters, digits, - and _" >&2; exit 2 ;;
esac
secret="$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
touch "$file"
mosquitto_passwd -b "$file" "$booth" "$secret"
echo "mqtt_url = \"mqtts://$booth:$secret@BROKER_HOST:8883\""
