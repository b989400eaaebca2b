"""Timeline: the day an act legally happened (effective_on) and when it was recorded (recorded_at).

Revision ID: 9c4e2f1a7b30
Revises: 5b1e0c2d7a41
Create Date: 2026-12-03 10:00:00

Effective dates (issue 11): an act carries the day it legally happened, which may be earlier than the
instant it is typed in; and a period that ran out while nobody looked is recorded later than its legal
instant. ``timeline`` gains both, nullable: rows written before have neither, and readers take the day of
``at`` and ``at`` itself for them (what they were). Batch mode: SQLite copies the table, PostgreSQL alters it.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "9c4e2f1a7b30"
down_revision: str | Sequence[str] | None = "5b1e0c2d7a41"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("timeline") as batch:
        batch.add_column(sa.Column("effective_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=True))  # an instant, as `at`


def downgrade() -> None:
    with op.batch_alter_table("timeline") as batch:
        batch.drop_column("recorded_at")
        batch.drop_column("effective_on")
