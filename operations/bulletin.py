"""The campaign's progress bulletin (进展通报, issue 14 item 4): weekly and monthly, computed from the case file.

What it says, for the period that ends on ``as_of`` (a week from its Monday, a month from its 1st):

- cases by stage and by township;
- obligations done on time and late: deadlines met / missed, and department and township tasks decided by
  their due date or after it (in the period, and since the campaign began);
- what is overdue now, each with the unit that owes it;
- area restored (bare area of mines whose works were accepted by ``as_of``) against the year's target and
  the campaign's, in 亩 and in hectares (1 hm² = 15 亩; seed 003 sets its targets in 公顷);
- restoration rate by mine category (seed 001; a mine's category is its path, ``MINE_CATEGORIES``);
- the campaign's current phase (seed 002) and the funds recorded (seed 000);
- a ranking of the townships: restoration rate, then on-time rate, then fewest overdue.

``make_bulletin`` computes and stores it (table ``bulletins``), the same whether the Temporal Schedule, its
clock workflow or ``minecase report bulletin`` asks. ``bulletin_xlsx`` and the HTML page (``html``) render it;
the PDF is the HTML printed by Chromium (``casefile.documents.html_to_pdf``).
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter, defaultdict
from typing import Any, Literal

from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from casefile.tables import BulletinRecord, CaseRecord, DeadlineRecord, FundRecord, TaskRecord
from casefile.times import CST, from_db
from models.errors import MinecaseError
from models.policy import MINE_CATEGORIES, CampaignPolicy
from models.stages import Stage
from operations.reads import _owner

MU_PER_HECTARE = 15.0
"""1 公顷 (hm²) = 15 亩."""

Period = Literal["week", "month"]
PERIOD_ZH = {"week": "周", "month": "月"}


class BadPeriod(MinecaseError):
    """A bulletin period other than ``week`` or ``month``."""


def hectares(mu: float) -> float:
    return round(mu / MU_PER_HECTARE, 2)


def period_start(period: str, as_of: dt.date) -> dt.date:
    """The first day of the week (Monday) or month that ``as_of`` falls in."""
    if period == "week":
        return as_of - dt.timedelta(days=as_of.weekday())
    if period == "month":
        return as_of.replace(day=1)
    raise BadPeriod(f"通报周期应为 week（周报）或 month（月报），而不是 {period!r}",
                    f"the bulletin period must be week or month, not {period!r}")


def bulletin_id(campaign: str, period: str, start: dt.date) -> str:
    return f"{campaign}:{period}:{start.isoformat()}"


def _restored(case: CaseRecord, as_of: dt.date) -> bool:
    if case.acceptance_date is not None:
        return case.acceptance_date <= as_of
    return case.works == "accepted"


def _day(instant: dt.datetime | None) -> dt.date | None:
    stored = from_db(instant)
    return stored.date() if stored is not None else None


def _rate(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


def _timeliness(deadlines: list[DeadlineRecord], tasks: list[TaskRecord], start: dt.date, as_of: dt.date,
                in_period: bool) -> dict[str, int]:
    """Deadlines met or missed; tasks decided by their due date or after it (``in_period``: in [start, as_of])."""
    met = sum(1 for d in deadlines if d.status == "met" and (not in_period or (d.last_day and start <= d.last_day <= as_of)))
    missed = sum(1 for d in deadlines if d.status == "missed" and (not in_period or (d.last_day and start <= d.last_day <= as_of)))
    on_time = late = 0
    for t in tasks:
        decided = _day(t.decided_at)
        if t.due is None or decided is None or decided > as_of or (in_period and decided < start):
            continue
        if decided <= t.due:
            on_time += 1
        else:
            late += 1
    return {"deadlines_met": met, "deadlines_missed": missed, "tasks_on_time": on_time, "tasks_late": late,
            "on_time": met + on_time, "late": missed + late}


def _overdue(by_permit: dict[str, CaseRecord], deadlines: list[DeadlineRecord], tasks: list[TaskRecord],
             as_of: dt.date) -> list[dict[str, Any]]:
    """What is past its due date and still open on ``as_of``, each with the unit that owes it."""
    out: list[dict[str, Any]] = []

    def item(case: CaseRecord, zh: str, en: str, due: dt.date, owner: dict[str, str]) -> dict[str, Any]:
        return {"permit_no": case.permit_no, "mine_name": case.mine_name, "township": case.township, "item_zh": zh, "item_en": en,
                "due": due.isoformat(), "days_late": (as_of - due).days, **owner}

    for d in deadlines:
        if d.status == "open" and d.last_day is not None and d.last_day < as_of:
            case = by_permit[d.permit_no]
            out.append(item(case, d.label_zh, d.label_en, d.last_day, _owner(d.responsible, case)))
    for t in tasks:
        if t.status == "open" and t.due is not None and t.due < as_of:
            case = by_permit[t.permit_no]
            owner = _owner(t.assignee_role, case, t.department, t.township if t.assignee_role == "township" else None)
            out.append(item(case, t.subject_zh, t.subject_en, t.due, owner))
    out.sort(key=lambda o: (-o["days_late"], o["permit_no"], o["item_zh"]))
    return out


def _townships(cases: list[CaseRecord], by_permit: dict[str, CaseRecord], deadlines: list[DeadlineRecord], tasks: list[TaskRecord],
               overdue: list[dict[str, Any]], as_of: dt.date) -> list[dict[str, Any]]:
    """Each township's numbers, ranked: restoration rate, then on-time rate, then fewest overdue, then name."""
    towns: dict[str, dict[str, Any]] = {}
    for c in cases:
        town = towns.setdefault(c.township, {"township": c.township, "cases": 0, "stages": Counter(), "area_mu": 0.0,
                                             "restored_mu": 0.0, "restored_cases": 0, "on_time": 0, "late": 0, "overdue": 0})
        town["cases"] += 1
        town["stages"][c.stage] += 1
        town["area_mu"] += c.bare_area_mu
        if _restored(c, as_of):
            town["restored_mu"] += c.bare_area_mu
            town["restored_cases"] += 1
    for d in deadlines:
        if d.status in ("met", "missed"):
            towns[by_permit[d.permit_no].township]["on_time" if d.status == "met" else "late"] += 1
    for t in tasks:
        decided = _day(t.decided_at)
        if t.due is not None and decided is not None and decided <= as_of:
            towns[by_permit[t.permit_no].township]["on_time" if decided <= t.due else "late"] += 1
    for o in overdue:
        towns[o["township"]]["overdue"] += 1
    rows = []
    for town in towns.values():
        done = town["on_time"] + town["late"]
        rows.append({
            "township": town["township"], "cases": town["cases"], "stages": dict(town["stages"]),
            "restored_cases": town["restored_cases"], "area_mu": round(town["area_mu"], 2),
            "restored_mu": round(town["restored_mu"], 2), "restored_hm2": hectares(town["restored_mu"]),
            "restoration_rate": _rate(town["restored_mu"], town["area_mu"]), "on_time": town["on_time"], "late": town["late"],
            "on_time_rate": _rate(town["on_time"], done), "overdue": town["overdue"],
        })
    rows.sort(key=lambda r: (-(r["restoration_rate"] or 0.0), -(r["on_time_rate"] if r["on_time_rate"] is not None else 1.0),
                             r["overdue"], r["township"]))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return rows


