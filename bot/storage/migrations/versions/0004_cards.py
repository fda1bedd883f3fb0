"""Quote cards: Telegram's file_id of each uploaded card (upload once, send by id), and each
chat's choice of the daily reminder as text or as a card.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "card_files",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("file_id", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    with op.batch_alter_table("chats") as batch:
        batch.add_column(sa.Column("reminder_format", sa.String(8), nullable=False, server_default="text"))


def downgrade() -> None:
    with op.batch_alter_table("chats") as batch:
        batch.drop_column("reminder_format")
    op.drop_table("card_files")
