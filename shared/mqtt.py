"""One MQTT 5 connection type, a thin typed layer over paho-mqtt (after aiomqtt's design:
paho does the protocol, this module only gives it one shape).

Everything paho stays in this module: a `Connection` hands out `Message`s (plain topic,
payload and fields) and takes plain bytes, so the booth and ingest never see a paho type.
What it adds to paho:
- routes: topic filters renewed on every (re)connect, each to a callback on paho's thread
  or to a queue; in manual-ack mode an unrouted message is acked so a session never stalls;
- connect in the background (paho reconnects with doubling backoff) or now, waiting for
  the CONNACK and the SUBACK of the routes;
- request/response with MQTT 5 correlation data, the response found by a function of the
  message (Mosquitto's $CONTROL plugin answers with the id in its JSON, not the property);
- a stop that closes every socket, the wake-up pair included.
"""

import logging
import queue
import ssl
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode

from shared.broker import BrokerAddress
from shared.clip import ClipMeta

log = logging.getLogger(__name__)

Handler = Callable[["Message"], None]


class NotConnected(Exception):
    """The broker refused the login (`reason` says why) or did not answer in time."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class NoResponse(Exception):
    """A request was sent and nothing answered it in time."""


class NotSent(Exception):
    """paho could not queue a message (the connection is down)."""


@dataclass(frozen=True)
class Message:
    """One PUBLISH as received, free of paho types. `fields`: the user properties (MQTT 5
    lets a key repeat; the first value is kept and the repeat named in `fault`) with the
    content type as `content_type`."""

    topic: str
    payload: bytes
    qos: int = 0
    retain: bool = False
    mid: int = 0
    fields: dict[str, str] = field(default_factory=dict)
    fault: str | None = None  # the user properties break the one-value-per-key rule
    correlation_data: bytes | None = None
    response_topic: str | None = None


@dataclass(frozen=True)
class Will:
    topic: str
    payload: bytes
    qos: int = 1
    retain: bool = True


@dataclass(frozen=True)
class Sent:
    """A message handed to the connection."""

    _info: mqtt.MQTTMessageInfo

    @property
    def queued(self) -> bool:
        """Taken for sending (False: not connected, or the queue is full)."""
        return self._info.rc == mqtt.MQTT_ERR_SUCCESS

    def wait(self, timeout: float) -> bool:
        """True once the broker has it (PUBACK for QoS 1); False if that did not happen
        within `timeout` or the connection went meanwhile."""
        try:
            self._info.wait_for_publish(timeout)
        except (RuntimeError, ValueError):  # paho's way of saying "never queued"
            return False
        return self._info.is_published()


def fields_of(props: Any) -> tuple[dict[str, str], str | None]:
    """paho's PUBLISH properties (or None) as plain fields and what was wrong with them."""
    fields: dict[str, str] = {}
    fault: str | None = None
    for pair in getattr(props, "UserProperty", None) or []:
        if not (isinstance(pair, tuple) and len(pair) == 2):
            fault = fault or "bad user property"
            continue
        key, value = str(pair[0]), str(pair[1])
        if key in fields:
            fault = fault or f"{key} given twice"
            continue
        fields[key] = value
    fields["content_type"] = str(getattr(props, "ContentType", "") or "")
    return fields, fault


def clip_properties(meta: ClipMeta) -> Properties:
    """A clip's metadata as PUBLISH properties: content type and one user property each."""
    props = Properties(PacketTypes.PUBLISH)  # type: ignore[no-untyped-call]
    fields = meta.to_dict()
    props.ContentType = fields.pop("content_type")
    props.UserProperty = list(fields.items())
    return props


def _message(raw: mqtt.MQTTMessage) -> Message:
    props = getattr(raw, "properties", None)
    fields, fault = fields_of(props)
    correlation = getattr(props, "CorrelationData", None)
    response_topic = getattr(props, "ResponseTopic", None)
    return Message(
        topic=raw.topic,
        payload=bytes(raw.payload),
        qos=raw.qos,
        retain=bool(raw.retain),
        mid=raw.mid,
        fields=fields,
        fault=fault,
        correlation_data=bytes(correlation) if correlation else None,
        response_topic=str(response_topic) if response_topic else None,
    )


def make_client(
    address: BrokerAddress,
    client_id: str,
    *,
    ca_file: Path | None = None,
    manual_ack: bool = False,
    max_inflight: int = 20,
) -> mqtt.Client:
    """A bare paho MQTT 5 client with credentials and TLS set, not yet connected (for tests
    and benchmarks that must send exactly the bytes they choose)."""
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


