"""Holiday schedules loaded by the office (State Council notices), kept in the case file database.

A loaded schedule wins over the chinese-calendar package for its year (see ``models.calendar``).
The file format is described in ``docs/holiday-schedule.md``.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import JSON, Column, DateTime
from sqlalchemy.engine import Engine
from sqlmodel import Field as SQLField
from sqlmodel import Session, SQLModel, col, select

from models.calendar import YearSchedule
from models.errors import CalendarError


class HolidayYear(SQLModel, table=True):
    """One year's loaded schedule; loading a year again replaces it."""

    __tablename__ = "holiday_year"

    year: int = SQLField(primary_key=True, sa_column_kwargs={"autoincrement": False})
    holidays: dict[str, str] = SQLField(default_factory=dict, sa_column=Column(JSON, nullable=False))
    """ISO date → holiday name."""
    workdays: list[str] = SQLField(default_factory=list, sa_column=Column(JSON, nullable=False))
    """ISO dates of make-up working days."""
    source: str = ""
    loaded_at: datetime = SQLField(
        default_factory=lambda: datetime.now(UTC),
        sa_column=Column(DateTime(timezone=True), nullable=False),
    )


def save_schedule(engine: Engine, schedule: YearSchedule) -> None:
    """Store ``schedule``, replacing any schedule already loaded for its year."""
    row = HolidayYear(
        year=schedule.year,
        holidays={d.isoformat(): name for d, name in sorted(schedule.holidays.items())},
        workdays=[d.isoformat() for d in schedule.workdays],
        source=schedule.source,
    )
    with Session(engine) as session:
        session.merge(row)
        session.commit()


def load_schedules(engine: Engine) -> list[YearSchedule]:
    """Every loaded schedule, by year."""
    with Session(engine) as session:
        rows = session.exec(select(HolidayYear).order_by(col(HolidayYear.year))).all()
        return [
            YearSchedule(year=r.year, holidays=r.holidays, workdays=r.workdays, source=r.source)
            for r in rows
        ]


# -- the schedule file -----------------------------------------------------------------------------


class _Holiday(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    from_: date = Field(alias="from")
    to: date | None = None
    workdays: list[date] = []


class _ScheduleFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    year: int
    source: str = ""
    note: str = ""
    holidays: list[_Holiday]


def _days(file: _ScheduleFile, bad: Callable[[str, str], CalendarError]) -> tuple[dict[date, str], list[date]]:
    """The rest days (each with its holiday's name) and the make-up working days the file lists."""
    holidays: dict[date, str] = {}
    workdays: list[date] = []
    for h in file.holidays:
        to = h.to or h.from_
        if to < h.from_:
            raise bad(f"{h.name} 的结束日 {to} 早于开始日 {h.from_}", f"{h.name} ends ({to}) before it starts")
        for n in range((to - h.from_).days + 1):
            d = h.from_ + timedelta(days=n)
            if d in holidays:
                raise bad(f"{d} 同时列在 {holidays[d]} 和 {h.name} 中", f"{d} is in both {holidays[d]} and {h.name}")
            holidays[d] = h.name
        for d in h.workdays:
            if d in workdays:
                raise bad(f"调休上班日 {d} 重复列出", f"make-up working day {d} is listed twice")
            workdays.append(d)
    return holidays, workdays


def parse_schedule_file(path: str | Path) -> YearSchedule:
    """Read a schedule file (``.json`` or ``.toml``); raises CalendarError naming what is wrong."""
    path = Path(path)

    def bad(zh: str, en: str) -> CalendarError:
        return CalendarError(f"节假日安排文件 {path} 有误：{zh}", f"bad holiday schedule file {path}: {en}")

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CalendarError(f"找不到文件 {path}", f"file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise CalendarError(f"无法读取文件 {path}", f"cannot read {path}: {e}") from None
    try:
        data = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as e:
        raise bad("格式无法解析", f"not valid {path.suffix.lstrip('.').upper() or 'JSON'}: {e}") from None

    try:
        file = _ScheduleFile.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "(top)"
        raise bad(f"{where} 项不正确", f"{where}: {err['msg']}") from None

    holidays, workdays = _days(file, bad)
    try:
        return YearSchedule(year=file.year, holidays=holidays, workdays=workdays, source=file.source)
    except ValidationError as e:
        cause = e.errors()[0].get("ctx", {}).get("error")
        if isinstance(cause, CalendarError):
            raise bad(cause.zh, cause.en) from None
        raise bad("内容不正确", str(e).splitlines()[0]) from None  # pragma: no cover - checks raise CalendarError
