"""The ledger (台账): import a spreadsheet of stopped mines, export the campaign's ledger and its
per-township statistics as .xlsx.

Import checks every row first; rejected rows are reported with their reasons and never
registered; good rows are registered one case each (registering is idempotent by permit
number, so an import run twice, or resumed after an interruption, makes no second case).

A ledger may also carry the history an office has on paper (``DATE_COLUMNS``, one pair of columns
per approval item, the dates a late decision names): each row is then checked whole here (every
date, their order, none in the future or before the campaign's start), tried on the pure domain
model and, in real mode, built step by step through the workflow's rules
(``operations.ledger_history``; the columns and the order of the acts: ``docs/ledger-import.md``).
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import re
import zipfile
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from casefile.tables import CaseRecord, DeadlineRecord, DocumentRecord, TaskRecord, TimelineRecord
from casefile.times import from_db
from models.bounds import echo
from models.calendar import CST
from models.errors import MinecaseError
from models.messages import MineFacts
from models.policy import CampaignPolicy
from models.stages import Stage
from models.townships import normalise_township, unknown_township

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
    "proposal_reason": ("建议理由", "处置理由"),
    "fictional": ("虚构", "是否虚构"),
    "service_method": ("送达方式",),
}
MAX_ROWS = 5000
"""Rows (not counting the heading and empty rows) one ledger may have: a larger one is refused before it is checked."""
MAX_CELL_CHARS = 1000
"""A cell is read up to this many characters (and one more, so that a field's own limit still refuses it)."""
MAX_XLSX_BYTES = 50 * 1024 * 1024
"""The most a workbook may hold once unzipped: a small .xlsx can unpack to gigabytes (a zip bomb)."""

REQUIRED = ("permit_no", "mine_name", "holder", "township")
TRUE = {"是", "yes", "y", "true", "1", "√"}
FALSE = {"否", "no", "n", "false", "0", ""}
PROPOSALS = {"continue": "continue", "延续": "continue", "cancel": "cancel", "注销": "cancel", "": None}
SERVICE_METHODS = {"": "direct", "直接": "direct", "直接送达": "direct", "direct": "direct", "邮寄": "post", "邮寄送达": "post",
                   "post": "post", "电子": "electronic", "电子送达": "electronic", "electronic": "electronic",
                   "公告": "announcement", "公告送达": "announcement", "announcement": "announcement"}

DATE_COLUMNS: dict[str, tuple[str, ...]] = {
    "registered_on": ("登记日期",),
    "proposed_on": ("建议日期", "处置建议日期"),
    "decided_on": ("县政府决定日期", "处置决定日期"),
    "served_on": ("送达日期", "决定送达日期"),
    "plan_submitted_on": ("生态修复方案提交日期",),
    "plan_approved_on": ("生态修复方案批准日期", "生态修复方案评审通过日期"),
    "works_reported_on": ("整治完成报告日期",),
    "inspected_on": ("初验日期",),
    "accepted_on": ("验收日期",),
    "joint_review_on": ("联审联批通过日期",),
    "renewal_agreed_on": ("延续决定日期",),
    "permit_renewed_on": ("采矿许可证延续日期",),
    "cancellation_applied_on": ("注销申请日期",),
    "permits_cancelled_on": ("证照注销日期",),
}
"""The acts an office has on paper, one date column each (``docs/ledger-import.md``)."""

NAMED_DEADLINES: dict[str, tuple[str, ...]] = {
    "restoration_plan": ("生态修复方案期限",),
    "restoration_works": ("整治验收期限",),
    "unused_bare_area": ("不使用区整治期限",),
}
"""The last days a decision taken after the campaign's fixed date names instead (``DecideDisposition.deadlines``)."""

ITEM_SUBMITTED, ITEM_APPROVED = "提交日期", "批准日期"
ITEM_COLUMN = re.compile(rf"^(?P<item>.+?)(?P<what>{ITEM_SUBMITTED}|{ITEM_APPROVED})$")
"""``<approval item>提交日期`` / ``<approval item>批准日期``: one pair per approval item of the campaign (its
Chinese name or its code, e.g. ``开发利用方案提交日期``)."""

CONTINUE_ONLY = ("joint_review_on", "renewal_agreed_on", "permit_renewed_on")
CANCEL_ONLY = ("plan_submitted_on", "plan_approved_on", "cancellation_applied_on", "permits_cancelled_on")
AFTER = {  # each act and the acts it follows: it needs them, and is not dated before them
    "proposed_on": ("registered_on",),
    "decided_on": ("proposed_on",),
    "served_on": ("decided_on",),
    "plan_submitted_on": ("decided_on",),
    "plan_approved_on": ("plan_submitted_on",),
    "works_reported_on": ("decided_on",),
    "inspected_on": ("works_reported_on",),
    "accepted_on": ("works_reported_on", "inspected_on"),
    "joint_review_on": ("decided_on", "accepted_on"),
    "renewal_agreed_on": ("joint_review_on",),
    "permit_renewed_on": ("renewal_agreed_on",),
    "cancellation_applied_on": ("decided_on", "accepted_on"),
    "permits_cancelled_on": ("cancellation_applied_on",),
}
OPTIONAL_BEFORE = {"registered_on", "inspected_on"}  # defaulted, or folded into the next act
WORKS_ACTS = ("works_reported_on", "inspected_on", "accepted_on")


def heading(key: str) -> str:
    """The Chinese heading of a column key (``permit_no``, ``decided_on``, ``item:eia_report:submitted``…)."""
    if key.startswith("item:"):
        _, code, what = key.split(":")
        return f"{code}{ITEM_SUBMITTED if what == 'submitted' else ITEM_APPROVED}"
    for table in (COLUMNS, DATE_COLUMNS, NAMED_DEADLINES):
        if key in table:
            return table[key][0]
    return key


class LedgerError(MinecaseError):
    """The file itself cannot be read as a ledger."""


@dataclass
class History:
    """The acts a row records, each with its date (all optional)."""

    dates: dict[str, dt.date] = field(default_factory=dict)
    items: dict[str, dict[str, dt.date]] = field(default_factory=dict)
    """Approval item code → {"submitted": day, "approved": day}."""
    deadlines: dict[str, dt.date] = field(default_factory=dict)
    reason: str = ""
    service_method: str = "direct"

    def __bool__(self) -> bool:
        return bool(self.dates or self.items)

    def registered_on(self) -> dt.date | None:
        """The registration's date: its column, or else the first act's (nothing is dated before it)."""
        if "registered_on" in self.dates:
            return self.dates["registered_on"]
        days = [*self.dates.values(), *(d for pair in self.items.values() for d in pair.values())]
        return min(days) if days else None


@dataclass
class LedgerRow:
    row: int
    facts: MineFacts
    proposal: str | None
    history: History = field(default_factory=History)


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
    has_history: bool = False
    """The file has date columns (an office's history), beyond the mines' facts."""


def parse_ledger(path: Path, policy: CampaignPolicy | None = None, today: dt.date | None = None,
                 max_rows: int = MAX_ROWS, townships: Collection[str] = ()) -> ParsedLedger:
    """Read a .csv or .xlsx ledger and check every row; nothing is registered here.

    With ``policy`` (the campaign the rows are taken into) the approval items' columns are known and no date may
    be before the campaign's start; no date may be after ``today`` (default: today in China). A ledger of more than
    ``max_rows`` rows, or a workbook that unzips to more than ``MAX_XLSX_BYTES``, is refused before any row is
    checked; a cell is read up to ``MAX_CELL_CHARS``. ``townships``: the campaign's dictionary
    (``operations.townships``); a row's township outside it is one of the row's reasons."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise LedgerError(f"找不到文件 {path}", f"no such file: {path}")
    if suffix == ".csv":
        with open(path, encoding="utf-8-sig", newline="") as handle:
            table = _bounded(csv.reader(handle), max_rows)
    elif suffix in (".xlsx", ".xlsm"):
        check_unzipped_size(path)
        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds (zipfile, KeyError, ValueError...) for a damaged file
            raise LedgerError(f"无法读取 Excel 文件：{echo(error, 200)}", f"cannot read the workbook: {echo(error, 200)}") from None
        try:
            table = _bounded(([_cell(v) for v in row] for row in workbook.worksheets[0].iter_rows(values_only=True)), max_rows)
        finally:
            workbook.close()
    else:
        raise LedgerError("台账应为 .xlsx 或 .csv 文件", "a ledger is a .xlsx or .csv file")
    if not table:
        raise LedgerError("台账为空", "the ledger is empty")
    header = [str(h).strip() for h in table[0]]
    columns = _map_columns(header, policy)
    today = today or dt.datetime.now(CST).date()
    parsed = ParsedLedger(has_history=any(k in DATE_COLUMNS or k.startswith("item:") for k in columns))
    seen: dict[str, int] = {}  # permit number -> the row it was first on
    for number, values in enumerate(table[1:], start=2):
        if not any(str(v).strip() for v in values):
            continue
        record = {name: (values[i].strip() if i < len(values) and values[i] is not None else "") for name, i in columns.items()}
        parsed_row, reasons = _check_row(record, townships, policy.id if policy is not None else "")
        history, history_reasons = _check_history(record, parsed_row, policy, today)
        reasons += history_reasons
        permit = (parsed_row.permit_no if parsed_row else record.get("permit_no", "")).strip().upper()
        if permit and permit in seen:
            reasons.append(f"与第{seen[permit]}行许可证号重复 / duplicate of row {seen[permit]}")
        if reasons or parsed_row is None:  # _check_row gives the facts or the reasons
            parsed.rejected.append(Rejected(number, echo(permit), reasons))
            continue
        seen[permit] = number
        parsed.rows.append(LedgerRow(number, parsed_row, _proposal(record), history))
    return parsed


def check_unzipped_size(path: Path, limit: int = MAX_XLSX_BYTES) -> None:
    """Refuse a workbook whose parts unzip to more than ``limit`` bytes, before openpyxl unpacks any of it."""
    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise LedgerError(f"无法读取 Excel 文件：{echo(error, 200)}", f"cannot read the workbook: {echo(error, 200)}") from None
    if total > limit:
        megabytes = limit // (1024 * 1024)
        raise LedgerError(f"Excel 文件解压后超过 {megabytes} MB，请检查文件或分批导入",
                          f"the workbook unpacks to more than {megabytes} MB; check the file or import it in parts")


def _bounded(rows: Iterable[list[Any]], max_rows: int) -> list[list[str]]:
    """The heading and the rows, each cell cut to ``MAX_CELL_CHARS`` + 1; refused past ``max_rows`` non-empty rows."""
    table: list[list[str]] = []
    filled = 0
    for values in rows:
        row = [_from_text(str(v)[:MAX_CELL_CHARS + 1]) if v is not None else "" for v in values]
        if table and any(v.strip() for v in row):
            filled += 1
            if filled > max_rows:
                raise LedgerError(f"台账超过 {max_rows} 行，请分批导入", f"the ledger has more than {max_rows} rows; import it in parts")
        table.append(row)
    return table


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _map_columns(header: list[str], policy: CampaignPolicy | None) -> dict[str, int]:
    columns: dict[str, int] = {}
    for table in (COLUMNS, DATE_COLUMNS, NAMED_DEADLINES):
        for name, aliases in table.items():
            for index, text in enumerate(header):
                if text == name or text in aliases:
                    columns[name] = index
                    break
    taken = set(columns.values())
    unknown = []
    for index, text in enumerate(header):
        match = ITEM_COLUMN.match(text)
        if index in taken or match is None:
            continue
        code = _item_code(match["item"], policy)
        if code is None:
            unknown.append(text)
            continue
        columns[f"item:{code}:{'submitted' if match['what'] == ITEM_SUBMITTED else 'approved'}"] = index
    missing = [f"{COLUMNS[name][0]}（{name}）" for name in REQUIRED if name not in columns]
    if missing:
        raise LedgerError(f"台账缺少列：{'、'.join(missing)}", f"missing columns: {', '.join(n for n in REQUIRED if n not in columns)}")
    if unknown and policy is not None:
        items = "、".join(i.name_zh for i in policy.approval_items)
        named = echo("、".join(unknown), 200)
        raise LedgerError(f"台账列「{named}」不是专项行动 {policy.id} 的审批材料（审批材料：{items}）",
                          f"column(s) {named}: not an approval item of campaign {policy.id}")
    return columns


def _item_code(label: str, policy: CampaignPolicy | None) -> str | None:
    """An approval item's code from its name or code; without a campaign the label stands for itself."""
    if policy is None:
        return label
    return next((i.code for i in policy.approval_items if label in (i.name_zh, i.code)), None)


def _check_row(record: dict[str, str], townships: Collection[str] = (),
               campaign: str = "") -> tuple[MineFacts | None, list[str]]:
    """The row's facts, or every reason they cannot be taken in, all at once (newcomer trial D12): the flags, the
    proposal, the numbers, each field of ``MineFacts`` and the township's place in the campaign's dictionary
    (``townships``; empty: not checked)."""
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
    facts = None
    try:
        facts = MineFacts(
            permit_no=record.get("permit_no", ""), mine_name=record.get("mine_name", ""), holder=record.get("holder", ""),
            township=record.get("township", ""), leader=record.get("leader", ""), mineral=record.get("mineral", ""),
            **numbers, **flags,
        )
    except ValidationError as error:
        reasons += [f"{_label(e['loc'][0])}：{e['msg'].removeprefix('Value error, ')}" for e in error.errors()]
    township = normalise_township(record.get("township", ""))
    if townships and township and township not in townships:
        reasons.append(unknown_township(township, sorted(townships), campaign).message)
    return (None if reasons else facts), reasons


_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]00:00(?::00)?)?$")


