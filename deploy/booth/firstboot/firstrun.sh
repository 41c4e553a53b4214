#!/bin/sh
# First boot of a booth on Raspberry Pi OS Bookworm, started from cmdline.txt
# (systemd.run=/boot/firmware/firstrun.sh), as Raspberry Pi Imager's own customisation is.
# The network is not up yet: this sets the host name, the technician's SSH key and Wi-Fi,
# enables booth-first-boot.service to install the booth on the next boot (and the boots
# after, until it succeeds), removes itself and its settings file (it holds the Wi-Fi
# passphrase) and reboots. BOOT may point elsewhere
# for tests.
set -eu
BOOT="${BOOT:-/boot/firmware}"
# BOOTH_ID, SSH_KEY, WIFI_SSID, WIFI_PASSWORD, WIFI_COUNTRY, written by make-sd-kit.sh
. "$BOOT/booth-kit/firstrun.env"

echo "$BOOTH_ID" >/etc/hostname
ln -sf /usr/share/zoneinfo/Europe/Copenhagen /etc/localtime  # local time in logs; UTC on the wire
echo Europe/Copenhagen >/etc/timezone
touch /etc/hosts
sed -i "s/^127\.0\.1\.1.*/127.0.1.1\t$BOOTH_ID/" /etc/hosts
grep -q "^127.0.1.1" /etc/hosts || printf '127.0.1.1\t%s\n' "$BOOTH_ID" >>/etc/hosts

# The image's first user (pi-gen's locked "pi", uid 1000) becomes the technician, as Raspberry
# Pi Imager's customisation does: it keeps the groups the image gave it.
first_user=$(getent passwd 1000 | cut -d: -f1) || first_user=""
if id technician >/dev/null 2>&1; then
    :
elif [ -n "$first_user" ]; then
    usermod -l technician "$first_user"
    usermod -m -d /home/technician technician
    groupmod -n technician "$first_user" 2>/dev/null || true
    rm -f /etc/sudoers.d/010_pi-nopasswd  # the technician's own rule is written below
else
    useradd --create-home --shell /bin/bash technician
fi
sh "$BOOT/booth-kit/skip-user-wizard.sh"
for group in sudo adm audio gpio; do
    if getent group "$group" >/dev/null; then usermod -a -G "$group" technician; fi
done
install -d -m 0700 -o technician -g technician /home/technician/.ssh
printf '%s\n' "$SSH_KEY" >/home/technician/.ssh/authorized_keys
chown technician:technician /home/technician/.ssh/authorized_keys
chmod 0600 /home/technician/.ssh/authorized_keys
install -d -m 0750 /etc/sudoers.d
echo "technician ALL=(ALL) NOPASSWD:ALL" >/etc/sudoers.d/010-technician
chmod 0440 /etc/sudoers.d/010-technician
mkdir -p /etc/systemd/system/multi-user.target.wants
if [ -f /lib/systemd/system/ssh.service ]; then
    ln -sf /lib/systemd/system/ssh.service /etc/systemd/system/multi-user.target.wants/ssh.service
fi

if [ -n "$WIFI_SSID" ]; then  # NetworkManager, as on Bookworm
    dir=/etc/NetworkManager/system-connections
    install -d -m 0700 "$dir"
    umask 077
    cat >"$dir/booth-wifi.nmconnection" <<NM
[connection]
id=booth-wifi
type=wifi
autoconnect=true

[wifi]
mode=infrastructure
ssid=$WIFI_SSID

[wifi-security]
key-mgmt=wpa-psk
psk=$WIFI_PASSWORD

[ipv4]
method=auto

[ipv6]
method=auto
NM
    chmod 0600 "$dir/booth-wifi.nmconnection"
    # The radio stays switched off (rfkill) until the Pi has a country, as raspi-config sets
    # it: the regulatory domain on the kernel command line, and the saved block state lifted.
    rfkill unblock wifi 2>/dev/null || true
    for state in /var/lib/systemd/rfkill/*:wlan; do
        if [ -e "$state" ]; then echo 0 >"$state"; fi
    done
    wifi_country="cfg80211.ieee80211_regdom=$WIFI_COUNTRY"
fi

# booth-first-boot.service installs the booth on the next boot, and at every boot after
# until it has succeeded once.
sh "$BOOT/booth-kit/first-boot.sh" --enable

rm -f "$BOOT/firstrun.sh" "$BOOT/booth-kit/firstrun.env"
sed -i -e 's| systemd.run.*||g' -e 's| cfg80211.ieee80211_regdom=[A-Z]*||g' \
    -e "s|\$| ${wifi_country:-}|" -e 's| *$||' "$BOOT/cmdline.txt"
exit 0
