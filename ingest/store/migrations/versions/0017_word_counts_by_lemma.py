"""public word counts: the forms of a Danish word counted under one key (træ, træer, træet;
cykel, cyklen), so the counts are made again with the new keys

Revision ID: 0017
Revises: 0016
"""

from alembic import context

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Made again once the newest revision stands (database.migrate).
    context.config.attributes["rebuild_counts"] = True


def downgrade() -> None:
    pass  # counts keyed either way read the same; `ingest counts rebuild` remakes them
