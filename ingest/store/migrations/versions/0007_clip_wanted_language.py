"""clips: the language a clip should be transcribed in, so workers take the languages
they hold models for

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE, no batch copy: on SQLite a copy would drop the full-text triggers.
    op.add_column("clips", sa.Column("wanted_language", sa.String(length=8), nullable=True))
    op.create_index("ix_clips_wanted_language", "clips", ["wanted_language"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_clips_wanted_language", table_name="clips")
    with op.batch_alter_table("clips", schema=None) as batch_op:
        batch_op.drop_column("wanted_language")
