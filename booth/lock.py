"""One agent per booth. `booth run` holds an flock in the state directory for its life, so a
second agent, or `booth check` while the service runs, learns that the pins, the sound card,
the spool and the broker session are taken, instead of fighting over them (lgpio answers
"GPIO busy", an ALSA hw: device "busy", and a second login with the booth's client id knocks
the first off the broker). The kernel drops the lock when the agent dies, however it dies."""

import fcntl
import os
from pathlib import Path

LOCK_FILE = "agent.lock"


class AgentLock:
    def __init__(self, state_dir: Path) -> None:
        self.path = state_dir / LOCK_FILE
        self._fd: int | None = None

    def acquire(self) -> bool:
        """Take the lock; False if another agent holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the flock
            self._fd = None


def agent_running(state_dir: Path) -> bool:
    """Does an agent hold this booth's lock? (Read-only: the check may run as another user.)"""
    try:
        fd = os.open(state_dir / LOCK_FILE, os.O_RDONLY)
    except OSError:  # no lock file: no agent has run here
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
