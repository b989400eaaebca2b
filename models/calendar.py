"""The statutory calendar: on which day a period ends (Civil Code arts. 201–203).

- The day a period starts is not counted (art. 201).
- A month period ends on the corresponding day of its last month, or on that month's last day when it
  has none (art. 202).
- When the last day is a statutory rest day (法定休假日: a public holiday, or a Saturday or Sunday that
  is not a make-up working day), the period ends on the first working day after it (art. 203).
- The last day ends at 24:00 China Standard Time: the case is overdue from 00:00 +08:00 the day after.
- Working-day periods count working days after the start day (make-up working days count).
- Fixed campaign dates are taken as given unless the policy asks to roll them.

Holiday data: schedules passed in (loaded by the office, see ``casefile.holidays``) win for their year;
otherwise the ``chinese-calendar`` package. A deadline whose computation looks at a day of a year that
neither knows is computed with the holidays 《全国年节及纪念日放假办法》 itself fixes (``statutory_holidays``:
元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节) and weekends, and marked provisional: the State
Council's arrangement (调休) can still move rest days and add make-up working days. So is one that looks
at a day in the last week of December while the next year's schedule is unknown: the next year's New
Year arrangement can turn those days into holidays or make-up working days (2018-12-31 was one).

Pure: no I/O beyond chinese-calendar's and lunardate's bundled data.
"""

from __future__ import annotations

import calendar as _gregorian
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta, timezone
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from typing import Literal, NamedTuple

import chinese_calendar
from lunardate import LunarDate
from pydantic import BaseModel, model_validator

from models.errors import CalendarError

__all__ = [
    "CST",
    "CalendarError",
    "Deadline",
    "Period",
    "StatutoryCalendar",
    "YearSchedule",
    "holiday_label",
    "overdue_instant",
    "package_schedule",
    "recompute",
    "statutory_holidays",
    "weekday_label",
]

CST = timezone(timedelta(hours=8))

UNITS = ("months", "days", "working_days", "fixed")

# chinese-calendar names its holidays in English; the Chinese name goes first in anything we show.
_HOLIDAY_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
_WEEKDAYS = (
    ("星期一", "Monday"),
    ("星期二", "Tuesday"),
    ("星期三", "Wednesday"),
    ("星期四", "Thursday"),
    ("星期五", "Friday"),
    ("星期六", "Saturday"),
    ("星期日", "Sunday"),
)
_NEW_YEAR_REACH = 25
"""From this day of December on, a day may still be changed by the next year's New Year arrangement."""


def holiday_label(name: str) -> str:
    """``"National Day"`` → ``"国庆节 National Day"``; other names (already bilingual) unchanged."""
    zh = _HOLIDAY_ZH.get(name)
    return f"{zh} {name}" if zh else name


def weekday_label(d: date) -> str:
    zh, en = _WEEKDAYS[d.weekday()]
    return f"{zh} {en}"


class YearSchedule(BaseModel):
    """One year's holidays and make-up working days, as published by the State Council.

    The notice for year Y may reach back into December of Y-1 (New Year arrangements), so dates from
    Y-1-12-01 to Y-12-31 are accepted.
    """

    year: int
    holidays: dict[date, str]
    """Statutory holiday (rest) days → holiday name, e.g. ``"国庆节 National Day"``."""
    workdays: list[date] = []
    """Make-up working days (调休上班日): Saturdays or Sundays that are working days."""
    source: str = ""
    """Where the schedule comes from, e.g. the State Council notice number."""

    @model_validator(mode="after")
    def _check(self) -> YearSchedule:
        y = self.year
        if not 1 < y < 9999:
            raise CalendarError(f"年份 {y} 不合理", f"year {y} is out of range")
        first, last = date(y - 1, 12, 1), date(y, 12, 31)
        for d in sorted({*self.holidays, *self.workdays}):
            if not first <= d <= last:
                raise CalendarError(
                    f"{d} 不在 {y} 年安排的范围内（{first} 至 {last}）",
                    f"{d} is outside the {y} schedule ({first} to {last})",
                )
        self.workdays = sorted(set(self.workdays))
        for d in self.workdays:
            if d in self.holidays:
                raise CalendarError(
                    f"{d} 既是假日又是调休上班日", f"{d} is both a holiday and a make-up working day"
                )
            if d.weekday() < 5:
                raise CalendarError(
                    f"调休上班日 {d} 是{_WEEKDAYS[d.weekday()][0]}，应为周六或周日",
                    f"make-up working day {d} is a {_WEEKDAYS[d.weekday()][1]}, not a Saturday or Sunday",
                )
        return self


