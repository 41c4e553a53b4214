"""The transcription queue's workers and their heartbeats, who holds each claim, how often
a clip was with a worker that died; theme prompts kept in the database

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "transcribe_workers",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("host", sa.String(length=200), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    # Plain ALTER TABLE, no batch copy: on SQLite a copy would drop the full-text triggers.
    op.add_column("clips", sa.Column("claimed_by", sa.String(length=64), nullable=True))
    op.add_column("clips", sa.Column("crashes", sa.Integer(), nullable=False, server_default="0"))
    op.create_index("ix_clips_claimed_by", "clips", ["claimed_by"], unique=False)
    op.create_table(
        "prompts",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("wav", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )


def downgrade() -> None:
    op.drop_table("prompts")
    op.drop_index("ix_clips_claimed_by", table_name="clips")
    with op.batch_alter_table("clips", schema=None) as batch_op:
        batch_op.drop_column("crashes")
        batch_op.drop_column("claimed_by")
    op.drop_table("transcribe_workers")
