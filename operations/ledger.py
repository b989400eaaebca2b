"""The ledger (台账): import a spreadsheet of stopped mines, export the campaign's ledger and its
per-township statistics as .xlsx.

Import checks every row first; rejected rows are reported with their reasons and never
registered; good rows are registered one case each (registering is idempotent by permit
number, so an import run twice, or resumed after an interruption, makes no second case).
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from casefile.tables import CaseRecord, DeadlineRecord, TaskRecord
from models.calendar import CST
from models.errors import MinecaseError
from models.messages import MineFacts
from models.stages import Stage

# Column headings accepted on import (Chinese as the ledgers are kept, or the field names).
COLUMNS = {
    "permit_no": ("采矿许可证号", "许可证号"),
    "mine_name": ("矿山名称", "矿山"),
    "holder": ("采矿权人",),
    "township": ("所属林场、乡镇", "乡镇", "林场、乡镇", "所属乡镇"),
    "leader": ("挂点县领导",),
    "mineral": ("矿种",),
    "bare_area_mu": ("裸露区面积（亩）", "裸露区面积", "面积（亩）"),
    "unused_bare_area_mu": ("不使用区裸露区面积（亩）",),
    "resources_exhausted": ("资源枯竭",),
    "never_produced": ("建矿至今未生产",),
    "proposal": ("处置建议", "建议"),
    "fictional": ("虚构",),
}
REQUIRED = ("permit_no", "mine_name", "holder", "township")
TRUE = {"是", "yes", "y", "true", "1", "√"}
FALSE = {"否", "no", "n", "false", "0", ""}
PROPOSALS = {"continue": "continue", "延续": "continue", "cancel": "cancel", "注销": "cancel", "": None}


class LedgerError(MinecaseError):
    """The file itself cannot be read as a ledger."""


@dataclass
class LedgerRow:
    row: int
    facts: MineFacts
    proposal: str | None


@dataclass
class Rejected:
    row: int
    permit_no: str
    reasons: list[str]

    def describe(self) -> str:
        return f"第{self.row}行 row {self.row}（{self.permit_no or '无许可证号'}）：" + "；".join(self.reasons)


@dataclass
class ParsedLedger:
    rows: list[LedgerRow] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)


def parse_ledger(path: Path) -> ParsedLedger:
    """Read a .csv or .xlsx ledger and check every row; nothing is registered here."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise LedgerError(f"找不到文件 {path}", f"no such file: {path}")
    if suffix == ".csv":
        with open(path, encoding="utf-8-sig", newline="") as handle:
            table = list(csv.reader(handle))
    elif suffix in (".xlsx", ".xlsm"):
        try:
            sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds (zipfile, KeyError, ValueError...) for a damaged file
            raise LedgerError(f"无法读取 Excel 文件：{error}", f"cannot read the workbook: {error}") from None
        table = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    else:
        raise LedgerError("台账应为 .xlsx 或 .csv 文件", "a ledger is a .xlsx or .csv file")
    if not table:
        raise LedgerError("台账为空", "the ledger is empty")
    header = [h.strip() for h in table[0]]
    columns = _map_columns(header)
    parsed = ParsedLedger()
    seen: dict[str, int] = {}  # permit number -> the row it was first on
    for number, values in enumerate(table[1:], start=2):
        if not any(str(v).strip() for v in values):
            continue
        record = {name: (values[i].strip() if i < len(values) and values[i] is not None else "") for name, i in columns.items()}
        parsed_row, reasons = _check_row(record)
        permit = (parsed_row.permit_no if parsed_row else record.get("permit_no", "")).strip().upper()
        if permit and permit in seen:
            reasons.append(f"与第{seen[permit]}行许可证号重复 / duplicate of row {seen[permit]}")
        if reasons or parsed_row is None:  # _check_row gives the facts or the reasons
            parsed.rejected.append(Rejected(number, permit, reasons))
            continue
        seen[permit] = number
        parsed.rows.append(LedgerRow(number, parsed_row, _proposal(record)))
    return parsed


def _map_columns(header: list[str]) -> dict[str, int]:
    columns = {}
    for name, aliases in COLUMNS.items():
        for index, heading in enumerate(header):
            if heading == name or heading in aliases:
                columns[name] = index
                break
    missing = [f"{COLUMNS[name][0]}（{name}）" for name in REQUIRED if name not in columns]
    if missing:
        raise LedgerError(f"台账缺少列：{'、'.join(missing)}", f"missing columns: {', '.join(n for n in REQUIRED if n not in columns)}")
    return columns


