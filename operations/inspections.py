"""Inspections and the problem ledger (问题台账, seed 002; issue 14 item 2).

A township or a department records an inspection of a mine (date, people, findings, photos with optional WGS84
coordinates). Each finding it names opens a problem in the problem ledger: the problem, its measures, the
responsible unit and person, and a time limit. The time limit is enforced by a ``ProblemDeadline`` workflow per
problem (``workflows.problem_workflow``): a reminder three days before, ``overdue`` from 00:00 China time the
day after the last day, as every deadline of the plan. A reviewer (the office, the county or a department)
closes a problem (销号) with evidence — at least one file stored for the case; without evidence nothing changes.
Post-care (管护) inspections are inspections with ``post_care``.

Photos and evidence are attachments (``operations.attachments``): uploaded first, named here by their ref, and
checked to be stored for the case before anything is written.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from typing import Annotated, Any

from openpyxl import Workbook
from pydantic import BaseModel, Field, ValidationError, model_validator
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from casefile.tables import CaseRecord, InspectionRecord, ProblemRecord
from casefile.users import UserRecord
from models.attachments import AttachmentRef
from models.bounds import Line, Text, echo
from models.errors import MinecaseError
from models.roles import Role
from operations import attachments
from operations.permissions import Forbidden, check_may_read, user_county

INSPECT_ROLES = frozenset({Role.township, Role.department, Role.office})
REVIEW_ROLES = frozenset({Role.office, Role.county, Role.department})
REMIND_DAYS = 3


class InspectionError(MinecaseError):
    """An inspection or a problem that cannot be recorded as given (422): nothing is stored."""


class Photo(BaseModel):
    """A photo of an inspection and, optionally, where it was taken (WGS84 degrees)."""

    ref: AttachmentRef
    lat: float | None = Field(default=None, ge=-90, le=90, description="纬度 WGS84 latitude")
    lon: float | None = Field(default=None, ge=-180, le=180, description="经度 WGS84 longitude")
    caption: Line = Field(default="", max_length=200)

    @model_validator(mode="after")
    def _both_or_neither(self) -> Photo:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("坐标应同时给出纬度和经度 / give both latitude and longitude, or neither")
        if not self.ref.is_image:
            raise ValueError("照片应为图片文件 / a photo must be an image")
        return self


class NewProblem(BaseModel):
    """A finding that opens a problem in the ledger."""

    problem: Text = Field(min_length=1, max_length=2000, description="存在问题")
    measures: Text = Field(default="", max_length=2000, description="整改措施")
    responsible_unit: Line = Field(min_length=1, max_length=100, description="责任单位")
    responsible_person: Line = Field(min_length=1, max_length=50, description="责任人")
    due: dt.date = Field(description="整改时限 the last day")


Person = Annotated[Line, Field(min_length=1, max_length=50)]


class NewInspection(BaseModel):
    permit_no: Line = Field(min_length=1, max_length=40)
    on: dt.date = Field(description="检查日期")
    people: list[Person] = Field(min_length=1, max_length=30, description="检查人员")
    findings: Text = Field(default="", max_length=5000, description="检查发现")
    photos: list[Photo] = Field(default_factory=list, max_length=20)
    post_care: bool = Field(default=False, description="管护巡查 a post-care inspection")
    problems: list[NewProblem] = Field(default_factory=list, max_length=50)


class CloseProblem(BaseModel):
    note: Text = Field(default="", max_length=2000, description="销号意见")
    evidence: list[AttachmentRef] = Field(default_factory=list, max_length=20)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _parse(model: type[BaseModel], data: Any) -> Any:
    if isinstance(data, model):
        return data
    try:
        return model.model_validate(data)
    except ValidationError as error:
        fields = "、".join(".".join(str(p) for p in e["loc"]) or "?" for e in error.errors(include_url=False))
        first = error.errors(include_url=False)[0]["msg"].removeprefix("Value error, ")
        raise InspectionError(f"输入有误：{fields}（{first}）", f"invalid input: {fields} ({first})") from None


def _case(engine: Engine, user: UserRecord, permit_no: str) -> CaseRecord:
    from operations.cases import CaseNotFound

    permit_no = permit_no.strip().upper()
    with Session(engine) as session:
        case = session.get(CaseRecord, permit_no)
    if case is None:
        raise CaseNotFound(f"没有采矿许可证号为 {echo(permit_no)} 的案件", f"no case for permit {echo(permit_no)}")
    check_may_read(user, case.township, permit_no, county=case.county)
    return case


def unit_of(user: UserRecord) -> str:
    return user.actor().describe().split("·")[0]


def check_inspection(engine: Engine, user: UserRecord, data: Any, today: dt.date) -> tuple[NewInspection, CaseRecord]:
    """Every check of an inspection but its photos' storage: its fields, the role and scope, its dates."""
    body: NewInspection = _parse(NewInspection, data)
    role = Role(user.role)
    if role not in INSPECT_ROLES:
        raise Forbidden("只有乡镇、部门和领导小组办公室可以记录检查", "only townships, departments and the office record inspections")
    case = _case(engine, user, body.permit_no)
    if role == Role.township and case.township != user.township:
        raise Forbidden("只能检查本乡镇的矿山", "a township inspects its own mines only")
    if body.on > today:
        raise InspectionError("检查日期不能晚于今天", "an inspection's date cannot be in the future")
    for problem in body.problems:
        if problem.due < body.on:
            raise InspectionError("整改时限不能早于检查日期", "a problem's time limit cannot be before the inspection")
    return body, case


