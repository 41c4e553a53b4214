"""Durable writes of a batch (shared.files.write_many_atomic, the intake's audio store):
every file whole on return, and a batch that fails part-way leaves no file and no temp."""

from pathlib import Path

import pytest

from ingest.errors import StorageError
from ingest.store.audio import LocalAudioStore
from shared.files import write_many_atomic


def test_a_batch_is_written_whole(tmp_path: Path) -> None:
    files = [(tmp_path / f"clip-{n}.ogg", bytes([n]) * (1000 + n)) for n in range(20)]
    write_many_atomic(files)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == {
        path.name: data for path, data in files
    }


def test_a_batch_that_cannot_be_written_leaves_nothing(tmp_path: Path) -> None:
    (tmp_path / "not-a-folder").write_bytes(b"x")
    files = [
        (tmp_path / "a.ogg", b"first"),
        (tmp_path / "not-a-folder" / "b.ogg", b"second"),  # its folder is a file
    ]
    with pytest.raises(OSError):
        write_many_atomic(files)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-folder"]


def test_the_store_says_what_it_could_not_store(tmp_path: Path) -> None:
    store = LocalAudioStore(tmp_path)
    (tmp_path / "gellerup").write_bytes(b"x")  # where a folder should be
    with pytest.raises(StorageError, match="cannot store 2 clips"):
        store.put_many([("viby/parks/a.ogg", b"a"), ("gellerup/parks/b.ogg", b"b")])
    assert not (tmp_path / "viby" / "parks" / "a.ogg").exists()
    store.put_many([("viby/parks/a.ogg", b"a")])
    assert store.read("viby/parks/a.ogg") == b"a"
