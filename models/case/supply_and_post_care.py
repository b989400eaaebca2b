"""六 工作分工: supply controls on a stopped mine, post-care after cancellation, and closing the case.

Power and explosives are stopped when a mine is to be closed or its holder deemed to have abandoned
the right; the township looks after a restored site for three years from the acceptance, with an
inspection every six months; then the case is closed (一案一销, 003).
"""

from __future__ import annotations

import datetime as dt

from models.calendar import Period
from models.case import deadlines
from models.case.inbox import open_task, withdraw
from models.case.parts import DueRequest, TrackedDeadline
from models.case.state import CaseState
from models.case.timeline import record
from models.clauses import Clause
from models.kinds import DeadlineKind, EventKind, TaskKind
from models.roles import SYSTEM, Department, Role
from models.stages import Stage


def stop_supply(case: CaseState, now: dt.datetime) -> None:
    """Power stopped and its installations removed; explosives too, unless banned since registration."""
    open_task(case, now, TaskKind.supply_stop, Clause.division_of_work, Role.department, department=Department.power_supply,
              subject_zh="停止供电、拆除供电设施", subject_en="stop power and remove the supply")
    if not case.due_process:
        ban_explosives(case, now)


def ban_explosives(case: CaseState, now: dt.datetime) -> None:
    """六: a stopped mine gets no explosives (public security) — under due process from its registration."""
    open_task(case, now, TaskKind.supply_stop, Clause.division_of_work, Role.department, department=Department.public_security,
              subject_zh="停止供应民爆物品", subject_en="stop explosives supply",
              due=not case.due_process)  # a standing ban from registration: tracked until confirmed, not escalated


def begin_post_care(case: CaseState, now: dt.datetime) -> None:
    start = case.acceptance_date
    assert start is not None
    record(case, now, EventKind.post_care_started, SYSTEM,
           f"证照已注销，由{case.facts.township}负责后期管护{case.policy.post_care_years}年（自验收之日{start}起）",
           f"post-care by the township for {case.policy.post_care_years} years from the acceptance on {start}",
           to=Stage.post_care)
    deadlines.start(case, DeadlineKind.post_care, "后期管护", "post-care", Clause.division_of_work, Role.township, start,
                    Period(unit="months", amount=12 * case.policy.post_care_years))
    schedule_inspection(case, start, 1)


def schedule_inspection(case: CaseState, start: dt.date, number: int) -> None:
    months = number * case.policy.post_care_inspection_months
    if months >= 12 * case.policy.post_care_years:
        return
    case.pending_due.append(DueRequest(target=f"inspection:{number}", start=start, period=Period(unit="months", amount=months)))


def inspect(case: CaseState, number: int, at: dt.datetime) -> None:
    """An inspection falls due: a task for the township, and the next one is scheduled."""
    case.inspections.pop(str(number), None)
    open_task(case, at, TaskKind.post_care_inspection, Clause.division_of_work, Role.township, township=case.facts.township,
              subject_zh=f"后期管护巡查（第{number}次）", subject_en=f"post-care inspection #{number}")
    assert case.acceptance_date is not None
    schedule_inspection(case, case.acceptance_date, number + 1)


def close(case: CaseState, at: dt.datetime, why_en: str) -> None:
    withdraw(case)  # nothing stays in an inbox for a closed case
    case.inspections.clear()
    record(case, at, EventKind.case_closed, SYSTEM, "办结销号（一案一销）", f"case closed: {why_en}", to=Stage.closed)


def post_care_ended(case: CaseState, tracked: TrackedDeadline, at: dt.datetime) -> None:
    tracked.status = "met"
    close(case, at, "post-care ended")
