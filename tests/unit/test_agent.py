"""The agent through every path of the call flow, with the real VAD, encoder and spool (no
broker: clips stay in the spool), on the test's clock: the handset's sound and the agent's
timers move only when the test moves time, so nothing depends on the machine's speed."""

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from booth.agent import Agent
from booth.call import HungUp, KeyPressed, Lifted, Phase, PlaybackDone, Sound
from booth.settings import BoothSettings
from booth.sounds import BEEP, FALLBACK, PromptLibrary
from booth.spool import Spool
from shared.messages import BoothConfig, BoothState
from tests.support.clips import room_tone, voiced_burst
from tests.support.clock import ManualClock
from tests.support.clocked_audio import ClockedAudio
from tests.support.waiting import wait_until


class HeldAudio(ClockedAudio):
    """A card on which a sound ends only when the test says so (`dones`, in order)."""

    def __init__(self, clock: ManualClock) -> None:
        super().__init__(clock)
        self.dones: list[Callable[[], None]] = []

    def play(self, samples: np.ndarray, done: Callable[[], None], progress: object = None) -> None:
        self.played.append(samples)
        self.dones.append(done)


class Harness:
    """One agent on the test's clock, with the handset on it too (ClockedAudio unless a
    card is given): the test moves time, and between moves lets the loop catch up."""

    STEP_S = 0.05

    def __init__(
        self,
        tmp: Path,
        audio: Callable[[ManualClock], ClockedAudio] = ClockedAudio,
        **settings: object,
    ) -> None:
        fields: dict[str, object] = {
            "id": "booth-unit",
            "spool_dir": tmp / "spool",
            "theme": "parks",
            "theme_digits": {"1": "parks", "2": "traffic"},
            "choice_timeout_s": 0.3,
            "consent_timeout_s": 0.3,
            "silence_timeout_s": 2.0,
            "greeting_delay_ms": 0,  # the tests that time the greeting set it
        }
        self.settings = BoothSettings(**(fields | settings))  # type: ignore[arg-type]
        self.clock = ManualClock()
        self.audio = audio(self.clock)
        self.spool = Spool(self.settings.spool_dir, self.settings.spool_budget_bytes)
        self.agent = Agent(
            self.settings, self.audio, self.spool, None, PromptLibrary(), clock=self.clock
        )
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.agent.run, args=(self.stop,))
        self.thread.start()

    def settle(self) -> None:
        """Let the loop handle what was posted, and fire the timers due by now."""
        for _ in range(2):  # the timers fire right after the event that woke the loop
            assert self.agent.wait_idle(10)

    def run_for(self, seconds: float) -> None:
        end = self.clock.now() + seconds
        while self.clock.now() < end - 1e-9:
            self.clock.advance(min(self.STEP_S, end - self.clock.now()))
            self.settle()

    def expect(self, *phases: Phase, within_s: float = 120.0) -> None:
        """Move the clock until the call is in one of `phases`."""
        until = self.clock.now() + within_s
        while True:
            self.settle()
            if self.agent.call.phase in phases:
                return
            assert self.clock.now() < until, f"stuck in {self.agent.call.phase}, not {phases}"
            self.clock.advance(self.STEP_S)

    def until_said(self, within_s: float = 300.0) -> None:
        """Move the clock until the caller has said all they were given to say."""
        until = self.clock.now() + within_s
        while not self.audio.said_all:
            assert self.clock.now() < until, "the microphone never took it all"
            self.clock.advance(self.STEP_S)
            self.settle()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(10)


@pytest.fixture
def booth(tmp_path: Path) -> Iterator[Harness]:
    harness = Harness(tmp_path)
    yield harness
    harness.close()


def speech(path: Path) -> np.ndarray:
    data, _ = sf.read(path, dtype="int16")
    return np.asarray(data)


def consent_and_choose(booth: Harness, digit: str | None) -> None:
    booth.agent.post(Lifted())
    booth.expect(Phase.CONSENT)
    booth.agent.post(KeyPressed("#"))
    booth.expect(Phase.CHOOSING)
    if digit:
        booth.agent.post(KeyPressed(digit))
    booth.expect(Phase.RECORDING)


