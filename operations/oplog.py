"""The operation log (操作日志, issue 18 item 7): every sign-in and every action, who, from where, when, what
and how it ended.

One row of ``casefile.tables.OpLogRecord`` per unsafe request to the desk or its API (a sign-in or sign-out,
an action on a case, a registration, a ledger import, an urge, a change of users; anything else unsafe is
logged too, as ``request``) and per action sent from the command line. The request's entry (``Entry``) is
opened by the ASGI middleware ``api.audit.OperationLog`` and held in a context variable; what knows more
fills it in: the session the user (``note_user``), a sign-in the name it tried (``note_attempt``), the
desk a refusal and its reason (``note_refusal``). The middleware writes it once the response has gone
out, off the event loop. Writing never decides the request: a failed write is logged loudly
(``minecase.oplog`` at ERROR, with the whole entry) and the user's action stands.

Instants are stored in UTC and shown in China Standard Time. Only the office reads the log.
"""

from __future__ import annotations

import contextvars
import dataclasses
import datetime as dt
import getpass
import io
import json
import logging
import math
import re
import socket
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from casefile.tables import OpLogRecord
from casefile.times import CST, from_db, to_db
from casefile.users import DeskSession, UserRecord
from models.errors import MinecaseError
from models.roles import Actor, Role
from operations.permissions import Forbidden

log = logging.getLogger("minecase.oplog")

OUTCOMES = ("ok", "refused", "error")
CHANNELS = ("api", "desk", "cli")
PATH_CHARS = 300
REASON_CHARS = 300
PAGE_SIZE = 50
PAGE_SIZE_MAX = 200
EXPORT_ROWS_MAX = 50_000
"""An export holds at most this many rows (the newest): narrow the dates for more."""

OUTCOME_LABELS = {"ok": ("成功", "ok"), "refused": ("拒绝", "refused"), "error": ("出错", "error")}
CHANNEL_LABELS = {"api": ("接口", "API"), "desk": ("网页", "desk"), "cli": ("命令行", "command line")}


@dataclass
class Entry:
    """One operation as it happens: filled in while the request runs, written when it has ended."""

    channel: str
    method: str
    path: str
    action: str
    at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    address: str | None = None
    permit_no: str | None = None
    user_name: str | None = None
    role: str | None = None
    unit: str | None = None
    user_known: bool = False
    """The user was noted from the session or a sign-in (else the middleware looks the session up)."""
    attempted: bool = False
    """A sign-in named the user: the session's user does not replace it."""
    outcome: str | None = None
    status: int | None = None
    reason_zh: str = ""
    reason_en: str = ""

    def by(self, user: UserRecord) -> None:
        self.user_name, self.role, self.unit = user.name, user.role, unit_of(user.role, user.township, user.department,
                                                                             user.permit_no)
        self.user_known = True

    def refuse(self, zh: str, en: str, outcome: str = "refused") -> None:
        """The first reason given is kept (a refusal noted by the desk, then seen again by the error handler)."""
        if self.outcome is None:
            self.outcome, self.reason_zh, self.reason_en = outcome, zh[:REASON_CHARS], en[:REASON_CHARS]

    def finish(self, status: int | None) -> None:
        """Settle the outcome from the status, unless a refusal was noted: a 5xx is an error, a 4xx a refusal."""
        self.status = status
        if status is not None and status >= 500:
            self.outcome = "error"
        elif self.outcome is None:
            self.outcome = "refused" if status is None or status >= 400 else "ok"

    def record(self) -> OpLogRecord:
        return OpLogRecord(at=to_db(self.at), channel=self.channel, action=self.action[:60], method=self.method[:10],
                           path=self.path[:PATH_CHARS], user_name=_cut(self.user_name, 50), role=self.role,
                           unit=_cut(self.unit, 100), address=_cut(self.address, 100), permit_no=_cut(self.permit_no, 64),
                           outcome=self.outcome or "error", status=self.status, reason_zh=self.reason_zh,
                           reason_en=self.reason_en)


def _cut(text: str | None, limit: int) -> str | None:
    return text[:limit] if text is not None else None


