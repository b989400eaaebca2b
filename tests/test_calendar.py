"""The statutory calendar (Civil Code arts. 201–203) against the real 2023–2026 schedules.

Every expected date below was worked out by hand from the State Council schedules (as carried by
chinese-calendar 1.11); the comment on each case gives the reasoning.
"""

from __future__ import annotations

import calendar as gregorian
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.calendar import (
    CST,
    CalendarError,
    Deadline,
    Period,
    StatutoryCalendar,
    YearSchedule,
    recompute,
)
from models.errors import MinecaseError

D = date.fromisoformat
CAL = StatutoryCalendar()  # chinese-calendar only: 2004–2026 known, 2027 not


def schedule_2027() -> YearSchedule:
    """A made-up 2027 schedule for the tests (not the official one)."""
    holidays = {D("2027-01-01") + timedelta(n): "元旦 New Year's Day" for n in range(3)}
    holidays |= {D("2027-02-05") + timedelta(n): "春节 Spring Festival" for n in range(8)}
    return YearSchedule(year=2027, holidays=holidays, workdays=[D("2027-02-20")], source="test")


# -- the real schedules, as the calendar reads them ----------------------------------------------


def test_the_national_day_holiday_2024_is_rest_and_its_make_up_days_are_worked():
    assert all(CAL.is_rest_day(D("2024-10-01") + timedelta(n)) for n in range(7))
    assert not CAL.is_rest_day(D("2024-10-08"))
    assert not CAL.is_rest_day(D("2024-09-29"))  # Sunday, make-up working day
    assert not CAL.is_rest_day(D("2024-10-12"))  # Saturday, make-up working day
    assert CAL.is_rest_day(D("2024-09-28"))  # an ordinary Saturday


def test_the_spring_festival_2025_is_rest_and_its_make_up_days_are_worked():
    assert all(CAL.is_rest_day(D("2025-01-28") + timedelta(n)) for n in range(8))  # Jan 28 – Feb 4
    assert not CAL.is_rest_day(D("2025-01-26"))  # Sunday, make-up
    assert not CAL.is_rest_day(D("2025-02-08"))  # Saturday, make-up
    assert not CAL.is_rest_day(D("2025-02-05"))


def test_years_with_data_are_known_and_2027_is_not():
    assert CAL.knows_year(2024) and CAL.knows_year(2026)
    assert not CAL.knows_year(2027)
    assert not StatutoryCalendar(use_package=False).knows_year(2024)


# -- months and days (arts. 201–203) ------------------------------------------------------------

MONTHS = [
    # start, months, last day, moved from
    ("2023-08-31", 6, "2024-02-29", None),  # 2024 is a leap year; Thu 29 Feb is a working day
    ("2024-02-29", 12, "2025-02-28", None),  # 2025 has no 29 Feb: its last day, Fri 28 Feb
    ("2023-01-31", 1, "2023-02-28", None),  # no 31 Feb: Tue 28 Feb
    ("2024-01-31", 1, "2024-02-29", None),
    ("2023-10-31", 1, "2023-11-30", None),  # no 31 Nov: Thu 30 Nov
    ("2024-04-01", 6, "2024-10-08", "2024-10-01"),  # National Day Oct 1–7; Tue Oct 8 worked
    ("2025-04-03", 6, "2025-10-09", "2025-10-03"),  # National Day + Mid-autumn Oct 1–8; Thu Oct 9
    ("2024-07-31", 6, "2025-02-05", "2025-01-31"),  # Spring Festival Jan 28 – Feb 4; Wed Feb 5
    ("2024-03-15", 3, "2024-06-17", "2024-06-15"),  # plain Saturday → Monday (Dragon Boat was Jun 10)
    ("2024-08-08", 6, "2025-02-08", None),  # Sat 8 Feb 2025 is a make-up working day
    ("2024-03-29", 6, "2024-09-29", None),  # Sun 29 Sep 2024 is a make-up working day
]


@pytest.mark.parametrize(("start", "months", "last", "moved_from"), MONTHS)
def test_a_month_period_ends_on_the_corresponding_day_or_the_first_working_day_after(start, months, last, moved_from):
    d = CAL.compute(D(start), Period(unit="months", amount=months))
    assert d.last_day == D(last)
    assert d.moved_from == (D(moved_from) if moved_from else None)
    assert (d.move_reason is None) == (moved_from is None)
    assert not d.provisional


def test_a_month_period_ending_on_a_day_the_month_lacks_ends_on_its_last_day():
    assert CAL.add_months(D("2023-08-31"), 6).last_day == D("2024-02-29")
    assert CAL.add_months(D("2024-02-29"), 12).last_day == D("2025-02-28")