def _area(cases: list[CaseRecord], policy: CampaignPolicy, as_of: dt.date) -> dict[str, Any]:
    total_mu = sum(c.bare_area_mu for c in cases)
    restored_mu = sum(c.bare_area_mu for c in cases if _restored(c, as_of))
    this_year_mu = sum(c.bare_area_mu for c in cases if _restored(c, as_of) and c.acceptance_date is not None
                       and c.acceptance_date.year == as_of.year)
    targets = policy.yearly_targets(as_of)
    year_hm = targets.get(as_of.year)
    to_date_hm = sum(h for y, h in targets.items() if y <= as_of.year)
    return {
        "total_mu": round(total_mu, 2), "total_hm2": hectares(total_mu),
        "restored_mu": round(restored_mu, 2), "restored_hm2": hectares(restored_mu),
        "restored_this_year_mu": round(this_year_mu, 2), "restored_this_year_hm2": hectares(this_year_mu),
        "year": as_of.year,
        "year_target_hm2": year_hm, "year_target_mu": round(year_hm * MU_PER_HECTARE, 2) if year_hm is not None else None,
        "target_to_date_hm2": round(to_date_hm, 2), "target_to_date_mu": round(to_date_hm * MU_PER_HECTARE, 2),
        "progress_year": _rate(this_year_mu / MU_PER_HECTARE, year_hm or 0.0),
        "progress_to_date": _rate(restored_mu / MU_PER_HECTARE, to_date_hm),
        "targets": [{"year": y, "hectares": h, "mu": round(h * MU_PER_HECTARE, 2)} for y, h in targets.items()],
    }


