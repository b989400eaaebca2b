"""Reads for the desk (board, filtered lists), over the case file. Owned by the web/API layer."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any, NamedTuple

from sqlalchemy import func, or_, union_all
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from casefile.tables import CaseRecord, DeadlineRecord, DocumentRecord, TaskRecord, TimelineRecord
from casefile.times import CST, from_db
from models.errors import MinecaseError
from models.roles import DEPARTMENT_LABELS, ROLE_LABELS, Department, Role
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
    """red / yellow / green by days to the stage deadline alone; ``none`` when nothing is running (a list row's
    ``light`` counts every open obligation: ``case_row``)."""
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


def _owner(code: str, case: CaseRecord, department: str | None = None, township: str | None = None) -> dict[str, str]:
    """Who owes an obligation: its unit's code and name (a township and a holder by their own names)."""
    if department:
        zh, en = DEPARTMENT_LABELS[Department(department)] if department in Department.__members__ else (department, department)
        return {"owner": f"department:{department}", "owner_zh": zh, "owner_en": en}
    if code == Role.township.value:
        name = township or case.township
        return {"owner": f"township:{name}", "owner_zh": name, "owner_en": name}
    if code == Role.holder.value:
        return {"owner": "holder", "owner_zh": case.holder, "owner_en": case.holder}
    zh, en = ROLE_LABELS[Role(code)] if code in Role.__members__ else (code, code)
    return {"owner": code, "owner_zh": zh, "owner_en": en}


def next_item(case: CaseRecord, today: dt.date, deadlines: list[DeadlineRecord], tasks: list[TaskRecord]) -> dict[str, Any] | None:
    """What is late, or else next, on a case, and who owes it: the nearest open deadline or task; a case marked
    overdue with nothing open past due names its latest missed deadline."""
    own_today = case_today(case, today)
    items: list[dict[str, Any]] = []
    for d in deadlines:
        if d.status == "open" and d.last_day is not None:
            items.append({"source": "deadline", "id": d.kind, "kind": d.kind, "label_zh": d.label_zh, "label_en": d.label_en,
                          "due": d.last_day, "provisional": d.provisional, **_owner(d.responsible, case)})
    for t in tasks:
        if t.status == "open" and t.due is not None:
            items.append({"source": "task", "id": t.id, "kind": t.kind, "label_zh": t.subject_zh, "label_en": t.subject_en,
                          "due": t.due, "provisional": t.due_provisional,
                          **_owner(t.assignee_role, case, t.department, t.township if t.assignee_role == "township" else None)})
    if not items and case.next_due is not None:
        items.append({"source": "deadline", "id": case.next_due_kind, "kind": case.next_due_kind, "label_zh": case.next_due_kind,
                      "label_en": case.next_due_kind, "due": case.next_due, "provisional": False, **_owner("", case)})
    chosen = min(items, key=lambda i: (i["due"], i["source"], i["id"] or "")) if items else None
    if case.overdue and (chosen is None or chosen["due"] >= own_today):
        missed = [d for d in deadlines if d.status == "missed" and d.last_day is not None]
        if missed:
            d = max(missed, key=lambda d: d.last_day or dt.date.min)
            chosen = {"source": "deadline", "id": d.kind, "kind": d.kind, "label_zh": d.label_zh, "label_en": d.label_en,
                      "due": d.last_day, "provisional": d.provisional, **_owner(d.responsible, case)}
    if chosen is None:
        return None
    left = (chosen["due"] - own_today).days
    return {**chosen, "due": chosen["due"].isoformat(), "days_left": left, "late": left < 0,
            "late_count": sum(1 for i in items if i["due"] < own_today)}


def stage_age(since: dt.date | None, case: CaseRecord, today: dt.date) -> int | None:
    """Days since the case entered its current stage, on the case's own clock (``None``: not known)."""
    return (case_today(case, today) - since).days if since else None


