"""The ingest.env docs/server.md has the operator write is read alike by systemd
(EnvironmentFile=) and by the docs' commands (`env $(grep -v '^#' ...)`), and is valid."""

import re
from pathlib import Path

import pytest

from ingest.settings import IngestSettings

SERVER_MD = Path(__file__).parents[2] / "docs" / "server.md"
COMMAND = "env $(grep -v '^#' /etc/ingest/ingest.env)"


def env_file() -> list[str]:
    text = SERVER_MD.read_text(encoding="utf-8")
    block = re.search(r"`/etc/ingest/ingest\.env`.*?```sh\n(.*?)```", text, re.S)
    assert block is not None
    return block.group(1).splitlines()


def test_systemd_and_the_docs_commands_read_the_same_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lines = env_file()
    # An optional setting, once its `# ` is taken away, must read as well as the others.
    optional = [line[2:] for line in lines if re.match(r"# INGEST_\w+=", line)]
    assert optional
    settings = [line for line in lines if line and not line.startswith("#")] + optional
    # systemd: what follows `=` to the end of the line (a `#` there is part of the value).
    by_systemd = dict(line.split("=", 1) for line in settings)
    # The docs' commands: every word of the file's other lines is one NAME=value for env.
    words = " ".join(settings).split()
    assert all(re.fullmatch(r"INGEST_\w+=\S+", word) for word in words), words
    assert dict(word.split("=", 1) for word in words) == by_systemd
    assert not [v for v in by_systemd.values() if "#" in v or v[0] in "'\""]
    for name, value in by_systemd.items():
        monkeypatch.setenv(name, value)
    assert IngestSettings().languages == {"gellerup": "da", "aarhus-c": "da"}
    for doc in ("server.md", "operator.md"):
        text = (SERVER_MD.parent / doc).read_text(encoding="utf-8")
        assert "env $(cat /etc/ingest/ingest.env)" not in text
        assert COMMAND in text
