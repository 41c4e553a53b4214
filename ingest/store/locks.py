"""PostgreSQL advisory locks: one holder at a time across every ingest process.

A session-level lock lives as long as the connection that took it: when its holder dies,
the server ends the connection and the lock is free for the next one that asks. SQLite is
one host's database: there every caller holds every lock (the roles on one box are one
receiver and its worker, which never run the chores twice).
"""

import hashlib
import logging
import threading
from typing import Any

from sqlalchemy import Connection, Engine, text

log = logging.getLogger(__name__)


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for a lock's name (advisory locks are keyed by bigint)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def wait_for_lock(connection: Connection, name: str) -> None:
    """Within the connection's transaction, wait for the lock; it is released at its end."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key(name)})


class AdvisoryLock:
    """A lock held between calls of `held()` on a connection of its own."""

    def __init__(self, engine: Engine, name: str) -> None:
        self.engine = engine
        self.name = name
        self.key = lock_key(name)
        self._connection: Any = None
        self._guard = threading.Lock()  # one connection, asked from several threads

    def held(self) -> bool:
        """True while this process holds the lock; tries to take it when it does not."""
        if self.engine.dialect.name != "postgresql":
            return True
        with self._guard:
            return self._held()

    def _held(self) -> bool:
        if self._connection is not None:
            try:  # still ours while our connection lives
                self._connection.execute(text("SELECT 1"))
                return True
            except Exception:
                log.warning("lost the connection holding lock %s", self.name)
                self._drop()
        try:
            connection = self.engine.connect()
            connection.execution_options(isolation_level="AUTOCOMMIT")
            taken = connection.execute(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}
            ).scalar()
        except Exception:
            log.exception("could not ask for lock %s", self.name)
            return False
        if not taken:
            connection.close()
            return False
        log.info("holding lock %s", self.name)
        self._connection = connection
        return True

    def release(self) -> None:
        with self._guard:
            self._release()

    def _release(self) -> None:
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
            except Exception:
                log.warning("could not unlock %s; closing its connection frees it", self.name)
            self._drop()

    def _drop(self) -> None:
        try:
            self._connection.invalidate()  # never back to the pool holding a lock
            self._connection.close()
        except Exception:
            pass
        self._connection = None