def test_a_whole_call_with_a_chosen_theme(booth: Harness, speech_wav: Path) -> None:
    consent_and_choose(booth, "2")
    booth.audio.say(speech(speech_wav))
    booth.expect(Phase.FINISHED)  # silence after the speech ended the recording
    booth.agent.post(HungUp())
    assert booth.agent.wait_idle_processing(10)
    (clip,) = booth.spool.pending()
    assert clip.meta.theme == "traffic" and clip.meta.booth_id == "booth-unit"
    assert clip.meta.receipt is not None and len(clip.meta.receipt) == 8
    audio, rate = sf.read(clip.audio_path, dtype="int16")
    assert rate == 16000 and abs(len(audio) / rate - clip.meta.duration_ms / 1000) < 0.05
    played = booth.audio.played
    prompts = PromptLibrary()
    assert np.array_equal(played[0], prompts.sound(Sound.GREETING))
    assert len(played[0]) > len(prompts.named("greeting"))  # and how to say yes
    assert np.array_equal(played[1], prompts.named("choose_theme"))
    assert np.array_equal(played[2], FALLBACK)  # no recorded prompt for "traffic" here
    assert np.array_equal(played[3], BEEP)
    assert len(played[4]) > len(prompts.named("thanks"))  # thanks plus the receipt digits


@pytest.mark.parametrize("synced", [True, False])
def test_a_clip_says_whether_the_clock_was_set_when_the_call_began(
    tmp_path: Path, speech_wav: Path, monkeypatch: pytest.MonkeyPatch, synced: bool
) -> None:
    """A Pi has no battery clock: before NTP sets it, recorded_at may be days off, and the
    clip says so (ingest then takes its receive time)."""
    monkeypatch.setattr("booth.agent.clock_set_since_boot", lambda: synced)
    booth = Harness(tmp_path)
    try:
        consent_and_choose(booth, None)
        booth.audio.say(speech(speech_wav))
        booth.expect(Phase.FINISHED)
        booth.agent.post(HungUp())
        assert booth.agent.wait_idle_processing(10)
        (clip,) = booth.spool.pending()
        assert clip.meta.clock_synced is synced
    finally:
        booth.close()


def test_choice_timeout_takes_the_default_theme(booth: Harness, speech_wav: Path) -> None:
    consent_and_choose(booth, None)
    booth.audio.say(speech(speech_wav))
    booth.expect(Phase.FINISHED)
    booth.agent.post(HungUp())
    booth.agent.wait_idle_processing(10)
    assert [c.meta.theme for c in booth.spool.pending()] == ["parks"]


def test_no_consent_records_nothing(booth: Harness) -> None:
    booth.agent.post(Lifted())
    booth.expect(Phase.FINISHED)  # consent timer ran out: goodbye
    booth.agent.post(HungUp())
    booth.expect(Phase.IDLE)
    assert booth.agent.wait_idle_processing(5)
    assert booth.spool.pending() == []
    assert np.array_equal(booth.audio.played[-1], PromptLibrary().named("goodbye"))


def test_hang_up_during_the_beep_keeps_nothing_and_the_next_call_is_clean(
    tmp_path: Path, speech_wav: Path
) -> None:
    booth = Harness(tmp_path)
    try:
        booth.agent.post(Lifted())
        booth.expect(Phase.GREETING)
        booth.audio.stop_playback()  # skip ahead: the caller knows the greeting
        booth.agent.post(booth_event_played(booth))
        booth.expect(Phase.CONSENT)
        booth.agent.post(KeyPressed("#"))
        booth.agent.post(KeyPressed("1"))
        booth.expect(Phase.PROMPT)
        booth.audio.stop_playback()
        booth.agent.post(booth_event_played(booth))
        booth.expect(Phase.BEEP)  # and the clock stands still: the hang-up is inside it
        first_call = booth.agent.call.number
        booth.agent.post(HungUp())
        booth.agent.post(Lifted())  # the next caller, at once
        booth.expect(Phase.GREETING)
        booth.agent.post(PlaybackDone(first_call))  # the first caller's beep, ending late
        assert booth.agent.wait_idle_processing(5)  # the loop has handled it
        assert booth.agent.call.phase is Phase.GREETING
        assert booth.agent.wait_idle_processing(5) and booth.spool.pending() == []
    finally:
        booth.close()


def test_a_caller_barges_in_on_the_greeting_and_the_question(tmp_path: Path) -> None:
    """The greeting half a minute long: the key before the clock has moved at all."""
    booth = Harness(tmp_path, choice_timeout_s=30)
    try:
        booth.agent.post(Lifted())
        booth.expect(Phase.GREETING)
        booth.agent.post(KeyPressed("#"))
        booth.expect(Phase.CHOOSING)
        booth.agent.post(KeyPressed("2"))
        booth.expect(Phase.PROMPT)
        booth.agent.post(KeyPressed("#"))
        booth.expect(Phase.RECORDING)  # the beep is short
        prompts = PromptLibrary()
        played = booth.audio.played
        assert [len(p) for p in played] == [
            len(prompts.sound(Sound.GREETING)),
            len(prompts.named("choose_theme")),
            len(FALLBACK),
            len(BEEP),
        ]
    finally:
        booth.close()


