"""What a deployment is — ``production`` or a ``drill`` — recorded in its case file (table ``deployment``).

A drill (``minecase up --drill``, or ``--demo`` which also seeds the sample mines and makes demo sign-ins)
runs its own Temporal server with time skipping on, so ``minecase simulate advance`` can move its cases'
clocks. Production never can: its server is started without time skipping, and its case file says
``production``. The kind is decided by the process that first starts the embedded server on a case file
and never changes afterwards: a drill is refused on a production case file (or on one that already holds
cases without being marked a drill), and a production start is refused on a drill's. Clients (the CLI,
the desk) read the kind here, not from their own environment.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from casefile.tables import CaseRecord, DeploymentRecord
from casefile.times import from_db
from models.errors import MinecaseError

PRODUCTION = "production"
DRILL = "drill"


class DeploymentError(MinecaseError):
    """A drill asked of a production case file, or production asked of a drill's."""


def deployment_kind(engine: Engine) -> str | None:
    """``production``, ``drill``, or ``None`` when no server was ever started on this case file (treat as production)."""
    with Session(engine) as session:
        row = session.get(DeploymentRecord, 1)
        return row.kind if row else None


def is_drill(engine: Engine) -> bool:
    return deployment_kind(engine) == DRILL


def record_deployment(engine: Engine, kind: str, recorded_by: str = "") -> str:
    """Record ``kind`` as this case file's deployment, or check that it already is; the kind recorded.

    Refuses (``DeploymentError``) a kind other than the one recorded, and a drill on a case file that
    holds cases but no record (a case file of an earlier release: taken as production)."""
    if kind not in (PRODUCTION, DRILL):
        raise ValueError(kind)
    with Session(engine) as session:
        row = session.get(DeploymentRecord, 1)
        if row is None:
            if kind == DRILL and session.exec(select(CaseRecord.permit_no).limit(1)).first() is not None:
                raise DeploymentError(
                    "此案卷已有案件且未标为演练，不能用于演练；演练请使用另一个数据目录，如 MINECASE_DATA_DIR=.minecase-drill",
                    "this case file holds cases and is not marked as a drill, so it cannot run one; run drills in "
                    "another data dir, e.g. MINECASE_DATA_DIR=.minecase-drill")
            session.add(DeploymentRecord(kind=kind, recorded_at=dt.datetime.now(dt.UTC), recorded_by=recorded_by))
            try:
                session.commit()
            except IntegrityError:  # another process (the worker and the desk start together) recorded it first
                session.rollback()
                row = session.get(DeploymentRecord, 1)
            else:
                return kind
        assert row is not None
        if row.kind != kind:
            if row.kind == PRODUCTION:
                raise DeploymentError(
                    "此案卷属于正式部署（production），不能用于演练；演练请使用另一个数据目录，如 MINECASE_DATA_DIR=.minecase-drill",
                    "this case file belongs to a production deployment and cannot run a drill; run drills in another "
                    "data dir, e.g. MINECASE_DATA_DIR=.minecase-drill")
            raise DeploymentError(
                "此案卷属于演练（drill）：继续演练请加 --drill 或 --demo；正式使用请使用另一个数据目录（MINECASE_DATA_DIR）",
                "this case file belongs to a drill: add --drill or --demo to go on with it; for production use another "
                "data dir (MINECASE_DATA_DIR)")
        return row.kind


def drill_today(engine: Engine, today: dt.date) -> dt.date:
    """A drill's simulated date: the latest date its cases' clocks have reached (``today`` if none is ahead)."""
    with Session(engine) as session:
        latest = session.exec(select(func.max(CaseRecord.updated_at))).first()
    reached = from_db(latest) if latest else None
    return max(today, reached.date()) if reached else today
