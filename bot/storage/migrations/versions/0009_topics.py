"""Forum topics: the topic of a supergroup with topics where its daily push (with the plan's
day and the daily quiz) goes, and the topic's name for /settings. NULL: General, or a chat
without topics (every chat before this revision).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("chats") as batch:
        batch.add_column(sa.Column("thread_id", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("topic_name", sa.String(128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("chats") as batch:
        batch.drop_column("topic_name")
        batch.drop_column("thread_id")