def parse_day(text: str) -> dt.date:
    """A day as ledgers write it: 2023-11-01, 2023/11/1, 2023.11.1, 2023年11月1日 (ValueError otherwise)."""
    match = _DATE.match(text.strip())
    if match is None:
        raise ValueError(text)
    return dt.date(int(match[1]), int(match[2]), int(match[3]))


def _check_history(record: dict[str, str], facts: MineFacts | None, policy: CampaignPolicy | None,
                   today: dt.date) -> tuple[History, list[str]]:
    """The row's acts and their dates: every reason it cannot be taken in as written, all at once."""
    check = _HistoryCheck(record, facts, policy, today)
    check.read()
    if check.history or check.history.deadlines:
        check.calendar()
        check.order()
        check.items()
        check.path()
        check.named_deadlines()
    return check.history, check.reasons


@dataclass
class _HistoryCheck:
    record: dict[str, str]
    facts: MineFacts | None
    policy: CampaignPolicy | None
    today: dt.date
    history: History = field(default_factory=History)
    reasons: list[str] = field(default_factory=list)

    def named(self, key: str) -> str:
        """A column's heading, an approval item by its campaign's name."""
        if key.startswith("item:") and self.policy is not None:
            _, code, what = key.split(":")
            spec = self.policy.item(code)
            return f"{spec.name_zh if spec else code}{ITEM_SUBMITTED if what == 'submitted' else ITEM_APPROVED}"
        return heading(key)

    def day(self, key: str) -> dt.date | None:
        text = self.record.get(key, "")
        if not text:
            return None
        try:
            return parse_day(text)
        except ValueError:
            self.reasons.append(f"{self.named(key)}“{echo(text)}”不是日期（应为 YYYY-MM-DD） / "
                                f"{key}: '{echo(text)}' is not a date (YYYY-MM-DD)")
            return None

    def read(self) -> None:
        history = self.history
        history.reason = self.record.get("proposal_reason", "")
        method = self.record.get("service_method", "").strip().lower()
        if method not in SERVICE_METHODS:
            self.reasons.append("送达方式应为直接、邮寄、电子或公告 / service method: direct, post, electronic or announcement")
        history.service_method = SERVICE_METHODS.get(method, "direct")
        for key in DATE_COLUMNS:
            if (value := self.day(key)) is not None:
                history.dates[key] = value
        for key in self.record:
            if key.startswith("item:") and (value := self.day(key)) is not None:
                _, code, what = key.split(":")
                history.items.setdefault(code, {})[what] = value
        for key in NAMED_DEADLINES:
            if (value := self.day(key)) is not None:
                history.deadlines[key] = value

    def calendar(self) -> None:
        """No act in the future, none before the campaign's start."""
        start = self.policy.start if self.policy is not None else None
        items = ((f"item:{c}:{w}", v) for c, pair in self.history.items.items() for w, v in pair.items())
        dated = [*self.history.dates.items(), *items]
        future = [(key, value) for key, value in dated if value > self.today]
        if future:
            self.reasons.append(f"{'、'.join(f'{self.named(k)}（{v}）' for k, v in future)}晚于今天（{self.today}） / "
                                f"{', '.join(f'{k} ({v})' for k, v in future)}: in the future")
        early = [(key, value) for key, value in dated if start is not None and value < start]
        if early:
            self.reasons.append(f"{'、'.join(f'{self.named(k)}（{v}）' for k, v in early)}早于专项行动开始之日（{start}） / "
                                f"{', '.join(f'{k} ({v})' for k, v in early)}: before the campaign's start ({start})")

    def order(self) -> None:
        """Each act after the acts it follows (``AFTER``), and only once they are there."""
        dates = self.history.dates
        if "proposed_on" in dates and _proposal_of(self.record) is None:
            self.reasons.append("有建议日期须填处置建议（延续或注销） / a proposal date needs the proposal (continue or cancel)")
        never_produced = self.facts is not None and self.facts.never_produced
        for key, before in AFTER.items():
            if key not in dates:
                continue
            for earlier in before:
                if earlier == "accepted_on" and never_produced:
                    continue  # never produced: no works to accept
                value = self.history.registered_on() if earlier == "registered_on" else dates.get(earlier)
                if value is None and earlier not in OPTIONAL_BEFORE:
                    self.reasons.append(f"有{heading(key)}须先有{heading(earlier)} / {key} needs {earlier}")
                elif value is not None and dates[key] < value:
                    self.reasons.append(f"{heading(key)}（{dates[key]}）早于{heading(earlier)}（{value}） / "
                                        f"{key} ({dates[key]}) is before {earlier} ({value})")

    def items(self) -> None:
        """Each approval item filed after the decision, approved after it was filed, before the joint review."""
        dates = self.history.dates
        for code, pair in self.history.items.items():
            name = self.named(f"item:{code}:submitted").removesuffix(ITEM_SUBMITTED)
            submitted, approved = pair.get("submitted"), pair.get("approved")
            if "decided_on" not in dates:
                self.reasons.append(f"有{name}的日期须先有{heading('decided_on')} / item {code} needs decided_on")
            elif submitted is not None and submitted < dates["decided_on"]:
                self.reasons.append(f"{name}{ITEM_SUBMITTED}（{submitted}）早于{heading('decided_on')}（{dates['decided_on']}） / "
                                    f"item {code} submitted before the decision")
            if approved is not None and submitted is None:
                self.reasons.append(f"有{name}{ITEM_APPROVED}须先有{name}{ITEM_SUBMITTED} / item {code}: approved but never submitted")
            elif approved is not None and submitted is not None and approved < submitted:
                self.reasons.append(f"{name}{ITEM_APPROVED}（{approved}）早于{ITEM_SUBMITTED}（{submitted}） / "
                                    f"item {code} approved before it was submitted")
            if approved is not None and "joint_review_on" in dates and dates["joint_review_on"] < approved:
                self.reasons.append(f"{heading('joint_review_on')}（{dates['joint_review_on']}）早于{name}{ITEM_APPROVED}（{approved}） / "
                                    f"joint review before item {code} was approved")

    def path(self) -> None:
        """The acts of one path only; none of the works for a mine that never produced."""
        dates, proposal = self.history.dates, _proposal_of(self.record)
        if proposal == "cancel":
            wrong = [heading(k) for k in CONTINUE_ONLY if k in dates]
            wrong += [self.named(f"item:{c}:submitted").removesuffix(ITEM_SUBMITTED) for c in self.history.items]
            if wrong:
                self.reasons.append(f"注销矿山不填{'、'.join(wrong)} / a cancel mine has no approvals, joint review or renewal")
        if proposal == "continue":
            wrong = [heading(k) for k in CANCEL_ONLY if k in dates]
            if wrong:
                self.reasons.append(f"延续矿山不填{'、'.join(wrong)} / a continue mine has no restoration plan or cancellation")
        works = (*WORKS_ACTS, "plan_submitted_on", "plan_approved_on")
        if self.facts is not None and self.facts.never_produced and any(k in dates for k in works):
            self.reasons.append("建矿至今未生产，无整治任务，不填修复方案、整治及验收日期 / never produced: no plan, works or acceptance")

    def named_deadlines(self) -> None:
        dates = self.history.dates
        if self.history.deadlines and "decided_on" not in dates:
            self.reasons.append("另行明确的期限属于县政府决定，须有县政府决定日期 / "
                                "named deadlines belong to a decision: decided_on needed")
        for key, value in self.history.deadlines.items():
            if "decided_on" in dates and value < dates["decided_on"]:
                self.reasons.append(f"{heading(key)}（{value}）早于{heading('decided_on')}（{dates['decided_on']}） / "
                                    f"{key} is before the decision")


