"""Fresh PostgreSQL databases for tests and benches: on the server at 127.0.0.1:5432 (trust
auth) when one runs there, else on a throwaway cluster this process makes with Debian's
`postgresql` package (initdb + pg_ctl under a temporary directory, on a free port, gone
when the process ends). So `make test` runs the PostgreSQL tests wherever that package is
installed (deploy/tools/system-deps.sh installs it), with or without a server."""

import atexit
import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from tests.support.broker import free_port

POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def reachable(url: str) -> bool:
    engine = create_engine(url, connect_args={"connect_timeout": 2})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except OperationalError:
        return False
    finally:
        engine.dispose()


def postgres_reachable() -> bool:
    return admin_url() is not None


def _binary(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


class ThrowawayCluster:
    """A PostgreSQL cluster of its own under `folder`: trust auth, user `postgres`, on
    127.0.0.1 at a free port. PostgreSQL refuses to run as root; as root it runs as the
    `postgres` user Debian's package made."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        result = subprocess.run(
            [*prefix, *command], capture_output=True, text=True, timeout=120, cwd="/"
        )
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")

    def start(self) -> "ThrowawayCluster":
        initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
        if initdb is None or pg_ctl is None:
            raise RuntimeError("no initdb/pg_ctl: install Debian's postgresql package")
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run(
            initdb, "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
            "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c fsync=off "
            "-c timezone=Europe/Copenhagen"
        )
        self._run(
            pg_ctl, "-D", str(self.data), "-l", str(self.folder / "log"), "-o", options, "-w",
            "start",
        )  # fmt: skip
        return self

    def stop(self) -> None:
        pg_ctl = _binary("pg_ctl")
        if pg_ctl is not None and self.data.exists():
            with contextlib.suppress(RuntimeError):  # not running
                self._run(pg_ctl, "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


_lock = threading.Lock()
_admin: list[str | None] = []  # the answer, once known


def admin_url() -> str | None:
    """The admin URL of a PostgreSQL server for tests: the running one, else a throwaway
    cluster made now (once per process); None when neither is possible."""
    with _lock:
        if not _admin:
            _admin.append(_find_or_make())
        return _admin[0]


def _find_or_make() -> str | None:
    if reachable(POSTGRES_ADMIN_URL):
        return POSTGRES_ADMIN_URL
    if _binary("initdb") is None:
        return None
    cluster = ThrowawayCluster(Path(tempfile.mkdtemp(prefix="dn-postgres-")))
    atexit.register(cluster.stop)
    try:
        cluster.start()
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        print(f"could not start a throwaway PostgreSQL: {exc}")
        return None
    return cluster.url


@contextmanager
def fresh_database(prefix: str) -> Iterator[str | None]:
    """The URL of a new, empty database, dropped afterwards; None if there is no server."""
    server = admin_url()
    if server is None:
        yield None
        return
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
        # As on a server installed in Denmark: Debian's initdb takes the system's zone, and
        # PostgreSQL hands times back in it.
        connection.execute(text(f"ALTER DATABASE \"{name}\" SET timezone TO 'Europe/Copenhagen'"))
    try:
        yield server.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
