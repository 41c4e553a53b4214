"""Store-and-forward to ingest: sends spooled clips, settles them on ingest's acks.

A clip leaves the spool only when ingest acked it `stored` (deleted) or `rejected`
(quarantined with the reason). A clip whose ack does not come in time is sent again;
ingest is idempotent on the clip id, so a resend never makes a second copy. A clip refused
`rate_limited` (the booth sent faster than ingest takes from one booth) is no fault of the
clip: it stays in the spool and sending pauses, longer each time in a row.
"""

import logging
import queue
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.reasoncodes import ReasonCode

from booth.remote_config import PromptUnavailable
from booth.settings import BoothSettings
from booth.spool import Spool
from shared.broker import make_client, start_persistent, stop_loop
from shared.errors import ProtocolError
from shared.messages import Ack, AckStatus, BoothState, BoothStatus
from shared.topics import Channel, Topics

log = logging.getLogger(__name__)

SESSION_EXPIRY_S = 7 * 86_400  # acks that arrive while the booth is offline wait at the broker
RATE_LIMITED = "rate_limited"  # shared.errors.RejectReason.RATE_LIMITED
BACKOFF_FIRST_S = 20.0  # about one clip's worth at ingest's default pace
BACKOFF_MAX_S = 600.0
PROMPT_TIMEOUT_S = 30.0  # a 60-s prompt is 2 MB: seconds even on a slow mobile link


