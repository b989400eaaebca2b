"""Due process: the holder answers for its own acts, and every sanction is a decision of the competent body.

When a holder's period expires, the rules first ask whether the holder did its own part in time: a
document filed by the last day counts, whatever the date of its review; works reported done by the
last day count, and are then accepted or sent back. Time the administration takes to review never
runs against the holder: a rejection after the last day opens a correction period (补正,
``deadlines.open_correction``).

Only when the holder did not do its part does the expiry lead anywhere, and then only to a
*proposal* for the competent body — an open task with the facts, due in the campaign's working days
and escalated when late: the 3-month period (四.1) and deemed abandonment (四.1) are the county's;
takeover of the works (四.2) is the county's decision addressed to the township; the referral (五.2)
is the township's, to the procuratorate; the cancellation notice (四.3) is the county's, and deemed
abandonment follows its publication by a person who records it (``service.serve_document``). The
decider accepts, or declines with a reason; both are in the record. Nothing is dated before it was
decided: the instant the consequence would have had on a timer is shown, never used.

Cases started before these rules keep the rules they started with (``CaseState.due_process``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from models.calendar import Period
from models.case.continue_path import deem_abandoned, start_extension
from models.case.documents import issue_document
from models.case.fixed_dates import restoration_plan_overdue, take_over_works, takeover_overdue
from models.case.inbox import open_task
from models.case.parts import Proposal, Task, TrackedDeadline
from models.case.referral import refer_for_litigation
from models.case.state import CaseState
from models.case.supply_and_post_care import post_care_ended
from models.case.timeline import notify, record
from models.clauses import Clause
from models.errors import RuleViolation
from models.kinds import Consequence, DeadlineKind, DocumentKind, EventKind, NoticeKind, TaskKind
from models.messages import RecordReview
from models.roles import SYSTEM, Role
from models.stages import RESTORING_STAGES, Path, Stage

# consequence → (competent body, clause, what the proposal asks, in Chinese and English)
PROPOSALS: dict[Consequence, tuple[Role, Clause, str, str]] = {
    Consequence.grant_extension: (Role.county, Clause.disposition, "给予3个月整改期限", "give the 3-month rectification period"),
    Consequence.deemed_abandonment: (Role.county, Clause.disposition, "视为采矿权人自动放弃矿权",
                                     "deem the holder to have abandoned the right"),
    Consequence.takeover: (Role.county, Clause.fixed_dates, "整治任务转由林场、乡镇完成（代履行，费用由原采矿权人承担）",
                           "the township takes over the works (at the holder's cost)"),
    Consequence.referral: (Role.township, Clause.litigation, "将未履行生态修复法定义务的线索移送县人民检察院",
                           "refer the failure to restore to the procuratorate"),
    Consequence.cancellation_notice: (Role.county, Clause.cancellation, "在县政府网站发布注销公告",
                                      "publish the cancellation notice on the county's website"),
}


def apply_elapsed_period(case: CaseState, tracked: TrackedDeadline, at: dt.datetime) -> None:
    """A holder's period expired: met if the holder filed in time, otherwise the consequence is proposed."""
    DUE_PROCESS_EXPIRY[tracked.kind](case, tracked, at)


def _filed_in_time(case: CaseState, tracked: TrackedDeadline, at: dt.datetime, duty: DeadlineKind) -> bool:
    if not case.holder_has_filed(duty):
        return False
    tracked.status = "met"
    assert tracked.deadline is not None
    record(case, at, EventKind.duties_filed_in_time, SYSTEM,
           f"采矿权人已于期限（{tracked.deadline.last_day}）内履行自身义务，审查、验收时间不计入其期限",
           f"the holder did its part by {tracked.deadline.last_day}; review time does not count against it",
           clause=tracked.clause, deadline=tracked.kind.value)
    return True


def _continue_period(consequence: Consequence) -> Callable[[CaseState, TrackedDeadline, dt.datetime], None]:
    def expired(case: CaseState, tracked: TrackedDeadline, at: dt.datetime) -> None:
        if not _filed_in_time(case, tracked, at, tracked.kind):
            propose(case, at, consequence, tracked)
    return expired


def _restoration_plan(case: CaseState, tracked: TrackedDeadline, at: dt.datetime) -> None:
    if not _filed_in_time(case, tracked, at, DeadlineKind.restoration_plan):
        restoration_plan_overdue(case, tracked, at)  # the office is told; no sanction follows from it alone