def test_the_end_of_a_sound_stopped_by_a_barge_in_is_not_the_next_sound_s(
    tmp_path: Path,
) -> None:
    """The key stops the greeting just as it ends: its "done", already on its way, must not
    start the wait for a theme digit while the list of themes has only begun."""
    booth = Harness(tmp_path, audio=HeldAudio, audio_stall_s=60)
    audio, clock = booth.audio, booth.clock
    assert isinstance(audio, HeldAudio)
    try:
        booth.agent.post(Lifted())
        booth.expect(Phase.GREETING)
        booth.agent.post(KeyPressed("#"))
        audio.dones[0]()  # the greeting's own end, a moment after the key
        booth.expect(Phase.CHOOSING)
        assert booth.agent.wait_idle_processing(5)  # the greeting's end handled too
        clock.advance(1.0)  # past the choice timeout (0.3 s), not the list's end
        assert booth.agent.wait_idle_processing(5) and booth.agent.wait_idle_processing(5)
        assert booth.agent.call.phase is Phase.CHOOSING  # still listing the themes
        audio.dones[1]()  # the list ends: now the caller has the timeout to choose
        clock.advance(0.1)
        assert booth.agent.wait_idle_processing(5) and booth.agent.wait_idle_processing(5)
        clock.advance(0.3)
        booth.expect(Phase.PROMPT)
    finally:
        booth.close()


def test_the_greeting_starts_when_the_handset_reaches_the_ear(tmp_path: Path) -> None:
    booth = Harness(tmp_path, audio=HeldAudio, greeting_delay_ms=400)
    audio, clock, settled = booth.audio, booth.clock, booth.settle
    try:
        booth.agent.post(Lifted())
        booth.expect(Phase.GREETING)
        clock.advance(0.39)
        settled()
        assert audio.played == []  # the handset is still on its way up
        clock.advance(0.02)
        settled()
        assert len(audio.played) == 1
        assert np.array_equal(audio.played[0], PromptLibrary().sound(Sound.GREETING))
    finally:
        booth.close()
    assert BoothSettings(id="b1").greeting_delay_ms == 400


def booth_event_played(booth: Harness) -> object:
    from booth.call import PlaybackDone

    return PlaybackDone(booth.agent.call.number)


def test_max_length_ends_the_recording(tmp_path: Path, speech_wav: Path) -> None:
    booth = Harness(tmp_path, max_recording_s=1.0)
    try:
        booth.agent.post(Lifted())
        booth.expect(Phase.GREETING)
        booth.audio.stop_playback()
        booth.agent.post(booth_event_played(booth))
        booth.agent.post(KeyPressed("#"))
        booth.agent.post(KeyPressed("1"))
        booth.expect(Phase.PROMPT)
        booth.audio.say(np.tile(speech(speech_wav)[16000:], 3))  # talks on and on, at once
        booth.expect(Phase.THANKS)
        booth.agent.post(HungUp())
        assert booth.agent.wait_idle_processing(10)
        (clip,) = booth.spool.pending()
        assert clip.meta.duration_ms <= 1100
    finally:
        booth.close()


def test_a_message_without_speech_is_discarded_and_counted(booth: Harness) -> None:
    consent_and_choose(booth, "1")
    booth.audio.say(room_tone(3.0))
    booth.until_said()
    booth.agent.post(HungUp())
    assert booth.agent.wait_idle_processing(10)
    assert booth.spool.pending() == []
    assert booth.agent.counts["discarded_no_speech"] == 1, booth.agent.last_error


@pytest.mark.parametrize(("seconds", "kept"), [(0.2, False), (0.3, False), (0.6, True)])
def test_thanks_and_a_receipt_only_for_a_message_that_is_kept(
    tmp_path: Path, seconds: float, kept: bool
) -> None:
    booth = Harness(tmp_path, no_speech_timeout_s=1.5, silence_timeout_s=1.0)
    try:
        consent_and_choose(booth, "1")
        booth.audio.say(np.concatenate([voiced_burst(seconds), room_tone(0.3)]))
        booth.expect(Phase.FINISHED)
        booth.agent.post(HungUp())
        assert booth.agent.wait_idle_processing(10)
        last, thanks = booth.audio.played[-1], PromptLibrary().named("thanks")
        thanked = len(last) > len(thanks) and np.array_equal(last[: len(thanks)], thanks)
        goodbye = np.array_equal(last, PromptLibrary().named("goodbye"))
        assert (thanked, goodbye, len(booth.spool.pending())) == (kept, not kept, int(kept))
    finally:
        booth.close()


