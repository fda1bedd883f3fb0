"""What a chat was asked lately: an index on quizzes (chat_id, sent_at), so /quiz and the daily
quiz find the chat's last week of questions without scanning every chat's.

Revision ID: 0006
Revises: 0005
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_quizzes_chat_sent", "quizzes", ["chat_id", "sent_at"])


def downgrade() -> None:
    op.drop_index("ix_quizzes_chat_sent", table_name="quizzes")
