"""search by stems, Danish and English: terms columns, full-text index over them

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import context, op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# FTS5 over the stems (ingest.language.words) on SQLite; GIN indexes over 'simple' tsvectors of the
# same stems on PostgreSQL, so both databases find the same clips.
_SQLITE_UP = [
    "DROP TRIGGER IF EXISTS clips_fts_insert",
    "DROP TRIGGER IF EXISTS clips_fts_update",
    "DROP TRIGGER IF EXISTS clips_fts_delete",
    "DROP TABLE IF EXISTS clips_fts",
    "CREATE VIRTUAL TABLE clips_fts USING fts5(clip_id UNINDEXED, terms, published)",
    """INSERT INTO clips_fts(clip_id, terms, published)
       SELECT id, coalesce(search_terms, ''), coalesce(published_terms, '') FROM clips""",
    """CREATE TRIGGER clips_fts_insert AFTER INSERT ON clips BEGIN
         INSERT INTO clips_fts(clip_id, terms, published)
         VALUES (new.id, coalesce(new.search_terms, ''), coalesce(new.published_terms, ''));
       END""",
    """CREATE TRIGGER clips_fts_update AFTER UPDATE OF search_terms, published_terms ON clips
       BEGIN
         UPDATE clips_fts SET terms = coalesce(new.search_terms, ''),
                              published = coalesce(new.published_terms, '')
         WHERE clip_id = new.id;
       END""",
    """CREATE TRIGGER clips_fts_delete AFTER DELETE ON clips BEGIN
         DELETE FROM clips_fts WHERE clip_id = old.id;
       END""",
]
_POSTGRES_UP = [
    "DROP INDEX IF EXISTS ix_clips_fts",
    "CREATE INDEX ix_clips_terms ON clips USING gin "
    "(to_tsvector('simple', coalesce(search_terms, '')))",
    "CREATE INDEX ix_clips_published_terms ON clips USING gin "
    "(to_tsvector('simple', coalesce(published_terms, '')))",
]


def upgrade() -> None:
    with op.batch_alter_table("clips", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_terms", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("published_terms", sa.Text(), nullable=True))
    _fill_terms()
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in _SQLITE_UP if sqlite else _POSTGRES_UP:
        op.execute(statement)


def _fill_terms() -> None:
    index_terms = context.config.attributes["derived"].index_terms
    clips = sa.table(
        "clips",
        sa.column("id", sa.String),
        sa.column("text", sa.Text),
        sa.column("published_text", sa.Text),
        sa.column("language", sa.String),
        sa.column("search_terms", sa.Text),
        sa.column("published_terms", sa.Text),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(clips.c.id, clips.c.text, clips.c.published_text, clips.c.language)
    ).all()
    for clip_id, text, published, language in rows:
        bind.execute(
            clips.update()
            .where(clips.c.id == clip_id)
            .values(
                search_terms=index_terms(text, language),
                published_terms=index_terms(published, language),
            )
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("clips_fts_insert", "clips_fts_update", "clips_fts_delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS clips_fts")
        op.execute("CREATE VIRTUAL TABLE clips_fts USING fts5(clip_id UNINDEXED, text)")
        op.execute("INSERT INTO clips_fts(clip_id, text) SELECT id, coalesce(text, '') FROM clips")
    else:
        op.execute("DROP INDEX IF EXISTS ix_clips_terms")
        op.execute("DROP INDEX IF EXISTS ix_clips_published_terms")
    with op.batch_alter_table("clips", schema=None) as batch_op:
        batch_op.drop_column("published_terms")
        batch_op.drop_column("search_terms")
