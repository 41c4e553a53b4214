"""A sound card made of files: ALSA `file` PCMs behind a device named `booth`.

What the booth plays is written to `played.raw`; what it records is read from
`caller.raw` (16 kHz mono S16_LE). PortAudio reads the ALSA config at start, so code using
it runs in a subprocess with HOME pointing here.
"""

from pathlib import Path

import numpy as np

ASOUNDRC = """pcm.booth {{
    type asym
    playback.pcm {{
        type file
        slave.pcm "null"
        file "{played}"
        format "raw"
    }}
    capture.pcm {{
        type file
        slave.pcm "null"
        file "/dev/null"
        infile "{caller}"
        format "raw"
    }}
}}
"""


class FileSoundCard:
    def __init__(self, home: Path, caller: np.ndarray) -> None:
        home.mkdir(parents=True, exist_ok=True)
        self.home = home
        self.played = home / "played.raw"
        self.caller = home / "caller.raw"
        caller.astype("<i2").tofile(self.caller)
        (home / ".asoundrc").write_text(ASOUNDRC.format(played=self.played, caller=self.caller))

    def env(self) -> dict[str, str]:
        return {"HOME": str(self.home)}

    def played_samples(self) -> np.ndarray:
        return np.fromfile(self.played, dtype="<i2") if self.played.exists() else np.zeros(0)
