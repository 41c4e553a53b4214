"""SIGKILL the booth while it writes clips into the spool: after a restart no partial clip is
ever offered for sending and no finished clip is missing."""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from booth.spool import Spool
from shared.clip import sha256_hex

pytestmark = pytest.mark.slow

WRITER = """
import os, sys, uuid
from datetime import UTC, datetime
from booth.spool import Spool
from shared.clip import ClipMeta, sha256_hex
spool = Spool(__import__("pathlib").Path(sys.argv[1]), budget_bytes=10**10)
while True:
    audio = os.urandom(int.from_bytes(os.urandom(3)) % 3_000_000 + 1000)
    meta = ClipMeta(uuid.uuid4(), "booth-1", "gellerup", "parks", datetime.now(UTC),
                    6000, sha256_hex(audio))
    spool.put(meta, audio)
    print(meta.clip_id, flush=True)
"""


def test_no_partial_clip_is_sent_and_no_finished_clip_is_lost(tmp_path: Path) -> None:
    root = tmp_path / "spool"
    finished: set[str] = set()
    written = 0
    rng = random.Random(7)
    for _ in range(12):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(root)], stdout=subprocess.PIPE, text=True
        )
        assert writer.stdout is not None
        first = writer.stdout.readline()  # started and wrote one, however slow the machine
        time.sleep(rng.random() * 0.3)  # a few more writes, then the cut
        os.kill(writer.pid, signal.SIGKILL)
        out, _ = writer.communicate()
        new = set((first + out).split())
        written += len(new)
        finished |= new

        spool = Spool(root, budget_bytes=10**10)  # the booth starting again
        pending = {str(c.meta.clip_id): c for c in spool.pending()}
        assert finished <= set(pending), "a clip whose write finished was lost"
        for clip in pending.values():
            assert sha256_hex(spool.read_audio(clip)) == clip.meta.sha256, "partial clip offered"
        leftovers = [p.name for p in spool.outbox.iterdir() if p.name.endswith(".tmp")]
        assert leftovers == []
        orphans = [p for p in spool.outbox.glob("*.ogg") if p.stem not in pending]
        assert orphans == []
        # Settle some, as acks would, so the spool sees deletes interrupted too.
        for clip_id in list(pending)[: len(pending) // 2]:
            spool.delete(clip_id)
            finished.discard(clip_id)
    assert written >= 12
    assert spool.quarantined() == []
