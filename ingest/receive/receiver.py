"""MQTT side of ingest: joins the shared clips subscription, hands clips to the intake, acks."""

import logging
import queue
import threading
from dataclasses import dataclass

from ingest import metrics
from ingest.fleet.booths import Fleet
from ingest.receive.intake import InboundClip, Intake
from ingest.settings import IngestSettings
from ingest.watchdog import NO_WATCHDOG, CheckIn
from shared.mqtt import Connection, Message
from shared.topics import Channel, Topics

log = logging.getLogger(__name__)


# Clips taken off the inbox together share one database commit.
GROUP_COMMIT_MAX = 64
# An idle intake loop still turns this often, to tell the watchdog it is not stuck.
TURN_S = 1.0


@dataclass(frozen=True)
class Delivery:
    clip: InboundClip
    message: Message  # acked once the clip is settled


@dataclass(frozen=True)
class StatusMessage:
    topic: str
    payload: bytes
    retained: bool  # replayed by the broker on subscribe, not sent just now


class Receiver:
    """The connection's network thread only queues (clips to the intake thread, statuses to
    the fleet thread): it never waits on the database. The intake thread takes whatever has queued,
    stores it with one commit, then acks each."""

    def __init__(
        self,
        settings: IngestSettings,
        intake: Intake,
        fleet: Fleet,
        alive: CheckIn = NO_WATCHDOG,
    ) -> None:
        """`alive`: called on every turn of the intake loop (ingest.watchdog)."""
        self.settings = settings
        self.alive = alive
        self.intake = intake
        self.fleet = fleet
        self.topics = Topics(settings.topic_prefix)
        # The broker's PUBACK waits until the clip is durable (manual ack), so a receiver that
        # dies mid-clip leaves the message with the broker for redelivery. A persistent
        # session: while ingest restarts, the broker queues clips for it.
        self.address = settings.broker_address()
        self.connection = Connection(
            self.address,
            settings.mqtt_client_id,
            ca_file=settings.mqtt_ca_file,
            manual_ack=True,
            session_expiry_s=settings.mqtt_session_expiry_s,
        )
        self.connected = self.connection.connected
        self.connection.on_up = self._on_connect
        self.connection.on_down = lambda: log.warning("disconnected from broker; paho reconnects")
        self.connection.route(self.topics.shared_clips(), self._on_message)
        self.connection.route(self.topics.all_booths(Channel.STATUS), self._on_status)
        self._inbox: queue.Queue[Delivery | None] = queue.Queue()
        self.received = 0  # clips this receiver was handed by the broker
        self._intake_thread = threading.Thread(target=self._intake_loop, name="intake")
        self._statuses: queue.Queue[StatusMessage | None] = queue.Queue()
        self._fleet_thread = threading.Thread(target=self._fleet_loop, name="fleet")
        self.status_replayed = threading.Event()  # a retained status was recorded
        self._stopping = threading.Event()
        self._republishers: list[threading.Thread] = []

    def start(self) -> None:
        self.connection.start()
        self._intake_thread.start()
        self._fleet_thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self.connection.disconnect()
        self._inbox.put(None)
        self._statuses.put(None)
        for thread in (self._intake_thread, self._fleet_thread, *self._republishers):
            if thread.is_alive():
                thread.join(timeout=20)
        self.connection.stop()

    def _on_connect(self) -> None:
        log.info("receiving on %s", self.topics.shared_clips())
        # Off the network thread, which must go on to carry the acks of what it publishes;
        # joined by stop(), so nothing of it outlives the receiver.
        self._republishers = [t for t in self._republishers if t.is_alive()]
        thread = threading.Thread(target=self._republish_configs, name="republish", daemon=True)
        self._republishers.append(thread)
        thread.start()

    def publish_config(self, booth_id: str, payload: bytes) -> None:
        self._publish_acked(self.topics.booth(booth_id, Channel.CONFIG), payload)

    def publish_prompt(self, sha256: str, wav: bytes) -> None:
        self._publish_acked(self.topics.prompt(sha256), wav)

    def _publish_acked(self, topic: str, payload: bytes, timeout_s: float = 10.0) -> None:
        """Retained at QoS 1; returns once the broker acknowledged it, raises otherwise (so
        the fleet does not count a config as sent that the broker never took)."""
        sent = self.connection.publish(topic, payload, qos=1, retain=True)
        if not sent.wait(timeout_s):
            raise ConnectionError(f"the broker did not acknowledge {topic} in {timeout_s:.0f} s")

    def _republish_configs(self) -> None:
        if self._stopping.is_set():
            return
        try:
            self.fleet.publish_configs(again=True)
        except Exception:
            log.exception("could not publish booth configs")

    def _on_status(self, message: Message) -> None:
        self._statuses.put(StatusMessage(message.topic, message.payload, message.retain))
        self.connection.ack(message)  # a status is never worth a redelivery

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

    def _on_message(self, message: Message) -> None:
        clip = InboundClip(message.topic, message.payload, message.fields, message.fault)
        self.received += 1
        metrics.CLIPS_RECEIVED.inc()
        self._inbox.put(Delivery(clip, message))

    def _intake_loop(self) -> None:
        while True:
            self.alive()
            try:
                first = self._inbox.get(timeout=TURN_S)
            except queue.Empty:
                continue
            if first is None:
                return
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
                self.connection.publish(
                    self.topics.booth(booth_id, Channel.ACKS), ack.encode(), qos=1
                )
        for delivery in batch:
            self.connection.ack(delivery.message)