def _works(case: CaseState, tracked: TrackedDeadline, at: dt.datetime) -> None:
    """Works not reported done by their fixed date: takeover and referral proposed; for a cancel mine the notice too."""
    if _filed_in_time(case, tracked, at, tracked.kind):
        return
    propose(case, at, Consequence.takeover, tracked)
    propose(case, at, Consequence.referral, tracked)
    if case.stage in RESTORING_STAGES:
        propose(case, at, Consequence.cancellation_notice, tracked)


def _application_window(case: CaseState, tracked: TrackedDeadline, at: dt.datetime) -> None:
    propose(case, at, Consequence.cancellation_notice, tracked)


def _correction(case: CaseState, tracked: TrackedDeadline, at: dt.datetime) -> None:
    """The correction period expired: met if the holder filed again, otherwise its period's consequence."""
    corrects = tracked.corrects
    assert corrects is not None
    if case.holder_has_filed(corrects):
        tracked.status = "met"
        return
    if corrects in (DeadlineKind.restoration_works, DeadlineKind.unused_bare_area):
        _works(case, tracked, at)
    elif corrects == DeadlineKind.rectification:
        propose(case, at, Consequence.grant_extension, tracked)
    elif corrects == DeadlineKind.extension:
        propose(case, at, Consequence.deemed_abandonment, tracked)
    else:
        restoration_plan_overdue(case, tracked, at)


DUE_PROCESS_EXPIRY: dict[DeadlineKind, Callable[[CaseState, TrackedDeadline, dt.datetime], None]] = {
    DeadlineKind.rectification: _continue_period(Consequence.grant_extension),
    DeadlineKind.extension: _continue_period(Consequence.deemed_abandonment),
    DeadlineKind.restoration_plan: _restoration_plan,
    DeadlineKind.restoration_works: _works,
    DeadlineKind.unused_bare_area: _works,
    DeadlineKind.township_takeover: takeover_overdue,  # the township's own duty: the office is told
    DeadlineKind.cancel_application: _application_window,
    DeadlineKind.post_care: post_care_ended,
    DeadlineKind.correction: _correction,
}
"""What an expired period leads to under due process, by its kind."""

def propose(case: CaseState, at: dt.datetime, consequence: Consequence, tracked: TrackedDeadline) -> Task:
    """Open the decision for the competent body, with the facts; it is dated now, whatever it proposes."""
    role, clause, ask_zh, ask_en = PROPOSALS[consequence]
    assert tracked.deadline is not None
    duty = tracked.corrects or tracked.kind
    filed_zh, filed_en = _facts(case, duty)
    provisional_zh = "（暂定）" if tracked.deadline.provisional else ""
    proposal = Proposal(consequence=consequence, duty=duty, last_day=tracked.deadline.last_day,
                        would_apply_at=tracked.deadline.overdue_from, provisional=tracked.deadline.provisional,
                        facts_zh=f"{tracked.label_zh}期限{tracked.deadline.last_day}{provisional_zh}届满；{filed_zh}",
                        facts_en=f"{tracked.label_en} ended on {tracked.deadline.last_day}; {filed_en}")
    task = open_task(case, at, TaskKind.consequence_decision, clause, role,
                     township=case.facts.township if role == Role.township else None,
                     subject_zh=f"研究决定：{ask_zh}", subject_en=f"decide: {ask_en}",
                     period=Period(unit="working_days", amount=case.policy.decision_working_days))
    task.proposal = proposal
    record(case, at, EventKind.consequence_proposed, SYSTEM, f"提请{_body_zh(role)}研究决定：{ask_zh}（{proposal.facts_zh}）",
           f"proposed to the {role.value}: {ask_en} ({proposal.facts_en})", clause=clause, task_id=task.id,
           consequence=consequence.value, duty=duty.value, provisional=proposal.provisional)
    notify(case, at, NoticeKind.consequence_proposed, [task.assignee, "office", "leader"],
           f"{case.facts.mine_name}：{ask_zh}，请研究决定", f"{ask_en}: to be decided")
    return task