class Uplink:
    def __init__(self, settings: BoothSettings, spool: Spool) -> None:
        self.settings = settings
        self.spool = spool
        self.topics = Topics(settings.topic_prefix)
        self.address = settings.broker_address()
        self.client = make_client(self.address, settings.id, ca_file=settings.mqtt_ca_file)
        # A random first delay keeps a fleet from reconnecting in step after a broker restart;
        # paho doubles it on each failure up to the cap.
        self.client.reconnect_delay_set(min_delay=random.randint(1, 4), max_delay=60)
        self.client.will_set(
            self.topics.booth(settings.id, Channel.STATUS),
            BoothStatus(state=BoothState.OFFLINE).encode(),
            qos=1,
            retain=True,
        )
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.message_callback_add(
            self.topics.booth(settings.id, Channel.ACKS), self._on_ack_message
        )
        self.client.message_callback_add(
            self.topics.booth(settings.id, Channel.CONFIG), self._on_config_message
        )
        self.client.message_callback_add(self.topics.prompts(), self._on_prompt_message)
        self._prompt_waiters: dict[str, queue.Queue[bytes]] = {}
        self._prompt_lock = threading.Lock()
        # Called with each config payload (on paho's thread; must not block).
        self.on_config: Callable[[bytes], None] = lambda _payload: None
        self.connected = threading.Event()
        self.counts: Counter[str] = Counter()  # sent, resent, stored, rejected
        self.last_error: str | None = None
        self._acks: queue.Queue[Ack] = queue.Queue()
        self._inflight: dict[str, float] = {}  # clip id -> when sent
        self._backoff_s = 0.0  # the pause after the last `rate_limited`; 0 once one is stored
        self._paused_until = 0.0  # monotonic: send nothing before
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="uplink", daemon=True)
        self.settled = threading.Condition()

    def start(self) -> None:
        start_persistent(self.client, self.address, SESSION_EXPIRY_S)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=5)
        # The broker drops the last will on a clean disconnect: say "offline" ourselves.
        if self.connected.is_set():
            info = self.client.publish(
                self.topics.booth(self.settings.id, Channel.STATUS),
                BoothStatus(state=BoothState.OFFLINE).encode(),
                qos=1,
                retain=True,
            )
            try:
                info.wait_for_publish(timeout=2)
            except RuntimeError as exc:  # the connection went meanwhile; the will covers it
                log.warning("offline status not sent: %s", exc)
        self.client.disconnect()
        stop_loop(self.client)

    def wake(self) -> None:
        """Something new is in the spool."""
        self._wake.set()

    def publish_status(self, status: BoothStatus) -> None:
        if self.connected.is_set():
            self.client.publish(
                self.topics.booth(self.settings.id, Channel.STATUS),
                status.encode(),
                qos=1,
                retain=True,
            )

    def fetch_prompt(self, sha256: str, timeout: float = PROMPT_TIMEOUT_S) -> bytes:
        """A theme prompt, retained at the broker under its hash (off paho's thread)."""
        topic = self.topics.prompt(sha256)
        box: queue.Queue[bytes] = queue.Queue(maxsize=1)
        with self._prompt_lock:
            self._prompt_waiters[topic] = box
        try:
            if not self.connected.wait(timeout):
                raise PromptUnavailable("not connected to the broker")
            self.client.subscribe(topic, qos=1)
            try:
                return box.get(timeout=timeout)
            except queue.Empty:
                raise PromptUnavailable(
                    f"not at the broker after {timeout:.0f} s ({topic})"
                ) from None
        finally:
            with self._prompt_lock:
                del self._prompt_waiters[topic]
            self.client.unsubscribe(topic)

    def wait_until_empty(self, timeout: float) -> bool:
        """Block until the spool holds nothing more to send (tests and simulations)."""
        deadline = time.monotonic() + timeout
        with self.settled:
            while self.spool.depth():
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.settled.wait(min(left, 0.5))
        return True

    # paho's thread ---------------------------------------------------------------------

    def _on_connect(
        self, client: mqtt.Client, _userdata: Any, _flags: Any, reason: ReasonCode, _props: Any
    ) -> None:
        if reason.is_failure:
            self.last_error = f"broker refused connection: {reason}"
            log.error("%s", self.last_error)
            return
        client.subscribe(
            [
                (self.topics.booth(self.settings.id, Channel.ACKS), 1),
                # Not shared: mosquitto sends retained messages only to normal subscriptions.
                (self.topics.booth(self.settings.id, Channel.CONFIG), 1),
            ]
        )
        self.connected.set()
        self._wake.set()
        log.info("connected to %s", self.address)

    def _on_disconnect(self, *_args: Any) -> None:
        self.connected.clear()
        if not self._stop.is_set():
            log.warning("lost the broker; clips wait in the spool")

    def _on_ack_message(self, _client: mqtt.Client, _userdata: Any, message: Any) -> None:
        try:
            self._acks.put(Ack.decode(message.payload))
        except ProtocolError as exc:
            log.error("ignoring malformed ack: %s", exc)
        self._wake.set()

    def _on_prompt_message(self, _client: mqtt.Client, _userdata: Any, message: Any) -> None:
        with self._prompt_lock:
            box = self._prompt_waiters.get(message.topic)
        if box is not None and message.payload and box.empty():
            box.put_nowait(bytes(message.payload))

    def _on_config_message(self, _client: mqtt.Client, _userdata: Any, message: Any) -> None:
        if message.payload:
            self.on_config(bytes(message.payload))

    # our thread ------------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._settle_acks()
                if self.connected.is_set():
                    self._send_due()
            except Exception as exc:
                self.last_error = str(exc)
                log.exception("uplink error; going on")
            self._wake.wait(0.5)
            self._wake.clear()

    def _settle_acks(self) -> None:
        while True:
            try:
                ack = self._acks.get_nowait()
            except queue.Empty:
                return
            clip_id = str(ack.clip_id) if ack.clip_id else None
            if clip_id is None:
                log.error("rejection without clip id: %s %s", ack.reason, ack.detail)
                continue
            self._inflight.pop(clip_id, None)
            if ack.status is AckStatus.STORED:
                self.spool.delete(clip_id)
                self.counts["stored"] += 1
                self._backoff_s = 0.0
                log.info("clip %s stored by ingest", clip_id)
            elif ack.reason == RATE_LIMITED:
                self._back_off(clip_id, ack.detail)
            else:
                self.spool.quarantine(clip_id, f"{ack.reason}: {ack.detail}")
                self.counts["rejected"] += 1
                self.last_error = f"clip {clip_id} rejected: {ack.reason}"
                log.error("clip %s rejected (%s: %s); quarantined", clip_id, ack.reason, ack.detail)
            with self.settled:
                self.settled.notify_all()

    def _back_off(self, clip_id: str, detail: str | None) -> None:
        """Keep the clip; pause sending, doubling the pause while refusals go on (with
        jitter, so a fleet does not come back in step)."""
        self.counts["deferred"] += 1
        self._backoff_s = min(BACKOFF_MAX_S, max(BACKOFF_FIRST_S, self._backoff_s * 2))
        pause = self._backoff_s * random.uniform(0.75, 1.0)
        self._paused_until = max(self._paused_until, time.monotonic() + pause)
        log.warning("clip %s deferred by ingest (%s); pausing %.0f s", clip_id, detail, pause)

    def _send_due(self) -> None:
        now = time.monotonic()
        if now < self._paused_until:
            return
        for clip in self.spool.pending():
            clip_id = str(clip.meta.clip_id)
            sent_at = self._inflight.get(clip_id)
            if sent_at is not None and now - sent_at < self.settings.ack_timeout_s:
                continue
            fresh = sum(1 for t in self._inflight.values() if now - t < self.settings.ack_timeout_s)
            if fresh >= self.settings.send_window:
                return
            info = self.client.publish(
                self.topics.booth(self.settings.id, Channel.CLIPS),
                self.spool.read_audio(clip),
                qos=1,
                properties=clip.meta.to_properties(),
            )
            if info.rc != mqtt.MQTT_ERR_SUCCESS:
                return  # disconnected meanwhile; try again once connected
            self.counts["resent" if sent_at is not None else "sent"] += 1
            self._inflight[clip_id] = now
