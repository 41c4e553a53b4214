"""Booth logins at the broker, through Mosquitto's dynamic security plugin.

Each booth is a broker client whose username and client id are its booth id, with a role
of its own that allows exactly its topics: publish its clips and status, subscribe to its
acks and config, and to prompts (public audio). Everything else is denied by default, and
the plugin checks a subscription when it is made, so a booth cannot join ingest's shared
subscription (where the broker would hand it clips it may not read, and they would be
lost). Changes take effect at once, with no broker restart; a deleted client is
disconnected. Commands go as JSON to `$CONTROL/dynamic-security/v1`
(https://mosquitto.org/documentation/dynamic-security/).
"""

import base64
import hashlib
import json
import os
import secrets
import subprocess
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from ingest.errors import IngestError
from shared.broker import BrokerAddress
from shared.mqtt import Connection, Message, NoResponse, NotConnected, NotSent
from shared.topics import SHARED_GROUP, Channel, Topics, check_slug

CONTROL = "$CONTROL/dynamic-security/v1"
INGEST_CLIENT = "ingest"
INGEST_ROLE = "ingest"
BRIDGE_ROLE = "edge-bridge"
RESERVED = ("ingest", "dn-admin")  # booth ids that would shadow the service's own logins

Command = dict[str, Any]


class BrokerAdminError(IngestError):
    """The broker refused a command or could not be reached; nothing was half-done
    beyond what the message says."""


def booth_role(booth_id: str) -> str:
    return f"booth:{booth_id}"


def _acl(kind: str, topic: str) -> dict[str, Any]:
    return {"acltype": kind, "topic": topic, "allow": True}


def booth_acls(topics: Topics, booth_id: str) -> list[dict[str, Any]]:
    """What one booth may do: nothing that names another booth."""
    return [
        _acl("publishClientSend", topics.booth(booth_id, Channel.CLIPS)),
        _acl("publishClientSend", topics.booth(booth_id, Channel.STATUS)),
        _acl("subscribeLiteral", topics.booth(booth_id, Channel.ACKS)),
        _acl("subscribeLiteral", topics.booth(booth_id, Channel.CONFIG)),
        _acl("subscribePattern", topics.prompts()),
    ]


def ingest_acls(topics: Topics) -> list[dict[str, Any]]:
    return [
        _acl("subscribePattern", topics.shared_clips()),
        _acl("subscribePattern", topics.all_booths(Channel.STATUS)),
        _acl("publishClientSend", topics.all_booths(Channel.ACKS)),
        _acl("publishClientSend", topics.all_booths(Channel.CONFIG)),
        _acl("publishClientSend", topics.prompts()),
    ]


def bridge_acls(topics: Topics) -> list[dict[str, Any]]:
    """An edge broker's bridge: it forwards its booths' clips and status up and brings
    their acks, configs and prompts down. The edge broker pins each booth to its own
    topics; the central one trusts the bridge for the booths behind it."""
    return [
        _acl("publishClientSend", topics.all_booths(Channel.CLIPS)),
        _acl("publishClientSend", topics.all_booths(Channel.STATUS)),
        _acl("subscribePattern", topics.all_booths(Channel.ACKS)),
        _acl("subscribePattern", topics.all_booths(Channel.CONFIG)),
        _acl("subscribePattern", topics.prompts()),
    ]


def edge_bridge_conf(name: str, central: BrokerAddress, password: str, topics: Topics) -> str:
    """The bridge section for an edge broker (conf.d/bridge.conf beside the production
    mosquitto.conf on the edge host; docs/deployment.md)."""
    tls = ["bridge_cafile /etc/mosquitto/dn/tls/ca.crt", "bridge_insecure false"]
    lines = [
        "# The edge's link to the central broker, made by `ingest broker bridge`. Mode 0600:",
        "# it holds the bridge's password.",
        f"connection {name}",
        f"address {central.host}:{central.port}",
        f"remote_clientid {name}",
        f"remote_username {name}",
        f"remote_password {password}",
        "# MQTT 5 end to end: a clip's metadata travels in its user properties.",
        "bridge_protocol_version mqttv50",
        "# Persistent sessions on both sides: acks wait at the central broker while the",
        "# link is down, clips wait here.",
        "cleansession false",
        "local_cleansession false",
        "restart_timeout 2 30",
        *(tls if central.tls else []),
        f"topic {topics.all_booths(Channel.CLIPS)} out 1",
        f"topic {topics.all_booths(Channel.STATUS)} out 1",
        f"topic {topics.all_booths(Channel.ACKS)} in 1",
        f"topic {topics.all_booths(Channel.CONFIG)} in 1",
        f"topic {topics.prompts()} in 1",
    ]
    return "\n".join(lines) + "\n"