def record_inspection(engine: Engine, store: attachments.AttachmentStore, user: UserRecord, data: Any,
                      today: dt.date) -> dict[str, Any]:
    """Check and record an inspection and the problems its findings open; ``{"inspection", "problems"}``.
    Refused whole (nothing stored) on any bad field, a photo not stored for the case, or a wrong date."""
    body, case = check_inspection(engine, user, data, today)
    attachments.check_refs(engine, store, case.permit_no, [p.ref for p in body.photos])
    by = user.actor().describe()
    now = _now()
    inspection = InspectionRecord(
        id="I" + uuid.uuid4().hex[:12].upper(), permit_no=case.permit_no, on=body.on, unit=unit_of(user),
        people=list(body.people), findings=body.findings, post_care=body.post_care, recorded_by=by, recorded_at=now,
        photos=[{**p.ref.model_dump(), "lat": p.lat, "lon": p.lon, "caption": p.caption} for p in body.photos])
    problems = [ProblemRecord(
        id="P" + uuid.uuid4().hex[:12].upper(), permit_no=case.permit_no, inspection_id=inspection.id, problem=p.problem,
        measures=p.measures, responsible_unit=p.responsible_unit, responsible_person=p.responsible_person, due=p.due,
        opened_by=by, opened_at=now) for p in body.problems]
    with Session(engine) as session:
        session.add(inspection)
        for row in problems:
            session.add(row)
        session.commit()
        result = {"inspection": inspection_dict(inspection), "problems": [problem_dict(p, today) for p in problems]}
    label = ("管护巡查" if body.post_care else "检查") + f" {body.on.isoformat()}"
    attachments.link(engine, case.permit_no, [p.ref for p in body.photos], f"inspection:{inspection.id}", label, by)
    return result


