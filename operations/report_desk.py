"""What the desk's reports page and API do for a signed-in user (issue 14, items 4–6): bulletins, charts, the
deadline calendar, and a mine's fund and 保证金. Role checks here, as in ``operations.desk``.

- Bulletins, charts and the calendar cover every township: the office, the county, the departments and read-only
  viewers see them (``REPORT_ROLES``); the office makes a bulletin on demand.
- A mine's funds are read by whoever may read the case, and recorded by the office only.
"""

from __future__ import annotations

import asyncio
import calendar as cal
import datetime as dt
import subprocess
from collections import defaultdict
from typing import Any

from sqlmodel import Session, col, select

from casefile.tables import CaseRecord, DeadlineRecord, TaskRecord
from casefile.users import UserRecord
from models.errors import MinecaseError
from models.roles import Role
from operations import bulletin as bulletins
from operations import charts, funds
from operations.campaigns import DEMO_CAMPAIGN
from operations.cases import CaseNotFound
from operations.desk import Desk, Unavailable
from operations.permissions import Forbidden, check_may_read, user_county
from operations.reads import _owner

REPORT_ROLES = frozenset({Role.office, Role.county, Role.department, Role.viewer, Role.province})
BULLETIN_MAKERS = frozenset({Role.office})
FUND_WRITERS = frozenset({Role.office})


def check_may_see_reports(user: UserRecord) -> None:
    if Role(user.role) not in REPORT_ROLES:
        raise Forbidden("无权查看进展通报与统计", "you may not see the bulletins and reports")


def campaign_of(desk: Desk) -> str:
    return desk.campaign or DEMO_CAMPAIGN


def campaign_for(desk: Desk, user: UserRecord | None) -> str:
    """The campaign whose reports ``user`` reads: the deployment's, or — for a user of another county in a province
    deployment — its own county's (the campaign of its cases, else a campaign file naming its county)."""
    from models.policy import available_campaigns, county_of_campaign

    campaign = campaign_of(desk)
    county = user_county(user) if user is not None else None
    if not county or county_of_campaign(campaign) == county:
        return campaign
    with Session(desk.engine) as session:
        found = session.exec(select(CaseRecord.campaign).where(CaseRecord.county == county)
                             .order_by(col(CaseRecord.registered_at).desc())).first()
    if found:
        return found
    named = [c for c in available_campaigns() if county_of_campaign(c, "") == county]
    if named:
        return named[0]
    raise CaseNotFound(f"{county}没有专项行动", f"{county} has no campaign")


def check_bulletin_county(user: UserRecord, campaign: str) -> None:
    """A user of one county reads its county's bulletins only."""
    from models.policy import county_of_campaign

    county = user_county(user)
    if county and county_of_campaign(campaign) != county:
        raise Forbidden("此通报属于其他县", "this bulletin is another county's")


def province_bulletin(desk: Desk, user: UserRecord, period: str, as_of: dt.date | None = None) -> dict[str, Any]:
    """The bulletin of every county, one row each (``operations.bulletin.province_bulletin``): the province's only."""
    if Role(user.role) != Role.province:
        raise Forbidden("只有省级用户可以查看全省通报", "only a province user reads the province's bulletin")
    day = as_of or desk.today()
    bulletins.period_start(period, day)  # a bad period is refused first
    data = bulletins.province_bulletin(desk.engine, period, day)
    return {**data, "html": bulletins.render_province_bulletin(data)}


def make_bulletin(desk: Desk, user: UserRecord, period: str, as_of: dt.date | None = None) -> dict[str, Any]:
    if Role(user.role) not in BULLETIN_MAKERS:
        raise Forbidden("只有领导小组办公室可以生成通报", "only the office makes bulletins")
    day = as_of or desk.today()
    bulletins.period_start(period, day)  # a bad period is refused first
    policy = bulletins.bulletin_policy(desk.engine, campaign_for(desk, user))
    record = bulletins.make_bulletin(desk.engine, policy, period, day, f"office:{user.name}")
    return bulletin_row(record, with_data=True)