class Period(BaseModel):
    """How a deadline is computed; enough to recompute it later."""

    unit: Literal["months", "days", "working_days", "fixed"]
    amount: int = 0
    fixed_date: date | None = None
    """For ``unit == "fixed"``."""
    roll_fixed: bool = False
    """Policy option: move a fixed date that falls on a rest day to the next working day (default off)."""


class Deadline(BaseModel):
    start: date | None
    """None for fixed dates."""
    period: Period
    last_day: date
    overdue_from: datetime
    """00:00 +08:00 of the day after ``last_day``."""
    provisional: bool = False
    provisional_reason: str | None = None
    moved_from: date | None = None
    """The unadjusted last day, when it was a rest day and the period was moved."""
    move_reason: str | None = None
    """Why: the rest day and its holiday, e.g. ``2024-10-01 国庆节 National Day (法定休假日 statutory rest day)``."""


class _Day(NamedTuple):
    rest: bool
    reason: str | None  # why it is a rest day
    unknown_year: int | None  # a year without holiday data this day's status depends on


def _package_version() -> str:
    try:
        return version("chinese-calendar")
    except PackageNotFoundError:  # pragma: no cover - installed without metadata
        return "?"


@cache
def _package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_holiday(date(year, 6, 1))
    except (NotImplementedError, ValueError):
        return False
    return True


def package_schedule(year: int) -> YearSchedule | None:
    """The days of calendar year ``year`` as chinese-calendar knows them, or None without data."""
    if not _package_knows(year):
        return None
    return YearSchedule(
        year=year,
        holidays={d: holiday_label(n) for d, n in chinese_calendar.holidays.items() if d.year == year},
        workdays=[d for d in chinese_calendar.workdays if d.year == year],
        source=f"chinese-calendar {_package_version()}",
    )


# -- the statutory holidays themselves, for years without a schedule ------------------------------


class _HolidayAct(NamedTuple):
    """One text of 《全国年节及纪念日放假办法》: the holidays of all citizens (全体公民放假的节日), art. 2."""

    in_force: date
    decree: str
    spring_festival: tuple[int, ...]
    """Days counted from 正月初一 (0); -1 is 除夕, the day before it."""
    labour_day: tuple[int, ...]
    """Days of May."""
    national_day: tuple[int, ...]
    """Days of October."""
    traditional: bool
    """清明节, 端午节 and 中秋节, one day each (since 2008)."""


_HOLIDAY_ACTS = (  # newest first
    _HolidayAct(date(2025, 1, 1), "国务院令第795号", (-1, 0, 1, 2), (1, 2), (1, 2, 3), True),
    _HolidayAct(date(2014, 1, 1), "国务院令第644号", (0, 1, 2), (1,), (1, 2, 3), True),
    _HolidayAct(date(2008, 1, 1), "国务院令第513号", (-1, 0, 1), (1,), (1, 2, 3), True),
    _HolidayAct(date(1999, 9, 18), "国务院令第270号", (0, 1, 2), (1, 2, 3), (1, 2, 3), False),
)
_LUNAR_YEARS = range(1900, 2100)
"""Years whose lunar holidays and 清明 can be computed (lunardate's table; chinese-calendar's solar terms)."""


def _holiday_act(year: int) -> _HolidayAct | None:
    """The text in force at the end of ``year`` (only the 1999 text took effect within a year)."""
    return next((act for act in _HOLIDAY_ACTS if act.in_force <= date(year, 12, 31)), None)


def statutory_holidays(year: int) -> dict[date, str]:
    """The rest days that 《全国年节及纪念日放假办法》 itself fixes in ``year`` → holiday name.

    Only what the law fixes: 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节 and 国庆节 as the text in force
    says (1999, 2008, 2014 and 2025 texts), not the State Council's yearly arrangement (调休: moved rest
    days and make-up working days, 补假 for a holiday on a weekend). Lunar dates come from lunardate and
    清明 from chinese-calendar's solar terms, both tables or formulas shipped with the packages: no I/O.
    Outside 1900–2099 only the holidays on fixed Gregorian days are known. Empty before 1999-09-18.
    """
    return dict(_statutory_holidays(year))


@cache
def _statutory_holidays(year: int) -> dict[date, str]:
    act = _holiday_act(year)
    if act is None:
        return {}
    days: dict[date, list[str]] = {}

    def add(d: date, name: str) -> None:
        if d >= act.in_force:
            days.setdefault(d, []).append(name)

    add(date(year, 1, 1), "New Year's Day")
    if year in _LUNAR_YEARS:
        new_year = LunarDate(year, 1, 1).to_solar_date()
        for n in act.spring_festival:
            add(new_year + timedelta(days=n), "Spring Festival")
        if act.traditional:
            [qingming] = [d for d, term in chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 30))
                          if term == "清明"]
            add(qingming, "Tomb-sweeping Day")
            add(LunarDate(year, 5, 5).to_solar_date(), "Dragon Boat Festival")
            add(LunarDate(year, 8, 15).to_solar_date(), "Mid-autumn Festival")
    for n in act.labour_day:
        add(date(year, 5, n), "Labour Day")
    for n in act.national_day:
        add(date(year, 10, n), "National Day")
    return {d: _joint_label(names) for d, names in sorted(days.items())}


