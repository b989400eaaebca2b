"""四.1 延续矿山: six months to complete the approvals and the works, three more, then the joint review.

From the county's decision the holder has six months to have each approval document approved and
the rectification works accepted; missing them gives a three-month rectification period counted
from the last day of the first; missing that, the holder is deemed to have abandoned the right.
Done: the departments' joint review (联审联批), the county executive meeting, the permit renewed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from models.bounds import echo
from models.calendar import Period
from models.case import deadlines, determination
from models.case.documents import issue_document
from models.case.fixed_dates import start_unused_bare_area, submit_restoration_plan
from models.case.guards import check_stage
from models.case.inbox import all_decided, open_per_department, open_task, withdraw
from models.case.parts import CaseDocument, ItemState, Task, TrackedDeadline
from models.case.state import CaseState
from models.case.supply_and_post_care import stop_supply
from models.case.timeline import notify, record
from models.clauses import Clause
from models.errors import AlreadyDecided, UnknownItem
from models.kinds import DeadlineKind, DocumentKind, EventKind, NoticeKind, TaskKind
from models.messages import DecideRenewal, RecordReview, SubmitDocument
from models.roles import SYSTEM, Actor, Department, Role
from models.stages import RECTIFYING_STAGES, Path, Stage


def approve_continuation(case: CaseState, actor: Actor, now: dt.datetime) -> None:
    """The county approved a continue proposal: six months from the decision (四.1)."""
    assert case.disposition_date is not None
    case.path = Path.continue_
    case.items = {i.code: ItemState(code=i.code) for i in case.policy.approval_items}
    if case.facts.never_produced:
        case.works = "not_required"
    months = case.policy.rectify_months
    if case.periods_from_service:  # the six months count from service of the notice that gives them
        record(case, now, EventKind.continuation_approved, actor,
               f"县政府研究同意延续，自延续整改通知书送达之日起{months}个月内完善审批手续、完成整治任务",
               f"county approved continuation; {months} months from service of the notice", to=Stage.rectifying,
               **case.named_deadlines_data())
        notice: CaseDocument | None = issue_document(
            case, now, DocumentKind.continuation_notice, "延续整改通知书", "continuation and rectification notice",
            Clause.disposition, {"mine_name": case.facts.mine_name, "permit_no": case.facts.permit_no, "holder": case.facts.holder,
                                 "township": case.facts.township, "months": months,
                                 "items": [i.name_zh for i in case.policy.approval_items]}, addressee=case.facts.holder)
    else:
        record(case, now, EventKind.continuation_approved, actor,
               f"县政府研究同意延续，自{case.disposition_date}起{months}个月内完善审批手续、完成整治任务",
               f"county approved continuation; {months} months from {case.disposition_date}", to=Stage.rectifying)
        notice = None
    deadlines.start(case, DeadlineKind.rectification, "完善审批手续并完成整治任务", "approvals and rectification works",
                    Clause.disposition, Role.holder, case.disposition_date, Period(unit="months", amount=months), counts_from=notice)
    start_unused_bare_area(case)


def check_item_may_be_submitted(case: CaseState, code: str) -> ItemState:
    item = case.items.get(code)
    if item is None:
        known = "、".join(f"{i.code}（{i.name_zh}）" for i in case.policy.approval_items)
        raise UnknownItem(f"未知的审批材料「{echo(code)}」，可提交：{known}", f"unknown document '{echo(code)}'")
    if item.status == "under_review":
        raise AlreadyDecided(f"「{case.approval_item(code).name_zh}」正在审批中", f"'{code}' is already under review")
    if item.status == "approved":
        raise AlreadyDecided(f"「{case.approval_item(code).name_zh}」已审批通过", f"'{code}' is already approved")
    return item


def submit_document(case: CaseState, command: SubmitDocument, now: dt.datetime) -> None:
    """The holder files an approval document with its department (or, on the cancel path, the restoration plan)."""
    if command.item == DeadlineKind.restoration_plan and case.path == Path.cancel:
        check_stage(case, Stage.closure_ordered, Stage.restoring, Stage.cancel_acceptance)
        submit_restoration_plan(case, command.actor, command.title, now)
        return
    check_stage(case, *RECTIFYING_STAGES)
    item = check_item_may_be_submitted(case, command.item)
    spec = case.approval_item(command.item)
    if determination.is_joint(case, spec.code):  # 四.2: determined jointly, approved by the county
        tasks = determination.open_joint_determination(case, now, spec)
        item.status, item.task_id, item.title = "under_review", tasks[0].id, command.title
        deadlines.correction_met_if_filed(case)
        zh, en = determination.joint_summary(case, spec)
        record(case, now, EventKind.document_submitted, command.actor, f"采矿权人提交《{spec.name_zh}》，由{zh}",
               f"holder submitted the {spec.name_en}: {en}", clause=Clause(spec.clause), item=spec.code,
               task_id=tasks[0].id, joint_determination=[t.id for t in tasks])
        return
    task = open_task(case, now, TaskKind.document_review, spec.clause, Role.department, department=spec.department,
                     item=spec.code, subject_zh=f"审批《{spec.name_zh}》", subject_en=f"review the {spec.name_en}")
    item.status, item.task_id, item.title = "under_review", task.id, command.title
    deadlines.correction_met_if_filed(case)
    record(case, now, EventKind.document_submitted, command.actor,
           f"采矿权人提交《{spec.name_zh}》，送{spec.department.label_zh}审批",
           f"holder submitted the {spec.name_en} to {spec.department.value}", clause=Clause(spec.clause),
           item=spec.code, task_id=task.id)


def after_document_review(case: CaseState, task: Task, command: RecordReview, now: dt.datetime) -> None:
    assert task.item is not None
    item = case.items[task.item]
    if command.approved:
        item.status = "approved"
        check_rectification_complete(case, now)
    else:
        item.status = "rejected"
        notify(case, now, NoticeKind.document_rejected, ["holder"],
               f"《{case.approval_item(task.item).name_zh}》未通过审批，请修改后重新提交：{command.comment}",
               "document rejected; revise and resubmit")
        deadlines.open_correction(case, now, DeadlineKind.rectification)


def after_determination_approval(case: CaseState, task: Task, command: RecordReview, now: dt.datetime) -> None:
    """报县政府研究同意 (四.2): the county's approval makes the joint determination's item approved."""
    if not command.approved:
        determination.reject_determination(case, task, command, now)
        return
    determination.approve_determination(case, task, now)
    check_rectification_complete(case, now)


def check_rectification_complete(case: CaseState, now: dt.datetime) -> None:
    """Every document approved and the works accepted (or not required): on to the joint review."""
    if case.works not in ("accepted", "not_required") or any(i.status != "approved" for i in case.items.values()):
        return
    for kind in (DeadlineKind.rectification, DeadlineKind.extension):
        deadlines.meet(case, kind)
    record(case, now, EventKind.rectification_completed, SYSTEM,
           "审批手续完善、整治任务完成，进入联审联批", "approvals and works done: joint review", to=Stage.joint_review)
    open_joint_review(case, now)


def open_joint_review(case: CaseState, now: dt.datetime) -> None:
    open_per_department(case, now, TaskKind.joint_review, Clause.disposition, case.policy.joint_review_departments,
                        "联审联批", "joint review")


def after_joint_review(case: CaseState, task: Task, command: RecordReview, now: dt.datetime) -> None:
    if not command.approved:
        assert task.department is not None
        open_task(case, now, TaskKind.joint_review, Clause.disposition, Role.department, department=task.department,
                  subject_zh="联审联批（复审）", subject_en="joint review (again)")
        notify(case, now, NoticeKind.joint_review_rejected, ["holder", "office"],
               f"{task.department.label_zh}联审未通过：{command.comment}", "joint review rejected; to be reviewed again")
        return
    if all_decided(case, TaskKind.joint_review):
        record(case, now, EventKind.joint_review_passed, SYSTEM, "联审联批通过，报县政府常务会议研究",
               "joint review passed; to the executive meeting", to=Stage.renewal_decision)


def decide_renewal(case: CaseState, command: DecideRenewal, now: dt.datetime) -> None:
    check_stage(case, Stage.renewal_decision)
    if not command.approve:
        record(case, now, EventKind.renewal_returned, command.actor,
               f"县政府常务会议未同意，退回联审：{command.comment}", "executive meeting sent it back to joint review",
               to=Stage.joint_review)
        open_joint_review(case, now)
        return
    record(case, now, EventKind.renewal_agreed, command.actor,
           "县政府常务会议研究同意，按程序办理采矿许可证延续", "executive meeting agreed; permit to be renewed", to=Stage.renewing_permit)
    open_task(case, now, TaskKind.permit_renewal, Clause.disposition, Role.department, department=Department.natural_resources,
              subject_zh="办理采矿许可证延续手续", subject_en="renew the mining permit")


def after_permit_renewal(case: CaseState, task: Task, command: RecordReview, now: dt.datetime) -> None:
    if command.approved:
        record(case, now, EventKind.permit_renewed, command.actor, "采矿许可证延续办结", "mining permit renewed", to=Stage.renewed)
    else:
        open_task(case, now, TaskKind.permit_renewal, Clause.disposition, Role.department, department=Department.natural_resources,
                  subject_zh="办理采矿许可证延续手续（补正后）", subject_en="renew the mining permit (after correction)")


def rectification_period_expired(case: CaseState, tracked: TrackedDeadline, now: dt.datetime) -> None:
    """Not done in six months: a three-month rectification period from the last day of the first (四.1)."""
    assert tracked.deadline is not None
    first_last_day = tracked.deadline.last_day
    months = case.policy.extension_months
    record(case, now, EventKind.rectification_period_expired, SYSTEM,
           f"6个月内未完成（期限{first_last_day}），给予{months}个月整改期限",
           f"not done by {first_last_day}; a {months}-month rectification period is given", to=Stage.rectifying_extended)
    notify(case, now, NoticeKind.period_expired, ["holder", "township", "leader", "office"],
           f"{case.facts.mine_name}逾期未完成整改，已给予{months}个月整改期限", "first period expired; extension given")
    start_extension(case, first_last_day)


def start_extension(case: CaseState, first_last_day: dt.date, notice: CaseDocument | None = None) -> None:
    """The 3-month rectification period, counted from the last day of the first (四.1, [default]) or, when the
    campaign says ``extension_counted_from = "service"``, from service of its ``notice``."""
    counts_from = notice if case.policy.extension_counted_from == "service" else None
    deadlines.start(case, DeadlineKind.extension, "整改期限", "rectification period (extension)", Clause.disposition, Role.holder,
                    first_last_day, Period(unit="months", amount=case.policy.extension_months), counts_from=counts_from)


def extension_expired(case: CaseState, tracked: TrackedDeadline, now: dt.datetime) -> None:
    """Still not done at the end of the rectification period: deemed to have abandoned the right (四.1).

    The 2023 rules, on a timer; under due process the county decides it (``decisions``)."""
    assert tracked.deadline is not None
    deem_abandoned(case, now, SYSTEM, tracked.deadline.last_day)


def deem_abandoned(case: CaseState, now: dt.datetime, actor: Actor, last_day: dt.date, document_id: str | None = None) -> None:
    case.path = Path.deemed_abandoned
    withdraw(case, keep=[TaskKind.supply_stop, TaskKind.consequence_decision, TaskKind.document_service] if case.due_process else ())
    stop_supply(case, now)
    record(case, now, EventKind.deemed_to_have_abandoned, actor,
           f"整改期限届满（{last_day}）仍未完成，视为采矿权人自动放弃矿权",
           "still not done at the end of the rectification period: deemed to have abandoned the right", to=Stage.deemed_abandoned,
           **_document(document_id))
    notify(case, now, NoticeKind.deemed_abandoned, ["holder", "township", "leader", "office"],
           f"{case.facts.mine_name}视为自动放弃矿权，请{case.facts.township}作出注销矿权申请",
           "deemed to have abandoned the right; the township is to apply for cancellation")


def _document(document_id: str | None) -> dict[str, Any]:
    return {"document_id": document_id} if document_id else {}
