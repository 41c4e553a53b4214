"""The city's calendar: days and weeks as the people of the city live them.

Times are stored in UTC, but a message left at 00:30 on a Tuesday in Aarhus is Tuesday's
message, although it is still Monday in UTC; a theme that opens on 1 December opens at the
city's midnight. Every process (receivers, workers, the API) cuts days in the same zone,
`INGEST_TIME_ZONE` (default Europe/Copenhagen), so the week counts they keep together agree.
A database hands times back in UTC (SQLite, naive) or in its session's zone (PostgreSQL's
`timezone`, which Debian sets from the server's): both are converted here, never by `.date()`.
"""

import functools
import os
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Europe/Copenhagen"


def parse_zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"unknown time zone {name!r}: use an IANA name such as {DEFAULT_ZONE}"
        ) from exc


@functools.cache
def zone() -> ZoneInfo:
    """Read from the environment, as each process reads its settings (IngestSettings checks
    the same variable at start-up, so a wrong name stops the service instead of a request)."""
    return parse_zone(os.environ.get("INGEST_TIME_ZONE") or DEFAULT_ZONE)


def city_day(moment: datetime) -> date:
    """The city's date of `moment` (a time without a zone is UTC, as SQLite keeps them)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(zone()).date()


def today() -> date:
    return city_day(datetime.now(UTC))


def start_of(day: date) -> datetime:
    """The city's midnight that begins `day`, in UTC."""
    return datetime.combine(day, time(0), tzinfo=zone()).astimezone(UTC)
