"""JSON log lines carry the clip id so one clip can be followed through the service."""

import json
import logging

from ingest.logs import JsonFormatter


def test_json_lines_carry_clip_fields() -> None:
    record = logging.LogRecord(
        "ingest.receive.intake", logging.WARNING, __file__, 1, "rejected %s", ("x",), None
    )
    record.clip_id = "c-1"
    record.reason = "oversize"
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "rejected x"
    assert (line["level"], line["clip_id"], line["reason"]) == ("warning", "c-1", "oversize")
    assert "booth_id" not in line
