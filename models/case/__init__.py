"""The case of one stopped mine: its state and the rules of 004, as a pure domain model.

No Temporal, no database, no clock: every rule takes the business time ``now`` from its caller (the
workflow passes ``workflow.now()``). Guards are named like the rules they check and raise a
``RuleViolation`` with a bilingual message; a guard that fails changes nothing. Stage changes go
through the transition table (``models/transitions.py``).

One module per section of the plan:

=====================  ====================================================================
``disposition``        四.1 the township proposes cancel or continue; the county decides
``continue_path``      四.1 six months, three more, joint review, renewal; deemed abandonment
``fixed_dates``        四.2 restoration plan and works by fixed dates; township takeover
``determination``      四.2 the process and equipment determined jointly, approved by the county
``unused_zones``       四.2 a continue mine's unused-zone works: their own duty, their own acceptance (五.1)
``cancellation``       四.3 closure decision, application, notice, permits cancelled
``acceptance``         五.1 inspection, field acceptance, expert certificate; resuming production
``referral``           五.2 referral for public-interest litigation
``collective``         五.3 a collective decision moves a deadline
``supply_and_post_care`` 六 power and explosives, post-care, closing the case
=====================  ====================================================================

and the parts they share: ``state`` (what a case holds), ``parts`` (tasks, deadlines, timeline,
notices, documents), ``timeline`` (recording), ``inbox``, ``deadlines``, ``guards``, ``obligations``.
This module holds the ``Case`` aggregate and the three dispatch tables that join the sections: by
message (``HANDLERS``), by reviewed task (``AFTER_REVIEW``) and by expired deadline (``ON_EXPIRY``).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

from models.bounds import echo
from models.calendar import Deadline
from models.case import (
    acceptance,
    cancellation,
    collective,
    continue_path,
    deadlines,
    decisions,
    determination,
    disposition,
    fixed_dates,
    informing,
    service,
    unused_zones,
)
from models.case import supply_and_post_care as post_care
from models.case.guards import check_effective_date, check_role, role_zh
from models.case.obligations import open_obligations
from models.case.parts import (
    CaseDocument,
    DeadlineMove,
    DueRequest,
    ItemState,
    Notice,
    Task,
    TimelineEvent,
    TrackedDeadline,
    business_date,
    fixed_deadline,
)
from models.case.state import CaseState
from models.case.timeline import notify, record
from models.clauses import Clause
from models.errors import AlreadyDecided, NotYourTask, RuleViolation, WrongRole
from models.kinds import DeadlineKind, EventKind, NoticeKind, TaskKind
from models.messages import (
    ApplyCancellation,
    ApplyResumeProduction,
    DecideDisposition,
    DecideRenewal,
    Message,
    MoveDeadline,
    ProposeDisposition,
    RecordReview,
    RegisterCase,
    ReportWorksDone,
    ServeDocument,
    SubmitDocument,
)
from models.roles import SYSTEM
from models.verbs import VERBS

__all__ = [
    "AFTER_REVIEW", "HANDLERS", "ON_EXPIRY", "Case", "CaseDocument", "CaseState", "DeadlineMove",
    "DueRequest", "ItemState", "Notice", "RuleViolation", "Task", "TaskKind", "TimelineEvent", "TrackedDeadline",
    "business_date", "fixed_deadline",
]


Handler = Callable[[CaseState, Any, dt.datetime], None]
AfterReview = Callable[[CaseState, Task, RecordReview, dt.datetime], None]
OnExpiry = Callable[[CaseState, TrackedDeadline, dt.datetime], None]


def _nothing_follows(case: CaseState, task: Task, command: RecordReview, now: dt.datetime) -> None:
    """Supply stopped, a post-care inspection done: recorded, nothing else follows."""


def record_review(case: CaseState, command: RecordReview, now: dt.datetime) -> None:
    """A department's, the township's or the experts' decision on one of their tasks."""
    task = check_task_is_theirs(case, command)
    service.check_task_is_not_a_service(task)
    decisions.check_a_rejection_gives_its_reason(case, command)
    checklist = acceptance.check_checklist(case, task, command)
    task.status = "approved" if command.approved else "rejected"
    task.decided_at, task.decided_by, task.comment = now, command.actor, command.comment
    verdict_zh = "通过" if command.approved else "不通过"
    extra: dict[str, Any] = {"checklist": checklist} if checklist else {}
    if checklist:
        task.checklist = checklist
    record(case, now, EventKind.review_recorded, command.actor,
           f"{task.subject_zh}：{verdict_zh}" + (f"（{command.comment}）" if command.comment else ""),
           f"{task.subject_en}: {'approved' if command.approved else 'rejected'}",
           clause=task.clause, task_id=task.id, approved=command.approved, **extra)
    AFTER_REVIEW[task.kind](case, task, command, now)


