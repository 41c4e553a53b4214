"""The sounddevice backend on fake cards that refuse what real cheap USB cards refuse."""

import threading

import numpy as np
import pytest

from booth.errors import AudioDeviceError
from booth.soundcard import Format, SoundDeviceAudio
from booth.sounds import RATE, tone
from tests.support.fake_sounddevice import FakeCard, PortAudioError
from tests.support.waiting import wait_until


def dominant_hz(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples.astype(np.float64)))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[np.argmax(spectrum)])


def test_a_48k_stereo_only_card_plays_16k_mono_prompts() -> None:
    card = FakeCard(rates=(48_000,), output_channels=(2,), speed=4)
    audio = SoundDeviceAudio("USB", "USB", sd=card)
    assert audio.output_format() == Format(48_000, 2)
    done = threading.Event()
    prompt = tone(440, 0.5)
    audio.play(prompt, done.set)
    assert done.wait(5)
    assert card.opened == [("output", 48_000, 2)]
    played = np.concatenate(card.played)
    assert np.array_equal(played[:, 0], played[:, 1])  # the same sound in both ears
    sound = played[np.flatnonzero(played[:, 0])[0] :, 0]
    assert abs(len(np.trim_zeros(sound)) - 3 * len(prompt)) < 200  # 3x the samples at 48 kHz
    assert abs(dominant_hz(sound[:24_000], 48_000) - 440) < 5  # pitch kept


def test_a_48k_card_records_16k_mono_blocks() -> None:
    speech_hz = 1_000

    def microphone(rate: int, frames: int, state: list[int] = [0]) -> np.ndarray:  # noqa: B006
        t = (np.arange(frames) + state[0]) / rate
        state[0] += frames
        return (np.sin(2 * np.pi * speech_hz * t) * 8000).astype(np.int16)

    card = FakeCard(rates=(44_100, 48_000), input_channels=(2,), microphone=microphone, speed=4)
    audio = SoundDeviceAudio(None, None, sd=card)
    blocks: list[np.ndarray] = []
    audio.start_capture(blocks.append)
    assert wait_until(lambda: len(blocks) > 20, 10)
    audio.stop_capture()
    assert card.opened == [("input", 44_100, 2)]  # the card's own default rate first
    assert len(blocks) > 10 and {len(b) for b in blocks} == {480}
    assert {b.dtype for b in blocks} == {np.dtype(np.int16)}
    recorded = np.concatenate(blocks)[RATE // 10 :]  # past the resampler's start-up
    assert abs(dominant_hz(recorded, RATE) - speech_hz) < 10


def test_a_card_that_takes_16k_mono_is_used_as_it_is() -> None:
    card = FakeCard(rates=(16_000, 48_000), output_channels=(1, 2), speed=8)
    audio = SoundDeviceAudio(sd=card)
    done = threading.Event()
    audio.play(tone(500, 0.2), done.set)
    assert done.wait(5)
    assert card.opened == [("output", 16_000, 1)]


def test_output_gain_is_a_setting() -> None:
    card = FakeCard(rates=(16_000,), output_channels=(1,), speed=8)
    audio = SoundDeviceAudio(sd=card, gain_db=-6.0)
    done = threading.Event()
    prompt = tone(500, 0.2)
    audio.play(prompt, done.set)
    assert done.wait(5)
    peak = np.abs(np.concatenate(card.played)).max()
    assert abs(peak / np.abs(prompt).max() - 10 ** (-6 / 20)) < 0.01


def test_formats_the_card_refuses_give_a_clear_error() -> None:
    card = FakeCard(rates=(96_000,), output_channels=(4,))  # a studio interface
    with pytest.raises(AudioDeviceError, match="accepts none of"):
        SoundDeviceAudio("USB", sd=card).output_format()
    card = FakeCard(rates=(96_000,))  # an odd rate is fine: it is resampled
    assert SoundDeviceAudio("USB", sd=card).output_format() == Format(96_000, 2)


@pytest.mark.parametrize("unplugged", [False, True])
def test_a_missing_device_is_an_audio_error_not_a_crash(unplugged: bool) -> None:
    card = FakeCard()
    if unplugged:
        card.unplug()
    audio = SoundDeviceAudio("Headset", "Headset", sd=card)
    with pytest.raises(AudioDeviceError, match="no output device Headset"):
        audio.play(tone(500, 0.1), lambda: None)
    with pytest.raises(AudioDeviceError, match="no input device Headset"):
        audio.start_capture(lambda _block: None)
    with pytest.raises(AudioDeviceError):
        audio.probe()


def test_a_card_pulled_mid_prompt_never_reports_the_prompt_done() -> None:
    card = FakeCard(speed=1)
    audio = SoundDeviceAudio(sd=card)
    done = threading.Event()
    audio.play(tone(500, 2.0), done.set)
    assert wait_until(lambda: card.played, 5)  # the prompt is playing
    card.unplug()
    assert not done.wait(0.5)
    with pytest.raises(AudioDeviceError):
        audio.probe()
    card.plug_in()
    audio.probe()


def test_the_fake_lists_devices_as_portaudio_does_frozen_at_initialisation() -> None:
    """The model the tests below rely on (python-sounddevice #125, PortAudio #447)."""
    card = FakeCard(present=False)
    with pytest.raises(ValueError, match="No device matching"):
        card.query_devices("USB", "output")
    card.plug_in()
    with pytest.raises(ValueError, match="No device matching"):
        card.query_devices("USB", "output")  # plugged in after PortAudio started
    card._terminate()
    card._initialize()
    assert card.query_devices("USB", "output")["name"] == "USB Audio Device: USB Audio (hw:1,0)"
    card.unplug()
    card.plug_in(index=2)
    assert "(hw:1,0)" in card.query_devices("USB", "output")["name"]  # the stale entry
    with pytest.raises(PortAudioError, match="No such device"):
        card.check_output_settings(device="USB", samplerate=48_000, channels=2)


def test_a_card_plugged_in_after_the_start_is_found_by_its_name() -> None:
    card = FakeCard(present=False)
    audio = SoundDeviceAudio("USB Audio Device", "USB Audio Device", sd=card)
    with pytest.raises(AudioDeviceError, match="no output device"):
        audio.probe()
    card.plug_in()
    audio.probe()  # PortAudio initialised again: the card is listed now
    done = threading.Event()
    audio.play(tone(500, 0.1), done.set)
    assert done.wait(5)


def test_a_card_back_under_a_new_alsa_index_is_used_again() -> None:
    card = FakeCard(speed=8)
    audio = SoundDeviceAudio("USB Audio Device", "USB Audio Device", sd=card)
    audio.probe()
    card.unplug()
    with pytest.raises(AudioDeviceError):
        audio.probe()
    card.plug_in(index=2)  # another card took hw:1 meanwhile
    audio.probe()
    blocks: list[np.ndarray] = []
    audio.start_capture(blocks.append)
    assert wait_until(lambda: len(blocks) > 2, 5)
    audio.stop_capture()
    assert card.initialisations == 4  # at the start, and before each of the three probes


def test_a_device_named_by_its_alsa_number_is_warned_about(
    caplog: pytest.LogCaptureFixture,
) -> None:
    SoundDeviceAudio("hw:1,0", "USB Audio Device", sd=FakeCard())
    assert "named by its number" in caplog.text and "hw:1,0" in caplog.text
