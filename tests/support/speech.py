"""Test speech made on the spot with espeak-ng, resampled to 16 kHz mono with sox."""

import shutil
import subprocess
from pathlib import Path


def speak(
    text: str,
    out: Path,
    *,
    voice: str = "en-us",
    speed: int = 150,
    lead_s: float = 0.0,
    tail_s: float = 0.0,
) -> Path:
    """Write `text` as 16 kHz mono WAV, with optional silence before and after."""
    if shutil.which("espeak-ng") is None or shutil.which("sox") is None:
        raise RuntimeError("espeak-ng and sox are needed (apt-get install espeak-ng sox)")
    raw = out.with_suffix(".raw.wav")
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(raw), text], check=True)
    effects = ["pad", str(lead_s), str(tail_s)] if lead_s or tail_s else []
    subprocess.run(
        ["sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(out), *effects], check=True
    )
    raw.unlink()
    return out


def word_error_rate(reference: str, hypothesis: str) -> float:
    import jiwer

    def norm(text: str) -> str:
        return "".join(c for c in text.lower() if c.isalnum() or c.isspace())

    return float(jiwer.wer(norm(reference), norm(hypothesis)))
