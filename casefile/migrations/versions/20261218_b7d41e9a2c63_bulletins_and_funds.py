"""Bulletins (进展通报) of the campaign and each mine's restoration fund and 保证金.

Revision ID: b7d41e9a2c63
Revises: 7d4b1e9a2c60
Create Date: 2026-12-12 10:00:00

Issue 14, items 4 and 5: ``bulletins`` keeps the weekly and monthly bulletins (numbers as JSON, the page as
HTML); ``funds`` keeps per mine and kind (``fund``: 矿山地质环境治理恢复基金, ``bond``: 保证金) the amounts due,
paid, used and released.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7d41e9a2c63"
down_revision: str | Sequence[str] | None = "7d4b1e9a2c60"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bulletins",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("campaign", sa.String(), nullable=False),
        sa.Column("period", sa.String(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("made_by", sa.String(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.Column("html", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_bulletins_campaign"), "bulletins", ["campaign"], unique=False)
    op.create_table(
        "funds",
        sa.Column("permit_no", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("due", sa.Float(), nullable=False),
        sa.Column("paid", sa.Float(), nullable=False),
        sa.Column("used", sa.Float(), nullable=False),
        sa.Column("released", sa.Float(), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("permit_no", "kind"),
    )


def downgrade() -> None:
    op.drop_table("funds")
    op.drop_index(op.f("ix_bulletins_campaign"), table_name="bulletins")
    op.drop_table("bulletins")
