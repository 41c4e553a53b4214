"""MQTT side of ingest: joins the shared clips subscription, hands clips to the intake, acks."""

import logging
import queue
import threading
from dataclasses import dataclass
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.reasoncodes import ReasonCode

from ingest import metrics
from ingest.fleet.booths import Fleet
from ingest.receive.intake import InboundClip, Intake
from ingest.settings import IngestSettings
from shared.broker import make_client, start_persistent, stop_loop
from shared.topics import Channel, Topics

log = logging.getLogger(__name__)


# Clips taken off the inbox together share one database commit.
GROUP_COMMIT_MAX = 64


@dataclass(frozen=True)
class Delivery:
    clip: InboundClip
    mid: int
    qos: int


@dataclass(frozen=True)
class StatusMessage:
    topic: str
    payload: bytes
    retained: bool  # replayed by the broker on subscribe, not sent just now


class Receiver:
    """paho's network thread only queues (clips to the intake thread, statuses to the fleet
    thread): it never waits on the database. The intake thread takes whatever has queued,
    stores it with one commit, then acks each."""

    def __init__(self, settings: IngestSettings, intake: Intake, fleet: Fleet) -> None:
        self.settings = settings
        self.intake = intake
        self.fleet = fleet
        self.topics = Topics(settings.topic_prefix)
        self.connected = threading.Event()
        self._stopping = False
        # The broker's PUBACK waits until the clip is durable (manual ack), so a receiver that
        # dies mid-clip leaves the message with the broker for redelivery.
        self.address = settings.broker_address()
        self.client = make_client(
            self.address,
            settings.mqtt_client_id,
            ca_file=settings.mqtt_ca_file,
            manual_ack=True,
        )
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = self._on_message
        self._inbox: queue.Queue[Delivery | None] = queue.Queue()
        self.received = 0  # clips this receiver was handed by the broker
        self._intake_thread = threading.Thread(target=self._intake_loop, name="intake")
        self._statuses: queue.Queue[StatusMessage | None] = queue.Queue()
        self._fleet_thread = threading.Thread(target=self._fleet_loop, name="fleet")
        self.status_replayed = threading.Event()  # a retained status was recorded
        self.client.message_callback_add(self.topics.all_booths(Channel.STATUS), self._on_status)

    def start(self) -> None:
        # A persistent session: while ingest restarts, the broker queues clips for it.
        start_persistent(self.client, self.address, self.settings.mqtt_session_expiry_s)
        self._intake_thread.start()
        self._fleet_thread.start()

    def stop(self) -> None:
        self._stopping = True
        self.client.disconnect()
        self._inbox.put(None)
        self._statuses.put(None)
        for thread in (self._intake_thread, self._fleet_thread):
            if thread.is_alive():
                thread.join(timeout=20)
        stop_loop(self.client)

    def _on_connect(
        self, client: mqtt.Client, _userdata: Any, _flags: Any, reason: ReasonCode, _props: Any
    ) -> None:
        if reason.is_failure:
            log.error("broker refused ingest: %s", reason)
            return
        client.subscribe(
            [(self.topics.shared_clips(), 1), (self.topics.all_booths(Channel.STATUS), 1)]
        )
        self.connected.set()
        log.info("receiving on %s", self.topics.shared_clips())
        threading.Thread(target=self._republish_configs, daemon=True).start()

    def publish_config(self, booth_id: str, payload: bytes) -> None:
        self._publish_acked(self.topics.booth(booth_id, Channel.CONFIG), payload)

    def publish_prompt(self, sha256: str, wav: bytes) -> None:
        self._publish_acked(self.topics.prompt(sha256), wav)

    def _publish_acked(self, topic: str, payload: bytes, timeout_s: float = 10.0) -> None:
        """Retained at QoS 1; returns once the broker acknowledged it, raises otherwise (so
        the fleet does not count a config as sent that the broker never took)."""
        info = self.client.publish(topic, payload, qos=1, retain=True)
        info.wait_for_publish(timeout_s)  # raises when it could not even be queued
        if not info.is_published():
            raise ConnectionError(f"the broker did not acknowledge {topic} in {timeout_s:.0f} s")

    def _republish_configs(self) -> None:
        try:
            self.fleet.publish_configs(again=True)
        except Exception:
            log.exception("could not publish booth configs")

    def _on_status(self, client: mqtt.Client, _userdata: Any, message: mqtt.MQTTMessage) -> None:
        self._statuses.put(StatusMessage(message.topic, bytes(message.payload), message.retain))
        client.ack(message.mid, message.qos)  # a status is never worth a redelivery

    def _fleet_loop(self) -> None:
        while (status := self._statuses.get()) is not None:
            try:
                booth_id, _ = self.topics.parse(status.topic)
                self.fleet.record_status(
                    booth_id,
                    status.payload,
                    live=not status.retained,
                    max_bytes=self.settings.max_status_bytes,
                )
                if status.retained:
                    self.status_replayed.set()
            except Exception:
                log.exception("could not record status from %s", status.topic)

    def _on_disconnect(self, *_args: Any) -> None:
        self.connected.clear()
        if not self._stopping:
            log.warning("disconnected from broker; paho reconnects")

    def _on_message(self, _client: mqtt.Client, _userdata: Any, message: mqtt.MQTTMessage) -> None:
        clip = InboundClip(
            topic=message.topic,
            payload=bytes(message.payload),
            properties=getattr(message, "properties", None),
        )
        self.received += 1
        metrics.CLIPS_RECEIVED.inc()
        self._inbox.put(Delivery(clip, message.mid, message.qos))

    def _intake_loop(self) -> None:
        while (first := self._inbox.get()) is not None:
            batch = [first]
            while len(batch) < GROUP_COMMIT_MAX:
                try:
                    item = self._inbox.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    self._inbox.put(None)  # stop after this batch
                    break
                batch.append(item)
            self._settle(batch)

    def _settle(self, batch: list[Delivery]) -> None:
        try:
            acks = self.intake.accept_many([d.clip for d in batch])
        except Exception:
            # Disk full, database down: the clips are fine, we are not. No ack: the booths
            # keep the clips and resend. The PUBACKs still go out so sessions do not stall.
            metrics.CLIPS_DEFERRED.inc(len(batch))
            log.exception("could not store %d clip(s); the booths will resend", len(batch))
            acks = []
        if acks and len(acks) != len(batch):  # never pair an ack with the wrong clip
            log.error("intake answered %d of %d clips; acking none", len(acks), len(batch))
            acks = []
        for delivery, ack in zip(batch, acks, strict=True) if acks else ():
            try:
                booth_id, _ = self.topics.parse(delivery.clip.topic)
            except ValueError:
                log.warning("no ack possible on malformed topic %s", delivery.clip.topic)
            else:
                self.client.publish(self.topics.booth(booth_id, Channel.ACKS), ack.encode(), qos=1)
        for delivery in batch:
            self.client.ack(delivery.mid, delivery.qos)