def close_problem(engine: Engine, store: attachments.AttachmentStore, user: UserRecord, problem_id: str, data: Any,
                  today: dt.date) -> dict[str, Any]:
    """销号: a reviewer closes an open problem with evidence (files stored for the case). Without evidence, or by
    another role, or a problem already closed: refused, nothing changes."""
    body: CloseProblem = _parse(CloseProblem, data)
    if Role(user.role) not in REVIEW_ROLES:
        raise Forbidden("只有领导小组办公室、县政府或部门可以销号", "only the office, the county or a department closes a problem")
    with Session(engine) as session:
        problem = session.get(ProblemRecord, problem_id)
    if problem is None:
        from operations.cases import CaseNotFound

        raise CaseNotFound(f"问题台账中没有 {echo(problem_id)}", f"no problem {echo(problem_id)} in the ledger")
    case = _case(engine, user, problem.permit_no)
    if problem.status != "open":
        raise InspectionError("此问题已销号", "this problem is already closed")
    if not body.evidence:
        raise InspectionError("销号须附整改佐证材料（至少一个附件）", "closing a problem needs evidence: at least one file")
    attachments.check_refs(engine, store, case.permit_no, body.evidence)
    by = user.actor().describe()
    with Session(engine) as session:
        row = session.get(ProblemRecord, problem_id)
        assert row is not None
        if row.status != "open":
            raise InspectionError("此问题已销号", "this problem is already closed")
        row.status, row.closed_by, row.closed_at = "closed", by, _now()
        row.closing_note = body.note
        row.evidence = [r.model_dump() for r in body.evidence]
        session.add(row)
        session.commit()
        session.refresh(row)
        result = problem_dict(row, today)
    attachments.link(engine, case.permit_no, body.evidence, f"problem:{problem_id}", f"销号 {problem_id}", by)
    return result


def problem_permit(engine: Engine, problem_id: str) -> str:
    """The permit number of a problem of the ledger (``CaseNotFound`` when there is none)."""
    with Session(engine) as session:
        row = session.get(ProblemRecord, problem_id)
    if row is None:
        from operations.cases import CaseNotFound

        raise CaseNotFound(f"问题台账中没有 {echo(problem_id)}", f"no problem {echo(problem_id)} in the ledger")
    return row.permit_no


def inspection_dict(row: InspectionRecord) -> dict[str, Any]:
    return {"id": row.id, "permit_no": row.permit_no, "on": row.on.isoformat(), "unit": row.unit, "people": row.people,
            "findings": row.findings, "photos": row.photos, "post_care": row.post_care, "recorded_by": row.recorded_by,
            "recorded_at": row.recorded_at.isoformat()}


def problem_dict(row: ProblemRecord, today: dt.date | None = None) -> dict[str, Any]:
    late = row.status == "open" and (row.overdue or (today is not None and today > row.due))
    return {"id": row.id, "permit_no": row.permit_no, "inspection_id": row.inspection_id, "problem": row.problem,
            "measures": row.measures, "responsible_unit": row.responsible_unit, "responsible_person": row.responsible_person,
            "due": row.due.isoformat(), "status": row.status, "overdue": late, "reminded": row.reminded,
            "opened_by": row.opened_by, "opened_at": row.opened_at.isoformat(), "closed_by": row.closed_by,
            "closed_at": row.closed_at.isoformat() if row.closed_at else None, "closing_note": row.closing_note,
            "evidence": row.evidence}


def _scope(user: UserRecord) -> tuple[str | None, str | None]:
    """(township, permit_no) the user may read; None: all."""
    role = Role(user.role)
    if role == Role.township:
        return user.township or "", None
    if role == Role.holder:
        return None, user.permit_no or ""
    return None, None


def inspections(engine: Engine, user: UserRecord, permit_no: str | None = None) -> list[dict[str, Any]]:
    township, own = _scope(user)
    with Session(engine) as session:
        query = select(InspectionRecord, CaseRecord).join(CaseRecord, col(CaseRecord.permit_no) == col(InspectionRecord.permit_no))
        if permit_no:
            query = query.where(col(InspectionRecord.permit_no) == permit_no.strip().upper())
        if township is not None:
            query = query.where(col(CaseRecord.township) == township)
        if own is not None:
            query = query.where(col(InspectionRecord.permit_no) == own)
        if user.role == Role.leader.value:  # a county leader reads its own mines only
            query = query.where(col(CaseRecord.leader) == (user.leader or ""))
        if user_county(user):  # a user of one county: its county's mines only
            query = query.where(col(CaseRecord.county) == user_county(user))
        rows = session.exec(query.order_by(col(InspectionRecord.on).desc(), col(InspectionRecord.recorded_at).desc())).all()
        return [{**inspection_dict(i), "mine_name": c.mine_name, "township": c.township} for i, c in rows]