def _joint_label(names: list[str]) -> str:
    """``["Mid-autumn Festival", "National Day"]`` → ``"中秋节、国庆节 Mid-autumn Festival, National Day"``."""
    if len(names) == 1:
        return holiday_label(names[0])
    return f"{'、'.join(_HOLIDAY_ZH[n] for n in names)} {', '.join(names)}"


def _add_months(start: date, n: int) -> date:
    months = start.month - 1 + n
    year, month = start.year + months // 12, months % 12 + 1
    if year > 9999:
        raise OverflowError
    return date(year, month, min(start.day, _gregorian.monthrange(year, month)[1]))


def _overflow() -> CalendarError:
    return CalendarError("期间超出可计算的日期范围", "the period runs past the last date that can be computed")


class StatutoryCalendar:
    """Rest days and deadlines from loaded schedules, then chinese-calendar, then the law's holidays and weekends."""

    def __init__(self, schedules: Iterable[YearSchedule] = (), use_package: bool = True) -> None:
        self._schedules: dict[int, YearSchedule] = {s.year: s for s in schedules}  # last one of a year wins
        self._use_package = use_package
        self._holidays: dict[date, str] = {}
        self._workdays: set[date] = set()
        for s in sorted(self._schedules.values(), key=lambda s: s.year):  # a later notice wins a shared day
            for d, name in s.holidays.items():
                self._holidays[d] = name
                self._workdays.discard(d)
            for d in s.workdays:
                self._workdays.add(d)
                self._holidays.pop(d, None)

    # -- holiday data ------------------------------------------------------------------------------

    def knows_year(self, year: int) -> bool:
        return year in self._schedules or (self._use_package and _package_knows(year))

    def schedule(self, year: int) -> YearSchedule | None:
        """The loaded schedule of ``year``, else chinese-calendar's days of that year, else None."""
        if year in self._schedules:
            return self._schedules[year]
        return package_schedule(year) if self._use_package else None

    def is_rest_day(self, d: date) -> bool:
        """A holiday, or a Saturday or Sunday that is not a make-up working day."""
        return self._day(d).rest

    def _day(self, d: date) -> _Day:
        if d in self._holidays:
            return _Day(True, _holiday_reason(d, self._holidays[d]), None)
        if d in self._workdays:
            return _Day(False, None, None)
        if d.year not in self._schedules:
            if not (self._use_package and _package_knows(d.year)):
                return _provisional_day(d)
            is_holiday, name = chinese_calendar.get_holiday_detail(d)
            if name is not None:  # listed by the package: a holiday or a make-up working day
                return _Day(is_holiday, _holiday_reason(d, holiday_label(name)) if is_holiday else None, None)
        # An ordinary day. In the last week of December, next year's New Year arrangement may still change it.
        if d.month == 12 and d.day >= _NEW_YEAR_REACH and not self.knows_year(d.year + 1):
            return _weekend(d, d.year + 1)
        return _weekend(d, None)

    # -- deadlines ---------------------------------------------------------------------------------

    def compute(self, start: date | None, period: Period) -> Deadline:
        """The deadline of ``period`` counted from ``start`` (None for fixed dates)."""
        day = _check(start, period)  # the start, or the fixed date
        unknown: set[int] = set()
        try:
            if period.unit == "working_days":
                last = self._count_working_days(day, period.amount, unknown)
                return _deadline(start, period, last, unknown)
            if period.unit == "fixed":
                start, unadjusted = None, day
                if not period.roll_fixed:
                    return _deadline(None, period, unadjusted, unknown)
            elif period.unit == "months":
                unadjusted = _add_months(day, period.amount)
            else:
                unadjusted = day + timedelta(days=period.amount)
            last, reason = self._roll(unadjusted, unknown)
            return _deadline(start, period, last, unknown, unadjusted, reason)
        except OverflowError:
            raise _overflow() from None

    def add_months(self, start: date, n: int) -> Deadline:
        return self.compute(start, Period(unit="months", amount=n))

    def add_days(self, start: date, n: int) -> Deadline:
        return self.compute(start, Period(unit="days", amount=n))

    def add_working_days(self, start: date, n: int) -> Deadline:
        return self.compute(start, Period(unit="working_days", amount=n))

    def fixed(self, d: date, roll: bool = False) -> Deadline:
        return self.compute(None, Period(unit="fixed", fixed_date=d, roll_fixed=roll))

    def _roll(self, d: date, unknown: set[int]) -> tuple[date, str | None]:
        """The first working day on or after ``d``, and why ``d`` itself is a rest day."""
        reason = None
        while True:
            day = self._day(d)
            if day.unknown_year is not None:
                unknown.add(day.unknown_year)
            if not day.rest:
                return d, reason
            reason = reason or day.reason
            d += timedelta(days=1)

    def _count_working_days(self, start: date, n: int, unknown: set[int]) -> date:
        d = start
        while n:
            d += timedelta(days=1)
            day = self._day(d)
            if day.unknown_year is not None:
                unknown.add(day.unknown_year)
            if not day.rest:
                n -= 1
        return d