def unit_of(role: str | None, township: str | None, department: str | None, permit_no: str | None) -> str | None:
    """The unit a user acts for: a township's name, a department's code, a holder's permit."""
    if role == Role.township.value:
        return township
    if role == Role.department.value:
        return department
    if role == Role.holder.value:
        return permit_no
    return None


_current: contextvars.ContextVar[Entry | None] = contextvars.ContextVar("minecase_oplog_entry", default=None)


def open_entry(entry: Entry) -> contextvars.Token[Entry | None]:
    return _current.set(entry)


def close_entry(token: contextvars.Token[Entry | None]) -> None:
    _current.reset(token)


def current() -> Entry | None:
    return _current.get()


def note_user(user: UserRecord) -> None:
    """The request's user (the session resolved it); a sign-in keeps the name it tried (a failed sign-in page is
    rendered for whoever the session still is)."""
    entry = _current.get()
    if entry is not None and not entry.attempted:
        entry.by(user)


def note_signed_in(user: UserRecord) -> None:
    entry = _current.get()
    if entry is not None:
        entry.by(user)


def note_attempt(name: str) -> None:
    """The name a sign-in tried (kept if the sign-in fails)."""
    entry = _current.get()
    if entry is not None:  # whoever the session was, a sign-in is logged under the name it tried
        entry.user_name, entry.role, entry.unit, entry.user_known = name.strip()[:50] or None, None, None, True
        entry.attempted = True


def note_refusal(error: MinecaseError) -> None:
    entry = _current.get()
    if entry is not None:
        entry.refuse(error.zh, error.en)


def note_session(engine: Engine, session_id: str) -> None:
    """The user of a session about to end (a sign-out: afterwards the session cannot tell)."""
    entry = _current.get()
    if entry is None or entry.user_known:
        return
    user = session_user(engine, session_id)
    if user is not None:
        entry.by(user)


def session_user(engine: Engine, session_id: str) -> UserRecord | None:
    """The user of a session row, without touching it (no last-seen update, no revocation)."""
    from casefile.users import _hash_id

    with Session(engine) as db:
        row = db.get(DeskSession, _hash_id(session_id))
        return db.get(UserRecord, row.user_name) if row is not None else None


# --- which requests are operations -----------------------------------------------------------------

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_RULES: tuple[tuple[frozenset[str], re.Pattern[str], str], ...] = (
    (frozenset({"POST"}), re.compile(r"^/(?:api/session|login)$"), "sign_in"),
    (frozenset({"DELETE"}), re.compile(r"^/api/session$"), "sign_out"),
    (frozenset({"POST"}), re.compile(r"^/logout$"), "sign_out"),
    (frozenset({"POST"}), re.compile(r"^/api/cases$"), "register"),
    (frozenset({"POST"}), re.compile(r"^/api/cases/(?P<permit>[^/]+)/(?P<verb>[a-z_]+)$"), "{verb}"),
    (frozenset({"POST"}), re.compile(r"^/cases/(?P<permit>[^/]+)/act/(?P<verb>[^/]+)$"), "{verb}"),
    (frozenset({"POST"}), re.compile(r"^/(?:api/)?ledger$"), "ledger_import"),
    (frozenset({"POST"}), re.compile(r"^/(?:api/urges|inbox/urge)$"), "urge"),
    (UNSAFE, re.compile(r"^/(?:api/)?users(?:/|$)"), "users"),
)


def classify(method: str, path: str) -> tuple[str, str | None] | None:
    """``(action, permit_no)`` of a request that is an operation; ``None`` for a read (a safe method)."""
    if method not in UNSAFE:
        return None
    for methods, pattern, action in _RULES:
        found = pattern.match(path) if method in methods else None
        if found is None:
            continue
        groups = found.groupdict()
        permit = groups.get("permit")
        return (action.format(verb=(groups.get("verb") or "")[:40]),
                permit.strip().upper()[:64] if permit else None)
    return "request", None


# --- writing ---------------------------------------------------------------------------------------


def write(engine: Engine, entry: Entry) -> None:
    with Session(engine) as db:
        db.add(entry.record())
        db.commit()


