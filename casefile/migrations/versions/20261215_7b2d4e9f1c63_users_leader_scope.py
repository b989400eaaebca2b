"""A county leader's read-only sign-in: ``users.leader``, its name as the mines' 挂点县领导 field records it.

Revision ID: 7b2d4e9f1c63
Revises: 6d2b8e4f1c07
Create Date: 2026-12-12 10:00:00

Issue 12, item 3: a ``leader`` user reads the board, the list and the case pages of the mines whose
``cases.leader`` is its ``users.leader``, and acts on none. Null for every other role.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7b2d4e9f1c63"
down_revision: str | Sequence[str] | None = "6d2b8e4f1c07"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("leader", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("leader")