class LoopOnlyCounts(Counter[str]):
    """The booth's counts, noting which thread writes each."""

    def __init__(self) -> None:
        super().__init__()
        self.writers: set[str] = set()

    def __setitem__(self, key: str, value: int) -> None:
        self.writers.add(threading.current_thread().name)
        super().__setitem__(key, value)


def test_only_the_loop_counts_what_processing_made_of_a_message(
    tmp_path: Path, speech_wav: Path
) -> None:
    """Processing runs on its own thread; it reports to the loop, which alone writes the
    counts (once, the processing thread and the loop both added to them)."""
    booth = Harness(tmp_path)
    counts = booth.agent.counts = LoopOnlyCounts()  # before the first call
    try:
        for said in (room_tone(2.0), speech(speech_wav)):
            consent_and_choose(booth, "1")
            booth.audio.say(said)
            booth.until_said()
            booth.agent.post(HungUp())
            assert booth.agent.wait_idle_processing(10)
        assert counts["spooled"] == 1 and counts["discarded_no_speech"] == 1
        assert counts.writers == {booth.thread.name}
    finally:
        booth.close()


def test_a_config_waits_for_the_call_to_end(tmp_path: Path) -> None:
    booth = Harness(tmp_path)
    try:
        booth.agent.post(Lifted())
        booth.expect(Phase.CONSENT)
        theme = {"slug": "trees", "title": "Træer", "digit": "3"}
        payload = BoothConfig.model_validate(
            {"version": 4, "neighborhood": "gellerup", "default_theme": "trees", "themes": [theme]}
        ).encode()
        booth.agent.offer_config(payload)
        assert wait_until(lambda: booth.agent.staging.pending is not None)
        assert booth.agent.wait_idle_processing(5)
        assert booth.agent.config_version == 0  # not during a call
        booth.agent.post(HungUp())
        assert booth.agent.config_applied.wait(5)
        assert (booth.agent.config_version, booth.agent.rules().default_theme) == (4, "trees")
        booth.agent.offer_config(b"not a config")
        assert wait_until(lambda: "invalid config" in (booth.agent.last_error or ""))
        assert booth.agent.config_version == 4
    finally:
        booth.close()


def test_processing_never_blocks_the_next_caller(booth: Harness, speech_wav: Path) -> None:
    consent_and_choose(booth, "1")
    long_message = np.tile(speech(speech_wav)[16000:-16000], 18)  # about a minute of talk
    booth.audio.say(long_message)
    booth.until_said()
    booth.agent.post(HungUp())
    booth.agent.post(Lifted())
    booth.expect(Phase.GREETING)
    in_progress = booth.agent.counts["spooled"]
    assert booth.agent.wait_idle_processing(30)
    assert (in_progress, booth.agent.counts["spooled"]) == (0, 1)


def test_a_full_spool_degrades_the_booth_callers_hear_out_of_order(tmp_path: Path) -> None:
    booth = Harness(tmp_path, spool_budget_bytes=500_000)
    try:
        assert booth.agent.status().state is BoothState.DEGRADED
        booth.agent.post(Lifted())
        booth.expect(Phase.FINISHED)
        assert np.array_equal(booth.audio.played[0], PromptLibrary().named("out_of_order"))
        booth.agent.post(KeyPressed("#"))
        assert booth.agent.wait_idle_processing(5)  # the key was handled, and ignored
        assert booth.agent.call.phase is Phase.FINISHED
    finally:
        booth.close()


def test_missing_or_broken_prompts_play_the_fallback_tone(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache = tmp_path / "prompts"
    cache.mkdir()
    (cache / "theme_parks.wav").write_bytes(b"RIFF broken")
    library = PromptLibrary(cache)
    assert np.array_equal(library.named("theme_parks"), FALLBACK)
    assert np.array_equal(library.named("theme_nowhere"), FALLBACK)
    assert "unreadable" in caplog.text and "missing" in caplog.text


def test_the_loop_tells_systemd_it_is_ready_and_alive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    address = str(tmp_path / "notify")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as listener:
        listener.bind(address)
        listener.settimeout(5)
        monkeypatch.setenv("NOTIFY_SOCKET", address)
        monkeypatch.setenv("WATCHDOG_USEC", "200000")  # ping at least every 0.1 s
        booth = Harness(tmp_path)
        try:
            messages = [listener.recv(64).decode() for _ in range(3)]
        finally:
            booth.close()
        last = listener.recv(64).decode()
    assert messages[0] == "READY=1" and messages[1:] == ["WATCHDOG=1", "WATCHDOG=1"]
    assert last in ("WATCHDOG=1", "STOPPING=1")