def test_a_period_whose_last_day_is_a_holiday_ends_on_the_first_working_day_after_it():
    d = CAL.add_months(D("2024-04-01"), 6)
    assert d.last_day == D("2024-10-08")
    assert d.moved_from == D("2024-10-01")
    assert d.move_reason == "2024-10-01 国庆节 National Day (法定休假日 statutory rest day)"


DAYS = [
    ("2024-01-01", 10, "2024-01-11", None),  # Thu
    ("2024-09-01", 30, "2024-10-08", "2024-10-01"),  # National Day
    ("2024-05-31", 1, "2024-06-03", "2024-06-01"),  # Sat, Sun → Mon
    # Sun 11 Feb 2024 is in the Spring Festival (Feb 10–17); Sun 18 Feb is a make-up working day
    ("2024-02-01", 10, "2024-02-18", "2024-02-11"),
    # Sun 31 Dec 2023 and Mon 1 Jan 2024 are New Year holidays → Tue 2 Jan
    ("2023-12-21", 10, "2024-01-02", "2023-12-31"),
]


@pytest.mark.parametrize(("start", "days", "last", "moved_from"), DAYS)
def test_a_day_period_ends_n_days_after_the_start_day_or_the_next_working_day(start, days, last, moved_from):
    d = CAL.compute(D(start), Period(unit="days", amount=days))
    assert d.last_day == D(last)
    assert d.moved_from == (D(moved_from) if moved_from else None)


def test_a_make_up_saturday_is_a_working_day_and_a_period_ending_on_it_is_not_moved():
    d = CAL.add_months(D("2024-08-08"), 6)
    assert d.last_day == D("2025-02-08") and d.moved_from is None and d.move_reason is None


def test_a_period_moved_off_a_weekend_names_the_weekday_in_its_reason():
    d = CAL.add_months(D("2024-03-15"), 3)
    assert d.move_reason == "2024-06-15 星期六 Saturday (周末休息日 weekend rest day)"


def test_a_deadline_is_overdue_from_midnight_china_time_after_its_last_day():
    d = CAL.add_months(D("2024-04-01"), 6)
    assert d.overdue_from == datetime(2024, 10, 9, 0, 0, tzinfo=CST)
    assert d.overdue_from.utcoffset() == timedelta(hours=8)
    assert d.overdue_from.isoformat() == "2024-10-09T00:00:00+08:00"


# -- working days -------------------------------------------------------------------------------

WORKING_DAYS = [
    # Fri Feb 9 (1); Feb 10–17 Spring Festival; Sun Feb 18 make-up (2); Mon Feb 19 (3)
    ("2024-02-08", 3, "2024-02-19"),
    # Sat Sep 28 rest; Sun Sep 29 make-up (1); Sep 30 (2); Oct 1–7 National Day; Oct 8, 9, 10 (3–5)
    ("2024-09-27", 5, "2024-10-10"),
    # Oct 8–11 (1–4); Sat Oct 12 make-up (5); Oct 14–18 (6–10)
    ("2024-09-30", 10, "2024-10-18"),
    # Sep 23–27 (1–5); Sun 29 (6); 30 (7); Oct 8–11 (8–11); Sat 12 (12); Oct 14–18 (13–17); 21–23 (18–20)
    ("2024-09-20", 20, "2024-10-23"),
    # Sun Jan 26 make-up (1); Jan 27 (2); Jan 28 – Feb 4 rest; Feb 5, 6, 7 (3–5); Sat Feb 8 make-up (6)
    ("2025-01-24", 6, "2025-02-08"),
    ("2024-10-08", 1, "2024-10-09"),  # the start day is not counted
]


@pytest.mark.parametrize(("start", "n", "last"), WORKING_DAYS)
def test_a_working_day_period_counts_make_up_days_and_skips_holidays_and_weekends(start, n, last):
    d = CAL.compute(D(start), Period(unit="working_days", amount=n))
    assert d.last_day == D(last)
    assert d.moved_from is None and not d.provisional


# -- fixed dates ----------------------------------------------------------------------------------


def test_a_fixed_campaign_date_is_taken_as_given_by_default():
    d = CAL.fixed(D("2024-03-31"))  # a Sunday
    assert d.start is None and d.last_day == D("2024-03-31") and d.moved_from is None
    assert d.overdue_from == datetime(2024, 4, 1, tzinfo=CST)


