"""The booth's footprint: how fast it answers the caller, how much CPU a message costs it,
and how much memory the agent takes."""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf

from booth import codec, vad
from booth.agent import Agent
from booth.audio import MemoryAudio
from booth.call import HungUp, KeyPressed, Lifted, Phase
from booth.settings import BoothSettings
from booth.sounds import PromptLibrary, Samples
from booth.spool import Spool


class TimedAudio(MemoryAudio):
    """Memory audio that notes when playback was asked for."""

    def __init__(self) -> None:
        super().__init__(speed=50)
        self.play_times: list[float] = []

    def play(self, samples: Samples, done: Any, progress: Any = None) -> None:
        self.play_times.append(time.perf_counter())
        super().play(samples, done, progress)


def latencies(speech: Samples, calls: int = 40) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = BoothSettings(
            id="bench",
            spool_dir=Path(tmp) / "spool",
            theme="parks",
            consent_timeout_s=5,
            greeting_delay_ms=0,  # the agent's own latency, not the wait for the ear
            _env_file=None,  # type: ignore[call-arg]
        )
        audio = TimedAudio()
        agent = Agent(settings, audio, Spool(settings.spool_dir), None, PromptLibrary())
        stop = threading.Event()
        thread = threading.Thread(target=agent.run, args=(stop,))
        thread.start()
        lift_to_prompt, hangup_to_ready = [], []
        try:
            for _ in range(calls):
                played = len(audio.play_times)
                lifted = time.perf_counter()
                agent.post(Lifted())
                agent.wait_for([Phase.GREETING], 5)
                while len(audio.play_times) == played:
                    time.sleep(0.0001)
                lift_to_prompt.append(audio.play_times[played] - lifted)
                agent.wait_for([Phase.CONSENT], 10)
                agent.post(KeyPressed("#"))
                agent.wait_for([Phase.RECORDING], 10)
                audio.say(speech)
                audio.said_all.wait(30)
                hung = time.perf_counter()
                agent.post(HungUp())
                agent.wait_for([Phase.IDLE], 5)
                hangup_to_ready.append(time.perf_counter() - hung)
            agent.wait_idle_processing(60)
        finally:
            stop.set()
            thread.join()
    return {
        "calls": calls,
        "lift_to_prompt_ms_median": round(1000 * statistics.median(lift_to_prompt), 2),
        "lift_to_prompt_ms_max": round(1000 * max(lift_to_prompt), 2),
        "hangup_to_ready_ms_median": round(1000 * statistics.median(hangup_to_ready), 2),
        "hangup_to_ready_ms_max": round(1000 * max(hangup_to_ready), 2),
    }


def _pyav_opus(samples: Samples) -> bytes:
    """The encoder the booth used before: FFmpeg's libopus through PyAV (reference)."""
    import io

    import av

    buffer = io.BytesIO()
    with av.open(buffer, "w", format="ogg") as container:
        stream = container.add_stream("libopus", rate=16000, layout="mono")
        stream.bit_rate = codec.OPUS_BITRATE
        stream.options = {"application": "voip"}
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate, frame.pts = 16000, 0
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            container.mux(packet)
    return buffer.getvalue()


def _libsndfile_opus(samples: Samples) -> bytes:
    """libsndfile's Ogg Opus (reference)."""
    import io

    buffer = io.BytesIO()
    sf.write(buffer, samples, 16000, format="OGG", subtype="OPUS")
    return buffer.getvalue()


ENCODERS = {
    "booth": lambda s: codec.encode(s, codec.Codec.OPUS),
    "pyav": _pyav_opus,
    "libsndfile": _libsndfile_opus,
}


def processing_cost(speech: Samples, encoder: str, minutes: int = 1, repeats: int = 5) -> float:
    """CPU seconds on one core to VAD-trim and encode one minute of recorded audio."""
    audio = np.resize(np.concatenate([np.zeros(16000, np.int16), speech]), 16000 * 60 * minutes)
    costs = []
    for _ in range(repeats):
        started = time.process_time()
        trimmed = vad.trim(audio)
        ENCODERS[encoder](trimmed.samples)
        costs.append((time.process_time() - started) / minutes)
    return round(statistics.median(costs), 3)


PINNED_SCRIPT = """
import sys, time, statistics
import numpy as np, soundfile as sf
from booth import codec, vad
speech, _ = sf.read(sys.argv[1], dtype="int16")
minute = np.resize(np.concatenate([np.zeros(16000, np.int16), speech]), 16000 * 60)
walls = []
for _ in range(5):
    started = time.perf_counter()
    codec.encode(vad.trim(minute).samples, codec.Codec.OPUS)
    walls.append(time.perf_counter() - started)
print(statistics.median(walls))
"""