def bulletin_row(record: Any, with_data: bool = False) -> dict[str, Any]:
    row = {"id": record.id, "campaign": record.campaign, "period": record.period, "start": record.start.isoformat(),
           "end": record.end.isoformat(), "made_by": record.made_by, "made_at": record.made_at.isoformat()}
    return {**row, "data": record.data} if with_data else row


def list_bulletins(desk: Desk, user: UserRecord) -> list[dict[str, Any]]:
    check_may_see_reports(user)
    if Role(user.role) == Role.province:  # every county's
        return [bulletin_row(b) for b in bulletins.list_bulletins(desk.engine)]
    return [bulletin_row(b) for b in bulletins.list_bulletins(desk.engine, campaign_for(desk, user))]


def get_bulletin(desk: Desk, user: UserRecord, bulletin_id: str) -> Any:
    check_may_see_reports(user)
    record = bulletins.get_bulletin(desk.engine, bulletin_id)
    if record is None:
        raise CaseNotFound(f"没有通报 {bulletin_id[:80]}", f"no bulletin {bulletin_id[:80]}")
    check_bulletin_county(user, record.campaign)
    return record


async def bulletin_pdf(desk: Desk, user: UserRecord, bulletin_id: str) -> tuple[bytes, str]:
    from casefile.documents import html_to_pdf

    record = get_bulletin(desk, user, bulletin_id)
    try:
        pdf = await asyncio.to_thread(html_to_pdf, record.html)
    except MinecaseError as error:
        raise Unavailable(error.zh, error.en) from None
    except (subprocess.SubprocessError, OSError) as error:
        raise Unavailable("PDF 生成失败，请稍后再试", f"printing the PDF failed: {type(error).__name__}") from None
    return pdf, filename(record, ".pdf")


def filename(record: Any, suffix: str) -> str:
    kind = "周报" if record.period == "week" else "月报"
    return f"进展通报-{kind}-{record.start.isoformat()}{suffix}"


def overview(desk: Desk, user: UserRecord, weeks: int = 12) -> dict[str, Any]:
    """The charts' numbers and their SVG: stage groups and townships' restoration by week, on-time rates, area."""
    check_may_see_reports(user)
    today = desk.today()
    campaign = campaign_for(desk, user)
    policy = bulletins.bulletin_policy(desk.engine, campaign)
    now = bulletins.compute_bulletin(desk.engine, policy, "week", today)
    trend = bulletins.trends(desk.engine, campaign, today, weeks)
    names = {k: f"{zh} {en}" for k, (zh, en) in trend["groups"].items()}
    rates = [("全县 county", now["timeliness"]["on_time_rate"])] + [(r["township"], r["on_time_rate"]) for r in now["townships"]]
    return {
        "bulletin": now, "trend": trend, "phases": policy.dated_phases(today),
        "charts": {
            "stages": charts.stacked_bars(trend["ends"], trend["stage_series"], names),
            "townships": charts.lines(trend["ends"], trend["township_restored"]),
            "on_time": charts.rate_bars(rates),
            "area": charts.area_bars(now["area"]["targets"], now["area"]),
        },
    }


