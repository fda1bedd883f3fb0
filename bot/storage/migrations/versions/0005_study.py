"""Group study: reading plans and who read what, quiz polls and their answers, bookmarks,
members' own settings, and each chat's quiz choices.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("chats") as batch:
        batch.add_column(sa.Column("open_polls", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("quiz_daily", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "plans",
        sa.Column("chat_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "readings",
        sa.Column("user_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("chat_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("day", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("passage", sa.String(200), nullable=False),
        sa.Column("read_on", sa.Date(), nullable=False),
    )
    op.create_index("ix_readings_chat_day", "readings", ["chat_id", "day"])
    op.create_table(
        "quizzes",
        sa.Column("poll_id", sa.String(64), primary_key=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("question", sa.String(100), nullable=False),
        sa.Column("correct", sa.Integer(), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "answers",
        sa.Column("poll_id", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("week", sa.String(8), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_answers_rank", "answers", ["chat_id", "week", "user_id"])
    op.create_index("ix_answers_user", "answers", ["user_id"])
    op.create_table(
        "bookmarks",
        sa.Column("user_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("ref", sa.String(40), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "members",
        sa.Column("user_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("saved_as_daily", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    for table in ("members", "bookmarks", "answers", "quizzes", "readings", "plans"):
        op.drop_table(table)
    with op.batch_alter_table("chats") as batch:
        batch.drop_column("quiz_daily")
        batch.drop_column("open_polls")
