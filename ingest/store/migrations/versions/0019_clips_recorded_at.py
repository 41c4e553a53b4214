"""clips: an index on recorded_at, for the messages received since the city's midnight that
the public counts leave out until the next day

Revision ID: 0019
Revises: 0018
"""

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_clips_recorded_at", "clips", ["recorded_at"])


def downgrade() -> None:
    op.drop_index("ix_clips_recorded_at", table_name="clips")
