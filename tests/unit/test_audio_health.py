"""The sound card's health on the test's clock: stalls noticed after the stall time, failed
cards retried with doubling waits, and in order again once they open."""

from booth.audio_health import PLAYBACK_GRACE_S, AudioHealth
from tests.support.clock import ManualClock


def test_a_microphone_that_stops_delivering_is_a_stall() -> None:
    clock = ManualClock()
    health = AudioHealth(clock, stall_s=2.0, retry_max_s=60)
    health.recording()
    for _ in range(10):
        clock.advance(0.5)
        health.block_heard()
    assert health.stalled() is None
    assert health.next_deadline() == clock.now() + 2.0
    clock.advance(2.1)
    assert health.stalled() == "no sound from the microphone for 2.0 s"
    health.recording_over()
    assert health.stalled() is None


def test_an_earpiece_that_stops_taking_sound_is_a_stall_long_before_the_sound_s_end() -> None:
    clock = ManualClock()
    health = AudioHealth(clock, stall_s=2.0, retry_max_s=60)
    health.playing(30.0)  # the greeting
    for _ in range(6):
        clock.advance(0.5)
        health.sound_taken()
    clock.advance(1.9)
    assert health.stalled() is None
    clock.advance(0.2)
    assert health.stalled() == "the earpiece took no sound for 2.0 s"


def test_a_sound_that_never_ends_is_a_failure_after_its_length_and_grace() -> None:
    clock = ManualClock()
    health = AudioHealth(clock, stall_s=2.0, retry_max_s=60)
    health.playing(1.0)
    for _ in range(int((1.0 + PLAYBACK_GRACE_S) / 0.5)):
        clock.advance(0.5)
        health.sound_taken()  # the card takes sound, but "done" never comes
    assert health.stalled() is None
    clock.advance(0.1)
    assert health.stalled() == "playback stopped before the end"
    health.playback_over()
    assert health.stalled() is None


def test_a_failed_card_is_retried_with_doubling_waits_and_then_in_order() -> None:
    clock = ManualClock()
    health = AudioHealth(clock, stall_s=2.0, retry_max_s=5.0)
    assert health.failed("unplugged") is True
    assert health.failed("still unplugged") is False  # one failure, said once
    assert health.fault == "sound card failed: still unplugged"
    waits = []
    for _ in range(5):
        assert not health.retry_due()
        clock.advance(health.next_deadline() - clock.now())
        assert health.retry_due()
        waits.append(health.retry_failed())
    assert waits == [2.0, 4.0, 5.0, 5.0, 5.0]
    clock.advance(5.0)
    assert health.recovered() == "sound card failed: still unplugged"
    assert health.fault is None and not health.retry_due()
    health.failed("again")
    assert health.next_deadline() == clock.now() + 1.0  # the backoff starts over
