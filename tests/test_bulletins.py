"""The progress bulletin (进展通报, issue 14 item 4): its numbers on a known set of cases, its workbook and PDF,
the command, and its Temporal Schedule and time-skipped clock."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import Session

from casefile.db import open_casefile
from casefile.tables import BulletinRecord, CaseRecord, DeadlineRecord, TaskRecord
from models.policy import load_campaign
from operations.bulletin import bulletin_xlsx, compute_bulletin, hectares, list_bulletins, make_bulletin, period_start

CAMPAIGN = "shanggao-2023"
AS_OF = dt.date(2024, 4, 10)  # a Wednesday, in the takeover phase (2024-04-01 – 2024-05-31)
UTC = dt.UTC
REGISTERED = dt.datetime(2023, 10, 20, 2, 0, tzinfo=UTC)


def case(permit: str, township: str, mu: float, path: str, stage: str, accepted: dt.date | None = None,
         campaign: str = CAMPAIGN) -> CaseRecord:
    return CaseRecord(permit_no=permit, workflow_id=f"case-{permit}", campaign=campaign, mine_name=f"{permit}矿（虚构）",
                      holder=f"{permit}公司（虚构）", township=township, bare_area_mu=mu, stage=stage, path=path,
                      acceptance_date=accepted, works="accepted" if accepted else "", fictional=True,
                      registered_at=REGISTERED, updated_at=REGISTERED)


def deadline(permit: str, kind: str, last_day: dt.date, status: str, responsible: str = "holder") -> DeadlineRecord:
    return DeadlineRecord(permit_no=permit, kind=kind, label_zh=f"{kind}期限", label_en=kind, clause="四.2", responsible=responsible,
                          last_day=last_day, status=status)


def task(task_id: str, permit: str, due: dt.date, decided: dt.datetime | None, status: str) -> TaskRecord:
    return TaskRecord(id=task_id, permit_no=permit, kind="review_document", clause="四.1", assignee_role="department",
                      department="natural_resources", subject_zh=f"审查{task_id}", subject_en=f"review {task_id}",
                      opened_at=REGISTERED, due=due, status=status, decided_at=decided, decided_by="natres" if decided else None)


def known_cases(engine) -> None:
    """Five mines in three townships, 180 亩 in all; three accepted (105 亩 = 7 hm²)."""
    with Session(engine) as session:
        session.add_all([
            case("A", "敖阳街道", 30, "continue", "post_care", dt.date(2024, 3, 10)),
            case("B", "敖阳街道", 15, "cancel", "restoring"),
            case("C", "锦江镇", 45, "cancel", "cancelled", dt.date(2024, 4, 2)),
            case("D", "锦江镇", 60, "continue", "rectifying"),
            case("E", "泗溪镇", 30, "cancel", "post_care", dt.date(2024, 4, 9)),
            case("F", "泗溪镇", 99, "cancel", "post_care", dt.date(2024, 4, 9), campaign="rolling-example"),  # not this campaign
            deadline("A", "rectification", dt.date(2024, 3, 1), "met"),
            deadline("B", "restoration_works", dt.date(2024, 3, 31), "open"),
            deadline("C", "restoration_plan", dt.date(2023, 12, 31), "missed"),
            task("D-T01", "D", dt.date(2024, 4, 1), None, "open"),
            task("D-T02", "D", dt.date(2024, 4, 9), dt.datetime(2024, 4, 8, 3, 0, tzinfo=UTC), "approved"),
            task("C-T01", "C", dt.date(2024, 3, 20), dt.datetime(2024, 3, 25, 3, 0, tzinfo=UTC), "approved"),
        ])
        session.commit()


@pytest.fixture
def casefile(new_database_url):
    engine = open_casefile(new_database_url(), upgrade=True)
    known_cases(engine)
    yield engine
    engine.dispose()


def test_a_week_runs_from_its_monday_and_a_month_from_its_first():
    assert period_start("week", AS_OF) == dt.date(2024, 4, 8)
    assert period_start("month", AS_OF) == dt.date(2024, 4, 1)
    assert hectares(15) == 1.0 and hectares(105) == 7.0


def test_the_bulletin_counts_stages_townships_timeliness_and_overdue_items_with_their_units(casefile):
    b = compute_bulletin(casefile, load_campaign(CAMPAIGN).resolve(), "week", AS_OF)

    assert (b["start"], b["end"], b["total"]) == ("2024-04-08", "2024-04-10", 5)
    assert {s["stage"]: s["count"] for s in b["stages"]} == {"post_care": 2, "restoring": 1, "cancelled": 1, "rectifying": 1}
    # on time: A's deadline met, D-T02 decided a day early; late: C's plan missed, C-T01 decided five days late
    assert b["timeliness"]["all"] == {"deadlines_met": 1, "deadlines_missed": 1, "tasks_on_time": 1, "tasks_late": 1,
                                      "on_time": 2, "late": 2}
    assert b["timeliness"]["period"]["on_time"] == 1 and b["timeliness"]["period"]["late"] == 0
    assert b["timeliness"]["on_time_rate"] == 0.5
    overdue = [(o["permit_no"], o["days_late"], o["owner_zh"]) for o in b["overdue"]]
    assert overdue == [("B", 10, "B公司（虚构）"), ("D", 9, "县自然资源局")]
    assert b["phase"]["code"] == "takeover"


def test_the_bulletin_gives_restored_area_against_target_in_mu_and_hectares(casefile):
    area = compute_bulletin(casefile, load_campaign(CAMPAIGN).resolve(), "month", AS_OF)["area"]

    assert (area["total_mu"], area["total_hm2"]) == (180, 12.0)
    assert (area["restored_mu"], area["restored_hm2"]) == (105, 7.0)
    assert (area["year_target_hm2"], area["year_target_mu"]) == (40.0, 600.0)
    assert area["progress_year"] == 0.175  # 7 of 40 hm²
    # a mine accepted after the day the bulletin ends is not counted
    earlier = compute_bulletin(casefile, load_campaign(CAMPAIGN).resolve(), "week", dt.date(2024, 4, 5))["area"]
    assert earlier["restored_mu"] == 75


def test_the_townships_are_ranked_by_restoration_rate_then_on_time_rate_then_fewest_overdue(casefile):
    b = compute_bulletin(casefile, load_campaign(CAMPAIGN).resolve(), "week", AS_OF)
    ranking = [(r["rank"], r["township"], r["restored_mu"], r["area_mu"], r["overdue"]) for r in b["townships"]]
    assert ranking == [(1, "泗溪镇", 30, 30, 0), (2, "敖阳街道", 30, 45, 1), (3, "锦江镇", 45, 105, 1)]
    categories = {c["category"]: (c["cases"], c["restored_mu"], c["rate"]) for c in b["categories"]}
    assert categories == {"continue": (2, 30, 0.3333), "cancel": (3, 75, 0.8333)}


def test_a_bulletin_is_kept_once_per_period_and_renders_as_a_workbook(casefile):
    policy = load_campaign(CAMPAIGN).resolve()
    first = make_bulletin(casefile, policy, "week", AS_OF, "test")
    again = make_bulletin(casefile, policy, "week", AS_OF + dt.timedelta(days=1), "test")
    assert first.id == again.id == "shanggao-2023:week:2024-04-08"
    assert [b.id for b in list_bulletins(casefile, CAMPAIGN)] == [first.id]
    assert "进展通报" in again.html and "泗溪镇" in again.html and "<script" not in again.html

    book = load_workbook(io.BytesIO(bulletin_xlsx(again.data)))
    assert book.sheetnames == ["概况", "乡镇排名", "阶段", "逾期事项", "分类修复率"]
    ranking = list(book["乡镇排名"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1]) for r in ranking] == [(1, "泗溪镇"), (2, "敖阳街道"), (3, "锦江镇")]
    summary = dict(book["概况"].iter_rows(values_only=True))
    assert summary["已修复面积（亩）"] == 105 and summary["已修复面积（公顷）"] == 7.0
    assert [r[5] for r in book["逾期事项"].iter_rows(min_row=2, values_only=True)] == [11, 10]  # on the 11th


def test_the_command_makes_the_bulletin_with_its_workbook_and_pdf(casefile, tmp_path):
    xlsx, pdf = tmp_path / "通报.xlsx", tmp_path / "通报.pdf"
    env = {"MINECASE_DATABASE_URL": str(casefile.url.render_as_string(hide_password=False)), "PYTHONPATH": str(Path.cwd())}
    done = subprocess.run([sys.executable, "-m", "cli.app", "report", "bulletin", "--period", "month", "--as-of", "2024-04-10",
                           "--campaign", CAMPAIGN, "--xlsx", str(xlsx), "--pdf", str(pdf), "--json"],
                          capture_output=True, text=True, env={**os.environ, **env}, timeout=120)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["id"] == "shanggao-2023:month:2024-04-01" and answer["area"]["restored_hm2"] == 7.0
    assert load_workbook(xlsx)["乡镇排名"]["B2"].value == "泗溪镇"
    assert pdf.read_bytes().startswith(b"%PDF")
    with Session(casefile) as session:
        assert session.get(BulletinRecord, answer["id"]).made_by == "cli"

    bad = subprocess.run([sys.executable, "-m", "cli.app", "report", "bulletin", "--period", "year", "--campaign", CAMPAIGN],
                         capture_output=True, text=True, env={**os.environ, **env}, timeout=60)
    assert bad.returncode == 2 and "week" in bad.stderr and "Traceback" not in bad.stderr


# -- on a timetable ----------------------------------------------------------------------------------


async def _wait_for(check, timeout: float = 30.0):
    loop = asyncio.get_running_loop()
    give_up = loop.time() + timeout
    while not (found := check()):
        assert loop.time() < give_up, "never happened"
        await asyncio.sleep(0.2)
    return found


async def test_the_bulletin_clock_makes_a_weekly_bulletin_every_monday_under_time_skipping(client, worker, engine):
    """Schedules fire on the server's own clock, which time skipping does not move: the clock workflow runs the same
    activity on durable timers, and three weeks pass in seconds."""
    from runtime.temporal import fast_forward
    from tests.conftest import TASK_QUEUE
    from workflows.report_workflows import ClockInput

    with Session(engine) as session:
        if session.get(CaseRecord, "CLOCK-1") is None:
            session.add(case("CLOCK-1", "泗溪镇", 15, "cancel", "post_care", dt.date(2020, 1, 1), campaign="rolling-example"))
            session.commit()
    workflow_id = "bulletin-clock-test"
    before = {(b.id, b.made_at) for b in list_bulletins(engine, "rolling-example")}
    handle = await client.start_workflow("BulletinClock", ClockInput(campaign="rolling-example", period="week"),
                                         id=workflow_id, task_queue=TASK_QUEUE)
    try:
        assert await fast_forward(client, workflow_id, dt.timedelta(days=21))

        def new() -> list[BulletinRecord]:
            found = [b for b in list_bulletins(engine, "rolling-example") if (b.id, b.made_at) not in before]
            return found if len(found) >= 3 else []

        made = await _wait_for(new)
        assert all(b.made_by == "schedule" and b.period == "week" for b in made)
        weeks = sorted({b.start for b in made})
        assert len(weeks) >= 3
        assert all(w.weekday() == 0 for w in weeks)  # each covers a week from its Monday
        assert all(b.end - b.start == dt.timedelta(days=6) for b in made)  # made the Monday after: the whole week
        assert made[0].data["area"]["restored_mu"] >= 15
    finally:
        await handle.terminate("test over")


async def test_the_worker_makes_the_weekly_and_monthly_schedules_once_and_a_run_stores_a_bulletin(client, worker, engine):
    from tests.conftest import TASK_QUEUE
    from worker import ensure_bulletin_schedules

    campaign = "rolling-example"
    for period in ("week", "month"):
        with contextlib.suppress(Exception):  # not there yet
            await client.get_schedule_handle(f"bulletin-{campaign}-{period}").delete()
    made = await ensure_bulletin_schedules(client, TASK_QUEUE, campaign)
    assert made == [f"bulletin-{campaign}-week", f"bulletin-{campaign}-month"]
    assert await ensure_bulletin_schedules(client, TASK_QUEUE, campaign) == []  # idempotent: kept as they are
    try:
        weekly = await client.get_schedule_handle(f"bulletin-{campaign}-week").describe()
        calendar = weekly.schedule.spec.calendars[0]
        assert [r.start for r in calendar.day_of_week] == [1] and [r.start for r in calendar.hour] == [8]
        assert weekly.schedule.spec.time_zone_name == "Asia/Shanghai"
        assert weekly.schedule.action.workflow == "Bulletin"
        upcoming = weekly.info.next_action_times[0].astimezone(dt.timezone(dt.timedelta(hours=8)))
        assert (upcoming.weekday(), upcoming.hour) == (0, 8)
        monthly = await client.get_schedule_handle(f"bulletin-{campaign}-month").describe()
        assert monthly.info.next_action_times[0].astimezone(dt.timezone(dt.timedelta(hours=8))).day == 1

        before = {b.id: b.made_at for b in list_bulletins(engine, campaign)}
        await client.get_schedule_handle(f"bulletin-{campaign}-month").trigger()  # what the 1st of the month does
        yesterday = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date() - dt.timedelta(days=1)
        expected = f"{campaign}:month:{yesterday.replace(day=1).isoformat()}"
        found = await _wait_for(lambda: next((b for b in list_bulletins(engine, campaign)
                                              if b.id == expected and b.made_at != before.get(b.id)), None))
        assert found.made_by == "schedule" and found.end == yesterday
    finally:
        for period in ("week", "month"):
            await client.get_schedule_handle(f"bulletin-{campaign}-{period}").delete()


def test_the_fund_command_refuses_amounts_that_do_not_add_up_and_stores_those_that_do(casefile):
    from casefile.tables import FundRecord

    env = {**os.environ, "MINECASE_DATABASE_URL": str(casefile.url.render_as_string(hide_password=False)), "PYTHONPATH": str(Path.cwd())}
    refused = subprocess.run([sys.executable, "-m", "cli.app", "fund", "set", "A", "--kind", "bond", "--due", "100", "--paid", "80",
                              "--used", "50", "--released", "40"], capture_output=True, text=True, env=env, timeout=60)
    assert refused.returncode == 2 and "超过已缴" in refused.stderr and "exceed paid" in refused.stderr
    with Session(casefile) as session:
        assert session.get(FundRecord, ("A", "bond")) is None
    done = subprocess.run([sys.executable, "-m", "cli.app", "fund", "set", "A", "--kind", "bond", "--due", "100", "--paid", "80",
                           "--used", "50", "--released", "30"], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    with Session(casefile) as session:
        assert session.get(FundRecord, ("A", "bond")).released == 30
    bulletin = compute_bulletin(casefile, load_campaign(CAMPAIGN).resolve(), "week", AS_OF)
    assert bulletin["funds"] == {"bond": {"mines": 1, "due": 100, "paid": 80, "used": 50, "released": 30}}


def test_a_worker_schedules_the_bulletins_of_every_campaign_on_file_and_of_the_chosen_one(tmp_path):
    """A province (docs/province.md): each county's campaign has its weekly and monthly bulletins, not only the
    deployment's ``MINECASE_CAMPAIGN``."""
    from worker import bulletin_campaigns

    engine = open_casefile(f"sqlite:///{tmp_path / 'cases.db'}", upgrade=True)
    assert bulletin_campaigns(engine, None) == []
    with Session(engine) as session:
        session.add(case("C-A-1", "泗溪镇", 1.0, "continue", "rectifying", campaign="county-a-2026"))
        session.add(case("C-A-2", "泗溪镇", 1.0, "continue", "rectifying", campaign="county-a-2026"))
        session.add(case("C-B-1", "某乡", 1.0, "continue", "rectifying", campaign="county-b-2026"))
        session.commit()
    assert bulletin_campaigns(engine, None) == ["county-a-2026", "county-b-2026"]
    assert bulletin_campaigns(engine, "shanggao-2023") == ["county-a-2026", "county-b-2026", "shanggao-2023"]
    engine.dispose()
