"""The technician's runbook (docs/technician.md), followed literally in Debian roots: the
operator's `ingest booth add`, `make-sd-kit.sh`, the kit's first boot, `booth check --boot`
and a `booth simulate` call that reaches a real broker (the production config, TLS, the
booth's own login) and ingest, and shows in /api/clips.

Every shell command the test runs on the host or in the root is read from the runbook's
code blocks, so the test changes when the runbook does. What the runbook says in words
(flash the card, copy the kit onto it, append to cmdline.txt, power on, record a WAV) the
test does as described; the first boot is run as the Pi would run it (firstrun.sh from
cmdline.txt, then the unit's ExecStart on Bookworm; cloud-init's bootcmd and runcmd on
Trixie).

Roots: Debian Bookworm amd64 (native, the fast variant), and Bookworm and Trixie arm64
under qemu-user-static, as on a Raspberry Pi (skipped, saying why, where binfmt_misc cannot
be registered). What no root shows: Raspberry Pi OS itself (Debian stands in, with the
image's first user and first-boot wizard added), GPIO lines (the check and the call run on
gpiozero's mock pins), a sound card, and a booted systemd (units, watchdog, journal cap,
the wait for NTP, cloud-init's own modules)."""

import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from tests.integration.test_booth_wheels import locked
from tests.support import debian_roots
from tests.support.broker import ADMIN, Mosquitto, free_port
from tests.support.services import printed_clips
from tests.support.waiting import wait_until

pytestmark = pytest.mark.slow

SOURCE = Path(__file__).parents[2]
RUNBOOK = SOURCE / "docs" / "technician.md"
ROOT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGm0QfR0Xq9w0Sxd tekniker@aarhus: laptop"
PASSWORD = "b00th-s3cret"


def make_bundle(folder: Path, profile: str = "keypad-usb-handset") -> Path:
    """A bundle as `ingest booth add --hardware PROFILE` writes it."""
    from ingest.fleet.provisioning import bundle_hardware, write_bundle
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
    env = {"PATH": ROOT_PATH, "HOME": "/root", "PIP_CERT": "/etc/host-ca.pem"}
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


# The runbook, read ---------------------------------------------------------------------


def runbook_commands() -> list[str]:
    """Every command in the runbook's sh blocks: continuation lines joined, comments and
    runs of spaces dropped."""
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", RUNBOOK.read_text(), re.S):
        for line in block.replace("\\\n", " ").splitlines():
            command = re.sub(r"\s+", " ", re.sub(r"\s#\s.*$", "", line)).strip()
            if command:
                commands.append(command)
    return commands


def runbook(start: str) -> str:
    """The one command of the runbook that begins with `start`."""
    found = [command for command in runbook_commands() if command.startswith(start)]
    assert len(found) == 1, f"the runbook prints {len(found)} commands beginning {start!r}"
    return found[0]


def cmdline_addition() -> str:
    """What the runbook says to append to cmdline.txt on Bookworm."""
    (line,) = set(re.findall(r"`(systemd\.run=[^`]+)`", RUNBOOK.read_text()))
    return line


def test_the_runbook_is_read_as_the_test_reads_it() -> None:
    assert runbook("deploy/booth/make-sd-kit.sh").endswith(
        '~/.ssh/id_ed25519.pub "Aarhus Kommune IoT" wifi-password.txt'
    )
    assert "--hardware keypad-usb-handset" in runbook("ingest booth add")
    assert cmdline_addition().startswith("systemd.run=/boot/firmware/firstrun.sh ")


# The server's side: the production broker over TLS, and ingest ------------------------


