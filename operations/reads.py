"""Reads for the desk (board, filtered lists), over the case file. Owned by the web/API layer."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from casefile.tables import CaseRecord, DocumentRecord, TaskRecord
from casefile.times import CST, from_db
from models.stages import Path, Stage

RED_WITHIN_DAYS = 7
"""Red: overdue, or the next deadline within this many days (the 7-day reminder)."""
YELLOW_WITHIN_DAYS = 30
"""Yellow: the next deadline within this many days (the 30-day reminder)."""

LIGHTS = ("red", "yellow", "green", "none")


def today_cst() -> dt.date:
    return dt.datetime.now(CST).date()


def case_today(case: CaseRecord, today: dt.date) -> dt.date:
    """The case's own today: never behind its business time (drills and demos run a case's clock ahead)."""
    return _case_today(case.updated_at, today)


def _case_today(updated_at: dt.datetime | None, today: dt.date) -> dt.date:
    synced = from_db(updated_at)
    return max(today, synced.date()) if synced else today


def days_left(case: CaseRecord, today: dt.date) -> int | None:
    return _days_left(case.next_due, case.updated_at, today)


def _days_left(next_due: dt.date | None, updated_at: dt.datetime | None, today: dt.date) -> int | None:
    return (next_due - _case_today(updated_at, today)).days if next_due else None


def light(case: CaseRecord, today: dt.date) -> str:
    """red / yellow / green by days to the next deadline; ``none`` when nothing is running."""
    return _light(case.overdue, _days_left(case.next_due, case.updated_at, today))


def _light(overdue: bool, left: int | None) -> str:
    if overdue or (left is not None and left < 0):
        return "red"
    if left is None:
        return "none"
    if left <= RED_WITHIN_DAYS:
        return "red"
    if left <= YELLOW_WITHIN_DAYS:
        return "yellow"
    return "green"


def case_row(case: CaseRecord, today: dt.date) -> dict[str, Any]:
    stage = Stage(case.stage) if case.stage in Stage.__members__ else None
    path = Path(case.path) if case.path in {p.value for p in Path} else None
    return {
        "permit_no": case.permit_no,
        "mine_name": case.mine_name,
        "holder": case.holder,
        "township": case.township,
        "leader": case.leader,
        "campaign": case.campaign,
        "stage": case.stage,
        "stage_label_zh": stage.label_zh if stage else case.stage,
        "stage_label_en": stage.label_en if stage else case.stage,
        "path": case.path,
        "path_label_zh": path.label_zh if path else case.path,
        "next_due": case.next_due.isoformat() if case.next_due else None,
        "next_due_kind": case.next_due_kind,
        "days_left": days_left(case, today),
        "overdue": case.overdue,
        "light": light(case, today),
        "bare_area_mu": case.bare_area_mu,
        "fictional": case.fictional,
    }


def _order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Overdue first, then by the next due date (none last), then by permit number."""
    return sorted(rows, key=lambda r: (not r["overdue"], r["light"] != "red", r["next_due"] is None, r["next_due"] or "", r["permit_no"]))


def find_cases(
    engine: Engine, *, today: dt.date | None = None, stage: str | None = None, township: str | None = None,
    path: str | None = None, overdue: bool | None = None, due_within: int | None = None, campaign: str | None = None,
    permit_no: str | None = None,
) -> list[dict[str, Any]]:
    """Cases matching every given filter, as board rows, overdue first."""
    today = today or today_cst()
    with Session(engine) as session:
        query = select(CaseRecord)
        if stage:
            query = query.where(CaseRecord.stage == stage)
        if township:
            query = query.where(CaseRecord.township == township)
        if path:
            query = query.where(CaseRecord.path == path)
        if overdue is not None:
            query = query.where(CaseRecord.overdue == overdue)
        if campaign:
            query = query.where(CaseRecord.campaign == campaign)
        if permit_no:
            query = query.where(CaseRecord.permit_no == permit_no)
        if due_within is not None:
            query = query.where(col(CaseRecord.next_due).is_not(None))
        rows = [case_row(c, today) for c in session.exec(query)]
    if due_within is not None:
        rows = [r for r in rows if r["days_left"] is not None and r["days_left"] <= due_within]
    return _order(rows)


BOARD_CASES = 200
"""The board lists the cases that most need attention; the full list is /cases."""