def _label(key: Any) -> str:
    return COLUMNS.get(str(key), (str(key),))[0]


def _proposal(record: dict[str, str]) -> str | None:
    return PROPOSALS[record.get("proposal", "").lower()]


def _proposal_of(record: dict[str, str]) -> str | None:
    return PROPOSALS.get(record.get("proposal", "").lower())


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

FACT_HEADINGS = ["采矿许可证号", "矿山名称", "采矿权人", "所属林场、乡镇", "挂点县领导", "矿种", "裸露区面积（亩）",
                 "不使用区裸露区面积（亩）", "资源枯竭", "建矿至今未生产", "虚构"]
HISTORY_KEYS = ["registered_on", "proposal", "proposal_reason", "proposed_on", "decided_on", *NAMED_DEADLINES, "served_on",
                "service_method", "items", "plan_submitted_on", "plan_approved_on", "works_reported_on", "inspected_on",
                "accepted_on", "joint_review_on", "renewal_agreed_on", "permit_renewed_on", "cancellation_applied_on",
                "permits_cancelled_on"]
"""The history columns of the template and the export, in the order of the acts (``items``: the approval items' pairs)."""
READ_ONLY_HEADINGS = ["处置路径", "阶段", "下一期限", "期限事项", "逾期天数"]
FUND_HEADINGS = [f"{label}{what}（元）" for label in ("治理恢复基金", "保证金") for what in ("应缴", "已缴", "已使用", "已返还")]
"""The mine's fund and 保证金 as the office recorded them (issue 14, seed 000); read-only too."""
"""Columns the export adds for reading: the import ignores them."""
PATH_ZH = {"undecided": "未定", "continue": "延续", "cancel": "注销", "deemed_abandoned": "视为放弃"}
METHOD_ZH = {"direct": "直接送达", "post": "邮寄送达", "electronic": "电子送达", "announcement": "公告送达"}
RESTORED_STAGES = {Stage.post_care, Stage.closed}
NAMED_FIXED_DATES = {"restoration_plan": "restoration_plan_due", "restoration_works": "cancel_works_due",
                     "unused_bare_area": "unused_bare_area_due"}