def check_task_is_theirs(case: CaseState, command: RecordReview) -> Task:
    task = case.tasks.get(command.task_id)
    if task is None:
        raise NotYourTask(f"本案没有任务 {echo(command.task_id)}", f"no task {echo(command.task_id)} on this case")
    if not task.is_open:
        raise AlreadyDecided(f"任务 {task.id} 已办结（{task.status}）", f"task {task.id} is already {task.status}")
    actor = command.actor
    if actor.role != task.assignee_role:
        raise WrongRole(f"任务「{task.subject_zh}」应由{role_zh(task.assignee_role)}办理",
                        f"task {task.id} is for {task.assignee_role.value}")
    if task.department is not None and actor.department != task.department:
        raise NotYourTask(f"任务「{task.subject_zh}」由{task.department.label_zh}办理",
                          f"task {task.id} belongs to {task.department.value}")
    if task.township is not None and actor.township != task.township:
        raise NotYourTask(f"任务「{task.subject_zh}」由{task.township}办理", f"task {task.id} belongs to {task.township}")
    return task


HANDLERS: dict[type[Message], Handler] = {
    ProposeDisposition: disposition.propose_disposition,
    DecideDisposition: disposition.decide_disposition,
    SubmitDocument: continue_path.submit_document,
    ReportWorksDone: acceptance.report_works_done,
    RecordReview: record_review,
    DecideRenewal: continue_path.decide_renewal,
    ApplyResumeProduction: acceptance.apply_resume_production,
    ApplyCancellation: cancellation.apply_cancellation,
    MoveDeadline: collective.move_deadline,
    ServeDocument: service.serve_document,
}
"""Each verb's handler, by its message type (the verbs themselves: ``models.verbs.VERBS``)."""

AFTER_REVIEW: dict[TaskKind, AfterReview] = {
    TaskKind.document_review: continue_path.after_document_review,
    TaskKind.joint_review: continue_path.after_joint_review,
    TaskKind.permit_renewal: continue_path.after_permit_renewal,
    TaskKind.initial_inspection: acceptance.after_initial_inspection,
    TaskKind.field_acceptance: acceptance.after_field_acceptance,
    TaskKind.expert_certificate: acceptance.after_expert_certificate,
    TaskKind.resume_review: acceptance.after_resume_review,
    TaskKind.supply_restore: acceptance.after_resume_review,
    TaskKind.plan_review: fixed_dates.after_plan_review,
    TaskKind.permit_cancellation: cancellation.after_permit_cancellation,
    TaskKind.supply_stop: _nothing_follows,
    TaskKind.post_care_inspection: _nothing_follows,
    TaskKind.consequence_decision: decisions.after_consequence_decision,
    TaskKind.document_service: _nothing_follows,  # done by recording the service, never by a review
    TaskKind.joint_determination: determination.after_joint_determination,
    TaskKind.determination_approval: continue_path.after_determination_approval,
    TaskKind.unused_zone_inspection: unused_zones.after_unused_zone_inspection,
    TaskKind.unused_zone_acceptance: unused_zones.after_unused_zone_acceptance,
}
"""What follows a decided task, by its kind."""

