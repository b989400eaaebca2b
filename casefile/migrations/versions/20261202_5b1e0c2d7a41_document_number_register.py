"""The register of document numbers (文号): sequential per issuer's prefix and year.

Revision ID: 5b1e0c2d7a41
Revises: ad16a9bfff36
Create Date: 2026-12-02 10:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5b1e0c2d7a41"
down_revision: str | Sequence[str] | None = "ad16a9bfff36"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "document_numbers",
        sa.Column("document_id", sa.String(), nullable=False),
        sa.Column("prefix", sa.String(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("document_id"),
        sa.UniqueConstraint("prefix", "year", "seq"),
    )
    op.create_index(op.f("ix_document_numbers_prefix"), "document_numbers", ["prefix"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_document_numbers_prefix"), table_name="document_numbers")
    op.drop_table("document_numbers")
