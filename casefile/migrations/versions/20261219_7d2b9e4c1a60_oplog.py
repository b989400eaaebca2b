"""The operation log: every sign-in and every action, who, from where, when and how it ended.

Revision ID: 7d2b9e4c1a60
Revises: b7d41e9a2c63
Create Date: 2026-12-15 10:00:00

Issue 18, item 7: a new table ``oplog`` (``casefile.tables.OpLogRecord``), written by ``operations.oplog``
for each sign-in (success, failure, throttled) and each action of the desk, its API and the command line,
and read by the office at ``/oplog`` and ``GET /api/oplog``. Nothing else changes.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7d2b9e4c1a60"
down_revision: str | Sequence[str] | None = "b7d41e9a2c63"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "oplog",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("method", sa.String(), nullable=False),
        sa.Column("path", sa.String(), nullable=False),
        sa.Column("user_name", sa.String(), nullable=True),
        sa.Column("role", sa.String(), nullable=True),
        sa.Column("unit", sa.String(), nullable=True),
        sa.Column("address", sa.String(), nullable=True),
        sa.Column("permit_no", sa.String(), nullable=True),
        sa.Column("outcome", sa.String(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("reason_zh", sa.String(), nullable=False),
        sa.Column("reason_en", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_oplog_at"), "oplog", ["at"], unique=False)
    op.create_index(op.f("ix_oplog_action"), "oplog", ["action"], unique=False)
    op.create_index(op.f("ix_oplog_user_name"), "oplog", ["user_name"], unique=False)
    op.create_index(op.f("ix_oplog_permit_no"), "oplog", ["permit_no"], unique=False)
    op.create_index(op.f("ix_oplog_outcome"), "oplog", ["outcome"], unique=False)


def downgrade() -> None:
    for column in ("outcome", "permit_no", "user_name", "action", "at"):
        op.drop_index(op.f(f"ix_oplog_{column}"), table_name="oplog")
    op.drop_table("oplog")