class Server:
    """Mosquitto with the production config over TLS, and `ingest serve` (no transcription:
    the clip only has to arrive) with the operator's settings for `ingest booth add`."""

    def __init__(self, workdir: Path) -> None:
        self.broker = Mosquitto(workdir / "broker", users=["ingest"], tls=True).start()
        admin_secret = workdir / "admin-password"
        admin_secret.write_text(self.broker.admin_password)
        port = self.broker.port
        self.env = {
            "INGEST_DATA_DIR": str(workdir / "ingest"),
            "INGEST_MQTT_URL": self.broker.url("ingest"),
            "INGEST_MQTT_CA_FILE": str(self.broker.ca_file),
            "INGEST_BROKER_ADMIN_URL": f"mqtts://{ADMIN}@127.0.0.1:{port}",
            "INGEST_BROKER_ADMIN_PASSWORD_FILE": str(admin_secret),
            "INGEST_BOOTH_MQTT_URL": f"mqtts://127.0.0.1:{port}",
        }
        self.log = workdir / "ingest.log"
        self.api_port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.headers: dict[str, str] = {}

    def operator(self, command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        """A command as the operator runs it, with the service's INGEST_* settings."""
        path = f"{Path(sys.executable).parent}:{os.environ['PATH']}"
        return subprocess.run(
            ["sh", "-c", command],
            cwd=cwd,
            env={**os.environ, **self.env, "PATH": path},
            capture_output=True,
            text=True,
            timeout=120,
        )

    def start_ingest(self) -> None:
        port = str(self.api_port)
        made = self.operator("ingest token create --role admin --name tests", Path.cwd())
        assert made.returncode == 0, made.stderr
        self.headers = {"Authorization": f"Bearer {made.stdout.strip()}"}
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [*(sys.executable, "-m", "ingest.cli", "serve", "--no-worker"), "--port", port],
                env={**os.environ, **self.env},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        assert wait_until(self._ready, 60), self.log.read_text()[-3000:]

    def _ready(self) -> bool:
        assert self.process is not None and self.process.poll() is None, self.log.read_text()
        try:
            return httpx.get(f"http://127.0.0.1:{self.api_port}/readyz", timeout=1).is_success
        except httpx.HTTPError:
            return False

    def clips(self) -> list[str]:
        response = httpx.get(
            f"http://127.0.0.1:{self.api_port}/api/clips",
            params={"limit": 100},
            headers=self.headers,
            timeout=10,
        )
        response.raise_for_status()
        return [clip["id"] for clip in response.json()["items"]]

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(30)
        self.broker.stop()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = Server(tmp_path / "server")
    try:
        yield running
    finally:
        running.stop()


# The technician's side ------------------------------------------------------------------


def checkout(dest: Path) -> Path:
    """ "A copy of this repository", as the runbook asks for: the source without caches."""
    junk = shutil.ignore_patterns(
        ".git", ".venv", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".run"
    )
    shutil.copytree(SOURCE, dest, ignore=junk)
    return dest


def technician(command: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", "-c", command],
        cwd=cwd,
        env={**os.environ, "HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def on_the_booth(
    root: Path, command: str, timeout: float = 1800
) -> subprocess.CompletedProcess[str]:
    """A runbook command typed on the booth (as root there: sudo needs no password)."""
    return in_root(root, "sh", "-c", command, timeout=timeout)


def first_boot(root: Path, suite: str) -> None:
    """What the Pi does on its first boots, from the files on the card."""
    boot = root / "boot" / "firmware"
    if suite == "bookworm":
        # systemd.run= on the kernel command line, then booth-first-boot.service.
        (script,) = re.findall(r"systemd\.run=(\S+)", (boot / "cmdline.txt").read_text())
        ran = in_root(root, "sh", script)
        assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-3000:]
        unit = (root / "etc/systemd/system/booth-first-boot.service").read_text()
        (exec_start,) = re.findall(r"^ExecStart=(.+)$", unit, re.M)
        steps = [exec_start.split()]
    else:
        # cloud-init: bootcmd, then runcmd (`systemctl enable --now ssh` needs a booted
        # systemd: left out).
        user_data = yaml.safe_load((boot / "user-data").read_text())
        steps = user_data["bootcmd"] + [c for c in user_data["runcmd"] if c[0] != "systemctl"]
    for step in steps:
        done = in_root(root, *step)
        log = root / "var" / "log" / "booth-first-boot.log"
        assert done.returncode == 0, (log.read_text() if log.exists() else "")[-4000:]


def files_holding(boot: Path, secret: str) -> list[str]:
    return sorted(
        str(path.relative_to(boot))
        for path in boot.rglob("*")
        if path.is_file() and secret.encode() in path.read_bytes()
    )


VARIANTS = [("bookworm", "amd64"), ("bookworm", "arm64"), ("trixie", "arm64")]


@pytest.mark.timeout(1800)
@pytest.mark.parametrize(("suite", "arch"), VARIANTS, ids=[f"{s}-{a}" for s, a in VARIANTS])
def test_the_runbook_builds_a_booth_that_calls_in(
    suite: str, arch: str, server: Server, tmp_path: Path, speech_wav: Path
) -> None:
    if os.geteuid() != 0 or shutil.which("debootstrap") is None:
        pytest.skip("needs root and debootstrap (make system-deps installs it)")
    if arch != debian_roots.host_arch():
        reason = debian_roots.why_no_arm64()
        if reason is not None:
            print(f"skipped: {reason}")
            pytest.skip(reason)
    # A profile per variant: the runbook names both.
    profile = "rotary-usb-handset" if suite == "trixie" else "keypad-usb-handset"
    laptop = checkout(tmp_path / "repository")
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_ed25519.pub").write_text(SSH_KEY + "\n")
    (laptop / "wifi-password.txt").write_text("it's $ecret\n")

    # 0. The operator makes the bundle.
    add = runbook("ingest booth add").replace("keypad-usb-handset", profile)
    added = server.operator(add, laptop)
    assert added.returncode == 0, added.stderr
    server.start_ingest()
    # 2. The SD kit.
    kit = technician(runbook("deploy/booth/make-sd-kit.sh"), laptop, home)
    assert kit.returncode == 0, kit.stderr
    # 3. Flash (a Debian root stands in), copy the kit onto the boot partition, and on
    # Bookworm append the runbook's line to cmdline.txt.
    root = debian_roots.fresh_root(suite, arch, tmp_path / "root")
    as_raspberry_pi_os_lite(root)
    boot = root / "boot" / "firmware"
    boot.mkdir(parents=True, exist_ok=True)
    (boot / "cmdline.txt").write_text("console=tty1 root=PARTUUID=1234-02 rootwait\n")
    shutil.copytree(laptop / "kit-booth-12", boot, dirs_exist_ok=True)
    if suite == "bookworm":
        cmdline = (boot / "cmdline.txt").read_text().rstrip("\n")
        (boot / "cmdline.txt").write_text(f"{cmdline} {cmdline_addition()}\n")
    # Power on.
    first_boot(root, suite)

    booth_secret = (laptop / "bundle-booth-12" / "broker-password").read_text().strip()
    assert files_holding(boot, "it's $ecret") == []  # the Wi-Fi passphrase
    assert files_holding(boot, booth_secret) == []
    assert (boot / "booth-kit" / "installed").exists()
    assert not (boot / "network-config").exists()
    etc = root / "etc" / "booth"
    hardware = tomllib.loads((etc / "hardware.toml").read_text())
    assert hardware["consent_key"] == ("1" if profile.startswith("rotary") else "#")
    assert (etc / "broker-password").read_text().strip() == booth_secret
    if suite == "bookworm":
        assert (root / "etc" / "hostname").read_text().strip() == "booth-12"
        nm = root / "etc/NetworkManager/system-connections/booth-wifi.nmconnection"
        assert "ssid=Aarhus Kommune IoT" in nm.read_text() and "psk=it's $ecret" in nm.read_text()
        assert in_root(root, "getent", "passwd", "1000").stdout.startswith("technician:")
        assert (boot / "cmdline.txt").read_text() == (
            "console=tty1 root=PARTUUID=1234-02 rootwait cfg80211.ieee80211_regdom=DK\n"
        )
    listed = in_root(root, "/opt/booth/.venv/bin/pip", "list", "--format=freeze").stdout
    assert "sounddevice" in listed and "faster-whisper" not in listed
    installed = {
        name.lower().replace("_", "-"): version
        for name, version in (line.split("==") for line in listed.split() if "==" in line)
    }
    for name, pin in locked().items():  # the fleet's versions, from the lock
        (version,) = pin.specifier
        if pin.marker is None or name in installed:
            assert installed.get(name) == version.version, (name, installed.get(name))
    assert (root / "etc/systemd/journald.conf.d/booth.conf").exists()
    assert (root / "etc/systemd/system.conf.d/booth-watchdog.conf").exists()
    assert (root / "etc/systemd/system/multi-user.target.wants/booth.service").is_symlink()

    # 4. The check, as at start-up (pins simulated: no gpiochip here).
    checked = on_the_booth(root, runbook("sudo -u booth BOOTH_PIN_FACTORY=mock"), 600)
    said = checked.stdout + checked.stderr
    assert checked.returncode == 0, said
    assert "OK    pins" in said and "OK    config" in said and "ready" in said
    assert re.search(r"OK    broker .*booth-12 \(TLS, broker verified\): Success", said), said

    # A test call, placed by `booth simulate` with a recording of a voice.
    shutil.copy(speech_wav, root / "tmp" / "test-call.wav")
    (root / "tmp" / "test-call.wav").chmod(0o644)
    called = on_the_booth(root, runbook("sudo -u booth /opt/booth/.venv/bin/booth simulate"), 900)
    assert called.returncode == 0, called.stdout[-3000:] + called.stderr[-3000:]
    (clip,) = printed_clips(called.stdout)
    assert clip["clip_id"] in server.clips()

    if arch == debian_roots.host_arch():  # the fast variant: an update keeps the wiring
        (etc / "hardware.toml").write_text(
            (etc / "hardware.toml").read_text() + "hook_lifted_when_high = true\n"
        )
        updated = on_the_booth(root, runbook("sudo sh /boot/firmware/booth-kit/src/deploy"))
        assert updated.returncode == 0, updated.stdout[-3000:] + updated.stderr[-3000:]
        assert "kept /etc/booth/hardware.toml" in updated.stdout
        assert "hook_lifted_when_high = true" in (etc / "hardware.toml").read_text()
        assert (etc / "broker-password").read_text().strip() == booth_secret