def import_headings(items: Iterable[Any]) -> list[str]:
    """The columns the import reads, in the template's order: the mine's facts, then its history (``items``: the
    campaign's approval items, a pair of columns each)."""
    headings = list(FACT_HEADINGS)
    for key in HISTORY_KEYS:
        if key == "items":
            for item in items:
                headings += [f"{item.name_zh}{ITEM_SUBMITTED}", f"{item.name_zh}{ITEM_APPROVED}"]
        else:
            headings.append(heading(key))
    return headings


def _fund_cells(recorded: dict[str, Any]) -> list[Any]:
    cells: list[Any] = []
    for kind in ("fund", "bond"):
        record = recorded.get(kind)
        cells += [getattr(record, what) if record is not None else None for what in ("due", "paid", "used", "released")]
    return cells


def export_ledger(engine: Engine, today: dt.date | None = None, county: str | None = None) -> bytes:
    """The ledger as .xlsx: one row per case in the import's columns (dates from the case file), then the columns
    for reading; then per-township statistics. Exported, it imports again as it is (``docs/ledger-import.md``).
    ``county``: that county's cases only (a user of one county in a province deployment)."""
    today = today or dt.datetime.now(CST).date()
    with Session(engine) as session:
        query = select(CaseRecord).order_by(CaseRecord.township, CaseRecord.permit_no)
        if county:
            query = query.where(CaseRecord.county == county)
        cases = list(session.exec(query))
        open_deadlines = list(session.exec(select(DeadlineRecord).where(DeadlineRecord.status == "open")))
        late = _days_overdue(open_deadlines, session.exec(select(TaskRecord).where(TaskRecord.status == "open")), today)
        labels = {(d.permit_no, d.kind): d.label_zh for d in open_deadlines}
        events: dict[str, list[TimelineRecord]] = defaultdict(list)
        for event in session.exec(select(TimelineRecord).order_by(col(TimelineRecord.permit_no), col(TimelineRecord.seq))):
            events[event.permit_no].append(event)
        decisions: dict[str, DocumentRecord] = {
            d.permit_no: d for d in session.exec(select(DocumentRecord).where(
                col(DocumentRecord.kind).in_(["closure_decision", "continuation_notice"])).order_by(col(DocumentRecord.issued_at)))}
        deadlines: dict[str, list[DeadlineRecord]] = defaultdict(list)
        for deadline in session.exec(select(DeadlineRecord).where(col(DeadlineRecord.kind).in_(list(NAMED_FIXED_DATES)))):
            deadlines[deadline.permit_no].append(deadline)
    items = _approval_items({c.campaign for c in cases})
    book = Workbook()
    sheet = book.active
    sheet.title = "台账"
    from operations.funds import all_funds

    funds = all_funds(engine)
    sheet.append(import_headings(items.values()) + READ_ONLY_HEADINGS + FUND_HEADINGS)
    red = PatternFill("solid", fgColor="F8CBAD")
    for case in cases:
        days = late.get(case.permit_no, 0)
        history = _history_of(case, events[case.permit_no], decisions.get(case.permit_no), deadlines[case.permit_no])
        facts = [case.permit_no, case.mine_name, case.holder, case.township, case.leader, case.mineral, case.bare_area_mu, 0,
                 _yes(case.resources_exhausted), _yes(case.never_produced), _yes(case.fictional)]
        dated = []
        for key in HISTORY_KEYS:
            if key == "items":
                for code in items:
                    pair = history.get("items", {}).get(code, {})
                    dated += [pair.get("submitted"), pair.get("approved")]
            else:
                dated.append(history.get(key))
        due_label = labels.get((case.permit_no, case.next_due_kind or ""), case.next_due_kind or "")  # 期限事项 in Chinese
        sheet.append([as_text(v) for v in facts + dated + [PATH_ZH.get(case.path, case.path), Stage(case.stage).label_zh,
                                                           case.next_due, due_label, days]]
                     + _fund_cells(funds.get(case.permit_no, {})))
        if days:
            for cell in sheet[sheet.max_row]:
                cell.fill = red
    _style(sheet, widths=[26, 36, 30, 14, 16, 14, 14, 14, 8, 8, 8] + [14] * (sheet.max_column - 11))

    _township_sheet(book, cases)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _township_sheet(book: Workbook, cases: list[CaseRecord]) -> None:
    """分乡镇统计: per township the cases, their stages, the bare and restored areas and the rate restored (numbers,
    the rate a fraction shown as a percentage), then the 合计 line of the whole county."""
    stats = book.create_sheet("分乡镇统计")
    stages = list(Stage)
    stats.append(["所属林场、乡镇", "案件数", *[s.label_zh for s in stages], "裸露区面积（亩）", "已修复面积（亩）", "修复率"])
    by_township: dict[str, list[CaseRecord]] = defaultdict(list)
    for case in cases:
        by_township[case.township].append(case)

    def tally(name: str, rows: list[CaseRecord]) -> list[Any]:
        """One line of the statistics: counts and areas as numbers, the rate a fraction shown as a percentage."""
        counts = Counter(r.stage for r in rows)
        area = sum(r.bare_area_mu for r in rows)
        restored = sum(r.bare_area_mu for r in rows if r.acceptance_date is not None or r.works == "accepted")
        return [as_text(name), len(rows), *[counts.get(s.value, 0) for s in stages], round(area, 1), round(restored, 1),
                round(restored / area, 4) if area else None]

    for township, rows in sorted(by_township.items()):
        stats.append(tally(township, rows))
    stats.append(tally(TOTAL_ROW, cases))
    for cell in stats[stats.max_row]:
        cell.font = Font(bold=True)
    for (cell,) in stats.iter_rows(min_row=2, min_col=stats.max_column, max_col=stats.max_column):
        cell.number_format = "0%"
    _style(stats, widths=[16, 8, *[10] * len(stages), 14, 14, 8])


