"""The benchmark's CPU profile reads /proc as the kernel counts: a process that computes is
charged its CPU seconds, one that sleeps is not, and a process's children are found."""

import subprocess
import sys
import time

from bench import cpu
from tests.support.waiting import wait_until

SPIN = "import time\nend = time.time() + 3.0\nwhile time.time() < end: pass"
PARENT = "import subprocess\nsubprocess.run(['sleep', '5'])"


def test_cpu_seconds_go_to_the_process_that_used_them() -> None:
    spinner = subprocess.Popen([sys.executable, "-c", SPIN])
    parent = subprocess.Popen([sys.executable, "-c", PARENT])
    try:
        assert wait_until(lambda: bool(cpu.children(parent.pid)), 10)
        groups = {
            "spinner": lambda: [spinner.pid],
            "sleeper": lambda: cpu.children(parent.pid),
            "by name": lambda: cpu.named("sleep 5"),
        }
        with cpu.CpuShare(groups) as share:
            time.sleep(1.0)
    finally:
        for process in (spinner, parent):
            process.kill()
            process.wait()
    assert share.seconds["spinner"] >= 0.1  # it computed for the whole second it was given
    assert share.seconds["sleeper"] <= 0.05 and share.seconds["by name"] <= 0.05
    assert share.seconds["wall"] >= 1.0
    assert cpu.cpu_s(spinner.pid) == 0.0  # gone: nothing more to charge
