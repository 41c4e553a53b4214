"""The booth agent: carries out the call machine's actions and feeds it events.

Hardware callbacks (gpiozero), audio threads (sounddevice) and timers all reach the call
machine through `post`, the one bridge into the agent's loop; only that loop touches the
call state and the booth's counts. Processing a finished message (VAD trim, encode, spool)
runs on a worker thread, so the next caller can lift the receiver at once, and reports its
outcome back through the loop. The sound card's health (`booth.audio_health`) and remote
config on its way in (`booth.config_staging`) are parts of their own; time comes from the
`Clock` given, as for the hardware.
"""

import logging
import queue
import secrets
import shutil
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from booth import __version__, vad
from booth.audio import AudioPort
from booth.audio_health import AudioHealth
from booth.board import board_health
from booth.call import (
    Action,
    AudioFailed,
    Call,
    CancelTimer,
    CancelTimers,
    Event,
    Phase,
    Play,
    PlaybackDone,
    Rules,
    SilenceDetected,
    Sound,
    SpeechHeard,
    StartRecording,
    StartTimer,
    StopPlayback,
    StopReason,
    StopRecording,
    handle,
)
from booth.clock import Clock, SystemClock, clock_set_since_boot
from booth.config_staging import ConfigStaging
from booth.errors import AudioDeviceError, SpoolFull
from booth.processing import Message, Processor
from booth.remote_config import ConfigCache, PromptUnavailable
from booth.settings import BoothSettings
from booth.sounds import RATE, PromptLibrary, Samples
from booth.spool import Spool
from booth.tape import Tape, tape_folder
from booth.timers import CallTimers
from booth.uplink import Uplink
from booth.watchdog import Watchdog
from shared.clip import format_time
from shared.messages import BoothConfig, BoothState, BoothStatus

log = logging.getLogger(__name__)


@dataclass
class Recording:
    message: Message
    silence: vad.SilenceWatch
    speech_posted: bool = False
    silence_posted: bool = False


class Outcome(StrEnum):
    """What processing made of a message; counted by the loop."""

    SPOOLED = "spooled"
    DISCARDED_NO_SPEECH = "discarded_no_speech"
    FAILED = "processing_failed"


class Agent:
    def __init__(
        self,
        settings: BoothSettings,
        audio: AudioPort,
        spool: Spool,
        uplink: Uplink | None = None,
        prompts: PromptLibrary | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.clock: Clock = clock or SystemClock()
        self.settings = settings
        self.audio = audio
        self.spool = spool
        self.uplink = uplink
        self.config_cache = ConfigCache(settings.config_dir)
        self.prompts = prompts or PromptLibrary(self.config_cache.prompts)
        self.prompts.consent_key = settings.consent_key
        self.processor = Processor(settings, spool)
        self.tapes = settings.state_dir / "tapes"
        self.call = Call()
        self.config: BoothConfig | None = self.config_cache.load()
        if self.config is not None:
            self.prompts.theme_prompts = _theme_prompts(self.config)
        self._events: queue.Queue[Event | Callable[[], None]] = queue.Queue()
        self.staging = ConfigStaging(
            self.config_cache, lambda: self.config, self._fetch_prompt, self._events.put
        )
        self.staging.on_staged = self._config_staged
        self.staging.on_refused = self._config_refused
        self.config_applied = threading.Event()  # set each time a remote config takes effect
        # calls, spooled, discarded_no_speech, ...: written by the loop only
        self.counts: Counter[str] = Counter()
        self.last_call_at: datetime | None = None
        self.last_error: str | None = None
        self.health = AudioHealth(self.clock, settings.audio_stall_s, settings.audio_retry_max_s)
        self._plays = 0  # counts sounds started or stopped: which "done" is current
        self._timers = CallTimers(self.clock.now)
        self._recording: Recording | None = None
        self._receipt: str | None = None
        self._processing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="process")
        self._started = self.clock.now()
        self._phase_changed = threading.Condition()
        self.watchdog = Watchdog()
        # Called from the loop with the call's phase and the booth's state (the LED).
        self.on_change: list[Callable[[Phase, BoothState], None]] = []

    # The bridge -----------------------------------------------------------------------

    def post(self, event: Event) -> None:
        """Thread-safe: hand an event to the agent's loop."""
        self._events.put(event)

    def run(self, stop: threading.Event) -> None:
        self._forget_old_tapes()
        try:
            self.audio.probe()
        except AudioDeviceError as exc:  # no card at boot: out of order until it comes
            self._audio_failed(str(exc))
        self._publish_status()
        self.watchdog.ready()
        next_heartbeat = self.clock.now() + self.settings.heartbeat_s
        try:
            while not stop.is_set():
                self.watchdog.ping()
                timeout = min(self._next_deadline(), next_heartbeat, self.clock.now() + 0.2)
                try:
                    item = self._events.get(timeout=max(0.0, timeout - self.clock.now()))
                except queue.Empty:
                    pass
                else:
                    if callable(item):
                        item()
                    else:
                        self._dispatch(item)
                self._fire_due_timers()
                self._watch_audio()
                if self.clock.now() >= next_heartbeat:
                    self.spool.purge_quarantine(self.settings.quarantine_keep_days * 86_400)
                    self._publish_status()
                    next_heartbeat = self.clock.now() + self.settings.heartbeat_s
        finally:
            self.watchdog.stopping()
            self.audio.close()
            self._processing.shutdown(wait=True)
            self.staging.close()

    # Observing (simulations, tests, status) --------------------------------------------

    def wait_for(self, phases: Iterable[Phase], timeout: float) -> bool:
        wanted = set(phases)
        with self._phase_changed:
            return self._phase_changed.wait_for(lambda: self.call.phase in wanted, timeout)

    def wait_idle(self, timeout: float) -> bool:
        """Block until every event posted so far is handled (the timers due then are fired
        right after; a second call waits for those too)."""
        done: Future[None] = Future()
        self._events.put(lambda: done.set_result(None))
        try:
            done.result(timeout)
        except TimeoutError:
            return False
        return True

    def wait_idle_processing(self, timeout: float) -> bool:
        """Block until every event posted so far is handled and every message it handed to
        processing is spooled or discarded, and counted by the loop."""
        done: Future[None] = Future()

        def counted() -> None:  # on the loop again, after processing's outcomes
            done.set_result(None)

        def behind_the_queue() -> None:  # runs on the loop, after the events before it
            self._processing.submit(self._events.put, counted)

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

    @property
    def audio_fault(self) -> str | None:
        """Why the sound card counts as failed (retried with backoff); None: in order."""
        return self.health.fault

    @property
    def out_of_order(self) -> bool:
        return self.spool.full or self.audio_fault is not None

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
            no_speech_timeout_s=s.no_speech_timeout_s,
            off_hook_after_s=s.off_hook_after_s,
            greeting_delay_s=s.greeting_delay_ms / 1000,
            out_of_order=self.out_of_order,
        )

    # Remote config ----------------------------------------------------------------------

    def offer_config(self, payload: bytes) -> None:
        """Thread-safe: a config message arrived. Checked and its prompts fetched off the
        loop; applied by the loop once no call is in progress."""
        self.staging.offer(payload)

    def _fetch_prompt(self, sha256: str) -> bytes:
        if self.uplink is None:
            raise PromptUnavailable("no broker connection")
        return self.uplink.fetch_prompt(sha256)

    def _config_refused(self, reason: str) -> None:
        self.last_error = reason
        self._publish_status()

    def _config_staged(self) -> None:
        if not self.call.active:
            self._apply_config()

    def _apply_config(self) -> None:
        staged = self.staging.take()
        if staged is None:
            return
        config, problems = staged
        self.config = config
        self.last_error = self.audio_fault or "; ".join(problems) or None
        self.prompts.theme_prompts = _theme_prompts(config)
        self.config_cache.forget_unused(config)
        self.config_applied.set()
        log.info(
            "config version %d applied: themes %s", config.version, [t.slug for t in config.themes]
        )
        self._publish_status()

    def state(self) -> BoothState:
        if self.audio_fault is not None:
            return BoothState.OUT_OF_ORDER
        if self.spool.full:  # the booth works, and sends: only new messages have no room
            return BoothState.DEGRADED
        if self.call.phase is Phase.OFF_HOOK:
            return BoothState.OFF_HOOK
        return BoothState.IN_CALL if self.call.active else BoothState.IDLE

    def status(self) -> BoothStatus:
        return BoothStatus(
            state=self.state(),
            disk_free_bytes=shutil.disk_usage(self.spool.outbox).free,
            version=__version__,
            uptime_s=round(self.clock.now() - self._started, 1),
            spool_clips=self.spool.depth(),
            spool_bytes=self.spool.used_bytes(),
            last_call_at=format_time(self.last_call_at) if self.last_call_at else None,
            config_version=self.config_version,
            last_error=self.last_error or (self.uplink.last_error if self.uplink else None),
            **board_health().fields(),
        )

    # The loop's work ------------------------------------------------------------------

    def _dispatch(self, event: Event) -> None:
        before = self.call
        self.call, actions = handle(self.call, event, self.rules())
        if isinstance(event, PlaybackDone) and event.call == self.call.number:
            self.health.playback_over()
        failure = None
        for action in actions:
            try:
                self._do(action)
            except AudioDeviceError as exc:
                failure = str(exc)
                break
        if self.call.phase is not before.phase:
            log.debug("call %d: %s -> %s", self.call.number, before.phase, self.call.phase)
            if self.call.number != before.number:
                self.counts["calls"] += 1
                self.last_call_at = datetime.now(UTC)
            if self.call.phase is Phase.IDLE and self.staging.pending is not None:
                self._apply_config()  # between calls, never during one
            if Phase.IDLE in (before.phase, self.call.phase) or self.call.phase is Phase.OFF_HOOK:
                self._publish_status()
            else:
                self._indicate()
            with self._phase_changed:
                self._phase_changed.notify_all()
        if failure is not None:
            self._audio_failed(failure)

    def _do(self, action: Action) -> None:
        number = self.call.number
        match action:
            case Play(sound=sound, theme=theme):
                receipt = self._receipt if sound is Sound.THANKS else None
                samples = self.prompts.sound(sound, theme, receipt)
                self.health.playing(len(samples) / RATE)
                self._plays += 1
                play = self._plays

                def done() -> None:  # the card's thread
                    self._events.put(lambda: self._played(number, play))

                self.audio.play(samples, done, self.health.sound_taken)
            case StopPlayback():
                self._plays += 1  # a "done" of the stopped sound, already on its way, is void
                self.health.playback_over()
                self.audio.stop_playback()
            case StartRecording(theme=theme):
                self._start_recording(number, theme)
            case StopRecording(reason=reason):
                self._stop_recording(keep=reason is not StopReason.NO_SPEECH)
            case StartTimer(timer=timer, seconds=seconds):
                self._timers.start(timer, seconds, number)
            case CancelTimer(timer=timer):
                self._timers.cancel(timer)
            case CancelTimers():
                self._timers.cancel_all()

    def _start_recording(self, number: int, theme: str) -> None:
        self._receipt = "".join(
            secrets.choice("0123456789") for _ in range(self.settings.receipt_digits)
        )
        message = Message(
            call=number,
            theme=theme,
            neighborhood=self.neighborhood,
            config_version=self.config_version,
            started_at=datetime.now(UTC),
            receipt=self._receipt,
            tape=Tape(self._tape_folder() / f"{uuid.uuid4()}.raw"),
            clock_synced=clock_set_since_boot(),
        )
        recording = Recording(
            message, vad.SilenceWatch(self.settings.silence_timeout_s, self.settings.min_speech_s)
        )
        self._recording = recording
        self.health.recording()

        def on_block(block: Samples) -> None:  # the sound card's thread
            self.health.block_heard()
            message.tape.append(block)
            ended = recording.silence.feed(block)
            if recording.silence.heard_speech and not recording.speech_posted:
                recording.speech_posted = True
                self.post(SpeechHeard(number))
            if ended and not recording.silence_posted:
                recording.silence_posted = True
                self.post(SilenceDetected(number))

        try:
            self.audio.start_capture(on_block)
        except AudioDeviceError:
            self._recording = None
            self.health.recording_over()
            message.tape.discard()
            raise

    def _stop_recording(self, *, keep: bool) -> None:
        self.audio.stop_capture()
        self.health.recording_over()
        recording, self._recording = self._recording, None
        if recording is None:
            return
        if keep:
            self._processing.submit(self._process, recording.message)
        else:
            recording.message.tape.discard()
            self.counts[Outcome.DISCARDED_NO_SPEECH] += 1
            log.info("call %d: the caller said nothing; nothing kept", recording.message.call)

    def _next_deadline(self) -> float:
        return min(self._timers.next_deadline(), self.health.next_deadline())

    def _fire_due_timers(self) -> None:
        for fired in self._timers.fired():
            self._dispatch(fired)

    # The sound card's health ------------------------------------------------------------

    def _watch_audio(self) -> None:
        """Notice a card that stopped mid-stream; reopen a failed one with backoff."""
        stalled = self.health.stalled()
        if stalled is not None:
            self._audio_failed(stalled)
        elif self.health.retry_due():
            try:
                self.audio.probe()
            except AudioDeviceError as exc:
                wait = self.health.retry_failed()
                log.info("sound card still failing (%s); next try in %.0f s", exc, wait)
                return
            fault = self.health.recovered()
            log.warning("sound card back (%s); the booth is in order again", fault)
            self.last_error = None
            self._publish_status()

    def _played(self, number: int, play: int) -> None:
        """On the loop: a sound ended. A caller who barged in stopped it a moment before
        its end; its "done" must not count for the sound that replaced it."""
        if play == self._plays:
            self._dispatch(PlaybackDone(number))

    def _audio_failed(self, reason: str) -> None:
        if self.health.failed(reason):
            log.error("%s; the booth is out of order until it is back", self.health.fault)
        self.last_error = self.health.fault
        self._dispatch(AudioFailed())  # ends the call; keeps what was recorded
        self._publish_status()

    def _tape_folder(self) -> Path:
        longest = self.config.max_recording_s if self.config else self.settings.max_recording_s
        return tape_folder(self.settings.runtime_dir, self.tapes, longest)

    def _forget_old_tapes(self) -> None:
        """Tapes left by a crash or power cut mid-call: never consented to as a whole."""
        ram = self.settings.runtime_dir
        for folder in [self.tapes, *([ram / "tapes"] if ram else [])]:
            for stale in folder.glob("*.raw") if folder.exists() else []:
                stale.unlink(missing_ok=True)

    # Off the call path ----------------------------------------------------------------

    def _process(self, message: Message) -> None:
        """Runs on the processing thread; its outcome is counted by the loop."""
        error = None
        try:
            kept = self.processor.process(message) is not None
            outcome = Outcome.SPOOLED if kept else Outcome.DISCARDED_NO_SPEECH
        except SpoolFull as exc:
            outcome, error = Outcome.FAILED, str(exc)
            log.error("spool full, booth out of order: %s", exc)
        except Exception as exc:
            outcome, error = Outcome.FAILED, f"processing failed: {exc}"
            log.exception("call %d: processing failed", message.call)
        if self.uplink is not None:
            self.uplink.wake()
        self._events.put(lambda: self._processed(outcome, error))

    def _processed(self, outcome: Outcome, error: str | None) -> None:
        """On the loop: processing reported on one message."""
        self.counts[outcome] += 1
        if error is not None:
            self.last_error = error
        self._publish_status()

    def _publish_status(self) -> None:
        self._indicate()
        if self.uplink is not None:
            self.uplink.publish_status(self.status())

    def _indicate(self) -> None:
        state = self.state()
        for observer in self.on_change:
            observer(self.call.phase, state)


def _theme_prompts(config: BoothConfig) -> dict[str, str]:
    return {t.slug: t.prompt_sha256 for t in config.themes if t.prompt_sha256}