TOTAL_ROW = "合计"
"""The last line of the per-township statistics: the whole county."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a text as a formula (OWASP "CSV injection")."""


def as_text(value: Any) -> Any:
    """A value as the export writes it: a text has the characters a workbook cannot hold removed, and one that a
    spreadsheet would take for a formula is written after a ``'`` (import takes that ``'`` off again)."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _from_text(value: str) -> str:
    """A cell as import reads it: the ``'`` the export put before a formula-like text is taken off."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES) else value


def _yes(flag: bool) -> str:
    return "是" if flag else "否"


def _approval_items(campaigns: Iterable[str]) -> dict[str, Any]:
    """The approval items of the campaigns exported (by code, the first campaign's name for each)."""
    from models.policy import available_campaigns, load_campaign

    items: dict[str, Any] = {}
    known = set(available_campaigns())
    for campaign in sorted(set(campaigns) & known) or ["rolling-example"]:
        for item in load_campaign(campaign).approval_items:
            items.setdefault(item.code, item)
    return items


def _day(event: TimelineRecord) -> dt.date:
    """The day an event legally happened: its effective date where the case file keeps one, else the day recorded."""
    effective = getattr(event, "effective_on", None)
    if isinstance(effective, dt.date):
        return effective
    at = from_db(event.at)
    assert at is not None
    return at.date()


