"""Shapes of the identifiers and words the API takes, stated once for every route.

Tight patterns keep junk (control characters, NUL bytes the database would choke on) out
before any query runs, and tell API clients exactly what is expected.
"""

import re
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Path, Query
from pydantic import BeforeValidator

from ingest.store.queries import CURSOR_PATTERN, ClipFilter, ModerationState, Status
from shared.topics import SLUG_PATTERN

CLIP_ID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
PRINTABLE_PATTERN = r"^[^\x00-\x1f\x7f]*$"

ClipId = Annotated[str, Path(pattern=CLIP_ID_PATTERN, description="the clip's UUID")]
BoothId = Annotated[str, Path(pattern=SLUG_PATTERN)]
ThemeSlug = Annotated[str, Path(pattern=SLUG_PATTERN)]
SlugFilter = Annotated[str | None, Query(pattern=SLUG_PATTERN)]
LanguageFilter = Annotated[str | None, Query(pattern=r"^[a-z]{2,3}$")]
Words = Annotated[
    str | None,
    Query(max_length=200, pattern=PRINTABLE_PATTERN, description="words to find in transcripts"),
]
Cursor = Annotated[
    str | None,
    Query(
        pattern=CURSOR_PATTERN,
        description="`next_cursor` of a page, passed back as it came (opaque and signed: "
        "one this service did not make is refused with 400)",
    ),
]


def _rfc3339(value: object) -> object:
    # pydantic would take "0.5" for a Unix time; the API speaks RFC 3339 only.
    if isinstance(value, str) and not re.match(r"^\d{4}-\d{2}-\d{2}", value):
        raise ValueError("expected an RFC 3339 date-time such as 2026-05-01T12:00:00Z")
    return value


Moment = Annotated[datetime, BeforeValidator(_rfc3339)]


def clip_filter(
    neighborhood: SlugFilter = None,
    theme: SlugFilter = None,
    booth: SlugFilter = None,
    status: Status | None = None,
    moderation: ModerationState | None = None,
    language: LanguageFilter = None,
    recorded_from: Annotated[Moment | None, Query(description="inclusive, RFC 3339")] = None,
    recorded_to: Annotated[Moment | None, Query(description="exclusive, RFC 3339")] = None,
    q: Words = None,
) -> ClipFilter:
    """The planners' filters, read from the query string."""
    return ClipFilter(
        neighborhood, theme, booth, status, moderation, language, recorded_from, recorded_to, q
    )


Filters = Annotated[ClipFilter, Depends(clip_filter)]
