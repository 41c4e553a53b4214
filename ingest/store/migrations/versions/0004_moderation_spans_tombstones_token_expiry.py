"""moderation spans and published text, erasure tombstones, token expiry

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import context, op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("clips", schema=None) as batch_op:
        batch_op.add_column(sa.Column("redactions", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("published_text", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("published_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("raw_text_purged_at", sa.DateTime(timezone=True), nullable=True)
        )
    _publish_approved()
    op.create_table(
        "erased_clips",
        sa.Column("clip_id", sa.String(length=36), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("clip_id"),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))


def _publish_approved() -> None:
    """Clips approved before moderators saw spans keep being public, redacted as found."""
    redact = context.config.attributes["derived"].redact
    clips = sa.table(
        "clips",
        sa.column("id", sa.String),
        sa.column("text", sa.Text),
        sa.column("language", sa.String),
        sa.column("moderation", sa.String),
        sa.column("published_text", sa.Text),
    )
    bind = op.get_bind()
    approved = bind.execute(
        sa.select(clips.c.id, clips.c.text, clips.c.language).where(
            clips.c.moderation == "approved"
        )
    ).all()
    for clip_id, text, language in approved:
        bind.execute(
            clips.update()
            .where(clips.c.id == clip_id)
            .values(published_text=redact(text or "", language))
        )


def downgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("expires_at")
    op.drop_table("erased_clips")
    with op.batch_alter_table("clips", schema=None) as batch_op:
        batch_op.drop_column("raw_text_purged_at")
        batch_op.drop_column("published_at")
        batch_op.drop_column("published_text")
        batch_op.drop_column("redactions")