ON_EXPIRY: dict[DeadlineKind, OnExpiry] = {
    DeadlineKind.rectification: continue_path.rectification_period_expired,
    DeadlineKind.extension: continue_path.extension_expired,
    DeadlineKind.restoration_plan: fixed_dates.restoration_plan_overdue,
    DeadlineKind.restoration_works: fixed_dates.restoration_works_overdue,
    DeadlineKind.unused_bare_area: fixed_dates.works_overdue,
    DeadlineKind.township_takeover: fixed_dates.takeover_overdue,
    DeadlineKind.cancel_application: cancellation.application_window_missed,
    DeadlineKind.post_care: post_care.post_care_ended,
}
"""The consequence of a missed deadline, by its kind, under the 2023 rules (on a timer). Cases under due
process go through ``decisions.DUE_PROCESS_EXPIRY`` instead: the holder's own acts, and proposals."""


def apply_elapsed_time(case: CaseState, now: dt.datetime) -> None:
    """Everything due at ``now``: reminders, expired periods, post-care inspections, review escalations."""
    for tracked in list(case.open_deadlines()):
        assert tracked.deadline is not None
        for offset in deadlines.unsent_reminders(case, tracked):
            if deadlines.reminder_at(tracked, offset) <= now:
                tracked.reminders_sent.append(offset)
                if tracked.opened_at is None or deadlines.reminder_at(tracked, offset) >= tracked.opened_at:
                    deadlines.remind(case, tracked, offset, deadlines.reminder_at(tracked, offset))
        if deadlines.expires_at(case, tracked) <= now:
            # The consequence takes effect at the instant the law gives, however late it is processed.
            tracked.status = "missed"
            if case.due_process:
                decisions.apply_elapsed_period(case, tracked, deadlines.expires_at(case, tracked))
            else:
                ON_EXPIRY[tracked.kind](case, tracked, tracked.deadline.overdue_from)
    for number, at in sorted(case.inspections.items()):
        if at <= now:
            post_care.inspect(case, int(number), at)
    for task in case.open_tasks():
        if task.due is not None and not task.escalated and task.due.overdue_from <= now:
            task.escalated = True
            record(case, task.due.overdue_from, EventKind.review_overdue_escalated, SYSTEM,
                   f"{task.subject_zh}逾期未办结（期限{task.due.last_day}），报领导小组办公室",
                   f"{task.subject_en} overdue since {task.due.last_day}; office told", clause=task.clause, task_id=task.id)
            notify(case, task.due.overdue_from, NoticeKind.review_overdue, ["office", task.assignee],
                   f"{case.facts.mine_name}：{task.subject_zh}已逾期", f"{task.subject_en} is overdue")


