"""Operations: counts of search queries that found nothing (no user or chat ids), and an
index on deliveries by local date for retention and the owner's 7-day report.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_misses",
        sa.Column("query", sa.String(100), primary_key=True),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_deliveries_local_date", "deliveries", ["local_date"])


def downgrade() -> None:
    op.drop_index("ix_deliveries_local_date", table_name="deliveries")
    op.drop_table("search_misses")
