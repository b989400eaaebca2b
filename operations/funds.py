"""A mine's restoration fund (矿山地质环境治理恢复基金) and 保证金 (issue 14 item 5, seed 000): amounts due,
paid, used and released, in yuan, recorded by the office.

An entry must add up, or nothing is stored: no amount is negative or over 10¹² yuan; used + released ≤ paid
(money not paid in can be neither spent nor given back); paid ≤ due unless the note says why (an overpayment
is recorded only with an explanation). The case must exist.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from casefile.tables import CaseRecord, FundRecord
from models.errors import MinecaseError
from operations.cases import CaseNotFound

KINDS = {"fund": ("矿山地质环境治理恢复基金", "mine restoration fund"), "bond": ("保证金", "restoration bond")}
AMOUNTS = ("due", "paid", "used", "released")
AMOUNT_ZH = {"due": "应缴", "paid": "已缴", "used": "已使用", "released": "已返还"}
MAX_AMOUNT = 1e12


class FundRefused(MinecaseError):
    """Fund amounts that do not add up (422): nothing is stored."""


class FundCaseNotFound(CaseNotFound):
    """No case with that permit number (404)."""


def _amount(name: str, value: Any) -> float:
    try:
        number = float(value if value not in (None, "") else 0)
    except (TypeError, ValueError):
        raise FundRefused(f"{AMOUNT_ZH[name]}金额应为数字：{value!r}", f"the amount {name} must be a number: {value!r}") from None
    if not math.isfinite(number) or number < 0 or number > MAX_AMOUNT:
        raise FundRefused(f"{AMOUNT_ZH[name]}金额应在 0 至 10¹² 元之间：{value!r}",
                          f"the amount {name} must be between 0 and 10¹² yuan: {value!r}")
    return round(number, 2)


def check_amounts(kind: str, values: dict[str, Any], note: str = "") -> dict[str, float]:
    """The amounts, checked: a FundRefused naming what does not add up."""
    if kind not in KINDS:
        raise FundRefused(f"资金类别应为 fund（治理恢复基金）或 bond（保证金），而不是 {kind!r}",
                          f"the kind must be fund (restoration fund) or bond, not {kind!r}")
    amounts = {name: _amount(name, values.get(name)) for name in AMOUNTS}
    label = KINDS[kind][0]
    if amounts["used"] + amounts["released"] > amounts["paid"]:
        raise FundRefused(
            f"{label}：已使用（{amounts['used']:g}）与已返还（{amounts['released']:g}）之和超过已缴（{amounts['paid']:g}），未保存",
            f"{KINDS[kind][1]}: used ({amounts['used']:g}) plus released ({amounts['released']:g}) exceed paid "
            f"({amounts['paid']:g}); nothing stored")
    if amounts["paid"] > amounts["due"] and not note.strip():
        raise FundRefused(
            f"{label}：已缴（{amounts['paid']:g}）超过应缴（{amounts['due']:g}），请在备注中说明，未保存",
            f"{KINDS[kind][1]}: paid ({amounts['paid']:g}) exceeds due ({amounts['due']:g}); explain it in the note; nothing stored")
    return amounts


def record_fund(engine: Engine, permit_no: str, kind: str, values: dict[str, Any], by: str, note: str = "",
                now: dt.datetime | None = None) -> dict[str, Any]:
    note = (note or "").strip()[:500]
    amounts = check_amounts(kind, values, note)
    with Session(engine) as session:
        if session.get(CaseRecord, permit_no) is None:
            raise FundCaseNotFound(f"没有采矿许可证号为 {permit_no} 的案件", f"no case with permit number {permit_no}")
        record = FundRecord(permit_no=permit_no, kind=kind, note=note, updated_at=(now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC),
                            updated_by=by, **amounts)
        session.merge(record)
        session.commit()
    return fund_row(record)


def fund_row(record: FundRecord) -> dict[str, Any]:
    zh, en = KINDS.get(record.kind, (record.kind, record.kind))
    return {"permit_no": record.permit_no, "kind": record.kind, "label_zh": zh, "label_en": en,
            **{name: getattr(record, name) for name in AMOUNTS},
            "held": round(record.paid - record.used - record.released, 2), "owed": round(max(record.due - record.paid, 0.0), 2),
            "note": record.note, "updated_by": record.updated_by,
            "updated_at": record.updated_at.isoformat() if record.updated_at else None}


def funds_of(engine: Engine, permit_no: str) -> list[dict[str, Any]]:
    with Session(engine) as session:
        rows = session.exec(select(FundRecord).where(FundRecord.permit_no == permit_no).order_by(FundRecord.kind.desc()))  # type: ignore[attr-defined]
        return [fund_row(r) for r in rows]


def all_funds(engine: Engine) -> dict[str, dict[str, FundRecord]]:
    """Every mine's funds, by permit number and kind (for the ledger export)."""
    out: dict[str, dict[str, FundRecord]] = {}
    with Session(engine) as session:
        for r in session.exec(select(FundRecord)):
            out.setdefault(r.permit_no, {})[r.kind] = r
    return out
