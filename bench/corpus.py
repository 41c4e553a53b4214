"""A fixed, seeded corpus of booth-like messages spoken by espeak-ng: varied voices, speeds
and silences, 3 to 60 seconds long, each put through the booth's own processing (its VAD
trims the silence and maps the speech, its encoder writes Ogg Opus): what booths send."""

import hashlib
import json
import random
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import soundfile as sf

from booth.processing import Message as Call
from booth.processing import Processor
from booth.settings import BoothSettings
from booth.spool import Spool
from booth.tape import Tape
from shared.clip import SpeechMap, parse_speech_map

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
# Danish, as callers in Aarhus might say it; espeak-ng's one Danish voice in several variants.
DANISH_SENTENCES = [
    "Vi har brug for flere bænke og træer i parken ved skolen.",
    "Bussen til centrum burde komme hvert tiende minut om morgenen.",
    "Hold biblioteket åbent om søndagen, det er det eneste stille sted for studerende.",
    "Cykelstien på hovedvejen slutter pludselig, og det er farligt for børnene.",
    "Jeg vil gerne have en legeplads for de store børn med en basketballbane.",
    "Der ligger alt for meget affald omkring indkøbscentret efter weekenden.",
    "Vores kvarter mangler et sted, hvor unge og gamle kan mødes.",
    "Gadelyset i tunnelen under jernbanen er gået i stykker igen.",
    "Gør havnefronten til et sted, hvor man kan bade om sommeren.",
    "Flere blomster langs åen ville gøre turen til arbejde meget pænere.",
    "De nye boliger skal have plads til familier med små indkomster.",
    "Bilerne kører alt for stærkt forbi børnehaven hver eftermiddag.",
    "Jeg elsker torvet om lørdagen, lad det endelig blive på pladsen.",
    "Vi burde plante frugttræer, som alle på vejen kan plukke fra.",
    "Beboerhuset har brug for en rampe, så kørestolsbrugere kan komme ind.",
]
DANISH_VOICES = ["da", "da+f3", "da+m3", "da+m7"]


@dataclass(frozen=True)
class Message:
    path: Path
    text: str
    seconds: float
    speech: SpeechMap | None = None  # the booth's speech map, sent with the clip


def build(out: Path, count: int = 24, seed: int = 2026, language: str = "en") -> list[Message]:
    """Write `count` messages into `out` as booths send them, Ogg Opus with a speech map
    beside it (reused when already there). `language`: "en", or "da" for Danish."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    lines, voices = (DANISH_SENTENCES, DANISH_VOICES) if language == "da" else (SENTENCES, VOICES)
    messages = []
    for n in range(count):
        # Lengths from a short remark to a minute-long speech.
        sentences = rng.choice([1, 1, 2, 2, 3, 4, 6, 10]) if n else 11
        text = " ".join(rng.choice(lines) for _ in range(sentences))
        voice, speed = rng.choice(voices), rng.randrange(135, 185, 5)
        lead, tail = rng.choice([(0.0, 0.0), (0.5, 1.0), (1.5, 2.5), (0.3, 4.0)])
        key = hashlib.sha1(f"{text}|{voice}|{speed}|{lead}|{tail}".encode()).hexdigest()[:10]
        path = out / f"msg{n:02d}-{key}-booth.ogg"  # named by content: changes rebuild it
        if not path.exists():
            _as_booth_sends(_speak(text, voice, speed, lead, tail), path)
        messages.append(_message(path, text))
    return messages


def _message(path: Path, text: str) -> Message:
    meta = json.loads(path.with_suffix(".json").read_text())
    speech = parse_speech_map(meta["speech"], int(meta["duration_ms"]))
    return Message(path, text, _seconds(path), speech)


def _as_booth_sends(samples: np.ndarray, path: Path) -> None:
    """The booth's processing of one call (booth.processing): trim, map, encode, spool."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = BoothSettings(id="bench", spool_dir=Path(tmp) / "spool", theme="parks")
        spool = Spool(settings.spool_dir)
        tape = Tape(Path(tmp) / "tape.raw")
        tape.append(samples)
        call = Call(1, "parks", "gellerup", 1, datetime.now(UTC), "1234", tape)
        meta = Processor(settings, spool).process(call)
        if meta is None:
            raise RuntimeError(f"the booth kept nothing of {path.name}")
        path.write_bytes((spool.outbox / f"{meta.clip_id}.ogg").read_bytes())
        path.with_suffix(".json").write_text(json.dumps(meta.to_dict(), indent=1))


def _speak(text: str, voice: str, speed: int, lead: float, tail: float) -> np.ndarray:
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
        return np.asarray(samples)


def _seconds(path: Path) -> float:
    return float(sf.info(path).duration)
