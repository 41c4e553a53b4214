"""Shapes of the identifiers and words the API takes, stated once for every route.

Tight patterns keep junk (control characters, NUL bytes the database would choke on) out
before any query runs, and tell API clients exactly what is expected.
"""

from typing import Annotated

from fastapi import Path, Query

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
    Query(max_length=500, pattern=r"^[A-Za-z0-9_=-]*$", description="`next_cursor` of a page"),
]
