"""The case's deadlines: started, met, missed, reminded, moved, and their due dates from the calendar.

Due dates are not computed here: starting a period appends a ``DueRequest`` and the workflow has an
activity compute it with the statutory calendar, then hands it back with ``fill_due``.
"""

from __future__ import annotations

import datetime as dt

from models.calendar import CST, Deadline, Period
from models.case.parts import CaseDocument, DueRequest, TrackedDeadline
from models.case.state import CaseState
from models.case.timeline import notify, record
from models.clauses import Clause
from models.kinds import DeadlineKind, EventKind, NoticeKind, reminder_kind
from models.roles import SYSTEM, Role


def start(case: CaseState, kind: DeadlineKind, label_zh: str, label_en: str, clause: Clause, responsible: Role,
          start_day: dt.date | None, period: Period, *, counts_from: CaseDocument | None = None) -> None:
    """Start a period from ``start_day``; or, under the rules of service, from the day ``counts_from`` is served
    (until then it does not count: no due date, no alarm)."""
    tracked = TrackedDeadline(kind=kind, label_zh=label_zh, label_en=label_en, clause=clause, responsible=responsible,
                              opened_at=case._clock if case.reminders_from_recording else None)
    case.deadlines[kind] = tracked
    if counts_from is not None and case.periods_from_service and counts_from.served_on is None:
        tracked.counts_from_service_of, tracked.period = counts_from.id, period
        return
    case.pending_due.append(DueRequest(target=f"deadline:{kind.value}", start=start_day, period=period))


def start_on_service(case: CaseState, document: CaseDocument) -> list[TrackedDeadline]:
    """``document`` was served: the periods waiting for it count from the day of service."""
    started = []
    for tracked in case.deadlines.values():
        if tracked.counts_from_service_of == document.id and tracked.status == "open" and tracked.deadline is None:
            assert tracked.period is not None
            case.pending_due.append(DueRequest(target=f"deadline:{tracked.kind.value}", start=document.served_on, period=tracked.period))
            started.append(tracked)
    return started


def start_fixed(case: CaseState, kind: DeadlineKind, label_zh: str, label_en: str, clause: Clause, responsible: Role,
                day: dt.date) -> None:
    """A deadline on a fixed date of the campaign (rolled to a working day if the campaign says so)."""
    start(case, kind, label_zh, label_en, clause, responsible, None,
          Period(unit="fixed", fixed_date=day, roll_fixed=case.policy.roll_fixed_dates))


def meet(case: CaseState, kind: DeadlineKind) -> None:
    tracked = case.deadlines.get(kind)
    if tracked is not None and tracked.status == "open":
        tracked.status = "met"


def open_correction(case: CaseState, now: dt.datetime, duty: DeadlineKind) -> None:
    """Due process (补正): a rejection that comes after the holder met ``duty`` by filing in time gives the
    holder the campaign's correction days from the rejection; a rejection before its last day does not
    (the holder's own period still runs)."""
    tracked = case.holders_period(duty)
    if not case.due_process or tracked is None or tracked.status != "met":
        return
    corrects = tracked.kind
    current = case.deadlines.get(DeadlineKind.correction)
    if current is not None and current.status == "open" and current.corrects is not None:
        corrects = current.corrects
    start(case, DeadlineKind.correction, "补正", "correction", tracked.clause, Role.holder, case.effective_date(now),
          Period(unit="days", amount=case.policy.correction_days))
    case.deadlines[DeadlineKind.correction].corrects = corrects
    record(case, now, EventKind.correction_period_opened, SYSTEM,
           f"期限届满后审查不通过，给予采矿权人{case.policy.correction_days}日补正期限（审查时间不计入采矿权人期限）",
           f"rejected after the holder's last day: {case.policy.correction_days} days to correct", clause=tracked.clause,
           corrects=corrects.value)
    notify(case, now, NoticeKind.correction_requested, ["holder", "township"],
           f"{case.facts.mine_name}：请于{case.policy.correction_days}日内补正", f"correct within {case.policy.correction_days} days")


def correction_met_if_filed(case: CaseState) -> None:
    """The holder filed again within its correction period: the period is met."""
    tracked = case.deadlines.get(DeadlineKind.correction)
    if tracked is not None and tracked.status == "open" and tracked.corrects is not None and case.holder_has_filed(tracked.corrects):
        tracked.status = "met"


