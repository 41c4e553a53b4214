"""Redaction: CPU time per 150-word transcript, and what the name lists cost in memory.

Both are measured in a fresh interpreter, so that the lists are loaded once, as in the
service, and nothing else this run has done is in the figures."""

import json
import subprocess
import sys
from typing import Any

_PROBE = r"""
import json, resource, time, tracemalloc
from pathlib import Path

from tests.unit.test_redaction_corpus import DEVELOPMENTS, cases
from ingest.language.redaction import find_spans
from ingest.language.redaction.lists import lists

words = " ".join(c.text for corpus in DEVELOPMENTS for c in cases(corpus)).split()
texts = [" ".join(words[i : i + 150]) for i in range(0, len(words) - 150, 150)]

def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

before = rss_mb()
tracemalloc.start()
lists()
held, _ = tracemalloc.get_traced_memory()
tracemalloc.stop()
after = rss_mb()
find_spans(texts[0])  # the first call also compiles what the rules import lazily
times = []
for text in texts[1:]:
    started = time.process_time()
    find_spans(text)
    times.append((time.process_time() - started) * 1000)
times.sort()
print(json.dumps({
    "texts": len(times),
    "ms_per_150_words_mean": round(sum(times) / len(times), 2),
    "ms_per_150_words_p50": round(times[len(times) // 2], 2),
    "ms_per_150_words_p95": round(times[int(len(times) * 0.95)], 2),
    "name_lists_python_mb": round(held / 2**20, 1),
    "name_lists_rss_mb": round(after - before, 1),
}))
"""


def run() -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True
    )
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures
