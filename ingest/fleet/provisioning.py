"""Provisioning a booth: its broker login and the bundle a technician copies next to the
booth's image (booth.toml, the password alone in a 0600 file, the CA certificate, and the
booth's hardware.toml from a hardware profile).

The secret is written only into the bundle, never printed or logged. The registry entry
(which neighborhood the booth speaks for) is made by the caller, in the same command.
"""

import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

from ingest.fleet.broker_admin import BrokerAdmin, check_booth_id
from shared import hardware_profiles
from shared.broker import BrokerAddress
from shared.files import write_atomic
from shared.hardware_profiles import DEFAULT_PROFILE, for_bundle
from shared.hardware_profiles import ProfileError as ProfileError  # for the command's errors

PASSWORD_FILE = "broker-password"
CA_FILE = "ca.crt"
HARDWARE_FILE = hardware_profiles.FILE_NAME
ON_BOOTH = Path("/etc/booth")  # where deploy/booth/install.sh puts the bundle's files


@dataclass(frozen=True)
class Bundle:
    folder: Path

    @property
    def password_file(self) -> Path:
        return self.folder / PASSWORD_FILE


def bundle_hardware(profile: str | None, command: str) -> str | None:
    """The hardware.toml a bundle gets from `profile` (checked: ProfileError); without one, a
    new booth gets the default profile and a rotation keeps the bundle's own (None)."""
    if profile is None and command == "add":
        profile = DEFAULT_PROFILE
    return None if profile is None else for_bundle(profile)


def new_secret() -> str:
    return secrets.token_urlsafe(24)


def write_bundle_secret(path: Path, secret: str) -> None:
    """A file holding only `secret`, mode 0600 from its creation on."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        os.fchmod(out.fileno(), 0o600)
        out.write(secret + "\n")


def booth_url(broker: BrokerAddress, booth_id: str) -> str:
    """The broker URL in a booth's booth.toml: its id as username, no password."""
    scheme = "mqtts" if broker.tls else "mqtt"
    return f"{scheme}://{booth_id}@{broker.host}:{broker.port}"


def write_bundle(
    folder: Path,
    booth_id: str,
    neighborhood: str,
    broker: BrokerAddress,
    password: str,
    ca_file: Path | None,
    hardware: str | None = None,
) -> Bundle:
    """The bundle in `folder`; `hardware` (a profile's text) replaces its hardware.toml, else
    the one already there is kept (a rotation keeps the booth's profile)."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    bundle = Bundle(folder)
    write_bundle_secret(bundle.password_file, password)
    lines = [
        f'id = "{booth_id}"',
        f'neighborhood = "{neighborhood}"',
        f'mqtt_url = "{booth_url(broker, booth_id)}"',
        f'mqtt_password_file = "{ON_BOOTH / PASSWORD_FILE}"',
    ]
    if ca_file is not None:
        shutil.copyfile(ca_file, folder / CA_FILE)
        lines.append(f'mqtt_ca_file = "{ON_BOOTH / CA_FILE}"')
    write_atomic(folder / "booth.toml", ("\n".join(lines) + "\n").encode())
    if hardware is not None:
        write_atomic(folder / HARDWARE_FILE, hardware.encode())
    return bundle


def issue_credentials(
    admin: BrokerAdmin,
    folder: Path,
    booth_id: str,
    neighborhood: str,
    broker: BrokerAddress,
    ca_file: Path | None,
    *,
    renew: bool,
    hardware: str | None = None,
) -> Bundle:
    """A new password and its bundle: a login for a new booth, or with `renew` a rotation
    (the old password stops working at once). The bundle is written first: a login whose
    secret nobody has would be useless."""
    check_booth_id(booth_id)
    password = new_secret()
    bundle = write_bundle(folder, booth_id, neighborhood, broker, password, ca_file, hardware)
    if renew:
        admin.rotate(booth_id, password)
    else:
        admin.add_booth(booth_id, password)
    return bundle
