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

from booth.remote_config import PromptUnavailable
from booth.settings import BoothSettings
from booth.spool import Spool
from shared.errors import ProtocolError
from shared.messages import Ack, AckStatus, BoothState, BoothStatus
from shared.mqtt import Connection, Message, Will
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
        self.connection = Connection(
            self.address,
            settings.id,
            ca_file=settings.mqtt_ca_file,
            session_expiry_s=SESSION_EXPIRY_S,
            # A random first delay keeps a fleet from reconnecting in step after a broker
            # restart; paho doubles it on each failure up to the cap.
            reconnect_s=(random.randint(1, 4), 60),
            will=Will(
                self.topics.booth(settings.id, Channel.STATUS),
                BoothStatus(state=BoothState.OFFLINE).encode(),
            ),
        )
        self.connection.on_up = self._on_connect
        self.connection.on_down = lambda: log.warning("lost the broker; clips wait in the spool")
        self.connection.on_refused = self._on_refused
        self.connection.route(self.topics.booth(settings.id, Channel.ACKS), self._on_ack_message)
        # Not shared: mosquitto sends retained messages only to normal subscriptions.
        self.connection.route(
            self.topics.booth(settings.id, Channel.CONFIG), self._on_config_message
        )
        # Called with each config payload (on the network thread; must not block).
        self.on_config: Callable[[bytes], None] = lambda _payload: None
        self.connected = self.connection.connected
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
        self.connection.start()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=5)
        # The broker drops the last will on a clean disconnect: say "offline" ourselves.
        if self.connected.is_set():
            sent = self.connection.publish(
                self.topics.booth(self.settings.id, Channel.STATUS),
                BoothStatus(state=BoothState.OFFLINE).encode(),
                qos=1,
                retain=True,
            )
            if not sent.wait(2):  # the connection went meanwhile; the will covers it
                log.warning("offline status not confirmed by the broker")
        self.connection.stop()

    def wake(self) -> None:
        """Something new is in the spool."""
        self._wake.set()

    def publish_status(self, status: BoothStatus) -> None:
        if self.connected.is_set():
            self.connection.publish(
                self.topics.booth(self.settings.id, Channel.STATUS),
                status.encode(),
                qos=1,
                retain=True,
            )

    def fetch_prompt(self, sha256: str, timeout: float = PROMPT_TIMEOUT_S) -> bytes:
        """A theme prompt, retained at the broker under its hash (off the network thread):
        subscribing asks for it, the retained message is the answer."""
        topic = self.topics.prompt(sha256)
        if not self.connected.wait(timeout):
            raise PromptUnavailable("not connected to the broker")
        deadline = time.monotonic() + timeout
        with self.connection.subscription(topic) as messages:
            while (left := deadline - time.monotonic()) > 0:
                try:
                    message = messages.get(timeout=left)
                except queue.Empty:
                    break
                if message.payload:  # an empty retained message deletes, it is no prompt
                    return message.payload
        raise PromptUnavailable(f"not at the broker after {timeout:.0f} s ({topic})")

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

    # the network thread ----------------------------------------------------------------

    def _on_refused(self, reason: str) -> None:
        self.last_error = f"broker refused connection: {reason}"

    def _on_connect(self) -> None:
        self._wake.set()
        log.info("connected to %s", self.address)

    def _on_ack_message(self, message: Message) -> None:
        try:
            self._acks.put(Ack.decode(message.payload))
        except ProtocolError as exc:
            log.error("ignoring malformed ack: %s", exc)
        self._wake.set()

    def _on_config_message(self, message: Message) -> None:
        if message.payload:
            self.on_config(message.payload)

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
            sent = self.connection.publish_clip(
                self.topics.booth(self.settings.id, Channel.CLIPS),
                self.spool.read_audio(clip),
                clip.meta,
            )
            if not sent:
                return  # disconnected meanwhile; try again once connected
            self.counts["resent" if sent_at is not None else "sent"] += 1
            self._inflight[clip_id] = now