def reminder_at(tracked: TrackedDeadline, offset: int) -> dt.datetime:
    """09:00 China Standard Time, ``offset`` days before the last day."""
    assert tracked.deadline is not None
    day = tracked.deadline.last_day - dt.timedelta(days=offset)
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=CST)


def unsent_reminders(case: CaseState, tracked: TrackedDeadline) -> list[int]:
    return [o for o in case.policy.reminder_offsets_days if o not in tracked.reminders_sent]


def reset_reminders(case: CaseState, tracked: TrackedDeadline, now: dt.datetime) -> None:
    """A deadline moved: reminders still ahead of its new last day are sent; those whose instant has
    already passed are skipped, so that no reminder is dated before the decision that made it due."""
    tracked.reminders_sent = [o for o in case.policy.reminder_offsets_days if reminder_at(tracked, o) <= now]


def remind(case: CaseState, tracked: TrackedDeadline, offset: int, now: dt.datetime) -> None:
    assert tracked.deadline is not None
    recipients = list(dict.fromkeys([tracked.responsible.value, "township", "leader"]))  # the township once, if it owes it
    notify(case, now, reminder_kind(offset), recipients,
           f"{case.facts.mine_name}：{tracked.label_zh}将于{tracked.deadline.last_day}届满（还有{offset}天）",
           f"{tracked.label_en} ends on {tracked.deadline.last_day} ({offset} days left)")


def expires_at(case: CaseState, tracked: TrackedDeadline) -> dt.datetime:
    """The instant a running period is over: 00:00 after its last day (Civil Code art. 203(1)); for a holder's
    period under due process in a campaign with a ``filing_cutoff``, that time on its last day (art. 203(2))."""
    assert tracked.deadline is not None
    cutoff = case.policy.filing_cutoff
    if cutoff is not None and case.due_process and tracked.responsible == Role.holder:
        return min(tracked.deadline.overdue_from, dt.datetime.combine(tracked.deadline.last_day, cutoff, tzinfo=CST))
    return tracked.deadline.overdue_from


def next_alarm(case: CaseState) -> dt.datetime | None:
    """The next instant something must happen without anyone's input."""
    instants = []
    for tracked in case.open_deadlines():
        assert tracked.deadline is not None
        instants.append(expires_at(case, tracked))
        instants.extend(reminder_at(tracked, offset) for offset in unsent_reminders(case, tracked))
    for task in case.open_tasks():
        if task.due is not None and not task.escalated:
            instants.append(task.due.overdue_from)
    instants.extend(case.inspections.values())
    return min(instants) if instants else None


def fill_due(case: CaseState, target: str, deadline: Deadline) -> None:
    """Receive a due date computed by the statutory calendar (see ``DueRequest``)."""
    kind, _, key = target.partition(":")
    if kind == "deadline":
        case.deadlines[key].deadline = deadline
    elif kind == "inspection":
        case.inspections[key] = dt.datetime.combine(deadline.last_day, dt.time(9, 0), tzinfo=CST)
    else:
        case.tasks[key].due = deadline
    case.pending_due = [r for r in case.pending_due if r.target != target]


def recomputable(case: CaseState) -> list[DueRequest]:
    """Provisional due dates still running, as requests to compute again."""
    requests = [DueRequest(target=f"deadline:{d.kind.value}", start=d.deadline.start, period=d.deadline.period)
                for d in case.open_deadlines() if d.deadline is not None and d.deadline.provisional]
    requests += [DueRequest(target=f"task:{t.id}", start=t.due.start, period=t.due.period)
                 for t in case.open_tasks() if t.due is not None and t.due.provisional]
    return requests


def recomputed(case: CaseState, target: str, new: Deadline, now: dt.datetime) -> None:
    kind, _, key = target.partition(":")
    old = case.deadlines[key].deadline if kind == "deadline" else case.tasks[key].due
    assert old is not None
    fill_due(case, target, new)
    if kind == "deadline":
        reset_reminders(case, case.deadlines[key], now)
    if old.last_day != new.last_day or old.provisional != new.provisional:
        record(case, now, EventKind.deadline_recomputed, SYSTEM,
               f"节假日安排已载入，期限由{old.last_day}{'（暂定）' if old.provisional else ''}"
               f"重算为{new.last_day}{'（暂定）' if new.provisional else ''}",
               f"holiday schedule loaded: {old.last_day} recomputed as {new.last_day}",
               target=target, old=old.last_day.isoformat(), new=new.last_day.isoformat())
