"""Notices that reach people: subscriptions (contact points), the delivery outbox, and who read what.

Revision ID: 65265a0fe9a4
Revises: b81d4c7e2a65
Create Date: 2026-11-27 09:25:18

Issue 13: ``record_case`` writes a new notice's deliveries (one per recipient and channel, ``queued``)
in the same transaction as the notice; Temporal delivers them. Three new tables, nothing moved.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "65265a0fe9a4"
down_revision: str | Sequence[str] | None = "b81d4c7e2a65"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notice_deliveries",
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("notice_id", sa.String(length=80), nullable=False),
        sa.Column("permit_no", sa.String(length=80), nullable=False),
        sa.Column("owner", sa.String(length=120), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=False),
        sa.Column("digest", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("digest_day", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index(op.f("ix_notice_deliveries_notice_id"), "notice_deliveries", ["notice_id"], unique=False)
    op.create_index(op.f("ix_notice_deliveries_permit_no"), "notice_deliveries", ["permit_no"], unique=False)
    op.create_index(op.f("ix_notice_deliveries_status"), "notice_deliveries", ["status"], unique=False)
    op.create_table(
        "notice_reads",
        sa.Column("notice_id", sa.String(length=80), nullable=False),
        sa.Column("user_name", sa.String(length=50), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("notice_id", "user_name"),
    )
    op.create_table(
        "notice_subscriptions",
        sa.Column("owner", sa.String(length=120), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=False),
        sa.Column("secret", sa.String(length=200), nullable=False),
        sa.Column("kinds", sa.JSON(), nullable=True),
        sa.Column("digest_hour", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("owner", "channel"),
    )


def downgrade() -> None:
    op.drop_table("notice_subscriptions")
    op.drop_table("notice_reads")
    op.drop_index(op.f("ix_notice_deliveries_status"), table_name="notice_deliveries")
    op.drop_index(op.f("ix_notice_deliveries_permit_no"), table_name="notice_deliveries")
    op.drop_index(op.f("ix_notice_deliveries_notice_id"), table_name="notice_deliveries")
    op.drop_table("notice_deliveries")
