"""One to-do for every unit and person (待办), what each unit did (已办), and the office's 催办 (issue 12, item 1).

Read from the case file (一矿一档), as the board is: a stage where a person owes a decision
(``models.case.obligations.DECISIONS``), the open tasks (``tasks``), the open and missed deadlines
(``deadlines``) and the documents not yet served. Only the holder's to-do is asked of its one case
live (``obligations``: the documents it still owes are in the workflow's state, not in the case file).

Each item names the verb code that does it (``propose_disposition``, ``decide_disposition``,
``record_review``, ``serve_document``, ``submit_document``, …), the permit and mine, the task when it is
one, the due date, the days left (negative: overdue) on the case's own clock, and who owes it. A task's
item keeps every field of the inbox's task rows (``reads.task_rows``), so clients of the department
inbox keep working.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from casefile.tables import CaseRecord, DeadlineRecord, NoticeRecord, ProblemRecord, TaskRecord, TimelineRecord, UrgeRecord
from casefile.times import CST, from_db, to_db
from casefile.users import UserRecord
from models.case.obligations import DECISIONS
from models.kinds import NoticeKind, TaskKind
from models.roles import Role
from operations.cases import InputRejected
from operations.permissions import Forbidden, user_county
from operations.reads import _light, _owner, case_today, stage_age, stages_since, task_rows

TASK_VERBS = {TaskKind.document_service.value: "serve_document"}
"""The verb that does a task: recording the service for a service task, a review (``record_review``) for the rest."""

DEADLINE_VERBS = {
    "rectification": "submit_document", "extension": "submit_document", "correction": "submit_document",
    "restoration_plan": "submit_document", "restoration_works": "report_works_done", "unused_bare_area": "report_works_done",
    "township_takeover": "report_works_done", "cancel_application": "apply_cancellation",
}
"""The verb that meets a period (what the responsible does by its last day). ``post_care`` is met by inspections (tasks)."""

OBLIGATION_VERBS = {
    "submit_document": "submit_document", "submit_restoration_plan": "submit_document", "finish_works": "report_works_done",
    "finish_unused_zone_works": "report_works_done", "finish_takeover_works": "report_works_done",
    "finish_takeover_unused_zone_works": "report_works_done", "apply_cancellation": "apply_cancellation",
    "apply_resume_production": "apply_resume_production",
}
"""The verb of each kind of the workflow's ``open_obligations`` (the holder's duties)."""

TODO_ROLES = frozenset({Role.office, Role.county, Role.township, Role.department, Role.holder, Role.expert})
"""The roles with a to-do (a viewer owes nothing)."""

INFO_NOTICES = frozenset({
    NoticeKind.decision_notified, NoticeKind.document_rejected, NoticeKind.works_rejected, NoticeKind.joint_review_rejected,
    NoticeKind.plan_rejected, NoticeKind.closure_ordered, NoticeKind.deemed_abandoned, NoticeKind.period_expired,
    NoticeKind.deadline_moved, NoticeKind.correction_requested,
})
"""Notices of a decision (D10): each reaches its recipients' to-do as an information item (``verb`` null: nothing to
do but know it) for ``INFO_DAYS`` days, and stays in their 已办 feed."""
INFO_DAYS = 30
INFO_ROLES = {Role.holder: "holder", Role.township: "township"}
"""Who gets decision notices in their feed, by the recipient code the case's notices use."""

ACT_ANCHOR = "act"
"""The case page's section of forms (``/cases/{permit}#act``)."""


def task_verb(kind: str) -> str:
    return TASK_VERBS.get(kind, "record_review")


def _owns_task(user: UserRecord, task: TaskRecord) -> bool:
    role = Role(user.role)
    if role == Role.department:
        return task.assignee_role == Role.department.value and task.department == user.department
    if role == Role.township:
        return task.assignee_role == Role.township.value and task.township == user.township
    if role in (Role.county, Role.expert, Role.office):
        return task.assignee_role == role.value
    return False


def _in_scope(user: UserRecord, case: CaseRecord) -> bool:
    role = Role(user.role)
    county = user_county(user)
    if county and case.county != county:  # a user of one county: its county's cases only
        return False
    if role == Role.township:
        return case.township == user.township
    if role == Role.holder:
        return case.permit_no == user.permit_no
    return True