EVENT_COLUMNS = {
    "case_registered": "registered_on", "continuation_approved": "decided_on", "closure_ordered": "decided_on",
    "restoration_plan_submitted": "plan_submitted_on", "restoration_plan_approved": "plan_approved_on",
    "works_reported_done": "works_reported_on", "works_accepted": "accepted_on", "restoration_accepted": "accepted_on",
    "joint_review_passed": "joint_review_on", "renewal_agreed": "renewal_agreed_on", "permit_renewed": "permit_renewed_on",
    "cancellation_applied": "cancellation_applied_on", "permits_cancelled": "permits_cancelled_on",
}


def _history_of(case: CaseRecord, events: list[TimelineRecord], decision: DocumentRecord | None,
                deadlines: list[DeadlineRecord]) -> dict[str, Any]:
    """The ledger's history columns of a case, from its timeline: the acts the import can replay."""
    history: dict[str, Any] = {}
    inspections: set[str] = set()
    for event in events:
        data, day = event.data or {}, _day(event)
        if event.kind in EVENT_COLUMNS:
            history[EVENT_COLUMNS[event.kind]] = day
        if event.kind == "disposition_proposed":
            history.update(proposal=PATH_ZH.get(data.get("path", ""), ""), proposal_reason=data.get("reason", ""), proposed_on=day)
        elif event.kind == "disposition_returned":
            for key in ("proposal", "proposal_reason", "proposed_on"):
                history.pop(key, None)
        elif event.kind == "works_reported_done" and data.get("task_id"):
            inspections.add(data["task_id"])
        elif event.kind == "review_recorded" and data.get("approved") and data.get("task_id") in inspections:
            history["inspected_on"] = day
    history["items"] = _items_of(events)
    if decision is not None and decision.served_on is not None:
        history.update(served_on=decision.served_on, service_method=METHOD_ZH.get(decision.service_method or "", ""))
    history.update(_named_deadlines(case, deadlines))
    return _replayable(history, case.never_produced)


