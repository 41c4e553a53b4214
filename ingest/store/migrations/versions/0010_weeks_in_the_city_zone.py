"""public counts: weeks cut at the city's midnight (INGEST_TIME_ZONE), not at UTC's

Revision ID: 0010
Revises: 0009
"""

from alembic import op

from ingest.publish.aggregates import rebuild

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    rebuild(op.get_bind())  # the counts made again, each clip in its week in the city


def downgrade() -> None:
    pass  # the counts stay valid for the zone they were made in