def _holiday_reason(d: date, name: str) -> str:
    return f"{d} {name} (法定休假日 statutory rest day)"


def _provisional_day(d: date) -> _Day:
    """A day of a year without holiday data: a rest day if the law makes it a holiday or it is a weekend."""
    name = _statutory_holidays(d.year).get(d)
    if name is not None:
        return _Day(True, _holiday_reason(d, name), d.year)
    return _weekend(d, d.year)


def _weekend(d: date, unknown_year: int | None) -> _Day:
    if d.weekday() < 5:
        return _Day(False, None, unknown_year)
    return _Day(True, f"{d} {weekday_label(d)} (周末休息日 weekend rest day)", unknown_year)


def _check(start: date | None, period: Period) -> date:
    """Refuse a period that cannot be computed; return the day it runs from (the fixed date for ``fixed``)."""
    if not isinstance(period, Period) or period.unit not in UNITS:
        unit = getattr(period, "unit", period)
        raise CalendarError(
            f"未知的期间单位 {unit!r}（可用：{'、'.join(UNITS)}）",
            f"unknown period unit {unit!r} (known: {', '.join(UNITS)})",
        )
    if period.unit == "fixed":
        if not isinstance(period.fixed_date, date):
            raise CalendarError("固定日期期间缺少日期", "a fixed-date period needs its date")
        if period.amount:
            raise CalendarError(
                f"固定日期期间不应有期间长度（收到 {period.amount}）",
                f"a fixed-date period has no length (got {period.amount})",
            )
        return period.fixed_date
    if not isinstance(start, date):
        raise CalendarError("该期间需要起算日", f"a {period.unit} period needs a start date")
    if period.fixed_date is not None:
        raise CalendarError(
            "只有固定日期期间才有固定日期", f"a {period.unit} period cannot also have a fixed date"
        )
    if not isinstance(period.amount, int) or period.amount < 1:
        raise CalendarError(
            f"期间长度须为正整数（收到 {period.amount}）",
            f"the period length must be a positive whole number (got {period.amount})",
        )
    return start


def _deadline(
    start: date | None,
    period: Period,
    last: date,
    unknown: set[int],
    unadjusted: date | None = None,
    move_reason: str | None = None,
) -> Deadline:
    moved = unadjusted is not None and unadjusted != last
    return Deadline(
        start=start,
        period=period,
        last_day=last,
        overdue_from=overdue_instant(last),
        provisional=bool(unknown),
        provisional_reason=_provisional_reason(unknown) if unknown else None,
        moved_from=unadjusted if moved else None,
        move_reason=move_reason if moved else None,
    )


def overdue_instant(last_day: date) -> datetime:
    """A last day ends at 24:00 China Standard Time: overdue from 00:00 +08:00 the day after."""
    return datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=CST)


def _provisional_reason(years: set[int]) -> str:
    ys = sorted(years)
    zh = f"{'、'.join(map(str, ys))} 年节假日安排尚未公布，暂按法定节假日和周末计算，调休未知"
    en = (
        f"no holiday schedule for {', '.join(map(str, ys))} yet: statutory holidays and weekends only,"
        " make-up working days and moved rest days unknown"
    )
    beyond = [y for y in ys if y not in _LUNAR_YEARS and _holiday_act(y) is not None]
    if beyond:
        zh += f"（{'、'.join(map(str, beyond))} 年的农历节日无法推算，未计）"
        en += f" (lunar holidays of {', '.join(map(str, beyond))} cannot be computed and are not counted)"
    return f"{zh} / {en}"


def recompute(
    calendar: StatutoryCalendar, deadlines: Sequence[Deadline]
) -> list[tuple[int, Deadline, Deadline]]:
    """``(index, old, new)`` for each deadline whose last day or provisional flag ``calendar`` changes."""
    changes = []
    for i, old in enumerate(deadlines):
        new = calendar.compute(old.start, old.period)
        if (new.last_day, new.provisional) != (old.last_day, old.provisional):
            changes.append((i, old, new))
    return changes