def _categories(cases: list[CaseRecord], as_of: dt.date) -> list[dict[str, Any]]:
    """Restoration rate by mine category (seed 001; the category is the mine's path)."""
    out = []
    for code, (zh, en) in MINE_CATEGORIES.items():
        members = [c for c in cases if c.path == code]
        if not members:
            continue
        total = sum(c.bare_area_mu for c in members)
        restored = sum(c.bare_area_mu for c in members if _restored(c, as_of))
        out.append({"category": code, "label_zh": zh, "label_en": en, "cases": len(members),
                    "restored_cases": sum(1 for c in members if _restored(c, as_of)),
                    "area_mu": round(total, 2), "restored_mu": round(restored, 2), "rate": _rate(restored, total)})
    return out


def _fund_totals(funds: list[FundRecord]) -> dict[str, dict[str, float]]:
    totals: dict[str, dict[str, float]] = {}
    for f in funds:
        row = totals.setdefault(f.kind, {"mines": 0, "due": 0.0, "paid": 0.0, "used": 0.0, "released": 0.0})
        row["mines"] += 1
        for key in ("due", "paid", "used", "released"):
            row[key] = round(row[key] + getattr(f, key), 2)
    return totals


def compute_bulletin(engine: Engine, policy: CampaignPolicy, period: str, as_of: dt.date) -> dict[str, Any]:
    """The bulletin's numbers (JSON-ready) for the ``period`` that ends on ``as_of``."""
    start = period_start(period, as_of)
    with Session(engine) as session:
        cases = list(session.exec(select(CaseRecord).where(CaseRecord.campaign == policy.id).order_by(CaseRecord.permit_no)))
        permits = [c.permit_no for c in cases]
        deadlines = list(session.exec(select(DeadlineRecord).where(col(DeadlineRecord.permit_no).in_(permits))))
        tasks = list(session.exec(select(TaskRecord).where(col(TaskRecord.permit_no).in_(permits))))
        funds = list(session.exec(select(FundRecord).where(col(FundRecord.permit_no).in_(permits))))
    by_permit = {c.permit_no: c for c in cases}
    stage_counts = Counter(c.stage for c in cases)
    overdue = _overdue(by_permit, deadlines, tasks, as_of)
    all_time = _timeliness(deadlines, tasks, start, as_of, in_period=False)
    phase = next((p for p in policy.dated_phases(as_of) if p.start and p.start <= as_of and (p.end is None or as_of <= p.end)), None)
    return {
        "campaign": policy.id, "campaign_zh": policy.name_zh, "document_no": policy.document_no, "county": policy.county,
        "period": period, "start": start.isoformat(), "end": as_of.isoformat(), "total": len(cases),
        "stages": [{"stage": s.value, "label_zh": s.label_zh, "label_en": s.label_en, "count": stage_counts[s.value]}
                   for s in Stage if stage_counts[s.value]],
        "townships": _townships(cases, by_permit, deadlines, tasks, overdue, as_of),
        "timeliness": {"period": _timeliness(deadlines, tasks, start, as_of, in_period=True), "all": all_time,
                       "on_time_rate": _rate(all_time["on_time"], all_time["on_time"] + all_time["late"])},
        "overdue": overdue, "area": _area(cases, policy, as_of), "categories": _categories(cases, as_of),
        "phase": {"code": phase.code, "name_zh": phase.name_zh, "name_en": phase.name_en,
                  "start": phase.start.isoformat() if phase.start else None,
                  "end": phase.end.isoformat() if phase.end else None} if phase else None,
        "funds": _fund_totals(funds),
    }