def board(engine: Engine, *, today: dt.date | None = None, township: str | None = None, permit_no: str | None = None,
          limit: int = BOARD_CASES) -> dict[str, Any]:
    """Counts per stage and per township, with red/yellow/green lights, and the cases overdue first.

    Counting reads only the columns it needs; full rows are loaded for the ``limit`` cases shown.
    """
    today = today or today_cst()
    with Session(engine) as session:
        # sqlmodel's select() is typed up to four columns; its Select class takes any number
        query: Select[str, str, str, dt.date | None, bool, dt.datetime] = Select(
            col(CaseRecord.permit_no), col(CaseRecord.stage), col(CaseRecord.township), col(CaseRecord.next_due),
            col(CaseRecord.overdue), col(CaseRecord.updated_at))
        if township:
            query = query.where(CaseRecord.township == township)
        if permit_no:
            query = query.where(CaseRecord.permit_no == permit_no)
        slim = [(p, stage, town, due, late, _light(late, _days_left(due, synced, today)))
                for p, stage, town, due, late, synced in session.exec(query)]
        first = sorted(slim, key=lambda r: (not r[4], r[5] != "red", r[3] is None, r[3] or dt.date.max, r[0]))[:limit]
        shown = session.exec(select(CaseRecord).where(col(CaseRecord.permit_no).in_([r[0] for r in first]))).all()
        rows = _order([case_row(c, today) for c in shown])
    per_stage: Counter[str] = Counter(r[1] for r in slim)
    towns: dict[str, Counter[str]] = defaultdict(Counter)
    for r in slim:
        towns[r[2]][r[5]] += 1
        towns[r[2]]["total"] += 1
    stages = [
        {"stage": s.value, "label_zh": s.label_zh, "label_en": s.label_en, "count": per_stage.get(s.value, 0)}
        for s in Stage
    ]
    townships = [
        {"township": t, "total": c["total"], **{k: c.get(k, 0) for k in LIGHTS}}
        for t, c in sorted(towns.items(), key=lambda item: (-item[1]["red"], -item[1]["yellow"], item[0]))
    ]
    lights = Counter(r[5] for r in slim)
    return {
        "today": today.isoformat(),
        "total": len(slim),
        "overdue": sum(1 for r in slim if r[4]),
        "lights": {k: lights.get(k, 0) for k in LIGHTS},
        "thresholds": {"red_within_days": RED_WITHIN_DAYS, "yellow_within_days": YELLOW_WITHIN_DAYS},
        "stages": stages,
        "townships": townships,
        "cases": rows,
        "cases_shown": len(rows),
    }


def townships(engine: Engine) -> list[str]:
    with Session(engine) as session:
        return sorted(set(session.exec(select(CaseRecord.township))))


def task_rows(tasks: list[TaskRecord], today: dt.date | None = None) -> list[dict[str, Any]]:
    today = today or today_cst()
    rows = []
    for t in tasks:
        left = (t.due - today).days if t.due else None
        rows.append({
            **t.model_dump(mode="json", exclude={"opened_at", "decided_at"}),
            "opened_at": (o.isoformat() if (o := from_db(t.opened_at)) else None),
            "decided_at": (d.isoformat() if (d := from_db(t.decided_at)) else None),
            "days_left": left,
            "light": _light(False, left),  # as a case's light: by the days left, red once past due
        })
    return rows


def case_documents(engine: Engine, permit_no: str) -> list[dict[str, Any]]:
    """Documents issued from a case (closure decision, notices, decisions, referral), without their HTML:
    when issued (``issued_on``, China's calendar day), to whom, its 文号 (``number``, null until numbered)
    and its service (``served_on`` null until served)."""
    with Session(engine) as session:
        docs = session.exec(select(DocumentRecord).where(DocumentRecord.permit_no == permit_no)
                            .order_by(col(DocumentRecord.issued_at))).all()
        return [_document_row(d) for d in docs]


def _document_row(d: DocumentRecord) -> dict[str, Any]:
    issued = from_db(d.issued_at)
    return {
        "id": d.id, "kind": d.kind, "title": d.title_zh, "title_zh": d.title_zh, "clause": d.clause, "number": d.number,
        "issued_at": issued.isoformat() if issued else None, "issued_on": issued.date().isoformat() if issued else None,
        "addressee": d.addressee, "served_on": d.served_on.isoformat() if d.served_on else None,
        "service_method": d.service_method, "served_by": d.served_by, "url": d.url,
    }


def document_html(engine: Engine, permit_no: str, document_id: str) -> str | None:
    from casefile.tables import DocumentRecord

    with Session(engine) as session:
        doc = session.get(DocumentRecord, document_id)
        return doc.html if doc is not None and doc.permit_no == permit_no else None
