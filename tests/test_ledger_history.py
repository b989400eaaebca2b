"""台账 with history: a county already running its campaign on a spreadsheet takes its mines in with the acts it
has on paper (issue 11, item 3). Every row is checked whole — its dates, their order, none in the future or before
the campaign's start — and tried on the pure rules before anything is registered; ``--check`` registers nothing;
real mode builds each good row's case act by act through the workflow's updates and reports the stage reached and
the consequences now awaiting a decision. The export uses the import's columns, so it imports again.

The historical ledger is generated: 200 fictional mines of the Shanggao campaign (started 2023-10-11; fixed dates
2023-12-31, 2024-03-31, 2024-05-31) with 2023–2024 histories, continue and cancel, and some bad rows.
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import itertools
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import Session, select
from typer.testing import CliRunner

from casefile.tables import CaseRecord, TaskRecord
from cli.app import app
from models.calendar import StatutoryCalendar
from operations.campaigns import campaign_policy
from operations.ledger import export_ledger, import_headings, parse_ledger
from operations.ledger_history import DryRun, Taken, check_rows, take_in
from tests.conftest import TASK_QUEUE
from tests.drill import new_permit_no

POLICY = campaign_policy("shanggao-2023")
ITEMS = [item.name_zh for item in POLICY.approval_items]
HEADINGS = import_headings(POLICY.approval_items)
_serial = itertools.count(1)


@dataclass
class Mine:
    """One generated row: what it says, and what the import should make of it."""

    values: dict[str, object]
    stage: str | None = None
    """The stage its history implies (good rows)."""
    reasons: list[str] = field(default_factory=list)
    """Fragments every one of which the refusal must carry (bad rows)."""
    awaits: set[str] = field(default_factory=set)
    """The consequences its history leaves awaiting a decision (periods counted from its dates)."""

    @property
    def permit_no(self) -> str:
        return str(self.values["采矿许可证号"])


def mine(**values: object) -> dict[str, object]:
    n = next(_serial)
    return {"采矿许可证号": new_permit_no(), "矿山名称": f"台账历史测试矿{n}（虚构）", "采矿权人": f"历史测试矿业{n}（虚构）",
            "所属林场、乡镇": "泗溪镇", "矿种": "石灰岩", "裸露区面积（亩）": 8, "资源枯竭": "否", "建矿至今未生产": "否",
            "虚构": "是", **values}


def approvals(submitted: str, approved: str) -> dict[str, str]:
    return {f"{name}{what}": day for name in ITEMS for what, day in (("提交日期", submitted), ("批准日期", approved))}


def continue_mine(depth: int) -> Mine:
    """A continue mine decided in November 2023, as far as ``depth`` goes."""
    values = mine(登记日期="2023-10-20", 处置建议="延续", 建议理由="资源储量尚可", 建议日期="2023-10-26", 县政府决定日期="2023-11-10")
    if depth == 0:  # decided, never served: the six months have not begun to run
        return Mine(values, "rectifying")
    values.update(送达日期="2023-11-13", 送达方式="直接送达")
    if depth == 1:  # served and nothing done since: six months and the three-month question are long past
        return Mine(values, "rectifying", awaits={"grant_extension"})
    values.update(approvals("2023-12-05", "2024-01-18"), 整治完成报告日期="2024-02-01", 初验日期="2024-02-20", 验收日期="2024-03-15")
    if depth == 2:
        return Mine(values, "joint_review")
    values.update(联审联批通过日期="2024-04-10")
    if depth == 3:
        return Mine(values, "renewal_decision")
    values.update(延续决定日期="2024-04-25", 采矿许可证延续日期="2024-05-20")
    return Mine(values, "renewed")


def cancel_mine(depth: int) -> Mine:
    """A cancel mine: closed in November 2023 (before the plan's date), or in 2024 with the dates it names."""
    if depth == 0:  # decided in February 2024: the plan's date (2023-12-31) had passed, the decision names its own
        values = mine(登记日期="2023-10-20", 处置建议="注销", 建议日期="2024-01-22", 县政府决定日期="2024-02-06",
                      生态修复方案期限="2024-04-30", 送达日期="2024-02-08")
        return Mine(values, "closure_ordered", awaits={"takeover", "referral", "cancellation_notice"})
    values = mine(登记日期="2023-10-20", 处置建议="注销", 建议日期="2023-10-26", 县政府决定日期="2023-11-10", 送达日期="2023-11-14",
                  送达方式="邮寄送达", 生态修复方案提交日期="2023-12-20", 生态修复方案批准日期="2024-01-10")
    if depth == 1:  # plan approved, works never reported: overdue since 2024-03-31
        return Mine(values, "restoring", awaits={"takeover", "referral", "cancellation_notice"})
    values.update(整治完成报告日期="2024-02-26", 初验日期="2024-03-04", 验收日期="2024-03-18")
    if depth == 2:  # accepted: thirty days to apply, long past
        return Mine(values, "awaiting_cancel_application", awaits={"cancellation_notice"})
    values.update(注销申请日期="2024-04-08")
    if depth == 3:
        return Mine(values, "cancelling")
    values.update(证照注销日期="2024-05-06")
    return Mine(values, "post_care")


def bad_mine(kind: int) -> Mine:
    """A row with more than one thing wrong: each must be reported."""
    if kind == 0:
        values = mine(处置建议="延续", 登记日期="2023-10-20", 建议日期="2023-11-20", 县政府决定日期="2023-11-02", 送达日期="2099-01-01")
        return Mine(values, reasons=["县政府决定日期（2023-11-02）早于建议日期（2023-11-20）", "送达日期（2099-01-01）", "晚于今天"])
    if kind == 1:
        values = mine(处置建议="延续", 建议日期="2023-11-31", 环评报告批准日期="2024-01-05", 县政府决定日期="2023-12-01")
        return Mine(values, reasons=["建议日期“2023-11-31”不是日期", "有环评报告批准日期须先有环评报告提交日期"])
    if kind == 2:
        values = mine(采矿许可证号="C123", 处置建议="注销", 登记日期="2023-09-01", 建议日期="2023-10-20", 县政府决定日期="2023-11-03",
                      开发利用方案提交日期="2023-12-01")
        return Mine(values, reasons=["C 加 22 位数字", "早于专项行动开始之日（2023-10-11）", "注销矿山不填开发利用方案"])
    if kind == 3:
        values = mine(建议日期="2023-11-01", 验收日期="2024-03-01", 建矿至今未生产="是")
        return Mine(values, reasons=["有建议日期须填处置建议", "有验收日期须先有整治完成报告日期", "建矿至今未生产"])
    values = mine(处置建议="注销", 建议日期="2023-11-01", 县政府决定日期="2023-11-10", 注销申请日期="2023-11-05", 送达方式="飞鸽")
    return Mine(values, reasons=["注销申请日期（2023-11-05）早于县政府决定日期（2023-11-10）", "送达方式应为",
                                 "有注销申请日期须先有验收日期"])


def historical_ledger(rows: int) -> list[Mine]:
    """``rows`` mines: a tenth bad, a tenth only registered, the rest continue and cancel mines at every depth."""
    mines = []
    for i in range(rows):
        place, decade = i % 10, i // 10
        if place == 9:
            mines.append(bad_mine(decade % 5))
        elif place == 8:
            mines.append(Mine(mine(), "registered"))
        else:  # every depth of both paths within two decades
            mines.append((continue_mine if place % 2 == 0 else cancel_mine)((place // 2 + decade) % 5))
    return mines


def write_csv(path: Path, mines: list[Mine]) -> Path:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADINGS)
        for m in mines:
            writer.writerow([m.values.get(h, "") for h in HEADINGS])
    return path


def registered(engine, permits) -> set[str]:
    wanted = set(permits)
    with Session(engine) as session:
        return {c.permit_no for c in session.exec(select(CaseRecord)) if c.permit_no in wanted}


def by_permit(taken: Taken) -> dict[str, object]:
    return {r.permit_no: r for r in taken.rows}


@pytest.fixture(scope="module")
def ledger200(tmp_path_factory) -> tuple[Path, list[Mine]]:
    mines = historical_ledger(200)
    return write_csv(tmp_path_factory.mktemp("ledger") / "历史台账.csv", mines), mines


@pytest.fixture(scope="module")
def checked200(ledger200, engine) -> Taken:
    path, _ = ledger200
    taken, _ = check_rows(parse_ledger(path, POLICY), engine, POLICY, "台账录入员")
    return taken


# -- the check: every row whole, nothing registered ------------------------------------------------------------


def test_checking_a_200_row_historical_ledger_registers_nothing_and_reports_every_bad_row_with_all_its_reasons(
    ledger200, checked200, engine,
):
    _, mines = ledger200
    outcomes = {r.row: r for r in checked200.rows}
    assert len(outcomes) == 200 and checked200.check
    assert not registered(engine, (m.permit_no for m in mines))
    for number, m in enumerate(mines, start=2):
        outcome = outcomes[number]
        if m.reasons:
            assert outcome.status == "refused", (number, outcome)
            text = " ".join(outcome.reasons)
            for fragment in m.reasons:
                assert fragment in text, (number, fragment, text)
            assert all(" / " in reason for reason in outcome.reasons)  # each reason in Chinese and English
        else:
            assert outcome.status == "checked", (number, outcome.reasons)
    assert len(checked200.refused) == 20


def test_the_dry_run_ends_each_good_row_in_the_stage_its_history_implies(ledger200, checked200):
    _, mines = ledger200
    outcomes = {r.row: r for r in checked200.rows}
    stages = {number: outcomes[number].stage for number, m in enumerate(mines, start=2) if m.stage}
    assert stages == {number: m.stage for number, m in enumerate(mines, start=2) if m.stage}
    # the acts are counted: a renewed continue mine made every filing, approval, acceptance and decision
    renewed = next(outcomes[n] for n, m in enumerate(mines, start=2) if m.stage == "renewed")
    assert renewed.acts > 2 * len(ITEMS) + 8


def test_the_check_lists_the_consequences_each_history_leaves_awaiting_a_decision(ledger200, checked200):
    _, mines = ledger200
    outcomes = {r.row: r for r in checked200.rows}
    for number, m in enumerate(mines, start=2):
        if m.stage:
            assert {p.consequence for p in outcomes[number].proposals} == m.awaits, (number, m.stage)


def test_a_closure_decided_after_the_plans_fixed_date_without_naming_its_own_is_refused_in_the_check(tmp_path, engine):
    late = mine(登记日期="2023-10-20", 处置建议="注销", 建议日期="2024-01-22", 县政府决定日期="2024-02-06")
    named = dict(late, 采矿许可证号=new_permit_no(), 生态修复方案期限="2024-04-30")
    taken, good = check_rows(parse_ledger(write_csv(tmp_path / "t.csv", [Mine(late), Mine(named)]), POLICY), engine, POLICY, "录入员")
    refused, accepted = taken.rows
    assert refused.status == "refused" and "县政府决定日期（2024-02-06）" in refused.reasons[0]
    assert "restoration_plan" in refused.reasons[0]
    assert accepted.status == "checked" and [r.row for r in good] == [3]


def test_a_row_a_rule_refuses_is_reported_with_the_act_and_the_rule(tmp_path, engine):
    """The dates are in order, but the history skips a step the rules need: the dry run names the act it stopped at."""
    skipped = mine(登记日期="2023-10-20", 处置建议="延续", 建议日期="2023-10-26", 县政府决定日期="2023-11-10", 送达日期="2023-11-13",
                   联审联批通过日期="2024-04-10", 验收日期="2024-03-15", 整治完成报告日期="2024-02-01")
    path = write_csv(tmp_path / "t.csv", [Mine(skipped)])
    dry_run = DryRun(POLICY, StatutoryCalendar([]), "录入员")
    (outcome,) = check_rows(parse_ledger(path, POLICY), engine, POLICY, "录入员", dry_run)[0].rows
    assert outcome.status == "refused"
    (reason,) = outcome.reasons
    assert reason.startswith("联审联批通过日期（2024-04-10）：") and "no such task open" in reason


# -- the command line ------------------------------------------------------------------------------------------


@pytest.fixture
def minecase(engine, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.delenv("MINECASE_CAMPAIGN", raising=False)
    monkeypatch.setenv("MINECASE_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    runner = CliRunner()
    return lambda *args: runner.invoke(app, [str(a) for a in args])


def test_the_check_command_reports_each_row_and_ends_with_one_line_and_exit_code_2_when_rows_are_refused(
    ledger200, engine, minecase,
):
    path, mines = ledger200
    result = minecase("ledger", "import", path, "--check", "--campaign", "shanggao-2023")
    assert result.exit_code == 2, result.output
    last = result.stdout.strip().splitlines()[-1]
    assert last == ("可导入 180 行，已登记 0 行，未导入 20 行（只检查，未登记） / 180 rows would be taken in, 0 already registered, "
                    "20 refused (check only: nothing registered)")
    assert not registered(engine, (m.permit_no for m in mines))


def test_importing_for_real_without_a_campaign_is_refused_in_one_line(ledger200, minecase):
    path, _ = ledger200
    result = minecase("ledger", "import", path)
    assert result.exit_code == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and "MINECASE_CAMPAIGN" in result.stderr and "--campaign" in result.stderr


def test_the_template_has_the_import_columns_and_explains_each(minecase, tmp_path):
    result = minecase("ledger", "template", tmp_path / "模板.xlsx", "--campaign", "shanggao-2023")
    assert result.exit_code == 0, result.output
    book = load_workbook(tmp_path / "模板.xlsx")
    headings = [c.value for c in book["台账"][1]]
    assert headings == HEADINGS and "开发利用方案提交日期" in headings and "县政府决定日期" in headings
    explained = {row[0] for row in book["说明"].iter_rows(values_only=True)}
    assert set(headings) <= explained
    parsed = parse_ledger(_as_file(tmp_path, book), POLICY)  # its example row is a good row
    assert len(parsed.rows) == 1 and not parsed.rejected and parsed.rows[0].history.dates["decided_on"] == dt.date(2023, 11, 10)


def _as_file(tmp_path: Path, book) -> Path:
    path = tmp_path / "example.xlsx"
    book.save(path)
    return path


# -- real mode on the real server, and the export back --------------------------------------------------------


async def test_importing_a_historical_ledger_takes_in_the_good_rows_in_their_stages_and_lists_the_proposals_awaiting_decision(
    client, engine, worker, tmp_path,
):
    mines = historical_ledger(200)  # the whole 200-row historical ledger, taken in for real
    path = write_csv(tmp_path / "台账.csv", mines)
    taken = await take_in(parse_ledger(path, POLICY), client, engine, TASK_QUEUE, POLICY, "台账录入员")
    assert not taken.check
    outcomes = by_permit(taken)
    good = [m for m in mines if not m.reasons]
    bad = [m for m in mines if m.reasons]
    assert {m.permit_no for m in good} == registered(engine, (m.permit_no for m in mines))  # no bad row, not even in part
    assert all(outcomes[m.permit_no].status == "refused" for m in bad)
    for m in good:
        outcome = outcomes[m.permit_no]
        assert (outcome.status, outcome.stage) == ("taken_in", m.stage), (m.permit_no, outcome)
    with Session(engine) as session:
        cases = {c.permit_no: c for c in session.exec(select(CaseRecord)) if c.permit_no in outcomes}
        proposals = {(t.permit_no, t.id) for t in session.exec(select(TaskRecord).where(TaskRecord.kind == "consequence_decision",
                                                                                       TaskRecord.status == "open"))}
    assert {p: c.stage for p, c in cases.items()} == {m.permit_no: m.stage for m in good}
    listed = {(permit, p.task_id) for permit, o in outcomes.items() for p in o.proposals}
    assert listed == {(permit, task) for permit, task in proposals if permit in outcomes}

    again = await take_in(parse_ledger(path, POLICY), client, engine, TASK_QUEUE, POLICY, "台账录入员")  # nothing twice
    assert {r.permit_no for r in again.rows if r.status == "existing"} == {m.permit_no for m in good}

    # the export uses the import's columns: exported, these mines import again, every one already registered
    exported = load_workbook(io.BytesIO(export_ledger(engine)))["台账"]
    rows = list(exported.iter_rows(values_only=True))
    assert list(rows[0][: len(HEADINGS)]) == HEADINGS
    ours = [rows[0]] + [r for r in rows[1:] if r[0] in outcomes]  # the session's other cases run on other clocks
    assert len(ours) == len(good) + 1
    renewed = next(r for r in ours[1:] if r[0] == next(m.permit_no for m in good if m.stage == "renewed"))
    assert renewed[HEADINGS.index("处置建议")] == "延续" and renewed[HEADINGS.index("县政府决定日期")]
    back = tmp_path / "导出.csv"
    text = io.StringIO()
    csv.writer(text).writerows([["" if v is None else v for v in r] for r in ours])
    back.write_text(text.getvalue(), encoding="utf-8-sig")
    checked, _ = await asyncio.to_thread(check_rows, parse_ledger(back, POLICY), engine, POLICY, "录入员")
    assert not checked.refused, [r.reasons for r in checked.refused]
    assert {r.status for r in checked.rows} == {"existing"}


async def test_the_export_gives_each_act_the_day_it_happened(client, engine, worker, tmp_path):
    (m,) = [continue_mine(4)]
    path = write_csv(tmp_path / "台账.csv", [m])
    await take_in(parse_ledger(path, POLICY), client, engine, TASK_QUEUE, POLICY, "台账录入员")
    rows = list(load_workbook(io.BytesIO(export_ledger(engine)))["台账"].iter_rows(values_only=True))
    (row,) = [r for r in rows if r[0] == m.permit_no]
    for heading in ("登记日期", "建议日期", "县政府决定日期", "送达日期", "验收日期", "采矿许可证延续日期"):
        assert str(row[HEADINGS.index(heading)])[:10] == m.values[heading], heading