_env = Environment(loader=PackageLoader("casefile", "templates"), autoescape=select_autoescape(["html"]))


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


_env.filters["pct"] = _pct


def render_bulletin(data: dict[str, Any]) -> str:
    """The bulletin as a printable page (self-contained: its styles inline, its one chart an SVG)."""
    from operations.charts import area_bars

    chart = area_bars(data["area"]["targets"], data["area"], width=520)
    return _env.get_template("bulletin.html").render(b=data, chart=chart, period_zh=PERIOD_ZH.get(data["period"], data["period"]))


def make_bulletin(engine: Engine, policy: CampaignPolicy, period: str, as_of: dt.date, made_by: str,
                  now: dt.datetime | None = None) -> BulletinRecord:
    """Compute the bulletin and keep it as a document of the campaign (replacing the same period's)."""
    data = compute_bulletin(engine, policy, period, as_of)
    record = BulletinRecord(id=bulletin_id(policy.id, period, period_start(period, as_of)), campaign=policy.id, period=period,
                            start=period_start(period, as_of), end=as_of, made_at=(now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC),
                            made_by=made_by, data=data, html=render_bulletin(data))
    with Session(engine) as session:
        session.merge(record)
        session.commit()
    return record


def list_bulletins(engine: Engine, campaign: str | None = None, limit: int = 50) -> list[BulletinRecord]:
    with Session(engine) as session:
        query = select(BulletinRecord)
        if campaign:
            query = query.where(BulletinRecord.campaign == campaign)
        return list(session.exec(query.order_by(col(BulletinRecord.start).desc(), col(BulletinRecord.period)).limit(limit)))


def get_bulletin(engine: Engine, bulletin: str) -> BulletinRecord | None:
    with Session(engine) as session:
        return session.get(BulletinRecord, bulletin)


def bulletin_xlsx(data: dict[str, Any]) -> bytes:
    """The bulletin as a workbook: 概况, 乡镇排名, 阶段, 逾期事项, 分类修复率."""
    from openpyxl import Workbook

    book = Workbook()
    summary = book.active
    summary.title = "概况"
    area, timely = data["area"], data["timeliness"]
    rows: list[list[Any]] = [
        ["专项行动", data["campaign_zh"]], ["通报", f"{PERIOD_ZH.get(data['period'], data['period'])}报 {data['start']} 至 {data['end']}"],
        ["案件总数", data["total"]],
        ["当前阶段", data["phase"]["name_zh"] if data["phase"] else "—"],
        ["按期完成（累计）", timely["all"]["on_time"]], ["逾期完成或逾期未完成（累计）", timely["all"]["late"]],
        ["按期率", _pct(timely["on_time_rate"])],
        ["本期按期完成", timely["period"]["on_time"]], ["本期逾期", timely["period"]["late"]],
        ["当前逾期事项", len(data["overdue"])],
        ["裸露区总面积（亩）", area["total_mu"]], ["裸露区总面积（公顷）", area["total_hm2"]],
        ["已修复面积（亩）", area["restored_mu"]], ["已修复面积（公顷）", area["restored_hm2"]],
        [f"{area['year']}年目标（公顷）", area["year_target_hm2"]], [f"{area['year']}年已修复（公顷）", area["restored_this_year_hm2"]],
        ["截至本年累计目标（公顷）", area["target_to_date_hm2"]], ["累计目标完成率", _pct(area["progress_to_date"])],
    ]
    for row in rows:
        summary.append(row)
    ranking = book.create_sheet("乡镇排名")
    ranking.append(["排名", "林场、乡镇", "案件数", "已修复矿山", "裸露区（亩）", "已修复（亩）", "已修复（公顷）", "修复率",
                    "按期", "逾期", "按期率", "当前逾期事项"])
    for r in data["townships"]:
        ranking.append([r["rank"], r["township"], r["cases"], r["restored_cases"], r["area_mu"], r["restored_mu"], r["restored_hm2"],
                        _pct(r["restoration_rate"]), r["on_time"], r["late"], _pct(r["on_time_rate"]), r["overdue"]])
    stages = book.create_sheet("阶段")
    stages.append(["阶段", "案件数"])
    for s in data["stages"]:
        stages.append([s["label_zh"], s["count"]])
    late = book.create_sheet("逾期事项")
    late.append(["采矿许可证号", "矿山名称", "林场、乡镇", "事项", "期限", "逾期天数", "责任单位"])
    for o in data["overdue"]:
        late.append([o["permit_no"], o["mine_name"], o["township"], o["item_zh"], o["due"], o["days_late"], o["owner_zh"]])
    cats = book.create_sheet("分类修复率")
    cats.append(["类别", "矿山数", "已修复矿山", "裸露区（亩）", "已修复（亩）", "修复率"])
    for c in data["categories"]:
        cats.append([c["label_zh"], c["cases"], c["restored_cases"], c["area_mu"], c["restored_mu"], _pct(c["rate"])])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def today_cst() -> dt.date:
    return dt.datetime.now(CST).date()


