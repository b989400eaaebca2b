"""四.2 注重实效: restoration by the campaign's fixed dates, and the township's takeover of works overdue.

A cancel mine prepares its restoration plan (reviewed by provincial experts, 七.2) and restores the
mining, plant and stockpile areas by fixed dates; a continue mine restores the bare areas of the
zones it no longer uses. Works overdue are 未履行生态修复法定义务: the township takes them over by its
own fixed date (the holder still bears the cost) and the holder is referred (五.2).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from models.calendar import Period
from models.case import deadlines
from models.case.cancellation import publish_cancellation_notice
from models.case.documents import issue_document
from models.case.inbox import open_task, withdraw
from models.case.parts import Task, TrackedDeadline
from models.case.referral import refer_for_litigation
from models.case.state import CaseState
from models.case.timeline import notify, record
from models.clauses import Clause
from models.errors import AlreadyDecided
from models.kinds import ACCEPTANCE_TASKS, UNUSED_ZONE_ACCEPTANCE_TASKS, DeadlineKind, DocumentKind, EventKind, NoticeKind, TaskKind
from models.messages import RecordReview
from models.roles import SYSTEM, Actor, Role
from models.stages import RESTORING_STAGES, Stage


def start_unused_bare_area(case: CaseState) -> None:
    """A continue mine with bare areas in zones it no longer uses restores them by the fixed date (if the campaign sets one)."""
    unused = case.policy.fixed("unused_bare_area_due")
    if case.facts.unused_bare_area_mu > 0 and not case.facts.never_produced and unused is not None:
        deadlines.start_fixed(case, DeadlineKind.unused_bare_area, "不使用区裸露区整治", "bare areas of unused zones restored",
                              Clause.fixed_dates, Role.holder,
                              case.named_deadlines.get(DeadlineKind.unused_bare_area) or case.policy.fixed_day(unused.code))
        if case.unused_zones_own_duty:  # their own duty, reported and accepted on their own (``unused_zones``)
            case.unused_zone_works = "not_started"


def check_restoration_plan_may_be_submitted(case: CaseState) -> None:
    if case.restoration_plan == "under_review":
        raise AlreadyDecided("生态修复方案正在专家评审中", "the restoration plan is already under review")
    if case.restoration_plan == "approved":
        raise AlreadyDecided("生态修复方案已通过评审", "the restoration plan is already approved")


def submit_restoration_plan(case: CaseState, actor: Actor, title: str, now: dt.datetime) -> None:
    check_restoration_plan_may_be_submitted(case)
    task = open_task(case, now, TaskKind.plan_review, Clause.experts, Role.expert, subject_zh="评审生态修复方案（省级专家库专家）",
                     subject_en="review the restoration plan (provincial expert pool)")
    case.restoration_plan = "under_review"
    if case.due_process:  # 编制完: the plan is done when filed, whatever the date of the experts' review
        deadlines.meet(case, DeadlineKind.restoration_plan)
        deadlines.correction_met_if_filed(case)
    record(case, now, EventKind.restoration_plan_submitted, actor,
           "采矿权人提交生态修复方案，送省级专家库专家评审", "holder submitted the restoration plan to the experts",
           task_id=task.id, title=title)


def after_plan_review(case: CaseState, task: Task, command: RecordReview, now: dt.datetime) -> None:
    if not command.approved:
        case.restoration_plan = "rejected"
        notify(case, now, NoticeKind.plan_rejected, ["holder"], f"生态修复方案未通过专家评审，请修改后重新提交：{command.comment}",
               "restoration plan rejected; revise and resubmit")
        deadlines.open_correction(case, now, DeadlineKind.restoration_plan)
        return
    case.restoration_plan = "approved"
    deadlines.meet(case, DeadlineKind.restoration_plan)
    assert task.decided_by is not None
    # Works already reported done stay in acceptance; otherwise restoration is under way.
    record(case, now, EventKind.restoration_plan_approved, task.decided_by,
           "生态修复方案通过专家评审，开展生态修复", "restoration plan approved; restoration under way",
           to=Stage.restoring if case.stage == Stage.closure_ordered else None)


def restoration_plan_overdue(case: CaseState, tracked: TrackedDeadline, at: dt.datetime) -> None:
    assert tracked.deadline is not None
    record(case, at, EventKind.restoration_plan_overdue, SYSTEM,
           f"逾期未编制完生态修复方案（期限{tracked.deadline.last_day}），报领导小组办公室", "restoration plan overdue; office told")
    notify(case, at, NoticeKind.plan_overdue, ["holder", "township", "leader", "office"],
           f"{case.facts.mine_name}逾期未编制生态修复方案", "restoration plan overdue")


def restoration_works_overdue(case: CaseState, tracked: TrackedDeadline, at: dt.datetime) -> None:
    works_overdue(case, tracked, at)
    if case.stage in RESTORING_STAGES:
        publish_cancellation_notice(case, at, "逾期未完成矿山生态环境整治任务", "works not done in time")


def works_overdue(case: CaseState, tracked: TrackedDeadline, at: dt.datetime) -> None:
    """未履行生态修复法定义务: the township takes over, and the case is referred (四.2, 五.2) — the 2023 rules,
    on a timer; under due process each is a decision (``decisions``)."""
    assert tracked.deadline is not None
    take_over_works(case, at, SYSTEM, tracked.kind, tracked.deadline.last_day, case.policy.fixed_day("township_takeover_due"))
    refer_for_litigation(case, at, tracked.label_zh, tracked.kind, tracked.deadline.last_day)


def take_over_works(case: CaseState, at: dt.datetime, actor: Actor, duty: DeadlineKind, last_day: dt.date,
                    by: dt.date | None) -> None:
    """The township takes the works over, by the campaign's date ``by`` (or, when that date has passed at the
    decision, within the campaign's months from it); the holder still bears the cost (四.2, 代履行).

    When a continue mine's unused zones are their own duty, their takeover takes over those works only: their
    acceptance is withdrawn, the holder's own rectification and its acceptance go on."""
    if case.unused_zones_own_duty and duty == DeadlineKind.unused_bare_area:
        withdraw(case, UNUSED_ZONE_ACCEPTANCE_TASKS)
        case.unused_zones_taken_over = True
        if case.unused_zone_works in ("initial_inspection", "field_acceptance"):
            case.unused_zone_works = "not_started"  # the township reports the works it takes over
    else:
        withdraw(case, ACCEPTANCE_TASKS)
    if case.unused_zones_own_duty:
        case.takeover_duty = duty
    months = case.policy.takeover_months_when_date_passed
    when_zh, when_en = (f"于{by}前", f"by {by}") if by is not None else (f"自决定之日起{months}个月内", f"within {months} months")
    data: dict[str, Any] = {"overdue": duty.value}
    if case.due_process:
        document = issue_document(case, at, DocumentKind.takeover_decision, "接手整治决定书", "takeover decision", Clause.fixed_dates, {
            "mine_name": case.facts.mine_name, "permit_no": case.facts.permit_no, "holder": case.facts.holder,
            "township": case.facts.township, "duty": duty.value, "last_day": last_day.isoformat(), "takeover_by": when_zh,
        }, addressee=case.facts.township)
        data["document_id"] = document.id
    if case.substitute_performance:  # 行政强制法 art. 51(1): the decision is served on the holder before the works
        to_holder = issue_document(
            case, at, DocumentKind.substitute_performance_decision, "代履行决定书", "decision on substitute performance",
            Clause.fixed_dates, {"mine_name": case.facts.mine_name, "permit_no": case.facts.permit_no, "holder": case.facts.holder,
                                 "township": case.facts.township, "duty": duty.value, "last_day": last_day.isoformat(),
                                 "takeover_by": when_zh}, addressee=case.facts.holder)
        data["holder_document_id"] = to_holder.id
    record(case, at, EventKind.works_taken_over, actor,
           f"逾期未完成整治（期限{last_day}），属未履行生态修复法定义务，转由{case.facts.township}"
           f"{when_zh}完成；修复责任及经费仍由原采矿权人承担",
           f"works overdue: the township takes them over {when_en}; the holder still owes the cost", **data)
    if by is not None:
        deadlines.start_fixed(case, DeadlineKind.township_takeover, "乡镇接手完成整治任务", "township finishes the works",
                              Clause.fixed_dates, Role.township, by)
    else:
        deadlines.start(case, DeadlineKind.township_takeover, "乡镇接手完成整治任务", "township finishes the works",
                        Clause.fixed_dates, Role.township, case.effective_date(at), Period(unit="months", amount=months))


def takeover_overdue(case: CaseState, tracked: TrackedDeadline, at: dt.datetime) -> None:
    assert tracked.deadline is not None
    record(case, at, EventKind.takeover_overdue, SYSTEM,
           f"{case.facts.township}接手的整治任务逾期未完成（期限{tracked.deadline.last_day}），报领导小组办公室",
           "township takeover overdue; office told")
    notify(case, at, NoticeKind.takeover_overdue, ["township", "office", "leader"],
           f"{case.facts.mine_name}：乡镇接手整治逾期", "takeover overdue")
