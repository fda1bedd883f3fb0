"""The library of texts: the texts themselves, each chat's current text, each plan's text,
and the reader's positions keyed by the text's id ("default" was the one speech: text 1).

Node ids stored before the library (bookmarks ``n:4.2``, readings ``4.2,4.3``, reader
positions) name the original speech, whose ids stay unscoped: they need no rewriting.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "texts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("title", sa.String(200), nullable=True),
        sa.Column("speaker", sa.String(100), nullable=True),
        sa.Column("spoken_on", sa.Date(), nullable=True),
        sa.Column("occasion", sa.String(200), nullable=True),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("nodes", sa.Integer(), nullable=False),
        sa.Column("added_by", sa.BigInteger(), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_texts_status", "texts", ["status", "added_at"])
    with op.batch_alter_table("chats") as batch:
        batch.add_column(sa.Column("text_id", sa.Integer(), nullable=True))
    with op.batch_alter_table("plans") as batch:
        batch.add_column(sa.Column("text_id", sa.Integer(), nullable=False, server_default="1"))
    op.execute("UPDATE reader_positions SET text_id = '1' WHERE text_id = 'default'")


def downgrade() -> None:
    op.execute("UPDATE reader_positions SET text_id = 'default' WHERE text_id = '1'")
    with op.batch_alter_table("plans") as batch:
        batch.drop_column("text_id")
    with op.batch_alter_table("chats") as batch:
        batch.drop_column("text_id")
    op.drop_index("ix_texts_status", "texts")
    op.drop_table("texts")