def _base(case: CaseRecord, today: dt.date, *, verb: str, kind: str, label_zh: str, label_en: str, due: dt.date | None,
          provisional: bool, owner: dict[str, str], source: str) -> dict[str, Any]:
    left = (due - case_today(case, today)).days if due else None
    return {
        "verb": verb, "kind": kind, "source": source, "permit_no": case.permit_no, "mine_name": case.mine_name,
        "case_township": case.township, "label_zh": label_zh, "label_en": label_en,
        "due": due.isoformat() if due else None, "provisional": provisional, "days_left": left,
        "overdue": left is not None and left < 0, "light": _light(False, left), **owner,
        "href": f"/cases/{case.permit_no}#{ACT_ANCHOR}", "supervision": None, "urged": 0, "last_urged_at": None,
        "waiting_since": None, "waiting_days": None,
    }


def task_item(task: TaskRecord, case: CaseRecord, today: dt.date) -> dict[str, Any]:
    """A task as a to-do item: the inbox's task row (every field) and the to-do's."""
    (row,) = task_rows([task], case_today(case, today))
    item = _base(case, today, verb=task_verb(task.kind), kind=task.kind, label_zh=task.subject_zh, label_en=task.subject_en,
                 due=task.due, provisional=task.due_provisional,
                 owner=_owner(task.assignee_role, case, task.department,
                              task.township if task.assignee_role == Role.township.value else None),
                 source="task")
    item["overdue"] = item["overdue"] or task.escalated
    item["light"] = row["light"]  # an escalated task is red (D18)
    return {**row, **item, "task_id": task.id}


def problem_item(problem: ProblemRecord, case: CaseRecord, today: dt.date) -> dict[str, Any]:
    """A problem of the ledger (问题台账) as a to-do item: its time limit lit like every deadline (red once past, or
    when its own workflow marked it overdue); closed (销号, verb ``close_problem``) by a reviewer with evidence."""
    owner = {"owner": f"unit:{problem.responsible_unit}", "owner_zh": problem.responsible_unit,
             "owner_en": problem.responsible_unit}
    item = _base(case, today, verb="close_problem", kind="problem", label_zh=f"问题整改：{problem.problem}",
                 label_en=f"problem to rectify: {problem.problem}", due=problem.due, provisional=False, owner=owner,
                 source="problem")
    item["overdue"] = item["overdue"] or problem.overdue
    if item["overdue"]:
        item["light"] = "red"
    return {**item, "id": problem.id, "task_id": None, "problem_id": problem.id, "subject_zh": item["label_zh"],
            "subject_en": item["label_en"], "due_provisional": False, "escalated": False, "clause": "",
            "href": f"/problems?permit_no={case.permit_no}"}


def _item(case: CaseRecord, today: dt.date, **fields: Any) -> dict[str, Any]:
    item = _base(case, today, **fields)
    return {"id": f"{case.permit_no}:{fields['kind']}", "task_id": None, "subject_zh": fields["label_zh"],
            "subject_en": fields["label_en"], "due_provisional": fields["provisional"], "escalated": False, "clause": "",
            **item}


def _stage_item(case: CaseRecord, today: dt.date) -> dict[str, Any] | None:
    if case.stage not in DECISIONS:
        return None
    kind, role, zh, en = DECISIONS[case.stage]  # type: ignore[index]
    return _item(case, today, verb=kind, kind=kind, label_zh=zh, label_en=en, due=None, provisional=False,
                 owner=_owner(role.value, case), source="stage")


def _deadline_item(d: DeadlineRecord, case: CaseRecord, today: dt.date) -> dict[str, Any] | None:
    verb = DEADLINE_VERBS.get(d.kind)
    if verb is None:
        return None
    return _item(case, today, verb=verb, kind=d.kind, label_zh=d.label_zh, label_en=d.label_en, due=d.last_day,
                 provisional=d.provisional, owner=_owner(d.responsible, case), source="deadline")


def _obligation_item(o: dict[str, Any], case: CaseRecord, today: dt.date) -> dict[str, Any] | None:
    verb = OBLIGATION_VERBS.get(o.get("kind", ""))
    if verb is None:
        return None
    due = dt.date.fromisoformat(o["due"]) if o.get("due") else None
    item = _item(case, today, verb=verb, kind=o["kind"], label_zh=o["label_zh"], label_en=o["label_en"], due=due,
                 provisional=bool(o.get("provisional")), owner=_owner(o["responsible"], case), source="obligation")
    if o.get("item"):
        item["item"], item["id"] = o["item"], f"{case.permit_no}:{o['kind']}:{o['item']}"
    return item