def after_consequence_decision(case: CaseState, task: Task, command: RecordReview, now: dt.datetime) -> None:
    proposal = task.proposal
    assert proposal is not None
    if not command.approved:
        ask_zh = PROPOSALS[proposal.consequence][2]
        record(case, now, EventKind.consequence_declined, command.actor, f"决定不予{ask_zh}：{command.comment}",
               f"declined: {PROPOSALS[proposal.consequence][3]}: {command.comment}", clause=task.clause,
               task_id=task.id, consequence=proposal.consequence.value)
        return
    APPLY[proposal.consequence](case, task, proposal, now)


def _grant_extension(case: CaseState, task: Task, proposal: Proposal, now: dt.datetime) -> None:
    first = case.deadlines[DeadlineKind.rectification]
    assert first.deadline is not None and task.decided_by is not None
    months = case.policy.extension_months
    from_service = case.periods_from_service and case.policy.extension_counted_from == "service"
    since_zh, since_en = (("整改通知书送达之日", "service of the notice") if from_service else
                          (f"原期限{first.deadline.last_day}届满之日", str(first.deadline.last_day)))
    record(case, now, EventKind.extension_granted, task.decided_by, f"县政府决定给予{months}个月整改期限，自{since_zh}起计算",
           f"the county gave a {months}-month rectification period from {since_en}", to=Stage.rectifying_extended, task_id=task.id)
    document = issue_document(case, now, DocumentKind.extension_notice, "整改通知书", "rectification notice", Clause.disposition,
                              _mine_fields(case, months=months, from_day=first.deadline.last_day.isoformat(),
                                           **({"counted_from": "service"} if from_service else {})),
                              addressee=case.facts.holder)
    start_extension(case, first.deadline.last_day, document)
    notify(case, now, NoticeKind.period_expired, ["holder", "township", "leader", "office"],
           f"{case.facts.mine_name}：县政府已给予{months}个月整改期限（{document.title_zh}待送达）", "3-month period given")


def _deem_abandoned(case: CaseState, task: Task, proposal: Proposal, now: dt.datetime) -> None:
    assert task.decided_by is not None
    document = issue_document(case, now, DocumentKind.deemed_abandonment_decision, "视为自动放弃矿权决定书",
                              "decision: deemed to have abandoned the right", Clause.disposition,
                              _mine_fields(case, last_day=proposal.last_day.isoformat()), addressee=case.facts.holder)
    deem_abandoned(case, now, task.decided_by, proposal.last_day, document.id)
    if case.works not in ("accepted", "not_required"):  # 六: the duty to restore outlives the right
        duty = case.deadlines.get(DeadlineKind.extension) or case.deadlines[DeadlineKind.rectification]
        propose(case, now, Consequence.takeover, duty)
        propose(case, now, Consequence.referral, duty)


def _take_over(case: CaseState, task: Task, proposal: Proposal, now: dt.datetime) -> None:
    assert task.decided_by is not None
    fixed = case.policy.fixed("township_takeover_due")
    by = fixed.date if fixed is not None and fixed.date is not None and fixed.date >= case.effective_date(now) else None
    take_over_works(case, now, task.decided_by, proposal.duty, proposal.last_day, by)


def _refer(case: CaseState, task: Task, proposal: Proposal, now: dt.datetime) -> None:
    assert task.decided_by is not None
    duty = case.deadlines.get(proposal.duty)
    label = duty.label_zh if duty else proposal.duty.value
    refer_for_litigation(case, now, label, proposal.duty, proposal.last_day, actor=task.decided_by, due_process=True)


def _draft_notice(case: CaseState, task: Task, proposal: Proposal, now: dt.datetime) -> None:
    """The county agreed: the notice is drafted for publication; deemed abandonment follows its publication."""
    why_zh, why_en = (("完成整治任务后未按时申请注销", "no application within the window")
                      if proposal.duty == DeadlineKind.cancel_application else
                      ("逾期未完成矿山生态环境整治任务", "works not done in time"))
    document = issue_document(case, now, DocumentKind.cancellation_notice, "注销公告", "cancellation notice", Clause.cancellation,
                              _mine_fields(case, reason=why_zh, published_on=None), addressee=case.facts.holder)
    notify(case, now, NoticeKind.document_to_serve, ["county", "office"],
           f"{case.facts.mine_name}：{document.title_zh}待在县政府网站发布（发布后请登记网址和日期）", f"publish the notice ({why_en})")