def case_row(case: CaseRecord, today: dt.date, deadlines: list[DeadlineRecord] | None = None,
             tasks: list[TaskRecord] | None = None, stage_since: dt.date | None = None) -> dict[str, Any]:
    """A case as a list row. ``next_due``/``days_left`` are the stage deadline's; ``due``, ``light`` and
    ``next_item`` count every open obligation (deadlines and tasks); ``stage_since``/``stage_age_days``: the day
    the case entered its current stage and the days since (age in stage)."""
    stage = Stage(case.stage) if case.stage in Stage.__members__ else None
    path = Path(case.path) if case.path in {p.value for p in Path} else None
    dues = [d for d in [case.next_due, *(x.last_day for x in deadlines or [] if x.status == "open"),
                        *(t.due for t in tasks or [] if t.status == "open")] if d is not None]
    due = min(dues) if dues else None
    return {
        "permit_no": case.permit_no,
        "mine_name": case.mine_name,
        "holder": case.holder,
        "township": case.township,
        "leader": case.leader,
        "campaign": case.campaign,
        "county": case.county,
        "stage": case.stage,
        "stage_label_zh": stage.label_zh if stage else case.stage,
        "stage_label_en": stage.label_en if stage else case.stage,
        "path": case.path,
        "path_label_zh": path.label_zh if path else case.path,
        "next_due": case.next_due.isoformat() if case.next_due else None,
        "next_due_kind": case.next_due_kind,
        "days_left": days_left(case, today),
        "overdue": case.overdue,
        "due": due.isoformat() if due else None,
        "due_days_left": _days_left(due, case.updated_at, today),
        "light": _light(case.overdue, _days_left(due, case.updated_at, today)),
        "next_item": next_item(case, today, deadlines or [], tasks or []),
        "bare_area_mu": case.bare_area_mu,
        "fictional": case.fictional,
        "stage_since": stage_since.isoformat() if stage_since else None,
        "stage_age_days": stage_age(stage_since, case, today),
    }


