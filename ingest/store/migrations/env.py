"""Alembic environment: runs on the connection handed over by `ingest.store.database.migrate`."""

from alembic import context

from ingest.store.models import Base


def include_object(obj: object, name: str | None, type_: str, *_: object) -> bool:
    # The FTS5 tables are made by hand in a migration; autogenerate must leave them alone.
    return not (type_ == "table" and name is not None and name.startswith("clips_fts"))


connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