APPLY: dict[Consequence, Callable[[CaseState, Task, Proposal, dt.datetime], None]] = {
    Consequence.grant_extension: _grant_extension,
    Consequence.deemed_abandonment: _deem_abandoned,
    Consequence.takeover: _take_over,
    Consequence.referral: _refer,
    Consequence.cancellation_notice: _draft_notice,
}


def withdraw_proposals_the_holder_met(case: CaseState, now: dt.datetime) -> None:
    """An act recorded late but dated by its own day (``Message.on``, taking in a running campaign): if it shows the
    holder did its part by the last day, the consequence proposed when the period ran out is withdrawn and the period
    is met — a holder answers for what it did, not for when the office typed it in."""
    on = case._acting_on
    if on is None or not case.due_process:
        return
    for tracked in case.deadlines.values():  # a period already counted as missed (the office was told, nothing proposed)
        if (tracked.status == "missed" and tracked.responsible == Role.holder and tracked.deadline is not None
                and on <= tracked.deadline.last_day and case.holder_has_filed(tracked.kind)):
            tracked.status = "met"
            record(case, now, EventKind.duties_filed_in_time, SYSTEM,
                   f"补录材料表明采矿权人已于{on}（期限{tracked.deadline.last_day}内）履行{tracked.label_zh}",
                   f"recorded late: the holder did its part on {on}, by {tracked.deadline.last_day}",
                   clause=tracked.clause, deadline=tracked.kind.value, recorded_late=True)
    for task in case.open_tasks():
        proposal = task.proposal
        if task.kind != TaskKind.consequence_decision or proposal is None or on > proposal.last_day:
            continue
        applied = proposal.duty == DeadlineKind.cancel_application and case.stage != Stage.awaiting_cancel_application
        if not (case.holder_has_filed(proposal.duty) or applied):
            continue
        task.status = "withdrawn"
        for kind in (proposal.duty, DeadlineKind.correction):
            period = case.deadlines.get(kind)
            if period is not None and period.status in ("missed", "open") and proposal.duty in (kind, period.corrects):
                period.status = "met"
        ask_zh, ask_en = PROPOSALS[proposal.consequence][2], PROPOSALS[proposal.consequence][3]
        record(case, now, EventKind.proposal_withdrawn, SYSTEM,
               f"补录材料表明采矿权人已于{on}（期限{proposal.last_day}内）履行，撤回“{ask_zh}”的提请",
               f"recorded late: the holder did its part on {on}, by {proposal.last_day}; withdrawn: {ask_en}",
               clause=task.clause, task_id=task.id, consequence=proposal.consequence.value, duty=proposal.duty.value)


def check_a_rejection_gives_its_reason(case: CaseState, command: RecordReview) -> None:
    if case.due_process and not command.approved and not command.comment.strip():
        raise RuleViolation("不通过或不予决定须说明理由", "a rejection needs its reason (comment)")


def _facts(case: CaseState, duty: DeadlineKind) -> tuple[str, str]:
    if case.unused_zones_own_duty and duty == DeadlineKind.unused_bare_area:  # their own duty: their own facts
        works = case.unused_zone_works
        return f"不使用区裸露区整治：{_WORKS_ZH.get(works, works)}", f"unused-zone works: {works}"
    filed = [i.code for i in case.items.values() if i.status in ("under_review", "approved")]
    owed = [i.code for i in case.items.values() if i.status not in ("under_review", "approved")]
    zh = f"已提交材料{len(filed)}项，未提交或被退回{len(owed)}项；整治任务：{_WORKS_ZH.get(case.works, case.works)}"
    en = f"{len(filed)} documents filed, {len(owed)} not filed or returned; works: {case.works}"
    if case.path == Path.cancel:
        zh += f"；生态修复方案：{case.restoration_plan}"
        en += f"; restoration plan: {case.restoration_plan}"
    return zh, en


_WORKS_ZH = {"not_started": "未报告完成", "rejected": "验收未通过", "initial_inspection": "初验中", "field_acceptance": "实地验收中",
             "expert_acceptance": "专家验收中", "accepted": "已验收", "not_required": "无需整治"}


def _body_zh(role: Role) -> str:
    return {Role.county: "县政府", Role.township: "林场、乡镇"}.get(role, role.value)


def _mine_fields(case: CaseState, **extra: object) -> dict[str, object]:
    facts = case.facts
    return {"mine_name": facts.mine_name, "permit_no": facts.permit_no, "holder": facts.holder, "township": facts.township, **extra}
