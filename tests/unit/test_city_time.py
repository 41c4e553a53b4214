"""Days and weeks in the city's zone, not UTC's."""

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from ingest import city_time
from ingest.city_time import city_day
from ingest.publish.aggregates import monday
from ingest.settings import IngestSettings


@pytest.fixture(autouse=True)
def fresh_zone() -> object:
    city_time.zone.cache_clear()
    yield
    city_time.zone.cache_clear()


def test_a_call_after_midnight_in_aarhus_belongs_to_the_new_day() -> None:
    # Monday 23:30 UTC in winter is Tuesday 00:30 in Copenhagen (UTC+1)...
    assert city_day(datetime(2026, 1, 5, 23, 30, tzinfo=UTC)) == date(2026, 1, 6)
    # ...and in summer (UTC+2) 22:30 UTC already is.
    assert city_day(datetime(2026, 6, 30, 22, 30, tzinfo=UTC)) == date(2026, 7, 1)
    assert city_day(datetime(2026, 6, 30, 21, 59, tzinfo=UTC)) == date(2026, 6, 30)
    # Sunday night 23:30 UTC is Monday in Aarhus: a new week.
    assert monday(city_day(datetime(2026, 1, 11, 23, 30, tzinfo=UTC))) == date(2026, 1, 12)


def test_a_time_without_a_zone_is_utc_as_sqlite_keeps_it() -> None:
    assert city_day(datetime(2026, 1, 5, 23, 30)) == date(2026, 1, 6)


def test_the_zone_is_the_citys_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INGEST_TIME_ZONE", "UTC")
    assert city_day(datetime(2026, 1, 5, 23, 30, tzinfo=UTC)) == date(2026, 1, 5)
    assert IngestSettings().time_zone == "UTC"


def test_an_unknown_zone_is_refused_with_the_reason() -> None:
    with pytest.raises(ValidationError, match="unknown time zone 'Aarhus'"):
        IngestSettings(time_zone="Aarhus")


def test_the_service_refuses_to_start_in_an_unknown_zone(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ingest.cli import EX_CONFIG, main

    monkeypatch.setenv("INGEST_TIME_ZONE", "Aarhus")
    assert main(["token", "list"]) == EX_CONFIG  # systemd does not restart it in a loop
    said = capsys.readouterr().err
    assert "bad ingest settings" in said and "unknown time zone 'Aarhus'" in said
    assert "Traceback" not in said
