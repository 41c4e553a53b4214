"""clips: by booth and time of arrival, for each booth's newest message in the fleet view

Revision ID: 0009
Revises: 0008
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The new index starts with booth_id, so it also serves what the old one did.
    op.create_index("ix_clips_booth_received", "clips", ["booth_id", "received_at"])
    op.drop_index("ix_clips_booth_id", table_name="clips")


def downgrade() -> None:
    op.create_index("ix_clips_booth_id", "clips", ["booth_id"])
    op.drop_index("ix_clips_booth_received", table_name="clips")
