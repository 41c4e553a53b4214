"""The migrations build the schema the models describe: a freshly migrated database has
every table, column, type, index and foreign key of `ingest.store.models` and nothing else,
on SQLite and on PostgreSQL. A model changed without its migration (or a migration without
its model) fails here, not on a city's server at the first query."""

from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from ingest.sessions import migrate_database
from ingest.settings import IngestSettings
from ingest.store.database import make_engine
from ingest.store.models import Base

# What the migrations make with raw SQL beside the models, for full-text search: SQLite's
# FTS5 table and its shadow tables, PostgreSQL's GIN indexes over the stems.
OUTSIDE_THE_MODELS = (
    "clips_fts",
    "ix_clips_terms",
    "ix_clips_published_terms",
    "ix_clips_redacted_terms",
)


def _ours(diff: Any) -> bool:
    """False for differences in tables the models do not describe."""
    item = diff[0] if isinstance(diff, list) else diff
    for part in item[1:]:
        name = getattr(part, "name", None) or getattr(getattr(part, "table", None), "name", "")
        if isinstance(name, str) and name.startswith(OUTSIDE_THE_MODELS):
            return False
    return True


def _differences(engine: Engine) -> list[Any]:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": False}
        )
        return [d for d in compare_metadata(context, Base.metadata) if _ours(d)]


def test_a_migrated_database_is_what_the_models_say(
    tmp_path: Path, database_url: str | None
) -> None:
    settings = IngestSettings(data_dir=tmp_path, database_url=database_url)
    engine = make_engine(settings.sqlalchemy_url)
    try:
        migrate_database(engine)
        assert _differences(engine) == []
    finally:
        engine.dispose()