def _order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Overdue first, then red, then by the nearest due date of every open obligation (none last), then by permit."""
    return sorted(rows, key=lambda r: (not r["overdue"], r["light"] != "red", r["due"] is None, r["due"] or "", r["permit_no"]))


SORTS = ("due", "name", "holder", "township", "stage", "permit_no")
"""Sort fields of a case list (``-field``: descending). ``due``, the default: overdue first, nearest deadline first."""
PAGE_SIZE_MAX = 200
"""The most cases one page of a list holds."""
PAGE_SIZE_DEFAULT = 50


class BadListRequest(MinecaseError):
    """A case list asked with a page, page size or sort field that does not exist (422)."""


def check_paging(page: int | None, page_size: int | None, sort: str | None) -> None:
    if page is not None and page < 1:
        raise BadListRequest(f"页码应为不小于 1 的整数（收到 {page}）", f"page must be a whole number of at least 1 (got {page})")
    if page_size is not None and not 1 <= page_size <= PAGE_SIZE_MAX:
        raise BadListRequest(f"每页条数应在 1 到 {PAGE_SIZE_MAX} 之间（收到 {page_size}）",
                             f"page_size must be between 1 and {PAGE_SIZE_MAX} (got {page_size})")
    if sort is not None and sort.lstrip("-") not in SORTS:
        names = "、".join(SORTS)
        raise BadListRequest(f"无法按 {sort} 排序，可用：{names}（前加 - 为倒序）",
                             f"cannot sort by {sort}; use one of {', '.join(SORTS)} (prefix - for descending)")


class _Slim(NamedTuple):
    """What listing, counting and ordering need of a case, read without its full row."""

    permit_no: str
    mine_name: str
    holder: str
    township: str
    leader: str
    stage: str
    overdue: bool
    due: dt.date | None
    """The nearest due date of every open obligation: the stage deadline, open deadlines and open tasks."""
    light: str
    county: str


def _nearest_dues() -> Any:
    """permit_no → the nearest due date of its open deadlines and open tasks (a grouped subquery)."""
    dues = union_all(
        Select(col(CaseRecord.permit_no).label("permit_no"), col(CaseRecord.next_due).label("due"))
        .where(col(CaseRecord.next_due).is_not(None)),
        Select(col(DeadlineRecord.permit_no), col(DeadlineRecord.last_day))
        .where(DeadlineRecord.status == "open", col(DeadlineRecord.last_day).is_not(None)),
        Select(col(TaskRecord.permit_no), col(TaskRecord.due)).where(TaskRecord.status == "open", col(TaskRecord.due).is_not(None)),
    ).subquery()
    return Select(dues.c.permit_no, func.min(dues.c.due).label("due")).group_by(dues.c.permit_no).subquery()


def _matching(text: str) -> Any:
    """Mine name, holder or a fragment of the permit number (the permit's letters in either case)."""
    needle = text.strip()
    return or_(col(CaseRecord.mine_name).contains(needle, autoescape=True),
               col(CaseRecord.holder).contains(needle, autoescape=True),
               func.upper(col(CaseRecord.permit_no)).contains(needle.replace(" ", "").upper(), autoescape=True))


def _slim_rows(
    session: Session, today: dt.date, *, q: str | None = None, stage: str | None = None, township: str | None = None,
    path: str | None = None, overdue: bool | None = None, campaign: str | None = None, permit_no: str | None = None,
    leader: str | None = None, department: str | None = None, county: str | None = None,
) -> list[_Slim]:
    """``leader``: the mines of that 挂点县领导; ``department``: the cases with that department's open tasks; ``county``:
    the cases of that county (a province deployment: a county's user reads its county only)."""
    nearest = _nearest_dues()
    query: Any = Select(
        col(CaseRecord.permit_no), col(CaseRecord.mine_name), col(CaseRecord.holder), col(CaseRecord.township),
        col(CaseRecord.leader), col(CaseRecord.stage), col(CaseRecord.overdue), col(CaseRecord.updated_at), nearest.c.due,
        col(CaseRecord.county),
    ).outerjoin(nearest, nearest.c.permit_no == CaseRecord.permit_no)
    if leader is not None:  # "": no case (a leader's scope without a name reads none)
        query = query.where(CaseRecord.leader == leader) if leader else query.where(col(CaseRecord.permit_no).is_(None))
    if department:
        owing: Any = Select(col(TaskRecord.permit_no)).where(TaskRecord.status == "open", TaskRecord.department == department)
        query = query.where(col(CaseRecord.permit_no).in_(owing))
    if county:
        query = query.where(CaseRecord.county == county)
    if q and q.strip():
        query = query.where(_matching(q))
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
    if permit_no is not None:  # "": no case (a scope that reads none)
        query = query.where(CaseRecord.permit_no == permit_no)
    rows = []
    for permit, name, holder, town, lead, stage_code, late, synced, due, of_county in session.execute(query):
        due = due if isinstance(due, dt.date) or due is None else dt.date.fromisoformat(str(due)[:10])
        rows.append(_Slim(permit, name, holder, town, lead or "", stage_code, bool(late), due,
                          _light(bool(late), _days_left(due, synced, today)), of_county or ""))
    return rows


_STAGE_ORDER = {s.value: i for i, s in enumerate(Stage)}


def _urgency(r: _Slim) -> tuple[Any, ...]:
    return (not r.overdue, r.light != "red", r.due is None, r.due or dt.date.max, r.permit_no)


def _sorted(rows: list[_Slim], sort: str | None) -> list[_Slim]:
    field = (sort or "due").lstrip("-")
    keys: dict[str, Any] = {
        "due": _urgency,
        "name": lambda r: (r.mine_name, r.permit_no),
        "holder": lambda r: (r.holder, r.permit_no),
        "township": lambda r: (r.township, _urgency(r)),
        "stage": lambda r: (_STAGE_ORDER.get(r.stage, len(_STAGE_ORDER)), _urgency(r)),
        "permit_no": lambda r: r.permit_no,
    }
    return sorted(rows, key=keys[field], reverse=bool(sort and sort.startswith("-")))


def search_cases(
    engine: Engine, *, today: dt.date | None = None, q: str | None = None, light: str | None = None,
    due_within: int | None = None, sort: str | None = None, page: int | None = None, page_size: int | None = None,
    **filters: Any,
) -> dict[str, Any]:
    """One page of the cases matching every filter: ``{"total", "page", "page_size", "pages", "sort", "cases"}``.

    ``q`` searches the mine name, the holder and a fragment of the permit number; ``light`` keeps the cases of
    that light, ``due_within`` those whose nearest open obligation (deadline or task) falls within N days. The
    filters and the search run in SQL over the columns a list needs; the full rows are read for the page only.
    Without ``page`` and ``page_size`` the page is the whole list.
    """
    check_paging(page, page_size, sort)
    if light is not None and light not in LIGHTS:
        raise BadListRequest(f"灯色应为 {'、'.join(LIGHTS)} 之一", f"light must be one of {', '.join(LIGHTS)}")
    today = today or today_cst()
    with Session(engine) as session:
        slim = _slim_rows(session, today, q=q, **filters)
        if light is not None:
            slim = [r for r in slim if r.light == light]
        if due_within is not None:
            synced = dict(session.execute(Select(col(CaseRecord.permit_no), col(CaseRecord.updated_at))
                                          .where(col(CaseRecord.permit_no).in_([r.permit_no for r in slim if r.due]))).all())
            slim = [r for r in slim if r.due is not None and (left := _days_left(r.due, synced.get(r.permit_no), today)) is not None
                    and left <= due_within]
        ordered = _sorted(slim, sort)
        total = len(ordered)
        if page is None and page_size is None:
            size, number, shown = max(total, 1), 1, ordered
        else:
            size = page_size or PAGE_SIZE_DEFAULT
            number = page or 1
            shown = ordered[(number - 1) * size: number * size]
        rows = _full_rows(session, [r.permit_no for r in shown], today)
    return {"total": total, "page": number, "page_size": size, "pages": max(1, -(-total // size)),
            "sort": sort or "due", "cases": rows}


def _full_rows(session: Session, permits: list[str], today: dt.date) -> list[dict[str, Any]]:
    """The list rows of these cases, in this order, each with what is next or late and who owes it."""
    if not permits:
        return []
    records = {c.permit_no: c for c in session.exec(select(CaseRecord).where(col(CaseRecord.permit_no).in_(permits)))}
    deadlines: dict[str, list[DeadlineRecord]] = defaultdict(list)
    for d in session.exec(select(DeadlineRecord).where(col(DeadlineRecord.permit_no).in_(permits),
                                                       col(DeadlineRecord.status).in_(("open", "missed")))):
        deadlines[d.permit_no].append(d)
    tasks: dict[str, list[TaskRecord]] = defaultdict(list)
    for t in session.exec(select(TaskRecord).where(col(TaskRecord.permit_no).in_(permits), TaskRecord.status == "open")):
        tasks[t.permit_no].append(t)
    since = stages_since(session, permits)
    return [case_row(records[p], today, deadlines[p], tasks[p], since.get(p)) for p in permits if p in records]


def stages_since(session: Session, permits: list[str]) -> dict[str, dt.date]:
    """permit → the day the case entered its current stage: the day (legal, China's calendar) of its latest
    timeline event that changed the stage, or of its registration."""
    latest: dict[str, tuple[int, dt.date]] = {}
    rows = session.execute(
        Select(col(TimelineRecord.permit_no), col(TimelineRecord.seq), col(TimelineRecord.at), col(TimelineRecord.effective_on))
        .where(col(TimelineRecord.permit_no).in_(permits),
               or_(col(TimelineRecord.stage_from) != col(TimelineRecord.stage_to), col(TimelineRecord.kind) == "case_registered")))
    for permit, seq, at, effective_on in rows:
        if permit in latest and latest[permit][0] >= seq:
            continue
        day = effective_on if isinstance(effective_on, dt.date) else None
        if day is None:
            instant = from_db(at)
            day = instant.date() if instant else None
        if day is not None:
            latest[permit] = (seq, day)
    return {p: day for p, (_, day) in latest.items()}


def find_cases(
    engine: Engine, *, today: dt.date | None = None, stage: str | None = None, township: str | None = None,
    path: str | None = None, overdue: bool | None = None, due_within: int | None = None, campaign: str | None = None,
    permit_no: str | None = None, q: str | None = None, light: str | None = None, sort: str | None = None,
    leader: str | None = None, department: str | None = None, county: str | None = None,
) -> list[dict[str, Any]]:
    """Cases matching every given filter, as board rows, overdue first (the whole list: ``search_cases`` pages it)."""
    return search_cases(engine, today=today, stage=stage, township=township, path=path, overdue=overdue,
                        due_within=due_within, campaign=campaign, permit_no=permit_no, q=q, light=light, sort=sort,
                        leader=leader, department=department, county=county)["cases"]


BOARD_CASES = 200
"""The board lists the cases that most need attention; the rest are on /cases (the board says how many)."""


def board(engine: Engine, *, today: dt.date | None = None, township: str | None = None, permit_no: str | None = None,
          leader: str | None = None, department: str | None = None, county: str | None = None,
          limit: int = BOARD_CASES) -> dict[str, Any]:
    """Counts per stage, per township and per 挂点县领导, with red/yellow/green lights, and the cases overdue first.

    Lights count every open obligation's due date (deadlines and tasks). Counting reads only the columns it
    needs; full rows are loaded for the ``limit`` cases shown, and ``cases_shown`` < ``total`` says more exist.
    ``township``, ``leader``, ``department`` (the cases with that department's open tasks) and ``county`` narrow it all;
    ``counties`` counts the cases per county with their lights (the province's board: docs/province.md).
    """
    today = today or today_cst()
    with Session(engine) as session:
        slim = _slim_rows(session, today, township=township, permit_no=permit_no, leader=leader, department=department,
                          county=county)
        first = _sorted(slim, None)[:limit]
        rows = _full_rows(session, [r.permit_no for r in first], today)
    per_stage: Counter[str] = Counter(r.stage for r in slim)
    towns: dict[str, Counter[str]] = defaultdict(Counter)
    leaders: dict[str, Counter[str]] = defaultdict(Counter)
    counties: dict[str, Counter[str]] = defaultdict(Counter)
    for r in slim:
        counties[r.county][r.light] += 1
        counties[r.county]["total"] += 1
        counties[r.county]["overdue"] += int(r.overdue)
        towns[r.township][r.light] += 1
        towns[r.township]["total"] += 1
        if r.leader:
            leaders[r.leader][r.light] += 1
            leaders[r.leader]["total"] += 1
    stages = [
        {"stage": s.value, "label_zh": s.label_zh, "label_en": s.label_en, "count": per_stage.get(s.value, 0)}
        for s in Stage
    ]
    townships = [
        {"township": t, "total": c["total"], **{k: c.get(k, 0) for k in LIGHTS}}
        for t, c in sorted(towns.items(), key=lambda item: (-item[1]["red"], -item[1]["yellow"], item[0]))
    ]
    per_leader = [
        {"leader": name, "total": c["total"], **{k: c.get(k, 0) for k in LIGHTS}}
        for name, c in sorted(leaders.items(), key=lambda item: (-item[1]["red"], -item[1]["yellow"], item[0]))
    ]
    per_county = [
        {"county": name, "total": c["total"], "overdue": c["overdue"],
         **{k: c.get(k, 0) for k in LIGHTS}}
        for name, c in sorted(counties.items(), key=lambda item: (-item[1]["red"], -item[1]["yellow"], item[0]))
    ]
    lights = Counter(r.light for r in slim)
    return {
        "today": today.isoformat(),
        "total": len(slim),
        "overdue": sum(1 for r in slim if r.overdue),
        "lights": {k: lights.get(k, 0) for k in LIGHTS},
        "thresholds": {"red_within_days": RED_WITHIN_DAYS, "yellow_within_days": YELLOW_WITHIN_DAYS},
        "stages": stages,
        "townships": townships,
        "leaders": per_leader,
        "counties": per_county,
        "filters": {"township": township, "leader": leader, "department": department, "county": county},
        "cases": rows,
        "cases_shown": len(rows),
    }


def townships(engine: Engine, county: str | None = None) -> list[str]:
    """The townships with a case (``county``: of that county's cases)."""
    with Session(engine) as session:
        query = select(CaseRecord.township)
        if county:
            query = query.where(CaseRecord.county == county)
        return sorted(set(session.exec(query)))


def leaders(engine: Engine, county: str | None = None) -> list[str]:
    """The 挂点县领导 the mines name (for the filters; ``county``: of that county's mines)."""
    with Session(engine) as session:
        query = select(CaseRecord.leader)
        if county:
            query = query.where(CaseRecord.county == county)
        return sorted({name for name in session.exec(query) if name})


def case_county(engine: Engine, permit_no: str) -> str | None:
    """The county of a case as the case file has it (``None``: no such case yet)."""
    with Session(engine) as session:
        case = session.get(CaseRecord, permit_no)
        return case.county if case is not None else None


def counties(engine: Engine) -> list[str]:
    """The counties with a case (a province deployment's; one name in a county's own)."""
    with Session(engine) as session:
        return sorted({name for name in session.exec(select(CaseRecord.county)) if name})


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
            # as a case's light: by the days left, red once past due; an open task escalated as overdue is red
            # whatever the calendar says (newcomer trial D18: 已逾期上报 with a yellow light)
            "light": _light(t.escalated and t.status == "open", left),
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
