"""The booth installer, run to completion in a fresh Debian root (debootstrap, as root):
a venv with the booth's parts and no Whisper, the bundle in /etc/booth with its modes, the
`booth` user, and the unit enabled for the next boot. An amd64 Bookworm root stands in for
Raspberry Pi OS: it proves the steps, apt and pip included."""

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

SOURCE = Path(__file__).parents[2]
MIRROR = "http://deb.debian.org/debian"


@pytest.fixture(scope="module")
def debian_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    if os.geteuid() != 0 or shutil.which("debootstrap") is None:
        pytest.skip("needs root and debootstrap (make system-deps installs it)")
    root = tmp_path_factory.mktemp("debian") / "root"
    made = subprocess.run(
        ["debootstrap", "--variant=minbase", "bookworm", str(root), MIRROR],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert made.returncode == 0, made.stdout[-3000:] + made.stderr[-3000:]
    shutil.copy("/etc/resolv.conf", root / "etc" / "resolv.conf")
    # This machine may reach PyPI through a TLS proxy: trust what the host trusts.
    host_bundle = os.environ.get("PIP_CERT") or os.environ.get("SSL_CERT_FILE")
    shutil.copy(host_bundle or "/etc/ssl/certs/ca-certificates.crt", root / "etc" / "host-ca.pem")
    yield root


SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGm0QfR0Xq9w0Sxd tekniker@aarhus: laptop"
PASSWORD = "b00th-s3cret"


def make_bundle(folder: Path, profile: str = "keypad-usb-handset") -> Path:
    """A bundle as `ingest booth add --hardware PROFILE` writes it."""
    from ingest.provisioning import bundle_hardware, write_bundle
    from shared.broker import BrokerAddress

    broker = BrokerAddress.from_url("mqtts://broker.aarhus.example:8883")
    hardware = bundle_hardware(profile, "add")
    write_bundle(folder, "booth-12", "gellerup", broker, PASSWORD, None, hardware)
    return folder


def make_kit(
    bundle: Path, out: Path, tmp: Path, ssid: str = "", wifi_password: str = ""
) -> subprocess.CompletedProcess[str]:
    (tmp / "key.pub").write_text(SSH_KEY + "\n")
    (tmp / "wifi-password").write_text(wifi_password + "\n")
    args = [str(bundle), str(out), str(tmp / "key.pub")]
    if ssid:
        args += [ssid, str(tmp / "wifi-password")]
    script = SOURCE / "deploy" / "booth" / "make-sd-kit.sh"
    return subprocess.run(["sh", str(script), *args], capture_output=True, text=True)


def test_the_sd_kit_for_trixie_passes_cloud_init_schema(tmp_path: Path) -> None:
    if shutil.which("cloud-init") is None:
        pytest.skip("needs Debian's cloud-init (make system-deps installs it)")
    bundle = make_bundle(tmp_path / "bundle")
    out = tmp_path / "boot"
    made = make_kit(bundle, out, tmp_path, ssid='Café "Havn"', wifi_password="p@ss: word")
    assert made.returncode == 0, made.stderr
    assert "cmdline.txt" in made.stdout
    checked = subprocess.run(
        ["cloud-init", "schema", "--config-file", str(out / "user-data")],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0 and "Valid" in checked.stdout, checked.stdout + checked.stderr
    broken = tmp_path / "broken-user-data"
    broken.write_text(
        (out / "user-data").read_text().replace("ssh_pwauth: false", "ssh_pwauth: [1]")
    )
    refused = subprocess.run(
        ["cloud-init", "schema", "--config-file", str(broken)], capture_output=True, text=True
    )
    assert refused.returncode != 0 and "ssh_pwauth" in refused.stdout + refused.stderr
    # cloud-init 22.4 has no network-config schema command: its own netplan-v2 parser reads it.
    parsed = subprocess.run(
        [
            "/usr/bin/python3",
            "-c",
            "import sys, yaml; from cloudinit.net.network_state import parse_net_config_data as p;"
            "s = p(yaml.safe_load(open(sys.argv[1]))['network']);"
            "print(sorted(i['name'] for i in s.iter_interfaces()), sorted(s.config['wifis']))",
            str(out / "network-config"),
        ],
        capture_output=True,
        text=True,
    )
    assert parsed.stdout.strip() == "['eth0'] ['wlan0']", parsed.stderr
    import yaml

    user_data = yaml.safe_load((out / "user-data").read_text())
    assert user_data["hostname"] == "booth-12"
    assert user_data["users"][0]["ssh_authorized_keys"] == [SSH_KEY]
    assert user_data["runcmd"] == [
        ["systemctl", "enable", "--now", "ssh"],  # cloud-init writes keys, never starts sshd
        ["sh", "/boot/firmware/booth-kit/first-boot.sh"],
    ]
    assert user_data["bootcmd"] == [["sh", "/boot/firmware/booth-kit/skip-user-wizard.sh"]]
    network = yaml.safe_load((out / "network-config").read_text())["network"]
    assert network["wifis"]["wlan0"]["access-points"] == {'Café "Havn"': {"password": "p@ss: word"}}
    assert network["wifis"]["wlan0"]["regulatory-domain"] == "DK"  # else rfkill keeps it off
    assert yaml.safe_load((out / "meta-data").read_text()) == {"instance-id": "booth-12"}
    kit = out / "booth-kit"
    assert (kit / "bundle" / "broker-password").read_text().strip() == PASSWORD
    assert (kit / "skip-user-wizard.sh").read_bytes() == (
        SOURCE / "deploy" / "booth" / "firstboot" / "skip-user-wizard.sh"
    ).read_bytes()
    assert (kit / "src" / "pyproject.toml").exists() and (
        kit / "src" / "booth" / "agent.py"
    ).exists()
    # The Bookworm settings file is read by sh exactly as written.
    echoed = subprocess.run(
        ["sh", "-c", f'. {kit / "firstrun.env"}; printf "%s|%s" "$WIFI_SSID" "$WIFI_PASSWORD"'],
        capture_output=True,
        text=True,
    )
    assert echoed.stdout == 'Café "Havn"|p@ss: word'


def test_the_sd_kit_refuses_a_bundle_without_an_id_or_a_key_that_is_not_one(tmp_path: Path) -> None:
    bundle = make_bundle(tmp_path / "bundle")
    (tmp_path / "not-a-key").write_text("hello\n")
    script = str(SOURCE / "deploy" / "booth" / "make-sd-kit.sh")
    wrong_key = subprocess.run(
        ["sh", script, str(bundle), str(tmp_path / "o"), str(tmp_path / "not-a-key")],
        capture_output=True,
        text=True,
    )
    assert wrong_key.returncode == 2 and "not an SSH public key" in wrong_key.stderr
    (tmp_path / "key.pub").write_text(SSH_KEY + "\n")
    wrong_country = subprocess.run(
        ["sh", script, str(bundle), str(tmp_path / "o"), str(tmp_path / "key.pub")],
        capture_output=True,
        text=True,
        env=os.environ | {"WIFI_COUNTRY": "Danmark"},
    )
    assert wrong_country.returncode == 2 and "two capital letters" in wrong_country.stderr
    (bundle / "booth.toml").write_text('neighborhood = "x"\n')
    no_id = make_kit(bundle, tmp_path / "o", tmp_path)
    assert no_id.returncode == 2 and "no id" in no_id.stderr


def in_root(root: Path, *command: str, timeout: float = 1200) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "HOME": "/root",
        "PIP_CERT": "/etc/host-ca.pem",
    }
    return subprocess.run(
        ["chroot", str(root), *command], capture_output=True, text=True, env=env, timeout=timeout
    )


def as_raspberry_pi_os_lite(root: Path) -> None:
    """What a Raspberry Pi OS Lite image holds that Debian does not (pi-gen, userconf-pi): a
    locked first user `pi` (uid 1000) and the wizard that waits on first boot for someone at
    a keyboard to rename it, with tty1's login prompt switched off until then."""
    made = in_root(root, "useradd", "--uid", "1000", "--create-home", "--groups", "audio", "pi")
    assert made.returncode == 0, made.stderr
    units = root / "lib" / "systemd" / "system"
    units.mkdir(parents=True, exist_ok=True)
    (units / "userconfig.service").write_text(
        "[Unit]\nDescription=User configuration dialog\nAfter=systemd-user-sessions.service\n"
        "[Service]\nType=oneshot\nExecStart=/usr/lib/userconf-pi/userconf-service\n"
        "StandardInput=tty\nTTYPath=/dev/tty8\n[Install]\nWantedBy=multi-user.target\n"
    )
    if not (units / "getty@.service").exists():  # a minbase root has no systemd
        (units / "getty@.service").write_text("[Unit]\nDescription=Getty on %I\n")
    wants = root / "etc" / "systemd" / "system" / "multi-user.target.wants"
    wants.mkdir(parents=True, exist_ok=True)
    (wants / "userconfig.service").symlink_to("/lib/systemd/system/userconfig.service")
    (root / "etc" / "systemd" / "system" / "getty.target.wants" / "getty@tty1.service").unlink(
        missing_ok=True
    )
    (root / "etc" / "ssh" / "sshd_config.d").mkdir(parents=True, exist_ok=True)
    (root / "etc" / "ssh" / "sshd_config.d" / "rename_user.conf").write_text(
        "Banner /usr/share/userconf-pi/sshd_banner\n"
    )
    (root / "etc" / "sudoers.d").mkdir(exist_ok=True)
    (root / "etc" / "sudoers.d" / "010_pi-nopasswd").write_text("pi ALL=(ALL) NOPASSWD: ALL\n")
    # Wi-Fi soft-blocked until a country is set, as systemd-rfkill restores it at boot.
    rfkill = root / "var" / "lib" / "systemd" / "rfkill"
    rfkill.mkdir(parents=True, exist_ok=True)
    (rfkill / "platform-1001100.mmc:wlan").write_text("1\n")


def test_first_boot_from_the_sd_kit_leaves_a_working_booth(
    debian_root: Path, tmp_path: Path
) -> None:
    """Bookworm's path: firstrun.sh (from cmdline.txt) configures the system and enables
    booth-first-boot.service, which runs the installer from the kit once the network is up."""
    as_raspberry_pi_os_lite(debian_root)
    bundle = make_bundle(tmp_path / "bundle")
    boot = debian_root / "boot" / "firmware"
    made = make_kit(bundle, boot, tmp_path, ssid="Aarhus Gæst", wifi_password="it's $ecret")
    assert made.returncode == 0, made.stderr
    (boot / "cmdline.txt").write_text(
        "console=tty1 root=PARTUUID=1234-02 rootwait systemd.run=/boot/firmware/firstrun.sh "
        "systemd.run_success_action=reboot systemd.unit=kernel-command-line.target\n"
    )

    ran = in_root(debian_root, "sh", "/boot/firmware/firstrun.sh")
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-3000:]
    assert (debian_root / "etc" / "hostname").read_text().strip() == "booth-12"
    assert os.readlink(debian_root / "etc" / "localtime").endswith("/Europe/Copenhagen")
    # The image's first user is the technician now (groups kept), and no wizard holds the boot.
    first = in_root(debian_root, "getent", "passwd", "1000").stdout
    assert first.startswith("technician:") and ":/home/technician:" in first
    assert "audio" in in_root(debian_root, "id", "-nG", "technician").stdout
    assert in_root(debian_root, "id", "pi").returncode != 0
    etc = debian_root / "etc"
    assert not (
        etc / "systemd" / "system" / "multi-user.target.wants" / "userconfig.service"
    ).exists()
    assert (etc / "systemd" / "system" / "getty.target.wants" / "getty@tty1.service").is_symlink()
    assert not (etc / "ssh" / "sshd_config.d" / "rename_user.conf").exists()
    assert sorted(p.name for p in (etc / "sudoers.d").glob("010*")) == ["010-technician"]
    keys = debian_root / "home" / "technician" / ".ssh" / "authorized_keys"
    assert keys.read_text().strip() == SSH_KEY and keys.stat().st_mode & 0o777 == 0o600
    wifi = debian_root / "etc" / "NetworkManager" / "system-connections" / "booth-wifi.nmconnection"
    assert "ssid=Aarhus Gæst" in wifi.read_text() and "psk=it's $ecret" in wifi.read_text()
    assert wifi.stat().st_mode & 0o777 == 0o600
    # The passphrase leaves the boot partition, and the next boot is a normal one.
    assert (
        not (boot / "firstrun.sh").exists() and not (boot / "booth-kit" / "firstrun.env").exists()
    )
    # The radio's country (regulatory domain) on the kernel command line, its block lifted.
    assert (boot / "cmdline.txt").read_text() == (
        "console=tty1 root=PARTUUID=1234-02 rootwait cfg80211.ieee80211_regdom=DK\n"
    )
    rfkill = debian_root / "var" / "lib" / "systemd" / "rfkill" / "platform-1001100.mmc:wlan"
    assert rfkill.read_text().strip() == "0"
    wants = debian_root / "etc" / "systemd" / "system" / "multi-user.target.wants"
    assert (wants / "booth-first-boot.service").is_symlink()

    # The unit's command, as systemd runs it on the next boot.
    done = in_root(debian_root, "sh", "/boot/firmware/booth-kit/first-boot.sh")
    log = (debian_root / "var" / "log" / "booth-first-boot.log").read_text()
    assert done.returncode == 0, log[-3000:]
    assert not (boot / "booth-kit" / "bundle" / "broker-password").exists()
    assert (boot / "booth-kit" / "installed").exists()
    # Again (an update from a newer kit): idempotent, and the password stays installed.
    again = in_root(
        debian_root,
        "sh",
        "/boot/firmware/booth-kit/src/deploy/booth/install.sh",
        "/boot/firmware/booth-kit/bundle",
    )
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]

    venv = debian_root / "opt" / "booth" / ".venv"
    listed = in_root(debian_root, "/opt/booth/.venv/bin/pip", "list", "--format=freeze").stdout
    assert "sounddevice" in listed and "gpiozero" in listed
    assert "faster-whisper" not in listed and "ctranslate2" not in listed
    assert (venv / "bin" / "booth").exists()
    config = debian_root / "etc" / "booth" / "booth.toml"
    assert config.stat().st_mode & 0o777 == 0o640
    booth_gid = int(in_root(debian_root, "getent", "group", "booth").stdout.split(":")[2])
    assert config.stat().st_uid == 0 and config.stat().st_gid == booth_gid
    secret = debian_root / "etc" / "booth" / "broker-password"
    assert secret.stat().st_mode & 0o777 == 0o640 and secret.read_text().strip() == PASSWORD
    enabled = wants / "booth.service"
    assert enabled.is_symlink()  # as `systemctl enable` leaves it, pointing inside the root
    assert (debian_root / os.readlink(enabled).lstrip("/")).is_file()
    help_text = in_root(debian_root, "/opt/booth/.venv/bin/booth", "--help")
    assert help_text.returncode == 0 and "simulate" in help_text.stdout
