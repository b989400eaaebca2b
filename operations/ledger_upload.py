"""A ledger (台账) uploaded at the desk: the file is saved to a temporary file (its suffix kept,
since ``parse_ledger`` reads by suffix) and checked row by row; after its good rows are registered,
the report says, in Chinese and English, what was created, what was there already and what was
rejected and why. No HTTP here: the source is any binary file object (the API's and the web page's
uploads alike)."""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from models.bounds import echo
from models.errors import MinecaseError
from models.policy import CampaignPolicy
from operations.ledger import COLUMNS, LedgerError, ParsedLedger, parse_ledger
from operations.ledger_history import Taken

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_REPORTED_ROWS = 200
"""Rejected rows a report lists with their reasons; it counts the others (``rejected_count``)."""
SUFFIXES = (".xlsx", ".xlsm", ".csv")


class TooLarge(MinecaseError):
    """An upload over ``MAX_UPLOAD_BYTES`` (413)."""


# --- the uploaded file ---------------------------------------------------------------------------------


def suffix_of(filename: str | None) -> str:
    """The upload's suffix when it is one a ledger may have, else ``.unknown`` (``parse_ledger`` refuses it)."""
    suffix = Path(filename or "").suffix.lower()
    return suffix if suffix in SUFFIXES else ".unknown"


def save_upload(source: BinaryIO, directory: Path, filename: str | None) -> Path:
    """Copy the upload into ``directory`` as ``ledger<suffix>``, at most ``MAX_UPLOAD_BYTES``.

    A .csv saved by Excel in the GB18030 family (as Chinese offices' Excel does) is rewritten as UTF-8.
    """
    target = directory / f"ledger{suffix_of(filename)}"
    size = 0
    with open(target, "wb") as out:
        while chunk := source.read(1024 * 1024):
            size += len(chunk)
            if size > MAX_UPLOAD_BYTES:
                megabytes = MAX_UPLOAD_BYTES // (1024 * 1024)
                raise TooLarge(f"文件超过 {megabytes} MB", f"the file is over {megabytes} MB")
            out.write(chunk)
    if size == 0:
        raise LedgerError("上传的文件是空的", "the uploaded file is empty")
    if target.suffix == ".csv":
        raw = target.read_bytes()
        try:
            raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                target.write_text(raw.decode("gb18030"), encoding="utf-8")
            except UnicodeDecodeError:
                raise LedgerError("无法识别 CSV 文件的编码（应为 UTF-8 或 GBK）", "cannot read the CSV's encoding (UTF-8 or GBK)") from None
    return target


def parse_upload(source: BinaryIO, filename: str | None, policy: CampaignPolicy | None = None,
                 townships: Collection[str] = ()) -> ParsedLedger:
    """Save the upload to a temporary file and check every row (nothing is registered here); ``townships``: the
    campaign's dictionary the rows' townships are checked against."""
    with tempfile.TemporaryDirectory(prefix="minecase-ledger-") as tmp:
        path = save_upload(source, Path(tmp), filename)
        try:
            return parse_ledger(path, policy, townships=townships)
        except (csv.Error, UnicodeDecodeError, ValueError) as error:
            raise LedgerError(f"无法读取台账：{echo(error, 200)}", f"cannot read the ledger: {echo(error, 200)}") from None


# --- the report ------------------------------------------------------------------------------------------

_LABELS = {aliases[0]: name for name, aliases in COLUMNS.items()}
_PYDANTIC_ZH = (
    (re.compile(r"String should have at least 1 character"), lambda m: "不能为空"),
    (re.compile(r"String should have at most (\d+) characters?"), lambda m: f"不能超过{m[1]}个字"),
    (re.compile(r"Input should be greater than or equal to (\S+)"), lambda m: f"不能小于{m[1]}"),
    (re.compile(r"Input should be less than or equal to (\S+)"), lambda m: f"不能大于{m[1]}"),
    (re.compile(r"Input should be a valid number.*"), lambda m: "应为数字"),
)


def reason_texts(reason: str) -> dict[str, str]:
    """One reason ``parse_ledger`` gives, as ``{"zh", "en"}``.

    Its reasons are ``中文 / English``, or ``列名：message`` with pydantic's English message.
    """
    if " / " in reason:
        zh, _, en = reason.rpartition(" / ")
        label, sep, message = zh.partition("：")
        if sep and message.startswith(label):  # "采矿许可证号：采矿许可证号应为…": say it once
            zh = message
        return {"zh": zh.strip(), "en": en.strip()}
    label, sep, message = reason.partition("：")
    if sep:
        for pattern, to_zh in _PYDANTIC_ZH:
            match = pattern.fullmatch(message.strip())
            if match:
                return {"zh": f"{label}{to_zh(match)}", "en": f"{_LABELS.get(label, label)}: {message}"}
        return {"zh": reason, "en": f"{_LABELS.get(label, label)}: {message}"}
    return {"zh": reason, "en": reason}


@dataclass
class ImportReport:
    """What an import did (or, checked, would do): every row is registered (new or already there; with its
    history, the stage it reached and the consequences now awaiting a decision) or rejected with its reasons."""

    created: int = 0
    existing: int = 0
    check: bool = False
    checked: int = 0
    """Rows that passed every check (``check``: nothing was registered)."""
    registered: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    """The first ``MAX_REPORTED_ROWS`` rejected rows, with their reasons."""
    rejected_count: int = 0
    """Every rejected row, listed or not."""

    def as_dict(self) -> dict[str, Any]:
        return {"created": self.created, "existing": self.existing, "rejected_count": self.rejected_count, "check": self.check,
                "checked": self.checked, "registered": self.registered, "rejected": self.rejected}

    @classmethod
    def of(cls, taken: Taken) -> ImportReport:
        report = cls(check=taken.check)
        for row in taken.rows:
            if row.status == "refused":
                report.rejected_count += 1
                if len(report.rejected) >= MAX_REPORTED_ROWS:
                    continue
                report.rejected.append({"row": row.row, "permit_no": row.permit_no, "reasons": [reason_texts(x) for x in row.reasons]})
                continue
            created = row.status in ("taken_in", "partial")
            report.created += created
            report.existing += row.status == "existing"
            report.checked += row.status == "checked"
            report.registered.append({
                "row": row.row, "permit_no": row.permit_no, "mine_name": row.mine_name, "township": row.township,
                "created": created, "status": row.status, "stage": row.stage, "stage_label_zh": row.stage_label_zh,
                "acts": row.acts, "proposals": [p.model_dump() for p in row.proposals],
                "notes": [reason_texts(x) for x in row.reasons],
            })
        return report