def problems(engine: Engine, user: UserRecord, today: dt.date, *, permit_no: str | None = None, status: str | None = None,
             township: str | None = None, unit: str | None = None, overdue: bool | None = None) -> list[dict[str, Any]]:
    """The problem ledger this user may read, filtered; overdue first, then by time limit."""
    scope_township, own = _scope(user)
    with Session(engine) as session:
        query = select(ProblemRecord, CaseRecord).join(CaseRecord, col(CaseRecord.permit_no) == col(ProblemRecord.permit_no))
        if permit_no:
            query = query.where(col(ProblemRecord.permit_no) == permit_no.strip().upper())
        if status in ("open", "closed"):
            query = query.where(col(ProblemRecord.status) == status)
        if scope_township is not None:
            query = query.where(col(CaseRecord.township) == scope_township)
        elif township:
            query = query.where(col(CaseRecord.township) == township)
        if own is not None:
            query = query.where(col(ProblemRecord.permit_no) == own)
        if user.role == Role.leader.value:  # a county leader reads its own mines only
            query = query.where(col(CaseRecord.leader) == (user.leader or ""))
        if user_county(user):  # a user of one county: its county's mines only
            query = query.where(col(CaseRecord.county) == user_county(user))
        if unit:
            query = query.where(col(ProblemRecord.responsible_unit).contains(unit))
        rows = session.exec(query.order_by(col(ProblemRecord.due), col(ProblemRecord.id))).all()
        found = [{**problem_dict(p, today), "mine_name": c.mine_name, "township": c.township} for p, c in rows]
    if overdue is not None:
        found = [p for p in found if p["overdue"] == overdue]
    found.sort(key=lambda p: (not p["overdue"], p["status"] != "open", p["due"]))
    return found


PROBLEM_COLUMNS = [("序号", None), ("问题编号", "id"), ("采矿许可证号", "permit_no"), ("矿山名称", "mine_name"),
                   ("乡镇", "township"), ("存在问题", "problem"), ("整改措施", "measures"), ("责任单位", "responsible_unit"),
                   ("责任人", "responsible_person"), ("整改时限", "due"), ("状态", "status_zh"), ("逾期", "overdue_zh"),
                   ("销号人", "closed_by"), ("销号时间", "closed_at"), ("销号意见", "closing_note"), ("佐证材料", "evidence_zh")]


def export_problems(rows: list[dict[str, Any]]) -> bytes:
    """The problem ledger as .xlsx (问题台账), every text written formula-safe like the ledger export."""
    from operations.ledger import as_text

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "问题台账"
    sheet.append([name for name, _ in PROBLEM_COLUMNS])
    for number, row in enumerate(rows, start=1):
        values = {**row, "status_zh": "已销号" if row["status"] == "closed" else "整改中",
                  "overdue_zh": "是" if row["overdue"] else "否",
                  "evidence_zh": "；".join(f"{e['name']}（{e['sha256'][:12]}）" for e in row.get("evidence") or [])}
        sheet.append([number if key is None else as_text(values.get(key) or "") for _, key in PROBLEM_COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- the time limit's two moments (the ProblemDeadline workflow's activities) ----------------------------


def mark(engine: Engine, problem_id: str, what: str) -> bool:
    """Mark a still-open problem ``reminded`` or ``overdue``; False when it was closed first (nothing to do)."""
    with Session(engine) as session:
        row = session.get(ProblemRecord, problem_id)
        if row is None or row.status != "open":
            return False
        setattr(row, what, True)
        session.add(row)
        session.commit()
        return True
