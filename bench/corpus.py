"""A fixed, seeded corpus of booth-like messages spoken by espeak-ng: varied voices, speeds
and silences, 3 to 60 seconds long."""

import hashlib
import random
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import soundfile as sf

from booth.codec import encode

SENTENCES = [
    "We need more benches and trees in the park near the school.",
    "The bus to the city center should come every ten minutes in the morning.",
    "Please keep the library open on Sundays, it is the only quiet place for students.",
    "The bicycle lane on the main road ends suddenly and that is dangerous for children.",
    "I would like a playground for older kids with a basketball court.",
    "There is too much litter around the shopping center after the weekend.",
    "Our neighborhood needs a place where young and old people can meet.",
    "The street lights in the tunnel under the railway are broken again.",
    "Make the harbour front a place for swimming in the summer.",
    "More flowers along the river would make the walk to work much nicer.",
    "The new housing must have room for families with small incomes.",
    "Cars drive far too fast past the kindergarten every afternoon.",
    "I love the market on Saturdays, please let it stay in the square.",
    "We should plant fruit trees that everyone in the street can pick from.",
    "The community hall needs a ramp so people in wheelchairs can come in.",
    "Give the local football club a field with proper lights for winter.",
]
VOICES = ["en-us", "en-gb", "en-us+f3", "en-gb+m3", "en-us+m7", "en-gb-x-rp"]


@dataclass(frozen=True)
class Message:
    path: Path
    text: str
    seconds: float


def build(out: Path, count: int = 24, seed: int = 2026) -> list[Message]:
    """Write `count` messages into `out` as booths send them, Ogg Opus (reused when already
    there)."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    messages = []
    for n in range(count):
        # Lengths from a short remark to a minute-long speech.
        sentences = rng.choice([1, 1, 2, 2, 3, 4, 6, 10]) if n else 11
        text = " ".join(rng.choice(SENTENCES) for _ in range(sentences))
        voice, speed = rng.choice(VOICES), rng.randrange(135, 185, 5)
        lead, tail = rng.choice([(0.0, 0.0), (0.5, 1.0), (1.5, 2.5), (0.3, 4.0)])
        key = hashlib.sha1(f"{text}|{voice}|{speed}|{lead}|{tail}".encode()).hexdigest()[:10]
        path = out / f"msg{n:02d}-{key}.ogg"  # named by content: a changed corpus is rebuilt
        if not path.exists():
            _speak(text, voice, speed, lead, tail, path)
        messages.append(Message(path, text, _seconds(path)))
    return messages


def _speak(text: str, voice: str, speed: int, lead: float, tail: float, path: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.wav"
        subprocess.run(
            ["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(raw), text], check=True
        )
        wav = Path(tmp) / "message.wav"
        subprocess.run(
            [
                "sox",
                str(raw),
                "-r",
                "16000",
                "-c",
                "1",
                "-b",
                "16",
                str(wav),
                "pad",
                str(lead),
                str(tail),
            ],
            check=True,
        )
        samples, _ = sf.read(wav, dtype="int16")
        path.write_bytes(encode(samples))  # the booth's own encoder


def _seconds(path: Path) -> float:
    return float(sf.info(path).duration)