def record(engine: Engine | None, entry: Entry) -> bool:
    """Write ``entry``; never raises. A failure is logged at ERROR with the whole entry, so that the
    operation is not lost from the server's log either. True when written."""
    try:
        if engine is None:
            raise RuntimeError("no case file")
        write(engine, entry)
        return True
    except Exception as error:  # noqa: BLE001 - the log must never break the operation it records
        log.error("OPERATION LOG WRITE FAILED (%s: %s); the operation stands; entry: %s", type(error).__name__, error,
                  json.dumps(asdict(entry), default=str, ensure_ascii=False))
        return False


def cli_entry(actor: Actor, verb: str, permit_no: str) -> Entry:
    """An entry for an input sent from the command line, in the name of ``actor`` (``--by`` and the unit options)."""
    try:
        address = f"{getpass.getuser()}@{socket.gethostname()}"
    except Exception:  # noqa: BLE001 - no user name in this environment
        address = socket.gethostname()
    return Entry(channel="cli", method="CLI", path=f"minecase {verb.replace('_', '-')} {permit_no}", action=verb,
                 address=address, permit_no=permit_no.strip().upper()[:64], user_name=actor.name[:50],
                 role=actor.role.value,
                 unit=unit_of(actor.role.value, actor.township, actor.department.value if actor.department else None, None),
                 user_known=True)


# --- reading (the office) --------------------------------------------------------------------------


def check_may_read_oplog(user: UserRecord) -> None:
    if Role(user.role) != Role.office:
        raise Forbidden("只有领导小组办公室可以查看操作日志", "only the office reads the operation log")


class BadOplogRequest(MinecaseError):
    """A filter or page of the log that does not exist (422)."""


@dataclass(frozen=True)
class Filters:
    user: str | None = None
    outcome: str | None = None
    since: dt.date | None = None
    """From this day (China Standard Time), inclusive."""
    until: dt.date | None = None
    """To this day (China Standard Time), inclusive."""
    county: str | None = None
    """The entries of that county's users only (the office of one county in a province deployment: docs/province.md)."""

    def checked(self) -> Filters:
        if self.outcome is not None and self.outcome not in OUTCOMES:
            raise BadOplogRequest(f"结果应为 {'、'.join(OUTCOMES)} 之一", f"outcome must be one of {', '.join(OUTCOMES)}")
        return self

    def where(self, query: Any) -> Any:
        """The filters as SQL; a first day after the last day finds nothing. Days at the ends of the calendar
        (0001-01-01, 9999-12-31) mean no bound: their China midnight has no UTC instant."""
        if self.user:
            query = query.where(OpLogRecord.user_name == self.user)
        if self.county:
            query = query.where(col(OpLogRecord.user_name).in_(select(UserRecord.name).where(UserRecord.county == self.county)))
        if self.outcome:
            query = query.where(OpLogRecord.outcome == self.outcome)
        if self.since and (start := _utc_midnight(self.since)) is not None:
            query = query.where(col(OpLogRecord.at) >= start)
        if self.until and (end := _utc_midnight(self.until, days_after=1)) is not None:
            query = query.where(col(OpLogRecord.at) < end)
        return query


def _utc_midnight(day: dt.date, days_after: int = 0) -> dt.datetime | None:
    """The UTC instant of China midnight at the start of ``day`` (plus ``days_after``); None past the calendar."""
    try:
        return to_db(dt.datetime.combine(day, dt.time(), CST) + dt.timedelta(days=days_after))
    except OverflowError:
        return None


