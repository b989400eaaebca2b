"""台账 The ledger: every row checked, bad rows reported with reasons, good rows registered once."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlmodel import Session, select

from casefile.tables import CaseRecord
from models.policy import load_campaign
from operations import cases
from operations.ledger import LedgerError, export_ledger, import_ledger, parse_ledger
from starter import OFFICE, sample_ledger_path
from tests.conftest import TASK_QUEUE
from tests.drill import new_permit_no

HEADINGS = ["采矿许可证号", "矿山名称", "采矿权人", "所属林场、乡镇", "挂点县领导", "矿种", "裸露区面积（亩）", "资源枯竭",
            "建矿至今未生产"]


def workbook(path: Path, rows: list[list]) -> Path:
    book = Workbook()
    book.active.append(HEADINGS)
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def good_row(permit_no: str | None = None, township: str = "锦江镇") -> list:
    return [permit_no or new_permit_no(), "测试砂场（虚构）", "测试公司（虚构）", township, "县领导甲（虚构）", "建筑用砂", 8.5, "否", "否"]


def test_the_sample_ledger_holds_forty_fictional_mines_all_valid():
    parsed = parse_ledger(sample_ledger_path())
    assert len(parsed.rows) == 40 and not parsed.rejected
    assert all(row.facts.fictional and "虚构" in row.facts.mine_name for row in parsed.rows)
    assert len({row.facts.township for row in parsed.rows}) >= 14


def test_each_bad_row_is_reported_with_its_reasons_and_good_rows_are_kept(tmp_path):
    twice = new_permit_no()
    path = workbook(tmp_path / "台账.xlsx", [
        good_row(twice),
        ["C123", "坏许可证号矿（虚构）", "某公司", "泗溪镇", "", "", 1, "否", "否"],
        [new_permit_no(), "", "某公司", "泗溪镇", "", "", 1, "否", "否"],
        [new_permit_no(), "面积不对矿（虚构）", "某公司", "泗溪镇", "", "", "十亩", "否", "否"],
        [new_permit_no(), "枯竭填错矿（虚构）", "某公司", "泗溪镇", "", "", 1, "也许", "否"],
        good_row(twice),
        good_row(),
    ])
    parsed = parse_ledger(path)
    assert [r.row for r in parsed.rows] == [2, 8]
    assert [r.row for r in parsed.rejected] == [3, 4, 5, 6, 7]
    reasons = {r.row: " ".join(r.reasons) for r in parsed.rejected}
    assert "C 加 22 位数字" in reasons[3]
    assert "矿山名称" in reasons[4]
    assert "应为数字" in reasons[5]
    assert "是" in reasons[6] and "否" in reasons[6]
    assert "重复" in reasons[7] and "2" in reasons[7]


def test_a_file_without_the_required_columns_is_refused_whole(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("名称,乡镇\n某矿,泗溪镇\n", encoding="utf-8")
    with pytest.raises(LedgerError, match="采矿许可证号"):
        parse_ledger(path)


async def test_importing_a_ledger_twice_registers_each_mine_once_and_exports_it(client, engine, worker, tmp_path):
    permits = [new_permit_no() for _ in range(3)]
    path = workbook(tmp_path / "台账.xlsx", [good_row(p, "芦洲乡") for p in permits] + [["C1", "坏行", "某", "芦洲乡"]])
    parsed = parse_ledger(path)
    policy = load_campaign("shanggao-2023").resolve()

    async def register(facts):
        return await cases.register_case(client, engine, TASK_QUEUE, facts, policy, OFFICE)

    seen = []
    assert await import_ledger(parsed, register, lambda done, total: seen.append((done, total))) == (3, 0)
    assert seen[-1] == (3, 3)
    assert await import_ledger(parse_ledger(path), register) == (0, 3)
    for permit_no in permits:
        await cases.wait_settled(client, f"mine-{permit_no}")
    with Session(engine) as session:
        rows = session.exec(select(CaseRecord).where(CaseRecord.permit_no.in_(permits))).all()
    assert {r.permit_no for r in rows} == set(permits) and all(r.stage == "registered" for r in rows)

    book = load_workbook(io.BytesIO(export_ledger(engine)))
    ledger = list(book["台账"].iter_rows(values_only=True))
    assert ledger[0][:4] == ("采矿许可证号", "矿山名称", "采矿权人", "所属林场、乡镇")
    assert {row[0] for row in ledger[1:]} >= set(permits)
    stats = {row[0]: row for row in book["分乡镇统计"].iter_rows(values_only=True)}
    assert stats["芦洲乡"][1] >= 3
