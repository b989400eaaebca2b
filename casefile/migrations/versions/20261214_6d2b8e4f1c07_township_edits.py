"""The office's edits of a campaign's dictionary of townships (乡镇字典).

Revision ID: 6d2b8e4f1c07
Revises: 65265a0fe9a4
Create Date: 2026-12-12 10:00:00

Issue 12, item 5: registration and the ledger's import check a mine's township against the campaign's
dictionary (``campaigns/<id>.townships.txt``); the office adds and removes names
(``minecase townships add|remove``), kept here with who and when. A new table: nothing else changes.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "6d2b8e4f1c07"
down_revision: str | Sequence[str] | None = "65265a0fe9a4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "township_edits",
        sa.Column("campaign", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("by", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("campaign", "name"),
    )


def downgrade() -> None:
    op.drop_table("township_edits")
