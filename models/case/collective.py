"""五.3 集体研究机制: a collective decision (一事一议) moves a running deadline."""

from __future__ import annotations

import datetime as dt

from models.bounds import echo
from models.case import deadlines
from models.case.parts import DeadlineMove, TrackedDeadline, fixed_deadline
from models.case.state import CaseState
from models.case.timeline import notify, record
from models.errors import NothingToDo, RuleViolation, UnknownDeadline
from models.kinds import EventKind, NoticeKind
from models.messages import MoveDeadline


def check_deadline_may_move(case: CaseState, command: MoveDeadline, now: dt.datetime) -> TrackedDeadline:
    tracked = case.deadlines.get(command.kind)
    if tracked is None or tracked.status != "open" or tracked.deadline is None:
        running = "、".join(d.kind for d in case.open_deadlines()) or "无"
        kind = echo(command.kind)
        raise UnknownDeadline(f"没有正在计算的期限「{kind}」（当前：{running}）", f"no running deadline '{kind}'")
    if command.new_last_day == tracked.deadline.last_day:
        raise NothingToDo("新期限与原期限相同", "the new last day is the current one")
    if command.new_last_day < case.effective_date(now):
        raise RuleViolation("新期限早于今天", "the new last day is in the past")
    return tracked


def move_deadline(case: CaseState, command: MoveDeadline, now: dt.datetime) -> None:
    tracked = check_deadline_may_move(case, command, now)
    assert tracked.deadline is not None
    old = tracked.deadline.last_day
    tracked.moves.append(DeadlineMove(at=now, decided_by=command.actor, meeting=command.meeting, reason=command.reason,
                                      old_last_day=old, new_last_day=command.new_last_day))
    tracked.deadline = fixed_deadline(command.new_last_day)
    deadlines.reset_reminders(case, tracked, now)
    notify(case, now, NoticeKind.deadline_moved, [tracked.responsible.value, "township", "leader", "office"],
           f"{case.facts.mine_name}：经集体研究，{tracked.label_zh}期限调整为{command.new_last_day}（原{old}）",
           f"by collective decision, '{tracked.kind}' now ends on {command.new_last_day} (was {old})")
    record(case, now, EventKind.deadline_moved, command.actor,
           f"经集体研究（{command.meeting}），{tracked.label_zh}期限由{old}调整为{command.new_last_day}：{command.reason}",
           f"collective decision moved '{tracked.kind}' from {old} to {command.new_last_day}",
           deadline=tracked.kind.value, old=old.isoformat(), new=command.new_last_day.isoformat(), meeting=command.meeting)
