"""public counts: weeks cut at the city's midnight (INGEST_TIME_ZONE), not at UTC's

Revision ID: 0010
Revises: 0009
"""

from alembic import context

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The counts made again, each clip in its week in the city, once the newest revision
    # stands (database.migrate).
    context.config.attributes["rebuild_counts"] = True


def downgrade() -> None:
    pass  # the counts stay valid for the zone they were made in
