"""The statutory holidays of 《全国年节及纪念日放假办法》, and the provisional calendar of a year without
a published schedule (Civil Code art. 203: a last day on a statutory rest day moves to the next working
day, and the law fixes the holidays even before the State Council publishes the year's arrangement).

The law's holidays are checked against the published schedules carried by chinese-calendar (2004–2026)
and against the festival dates the State Council notices name, so a wrong lunar library fails here.
"""

from __future__ import annotations

import calendar as gregorian
from datetime import date, datetime, timedelta
from pathlib import Path

import chinese_calendar
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from casefile.holidays import parse_schedule_file
from models.calendar import (
    CST,
    Deadline,
    Period,
    StatutoryCalendar,
    YearSchedule,
    holiday_label,
    recompute,
    statutory_holidays,
)

D = date.fromisoformat
DATA = Path(__file__).parent / "data"

# -- the law's holidays ----------------------------------------------------------------------------

# The traditional festivals as the State Council notices of 2020–2026 date them: 正月初一, 清明, 端午, 中秋.
FESTIVALS = {
    2020: ("2020-01-25", "2020-04-04", "2020-06-25", "2020-10-01"),
    2021: ("2021-02-12", "2021-04-04", "2021-06-14", "2021-09-21"),
    2022: ("2022-02-01", "2022-04-05", "2022-06-03", "2022-09-10"),
    2023: ("2023-01-22", "2023-04-05", "2023-06-22", "2023-09-29"),
    2024: ("2024-02-10", "2024-04-04", "2024-06-10", "2024-09-17"),
    2025: ("2025-01-29", "2025-04-04", "2025-05-31", "2025-10-06"),
    2026: ("2026-02-17", "2026-04-05", "2026-06-19", "2026-09-25"),
}


@pytest.mark.parametrize("year", sorted(FESTIVALS))
def test_the_spring_festival_qingming_dragon_boat_and_mid_autumn_fall_on_the_days_the_notices_name(year):
    spring, qingming, dragon_boat, mid_autumn = map(D, FESTIVALS[year])
    days = statutory_holidays(year)
    assert spring in days and days[spring] == "春节 Spring Festival"
    assert spring + timedelta(days=1) in days and spring + timedelta(days=2) in days  # 初二, 初三
    assert days[qingming] == "清明节 Tomb-sweeping Day"
    assert days[dragon_boat] == "端午节 Dragon Boat Festival"
    assert "中秋节" in days[mid_autumn]
    names = [n for n in days.values() if n.startswith(("清明", "端午", "中秋"))]
    assert len(names) == 3  # one day each, on no other day


@pytest.mark.parametrize("year", range(2004, 2027))
def test_every_day_the_law_makes_a_holiday_was_a_rest_day_in_the_published_schedule(year):
    """chinese-calendar carries the State Council's schedules; a statutory day is never worked."""
    days = statutory_holidays(year)
    assert days
    for d, name in days.items():
        rest, published_name = chinese_calendar.get_holiday_detail(d)
        assert rest, f"{d} ({name}) was a working day in {year}"
        if published_name is not None:  # the package names most holiday days (not Sat 2012-06-23)
            assert holiday_label(published_name).split()[0] in name, (d, name, published_name)


def test_since_2025_the_law_gives_thirteen_days_with_the_spring_festival_eve_and_2_may():
    days = statutory_holidays(2025)
    assert len(days) == 13
    assert days[D("2025-01-28")] == "春节 Spring Festival"  # 农历除夕
    assert days[D("2025-05-02")] == "劳动节 Labour Day"
    assert [d for d, n in days.items() if n == "国庆节 National Day"] == [D("2025-10-01"), D("2025-10-02"), D("2025-10-03")]
    assert days[D("2025-01-01")] == "元旦 New Year's Day"


def test_from_2014_to_2024_the_spring_festival_eve_and_2_may_were_working_days_by_law():
    days = statutory_holidays(2024)
    assert len(days) == 11
    assert D("2024-02-09") not in days  # 除夕, worked that year (Friday)
    assert not chinese_calendar.is_holiday(D("2024-02-09"))
    assert D("2024-05-02") not in days
    assert statutory_holidays(2014).get(D("2014-01-30")) is None  # 除夕 2014, worked too


def test_from_2008_to_2013_the_spring_festival_was_the_eve_and_the_first_two_days():
    days = statutory_holidays(2013)
    assert [d for d, n in days.items() if n == "春节 Spring Festival"] == [D("2013-02-09"), D("2013-02-10"), D("2013-02-11")]


def test_before_2008_labour_day_had_three_days_and_there_was_no_qingming_holiday():
    days = statutory_holidays(2007)
    assert [d for d, n in days.items() if n == "劳动节 Labour Day"] == [D("2007-05-01"), D("2007-05-02"), D("2007-05-03")]
    assert not any(n.startswith(("清明", "端午", "中秋")) for n in days.values())


def test_a_mid_autumn_festival_on_national_day_names_both_holidays():
    assert statutory_holidays(2020)[D("2020-10-01")] == "中秋节、国庆节 Mid-autumn Festival, National Day"


