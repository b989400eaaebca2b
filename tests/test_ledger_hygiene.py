"""Ledger hygiene (issue 12, item 5; newcomer trial D11–D13; security review finding 18): a campaign's dictionary of
townships checked on import and registration with a "did you mean", township names normalised, every reason of a bad
row at once, and an export whose township sheet ends with 合计 and keeps numbers as numbers."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlmodel import Session
from typer.testing import CliRunner

from casefile.db import open_casefile
from casefile.tables import CaseRecord
from casefile.users import add_user
from cli.app import app
from models.messages import MineFacts
from models.policy import load_campaign
from models.townships import UnknownTownship, check_township, normalise_township
from operations.ledger import export_ledger, import_headings, parse_ledger
from operations.townships import add_township, checked_facts, file_townships, remove_township, townships
from tests.drill import new_permit_no

HEADINGS = ["采矿许可证号", "矿山名称", "采矿权人", "所属林场、乡镇", "裸露区面积（亩）", "处置建议"]


@pytest.fixture
def casefile(tmp_path):
    engine = open_casefile(f"sqlite:///{tmp_path / 'casefile.db'}", upgrade=True)
    yield engine
    engine.dispose()


def ledger(tmp_path: Path, *rows: list) -> Path:
    path = tmp_path / "台账.xlsx"
    book = Workbook()
    book.active.append(HEADINGS)
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


# -- the dictionary ----------------------------------------------------------------------------------------------


def test_each_campaign_has_a_dictionary_of_the_countys_townships_forest_farms_and_sub_districts():
    shanggao = file_townships("shanggao-2023")
    assert {"敖阳街道", "泗溪镇", "南港镇", "芦洲乡", "上高县林场", "蒙山林场"} <= set(shanggao)
    sample = {line.split(",")[3] for line in (Path("campaigns/sample_ledger.csv").read_text(encoding="utf-8").splitlines()[1:])}
    assert sample <= set(file_townships("rolling-example"))  # every township of the sample ledger
    assert "泗西镇" not in shanggao and len(shanggao) == len(set(shanggao))


def test_a_ledger_row_of_a_township_outside_the_dictionary_is_refused_with_the_nearest_name(tmp_path, casefile):
    known = townships(casefile, "shanggao-2023")
    path = ledger(tmp_path, [new_permit_no(), "甲矿（虚构）", "甲公司（虚构）", "泗西镇", 12, ""],
                  [new_permit_no(), "乙矿（虚构）", "乙公司（虚构）", "不存在镇", 3, ""],
                  [good := new_permit_no(), "丙矿（虚构）", "丙公司（虚构）", "泗溪镇", 5, ""])
    parsed = parse_ledger(path, townships=known)
    assert [r.facts.permit_no for r in parsed.rows] == [good]
    typo, unknown = parsed.rejected
    (reason,) = typo.reasons
    assert "「泗西镇」不在" in reason and "是否为「泗溪镇」" in reason and "did you mean 泗溪镇?" in reason
    (reason,) = unknown.reasons
    assert "「不存在镇」不在" in reason and "did you mean" not in reason and "minecase townships add" in reason


def test_a_township_typed_with_a_zero_width_or_ideographic_space_is_the_dictionarys_own_name(tmp_path, casefile):
    for typed in ("上高县林场\u200b", "上高县林场\u3000", "\ufeff 上高县林场 ", "上高县\u200d林场"):
        assert normalise_township(typed) == "上高县林场"
        facts = MineFacts(permit_no=new_permit_no(), mine_name="矿（虚构）", holder="公司（虚构）", township=typed)
        assert facts.township == "上高县林场"
        assert checked_facts(casefile, "shanggao-2023", facts).township == "上高县林场"
    path = ledger(tmp_path, [new_permit_no(), "甲矿（虚构）", "甲公司（虚构）", "上高县林场\u200b\u3000", 1, ""])
    (row,) = parse_ledger(path, townships=townships(casefile, "shanggao-2023")).rows
    assert row.facts.township == "上高县林场"
    with pytest.raises(ValueError, match="township"):
        MineFacts(permit_no=new_permit_no(), mine_name="矿", holder="公司", township="\u200b\u3000")


def test_the_office_adds_and_removes_townships_in_the_case_file_with_who_and_the_file_stays_as_it_is(casefile):
    assert "双峰林场" not in townships(casefile, "shanggao-2023")
    with pytest.raises(UnknownTownship):
        check_township("双峰林场", townships(casefile, "shanggao-2023"), "shanggao-2023")
    assert add_township(casefile, "shanggao-2023", " 双峰林场\u200b", "领导小组办公室·王五") == "双峰林场"
    assert townships(casefile, "shanggao-2023")[-1] == "双峰林场"
    assert "双峰林场" not in townships(casefile, "rolling-example")  # one campaign's dictionary
    assert check_township("双峰林场", townships(casefile, "shanggao-2023"), "shanggao-2023") == "双峰林场"
    remove_township(casefile, "shanggao-2023", "泗溪镇", "领导小组办公室·王五")
    assert "泗溪镇" not in townships(casefile, "shanggao-2023") and "泗溪镇" in file_townships("shanggao-2023")
    with pytest.raises(Exception, match="not in the dictionary"):
        remove_township(casefile, "shanggao-2023", "泗溪镇", "领导小组办公室·王五")
    with pytest.raises(Exception, match="in the dictionary already"):
        add_township(casefile, "shanggao-2023", "双峰林场", "领导小组办公室·王五")


# -- the command line: townships and registration -------------------------------------------------------------------


@pytest.fixture
def minecase(casefile, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("MINECASE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MINECASE_DATABASE_URL", casefile.url.render_as_string(hide_password=False))
    monkeypatch.setenv("MINECASE_CAMPAIGN", "shanggao-2023")
    monkeypatch.setenv("MINECASE_TEMPORAL_ADDRESS", "127.0.0.1:1")  # anything refused is refused before connecting
    monkeypatch.delenv("MINECASE_USER", raising=False)
    add_user(casefile, "clerk", "minecase-test", "office", display_name="王五")
    add_user(casefile, "county", "minecase-test", "county")
    runner = CliRunner()
    return lambda *args: runner.invoke(app, [str(a) for a in args])


def test_only_the_office_edits_the_dictionary_from_the_command_line_and_it_is_listed_with_its_changes(minecase):
    refused = minecase("townships", "add", "双峰林场", "--by", "county")
    assert refused.exit_code == 2 and "edit the dictionary (the office does)" in refused.stderr
    added = minecase("townships", "add", "双峰林场", "--by", "clerk")
    assert added.exit_code == 0, added.output
    listed = minecase("townships", "list")
    assert "双峰林场  （办公室新增 added by the office）" in listed.stdout and "19 townships" in listed.stdout
    assert minecase("townships", "remove", "双峰林场", "--by", "clerk").exit_code == 0
    assert "双峰林场" not in minecase("townships", "list", "--json").stdout


def test_registering_a_mine_in_a_township_outside_the_dictionary_is_refused_with_the_nearest_name(minecase):
    result = minecase("register", new_permit_no(), "--name", "某矿（虚构）", "--holder", "某公司（虚构）", "--township", "泗西镇",
                      "--by", "clerk")
    assert result.exit_code == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert "是否为「泗溪镇」" in line and "did you mean 泗溪镇?" in line


# -- every reason of a bad row -----------------------------------------------------------------------------------------


def test_a_bad_row_is_reported_with_every_one_of_its_reasons_at_once(tmp_path, casefile):
    path = ledger(tmp_path, [new_permit_no(), "丁矿（虚构）", "", "泗西镇", "三十", "关闭"])
    (rejected,) = parse_ledger(path, townships=townships(casefile, "shanggao-2023")).rejected
    text = "\n".join(rejected.reasons)
    assert len(rejected.reasons) == 4, rejected.reasons
    assert "处置建议" in text and "裸露区面积（亩）应为数字" in text and "采矿权人" in text and "泗溪镇" in text


# -- the export -----------------------------------------------------------------------------------------------------------


def test_the_township_sheet_ends_with_a_total_row_and_counts_areas_and_the_rate_are_numbers(tmp_path, casefile):
    now = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    with Session(casefile) as session:
        for township, area, accepted in (("泗溪镇", 10.0, True), ("泗溪镇", 30.0, False), ("南港镇", 5.5, False)):
            permit = new_permit_no()
            session.add(CaseRecord(permit_no=permit, workflow_id=f"mine-{permit}", campaign="shanggao-2023", mine_name="矿（虚构）",
                                   holder="=公司", township=township, bare_area_mu=area, stage="registered", path="undecided",
                                   acceptance_date=dt.date(2029, 12, 1) if accepted else None, registered_at=now, updated_at=now))
        session.commit()
    book = load_workbook(io.BytesIO(export_ledger(casefile, today=dt.date(2030, 1, 2))))
    stats = book["分乡镇统计"]
    heading = [c.value for c in stats[1]]
    rows = {r[0]: dict(zip(heading, r, strict=True)) for r in stats.iter_rows(min_row=2, values_only=True)}
    assert list(rows) == ["南港镇", "泗溪镇", "合计"]
    total = rows["合计"]
    assert (total["案件数"], total["已登记"], total["裸露区面积（亩）"], total["已修复面积（亩）"]) == (3, 3, 45.5, 10.0)
    assert total["修复率"] == pytest.approx(10 / 45.5, abs=1e-4) and rows["泗溪镇"]["修复率"] == 0.25
    last = stats.max_row
    rate = stats.cell(last, heading.index("修复率") + 1)
    assert rate.data_type == "n" and rate.number_format == "0%" and stats.cell(last, 2).data_type == "n"
    ledger_sheet = book["台账"]
    columns = [c.value for c in ledger_sheet[1]]
    cell = ledger_sheet.cell(2, columns.index("裸露区面积（亩）") + 1)
    assert cell.data_type == "n"  # a number, not a text
    assert ledger_sheet.cell(2, columns.index("采矿权人") + 1).value == "'=公司"  # a text stays a (formula-safe) text
    template = import_headings(load_campaign("shanggao-2023").approval_items)
    assert columns[:len(template)] == template  # the export is the import template, then columns for reading
    exported = tmp_path / "导出.xlsx"
    book.save(exported)
    again = parse_ledger(exported, townships=townships(casefile, "shanggao-2023"))
    assert (len(again.rows), again.rejected) == (3, [])  # and imports again as it is


# -- the desk: registration and upload -----------------------------------------------------------------------------------


async def test_the_api_refuses_to_register_a_mine_in_a_township_outside_the_dictionary_and_suggests_the_nearest(people):
    facts = {"permit_no": new_permit_no(), "mine_name": "字典测试矿（虚构）", "holder": "测试公司（虚构）", "township": "泗西镇",
             "fictional": True}
    office = await people("office")
    refused = await office.http.post("/api/cases", json=facts)
    assert refused.status_code == 422
    detail = refused.json()["detail"]
    assert "是否为「泗溪镇」" in detail["zh"] and "did you mean 泗溪镇?" in detail["en"]
    assert (await office.get(f"/api/cases/{facts['permit_no']}")).status_code == 404  # nothing registered


async def test_a_mine_registered_with_an_invisible_character_after_its_township_is_in_that_townships_view(
    people, worker, engine,
):
    from tests.api_helpers import in_case_file

    permit = new_permit_no()
    facts = {"permit_no": permit, "mine_name": "零宽测试矿（虚构）", "holder": "测试公司（虚构）", "township": "泗溪镇\u200b\u3000",
             "fictional": True}
    office = await people("office")
    created = await office.http.post("/api/cases", json=facts)
    assert created.status_code == 201, created.text
    await in_case_file(engine, permit)
    township = await people("township")  # the 泗溪镇 user
    assert (await township.get(f"/api/cases/{permit}")).status_code == 200
    assert permit in [c["permit_no"] for c in (await township.get("/api/cases", township="泗溪镇", q=permit)).json()]


async def test_an_uploaded_ledger_row_of_an_unknown_township_is_reported_with_the_nearest_name_and_all_its_reasons(people):
    book = Workbook()
    book.active.append(HEADINGS)
    book.active.append([new_permit_no(), "上传测试矿（虚构）", "", "泗西镇", "三十", "关闭"])
    buffer = io.BytesIO()
    book.save(buffer)
    office = await people("office")
    answer = await office.http.post("/api/ledger", params={"check": "true"},
                                    files={"file": ("台账.xlsx", buffer.getvalue(), "application/octet-stream")})
    assert answer.status_code == 200, answer.text
    (bad,) = answer.json()["rejected"]
    assert len(bad["reasons"]) == 4
    assert any("泗溪镇" in r["zh"] and "did you mean 泗溪镇?" in r["en"] for r in bad["reasons"])
