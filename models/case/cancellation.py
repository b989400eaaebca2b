"""四.3 注销程序: the closure decision, restore first and cancel after, the notice, and cancellation.

The county's closure decision names who restores, by when, who supervises, the window to apply and
who looks after the site. After the works are accepted the holder has 30 days to apply; the
departments then cancel the permits. Works not done in time, or no application in the window: the
cancellation notice is published and the holder is deemed to have abandoned the right; the
township applies, and the permits are cancelled directly.
"""

from __future__ import annotations

import datetime as dt

from models.calendar import Period
from models.case import deadlines
from models.case.documents import issue_document
from models.case.guards import check_role, check_stage, check_township_is_the_mines
from models.case.inbox import all_decided, open_per_department, reopen, withdraw
from models.case.parts import CaseDocument, Task, TrackedDeadline
from models.case.state import CaseState
from models.case.supply_and_post_care import begin_post_care, close, stop_supply
from models.case.timeline import notify, record
from models.clauses import Clause
from models.kinds import DeadlineKind, DocumentKind, EventKind, NoticeKind, TaskKind
from models.messages import ApplyCancellation, RecordReview
from models.roles import SYSTEM, Actor, Role
from models.stages import Path, Stage
from models.units import unit_name


def order_closure(case: CaseState, actor: Actor, now: dt.datetime) -> None:
    """The county approved a cancel proposal: the closure decision is issued (四.3) with the fixed dates of 四.2."""
    policy, facts = case.policy, case.facts
    case.path = Path.cancel
    never_produced = facts.never_produced
    # A mine that never produced restores nothing: no plan or works date binds it.
    named = case.named_deadlines
    plan_due = None if never_produced else named.get(DeadlineKind.restoration_plan) or policy.fixed_day("restoration_plan_due")
    works_due = None if never_produced else named.get(DeadlineKind.restoration_works) or policy.fixed_day("cancel_works_due")
    fields = {
        "mine_name": facts.mine_name,
        "permit_no": facts.permit_no,
        "holder": facts.holder,
        "township": facts.township,
        "restoration_party": facts.holder,
        "restoration_deadline": None if works_due is None else works_due.isoformat(),
        "plan_deadline": None if plan_due is None else plan_due.isoformat(),
        "supervisor": unit_name(facts.township),
        "application_window_days": policy.cancel_application_days,
        "post_care_party": unit_name(facts.township),
        "post_care_years": policy.post_care_years,
        "never_produced": never_produced,
        "document_no": policy.document_no,
        **({"application_counted_from": "service"} if never_produced and case.periods_from_service else {}),
    }
    document = issue_document(case, now, DocumentKind.closure_decision, "关闭决定书", "closure decision", Clause.cancellation, fields,
                              addressee=facts.holder)
    summary = "县政府研究同意注销关闭，下达关闭决定文书"
    if plan_due is None or works_due is None:  # never produced
        record(case, now, EventKind.closure_ordered, actor,
               summary + "；建矿至今未生产，保持原始地貌，不得人为扰动，无需修复",
               "closure ordered; never produced: the site is kept as it is, no restoration works",
               to=Stage.awaiting_cancel_application, document_id=document.id, site_not_to_be_disturbed=True)
        assert case.disposition_date is not None
        deadlines.start(case, DeadlineKind.cancel_application, "提交注销申请", "apply to cancel", Clause.cancellation, Role.holder,
                        case.disposition_date, Period(unit="days", amount=policy.cancel_application_days), counts_from=document)
    else:
        record(case, now, EventKind.closure_ordered, actor,
               f"{summary}：{plan_due}前编制完生态修复方案，{works_due}前完成整治并通过验收",
               f"closure ordered: plan by {plan_due}, works accepted by {works_due}",
               to=Stage.closure_ordered, document_id=document.id,
               **case.named_deadlines_data())
        deadlines.start_fixed(case, DeadlineKind.restoration_plan, "编制完生态修复方案", "restoration plan done",
                              Clause.fixed_dates, Role.holder, plan_due)
        deadlines.start_fixed(case, DeadlineKind.restoration_works, "采区、厂区、堆料区裸露区整治完成并通过验收",
                              "works on mining, plant and stockpile areas accepted", Clause.fixed_dates, Role.holder, works_due)
    stop_supply(case, now)
    notify(case, now, NoticeKind.closure_ordered, ["holder", "township", "leader", "office"],
           f"{facts.mine_name}：县政府已下达关闭决定", "closure decision issued")


def start_application_window(case: CaseState, accepted_on: dt.date) -> None:
    deadlines.start(case, DeadlineKind.cancel_application, "提交注销申请", "apply to cancel", Clause.cancellation, Role.holder,
                    accepted_on, Period(unit="days", amount=case.policy.cancel_application_days))