def test_beyond_the_lunar_tables_only_the_holidays_on_fixed_gregorian_days_are_known():
    days = statutory_holidays(2100)
    assert set(days) == {D("2100-01-01"), D("2100-05-01"), D("2100-05-02"), *(D(f"2100-10-0{n}") for n in (1, 2, 3))}
    assert statutory_holidays(1990) == {}  # before the 1999 text: not modelled


def test_the_statutory_holidays_are_a_fresh_copy_each_time():
    statutory_holidays(2027).clear()
    assert D("2027-01-01") in statutory_holidays(2027)


# -- the provisional calendar of a year without a schedule ------------------------------------------

CAL = StatutoryCalendar()  # chinese-calendar only: 2004–2026 known, 2027 on not
REASON = "make-up working days and moved rest days unknown"


def test_six_months_from_1_july_2026_end_provisionally_on_monday_4_january_2027_never_on_new_years_day():
    d = CAL.add_months(D("2026-07-01"), 6)
    assert d.last_day == D("2027-01-04") and d.last_day.weekday() == 0
    assert d.moved_from == D("2027-01-01")
    assert d.move_reason == "2027-01-01 元旦 New Year's Day (法定休假日 statutory rest day)"
    assert d.overdue_from == datetime(2027, 1, 5, tzinfo=CST)
    assert d.provisional and "2027" in d.provisional_reason and REASON in d.provisional_reason
    assert "调休未知" in d.provisional_reason


ON_A_HOLIDAY = [
    # last day, holiday, first day after it that is neither a weekend nor a statutory holiday
    ("2027-10-01", "国庆节", "2027-10-04"),  # Fri 1 – Sun 3 Oct → Mon 4
    ("2027-10-03", "国庆节", "2027-10-04"),
    ("2028-10-01", "国庆节", "2028-10-04"),  # Sun 1 – Tue 3 Oct (Tue 3 is also 中秋) → Wed 4
    ("2029-10-02", "国庆节", "2029-10-04"),  # Mon 1 – Wed 3 Oct → Thu 4
    ("2027-05-01", "劳动节", "2027-05-03"),  # Sat 1, Sun 2 May → Mon 3
    ("2028-05-02", "劳动节", "2028-05-03"),  # Tue 2 May → Wed 3
    ("2027-09-15", "中秋节", "2027-09-16"),  # Wed → Thu
    ("2029-09-22", "中秋节", "2029-09-24"),  # Sat, then Sunday → Mon
    ("2028-10-03", "中秋节、国庆节", "2028-10-04"),
    ("2027-06-09", "端午节", "2027-06-10"),  # Wed → Thu
    ("2028-05-28", "端午节", "2028-05-29"),  # Sun → Mon
    ("2027-04-05", "清明节", "2027-04-06"),  # Mon → Tue
    ("2028-04-04", "清明节", "2028-04-05"),  # Tue → Wed
    ("2027-02-05", "春节", "2027-02-09"),  # 除夕 Fri 5 – 初三 Mon 8 Feb → Tue 9
    ("2027-02-08", "春节", "2027-02-09"),
    ("2028-01-25", "春节", "2028-01-31"),  # 除夕 Tue 25 – 初三 Fri 28 Jan, then a weekend → Mon 31
    ("2029-02-12", "春节", "2029-02-16"),  # 除夕 Mon 12 – 初三 Thu 15 Feb → Fri 16
    ("2029-01-01", "元旦", "2029-01-02"),  # Mon → Tue
]


@pytest.mark.parametrize(("last", "holiday", "moved_to"), ON_A_HOLIDAY)
def test_a_last_day_on_a_statutory_holiday_of_a_year_without_a_schedule_moves_to_the_next_working_day(last, holiday, moved_to):
    for start, period in [
        (D(last) - timedelta(days=10), Period(unit="days", amount=10)),
        (D(last).replace(year=D(last).year - 1), Period(unit="months", amount=12)),
    ]:
        d = CAL.compute(start, period)
        assert (d.last_day, d.moved_from) == (D(moved_to), D(last))
        assert d.move_reason == f"{last} {statutory_holidays(D(last).year)[D(last)]} (法定休假日 statutory rest day)"
        assert d.move_reason.startswith(f"{last} {holiday} ")
        assert d.provisional and REASON in d.provisional_reason


def test_a_working_day_period_in_a_year_without_a_schedule_skips_the_statutory_holidays():
    # Fri 1 Oct 2027 国庆节, Sat 2, Sun 3; Mon 4 (1), Tue 5 (2), Wed 6 (3)
    d = CAL.add_working_days(D("2027-09-30"), 3)
    assert d.last_day == D("2027-10-06") and d.provisional and REASON in d.provisional_reason


def test_a_period_touching_no_holiday_of_a_year_without_a_schedule_is_still_provisional():
    d = CAL.add_months(D("2026-10-14"), 6)  # Wed 14 Apr 2027: a notice could still make it a rest day
    assert (d.last_day, d.moved_from, d.provisional) == (D("2027-04-14"), None, True)


