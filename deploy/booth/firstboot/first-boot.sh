#!/bin/sh
# Installs the booth from the kit on the boot partition (cloud-init's runcmd on Trixie,
# booth-first-boot.service on Bookworm), and tries again at every boot until it has
# succeeded once: the first thing it does is enable booth-first-boot.service, which stops
# running once the kit says `installed`.
#
# A Pi has no battery clock: it boots at the last shutdown's time (years back for a new
# card) until NTP sets it, and apt refuses a Release file "not valid yet". So this waits
# for NTP (at most CLOCK_WAIT_S) and the first apt update does not check dates.
#
# After success every secret leaves the boot partition (FAT has no file modes: anyone who
# takes the card out of a street booth could read them): the broker password, the Wi-Fi
# passphrase in network-config and booth-kit/firstrun.env.
#
# The log is /var/log/booth-first-boot.log; `sudo sh <this file>` tries again at once.
# `--enable` only enables the unit (firstrun.sh on Bookworm).
set -eu
kit="$(cd "$(dirname "$0")" && pwd)"
boot="$(dirname "$kit")"
log=/var/log/booth-first-boot.log
unit=/etc/systemd/system/booth-first-boot.service

enable_retries() {
    mkdir -p /etc/systemd/system/multi-user.target.wants
    cat >"$unit" <<UNIT
[Unit]
Description=Install the booth from the kit on the boot partition (until it succeeds once)
Wants=network-online.target
After=network-online.target time-sync.target
ConditionPathExists=!$kit/installed

[Service]
Type=oneshot
TimeoutStartSec=45min
ExecStart=/bin/sh $kit/first-boot.sh

[Install]
WantedBy=multi-user.target
UNIT
    ln -sf "$unit" /etc/systemd/system/multi-user.target.wants/booth-first-boot.service
}

wait_for_clock() {
    for waiter in /lib/systemd/systemd-time-wait-sync /usr/lib/systemd/systemd-time-wait-sync; do
        if [ -x "$waiter" ] && [ -d /run/systemd/system ]; then
            if timeout "${CLOCK_WAIT_S:-180}" "$waiter"; then
                echo "$(date -Is) clock set by NTP" >>"$log"
            else
                echo "$(date -Is) clock not set by NTP in ${CLOCK_WAIT_S:-180} s; going on" >>"$log"
            fi
            return 0
        fi
    done
}

wipe_secrets() {
    rm -f "$kit/bundle/broker-password" "$kit/firstrun.env" "$boot/network-config"
}

enable_retries
if [ "${1:-}" = "--enable" ]; then exit 0; fi
if [ -f "$kit/installed" ]; then
    wipe_secrets
    echo "already installed ($(cat "$kit/installed"))"
    exit 0
fi
echo "$(date -Is) installing from $kit" >>"$log"
wait_for_clock
if BOOTH_APT_CHECK_DATE=false sh "$kit/src/deploy/booth/install.sh" "$kit/bundle" >>"$log" 2>&1; then
    date -Is >"$kit/installed"
    wipe_secrets
    sync
    echo "$(date -Is) installed; broker password and Wi-Fi passphrase removed from the boot partition" >>"$log"
else
    echo "$(date -Is) install failed; the kit stays, and the next boot tries again" >>"$log"
    exit 1
fi