def apply_cancellation(case: CaseState, command: ApplyCancellation, now: dt.datetime) -> None:
    """The holder applies within the window; or the township, for a holder deemed to have abandoned the right."""
    if case.stage == Stage.awaiting_cancel_application:
        check_role(command.actor, Role.holder)
        deadlines.meet(case, DeadlineKind.cancel_application)
        record(case, now, EventKind.cancellation_applied, command.actor,
               "原采矿权人提交注销申请，各部门依据关闭文书及验收合格意见书注销证照",
               "holder applied; departments cancel on the closure decision and the acceptance certificate",
               to=Stage.cancelling)
        open_cancellations(case, now)
        return
    check_stage(case, Stage.deemed_abandoned)
    check_township_is_the_mines(case, command.actor)
    record(case, now, EventKind.cancellation_applied, command.actor,
           f"{case.facts.township}作出注销矿权申请，各部门直接注销证照", "township applied; departments cancel the permits",
           to=Stage.cancelling)
    open_cancellations(case, now)


def open_cancellations(case: CaseState, now: dt.datetime) -> None:
    open_per_department(case, now, TaskKind.permit_cancellation, Clause.cancellation, case.policy.cancel_departments,
                        "注销采矿许可证等证照", "cancel the permits and licences")


def after_permit_cancellation(case: CaseState, task: Task, command: RecordReview, now: dt.datetime) -> None:
    if not command.approved:
        reopen(case, now, task, "（补正后）", " (after correction)")
        return
    if all_decided(case, TaskKind.permit_cancellation):
        record(case, now, EventKind.permits_cancelled, SYSTEM, "各部门注销采矿许可证等证照完毕", "all permits and licences cancelled",
               to=Stage.cancelled)
        after_all_cancelled(case, now)


def after_all_cancelled(case: CaseState, now: dt.datetime) -> None:
    """Permits cancelled: post-care when the works were accepted; otherwise wait for the takeover."""
    if case.acceptance_date is not None:
        begin_post_care(case, now)
    elif case.facts.never_produced or (not case.takeover_open() and not _restoration_still_owed(case)):
        close(case, now, "permits cancelled; nothing left to restore" if case.facts.never_produced else "permits cancelled")


def _restoration_still_owed(case: CaseState) -> bool:
    """Due process (六): the duty to restore outlives the right; the case stays open until the works are accepted."""
    return case.due_process and case.works not in ("accepted", "not_required")


def publish_cancellation_notice(case: CaseState, at: dt.datetime, why_zh: str, why_en: str) -> None:
    """四.3: the notice on the county's website; after it the holder is deemed to have abandoned the right."""
    facts = case.facts
    notice = issue_document(case, at, DocumentKind.cancellation_notice, "注销公告", "cancellation notice", Clause.cancellation, {
        "mine_name": facts.mine_name, "permit_no": facts.permit_no, "holder": facts.holder,
        "township": facts.township, "reason": why_zh, "published_on": "县政府网站",
    })
    record(case, at, EventKind.cancellation_notice_published, SYSTEM,
           f"{why_zh}，在县政府网站发布注销公告", f"{why_en}: cancellation notice published", document_id=notice.id)
    case.path = Path.deemed_abandoned
    withdraw(case, keep=[TaskKind.supply_stop])
    record(case, at, EventKind.deemed_to_have_abandoned, SYSTEM,
           "注销公告发布后，视为采矿权人自动放弃矿权", "after the notice the holder is deemed to have abandoned the right",
           to=Stage.deemed_abandoned)
    notify(case, at, NoticeKind.deemed_abandoned, ["holder", "township", "leader", "office"],
           f"{facts.mine_name}视为自动放弃矿权，请{facts.township}作出注销矿权申请",
           "deemed to have abandoned the right; the township is to apply for cancellation")


def notice_published(case: CaseState, at: dt.datetime, document: CaseDocument, actor: Actor) -> None:
    """Due process: a person published the notice the county decided; deemed abandonment follows it (四.3)."""
    facts = case.facts
    document.fields = {**document.fields, "published_on": document.url or "县政府网站"}
    record(case, at, EventKind.cancellation_notice_published, actor,
           f"在县政府网站发布注销公告（{document.url}）", "cancellation notice published", document_id=document.id, url=document.url)
    case.path = Path.deemed_abandoned
    withdraw(case, keep=[TaskKind.supply_stop, TaskKind.consequence_decision, TaskKind.document_service])
    record(case, at, EventKind.deemed_to_have_abandoned, actor,
           "注销公告发布后，视为采矿权人自动放弃矿权", "after the notice the holder is deemed to have abandoned the right",
           to=Stage.deemed_abandoned, document_id=document.id)
    notify(case, at, NoticeKind.deemed_abandoned, ["holder", "township", "leader", "office"],
           f"{facts.mine_name}视为自动放弃矿权，请{facts.township}作出注销矿权申请",
           "deemed to have abandoned the right; the township is to apply for cancellation")


def application_window_missed(case: CaseState, tracked: TrackedDeadline, at: dt.datetime) -> None:
    publish_cancellation_notice(case, at, "完成整治任务后未按时申请注销", "no application within the window")
