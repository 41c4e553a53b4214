#!/bin/sh
# Everything a booth's SD card needs besides Raspberry Pi OS Lite (64-bit): copy the contents
# of OUT_DIR onto the card's boot partition after flashing it with Raspberry Pi Imager
# (docs/technician.md). Trixie images run user-data/network-config (cloud-init); Bookworm
# images run firstrun.sh once cmdline.txt names it (printed at the end).
#
# Usage: make-sd-kit.sh BUNDLE_DIR OUT_DIR SSH_PUBLIC_KEY_FILE [WIFI_SSID WIFI_PASSWORD_FILE]
#   BUNDLE_DIR  from `ingest booth add` (booth.toml, broker-password, ca.crt, hardware.toml)
#   Without Wi-Fi the booth uses its Ethernet port. WIFI_COUNTRY (default DK): the radio's
#   regulatory domain; a Raspberry Pi keeps Wi-Fi switched off (rfkill) until it has one.
set -eu
bundle="${1:?usage: make-sd-kit.sh BUNDLE_DIR OUT_DIR SSH_KEY_FILE [WIFI_SSID WIFI_PASSWORD_FILE]}"
out="${2:?OUT_DIR missing}"
key_file="${3:?SSH_PUBLIC_KEY_FILE missing (the technician's, for ssh technician@BOOTH)}"
ssid="${4:-}"
wifi_password_file="${5:-}"
here="$(cd "$(dirname "$0")" && pwd)"
src="$(cd "$here/../.." && pwd)"

booth_id=$(sed -n 's/^id *= *"\([a-z0-9_-]*\)".*/\1/p' "$bundle/booth.toml")
if [ -z "$booth_id" ]; then echo "no id in $bundle/booth.toml" >&2; exit 2; fi
ssh_key=$(head -n 1 "$key_file")
case "$ssh_key" in ssh-* | ecdsa-*) ;; *) echo "$key_file is not an SSH public key" >&2; exit 2 ;; esac
wifi_password=""
country="${WIFI_COUNTRY:-DK}"
case "$country" in [A-Z][A-Z]) ;; *) echo "WIFI_COUNTRY must be two capital letters (DK)" >&2; exit 2 ;; esac
if [ -n "$ssid" ]; then
    wifi_password=$(head -n 1 "${wifi_password_file:?WIFI_PASSWORD_FILE missing}")
fi

yaml() {  # a YAML double-quoted string
    printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')"
}
sh_quote() {  # a single-quoted shell word
    printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

umask 077
mkdir -p "$out/booth-kit/src" "$out/booth-kit/bundle"
for part in pyproject.toml README.md booth shared ingest systemd deploy/booth; do
    mkdir -p "$out/booth-kit/src/$(dirname "$part")"
    cp -R "$src/$part" "$out/booth-kit/src/$part"
done
find "$out/booth-kit/src" -name __pycache__ -type d -prune -exec rm -rf {} +
cp "$bundle"/booth.toml "$bundle"/broker-password "$out/booth-kit/bundle/"
for file in ca.crt hardware.toml; do
    if [ -f "$bundle/$file" ]; then cp "$bundle/$file" "$out/booth-kit/bundle/"; fi
done
cp "$here/firstboot/first-boot.sh" "$here/firstboot/skip-user-wizard.sh" "$out/booth-kit/"

# Trixie: cloud-init.
sed -e "s|@BOOTH_ID@|$booth_id|" "$here/firstboot/meta-data" >"$out/meta-data"
key_yaml=$(yaml "$ssh_key")
awk -v id="$booth_id" -v key="$key_yaml" \
    '{ gsub(/@BOOTH_ID@/, id); gsub(/"@SSH_KEY@"/, key); print }' \
    "$here/firstboot/user-data" >"$out/user-data"
{
    echo "# Network of booth $booth_id (netplan v2, read by cloud-init on first boot)."
    echo "network:"
    echo "  version: 2"
    echo "  ethernets:"
    echo "    eth0:"
    echo "      dhcp4: true"
    echo "      optional: true"
    if [ -n "$ssid" ]; then
        echo "  wifis:"
        echo "    wlan0:"
        echo "      dhcp4: true"
        echo "      regulatory-domain: \"$country\""
        echo "      optional: true"
        echo "      access-points:"
        echo "        $(yaml "$ssid"):"
        echo "          password: $(yaml "$wifi_password")"
    fi
} >"$out/network-config"

# Bookworm: firstrun.sh and its settings.
cp "$here/firstboot/firstrun.sh" "$out/firstrun.sh"
{
    echo "BOOTH_ID=$booth_id"
    echo "SSH_KEY=$(sh_quote "$ssh_key")"
    echo "WIFI_SSID=$(sh_quote "$ssid")"
    echo "WIFI_PASSWORD=$(sh_quote "$wifi_password")"
    echo "WIFI_COUNTRY=$country"
} >"$out/booth-kit/firstrun.env"

echo "SD kit for $booth_id in $out/: copy its contents onto the boot partition."
echo "Bookworm only: append to the single line of cmdline.txt:"
echo "  systemd.run=/boot/firmware/firstrun.sh systemd.run_success_action=reboot systemd.unit=kernel-command-line.target"
