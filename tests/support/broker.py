"""A real mosquitto on a free loopback port, running the production config
(deploy/mosquitto/mosquitto.conf) with its own paths, and logins made the production way
(ingest.fleet.broker_admin through the dynamic security plugin)."""

import getpass
import glob
import secrets
import shutil
import socket
import subprocess
from pathlib import Path

from ingest.fleet.broker_admin import INGEST_CLIENT, BrokerAdmin, init_dynsec
from shared.broker import BrokerAddress
from shared.topics import Topics
from tests.support.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_CONF = ROOT / "deploy" / "mosquitto" / "mosquitto.conf"
ADMIN = "dn-admin"
TLS_LINES = ("certfile ", "keyfile ", "cafile ", "tls_version ")


def dynsec_plugin() -> str:
    found = glob.glob("/usr/lib/*/mosquitto_dynamic_security.so")
    if not found:
        raise RuntimeError(
            "mosquitto's dynamic security plugin is missing (apt-get install mosquitto)"
        )
    return found[0]


def port_open(port: int) -> bool:
    """Does something accept connections on this loopback port?"""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Mosquitto:
    def __init__(
        self,
        workdir: Path,
        users: list[str],
        port: int | None = None,
        tls: bool = False,
        extra: str = "",
    ) -> None:
        self.tls = tls
        self.extra = extra  # more configuration, e.g. a bridge (after the production file)
        self.workdir = workdir
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.passwords = {user: secrets.token_urlsafe(12) for user in users}
        self.process: subprocess.Popen[bytes] | None = None
        self.log = self.workdir / "mosquitto.log"
        self.admin_password = secrets.token_urlsafe(12)

    def url(self, user: str, password: str | None = None) -> str:
        secret = password if password is not None else self.passwords[user]
        scheme = "mqtts" if self.tls else "mqtt"
        return f"{scheme}://{user}:{secret}@127.0.0.1:{self.port}"

    @property
    def ca_file(self) -> Path:
        return self.workdir / "ca.crt"

    def _make_certificates(self) -> None:
        """A CA and a server certificate for 127.0.0.1, by the production recipe."""
        script = ROOT / "deploy" / "pki" / "make-certs.sh"
        subprocess.run(
            ["sh", str(script), str(self.workdir), "127.0.0.1", "1"],
            check=True,
            capture_output=True,
        )

    def add_user(self, user: str) -> str:
        """A booth login, added while the broker runs (no restart, no reload)."""
        self.passwords[user] = secrets.token_urlsafe(12)
        if self.process is not None:
            with self.admin() as admin:
                admin.add_booth(user, self.passwords[user])
        return self.passwords[user]

    def add_observer(self, name: str = "observer") -> str:
        """A read-only login for tests that watch the wire: it may subscribe to every booth's
        topics and publish nothing. Its URL is returned; the broker must be running."""
        self.passwords[name] = secrets.token_urlsafe(12)
        everything = f"{Topics().prefix}/booths/#"
        with self.admin() as admin:
            admin.run(
                {
                    "command": "createRole",
                    "rolename": "test-observer",
                    "acls": [{"acltype": "subscribePattern", "topic": everything, "allow": True}],
                },
                exists_ok=True,
            )
            admin.run(
                {
                    "command": "createClient",
                    "username": name,
                    "password": self.passwords[name],
                    "roles": [{"rolename": "test-observer"}],
                }
            )
        return self.url(name)

    def admin(self) -> BrokerAdmin:
        scheme = "mqtts" if self.tls else "mqtt"
        address = BrokerAddress.from_url(
            f"{scheme}://{ADMIN}:{self.admin_password}@127.0.0.1:{self.port}"
        )
        return BrokerAdmin(address, ca_file=self.ca_file if self.tls else None)

    def config(self) -> str:
        """The production config, pointed at this broker's directory and port."""
        lines = [
            "# Run as whoever started the test; as root mosquitto would switch to a user that",
            "# cannot read the test's private temporary directory.",
            f"user {getpass.getuser()}",
            "log_dest stderr",
            *(f"log_type {kind}" for kind in ("error", "warning", "notice", "information")),
        ]
        for line in PRODUCTION_CONF.read_text().splitlines():
            if line.startswith(TLS_LINES) and not self.tls:
                continue
            line = line.replace("@DYNSEC_PLUGIN@", dynsec_plugin())
            line = line.replace("/var/lib/mosquitto/", f"{self.workdir}/")
            line = line.replace("/etc/mosquitto/dn/tls/", f"{self.workdir}/")
            if line.startswith("listener "):
                line = f"listener {self.port} 127.0.0.1"
            lines.append(line)
        return "\n".join(lines) + "\n" + self.extra

    def start(self) -> "Mosquitto":
        if shutil.which("mosquitto") is None and not Path("/usr/sbin/mosquitto").exists():
            raise RuntimeError("mosquitto is not installed (apt-get install mosquitto)")
        dynsec = self.workdir / "dn-dynsec.json"
        first = not dynsec.exists()
        if first:
            init_dynsec(dynsec, ADMIN, self.admin_password)
        if self.tls and not self.ca_file.exists():
            self._make_certificates()
        (self.workdir / "mosquitto.conf").write_text(self.config())
        binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [binary, "-c", str(self.workdir / "mosquitto.conf")],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        if not wait_until(self._listening, 10):
            raise RuntimeError("mosquitto did not start listening")
        if first:
            with self.admin() as admin:
                for user, secret in self.passwords.items():
                    if user == INGEST_CLIENT:
                        admin.prepare(secret)
                    else:
                        admin.add_booth(user, secret)
        return self

    def _listening(self) -> bool:
        if port_open(self.port):
            return True
        if self.process is not None and self.process.poll() is not None:
            raise RuntimeError(f"mosquitto exited: {self.log.read_text()}")
        return False

    def kill(self) -> None:
        """SIGKILL, as a power cut or the OOM killer would: no last save of its state
        (what it persisted before stays in the workdir for the next start())."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None