def trends(engine: Engine, campaign: str, as_of: dt.date, weeks: int = 12) -> dict[str, Any]:
    """Week-end series for the desk's charts: cases per stage group, and the share of each township's mines
    restored, at the end of each of the last ``weeks`` weeks (from the timeline: a case's stage on a day is the
    stage its last event up to that day moved it to)."""
    from casefile.tables import TimelineRecord

    ends = [as_of - dt.timedelta(days=7 * i) for i in range(weeks - 1, -1, -1)]
    with Session(engine) as session:
        cases = list(session.exec(select(CaseRecord).where(CaseRecord.campaign == campaign)))
        permits = [c.permit_no for c in cases]
        events = list(session.exec(select(TimelineRecord).where(col(TimelineRecord.permit_no).in_(permits))
                                   .order_by(col(TimelineRecord.permit_no), col(TimelineRecord.seq)))) if permits else []
    history: dict[str, list[tuple[dt.date, str]]] = defaultdict(list)
    for e in events:
        history[e.permit_no].append((e.effective_on or _day(e.at) or as_of, e.stage_to))

    def stage_on(permit: str, day: dt.date) -> str | None:
        stage = None
        for when, to in history[permit]:
            if when <= day:
                stage = to
        return stage

    groups = {"before": ("处置前", "before disposition"), "working": ("整治中", "in rectification"), "done": ("已完成", "done")}
    done_stages = {Stage.production_resumed.value, Stage.cancelled.value, Stage.post_care.value, Stage.closed.value, Stage.renewed.value}
    before_stages = {Stage.registered.value, Stage.disposition_review.value}
    series: dict[str, list[int]] = {g: [] for g in groups}
    towns = sorted({c.township for c in cases})
    restored_share: dict[str, list[float]] = {t: [] for t in towns}
    for end in ends:
        counts: Counter[str] = Counter()
        for c in cases:
            stage = stage_on(c.permit_no, end)
            if stage is None:
                continue
            counts["done" if stage in done_stages else "before" if stage in before_stages else "working"] += 1
        for g in groups:
            series[g].append(counts[g])
        for t in towns:
            members = [c for c in cases if c.township == t]
            area = sum(c.bare_area_mu for c in members)
            restored = sum(c.bare_area_mu for c in members if c.acceptance_date is not None and c.acceptance_date <= end)
            restored_share[t].append(round(restored / area, 4) if area else 0.0)
    return {"ends": [e.isoformat() for e in ends], "groups": groups, "stage_series": series, "township_restored": restored_share}


