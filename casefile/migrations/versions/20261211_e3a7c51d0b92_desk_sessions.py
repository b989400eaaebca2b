"""The desk's sessions, server-side: revoked on sign-out, password or role change; idle and absolute lifetimes.

Revision ID: e3a7c51d0b92
Revises: 3f7a9c2e5d18
Create Date: 2026-12-04 10:00:00

Issue 18, item 4: the session cookie used to carry the user's name alone, signed, so a copy of it
outlived sign-out and password or role changes. The cookie now carries a random id; this table holds
its SHA-256, the user, the user's stamp at sign-in, when it began and was last used, and its pending
flash messages. Sessions signed before this revision are not in the table: their holders sign in again.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e3a7c51d0b92"
down_revision: str | Sequence[str] | None = "3f7a9c2e5d18"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "desk_sessions",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("user_name", sa.String(length=50), nullable=False),
        sa.Column("user_stamp", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("flashes", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id_hash"),
    )
    op.create_index(op.f("ix_desk_sessions_user_name"), "desk_sessions", ["user_name"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_desk_sessions_user_name"), table_name="desk_sessions")
    op.drop_table("desk_sessions")
