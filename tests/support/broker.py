"""A real mosquitto, started on a free loopback port with the project's ACL and fresh users."""

import getpass
import secrets
import shutil
import socket
import subprocess
from pathlib import Path

from tests.support.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
ACL = ROOT / "deploy" / "mosquitto" / "acl"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Mosquitto:
    def __init__(
        self, workdir: Path, users: list[str], port: int | None = None, tls: bool = False
    ) -> None:
        self.tls = tls
        self.workdir = workdir
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.passwords = {user: secrets.token_urlsafe(12) for user in users}
        self.process: subprocess.Popen[bytes] | None = None
        self.log = self.workdir / "mosquitto.log"

    def url(self, user: str, password: str | None = None) -> str:
        secret = password if password is not None else self.passwords[user]
        scheme = "mqtts" if self.tls else "mqtt"
        return f"{scheme}://{user}:{secret}@127.0.0.1:{self.port}"

    @property
    def ca_file(self) -> Path:
        return self.workdir / "ca.crt"

    def _make_certificates(self) -> str:
        """A CA and a server certificate for 127.0.0.1, made by the production recipe
        (deploy/pki/make-certs.sh); the listener lines."""
        d = self.workdir
        script = Path(__file__).parents[2] / "deploy" / "pki" / "make-certs.sh"
        subprocess.run(
            ["sh", str(script), str(d), "127.0.0.1", "1"], check=True, capture_output=True
        )
        return (
            f"cafile {self.ca_file}\ncertfile {d / 'server.crt'}\nkeyfile {d / 'server.key'}\n"
            "tls_version tlsv1.2\n"
        )

    def add_user(self, user: str) -> str:
        self.passwords[user] = secrets.token_urlsafe(12)
        self._write_passwords()
        if self.process is not None:
            reloads = self.log.read_text().count("Reloading config.")
            self.process.send_signal(1)  # SIGHUP reloads the password file
            if not wait_until(
                lambda: self.log.read_text().count("Reloading config.") > reloads, 10
            ):
                raise RuntimeError("mosquitto did not reload its config")
        return self.passwords[user]

    def _write_passwords(self) -> None:
        password_file = self.workdir / "passwords"
        password_file.write_text("")
        for user, secret in self.passwords.items():
            subprocess.run(
                ["mosquitto_passwd", "-b", str(password_file), user, secret],
                check=True,
                capture_output=True,
            )
        password_file.chmod(0o600)

    def start(self) -> "Mosquitto":
        if shutil.which("mosquitto") is None and not Path("/usr/sbin/mosquitto").exists():
            raise RuntimeError("mosquitto is not installed (apt-get install mosquitto)")
        self._write_passwords()
        shutil.copy(ACL, self.workdir / "acl")
        tls_lines = self._make_certificates() if self.tls and not self.ca_file.exists() else ""
        if self.tls and not tls_lines:
            tls_lines = (self.workdir / "tls.conf").read_text()
        (self.workdir / "tls.conf").write_text(tls_lines)
        (self.workdir / "mosquitto.conf").write_text(
            f"""# Run as whoever started the test; as root mosquitto would switch to a user that
# cannot read the test's private temporary directory.
user {getpass.getuser()}
per_listener_settings false
allow_anonymous false
password_file {self.workdir / "passwords"}
acl_file {self.workdir / "acl"}
persistence true
persistence_location {self.workdir}/
max_queued_messages 100000
max_inflight_messages 100
set_tcp_nodelay true
log_dest stderr
log_type error
log_type warning
log_type notice
log_type information
listener {self.port} 127.0.0.1
{tls_lines}"""
        )
        binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [binary, "-c", str(self.workdir / "mosquitto.conf")],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        if wait_until(self._listening, 10):
            return self
        raise RuntimeError("mosquitto did not start listening")

    def _listening(self) -> bool:
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
            return True
        except OSError:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"mosquitto exited: {self.log.read_text()}") from None
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None