def todo(engine: Engine, user: UserRecord, today: dt.date, *, obligations: dict[str, list[dict[str, Any]]] | None = None,
         department: str | None = None, township: str | None = None) -> list[dict[str, Any]]:
    """What ``user``'s unit owes now, overdue first, then by due date (none last).

    ``obligations``: permit → the case's live ``open_obligations`` (the holder's mine); without it the holder's
    duties are read off its stage and running periods. ``department``/``township`` narrow the office's and the
    county's list to what that unit owes."""
    role = Role(user.role)
    if role not in TODO_ROLES:
        return []
    items: list[dict[str, Any]] = []
    with Session(engine) as session:
        cases = {c.permit_no: c for c in session.exec(select(CaseRecord)) if _in_scope(user, c)}
        open_tasks = [t for t in session.exec(select(TaskRecord).where(TaskRecord.status == "open")) if t.permit_no in cases]
        deadlines = [d for d in session.exec(select(DeadlineRecord).where(col(DeadlineRecord.status).in_(("open", "missed"))))
                     if d.permit_no in cases]
        urges = list(session.exec(select(UrgeRecord)))
        problems = [p for p in session.exec(select(ProblemRecord).where(ProblemRecord.status == "open")) if p.permit_no in cases]
    for task in open_tasks:
        if _owns_task(user, task):
            items.append(task_item(task, cases[task.permit_no], today))
    items += _case_items(user, cases, deadlines, today, obligations or {})
    if role == Role.township:  # the problems of the ledger its own unit must rectify (问题台账, issue 14)
        items += [problem_item(p, cases[p.permit_no], today) for p in problems if p.responsible_unit == user.township]
    if role == Role.office:
        items += supervision(cases, open_tasks, deadlines, today, already={i["id"] for i in items})
        items += [dict(problem_item(p, cases[p.permit_no], today), supervision="overdue") for p in problems
                  if problem_item(p, cases[p.permit_no], today)["overdue"]]
    if department or township:
        items = [i for i in items if i["owner"] in (f"department:{department}", f"township:{township}")]
    _count_urges(items, urges)
    _waiting_since(engine, items, cases, today)
    ordered = sorted(items, key=lambda i: (not i["overdue"], i["due"] is None, i["due"] or "", i["permit_no"], i["id"]))
    recent = [i for i in decision_notices(engine, user, cases, today) if i["age_days"] is not None and i["age_days"] <= INFO_DAYS]
    return ordered + recent


def _waiting_since(engine: Engine, items: list[dict[str, Any]], cases: dict[str, CaseRecord], today: dt.date) -> None:
    """A decision owed at a stage has no due date: its item says how long the case has waited (``waiting_days``)."""
    waiting = [i for i in items if i["source"] == "stage"]
    if not waiting:
        return
    with Session(engine) as session:
        since = stages_since(session, [i["permit_no"] for i in waiting])
    for item in waiting:
        day = since.get(item["permit_no"])
        item["waiting_since"] = day.isoformat() if day else None
        item["waiting_days"] = stage_age(day, cases[item["permit_no"]], today)


def decision_notices(engine: Engine, user: UserRecord, cases: dict[str, CaseRecord] | None = None,
                     today: dt.date | None = None) -> list[dict[str, Any]]:
    """The decisions told to ``user``'s unit (a holder's, a township's), newest first, as information items: no verb,
    no due date, the notice's text, and its age in days on the case's own clock."""
    code = INFO_ROLES.get(Role(user.role))
    if code is None:
        return []
    with Session(engine) as session:
        if cases is None:
            cases = {c.permit_no: c for c in session.exec(select(CaseRecord)) if _in_scope(user, c)}
        notices = [n for n in session.exec(select(NoticeRecord).where(col(NoticeRecord.permit_no).in_(list(cases)),
                                                                      col(NoticeRecord.kind).in_(sorted(INFO_NOTICES))))
                   if code in (n.recipients or [])]
    items = []
    for n in notices:
        case = cases[n.permit_no]
        at = from_db(n.at)
        age = (case_today(case, today or dt.datetime.now(CST).date()) - at.date()).days if at else None
        items.append({
            "id": n.id, "source": "notice", "info": True, "verb": None, "kind": n.kind, "task_id": None,
            "permit_no": n.permit_no, "mine_name": case.mine_name, "case_township": case.township,
            "label_zh": n.text_zh, "label_en": n.text_en, "subject_zh": n.text_zh, "subject_en": n.text_en,
            "at": at.isoformat() if at else None, "age_days": age, "due": None, "provisional": False, "days_left": None,
            "overdue": False, "light": "none", "owner": code, "owner_zh": "知悉", "owner_en": "for information",
            "href": f"/cases/{n.permit_no}#notices", "supervision": None, "urged": 0, "last_urged_at": None,
            "outcome": None, "comment": "", "by": "", "recipients": n.recipients,
        })
    return sorted(items, key=lambda i: (i["at"] or "", i["id"]), reverse=True)


