"""The case's tasks: what sits in a department's, a township's or the experts' inbox until decided."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from models.calendar import Period
from models.case.parts import DueRequest, Task
from models.case.state import CaseState
from models.case.timeline import notify
from models.clauses import Clause
from models.kinds import NoticeKind, TaskKind
from models.roles import Department, Role


def open_task(case: CaseState, now: dt.datetime, kind: TaskKind, clause: Clause | str, role: Role, *,
              department: Department | None = None, township: str | None = None, item: str | None = None,
              subject_zh: str, subject_en: str, period: Period | None = None, due: bool = True) -> Task:
    """Open a task, due in the campaign's review period (working days) or ``period`` — or, with ``due=False``,
    an instruction with no period of its own — and tell its assignee."""
    task_id = f"{case.permit_no}-T{len(case.tasks) + 1:02d}"
    task = Task(id=task_id, kind=kind, clause=Clause(clause), assignee_role=role, department=department,
                township=township, item=item, subject_zh=subject_zh, subject_en=subject_en, opened_at=now)
    case.tasks[task_id] = task
    if due:
        case.pending_due.append(DueRequest(target=f"task:{task_id}", start=case.effective_date(now),
                                           period=period or Period(unit="working_days", amount=case.policy.review_working_days)))
    notify(case, now, NoticeKind.task_opened, [task.assignee], f"{case.facts.mine_name}：{subject_zh}", subject_en)
    return task


def open_per_department(case: CaseState, now: dt.datetime, kind: TaskKind, clause: Clause, departments: Iterable[Department],
                        subject_zh: str, subject_en: str) -> None:
    """One task for each department of a list of the campaign (joint review, acceptance, cancellation)."""
    for department in departments:
        open_task(case, now, kind, clause, Role.department, department=department, subject_zh=subject_zh, subject_en=subject_en)


def reopen(case: CaseState, now: dt.datetime, task: Task, suffix_zh: str, suffix_en: str) -> Task:
    """The same task again, for the same assignee (after a rejection)."""
    return open_task(case, now, task.kind, task.clause, task.assignee_role, department=task.department,
                     township=task.township, item=task.item,
                     subject_zh=f"{task.subject_zh}{suffix_zh}", subject_en=f"{task.subject_en}{suffix_en}")


def all_decided(case: CaseState, *kinds: TaskKind) -> bool:
    """No task of these kinds is still open."""
    return not any(t.kind in kinds and t.is_open for t in case.tasks.values())


def withdraw(case: CaseState, kinds: Iterable[TaskKind] | None = None, *, keep: Iterable[TaskKind] = ()) -> None:
    """Withdraw the open tasks (of ``kinds``, or all but ``keep``): nobody owes them any more."""
    wanted = None if kinds is None else set(kinds)
    kept = set(keep)
    for task in case.open_tasks():
        if (wanted is None or task.kind in wanted) and task.kind not in kept:
            task.status = "withdrawn"
