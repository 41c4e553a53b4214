"""Bare MQTT 5 clients for tests: one playing a booth, for sending exactly the bytes a test
wants, and one watching the wire (what the broker carried, and when)."""

import queue
import threading
import time
from dataclasses import dataclass
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode

from shared.broker import BrokerAddress
from shared.messages import Ack
from shared.mqtt import make_client
from shared.topics import Channel, Topics


class RawBooth:
    def __init__(self, url: str, booth_id: str, client_id: str | None = None) -> None:
        self.booth_id = booth_id
        self.topics = Topics()
        self.address = BrokerAddress.from_url(url)
        self.client = make_client(self.address, client_id or booth_id)
        self.acks: queue.Queue[Ack] = queue.Queue()
        self.messages: queue.Queue[tuple[str, bytes]] = queue.Queue()
        self._subscribed = threading.Event()
        self.client.on_message = self._on_message
        self.client.on_subscribe = lambda *_a: self._subscribed.set()
        self.puback_codes: dict[int, int] = {}
        self.client.on_publish = self._on_publish

    def __enter__(self) -> "RawBooth":
        rc = self.client.connect(self.address.host, self.address.port)
        assert rc == 0, f"connect failed: {rc}"
        self.client.loop_start()
        self.client.subscribe(self.topics.booth(self.booth_id, Channel.ACKS), qos=1)
        assert self._subscribed.wait(5), "no SUBACK"
        return self

    def __exit__(self, *_exc: object) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def subscribe(self, topic: str) -> None:
        self._subscribed.clear()
        self.client.subscribe(topic, qos=1)
        assert self._subscribed.wait(5)

    def publish(
        self, payload: bytes, props: Properties | None, topic: str | None = None
    ) -> mqtt.MQTTMessageInfo:
        info = self.client.publish(
            topic or self.topics.booth(self.booth_id, Channel.CLIPS),
            payload,
            qos=1,
            properties=props,
        )
        info.wait_for_publish(5)
        return info

    def next_ack(self, timeout: float = 15) -> Ack:
        return self.acks.get(timeout=timeout)

    def _on_message(self, _c: Any, _u: Any, message: mqtt.MQTTMessage) -> None:
        if message.topic.endswith("/acks"):
            self.acks.put(Ack.decode(message.payload))
        else:
            self.messages.put((message.topic, bytes(message.payload)))

    def _on_publish(self, _c: Any, _u: Any, mid: int, reason: ReasonCode, _p: Any) -> None:
        self.puback_codes[mid] = reason.value


@dataclass(frozen=True)
class Seen:
    topic: str
    clip_id: str | None  # the clip a clips or acks message is about
    at: float  # time.monotonic() when it arrived


class Observer:
    """A read-only login (`Mosquitto.add_observer`) subscribed to one booth's clips and
    acks: what the broker carried between booth and ingest, copies and resends included."""

    def __init__(self, url: str, booth_id: str) -> None:
        self.topics = Topics()
        self.booth_id = booth_id
        self.address = BrokerAddress.from_url(url)
        self.client = make_client(self.address, f"observer-{booth_id}")
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        self._subscribed = threading.Event()
        self.client.on_message = self._on_message
        self.client.on_subscribe = lambda *_a: self._subscribed.set()

    def __enter__(self) -> "Observer":
        assert self.client.connect(self.address.host, self.address.port) == 0
        self.client.loop_start()
        self.client.subscribe(
            [(self.topics.booth(self.booth_id, ch), 1) for ch in (Channel.CLIPS, Channel.ACKS)]
        )
        assert self._subscribed.wait(5), "no SUBACK"
        return self

    def __exit__(self, *_exc: object) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def clips(self, since: float = 0.0) -> list[Seen]:
        with self._lock:
            return [s for s in self.seen if s.topic.endswith("/clips") and s.at >= since]

    def acks(self, since: float = 0.0) -> list[Seen]:
        with self._lock:
            return [s for s in self.seen if s.topic.endswith("/acks") and s.at >= since]

    def _on_message(self, _c: Any, _u: Any, message: mqtt.MQTTMessage) -> None:
        clip_id = None
        if message.topic.endswith("/acks"):
            clip_id = str(Ack.decode(message.payload).clip_id)
        else:
            props = getattr(message, "properties", None)
            for key, value in getattr(props, "UserProperty", None) or []:
                if key == "clip_id":
                    clip_id = value
        with self._lock:
            self.seen.append(Seen(message.topic, clip_id, time.monotonic()))