def _case_items(user: UserRecord, cases: dict[str, CaseRecord], deadlines: list[DeadlineRecord], today: dt.date,
                obligations: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The decisions owed at the cases' stages, and the periods running against a township or the holder (the
    holder's mine: its live duties when given)."""
    role = Role(user.role)
    items = []
    for case in cases.values():
        if role == Role.holder and case.permit_no in obligations:
            items += [i for o in obligations[case.permit_no] if o.get("responsible") == Role.holder.value
                      and (i := _obligation_item(o, case, today)) is not None]
            continue
        stage = _stage_item(case, today)
        if stage is not None and _owes(user, stage["owner"]):
            items.append(stage)
    for d in deadlines:
        if role not in (Role.township, Role.holder) or d.status != "open" or d.responsible != role.value:
            continue
        if role == Role.holder and d.permit_no in obligations:
            continue  # its live duties said it all
        if (item := _deadline_item(d, cases[d.permit_no], today)) is not None:
            items.append(item)
    return items


def _owes(user: UserRecord, owner: str) -> bool:
    role = Role(user.role)
    if role == Role.township:
        return owner == f"township:{user.township}"
    return owner == role.value


def supervision(cases: dict[str, CaseRecord], open_tasks: list[TaskRecord], deadlines: list[DeadlineRecord],
                today: dt.date, already: set[str] | None = None) -> list[dict[str, Any]]:
    """The office's supervision (督办): every open task overdue or escalated, every period run out whose
    consequence is still to be decided or that is past its last day, and every document not yet served."""
    items = []
    for task in open_tasks:
        item = task_item(task, cases[task.permit_no], today)
        if item["overdue"]:
            item["supervision"] = "overdue"
        elif task.kind == TaskKind.document_service.value:
            item["supervision"] = "unserved"
        else:
            continue
        items.append(item)
    deciding = {t.permit_no for t in open_tasks if t.kind == TaskKind.consequence_decision.value}
    for d in deadlines:
        case = cases[d.permit_no]
        late = d.last_day is not None and d.last_day < case_today(case, today)
        if (d.status == "missed" and d.permit_no in deciding) or (d.status == "open" and late):
            item = _deadline_item(d, case, today) or _item(
                case, today, verb=DEADLINE_VERBS.get(d.kind, "record_review"), kind=d.kind, label_zh=d.label_zh,
                label_en=d.label_en, due=d.last_day, provisional=d.provisional, owner=_owner(d.responsible, case),
                source="deadline")
            item["overdue"], item["supervision"], item["deadline_status"] = True, "overdue", d.status
            items.append(item)
    return [i for i in items if i["id"] not in (already or set())]


def _count_urges(items: list[dict[str, Any]], urges: list[UrgeRecord]) -> None:
    by_key: dict[tuple[str, str], list[UrgeRecord]] = defaultdict(list)
    for u in urges:
        by_key[(u.permit_no, u.task_id or u.kind)].append(u)
    for item in items:
        found = by_key.get((item["permit_no"], item["task_id"] or item["kind"]), [])
        if found:
            last = from_db(max(u.at for u in found))
            item["urged"], item["last_urged_at"] = len(found), last.isoformat() if last else None


# --- 已办 ------------------------------------------------------------------------------------------


def done(engine: Engine, user: UserRecord, *, limit: int = 200, permit_no: str | None = None) -> list[dict[str, Any]]:
    """What ``user``'s unit did, newest first: the tasks it decided (``decided_at``/``decided_by``) and its acts
    on the timeline (the reviews are its tasks, not repeated); ``permit_no``: on that mine only."""
    role = Role(user.role)
    rows: list[dict[str, Any]] = []
    with Session(engine) as session:
        names = {c.permit_no: c for c in session.exec(select(CaseRecord)) if _in_scope(user, c)
                 and (permit_no is None or c.permit_no == permit_no)}
        decided = [t for t in session.exec(select(TaskRecord).where(col(TaskRecord.status).in_(("approved", "rejected")),
                                                                    col(TaskRecord.decided_at).is_not(None)))
                   if t.permit_no in names and _owns_task(user, t)]
        events = [e for e in session.exec(select(TimelineRecord).where(TimelineRecord.actor_role == role.value))
                  if e.permit_no in names and _acted(user, e)]
    instants = set()
    for t in decided:
        at = from_db(t.decided_at)
        instants.add((t.permit_no, at))
        rows.append({"source": "task", "verb": task_verb(t.kind), "kind": t.kind, "task_id": t.id, "permit_no": t.permit_no,
                     "mine_name": names[t.permit_no].mine_name, "label_zh": t.subject_zh, "label_en": t.subject_en,
                     "outcome": t.status, "comment": t.comment, "by": t.decided_by, "at": at.isoformat() if at else None})
    for e in events:
        at = from_db(e.at)
        if e.kind == "review_recorded" or (e.permit_no, at) in instants:
            continue  # the decision of a task listed above
        rows.append({"source": "timeline", "verb": None, "kind": e.kind, "task_id": None, "permit_no": e.permit_no,
                     "mine_name": names[e.permit_no].mine_name, "label_zh": e.summary_zh, "label_en": e.summary_en,
                     "outcome": None, "comment": "", "by": f"{e.actor_unit or ''}·{e.actor_name}".lstrip("·"),
                     "at": at.isoformat() if at else None, "clause": e.clause})
    rows += decision_notices(engine, user, names)
    return sorted(rows, key=lambda r: r["at"] or "", reverse=True)[:limit]


def _acted(user: UserRecord, event: TimelineRecord) -> bool:
    role = Role(user.role)
    if role == Role.department:
        return event.actor_unit == user.department
    if role == Role.township:
        return event.actor_unit == user.township
    if role == Role.holder:
        return event.permit_no == user.permit_no
    return True


# --- 催办 ------------------------------------------------------------------------------------------


class NotOverdue(InputRejected):
    """A 催办 asked for an item that is not overdue (or not owed) now (409)."""


def urge(engine: Engine, user: UserRecord, today: dt.date, picks: list[dict[str, str | None]], note: str = "",
         now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """The office urges the units owing these overdue items (each ``{"permit_no", "task_id"}`` or
    ``{"permit_no", "kind"}``): one 催办 each, to the unit its to-do names. All or nothing: an item that is
    not overdue now refuses the whole request."""
    if Role(user.role) != Role.office:
        raise Forbidden("只有领导小组办公室可以催办", "only the office urges")
    if not picks:
        raise NotOverdue("请选择要催办的逾期事项", "choose the overdue items to urge")
    overdue = {(i["permit_no"], i["task_id"] or i["kind"]): i for i in todo(engine, user, today) if i["overdue"]}
    chosen = []
    for pick in picks:
        permit = (pick.get("permit_no") or "").strip().upper()
        key = (permit, pick.get("task_id") or pick.get("kind") or "")
        if key not in overdue:
            raise NotOverdue(f"{permit} 的「{key[1]}」现在没有逾期，不能催办",
                             f"{key[1]} of {permit} is not overdue now: nothing to urge")
        chosen.append(overdue[key])
    at = to_db(now or dt.datetime.now(CST))
    by = user.actor().describe()
    records = [UrgeRecord(id=f"U{uuid.uuid4().hex[:16]}", permit_no=i["permit_no"], task_id=i["task_id"], kind=i["kind"],
                          to_unit=i["owner"], to_unit_zh=i["owner_zh"], label_zh=i["label_zh"], by=by, at=at,
                          note=note.strip()[:500]) for i in chosen]
    with Session(engine) as session:
        for r in records:
            session.add(r)
        session.commit()
        rows = [urge_row(r) for r in records]
    return rows


def urge_row(r: UrgeRecord) -> dict[str, Any]:
    at = from_db(r.at)
    return {"id": r.id, "permit_no": r.permit_no, "task_id": r.task_id, "kind": r.kind, "to_unit": r.to_unit,
            "to_unit_zh": r.to_unit_zh, "label_zh": r.label_zh, "by": r.by, "at": at.isoformat() if at else None, "note": r.note}


def case_urges(engine: Engine, permit_no: str) -> list[dict[str, Any]]:
    """The 催办 sent on a case, oldest first (the case page's notices)."""
    with Session(engine) as session:
        return [urge_row(r) for r in session.exec(select(UrgeRecord).where(UrgeRecord.permit_no == permit_no)
                                                   .order_by(col(UrgeRecord.at)))]
