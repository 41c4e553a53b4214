#!/bin/sh
# Raspberry Pi OS Lite images wait on their first boot for someone at a keyboard to name the
# first user (userconf-pi's wizard on tty8), with tty1's login prompt off until then. Boot
# never reaches multi-user.target meanwhile, and cloud-init's final stage, which installs the
# booth on Trixie, is ordered after it. A booth is set up headless, its technician user
# comes from the kit: switch the wizard off as userconf-pi's own cancel-rename does.
# Idempotent: cloud-init runs it on every boot (bootcmd), firstrun.sh once on Bookworm.
set -eu
rm -f /etc/systemd/system/multi-user.target.wants/userconfig.service \
    /etc/ssh/sshd_config.d/rename_user.conf
if [ -f /lib/systemd/system/getty@.service ]; then
    mkdir -p /etc/systemd/system/getty.target.wants
    ln -sf /lib/systemd/system/getty@.service /etc/systemd/system/getty.target.wants/getty@tty1.service
fi
if [ -d /run/systemd/system ]; then  # booted (not a chroot): the wizard may already be queued
    systemctl --no-block stop userconfig.service 2>/dev/null || true
    systemctl --no-block start getty@tty1.service 2>/dev/null || true
fi
