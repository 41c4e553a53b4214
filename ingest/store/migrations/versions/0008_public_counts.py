"""public counts per neighborhood, theme and week, and word forms, kept as clips change;
an index for the newest approved and the oldest pending clips

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import context, op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "public_week_counts",
        sa.Column("neighborhood", sa.String(64), primary_key=True),
        sa.Column("theme", sa.String(64), primary_key=True),
        sa.Column("week", sa.Date(), primary_key=True),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.Column("published", sa.Integer(), nullable=False),
    )
    op.create_table(
        "public_word_counts",
        sa.Column("neighborhood", sa.String(64), primary_key=True),
        sa.Column("theme", sa.String(64), primary_key=True),
        sa.Column("language", sa.String(8), primary_key=True),
        sa.Column("stem", sa.String(100), primary_key=True),
        sa.Column("form", sa.String(100), primary_key=True),
        sa.Column("uses", sa.Integer(), nullable=False),
    )
    op.create_index("ix_clips_moderation", "clips", ["moderation", "recorded_at", "id"])
    # The clips already kept are counted once the newest revision stands (database.migrate).
    context.config.attributes["rebuild_counts"] = True


def downgrade() -> None:
    op.drop_index("ix_clips_moderation", table_name="clips")
    op.drop_table("public_word_counts")
    op.drop_table("public_week_counts")
