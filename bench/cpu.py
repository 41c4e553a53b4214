"""CPU time by process while a load runs: where a machine's cores went (Linux /proc).

The intake benchmarks run the whole city path on one 2-core machine: the load's booths,
mosquitto, ingest (receiver and API), its transcription worker, PostgreSQL and the S3
stand-in all take turns on the same cores. Clips/s alone cannot say which of them limits;
the CPU seconds each used during the load can.
"""

import os
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

_TICK = os.sysconf("SC_CLK_TCK")
_PROC = Path("/proc")


def cpu_s(pid: int) -> float:
    """User and system time of one process so far; 0 once it is gone."""
    try:
        fields = (_PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime (stat fields 14, 15)


def children(pid: int) -> list[int]:
    """The processes `pid` started, and theirs."""
    found: list[int] = []
    for task in (_PROC / str(pid) / "task").glob("*"):
        try:
            kids = [int(k) for k in (task / "children").read_text().split()]
        except OSError:
            continue
        for kid in kids:
            found += [kid, *children(kid)]
    return found


def named(*words: str) -> list[int]:
    """Processes whose command line holds one of `words` (postgres, moto_server)."""
    found = []
    for entry in _PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if any(word in command for word in words):
            found.append(int(entry.name))
    return found


class CpuShare:
    """`with CpuShare({"mosquitto": lambda: [pid], ...}) as share:` ... `share.seconds`:
    the CPU seconds each group used inside the block, and the wall seconds it lasted."""

    def __init__(self, groups: dict[str, Callable[[], list[int]]]) -> None:
        self.groups = groups
        self.seconds: dict[str, float] = {}
        self._start: dict[int, float] = {}
        self._pids: dict[str, list[int]] = {}

    def __enter__(self) -> "CpuShare":
        self._pids = {name: find() for name, find in self.groups.items()}
        self._start = {pid: cpu_s(pid) for pids in self._pids.values() for pid in pids}
        self._wall = time.perf_counter()
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _exc: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        wall = time.perf_counter() - self._wall
        for name, pids in self._pids.items():
            used = sum(cpu_s(pid) - self._start[pid] for pid in pids)
            self.seconds[name] = round(used, 1)
        self.seconds["wall"] = round(wall, 1)
