"""Broker addresses and a thin, typed factory over paho-mqtt's MQTT 5 client."""

import ssl
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties


@dataclass(frozen=True)
class BrokerAddress:
    host: str
    port: int
    username: str | None = None
    password: str | None = None
    tls: bool = False

    @classmethod
    def from_url(cls, url: str) -> "BrokerAddress":
        """Parse `mqtt://user:pass@host:port` or `mqtts://...` (TLS)."""
        parts = urlsplit(url)
        if parts.scheme not in ("mqtt", "mqtts"):
            raise ValueError(f"broker URL must start with mqtt:// or mqtts://, got {url!r}")
        tls = parts.scheme == "mqtts"
        return cls(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or (8883 if tls else 1883),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            tls=tls,
        )

    def with_password_file(self, path: Path | None, username: str | None = None) -> "BrokerAddress":
        """The password read from `path` (a file holding only the secret), so it need not
        sit in a URL, an environment variable or a process listing."""
        if path is None:
            return self
        secret = path.read_text(encoding="utf-8").strip()
        return replace(self, username=self.username or username, password=secret)

    def __str__(self) -> str:
        scheme = "mqtts" if self.tls else "mqtt"
        user = f"{self.username}@" if self.username else ""
        return f"{scheme}://{user}{self.host}:{self.port}"


def make_client(
    address: BrokerAddress,
    client_id: str,
    *,
    ca_file: Path | None = None,
    manual_ack: bool = False,
    max_inflight: int = 20,
) -> mqtt.Client:
    """An MQTT 5 client with credentials and TLS set, not yet connected."""
    client = mqtt.Client(
        CallbackAPIVersion.VERSION2,
        client_id=client_id,
        protocol=mqtt.MQTTv5,
        manual_ack=manual_ack,
    )
    if address.username:
        client.username_pw_set(address.username, address.password)
    if address.tls:
        client.tls_set(
            ca_certs=str(ca_file) if ca_file else None, tls_version=ssl.PROTOCOL_TLS_CLIENT
        )
    client.max_inflight_messages_set(max_inflight)
    client.reconnect_delay_set(min_delay=1, max_delay=30)
    return client


def stop_loop(client: mqtt.Client) -> None:
    """Stop paho's network thread and close the socket pair it wakes that thread with. paho
    closes the pair only in `__del__`, and when the client sits in a reference cycle (its
    callbacks point back at their owner) the collector may finalise the sockets first,
    unclosed."""
    client.loop_stop()
    client._reset_sockets(sockpair_only=True)  # private, but paho offers no public way


def start_persistent(client: mqtt.Client, address: BrokerAddress, session_expiry_s: int) -> None:
    """Connect in the background with a session the broker keeps for `session_expiry_s`
    after a disconnect, so messages for this client queue up while it is away; paho
    reconnects by itself."""
    props = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]
    props.SessionExpiryInterval = session_expiry_s
    client.connect_async(
        address.host, address.port, keepalive=30, clean_start=False, properties=props
    )
    client.loop_start()