def test_a_fixed_date_is_moved_off_a_rest_day_when_the_policy_says_so():
    assert CAL.fixed(D("2024-03-31"), roll=True).last_day == D("2024-04-01")
    d = CAL.fixed(D("2023-12-31"), roll=True)  # New Year holiday Dec 30 – Jan 1
    assert d.last_day == D("2024-01-02") and d.moved_from == D("2023-12-31")
    assert "元旦 New Year's Day" in d.move_reason
    assert CAL.fixed(D("2024-05-31"), roll=True).moved_from is None  # a Friday


def test_a_fixed_date_in_a_year_without_data_is_not_provisional_unless_rolled():
    assert not CAL.fixed(D("2027-03-31")).provisional
    assert CAL.fixed(D("2027-03-31"), roll=True).provisional


# -- years without data ---------------------------------------------------------------------------


def test_a_deadline_in_a_year_without_a_schedule_is_provisional_and_counts_statutory_holidays_and_weekends():
    d = CAL.add_months(D("2026-10-15"), 6)
    assert d.last_day == D("2027-04-15") and d.provisional
    assert d.provisional_reason == (
        "2027 年节假日安排尚未公布，暂按法定节假日和周末计算，调休未知 / no holiday schedule for 2027 yet:"
        " statutory holidays and weekends only, make-up working days and moved rest days unknown"
    )
    d = CAL.add_months(D("2026-08-06"), 6)  # Sat 6 Feb 2027 (正月初一) → Tue 9 Feb: 除夕 to 初三 are statutory
    assert (d.last_day, d.moved_from, d.provisional) == (D("2027-02-09"), D("2027-02-06"), True)


def test_a_working_day_period_running_into_a_year_without_data_is_provisional():
    # Dec 25 (1), Dec 28–31 (2–5), Fri Jan 1 2027 元旦 is a statutory holiday, Jan 4–8 (6–10)
    d = CAL.add_working_days(D("2026-12-24"), 10)
    assert d.last_day == D("2027-01-08") and d.provisional


def test_the_last_week_of_december_is_provisional_until_the_next_year_is_published():
    assert CAL.add_months(D("2026-06-30"), 6).provisional  # Wed 30 Dec 2026: New Year 2027 may reach it
    d = CAL.add_months(D("2026-06-13"), 6)  # Sun 13 Dec 2026 → Mon 14 Dec, known
    assert d.last_day == D("2026-12-14") and not d.provisional


# -- loaded schedules -----------------------------------------------------------------------------


def test_a_loaded_schedule_wins_over_the_package_for_its_year():
    no_holidays_2024 = YearSchedule(year=2024, holidays={}, workdays=[])
    cal = StatutoryCalendar([no_holidays_2024])
    assert not cal.is_rest_day(D("2024-10-01"))
    assert cal.is_rest_day(D("2024-09-29"))  # no longer a make-up day: a plain Sunday
    d = cal.add_months(D("2024-04-01"), 6)
    assert d.last_day == D("2024-10-01") and d.moved_from is None
    assert CAL.is_rest_day(D("2025-10-01")) == cal.is_rest_day(D("2025-10-01"))  # other years untouched


def test_a_loaded_schedule_makes_its_year_known_and_its_holidays_move_deadlines():
    cal = StatutoryCalendar([schedule_2027()])
    assert cal.knows_year(2027)
    d = cal.add_months(D("2026-08-06"), 6)  # Sat 6 Feb 2027: Spring Festival to Fri 12, Sat 13, Sun 14
    assert d.last_day == D("2027-02-15") and not d.provisional
    assert d.move_reason == "2027-02-06 春节 Spring Festival (法定休假日 statutory rest day)"
    assert not cal.is_rest_day(D("2027-02-20"))  # loaded make-up Saturday


def test_a_loaded_schedule_reaching_into_december_of_the_year_before_wins_for_those_days():
    new_year = YearSchedule(year=2027, holidays={D("2026-12-31"): "元旦 New Year's Day"}, workdays=[])
    assert StatutoryCalendar([new_year]).is_rest_day(D("2026-12-31"))
    assert not CAL.is_rest_day(D("2026-12-31"))  # a Thursday