def parse_day(text: str | None, what: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise BadOplogRequest(f"{what}日期无效，应为 YYYY-MM-DD", f"{what}: not a date (YYYY-MM-DD)") from None


def row_of(record: OpLogRecord) -> dict[str, Any]:
    at = from_db(record.at)
    assert at is not None
    return {"id": record.id, "at": at.isoformat(timespec="seconds"), "channel": record.channel, "action": record.action,
            "method": record.method, "path": record.path, "user": record.user_name, "role": record.role,
            "unit": record.unit, "address": record.address, "permit_no": record.permit_no, "outcome": record.outcome,
            "status": record.status, "reason": {"zh": record.reason_zh, "en": record.reason_en}}


def page_of(engine: Engine, user: UserRecord, filters: Filters, page: int = 1, page_size: int = PAGE_SIZE) -> dict[str, Any]:
    """One page of the log, newest first: ``{"total", "page", "page_size", "pages", "entries"}`` (office only)."""
    check_may_read_oplog(user)
    filters = _of_county(filters.checked(), user)
    if page < 1 or not 1 <= page_size <= PAGE_SIZE_MAX:
        raise BadOplogRequest(f"页码应不小于 1，每页 1 到 {PAGE_SIZE_MAX} 条", f"page is at least 1, page_size 1 to {PAGE_SIZE_MAX}")
    with Session(engine) as db:
        total = db.exec(filters.where(select(func.count()).select_from(OpLogRecord))).one()
        pages = max(1, math.ceil(total / page_size))
        page = min(page, pages)
        rows = db.exec(filters.where(select(OpLogRecord)).order_by(col(OpLogRecord.at).desc(), col(OpLogRecord.id).desc())
                       .offset((page - 1) * page_size).limit(page_size)).all()
        return {"total": total, "page": page, "page_size": page_size, "pages": pages, "entries": [row_of(r) for r in rows]}


def _of_county(filters: Filters, user: UserRecord) -> Filters:
    """The filters held to the reader's county, when it has one."""
    return dataclasses.replace(filters, county=user.county) if user.county and user.role != "province" else filters


def _all(engine: Engine, filters: Filters) -> Iterator[OpLogRecord]:
    with Session(engine) as db:
        yield from db.exec(filters.where(select(OpLogRecord)).order_by(col(OpLogRecord.at).desc(), col(OpLogRecord.id).desc())
                           .limit(EXPORT_ROWS_MAX))


EXPORT_HEADINGS = ("时间（北京时间）time (CST)", "渠道 channel", "用户 user", "角色 role", "单位 unit", "地址 address",
                   "操作 action", "方法 method", "路径 path", "采矿许可证号 permit", "结果 outcome", "状态码 status",
                   "原因 reason", "reason (en)")


def export_xlsx(engine: Engine, user: UserRecord, filters: Filters) -> bytes:
    """The log (newest first, at most ``EXPORT_ROWS_MAX`` rows) as .xlsx, every cell a text written as the ledger
    export writes its cells (``operations.ledger.as_text``: no control characters, a formula-like text after a ``'``)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from operations.ledger import as_text

    check_may_read_oplog(user)
    filters = _of_county(filters.checked(), user)
    book = Workbook()
    sheet = book.active
    sheet.title = "操作日志"
    sheet.append(list(EXPORT_HEADINGS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for record in _all(engine, filters):
        at = from_db(record.at)
        values = [at.strftime("%Y-%m-%d %H:%M:%S") if at else "", record.channel, record.user_name, record.role, record.unit,
                  record.address, record.action, record.method, record.path, record.permit_no, record.outcome,
                  record.status, record.reason_zh, record.reason_en]
        sheet.append([as_text(str(value)) if value not in (None, "") else None for value in values])
        for cell in sheet[sheet.max_row]:
            if cell.value is not None:
                cell.data_type = "s"  # a status, a date stays text: nothing is read as a number, date or formula
    for letter, width in zip("ABCDEFGHIJKLMN", (20, 8, 14, 10, 14, 16, 20, 8, 40, 26, 8, 8, 40, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def noting_refusals(method: Any) -> Any:
    """Decorate a desk operation: a ``MinecaseError`` it raises is noted as the request's refusal (a web form
    catches it to flash it, so the response alone would not say it was refused)."""
    import functools
    import inspect

    if inspect.iscoroutinefunction(method):
        @functools.wraps(method)
        async def run_async(*args: Any, **kwargs: Any) -> Any:
            try:
                return await method(*args, **kwargs)
            except MinecaseError as error:
                note_refusal(error)
                raise
        return run_async

    @functools.wraps(method)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except MinecaseError as error:
            note_refusal(error)
            raise
    return run