def _check_row(record: dict[str, str]) -> tuple[MineFacts | None, list[str]]:
    reasons, flags = [], {}
    for key in ("resources_exhausted", "never_produced", "fictional"):
        value = record.get(key, "").lower()
        if value not in TRUE | FALSE:
            reasons.append(f"{COLUMNS[key][0]}应填“是”或“否” / {key}: yes or no")
        flags[key] = value in TRUE
    if record.get("proposal", "").lower() not in PROPOSALS:
        reasons.append("处置建议应为“延续”或“注销” / proposal: continue or cancel")
    numbers = {}
    for key in ("bare_area_mu", "unused_bare_area_mu"):
        try:
            numbers[key] = float(record.get(key) or 0)
        except ValueError:
            reasons.append(f"{COLUMNS[key][0]}应为数字 / {key} must be a number")
    if reasons:
        return None, reasons
    try:
        facts = MineFacts(
            permit_no=record.get("permit_no", ""), mine_name=record.get("mine_name", ""), holder=record.get("holder", ""),
            township=record.get("township", ""), leader=record.get("leader", ""), mineral=record.get("mineral", ""),
            **numbers, **flags,
        )
    except ValidationError as error:
        return None, [f"{_label(e['loc'][0])}：{e['msg'].removeprefix('Value error, ')}" for e in error.errors()]
    return facts, []


def _label(key: Any) -> str:
    return COLUMNS.get(str(key), (str(key),))[0]


def _proposal(record: dict[str, str]) -> str | None:
    return PROPOSALS[record.get("proposal", "").lower()]


async def import_ledger(
    parsed: ParsedLedger, register: Callable[[MineFacts], Awaitable[Any]],
    progress: Callable[[int, int], None] | None = None, concurrency: int = 32,
) -> tuple[int, int]:
    """Register every good row (``register`` is ``operations.cases.register_case`` bound to a client),
    ``concurrency`` at a time. Returns (created, already registered)."""
    gate = asyncio.Semaphore(concurrency)
    done = created = 0

    async def one(row: LedgerRow) -> None:
        nonlocal done, created
        async with gate:
            result = await register(row.facts)
        done += 1
        created += bool(result.created)
        if progress:
            progress(done, len(parsed.rows))

    await asyncio.gather(*(one(row) for row in parsed.rows))
    return created, len(parsed.rows) - created


# --- export ----------------------------------------------------------------------------------------

LEDGER_HEADINGS = ["采矿许可证号", "矿山名称", "采矿权人", "所属林场、乡镇", "挂点县领导", "矿种", "裸露区面积（亩）",
                   "处置路径", "阶段", "下一期限", "期限事项", "逾期天数", "是否虚构"]
PATH_ZH = {"undecided": "未定", "continue": "延续", "cancel": "注销", "deemed_abandoned": "视为放弃"}
RESTORED_STAGES = {Stage.post_care, Stage.closed}


def export_ledger(engine: Engine, today: dt.date | None = None) -> bytes:
    """The ledger as .xlsx: one row per case, then per-township statistics."""
    today = today or dt.datetime.now(CST).date()
    with Session(engine) as session:
        cases = list(session.exec(select(CaseRecord).order_by(CaseRecord.township, CaseRecord.permit_no)))
        late = _days_overdue(session.exec(select(DeadlineRecord).where(DeadlineRecord.status == "open")),
                             session.exec(select(TaskRecord).where(TaskRecord.status == "open")), today)
    book = Workbook()
    sheet = book.active
    sheet.title = "台账"
    sheet.append(LEDGER_HEADINGS)
    red = PatternFill("solid", fgColor="F8CBAD")
    for case in cases:
        days = late.get(case.permit_no, 0)
        sheet.append([case.permit_no, case.mine_name, case.holder, case.township, case.leader, case.mineral,
                      case.bare_area_mu, PATH_ZH.get(case.path, case.path), Stage(case.stage).label_zh,
                      case.next_due, case.next_due_kind or "", days, "是" if case.fictional else "否"])
        if days:
            for cell in sheet[sheet.max_row]:
                cell.fill = red
    _style(sheet, widths=[26, 36, 30, 14, 16, 14, 14, 10, 18, 12, 16, 10, 8])

    stats = book.create_sheet("分乡镇统计")
    stages = list(Stage)
    stats.append(["所属林场、乡镇", "案件数", *[s.label_zh for s in stages], "裸露区面积（亩）", "已修复面积（亩）", "修复率"])
    by_township: dict[str, list[CaseRecord]] = defaultdict(list)
    for case in cases:
        by_township[case.township].append(case)
    for township, rows in sorted(by_township.items()):
        counts = Counter(r.stage for r in rows)
        area = sum(r.bare_area_mu for r in rows)
        restored = sum(r.bare_area_mu for r in rows if r.acceptance_date is not None or r.works == "accepted")
        stats.append([township, len(rows), *[counts.get(s.value, 0) for s in stages], round(area, 1), round(restored, 1),
                      f"{restored / area:.0%}" if area else "—"])
    _style(stats, widths=[16, 8, *[10] * len(stages), 14, 14, 8])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _days_overdue(deadlines: Iterable[DeadlineRecord], tasks: Iterable[TaskRecord], today: dt.date) -> dict[str, int]:
    late: dict[str, int] = {}
    for permit_no, day in [(d.permit_no, d.last_day) for d in deadlines] + [(t.permit_no, t.due) for t in tasks]:
        if day is not None and day < today:
            late[permit_no] = max(late.get(permit_no, 0), (today - day).days)
    return late


def _style(sheet, widths: list[int]) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = width
