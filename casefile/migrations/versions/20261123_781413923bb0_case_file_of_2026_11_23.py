"""The case file as the release of 2026-11-23 made it with ``create_all``: the first revision.

Revision ID: 781413923bb0
Revises:
Create Date: 2026-11-27 03:20:48.368446

Creates exactly the schema ``SQLModel.metadata.create_all`` made from ``casefile/tables.py``,
``casefile/holidays.py`` and ``casefile/users.py`` at that release, on SQLite and on PostgreSQL: str →
VARCHAR (``users.name`` VARCHAR(50)), datetime → DateTime(timezone=True) (sqlmodel's UTCDateTime),
dicts and lists → JSON, indexes ``ix_<table>_<column>``. A case file of that release has these tables
and no ``alembic_version``: ``casefile.db.upgrade_database`` stamps it at this revision instead of
running it. Written with plain SQLAlchemy types so that it does not change when sqlmodel does.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "781413923bb0"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

String = sa.String
Instant = sa.DateTime(timezone=True)


def _indexes(table: str, *columns: str) -> None:
    for column in columns:
        op.create_index(f"ix_{table}_{column}", table, [column], unique=False)


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("permit_no", String(), nullable=False),
        sa.Column("workflow_id", String(), nullable=False),
        sa.Column("campaign", String(), nullable=False),
        sa.Column("mine_name", String(), nullable=False),
        sa.Column("holder", String(), nullable=False),
        sa.Column("township", String(), nullable=False),
        sa.Column("leader", String(), nullable=False),
        sa.Column("mineral", String(), nullable=False),
        sa.Column("bare_area_mu", sa.Float(), nullable=False),
        sa.Column("resources_exhausted", sa.Boolean(), nullable=False),
        sa.Column("never_produced", sa.Boolean(), nullable=False),
        sa.Column("fictional", sa.Boolean(), nullable=False),
        sa.Column("stage", String(), nullable=False),
        sa.Column("path", String(), nullable=False),
        sa.Column("next_due", sa.Date(), nullable=True),
        sa.Column("next_due_kind", String(), nullable=True),
        sa.Column("overdue", sa.Boolean(), nullable=False),
        sa.Column("works", String(), nullable=False),
        sa.Column("acceptance_date", sa.Date(), nullable=True),
        sa.Column("registered_at", Instant, nullable=False),
        sa.Column("updated_at", Instant, nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("permit_no"),
    )
    _indexes("cases", "campaign", "next_due", "stage", "township")

    op.create_table(
        "timeline",
        sa.Column("permit_no", String(), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", Instant, nullable=False),
        sa.Column("kind", String(), nullable=False),
        sa.Column("clause", String(), nullable=False),
        sa.Column("actor_role", String(), nullable=False),
        sa.Column("actor_name", String(), nullable=False),
        sa.Column("actor_unit", String(), nullable=True),
        sa.Column("stage_from", String(), nullable=False),
        sa.Column("stage_to", String(), nullable=False),
        sa.Column("summary_zh", String(), nullable=False),
        sa.Column("summary_en", String(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("permit_no", "seq"),
    )

    op.create_table(
        "deadlines",
        sa.Column("permit_no", String(), nullable=False),
        sa.Column("kind", String(), nullable=False),
        sa.Column("label_zh", String(), nullable=False),
        sa.Column("label_en", String(), nullable=False),
        sa.Column("clause", String(), nullable=False),
        sa.Column("responsible", String(), nullable=False),
        sa.Column("start", sa.Date(), nullable=True),
        sa.Column("last_day", sa.Date(), nullable=True),
        sa.Column("overdue_from", Instant, nullable=True),
        sa.Column("provisional", sa.Boolean(), nullable=False),
        sa.Column("status", String(), nullable=False),
        sa.Column("moves", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("permit_no", "kind"),
    )

    op.create_table(
        "tasks",
        sa.Column("id", String(), nullable=False),
        sa.Column("permit_no", String(), nullable=False),
        sa.Column("kind", String(), nullable=False),
        sa.Column("clause", String(), nullable=False),
        sa.Column("assignee_role", String(), nullable=False),
        sa.Column("department", String(), nullable=True),
        sa.Column("township", String(), nullable=True),
        sa.Column("subject_zh", String(), nullable=False),
        sa.Column("subject_en", String(), nullable=False),
        sa.Column("opened_at", Instant, nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("due_provisional", sa.Boolean(), nullable=False),
        sa.Column("status", String(), nullable=False),
        sa.Column("escalated", sa.Boolean(), nullable=False),
        sa.Column("decided_at", Instant, nullable=True),
        sa.Column("decided_by", String(), nullable=True),
        sa.Column("comment", String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    _indexes("tasks", "department", "permit_no", "status", "township")

    op.create_table(
        "notices",
        sa.Column("id", String(), nullable=False),
        sa.Column("permit_no", String(), nullable=False),
        sa.Column("at", Instant, nullable=False),
        sa.Column("kind", String(), nullable=False),
        sa.Column("recipients", sa.JSON(), nullable=True),
        sa.Column("text_zh", String(), nullable=False),
        sa.Column("text_en", String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    _indexes("notices", "permit_no")

    op.create_table(
        "documents",
        sa.Column("id", String(), nullable=False),
        sa.Column("permit_no", String(), nullable=False),
        sa.Column("kind", String(), nullable=False),
        sa.Column("title_zh", String(), nullable=False),
        sa.Column("clause", String(), nullable=False),
        sa.Column("issued_at", Instant, nullable=False),
        sa.Column("fields", sa.JSON(), nullable=True),
        sa.Column("html", String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    _indexes("documents", "kind", "permit_no")

    op.create_table(
        "holiday_year",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("holidays", sa.JSON(), nullable=False),
        sa.Column("workdays", sa.JSON(), nullable=False),
        sa.Column("source", String(), nullable=False),
        sa.Column("loaded_at", Instant, nullable=False),
        sa.PrimaryKeyConstraint("year"),
    )

    op.create_table(
        "users",
        sa.Column("name", String(length=50), nullable=False),
        sa.Column("display_name", String(), nullable=False),
        sa.Column("role", String(), nullable=False),
        sa.Column("township", String(), nullable=True),
        sa.Column("department", String(), nullable=True),
        sa.Column("permit_no", String(), nullable=True),
        sa.Column("password_hash", String(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", Instant, nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    _indexes("users", "role")


def downgrade() -> None:
    for table in ("users", "holiday_year", "documents", "notices", "tasks", "deadlines", "timeline", "cases"):
        op.drop_table(table)  # their indexes go with them
