"""What the caller hears: built-in prompts, theme prompts from the cache, tones."""

import logging
from pathlib import Path
from typing import BinaryIO

import numpy as np
import soundfile as sf

from booth.call import Sound

log = logging.getLogger(__name__)

RATE = 16_000
BUILT_IN = Path(__file__).parent / "sounds"

Samples = np.ndarray  # int16, mono, 16 kHz


def tone(freq_hz: float, seconds: float, volume: float = 0.3) -> Samples:
    t = np.arange(int(RATE * seconds)) / RATE
    wave = np.sin(2 * np.pi * freq_hz * t) * volume
    fade = min(len(wave) // 2, RATE // 100)  # 10 ms ramps, so the handset does not click
    if fade:
        ramp = np.linspace(0.0, 1.0, fade)
        wave[:fade] *= ramp
        wave[-fade:] *= ramp[::-1]
    return (wave * 32767).astype(np.int16)


BEEP = tone(1000, 0.4)
FALLBACK = np.concatenate([tone(660, 0.25), np.zeros(RATE // 10, np.int16), tone(440, 0.35)])


def load(path: Path | BinaryIO) -> Samples:
    """Read any file soundfile knows as 16 kHz mono int16; raises on anything else."""
    data, rate = sf.read(path, dtype="int16", always_2d=True)
    if rate != RATE:
        raise ValueError(f"{path} is {rate} Hz, prompts must be {RATE} Hz")
    return np.ascontiguousarray(data[:, 0])


PAUSE = np.zeros(RATE // 5, np.int16)


class PromptLibrary:
    """Prompts by name, Danish first and English after. The cache (filled by remote config)
    wins over the built-in voices; a missing or unreadable prompt gives the fallback tone and
    a log line, never a crash."""

    def __init__(self, cache_dir: Path | None = None, consent_key: str = "#") -> None:
        self.cache_dir = cache_dir
        self.consent_key = consent_key
        # theme -> content hash of its prompt in the cache, from the config in use
        self.theme_prompts: dict[str, str] = {}
        self._greeting: tuple[str, Samples] | None = None  # (consent key, sound)

    def sound(self, sound: Sound, theme: str | None = None, receipt: str | None = None) -> Samples:
        if sound is Sound.BEEP:
            return BEEP
        if sound is Sound.THEME_PROMPT:
            digest = self.theme_prompts.get(theme or "")
            return self.named(digest if digest else f"theme_{theme}")
        if sound is Sound.GREETING:  # kept: the caller waits for it after lifting
            if self._greeting is None or self._greeting[0] != self.consent_key:
                joined = self._join([self.named("greeting"), *self.consent_instruction()])
                self._greeting = (self.consent_key, joined)
            return self._greeting[1]
        if sound is Sound.THANKS and receipt:
            danish = [self.named("thanks"), *(self.named(f"digit_{d}") for d in receipt)]
            english = [self.named("thanks_en"), *(self.named(f"digit_en_{d}") for d in receipt)]
            return self._join([*danish, *english])
        return self.named(sound.value)

    def consent_instruction(self) -> list[Samples]:
        """How to say yes on this booth: the hash or star key, or a digit on a rotary dial."""
        key = self.consent_key
        if key == "#":
            return [self.named("consent_hash")]
        if key == "*":
            return [self.named("consent_star")]
        return [
            self.named("consent_dial_da"),
            self.named(f"digit_{key}"),
            self.named("consent_dial_en"),
            self.named(f"digit_en_{key}"),
        ]

    @staticmethod
    def _join(parts: list[Samples]) -> Samples:
        return np.concatenate([piece for part in parts for piece in (part, PAUSE)])

    def named(self, name: str) -> Samples:
        """Read when played, not kept: a few milliseconds of FLAC decoding per prompt
        against 1-2 MB held for the booth's lifetime (docs/performance.md)."""
        return self._read(name)

    def _read(self, name: str) -> Samples:
        for folder in (self.cache_dir, BUILT_IN):
            if folder is None:
                continue
            for ext in ("flac", "wav", "ogg"):
                path = folder / f"{name}.{ext}"
                if path.exists():
                    try:
                        return load(path)
                    except (sf.LibsndfileError, ValueError, RuntimeError) as exc:
                        log.error("prompt %s unreadable (%s); playing the fallback tone", path, exc)
                        return FALLBACK
        log.warning("prompt %s missing; playing the fallback tone", name)
        return FALLBACK
