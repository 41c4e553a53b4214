"""A clip may wait for a run of another model (`ingest retranscribe`) while its text stays
in force: the model it waits for

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE, no batch copy: on SQLite a copy would drop the full-text triggers.
    op.add_column("clips", sa.Column("wanted_model", sa.String(length=200), nullable=True))
    op.create_index("ix_clips_wanted_model", "clips", ["wanted_model"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_clips_wanted_model", table_name="clips")
    with op.batch_alter_table("clips", schema=None) as batch_op:
        batch_op.drop_column("wanted_model")