class Case(CaseState):
    """The aggregate: the state of ``CaseState`` and the rules of the sections, one method per verb."""

    @classmethod
    def register(cls, command: RegisterCase, now: dt.datetime) -> Case:
        case = cls(facts=command.facts, policy=command.policy)
        case._acting_on, case._clock = check_effective_date(case, command.on, now), now
        flags = []
        if command.facts.resources_exhausted:
            flags.append("资源枯竭")
        if command.facts.never_produced:
            flags.append("建矿至今未生产")
        record(case, now, EventKind.case_registered, command.registered_by,
               f"登记停产矿山 {command.facts.mine_name}" + (f"（{'、'.join(flags)}）" if flags else ""),
               f"stopped mine {command.facts.permit_no} registered", campaign=command.policy.id)
        case._acting_on = case._clock = None
        return case

    def trial_copy(self) -> Case:
        """A copy to try an input on (the workflow's validators, ``allowed_actions``): whatever the rule does to it leaves
        this case as it was. The timeline's entries and the notices are frozen and only ever appended: the copy has its
        own lists of the same entries (copying them was half the cost of a validation, issue 16)."""
        shared: dict[int, Any] = {id(entry): entry for entry in self.timeline}
        shared.update({id(notice): notice for notice in self.notices})
        return copy.deepcopy(self, shared)

    @classmethod
    def check_registration(cls, command: RegisterCase, now: dt.datetime) -> None:
        """Refuse a registration whose date cannot be (before anything is started)."""
        check_effective_date(cls(facts=command.facts, policy=command.policy), command.on, now)

    def adopt_due_process(self, now: dt.datetime) -> None:
        """From registration, the rules of due process apply to this case (``decisions``); and 六: a stopped
        mine gets no explosives from the day it is registered."""
        self.due_process = True
        post_care.ban_explosives(self, now)

    def adopt_decision_notices(self) -> None:
        """From registration, every decision and every service is told to the holder and the township, and a
        refusal says why (patch ``decision-notices-2026-11-27``, ``informing``)."""
        self.decisions_notified = True

    def adopt_acceptance_checklist(self) -> None:
        """From registration, a field acceptance may carry its department's checklist of the acceptance standard (004
        附件), and the expert panel's acceptance issues the 验收合格意见书 (patch ``acceptance-certificate-2026-11-27``)."""
        self.acceptance_checklist = True

    def adopt_lawful_enforcement(self) -> None:
        """From registration, the rules that completed lawful enforcement apply (patch ``lawful-enforcement-2026-11-27``):
        each decision is the issuer's to serve, and a holder's period counts from the service of the decision
        that gives it (``documents``); the process and equipment are determined jointly and approved by the county
        (``determination``); a continue mine's unused-zone works are their own duty with their own acceptance
        (``unused_zones``); a takeover of the works is a 代履行决定书 served on the holder (``fixed_dates``)."""
        self.periods_from_service = True
        self.substitute_performance = True
        self.passed_dates_named = True
        self.reminders_from_recording = True
        self.joint_determination = True
        self.unused_zones_own_duty = True

    # -- inputs: one per verb --------------------------------------------------------------------

    def handle(self, command: Message, now: dt.datetime) -> None:
        """Apply one person's input; a ``RuleViolation`` means nothing changed."""
        verb = VERBS[type(command)]
        check_role(command.actor, *verb.roles)
        on = check_effective_date(self, command.on, now)
        self._acting_on, self._clock = on, now
        try:
            informing.check_a_refusal_gives_its_reason(self, command)
            events_before, notices_before = len(self.timeline), len(self.notices)
            HANDLERS[type(command)](self, command, now)
            decisions.withdraw_proposals_the_holder_met(self, now)
            informing.tell_holder_and_township(self, command, events_before, notices_before, now)
        finally:
            self._acting_on = self._clock = None

    def propose_disposition(self, command: ProposeDisposition, now: dt.datetime) -> None:
        self.handle(command, now)

    def decide_disposition(self, command: DecideDisposition, now: dt.datetime) -> None:
        self.handle(command, now)

    def submit_document(self, command: SubmitDocument, now: dt.datetime) -> None:
        self.handle(command, now)

    def report_works_done(self, command: ReportWorksDone, now: dt.datetime) -> None:
        self.handle(command, now)

    def record_review(self, command: RecordReview, now: dt.datetime) -> None:
        self.handle(command, now)

    def decide_renewal(self, command: DecideRenewal, now: dt.datetime) -> None:
        self.handle(command, now)

    def apply_resume_production(self, command: ApplyResumeProduction, now: dt.datetime) -> None:
        self.handle(command, now)

    def apply_cancellation(self, command: ApplyCancellation, now: dt.datetime) -> None:
        self.handle(command, now)

    def move_deadline(self, command: MoveDeadline, now: dt.datetime) -> None:
        self.handle(command, now)

    def serve_document(self, command: ServeDocument, now: dt.datetime) -> None:
        self.handle(command, now)

    # -- what time does ------------------------------------------------------------------------

    def apply_elapsed_time(self, now: dt.datetime) -> None:
        self._clock = now
        try:
            apply_elapsed_time(self, now)
        finally:
            self._clock = None

    def next_alarm(self) -> dt.datetime | None:
        return deadlines.next_alarm(self)

    # -- due dates from the calendar -------------------------------------------------------------

    def fill_due(self, target: str, deadline: Deadline) -> None:
        deadlines.fill_due(self, target, deadline)

    def recomputable(self) -> list[DueRequest]:
        return deadlines.recomputable(self)

    def recomputed(self, target: str, new: Deadline, now: dt.datetime) -> None:
        deadlines.recomputed(self, target, new, now)

    # -- reads -----------------------------------------------------------------------------------

    def open_obligations(self) -> list[dict[str, Any]]:
        return open_obligations(self)


__all__ += ["Clause", "apply_elapsed_time", "check_task_is_theirs", "record_review"]
