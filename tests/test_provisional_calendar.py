"""The statutory holidays of 《全国年节及纪念日放假办法》, and the provisional calendar of a year without
a published schedule (Civil Code art. 203: a last day on a statutory rest day moves to the next working
day, and the law fixes the holidays even before the State Council publishes the year's arrangement).

The law's holidays are checked against the published schedules carried by chinese-calendar (2004–2026)
and against the festival dates the State Council notices name, so a wrong lunar library fails here.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest

from models.calendar import holiday_label, statutory_holidays

D = date.fromisoformat

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
    assert spring in days and "春节 Spring Festival" == days[spring]
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