def _items_of(events: list[TimelineRecord]) -> dict[str, dict[str, dt.date]]:
    """Each approval item's last filing and its approval (a department's review, or the county's approval of a
    joint determination)."""
    items: dict[str, dict[str, dt.date]] = defaultdict(dict)
    task_items: dict[str, str] = {}  # a document's review task → its item
    for event in events:
        data, day = event.data or {}, _day(event)
        if event.kind == "document_submitted" and data.get("item"):
            items[data["item"]] = {"submitted": day}
            if not data.get("joint_determination"):
                task_items[data.get("task_id", "")] = data["item"]
        elif event.kind == "determination_approved" and data.get("item"):
            items[data["item"]]["approved"] = day
        elif event.kind == "review_recorded" and data.get("approved") and data.get("task_id") in task_items:
            items[task_items[data["task_id"]]]["approved"] = day
    return dict(items)


def _named_deadlines(case: CaseRecord, deadlines: list[DeadlineRecord]) -> dict[str, dt.date]:
    """The last days the decision named instead of the campaign's passed fixed dates."""
    from models.policy import available_campaigns, load_campaign

    if case.campaign not in available_campaigns():
        return {}
    policy, named = load_campaign(case.campaign), {}
    for deadline in deadlines:
        fixed = policy.fixed(NAMED_FIXED_DATES[deadline.kind])
        first = deadline.moves[0].get("old_last_day") if deadline.moves else deadline.last_day
        if isinstance(first, str):
            first = dt.date.fromisoformat(first)
        if fixed is not None and fixed.date is not None and first is not None and first != fixed.date:
            named[deadline.kind] = first
    return named


def _replayable(history: dict[str, Any], never_produced: bool) -> dict[str, Any]:
    """Only the acts of the case's own path (a continue mine deemed to have abandoned its right was cancelled on the
    township's application: that is not a ledger column), and none of the works for a mine that never produced."""
    path = {"延续": "continue", "注销": "cancel"}.get(history.get("proposal", ""))
    drop: tuple[str, ...] = ()
    if path == "continue":
        drop = CANCEL_ONLY
    elif path == "cancel":
        drop = CONTINUE_ONLY
        history["items"] = {}
    if never_produced:
        drop += (*WORKS_ACTS, "plan_submitted_on", "plan_approved_on")
    if "decided_on" not in history:
        drop += tuple(NAMED_DEADLINES)
    return {k: v for k, v in history.items() if k not in drop}


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


# --- the template ----------------------------------------------------------------------------------

