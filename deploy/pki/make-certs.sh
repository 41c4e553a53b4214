#!/bin/sh
# The broker's TLS: a certificate authority for the booths (made once, kept offline if you
# can) and the broker's server certificate for its host name or IP address, signed by it.
# Booths get ca.crt in their bundle and verify the broker against it.
#
# Usage: make-certs.sh DIR HOST [DAYS]
#   first run:  makes DIR/ca.key, DIR/ca.crt (10 years) and DIR/server.key, DIR/server.crt
#   renewal:    run again before server.crt expires (DAYS, default 825): the CA is reused,
#               so booths need nothing new; then reload mosquitto (systemctl reload).
set -eu
dir="${1:?usage: make-certs.sh DIR HOST [DAYS]}"
host="${2:?usage: make-certs.sh DIR HOST [DAYS]}"
days="${3:-825}"
umask 077
mkdir -p "$dir"
if [ ! -f "$dir/ca.key" ]; then
    openssl req -x509 -newkey rsa:3072 -nodes -days 3650 \
        -subj "/CN=Digital Neighborhood booth CA" \
        -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
fi
case "$host" in
    *[!0-9.]*) san="DNS:$host" ;;
    *) san="IP:$host" ;;
esac
openssl req -newkey rsa:2048 -nodes -subj "/CN=$host" \
    -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$san" > "$dir/server.ext"
openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" \
    -CAcreateserial -days "$days" -extfile "$dir/server.ext" -out "$dir/server.crt" 2>/dev/null
rm -f "$dir/server.csr" "$dir/server.ext"
chmod 0644 "$dir/ca.crt" "$dir/server.crt"
echo "CA $dir/ca.crt; server certificate for $host in $dir/server.crt (valid $days days)"