@dataclass
class _Route:
    subscription: str  # what is subscribed ($share/... for a shared subscription)
    match: str  # the filter message topics are matched against
    qos: int
    handler: Handler


class Connection:
    """An MQTT 5 connection: `route` what to receive, then `start` (background) or
    `connect` (now), `publish`/`request`, and `stop`."""

    def __init__(
        self,
        address: BrokerAddress,
        client_id: str,
        *,
        ca_file: Path | None = None,
        manual_ack: bool = False,
        max_inflight: int = 20,
        session_expiry_s: int | None = None,
        reconnect_s: tuple[int, int] = (1, 30),
        will: Will | None = None,
        keepalive: int = 30,
    ) -> None:
        """`session_expiry_s`: resume a session the broker keeps that long after a
        disconnect (messages for this client queue up while it is away); None starts clean.
        `manual_ack`: a message is acked only on `ack`, so one not yet made durable is
        delivered again after a crash."""
        self.address = address
        self.client = make_client(
            address, client_id, ca_file=ca_file, manual_ack=manual_ack, max_inflight=max_inflight
        )
        self.client.reconnect_delay_set(min_delay=reconnect_s[0], max_delay=reconnect_s[1])
        if will is not None:
            self.client.will_set(will.topic, will.payload, qos=will.qos, retain=will.retain)
        self.manual_ack = manual_ack
        self.session_expiry_s = session_expiry_s
        self.keepalive = keepalive
        self.connected = threading.Event()  # between CONNACK and a disconnect
        self._settled = threading.Event()  # refused, or connected and the routes subscribed
        self.refused: str | None = None
        # Hooks, called on paho's thread (they must not block).
        self.on_up: Callable[[], None] = lambda: None
        self.on_down: Callable[[], None] = lambda: None
        self.on_refused: Callable[[str], None] = lambda _reason: None
        self._routes: list[_Route] = []
        self._route_mid: int | None = None
        self._answered = threading.Condition()
        self._responses: dict[bytes, Message] = {}
        self._stopping = False
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_subscribe = self._on_subscribe
        self.client.on_message = self._on_message

    # Receiving -------------------------------------------------------------------------

    def route(self, subscription: str, handler: Handler, qos: int = 1) -> None:
        """Subscribe (on every connect) and call `handler` with each matching message, on
        paho's thread. A `$share/<group>/` prefix is matched without it."""
        match = subscription
        if subscription.startswith("$share/"):
            match = subscription.split("/", 2)[2]
        self._routes.append(_Route(subscription, match, qos, handler))

    def inbox(self, subscription: str, qos: int = 1) -> "queue.Queue[Message]":
        """`route` into a queue, for a thread of the caller's to take from."""
        box: queue.Queue[Message] = queue.Queue()
        self.route(subscription, box.put, qos)
        return box

    def responses(
        self,
        subscription: str,
        correlation_of: Callable[[Message], bytes | None] = lambda m: m.correlation_data,
    ) -> None:
        """Take answers to `request` from this topic, matched by `correlation_of(message)`
        (by default what a responder puts in MQTT 5's correlation data)."""
        self.route(subscription, lambda message: self._file(message, correlation_of))

    @contextmanager
    def subscription(self, topic: str, qos: int = 1) -> Iterator["queue.Queue[Message]"]:
        """A subscription for a while (e.g. to take one retained message), now and until
        the block ends."""
        box: queue.Queue[Message] = queue.Queue()
        route = _Route(topic, topic, qos, box.put)
        self._routes.append(route)
        self.client.subscribe(topic, qos=qos)
        try:
            yield box
        finally:
            self._routes.remove(route)
            self.client.unsubscribe(topic)

    def ack(self, message: Message) -> None:
        """Acknowledge a message in manual-ack mode (PUBACK goes to the broker)."""
        self.client.ack(message.mid, message.qos)

    # Sending ---------------------------------------------------------------------------

    def publish(
        self,
        topic: str,
        payload: bytes,
        *,
        qos: int = 1,
        retain: bool = False,
        properties: Properties | None = None,
    ) -> Sent:
        """Queue a message (paho sends it from its thread)."""
        return Sent(
            self.client.publish(topic, payload, qos=qos, retain=retain, properties=properties)
        )

    def publish_clip(self, topic: str, payload: bytes, meta: ClipMeta) -> bool:
        """A clip with its metadata as properties; False if not connected."""
        return self.publish(topic, payload, qos=1, properties=clip_properties(meta)).queued

    def request(
        self,
        topic: str,
        payload: bytes,
        correlation: bytes,
        *,
        response_topic: str | None = None,
        timeout: float = 10.0,
    ) -> Message:
        """Publish a request carrying `correlation` (MQTT 5 correlation data) and wait for
        the response that `responses` files under it."""
        props = Properties(PacketTypes.PUBLISH)  # type: ignore[no-untyped-call]
        props.CorrelationData = correlation
        if response_topic:
            props.ResponseTopic = response_topic
        with self._answered:
            if not self.publish(topic, payload, qos=1, properties=props).queued:
                raise NotSent("not sent (not connected)")
            if not self._answered.wait_for(lambda: correlation in self._responses, timeout):
                raise NoResponse(f"no answer on {topic} in {timeout:.0f} s")
            return self._responses.pop(correlation)

    def respond(self, request: Message, payload: bytes) -> bool:
        """Answer a request on its response topic with its correlation data; False if it
        named no response topic or the answer could not be queued."""
        if not request.response_topic:
            return False
        props = Properties(PacketTypes.PUBLISH)  # type: ignore[no-untyped-call]
        if request.correlation_data is not None:
            props.CorrelationData = request.correlation_data
        return self.publish(request.response_topic, payload, qos=1, properties=props).queued

    @staticmethod
    def new_correlation() -> bytes:
        return uuid.uuid4().hex.encode()

    # Connecting and stopping -----------------------------------------------------------

    def start(self) -> None:
        """Connect in the background; paho retries with backoff until `stop`."""
        self.client.connect_async(
            self.address.host,
            self.address.port,
            keepalive=self.keepalive,
            clean_start=self._clean_start(),
            properties=self._connect_properties(),
        )
        self.client.loop_start()

    def connect(self, timeout: float) -> None:
        """Connect now: OSError (or ValueError) if the broker cannot be reached,
        NotConnected if it refuses or does not answer within `timeout`; returns once the
        routes are subscribed."""
        self.client.connect(
            self.address.host,
            self.address.port,
            keepalive=self.keepalive,
            clean_start=self._clean_start(),
            properties=self._connect_properties(),
        )
        self.client.loop_start()
        if not self._settled.wait(timeout) or self.refused:
            raise NotConnected(self.refused or f"no answer in {timeout:.0f} s")

    def disconnect(self) -> None:
        self._stopping = True
        self.client.disconnect()

    def stop(self) -> None:
        """Disconnect, end paho's thread and close every socket. paho closes its wake-up
        socket pair only in `__del__`, and when the client sits in a reference cycle (its
        callbacks point back at their owner) the collector may finalise the sockets first,
        unclosed."""
        self.disconnect()
        self.client.loop_stop()
        self.client._reset_sockets()  # private, but paho offers no public way
        self.connected.clear()
        self._settled.clear()

    def _clean_start(self) -> bool | Literal[3]:
        if self.session_expiry_s is None:
            return mqtt.MQTT_CLEAN_START_FIRST_ONLY
        return False

    def _connect_properties(self) -> Properties | None:
        if self.session_expiry_s is None:
            return None
        props = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]
        props.SessionExpiryInterval = self.session_expiry_s
        return props

    # paho's thread ---------------------------------------------------------------------

    def _on_connect(
        self, client: mqtt.Client, _userdata: Any, _flags: Any, reason: ReasonCode, _props: Any
    ) -> None:
        if reason.is_failure:
            self.refused = str(reason)
            log.error("broker %s refused the connection: %s", self.address, reason)
            self.on_refused(self.refused)
            self._settled.set()
            return
        self.refused = None
        if self._routes:
            _rc, self._route_mid = client.subscribe([(r.subscription, r.qos) for r in self._routes])
        else:
            self._settled.set()
        self.connected.set()
        self.on_up()

    def _on_subscribe(self, _client: mqtt.Client, _userdata: Any, mid: int, *_rest: Any) -> None:
        if mid == self._route_mid:
            self._settled.set()

    def _on_disconnect(self, *_args: Any) -> None:
        self.connected.clear()
        self._settled.clear()
        if not self._stopping:
            self.on_down()

    def _on_message(self, _client: mqtt.Client, _userdata: Any, raw: mqtt.MQTTMessage) -> None:
        message = _message(raw)
        routes = [r for r in list(self._routes) if mqtt.topic_matches_sub(r.match, raw.topic)]
        for route in routes:
            try:
                route.handler(message)
            except Exception:
                log.exception("handling a message on %s failed", raw.topic)
        if self.manual_ack and not routes:
            self.ack(message)

    def _file(self, message: Message, correlation_of: Callable[[Message], bytes | None]) -> None:
        correlation = correlation_of(message)
        if correlation is None:
            return
        with self._answered:
            self._responses[correlation] = message
            self._answered.notify_all()
