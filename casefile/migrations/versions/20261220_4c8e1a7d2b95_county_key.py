"""A province of counties: ``cases.county`` and ``users.county`` (issue 15, part 2).

Revision ID: 4c8e1a7d2b95
Revises: 7d2b9e4c1a60
Create Date: 2026-12-20 10:00:00

Counties share one deployment and are told apart by a county key (docs/province.md). The key is a column only
where a row has no way to its case: ``cases`` (every table with a ``permit_no`` joins it) and ``users`` (whose
county they read; null: the deployment's single county, as before). Bulletins and township edits carry their
campaign, whose file names its county; the oplog names its user. Existing cases are given the county their
campaign's file names (``county = "…"``), or the plan's county (上高县) when the file is unknown.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4c8e1a7d2b95"
down_revision: str | Sequence[str] | None = "7d2b9e4c1a60"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from models.policy import county_of_campaign

    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("county", sa.String(), nullable=True))
        batch.create_index("ix_cases_county", ["county"], unique=False)
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("county", sa.String(), nullable=True))
    connection = op.get_bind()
    cases = sa.table("cases", sa.column("campaign", sa.String()), sa.column("county", sa.String()))
    for (campaign,) in connection.execute(sa.select(cases.c.campaign).distinct()).all():
        connection.execute(cases.update().where(cases.c.campaign == campaign, cases.c.county.is_(None))
                           .values(county=county_of_campaign(campaign)))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("county")
    with op.batch_alter_table("cases") as batch:
        batch.drop_index("ix_cases_county")
        batch.drop_column("county")
