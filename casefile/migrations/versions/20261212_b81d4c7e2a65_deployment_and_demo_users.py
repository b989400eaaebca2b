"""The deployment's kind (production or drill) and demo sign-ins marked as such.

Revision ID: b81d4c7e2a65
Revises: e3a7c51d0b92
Create Date: 2026-12-12 10:00:00

Issue 18, items 1 and 3: ``deployment`` holds one row, written by the process that first starts the
Temporal server on this case file: ``drill`` (time skipping on; demos and training) or ``production``.
Clients read it instead of their own environment. ``users.demo`` marks the sign-ins ``minecase up --demo``
made with random passwords; the desk refuses to serve off loopback while an active one exists. A case
file upgraded to this revision has no row: the first start records it (a case file holding cases is
taken as production).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b81d4c7e2a65"
down_revision: str | Sequence[str] | None = "e3a7c51d0b92"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "deployment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("demo", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("demo")
    op.drop_table("deployment")
