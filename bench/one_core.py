"""The booth on one core of a Pi: the latency figures of bench/booth.py measured while a
600-s message is trimmed and encoded beside the calls, in a process pinned to core 0
(`taskset -c 0`) and held to a share of that core.

The share works as the kernel's CPU bandwidth control does (`CPUQuota=`): each 100 ms
period the process may run `share` x 100 ms summed over its threads, then it is stopped
until the period ends; a process that idles is never held back. Done from outside with
SIGSTOP/SIGCONT and the threads' run times (/proc/PID/task/*/schedstat, ns), so it needs
no cgroup of its own.
"""

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

# A Pi 4 core (Cortex-A72, 1.5 GHz) taken as a quarter of one of this machine's cores: an
# assumption, not a measurement (docs/performance.md says why sysbench did not settle it).
PI4_SHARE = 0.25
PERIOD_S = 0.1
TICK_S = 0.005

CHILD = """
import json, sys, threading, time
from pathlib import Path
import numpy as np, soundfile as sf
from bench.booth import latencies
from booth.processing import Message, Processor
from booth.settings import BoothSettings
from booth.spool import Spool
from booth.tape import Tape
from datetime import UTC, datetime
import tempfile

speech, _ = sf.read(sys.argv[1], dtype="int16")
message_s = float(sys.argv[2])
with tempfile.TemporaryDirectory() as tmp:
    settings = BoothSettings(id="bench", spool_dir=Path(tmp) / "spool", theme="parks")
    tape = Tape(Path(tmp) / "tape.raw")
    total = int(message_s * 16000)
    for start in range(0, total, 160000):
        tape.append(speech[np.arange(start, min(total, start + 160000)) % len(speech)])
    message = Message(1, "parks", "gellerup", 1, datetime.now(UTC), "1234", tape)
    spent = {}
    def process():
        started = time.perf_counter()
        Processor(settings, Spool(settings.spool_dir)).process(message)
        spent["s"] = time.perf_counter() - started
    worker = threading.Thread(target=process)
    worker.start()
    figures = latencies(speech, calls=int(sys.argv[3]))
    figures["calls_during_processing"] = worker.is_alive()
    worker.join()
    figures["message_processing_wall_s"] = round(spent["s"], 2)
print(json.dumps(figures))
"""


def _run_ns(pid: int) -> int:
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError, ValueError, IndexError):  # a thread that just ended
            total += int((task / "schedstat").read_text().split()[0])
    return total


def _hold_to_share(process: subprocess.Popen[str], share: float) -> None:
    """Until the process ends: stop it for the rest of each period once it has run its
    share of the period."""
    budget = share * PERIOD_S * 1e9
    while process.poll() is None:
        period_end = time.monotonic() + PERIOD_S
        try:
            used_from = _run_ns(process.pid)
            while time.monotonic() < period_end:
                if _run_ns(process.pid) - used_from >= budget:
                    os.kill(process.pid, signal.SIGSTOP)
                    time.sleep(max(0.0, period_end - time.monotonic()))
                    os.kill(process.pid, signal.SIGCONT)
                    break
                time.sleep(TICK_S)
        except (FileNotFoundError, ProcessLookupError):
            return


def run(
    speech_path: Path, share: float = PI4_SHARE, message_s: float = 600, calls: int = 10
) -> dict[str, Any]:
    child = subprocess.Popen(
        [
            "taskset",
            "-c",
            "0",
            sys.executable,
            "-c",
            CHILD,
            str(speech_path),
            str(message_s),
            str(calls),
        ],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "BOOTH_CONFIG_FILE": "/nonexistent"},
    )
    _hold_to_share(child, share)
    out, _ = child.communicate()
    if child.returncode:
        raise RuntimeError(f"the one-core booth bench failed ({child.returncode})")
    return {
        "cpu": f"core 0 (taskset -c 0), held to {share:.0%} of it: a Pi 4 core taken as "
        f"1/{1 / share:.0f} of this machine's",
        "message_s": message_s,
        **json.loads(out.strip().splitlines()[-1]),
    }


if __name__ == "__main__":
    print(
        json.dumps(
            run(Path(sys.argv[1]), message_s=float(sys.argv[2]) if len(sys.argv) > 2 else 600),
            indent=1,
        )
    )