def test_recompute_reports_exactly_the_deadlines_a_new_schedule_changes():
    old = [
        CAL.add_months(D("2024-04-01"), 6),  # 0: 2024, unchanged
        CAL.add_months(D("2026-10-15"), 6),  # 1: 2027-04-15, same day but no longer provisional
        CAL.add_months(D("2026-08-06"), 6),  # 2: 2027-02-09 → 2027-02-15 (the schedule's Spring Festival)
        CAL.fixed(D("2027-03-31")),  # 3: fixed, never provisional
        CAL.add_working_days(D("2026-12-24"), 10),  # 4: 2027-01-08, no longer provisional
        CAL.add_working_days(D("2026-11-02"), 20),  # 5: ends 2026-11-30, unchanged
    ]
    changes = recompute(StatutoryCalendar([schedule_2027()]), old)
    assert [i for i, _, _ in changes] == [1, 2, 4]
    assert [new.last_day for _, _, new in changes] == [D("2027-04-15"), D("2027-02-15"), D("2027-01-08")]
    assert all(o is old[i] and not new.provisional for i, o, new in changes)


def test_a_deadline_survives_a_round_trip_through_json():
    d = CAL.add_months(D("2024-04-01"), 6)
    assert Deadline.model_validate_json(d.model_dump_json()) == d


# -- bad input ------------------------------------------------------------------------------------

BAD = [
    (D("2024-04-01"), Period(unit="months", amount=-6)),
    (D("2024-04-01"), Period(unit="days", amount=0)),
    (D("2024-04-01"), Period.model_construct(unit="weeks", amount=2)),
    (None, Period(unit="fixed")),
    (None, Period(unit="months", amount=6)),
    (None, Period(unit="fixed", amount=3, fixed_date=D("2024-03-31"))),
    (D("2024-04-01"), Period(unit="days", amount=3, fixed_date=D("2024-03-31"))),
    (D("9999-12-01"), Period(unit="months", amount=1)),
]


@pytest.mark.parametrize(("start", "period"), BAD)
def test_a_period_that_cannot_be_computed_is_a_calendar_error_in_both_languages(start, period):
    with pytest.raises(CalendarError) as e:
        CAL.compute(start, period)
    assert isinstance(e.value, ValueError) and isinstance(e.value, MinecaseError)
    zh, en = e.value.message.split(" / ", 1)
    assert any("\u4e00" <= c <= "\u9fff" for c in zh) and en.isascii()


@pytest.mark.parametrize(
    ("holidays", "workdays"),
    [
        ({}, [D("2027-02-17")]),  # a Wednesday cannot be a make-up working day
        ({D("2027-02-20"): "春节"}, [D("2027-02-20")]),  # both
        ({D("2028-01-01"): "元旦"}, []),  # outside the year
    ],
)
def test_an_inconsistent_year_schedule_is_refused(holidays, workdays):
    with pytest.raises(ValueError):
        YearSchedule(year=2027, holidays=holidays, workdays=workdays)


# -- properties ------------------------------------------------------------------------------------

starts = st.dates(min_value=date(2004, 1, 1), max_value=date(2029, 12, 31))


def unadjusted(start: date, unit: str, n: int) -> date:
    if unit == "days":
        return start + timedelta(days=n)
    y, m = divmod(start.month - 1 + n, 12)
    year, month = start.year + y, m + 1
    return date(year, month, min(start.day, gregorian.monthrange(year, month)[1]))


@given(starts, st.sampled_from(["months", "days"]), st.integers(1, 400))
def test_a_period_never_ends_on_a_rest_day_nor_before_its_unadjusted_last_day(start, unit, n):
    n = n if unit == "days" else n % 60 + 1
    d = CAL.compute(start, Period(unit=unit, amount=n))
    raw = unadjusted(start, unit, n)
    assert not CAL.is_rest_day(d.last_day)
    assert d.last_day >= raw
    assert (d.moved_from == raw) if d.last_day != raw else d.moved_from is None
    # moved to the *first* working day: everything skipped is a rest day
    assert all(CAL.is_rest_day(raw + timedelta(k)) for k in range((d.last_day - raw).days))


@given(starts, st.sampled_from(["months", "days", "working_days"]), st.integers(1, 300), st.integers(1, 300))
def test_a_longer_period_never_ends_earlier(start, unit, a, b):
    if unit == "months":
        a, b = a % 60 + 1, b % 60 + 1
    short, long = sorted((a, b))
    first = CAL.compute(start, Period(unit=unit, amount=short)).last_day
    second = CAL.compute(start, Period(unit=unit, amount=long)).last_day
    assert first <= second
    if unit == "working_days" and short < long:
        assert first < second


@given(starts, st.integers(1, 120))
def test_a_working_day_period_ends_on_its_nth_working_day(start, n):
    last = CAL.add_working_days(start, n).last_day
    days = [start + timedelta(k) for k in range(1, (last - start).days + 1)]
    assert sum(not CAL.is_rest_day(x) for x in days) == n
    assert not CAL.is_rest_day(last)
