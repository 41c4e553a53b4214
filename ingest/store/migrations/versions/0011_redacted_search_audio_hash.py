"""planners search the text as redacted: a redacted_terms column in the full-text index;
clips by audio hash (a booth's repeats)

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# The column is filled by ingest.store.database after the upgrade: the terms come from the
# redaction rules, which a migration does not import.
_SQLITE_TRIGGERS = ("clips_fts_insert", "clips_fts_update", "clips_fts_delete")


def _sqlite_index(columns: dict[str, str]) -> list[str]:
    """clips_fts over the given {fts column: clips column}, with the triggers keeping it."""
    names = ", ".join(columns)
    values = ", ".join(f"coalesce(new.{c}, '')" for c in columns.values())
    sets = ", ".join(f"{f} = coalesce(new.{c}, '')" for f, c in columns.items())
    return [
        *(f"DROP TRIGGER IF EXISTS {name}" for name in _SQLITE_TRIGGERS),
        "DROP TABLE IF EXISTS clips_fts",
        f"CREATE VIRTUAL TABLE clips_fts USING fts5(clip_id UNINDEXED, {names})",
        f"INSERT INTO clips_fts(clip_id, {names}) SELECT id, "
        + ", ".join(f"coalesce({c}, '')" for c in columns.values())
        + " FROM clips",
        f"""CREATE TRIGGER clips_fts_insert AFTER INSERT ON clips BEGIN
             INSERT INTO clips_fts(clip_id, {names}) VALUES (new.id, {values});
           END""",
        f"""CREATE TRIGGER clips_fts_update AFTER UPDATE OF {", ".join(columns.values())}
           ON clips BEGIN
             UPDATE clips_fts SET {sets} WHERE clip_id = new.id;
           END""",
        """CREATE TRIGGER clips_fts_delete AFTER DELETE ON clips BEGIN
             DELETE FROM clips_fts WHERE clip_id = old.id;
           END""",
    ]


_BEFORE = {"terms": "search_terms", "published": "published_terms"}
_AFTER = {**_BEFORE, "redacted": "redacted_terms"}


def upgrade() -> None:
    with op.batch_alter_table("clips", schema=None) as batch_op:
        batch_op.add_column(sa.Column("redacted_terms", sa.Text(), nullable=True))
        batch_op.create_index("ix_clips_sha256", ["sha256"])
    if op.get_bind().dialect.name == "sqlite":
        for statement in _sqlite_index(_AFTER):
            op.execute(statement)
    else:
        op.execute(
            "CREATE INDEX ix_clips_redacted_terms ON clips USING gin "
            "(to_tsvector('simple', coalesce(redacted_terms, '')))"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP INDEX IF EXISTS ix_clips_redacted_terms")
    with op.batch_alter_table("clips", schema=None) as batch_op:
        batch_op.drop_index("ix_clips_sha256")
        batch_op.drop_column("redacted_terms")
    if op.get_bind().dialect.name == "sqlite":  # after the column: a rebuilt table lost them
        for statement in _sqlite_index(_BEFORE):
            op.execute(statement)
