#!/bin/sh
# Installs the booth from the kit on the boot partition, once, with the network up (cloud-init
# runcmd on Trixie, booth-first-boot.service on Bookworm). Then removes the broker password
# from the boot partition: FAT has no file modes, anyone who can read the card could read it.
# The log is /var/log/booth-first-boot.log; run `sudo sh <this file>` again to retry.
set -eu
kit="$(cd "$(dirname "$0")" && pwd)"
log=/var/log/booth-first-boot.log
echo "$(date -Is) installing from $kit" >>"$log"
if sh "$kit/src/deploy/booth/install.sh" "$kit/bundle" >>"$log" 2>&1; then
    rm -f "$kit/bundle/broker-password"
    date -Is >"$kit/installed"
    echo "$(date -Is) installed; broker password removed from the boot partition" >>"$log"
else
    echo "$(date -Is) install failed; the kit stays for another try" >>"$log"
    exit 1
fi
