"""booths: where each stands (latitude, longitude), for the public map

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("booths", sa.Column("lat", sa.Float(), nullable=True))
    op.add_column("booths", sa.Column("lon", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("booths", schema=None) as batch_op:
        batch_op.drop_column("lon")
        batch_op.drop_column("lat")
