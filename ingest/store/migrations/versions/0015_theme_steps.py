"""themes: a dated timeline of what the city did, each step with the published messages it
answers

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "theme_steps",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("theme", sa.String(length=64), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("neighborhood", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["theme"], ["themes.slug"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_theme_steps_theme", "theme_steps", ["theme"], unique=False)
    op.create_table(
        "theme_step_quotes",
        sa.Column("step_id", sa.Integer(), nullable=False),
        sa.Column("clip_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["step_id"], ["theme_steps.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["clip_id"], ["clips.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("step_id", "clip_id"),
    )
    op.create_index("ix_theme_step_quotes_clip_id", "theme_step_quotes", ["clip_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_theme_step_quotes_clip_id", table_name="theme_step_quotes")
    op.drop_table("theme_step_quotes")
    op.drop_index("ix_theme_steps_theme", table_name="theme_steps")
    op.drop_table("theme_steps")
