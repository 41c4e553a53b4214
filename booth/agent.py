"""The booth agent: carries out the call machine's actions and feeds it events.

Hardware callbacks (gpiozero), audio threads (sounddevice) and timers all reach the call
machine through `post`, the one bridge into the agent's loop; only that loop touches the
call state. Processing a finished message (VAD trim, encode, spool) runs on a worker thread,
so the next caller can lift the receiver at once.
"""

import logging
import queue
import secrets
import shutil
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np

from booth import __version__, codec, vad
from booth.audio import AudioPort
from booth.call import (
    Action,
    Call,
    CancelTimers,
    Event,
    Phase,
    Play,
    PlaybackDone,
    Rules,
    SilenceDetected,
    Sound,
    StartRecording,
    StartTimer,
    StopPlayback,
    StopRecording,
    Timer,
    TimerFired,
    handle,
)
from booth.errors import SpoolFull
from booth.remote_config import ConfigCache, ConfigRefused
from booth.settings import BoothSettings
from booth.sounds import PromptLibrary, Samples
from booth.spool import Spool, SpooledClip
from booth.uplink import Uplink
from booth.watchdog import Watchdog
from shared.clip import ClipMeta, format_time, sha256_hex
from shared.messages import BoothConfig, BoothState, BoothStatus

log = logging.getLogger(__name__)


@dataclass
class Recording:
    call: int
    theme: str
    neighborhood: str
    config_version: int
    started_at: datetime
    receipt: str
    blocks: list[Samples] = field(default_factory=list)
    silence: vad.SilenceWatch | None = None
    silence_posted: bool = False