DATE = "YYYY-MM-DD"
COLUMN_NOTES: dict[str, tuple[str, str, str]] = {
    # key: (meaning, format, the act it records and its clause of 004)
    "permit_no": ("采矿许可证号 permit number（必填 required）", "C + 22 位数字", "登记 registration"),
    "mine_name": ("矿山名称 mine name（必填 required）", "文字 text", "登记 registration"),
    "holder": ("采矿权人 holder（必填 required）", "文字 text", "登记 registration"),
    "township": ("所属林场、乡镇 township（必填 required）", "文字 text", "登记 registration"),
    "leader": ("挂点县领导 county leader in charge", "文字 text", "登记 registration"),
    "mineral": ("矿种 mineral", "文字 text", "登记 registration"),
    "bare_area_mu": ("裸露区面积 bare area", "亩 mu，数字 number", "登记 registration"),
    "unused_bare_area_mu": ("延续矿山不使用区裸露区面积 unused zones' bare area", "亩 mu，数字 number", "登记；四.2"),
    "resources_exhausted": ("资源枯竭 resources exhausted", "是/否", "四.1：建议延续须说明理由"),
    "never_produced": ("建矿至今未生产 never produced", "是/否", "四.3：保持原始地貌，无整治任务"),
    "fictional": ("虚构（演示、培训数据）fictional", "是/否", "登记 registration"),
    "registered_on": ("纳入专项行动登记之日 registered in the campaign", DATE + "；空则取本行最早日期",
                      "RegisterCase（登记）"),
    "proposal": ("乡镇处置建议 the township's proposal", "延续/注销", "四.1 ProposeDisposition"),
    "proposal_reason": ("建议理由（资源枯竭而建议延续时必填）reason", "文字 text", "四.1"),
    "proposed_on": ("乡镇提出处置建议之日 proposed on", DATE, "四.1 ProposeDisposition（乡镇）"),
    "decided_on": ("县政府研究同意处置意见之日 the county's decision", DATE, "四.1/四.3 DecideDisposition（县政府）"),
    "restoration_plan": ("决定另行明确的生态修复方案期限（专项行动日期已过时）plan's last day named by a late decision",
                         DATE, "四.2 DecideDisposition.deadlines"),
    "restoration_works": ("决定另行明确的整治验收期限 works' last day named by a late decision", DATE,
                          "四.2 DecideDisposition.deadlines"),
    "unused_bare_area": ("决定另行明确的不使用区整治期限 unused zones' last day named by a late decision", DATE,
                         "四.2 DecideDisposition.deadlines"),
    "served_on": ("关闭决定书或延续整改通知书送达之日 the decision served", DATE, "送达 ServeDocument（期限自送达起算）"),
    "service_method": ("送达方式 how it was served", "直接/邮寄/电子/公告，空为直接", "送达 ServeDocument"),
    "plan_submitted_on": ("注销矿山提交生态修复方案之日 restoration plan filed", DATE, "四.2 SubmitDocument"),
    "plan_approved_on": ("生态修复方案通过专家评审之日 plan approved by the experts", DATE, "七.2 RecordReview（专家）"),
    "works_reported_on": ("采矿权人报告整治完成之日 works reported done", DATE, "五.1 ReportWorksDone"),
    "inspected_on": ("林场、乡镇初验通过之日 township's inspection", DATE + "；空则与验收日期同日", "五.1 RecordReview（乡镇）"),
    "accepted_on": ("实地验收（注销矿山：专家出具验收合格意见书）之日 accepted", DATE, "五.1 RecordReview（各部门、专家）"),
    "joint_review_on": ("延续矿山联审联批通过之日 joint review passed", DATE, "四.1 RecordReview（各部门）"),
    "renewal_agreed_on": ("县政府常务会议同意延续之日 renewal agreed", DATE, "四.1 DecideRenewal（县政府）"),
    "permit_renewed_on": ("采矿许可证延续办结之日 permit renewed", DATE, "四.1 RecordReview（自然资源局）"),
    "cancellation_applied_on": ("提交注销申请之日 cancellation applied", DATE, "四.3 ApplyCancellation"),
    "permits_cancelled_on": ("各部门注销证照完毕之日 permits cancelled", DATE, "四.3 RecordReview（各部门）"),
}


def ledger_template(campaign: str | None = None) -> bytes:
    """The import template (.xlsx): the columns in the order of the acts, a fictional example row, and a sheet
    that says what each column means, its format and the act (and clause of 004) it records."""
    from models.policy import load_campaign

    items = load_campaign(campaign or "rolling-example").approval_items
    book = Workbook()
    sheet = book.active
    sheet.title = "台账"
    headings = import_headings(items)
    sheet.append(headings)
    example = {"采矿许可证号": "C3609239999000000000901", "矿山名称": "示例石场（虚构）", "采矿权人": "示例矿业有限公司（虚构）",
               "所属林场、乡镇": "泗溪镇", "裸露区面积（亩）": 12.5, "资源枯竭": "否", "建矿至今未生产": "否", "虚构": "是",
               "登记日期": "2023-10-20", "处置建议": "注销", "建议日期": "2023-10-25", "县政府决定日期": "2023-11-10",
               "送达日期": "2023-11-13", "送达方式": "直接送达", "生态修复方案提交日期": "2023-12-20"}
    sheet.append([example.get(h, "") for h in headings])
    _style(sheet, widths=[16] * len(headings))
    notes = book.create_sheet("说明")
    notes.append(["列名 column", "含义 meaning", "格式 format", "记入的行为及条款 act (clause of 004)"])
    for key, (meaning, form, act) in COLUMN_NOTES.items():
        if key == "plan_submitted_on":
            for item in items:
                notes.append([f"{item.name_zh}{ITEM_SUBMITTED}", f"延续矿山向{item.department.label_zh}提交《{item.name_zh}》之日",
                              DATE, f"{item.clause} SubmitDocument"])
                notes.append([f"{item.name_zh}{ITEM_APPROVED}", f"《{item.name_zh}》批准之日"
                              + ("（联合审批认定经县政府研究同意）" if item.joint_determination else ""),
                              DATE, f"{item.clause} RecordReview（{item.department.label_zh}）"])
        notes.append([heading(key), meaning, form, act])
    notes.append([])
    notes.append(["导出的台账另有“处置路径、阶段、下一期限、期限事项、逾期天数”等列，导入时不读 / "
                  "the export's extra columns are ignored on import"])
    _style(notes, widths=[24, 60, 28, 40])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
