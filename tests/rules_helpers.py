"""What the pure rule tests share (``test_case_rules.py``, ``test_cancel_rules.py``).

They run the domain model ``models.case.Case`` by hand: every input gets its business time ``now``,
and due dates are filled with the statutory calendar as the workflow's activity would. The holiday
schedules of 2030–2032 are the fictional test files, so the dates are exact.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from casefile.holidays import parse_schedule_file
from models.calendar import CST, StatutoryCalendar
from models.case import Case, RuleViolation
from models.roles import Actor, Department, Role

DATA = Path(__file__).parent / "data"
CALENDAR = StatutoryCalendar(parse_schedule_file(DATA / f"holidays-{y}-test.json") for y in (2030, 2031, 2032))

OFFICE = Actor(role=Role.office, name="领导小组办公室")
COUNTY = Actor(role=Role.county, name="县政府常务会议")
HOLDER = Actor(role=Role.holder, name="采矿权人代表")
SIXI = Actor(role=Role.township, name="乡镇干部", township="泗溪镇")
OTHER_TOWNSHIP = Actor(role=Role.township, name="乡镇干部", township="敖阳街道")
EXPERT = Actor(role=Role.expert, name="省级专家库专家")


def cst(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=CST)


def department(dept: Department) -> Actor:
    return Actor(role=Role.department, name="审批员", department=dept)


def settle(case: Case, calendar: StatutoryCalendar = CALENDAR) -> Case:
    """Fill the due dates the last transition asked for, as the workflow's activity does."""
    for request in list(case.pending_due):
        case.fill_due(request.target, calendar.compute(request.start, request.period))
    assert not case.pending_due
    return case


def refused(case: Case, rule, command, now: dt.datetime) -> RuleViolation:
    """Send ``command`` through ``rule``; it must be refused and the case must not change at all."""
    before = case.model_dump()
    with pytest.raises(RuleViolation) as refusal:
        rule(command, now)
    assert case.model_dump() == before
    violation = refusal.value
    assert violation.zh and violation.en and violation.zh != violation.en  # bilingual: Chinese, then English
    assert violation.message == f"{violation.zh} / {violation.en}"
    return violation


def kinds(case: Case) -> list[str]:
    return [e.kind for e in case.timeline]
