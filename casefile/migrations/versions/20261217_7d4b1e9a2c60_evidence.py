"""Evidence (issue 14): attachments and their links, inspections and the problem ledger (问题台账).

Revision ID: 7d4b1e9a2c60
Revises: 7d1b4e9a2c60
Create Date: 2026-11-27 10:00:00

Four new tables; nothing existing changes. ``attachments`` holds one row per file uploaded to a case (the
bytes are in the attachment store under their SHA-256), ``attachment_links`` what each is attached to,
``inspections`` the township's and departments' inspections, ``problems`` the problem ledger.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7d4b1e9a2c60"
down_revision: str | Sequence[str] | None = "7d1b4e9a2c60"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "attachments",
        sa.Column("permit_no", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("media_type", sa.String(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("uploaded_by", sa.String(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("permit_no", "sha256"),
    )
    op.create_table(
        "attachment_links",
        sa.Column("permit_no", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("attached_to", sa.String(), nullable=False),
        sa.Column("label_zh", sa.String(), nullable=False),
        sa.Column("by", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("permit_no", "sha256", "attached_to"),
    )
    op.create_table(
        "inspections",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("permit_no", sa.String(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("unit", sa.String(), nullable=False),
        sa.Column("people", sa.JSON(), nullable=True),
        sa.Column("findings", sa.String(), nullable=False),
        sa.Column("photos", sa.JSON(), nullable=True),
        sa.Column("post_care", sa.Boolean(), nullable=False),
        sa.Column("recorded_by", sa.String(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_inspections_permit_no"), "inspections", ["permit_no"], unique=False)
    op.create_table(
        "problems",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("permit_no", sa.String(), nullable=False),
        sa.Column("inspection_id", sa.String(), nullable=True),
        sa.Column("problem", sa.String(), nullable=False),
        sa.Column("measures", sa.String(), nullable=False),
        sa.Column("responsible_unit", sa.String(), nullable=False),
        sa.Column("responsible_person", sa.String(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("reminded", sa.Boolean(), nullable=False),
        sa.Column("overdue", sa.Boolean(), nullable=False),
        sa.Column("opened_by", sa.String(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_by", sa.String(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closing_note", sa.String(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_problems_permit_no"), "problems", ["permit_no"], unique=False)
    op.create_index(op.f("ix_problems_due"), "problems", ["due"], unique=False)
    op.create_index(op.f("ix_problems_status"), "problems", ["status"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_problems_status"), table_name="problems")
    op.drop_index(op.f("ix_problems_due"), table_name="problems")
    op.drop_index(op.f("ix_problems_permit_no"), table_name="problems")
    op.drop_table("problems")
    op.drop_index(op.f("ix_inspections_permit_no"), table_name="inspections")
    op.drop_table("inspections")
    op.drop_table("attachment_links")
    op.drop_table("attachments")