def bulletin_policy(engine: Engine, campaign: str) -> CampaignPolicy:
    """The campaign's policy for its bulletins: a campaign without a start of its own (the rolling example) counts
    its phases and targets from the day its first case was registered."""
    from sqlalchemy import func

    from models.policy import load_campaign

    policy = load_campaign(campaign)
    if policy.start is not None:
        return policy.resolve()
    with Session(engine) as session:
        first = session.exec(select(func.min(CaseRecord.registered_at)).where(CaseRecord.campaign == campaign)).one()
    start = (from_db(first).date() if first else None) or today_cst()  # type: ignore[union-attr]
    return policy.resolve(start)


# -- the province's bulletin (docs/province.md) --------------------------------------------------------------------

_DONE_STAGES = {Stage.production_resumed.value, Stage.cancelled.value, Stage.post_care.value, Stage.closed.value,
                Stage.renewed.value}
_BEFORE_STAGES = {Stage.registered.value, Stage.disposition_review.value}


def province_bulletin(engine: Engine, period: str, as_of: dt.date) -> dict[str, Any]:
    """The bulletin of every county of the deployment, one row per county: its cases (before disposition, in
    rectification, done), overdue items, what was done on time and late, and the area restored. Each county's
    numbers are its campaigns' bulletins (``compute_bulletin``) added up; a campaign whose file is gone is named in
    ``unknown_campaigns`` and left out."""
    start = period_start(period, as_of)
    with Session(engine) as session:
        campaigns = sorted(set(session.exec(select(CaseRecord.campaign))))
    rows: dict[str, dict[str, Any]] = {}
    unknown: list[str] = []
    for campaign in campaigns:
        try:
            policy = bulletin_policy(engine, campaign)
        except MinecaseError:
            unknown.append(campaign)
            continue
        data = compute_bulletin(engine, policy, period, as_of)
        row = rows.setdefault(policy.county, {"county": policy.county, "campaigns": [], "total": 0, "before": 0,
                                              "working": 0, "done": 0, "overdue_items": 0, "on_time": 0, "late": 0,
                                              "period_on_time": 0, "period_late": 0, "total_mu": 0.0, "restored_mu": 0.0})
        row["campaigns"].append({"id": policy.id, "name_zh": policy.name_zh})
        row["total"] += data["total"]
        for s in data["stages"]:
            row["done" if s["stage"] in _DONE_STAGES else "before" if s["stage"] in _BEFORE_STAGES else "working"] += s["count"]
        row["overdue_items"] += len(data["overdue"])
        row["on_time"] += data["timeliness"]["all"]["on_time"]
        row["late"] += data["timeliness"]["all"]["late"]
        row["period_on_time"] += data["timeliness"]["period"]["on_time"]
        row["period_late"] += data["timeliness"]["period"]["late"]
        row["total_mu"] = round(row["total_mu"] + data["area"]["total_mu"], 2)
        row["restored_mu"] = round(row["restored_mu"] + data["area"]["restored_mu"], 2)
    counties = sorted(rows.values(), key=lambda r: (-r["overdue_items"], r["county"]))
    for row in counties:
        row["on_time_rate"] = _rate(row["on_time"], row["on_time"] + row["late"])
        row["restored_share"] = round(row["restored_mu"] / row["total_mu"], 4) if row["total_mu"] else None
    keys = ("total", "before", "working", "done", "overdue_items", "on_time", "late", "period_on_time", "period_late")
    totals: dict[str, Any] = {k: sum(r[k] for r in counties) for k in keys}
    totals["total_mu"] = round(sum(r["total_mu"] for r in counties), 2)
    totals["restored_mu"] = round(sum(r["restored_mu"] for r in counties), 2)
    totals["on_time_rate"] = _rate(totals["on_time"], totals["on_time"] + totals["late"])
    totals["restored_share"] = round(totals["restored_mu"] / totals["total_mu"], 4) if totals["total_mu"] else None
    return {"period": period, "start": start.isoformat(), "end": as_of.isoformat(), "counties": counties, "totals": totals,
            "unknown_campaigns": unknown}


def render_province_bulletin(data: dict[str, Any]) -> str:
    """The province's bulletin as a printable page (one row per county)."""
    return _env.get_template("province_bulletin.html").render(b=data, period_zh=PERIOD_ZH.get(data["period"], data["period"]))