def due_calendar(desk: Desk, user: UserRecord, view: str = "month", on: dt.date | None = None) -> dict[str, Any]:
    """What falls due (open deadlines and tasks) in the week or month of ``on``: days, each with its items."""
    check_may_see_reports(user)
    on = on or desk.today()
    if view == "week":
        first = on - dt.timedelta(days=on.weekday())
        last = first + dt.timedelta(days=6)
        grid_first, grid_last = first, last
        previous, following = first - dt.timedelta(days=7), first + dt.timedelta(days=7)
    else:
        view = "month"
        first = on.replace(day=1)
        last = first.replace(day=cal.monthrange(first.year, first.month)[1])
        grid_first = first - dt.timedelta(days=first.weekday())
        grid_last = last + dt.timedelta(days=6 - last.weekday())
        previous = (first - dt.timedelta(days=1)).replace(day=1)
        following = last + dt.timedelta(days=1)
    items: dict[dt.date, list[dict[str, Any]]] = defaultdict(list)
    with Session(desk.engine) as session:
        deadlines = list(session.exec(select(DeadlineRecord).where(DeadlineRecord.status == "open", col(DeadlineRecord.last_day) >= first,
                                                                   col(DeadlineRecord.last_day) <= last)))
        tasks = list(session.exec(select(TaskRecord).where(TaskRecord.status == "open", col(TaskRecord.due) >= first,
                                                           col(TaskRecord.due) <= last)))
        permits = {d.permit_no for d in deadlines} | {t.permit_no for t in tasks}
        found = {c.permit_no: c for c in session.exec(select(CaseRecord).where(col(CaseRecord.permit_no).in_(permits)))}
    county = user_county(user)
    if county:  # a user of one county: its county's dues only
        found = {p: c for p, c in found.items() if c.county == county}
    for d in deadlines:
        case = found.get(d.permit_no)
        if case is not None and d.last_day is not None:
            items[d.last_day].append({"permit_no": case.permit_no, "mine_name": case.mine_name, "township": case.township,
                                      "label_zh": d.label_zh, "label_en": d.label_en, "provisional": d.provisional,
                                      **_owner(d.responsible, case)})
    for t in tasks:
        case = found.get(t.permit_no)
        if case is not None and t.due is not None:
            items[t.due].append({"permit_no": case.permit_no, "mine_name": case.mine_name, "township": case.township,
                                 "label_zh": t.subject_zh, "label_en": t.subject_en, "provisional": t.due_provisional,
                                 **_owner(t.assignee_role, case, t.department, t.township if t.assignee_role == "township" else None)})
    days = []
    day = grid_first
    while day <= grid_last:
        days.append({"date": day.isoformat(), "day": day.day, "in_range": first <= day <= last, "today": day == desk.today(),
                     "dues": sorted(items.get(day, []), key=lambda i: (i["township"], i["permit_no"]))})
        day += dt.timedelta(days=1)
    return {"view": view, "first": first.isoformat(), "last": last.isoformat(), "previous": previous.isoformat(),
            "next": following.isoformat(), "days": days, "count": sum(len(v) for v in items.values())}


# -- funds -------------------------------------------------------------------------------------------


def _case_for(desk: Desk, user: UserRecord, permit_no: str) -> CaseRecord:
    with Session(desk.engine) as session:
        case = session.get(CaseRecord, permit_no)
    if case is None:
        raise CaseNotFound(f"没有采矿许可证号为 {permit_no[:40]} 的案件", f"no case with permit number {permit_no[:40]}")
    check_may_read(user, case.township, permit_no, county=case.county)
    return case


def case_funds(desk: Desk, user: UserRecord, permit_no: str) -> list[dict[str, Any]]:
    permit_no = permit_no.strip().upper()
    _case_for(desk, user, permit_no)
    return funds.funds_of(desk.engine, permit_no)


def record_fund(desk: Desk, user: UserRecord, permit_no: str, kind: str, values: dict[str, Any], note: str = "") -> dict[str, Any]:
    permit_no = permit_no.strip().upper()
    if Role(user.role) not in FUND_WRITERS:
        raise Forbidden("只有领导小组办公室可以记录治理恢复基金与保证金", "only the office records funds and bonds")
    _case_for(desk, user, permit_no)
    return funds.record_fund(desk.engine, permit_no, kind, values, f"office:{user.name}", note)


def campaign_phases(desk: Desk, user: UserRecord | None = None) -> list[dict[str, Any]]:
    """The campaign's phases (seed 002) with their dates, the current one marked: for the board (``user``: the campaign
    of its county)."""
    today = desk.today()
    try:
        policy = bulletins.bulletin_policy(desk.engine, campaign_for(desk, user))
    except MinecaseError:
        return []
    return [{"code": p.code, "name_zh": p.name_zh, "name_en": p.name_en, "start": p.start.isoformat() if p.start else None,
             "end": p.end.isoformat() if p.end else None,
             "now": bool(p.start and p.start <= today and (p.end is None or today <= p.end))} for p in policy.dated_phases(today)]