class Agent:
    def __init__(
        self,
        settings: BoothSettings,
        audio: AudioPort,
        spool: Spool,
        uplink: Uplink | None = None,
        prompts: PromptLibrary | None = None,
    ) -> None:
        self.settings = settings
        self.audio = audio
        self.spool = spool
        self.uplink = uplink
        self.config_cache = ConfigCache(settings.config_dir)
        self.prompts = prompts or PromptLibrary(self.config_cache.prompts)
        self.call = Call()
        self.config: BoothConfig | None = self.config_cache.load()
        self._pending_config: BoothConfig | None = None
        self.config_applied = threading.Event()  # set each time a remote config takes effect
        self._config_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="config")
        self.counts: Counter[str] = Counter()  # calls, spooled, discarded_no_speech, ...
        self.last_call_at: datetime | None = None
        self.last_error: str | None = None
        self._events: queue.Queue[Event | Callable[[], None]] = queue.Queue()
        self._timers: dict[Timer, tuple[float, int]] = {}
        self._recording: Recording | None = None
        self._receipt: str | None = None
        self._processing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="process")
        self._started = time.monotonic()
        self._phase_changed = threading.Condition()
        self.spooled: list[SpooledClip] = []
        self.watchdog = Watchdog()
        self.on_phase: list[Callable[[Phase], None]] = []  # called from the loop

    # The bridge -----------------------------------------------------------------------

    def post(self, event: Event) -> None:
        """Thread-safe: hand an event to the agent's loop."""
        self._events.put(event)

    def run(self, stop: threading.Event) -> None:
        self._publish_status()
        self.watchdog.ready()
        next_heartbeat = time.monotonic() + self.settings.heartbeat_s
        while not stop.is_set():
            self.watchdog.ping()
            timeout = min(self._next_deadline(), next_heartbeat, time.monotonic() + 0.2)
            try:
                item = self._events.get(timeout=max(0.0, timeout - time.monotonic()))
            except queue.Empty:
                pass
            else:
                if callable(item):
                    item()
                else:
                    self._dispatch(item)
            self._fire_due_timers()
            if time.monotonic() >= next_heartbeat:
                self._publish_status()
                next_heartbeat = time.monotonic() + self.settings.heartbeat_s
        self.watchdog.stopping()
        self.audio.close()
        self._processing.shutdown(wait=True)
        self._config_worker.shutdown(wait=False, cancel_futures=True)

    # Observing (simulations, tests, status) --------------------------------------------

    def wait_for(self, phases: Iterable[Phase], timeout: float) -> bool:
        wanted = set(phases)
        with self._phase_changed:
            return self._phase_changed.wait_for(lambda: self.call.phase in wanted, timeout)

    def wait_idle_processing(self, timeout: float) -> bool:
        """Block until every event posted so far is handled and every message it handed to
        processing is spooled or discarded."""
        done: Future[None] = Future()

        def behind_the_queue() -> None:  # runs on the loop, after the events before it
            self._processing.submit(done.set_result, None)

        self._events.put(behind_the_queue)
        try:
            done.result(timeout)
        except TimeoutError:
            return False
        return True

    @property
    def config_version(self) -> int:
        return self.config.version if self.config else 0

    @property
    def neighborhood(self) -> str:
        return self.config.neighborhood if self.config else self.settings.neighborhood

    def rules(self) -> Rules:
        s = self.settings
        if self.config is not None:
            digits = {t.digit: t.slug for t in self.config.themes if t.digit is not None}
            default_theme, max_s = self.config.default_theme, self.config.max_recording_s
        else:
            digits, default_theme, max_s = dict(s.theme_digits), s.theme, s.max_recording_s
        return Rules(
            default_theme=default_theme,
            theme_digits=digits,
            consent_key=s.consent_key,
            consent_timeout_s=s.consent_timeout_s,
            choice_timeout_s=s.choice_timeout_s,
            max_recording_s=max_s,
            out_of_order=self.spool.full,
        )

    # Remote config ----------------------------------------------------------------------

    def offer_config(self, payload: bytes) -> None:
        """Thread-safe: a config message arrived. Checked and its prompts fetched off the
        loop; applied by the loop once no call is in progress."""
        self._config_worker.submit(self._check_config, payload)

    def _check_config(self, payload: bytes) -> None:
        try:
            config = self.config_cache.accept(payload, self.config_version)
        except ConfigRefused as exc:
            log.error("config refused, keeping version %d: %s", self.config_version, exc)
            reason = str(exc)

            def refuse() -> None:
                self.last_error = reason
                self._publish_status()

            self._events.put(refuse)
            return
        self._events.put(lambda: self._stage_config(config))

    def _stage_config(self, config: BoothConfig) -> None:
        self._pending_config = config
        if not self.call.active:
            self._apply_config()

    def _apply_config(self) -> None:
        config, self._pending_config = self._pending_config, None
        if config is None:
            return
        self.config = config
        self.last_error = None
        self.prompts.forget()
        self.config_applied.set()
        log.info(
            "config version %d applied: themes %s", config.version, [t.slug for t in config.themes]
        )
        self._publish_status()

    def status(self) -> BoothStatus:
        if self.spool.full:
            state = BoothState.OUT_OF_ORDER
        elif self.call.active:
            state = BoothState.IN_CALL
        else:
            state = BoothState.IDLE
        return BoothStatus(
            state=state,
            disk_free_bytes=shutil.disk_usage(self.spool.outbox).free,
            version=__version__,
            uptime_s=round(time.monotonic() - self._started, 1),
            spool_clips=self.spool.depth(),
            spool_bytes=self.spool.used_bytes(),
            last_call_at=format_time(self.last_call_at) if self.last_call_at else None,
            config_version=self.config_version,
            last_error=self.last_error or (self.uplink.last_error if self.uplink else None),
        )

    # The loop's work ------------------------------------------------------------------

    def _dispatch(self, event: Event) -> None:
        before = self.call
        self.call, actions = handle(self.call, event, self.rules())
        for action in actions:
            self._do(action)
        if self.call.phase is not before.phase:
            log.debug("call %d: %s -> %s", self.call.number, before.phase, self.call.phase)
            if self.call.number != before.number:
                self.counts["calls"] += 1
                self.last_call_at = datetime.now(UTC)
            if self.call.phase is Phase.IDLE and self._pending_config is not None:
                self._apply_config()  # between calls, never during one
            if before.phase is Phase.IDLE or self.call.phase is Phase.IDLE:
                self._publish_status()
            for observer in self.on_phase:
                observer(self.call.phase)
            with self._phase_changed:
                self._phase_changed.notify_all()

    def _do(self, action: Action) -> None:
        number = self.call.number
        match action:
            case Play(sound=sound, theme=theme):
                receipt = self._receipt if sound is Sound.THANKS else None
                samples = self.prompts.sound(sound, theme, receipt)
                self.audio.play(samples, lambda: self.post(PlaybackDone(number)))
            case StopPlayback():
                self.audio.stop_playback()
            case StartRecording(theme=theme):
                self._start_recording(number, theme)
            case StopRecording():
                self._stop_recording()
            case StartTimer(timer=timer, seconds=seconds):
                self._timers[timer] = (time.monotonic() + seconds, number)
            case CancelTimers():
                self._timers.clear()

    def _start_recording(self, number: int, theme: str) -> None:
        self._receipt = "".join(
            secrets.choice("0123456789") for _ in range(self.settings.receipt_digits)
        )
        recording = Recording(
            call=number,
            theme=theme,
            neighborhood=self.neighborhood,
            config_version=self.config_version,
            started_at=datetime.now(UTC),
            receipt=self._receipt,
            silence=vad.SilenceWatch(self.settings.silence_timeout_s),
        )
        self._recording = recording

        def on_block(block: Samples) -> None:  # the audio backend's thread
            recording.blocks.append(block)
            if recording.silence and recording.silence.feed(block) and not recording.silence_posted:
                recording.silence_posted = True
                self.post(SilenceDetected(recording.call))

        self.audio.start_capture(on_block)

    def _stop_recording(self) -> None:
        self.audio.stop_capture()
        recording, self._recording = self._recording, None
        if recording is not None:
            self._processing.submit(self._process, recording)

    def _next_deadline(self) -> float:
        return min((deadline for deadline, _ in self._timers.values()), default=float("inf"))

    def _fire_due_timers(self) -> None:
        now = time.monotonic()
        for timer, (deadline, number) in list(self._timers.items()):
            if deadline <= now:
                del self._timers[timer]
                self._dispatch(TimerFired(timer, number))

    # Off the call path ----------------------------------------------------------------

    def _process(self, recording: Recording) -> None:
        """Trim, encode and spool one message. Runs on the processing thread."""
        try:
            raw = np.concatenate(recording.blocks) if recording.blocks else np.zeros(0, np.int16)
            trimmed = vad.trim(raw)
            if trimmed.speech_s < self.settings.min_speech_s:
                self.counts["discarded_no_speech"] += 1
                log.info(
                    "call %d: %.2f s of speech is too little; nothing kept",
                    recording.call,
                    trimmed.speech_s,
                )
                return
            audio = codec.encode(
                trimmed.samples,
                self.settings.codec,
                prefer_pyav=self.settings.opus_encoder == "pyav",
            )
            meta = ClipMeta(
                clip_id=uuid.uuid4(),
                booth_id=self.settings.id,
                neighborhood=recording.neighborhood,
                theme=recording.theme,
                recorded_at=recording.started_at,
                duration_ms=codec.duration_ms(trimmed.samples),
                sha256=sha256_hex(audio),
                content_type=self.settings.codec.content_type,
                config_version=recording.config_version,
                receipt=recording.receipt,
            )
            self.spooled.append(self.spool.put(meta, audio))
            self.counts["spooled"] += 1
            log.info(
                "call %d: clip %s spooled (%d bytes)", recording.call, meta.clip_id, len(audio)
            )
        except SpoolFull as exc:
            self.last_error = str(exc)
            log.error("spool full, booth out of order: %s", exc)
        except Exception as exc:
            self.last_error = f"processing failed: {exc}"
            log.exception("call %d: processing failed", recording.call)
        if self.uplink is not None:
            self.uplink.wake()
        self._events.put(self._publish_status)

    def _publish_status(self) -> None:
        if self.uplink is not None:
            self.uplink.publish_status(self.status())
