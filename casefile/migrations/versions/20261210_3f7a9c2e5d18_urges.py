"""Urges (催办): the office's recorded reminders to the unit that owes an overdue item.

Revision ID: 3f7a9c2e5d18
Revises: 9c4e2f1a7b30
Create Date: 2026-12-10 10:00:00

Issue 12, item 1: the office sends a 催办 from any overdue row of its to-do; each is kept, with whom it
reminds, of what, by whom and when, and shown on the case page. A new table: nothing else changes.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3f7a9c2e5d18"
down_revision: str | Sequence[str] | None = "9c4e2f1a7b30"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "urges",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("permit_no", sa.String(), nullable=False),
        sa.Column("task_id", sa.String(), nullable=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("to_unit", sa.String(), nullable=False),
        sa.Column("to_unit_zh", sa.String(), nullable=False),
        sa.Column("label_zh", sa.String(), nullable=False),
        sa.Column("by", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_urges_permit_no"), "urges", ["permit_no"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_urges_permit_no"), table_name="urges")
    op.drop_table("urges")
