"""Dossiers bound from a case: their SHA-256, who bound them and when, their manifest.

Revision ID: 7d1b4e9a2c60
Revises: 7b2d4e9f1c63
Create Date: 2026-11-27 10:30:00

Issue 17, item 2: a dossier (案卷) is verifiable — the file's hash and its manifest (entries with their
SHA-256 and pages, a hash of every page) are recorded in the case file, with who produced it and when.
(down_revision is the head when written; the lead re-parents it at merge if another table came first.)
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7d1b4e9a2c60"
down_revision: str | Sequence[str] | None = "7b2d4e9f1c63"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dossiers",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("permit_no", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("produced_by", sa.String(), nullable=False),
        sa.Column("produced_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("scope", sa.JSON(), nullable=True),
        sa.Column("manifest", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_dossiers_permit_no"), "dossiers", ["permit_no"], unique=False)
    op.create_index(op.f("ix_dossiers_sha256"), "dossiers", ["sha256"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_dossiers_sha256"), table_name="dossiers")
    op.drop_index(op.f("ix_dossiers_permit_no"), table_name="dossiers")
    op.drop_table("dossiers")