def pinned_cost(speech_path: Path) -> float | None:
    """Wall seconds per audio minute on core 0 alone (`taskset -c 0`), as on a busy Pi."""
    try:
        done = subprocess.run(
            ["taskset", "-c", "0", sys.executable, "-c", PINNED_SCRIPT, str(speech_path)],
            check=True,
            capture_output=True,
            text=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return round(float(done.stdout.split()[-1]), 3)


RSS_SCRIPT = """
import sys, json
from pathlib import Path
import numpy as np, soundfile as sf
from bench.booth import ENCODERS
from booth import codec
if sys.argv[4] != "booth":  # the same agent with a reference encoder swapped in
    swapped = ENCODERS[sys.argv[4]]
    codec.encode_chunks = lambda chunks, _codec=None: swapped(np.concatenate(list(chunks)))
from booth.settings import BoothSettings
from booth.simulate import CallScript, SimulatedBooth
speech, _ = sf.read(sys.argv[2], dtype="int16")
settings = BoothSettings(id="booth-bench", spool_dir=Path(sys.argv[1]), mqtt_url=sys.argv[3],
                         silence_timeout_s=1.0, _env_file=None)
with SimulatedBooth(settings, speed=20) as booth:
    booth.memory_audio.keep_played = False  # a real card keeps no copy of the prompts
    for _ in range(3):
        booth.place_call(CallScript(np.tile(speech, 4)))
    booth.agent.wait_idle_processing(60)
# VmHWM, not ru_maxrss: the latter carries over the forking parent's peak across exec.
print(next(l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM")))
"""


UNIT = Path(__file__).parents[1] / "systemd" / "booth.service"


def unit_environment() -> dict[str, str]:
    """The MALLOC_* settings booth.service runs the agent with: the bench measures the agent
    as it is deployed."""
    found = {}
    for line in UNIT.read_text().splitlines():
        if line.startswith("Environment=MALLOC_"):
            key, value = line.removeprefix("Environment=").split("=", 1)
            found[key] = value
    return found


def peak_rss(speech_path: Path, mqtt_url: str, encoder: str) -> float:
    """MB: the whole agent (call machine, VAD, encoder, spool, MQTT uplink), 3 calls."""
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(
            [sys.executable, "-c", RSS_SCRIPT, tmp, str(speech_path), mqtt_url, encoder],
            check=True,
            env={**os.environ, **unit_environment(), "BOOTH_CONFIG_FILE": "/nonexistent"},
            capture_output=True,
            text=True,
        )
    kib = int(done.stdout.split()[-1])  # the agent's own peak (kB), reported by itself
    return round(kib / 1024, 1)


LONG_MESSAGE_SCRIPT = """
import sys, threading, time
from pathlib import Path
import numpy as np, soundfile as sf
from booth.audio import BLOCK, MemoryAudio
from booth.call import Phase
from booth.settings import BoothSettings
from booth.simulate import SimulatedBooth

speech, _ = sf.read(sys.argv[2], dtype="int16")
seconds = float(sys.argv[4])


class Talker(MemoryAudio):
    # A caller talking for `seconds` without a pause, then quiet, block by block as a sound
    # card delivers it: the bench measures the agent, not a caller held in memory.
    def start_capture(self, on_block):
        self.capturing = True
        def feed():
            start = 0
            while self.capturing:
                if start < seconds * 16000:
                    on_block(speech[np.arange(start, start + BLOCK) % len(speech)])
                else:
                    on_block(np.zeros(BLOCK, np.int16))
                start += BLOCK
                if start % (BLOCK * 50) == 0:
                    time.sleep(0.001)
        threading.Thread(target=feed, daemon=True).start()

    def stop_capture(self):
        self.capturing = False


settings = BoothSettings(id="booth-bench", spool_dir=Path(sys.argv[1]), mqtt_url=sys.argv[3],
                         max_recording_s=seconds + 60, _env_file=None)
with SimulatedBooth(settings, speed=60) as booth:
    booth.memory_audio.__class__ = Talker
    booth.memory_audio.keep_played = False
    booth.lift()
    booth.agent.wait_for([Phase.CONSENT], 60)
    booth.press("#")
    booth.agent.wait_for([Phase.THANKS, Phase.FINISHED], 600)
    booth.hang_up()
    booth.agent.wait_idle_processing(120)
    assert booth.agent.counts["spooled"] == 1, booth.agent.counts
print(next(l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM")))
"""


def message_rss(speech_path: Path, mqtt_url: str, seconds: float) -> float:
    """MB: the agent's peak while recording and processing one message of `seconds`."""
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                LONG_MESSAGE_SCRIPT,
                tmp,
                str(speech_path),
                mqtt_url,
                str(seconds),
            ],
            check=True,
            env={**os.environ, **unit_environment(), "BOOTH_CONFIG_FILE": "/nonexistent"},
            capture_output=True,
            text=True,
        )
    return round(int(done.stdout.split()[-1]) / 1024, 1)


def run(speech_path: Path, mqtt_url: str) -> dict[str, Any]:
    """The booth's encoder (libopus + our Ogg writer), and the two it replaced, measured in
    the same run: PyAV (FFmpeg) and libsndfile."""
    speech, _ = sf.read(speech_path, dtype="int16")
    return {
        **latencies(speech),
        "vad_and_encode_s_per_audio_minute": processing_cost(speech, "booth"),
        "vad_and_encode_s_per_audio_minute_600s_message": processing_cost(
            speech, "booth", minutes=10, repeats=1
        ),
        "vad_and_encode_wall_s_per_audio_minute_taskset_c0": pinned_cost(speech_path),
        "agent_peak_rss_mb": peak_rss(speech_path, mqtt_url, "booth"),
        "pyav_vad_and_encode_s_per_audio_minute": processing_cost(speech, "pyav"),
        "pyav_agent_peak_rss_mb": peak_rss(speech_path, mqtt_url, "pyav"),
        "libsndfile_vad_and_encode_s_per_audio_minute": processing_cost(speech, "libsndfile"),
        "libsndfile_agent_peak_rss_mb": peak_rss(speech_path, mqtt_url, "libsndfile"),
        "agent_peak_rss_mb_30s_message": message_rss(speech_path, mqtt_url, 30),
        "agent_peak_rss_mb_600s_message": message_rss(speech_path, mqtt_url, 600),
    }


if __name__ == "__main__":
    print(json.dumps(run(Path(sys.argv[1]), sys.argv[2]), indent=1))