unknown_days = st.dates(min_value=date(2027, 1, 1), max_value=date(2099, 12, 31))


@given(unknown_days)
def test_in_a_year_without_a_schedule_the_rest_days_are_the_weekends_and_the_statutory_holidays(d):
    assert CAL.is_rest_day(d) == (d.weekday() >= 5 or d in statutory_holidays(d.year))


@given(st.integers(2027, 2099), st.data(), st.integers(1, 200), st.sampled_from(["days", "months"]))
def test_a_last_day_on_any_statutory_holiday_moves_past_every_weekend_and_holiday_after_it(year, data, n, unit):
    holiday = data.draw(st.sampled_from(sorted(statutory_holidays(year))))
    if unit == "days":
        start = holiday - timedelta(days=n)
    else:  # a month period counted from the same day of an earlier month
        n = n % 24 + 1
        year, month = divmod(holiday.year * 12 + holiday.month - 1 - n, 12)
        assume(holiday.day <= gregorian.monthrange(year, month + 1)[1])
        start = date(year, month + 1, holiday.day)
    d = CAL.compute(start, Period(unit=unit, amount=n))
    assert d.moved_from == holiday and d.provisional
    assert d.last_day.weekday() < 5 and d.last_day not in statutory_holidays(d.last_day.year)
    skipped = [holiday + timedelta(days=k) for k in range((d.last_day - holiday).days)]
    assert all(x.weekday() >= 5 or x in statutory_holidays(x.year) for x in skipped)
    assert d.move_reason.startswith(f"{holiday} ") and "(法定休假日 statutory rest day)" in d.move_reason


# -- years with data: the data, and nothing else ---------------------------------------------------


def published_last_day(raw: date, is_rest) -> date:
    while is_rest(raw):
        raw += timedelta(days=1)
    return raw


def plain(start: date, unit: str, n: int) -> date:
    if unit == "days":
        return start + timedelta(days=n)
    months = start.year * 12 + start.month - 1 + n
    year, month = divmod(months, 12)
    return date(year, month + 1, min(start.day, gregorian.monthrange(year, month + 1)[1]))


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 6, 15)), st.sampled_from(["days", "months"]), st.integers(1, 180))
def test_in_2024_to_2026_a_deadline_follows_the_published_schedule_alone(start, unit, n):
    n = n if unit == "days" else n % 6 + 1
    d = CAL.compute(start, Period(unit=unit, amount=n))
    assert d.last_day == published_last_day(plain(start, unit, n), lambda x: not chinese_calendar.is_workday(x))
    assert not d.provisional and d.provisional_reason is None


TEST_SCHEDULES = [parse_schedule_file(DATA / f"holidays-{y}-test.json") for y in (2030, 2031)]
LOADED = StatutoryCalendar(TEST_SCHEDULES)


def in_test_schedules(x: date) -> bool:
    [s] = [s for s in TEST_SCHEDULES if s.year == x.year]
    return x in s.holidays or (x.weekday() >= 5 and x not in s.workdays)


@given(st.dates(min_value=date(2030, 1, 1), max_value=date(2031, 6, 15)), st.sampled_from(["days", "months"]), st.integers(1, 180))
def test_with_the_2030_and_2031_test_schedules_loaded_a_deadline_follows_them_alone(start, unit, n):
    n = n if unit == "days" else n % 6 + 1
    d = LOADED.compute(start, Period(unit=unit, amount=n))
    assert d.last_day == published_last_day(plain(start, unit, n), in_test_schedules)
    assert not d.provisional


@given(st.dates(min_value=date(2030, 1, 1), max_value=date(2031, 12, 31)))
def test_a_day_of_a_loaded_year_is_a_rest_day_exactly_when_its_schedule_says_so(d):
    assert LOADED.is_rest_day(d) == in_test_schedules(d)


def test_a_loaded_schedule_wins_over_the_holidays_of_the_law_even_one_that_lists_none():
    cal = StatutoryCalendar([YearSchedule(year=2027, holidays={}, workdays=[])])
    assert not cal.is_rest_day(D("2027-01-01")) and not cal.is_rest_day(D("2027-04-05"))
    d = cal.add_months(D("2026-07-01"), 6)
    assert (d.last_day, d.moved_from, d.provisional) == (D("2027-01-01"), None, False)


def test_recompute_moves_a_deadline_the_weekends_only_fallback_put_on_new_years_day():
    stored = Deadline(  # as an older release stored it in a case: weekends only
        start=D("2026-07-01"),
        period=Period(unit="months", amount=6),
        last_day=D("2027-01-01"),
        overdue_from=datetime(2027, 1, 2, tzinfo=CST),
        provisional=True,
        provisional_reason="2027 年节假日安排尚未公布，仅按周末计算 / no holiday schedule for 2027 yet: weekends only",
    )
    stored = Deadline.model_validate_json(stored.model_dump_json())
    [(i, old, new)] = recompute(CAL, [stored])
    assert (i, old.last_day, new.last_day, new.provisional) == (0, D("2027-01-01"), D("2027-01-04"), True)
