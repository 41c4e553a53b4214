#!/bin/sh
# Locks a booth out of the broker: its login is removed and mosquitto reloads, which also
# disconnects it if it is connected (within seconds). To give it new credentials instead
# (rotation), run add-booth.sh again and send the booth its new bundle.
# Usage: revoke-booth.sh BOOTH_ID [PASSWORD_FILE]
set -eu
booth="${1:?usage: revoke-booth.sh BOOTH_ID [PASSWORD_FILE]}"
file="${2:-/etc/mosquitto/dn/passwords}"
mosquitto_passwd -D "$file" "$booth"
if pid="$(pidof mosquitto 2>/dev/null)"; then kill -HUP $pid; fi
echo "$booth can no longer log in"
