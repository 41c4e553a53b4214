"""The tests' own PostgreSQL: where no server runs, a throwaway cluster is made from
Debian's package, and a PostgreSQL test that cannot reach one fails in CI."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.support.postgres import ThrowawayCluster, _binary

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(_binary("initdb") is None, reason="Debian's postgresql package is missing")
def test_a_throwaway_cluster_serves_and_goes() -> None:
    # Under the system's temporary folder: pytest's own is closed to the `postgres` user
    # that the server runs as when the tests run as root.
    cluster = ThrowawayCluster(Path(tempfile.mkdtemp(prefix="dn-postgres-"))).start()
    try:
        engine = create_engine(cluster.url)
        with engine.connect() as connection:
            assert connection.execute(text("SHOW server_version")).scalar()
            assert connection.execute(text("SELECT to_tsvector('danish', 'bænkene')")).scalar()
        engine.dispose()
    finally:
        cluster.stop()
    assert not cluster.folder.exists()


def test_a_postgresql_test_fails_in_ci_when_there_is_no_server(tmp_path: Path) -> None:
    """With neither a server nor initdb (PATH and the package folder hidden), the fixture
    skips on a desk and fails under CI (an error in its fixture, never a skip)."""
    probe = tmp_path / "test_probe.py"
    probe.write_text(
        "import pytest\n"
        "import tests.support.postgres as pg\n"
        "from tests.conftest import database_url  # noqa: F401\n"
        "pg.POSTGRES_ADMIN_URL = 'postgresql+psycopg://postgres@127.0.0.1:1/postgres'\n"
        "pg._binary = lambda name: None\n"
        "@pytest.mark.parametrize('database_url', ['postgresql'], indirect=True)\n"
        "def test_needs_postgres(database_url):\n"
        "    assert database_url\n"
    )
    for ci, outcome in (("", "1 skipped"), ("true", "1 error")):
        env = {**os.environ, "CI": ci, "PYTHONPATH": str(ROOT)}
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(probe),
             "--rootdir", str(ROOT), "-c", str(ROOT / "pyproject.toml"),
             "--confcutdir", str(ROOT)],
            env=env, capture_output=True, text=True, timeout=120, cwd=ROOT,
        )  # fmt: skip
        assert outcome in result.stdout, result.stdout + result.stderr