# PBKDF2-HMAC-SHA512 rounds for the admin login, which may change every other login: OWASP's
# figure for this hash. The plugin makes logins with 101 (mosquitto 2.0), and its control
# API takes no count, so booth logins keep that; their passwords are long random strings.
ADMIN_ITERATIONS = 210_000


def init_dynsec(path: Path, admin: str, password: str) -> None:
    """The plugin's file with its admin login, as `mosquitto_ctrl dynsec init` makes it
    but with the admin's password hashed with ADMIN_ITERATIONS rounds, and mode 0600 (it
    holds the password hashes of every login). Refuses to overwrite a file."""
    with tempfile.TemporaryDirectory() as tmp:
        made = Path(tmp) / "dynsec.json"
        # A throwaway password: the real one never appears on a command line.
        subprocess.run(
            ["mosquitto_ctrl", "dynsec", "init", str(made), admin, secrets.token_urlsafe(16)],
            check=True,
            capture_output=True,
        )
        config = json.loads(made.read_text(encoding="utf-8"))
    (login,) = [c for c in config["clients"] if c.get("username") == admin]
    salt = secrets.token_bytes(12)
    digest = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, ADMIN_ITERATIONS, 64)
    login.update(
        password=base64.b64encode(digest).decode(),
        salt=base64.b64encode(salt).decode(),
        iterations=ADMIN_ITERATIONS,
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(config, out, indent=1)


def reserved(booth_id: str) -> bool:
    """Is this the name of one of the service's own logins (never a booth's)?"""
    return booth_id in RESERVED or booth_id.startswith(f"{SHARED_GROUP}-")


def check_booth_id(booth_id: str) -> str:
    check_slug(booth_id, "booth id")
    if reserved(booth_id):
        raise BrokerAdminError(f"{booth_id!r} is reserved for the service's own logins")
    return booth_id


@dataclass
class BrokerAdmin:
    """A short-lived admin connection: `with BrokerAdmin(address) as admin: ...`."""

    address: BrokerAddress
    ca_file: Path | None = None
    topics: Topics = field(default_factory=Topics)
    timeout_s: float = 10.0

    def __post_init__(self) -> None:
        self._connection = Connection(
            self.address, f"dn-admin-{uuid.uuid4().hex[:12]}", ca_file=self.ca_file
        )
        self._connection.responses(f"{CONTROL}/response", _correlation)

    def __enter__(self) -> "BrokerAdmin":
        try:
            self._connection.connect(self.timeout_s)
        except OSError as exc:
            self._connection.stop()
            raise BrokerAdminError(f"cannot reach the broker at {self.address}: {exc}") from exc
        except NotConnected as exc:
            self._connection.stop()
            why = "no answer" if self._connection.refused is None else exc.reason
            raise BrokerAdminError(f"broker admin login at {self.address} failed: {why}") from exc
        return self

    def __exit__(
        self, _t: type[BaseException] | None, _e: BaseException | None, _tb: TracebackType | None
    ) -> None:
        self._connection.stop()

    # Operations -----------------------------------------------------------------------

    def prepare(self, ingest_password: str) -> None:
        """Deny by default; the ingest service's login and role. Safe to run again (it
        also brings the ingest role's ACLs up to date and sets the password)."""
        self.run(
            {
                "command": "setDefaultACLAccess",
                "acls": [
                    {"acltype": "publishClientSend", "allow": False},
                    {"acltype": "subscribe", "allow": False},
                    {"acltype": "publishClientReceive", "allow": True},
                    {"acltype": "unsubscribe", "allow": True},
                ],
            }
        )
        self._ensure_role(INGEST_ROLE, ingest_acls(self.topics))
        created = self.run(
            {
                "command": "createClient",
                "username": INGEST_CLIENT,
                "password": ingest_password,
                "roles": [{"rolename": INGEST_ROLE}],
            },
            exists_ok=True,
        )
        if created:
            return
        self.run(
            {"command": "setClientPassword", "username": INGEST_CLIENT, "password": ingest_password}
        )
        client = self.run_one({"command": "getClient", "username": INGEST_CLIENT})
        roles = [
            r.get("rolename") for r in client.get("data", {}).get("client", {}).get("roles", [])
        ]
        if INGEST_ROLE not in roles:  # adding a role a client has is an "Internal error"
            self.run(
                {"command": "addClientRole", "username": INGEST_CLIENT, "rolename": INGEST_ROLE}
            )

    def add_booth(self, booth_id: str, password: str) -> None:
        """A login for a new booth; BrokerAdminError if it has one (use rotate)."""
        check_booth_id(booth_id)
        role = booth_role(booth_id)
        if self.has_login(booth_id):
            raise BrokerAdminError(f"booth {booth_id} already has a broker login; use rotate")
        self._ensure_role(role, booth_acls(self.topics, booth_id))
        if not self._create_bound_client(booth_id, password, role):
            raise BrokerAdminError(f"booth {booth_id} already has a broker login; use rotate")

    def add_bridge(self, name: str, password: str) -> None:
        """A login for an edge broker's bridge, bound to its own client id."""
        check_slug(name, "bridge name")
        self._ensure_role(BRIDGE_ROLE, bridge_acls(self.topics))
        if not self._create_bound_client(name, password, BRIDGE_ROLE):
            raise BrokerAdminError(f"bridge {name} already has a login")

    def has_login(self, booth_id: str) -> bool:
        check_booth_id(booth_id)
        answer = self.run_one({"command": "getClient", "username": booth_id}, tolerate=True)
        return "error" not in answer

    def rotate(self, booth_id: str, password: str) -> None:
        """A new password; the old one stops working, and a booth logged in with it is
        disconnected."""
        check_booth_id(booth_id)
        self.run({"command": "setClientPassword", "username": booth_id, "password": password})
        self.run({"command": "disableClient", "username": booth_id})
        self.run({"command": "enableClient", "username": booth_id})

    def revoke(self, booth_id: str) -> bool:
        """Delete the booth's login and role (it is disconnected at once); False if it had
        none."""
        check_booth_id(booth_id)
        existed = self.run({"command": "deleteClient", "username": booth_id}, missing_ok=True)
        self.run({"command": "deleteRole", "rolename": booth_role(booth_id)}, missing_ok=True)
        return existed

    def _create_bound_client(self, name: str, password: str, role: str) -> bool:
        """A login whose client id is its username: nobody else can take that client id,
        nor it another's. False if the login exists already."""
        return self.run(
            {
                "command": "createClient",
                "username": name,
                "clientid": name,
                "password": password,
                "roles": [{"rolename": role}],
            },
            exists_ok=True,
        )

    def _ensure_role(self, role: str, acls: list[dict[str, Any]]) -> None:
        """The role with at least these ACLs. Never deletes a role: mosquitto 2.0.11
        crashes when a role is deleted while a client that never connected holds it."""
        if self.run({"command": "createRole", "rolename": role, "acls": acls}, exists_ok=True):
            return
        for acl in acls:
            self.run({"command": "addRoleACL", "rolename": role, **acl}, exists_ok=True)

    def clients(self) -> list[str]:
        answer = self.run_one({"command": "listClients", "verbose": False})
        return [str(name) for name in answer.get("data", {}).get("clients", [])]

    # Plumbing -------------------------------------------------------------------------

    def run(self, *commands: Command, missing_ok: bool = False, exists_ok: bool = False) -> bool:
        """Run commands in order; True if none was a tolerated "not found"/"exists"."""
        clean = True
        for command in commands:
            error = self.run_one(command, tolerate=True).get("error")
            if error is None:
                continue
            text = str(error).lower()
            if (missing_ok and "not found" in text) or (exists_ok and "already exists" in text):
                clean = False
                continue
            raise BrokerAdminError(f"{command['command']}: {error}")
        return clean

    def run_one(self, command: Command, *, tolerate: bool = False) -> Command:
        # The plugin answers with the correlation in its JSON (Mosquitto 2.0 drops MQTT 5
        # correlation data on $CONTROL responses).
        correlation = self._connection.new_correlation()
        body = {"commands": [{**command, "correlationData": correlation.decode()}]}
        try:
            message = self._connection.request(
                CONTROL, json.dumps(body).encode(), correlation, timeout=self.timeout_s
            )
        except NotSent as exc:
            raise BrokerAdminError(f"{command['command']}: {exc}") from exc
        except NoResponse as exc:
            raise BrokerAdminError(
                f"{command['command']}: no answer from the broker's dynamic security "
                "plugin (is it loaded, and is this login its admin?)"
            ) from exc
        response = _response(message)
        if response.get("error") and not tolerate:
            raise BrokerAdminError(f"{command['command']}: {response['error']}")
        return response


def _response(message: Message) -> Command:
    """The one response in a `$CONTROL/.../response` message (one command per request)."""
    try:
        responses = json.loads(message.payload)["responses"]
    except (ValueError, KeyError, TypeError):
        return {}
    found = [r for r in responses if isinstance(r, dict) and "correlationData" in r]
    return found[0] if found else {}


def _correlation(message: Message) -> bytes | None:
    correlation = _response(message).get("correlationData")
    return None if correlation is None else str(correlation).encode()
