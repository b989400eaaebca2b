"""Documents: addressee, number (文号) and service (送达).

Revision ID: ad16a9bfff36
Revises: 781413923bb0
Create Date: 2026-12-01 10:00:00

Due process (issue 10): a document is addressed to someone and served on them, and will carry its own
number. ``documents`` gains ``addressee`` (not null: existing rows get "", as issued before due process
named none), and the nullable ``number``, ``served_on``, ``service_method``, ``served_by`` and ``url``
(null on existing rows: none was recorded as served). The server default that fills ``addressee`` is
dropped afterwards, as the model has none. Batch mode: SQLite copies the table, PostgreSQL alters it.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "ad16a9bfff36"
down_revision: str | Sequence[str] | None = "781413923bb0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NULLABLE = ("number", "served_on", "service_method", "served_by", "url")


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("addressee", sa.String(), nullable=False, server_default=""))
        batch.add_column(sa.Column("number", sa.String(), nullable=True))
        batch.add_column(sa.Column("served_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("service_method", sa.String(), nullable=True))
        batch.add_column(sa.Column("served_by", sa.String(), nullable=True))
        batch.add_column(sa.Column("url", sa.String(), nullable=True))
    with op.batch_alter_table("documents") as batch:
        batch.alter_column("addressee", existing_type=sa.String(), existing_nullable=False, server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        for column in ("addressee", *NULLABLE):
            batch.drop_column(column)
