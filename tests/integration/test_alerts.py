"""The operator's alerts (deploy/prometheus/alerts.yml): promtool's own rule tests, and
every figure the rules and the Grafana dashboard read is one that ingest's /metrics serves."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from ingest.store.models import ClipStatus
from tests.integration.conftest import Api

RULES = Path(__file__).resolve().parents[2] / "deploy" / "prometheus"
PROMTOOL = shutil.which("promtool")


@pytest.mark.skipif(PROMTOOL is None, reason="promtool missing: Debian's prometheus package")
def test_the_alert_rules_pass_their_promtool_tests() -> None:
    assert PROMTOOL is not None
    result = subprocess.run(
        [PROMTOOL, "test", "rules", "alerts.test.yml"],
        cwd=RULES,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_figure_the_alerts_read_is_served(api: Api) -> None:
    api.add_clip("", status=ClipStatus.RECEIVED)
    served = set(re.findall(r"^# TYPE (\w+) ", api.client.get("/metrics").text, re.M))
    rules = yaml.safe_load((RULES / "alerts.yml").read_text(encoding="utf-8"))
    read = {
        name
        for group in rules["groups"]
        for rule in group["rules"]
        for name in re.findall(r"\b(ingest_\w+)", rule["expr"])
    }
    assert len(read) >= 6
    assert read <= served, read - served


def test_every_figure_the_dashboard_shows_is_served(api: Api) -> None:
    api.add_clip("", status=ClipStatus.RECEIVED)
    served = set(re.findall(r"^# TYPE (\w+) ", api.client.get("/metrics").text, re.M))
    dashboard = json.loads((RULES / "grafana-dashboard.json").read_text(encoding="utf-8"))
    shown = {
        re.sub(r"_(sum|count|total)$", "", name)
        for panel in dashboard["panels"]
        for target in panel["targets"]
        for name in re.findall(r"\b(ingest_\w+)", target["expr"])
    }
    # Counters are typed without _total, histograms without _sum/_count.
    served_bases = {re.sub(r"_total$", "", name) for name in served}
    assert len(shown) >= 10
    assert shown <= served_bases, shown - served_bases
