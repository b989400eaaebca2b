"""Due process on the pure domain model: the holder answers for its own acts, and every sanction is a
decision of the competent body, dated when it is decided and served (``models/case/decisions.py``).

The legal audit's reproductions (``../shared/reviews/2026-11-legal-audit.md`` §5) are here as the
plan's sentences: E3 (a holder who filed everything is deemed to have abandoned the right because no
department acted), E5 (a plan filed in time logged overdue), E7 (works in acceptance taken over), E2
(a mine closed with its works undone), and the sanctions taken by a timer in the name of others.
"""

from __future__ import annotations

import datetime as dt

from models.case import Case
from models.errors import RuleViolation
from models.kinds import Consequence, DeadlineKind, DocumentKind, EventKind, TaskKind
from models.messages import (
    ApplyCancellation,
    ApplyResumeProduction,
    DecideRenewal,
    RecordReview,
    ReportWorksDone,
    ServeDocument,
    SubmitDocument,
)
from models.roles import Actor, Department, Role
from models.stages import Path, Stage
from tests.rules_helpers import refused
from tests.stories import COUNTY, HOLDER, OFFICE, TOWNSHIP, Story

WEBSITE = "http://www.shanggao.gov.cn/gsgg/2030/1.html"


def kinds(case: Case) -> list[EventKind]:
    return [e.kind for e in case.timeline]


def proposals(story: Story) -> dict[Consequence, Actor]:
    return {t.proposal.consequence: t.assignee_role for t in story.open(TaskKind.consequence_decision) if t.proposal}


def decide(story: Story, consequence: Consequence, approved: bool = True, comment: str = "") -> None:
    task = next(t for t in story.open(TaskKind.consequence_decision) if t.proposal and t.proposal.consequence == consequence)
    actor = COUNTY if task.assignee_role == Role.county else TOWNSHIP
    story.act(RecordReview(actor=actor, task_id=task.id, approved=approved, comment=comment))


def file_everything(story: Story) -> None:
    for item in story.policy.approval_items:
        story.act(SubmitDocument(actor=HOLDER, item=item.code))
    story.act(ReportWorksDone(actor=HOLDER))


def continue_mine() -> Story:
    story = Story(due_process=True)
    story.to_disposition("continue")
    return story


# -- the holder answers for its own acts (E3, E5, E7) -----------------------------------------------


def test_a_holder_who_filed_everything_in_time_is_never_sanctioned_for_a_departments_delay():
    story = continue_mine()
    file_everything(story)  # within days; no department, no township ever acts
    story.later(600)
    case = story.case
    assert case.stage == Stage.rectifying and case.path == Path.continue_
    assert case.deadlines[DeadlineKind.rectification].status == "met"
    assert EventKind.duties_filed_in_time in kinds(case)
    assert not story.open(TaskKind.consequence_decision)
    assert EventKind.deemed_to_have_abandoned not in kinds(case) and DeadlineKind.extension not in case.deadlines
    assert all(t.escalated for t in story.open(TaskKind.document_review))  # the departments' delay is theirs, escalated


def test_a_rejection_after_the_last_day_gives_the_holder_fifteen_days_to_correct():
    story = continue_mine()
    file_everything(story)
    story.until(Stage.rectifying, 1)
    story.later(200)  # the six months are over, met by filing
    task = story.open(TaskKind.document_review)[0]
    story.act(RecordReview(actor=Actor(role=Role.department, name="审批员", department=task.department), task_id=task.id,
                           approved=False, comment="附图不全"))
    correction = story.case.deadlines[DeadlineKind.correction]
    assert correction.status == "open" and correction.corrects == DeadlineKind.rectification
    assert correction.deadline is not None and correction.deadline.start == story.now.date()
    assert correction.deadline.period.amount == 15
    story.act(SubmitDocument(actor=HOLDER, item=task.item or ""))
    assert story.case.deadlines[DeadlineKind.correction].status == "met"
    story.later(60)
    assert not story.open(TaskKind.consequence_decision)


def test_a_correction_not_made_in_time_proposes_its_periods_consequence_to_the_county():
    story = continue_mine()
    file_everything(story)
    story.later(200)
    task = story.open(TaskKind.document_review)[0]
    story.act(RecordReview(actor=Actor(role=Role.department, name="审批员", department=task.department), task_id=task.id,
                           approved=False, comment="附图不全"))
    story.later(30)
    assert proposals(story) == {Consequence.grant_extension: Role.county}
    assert story.case.stage == Stage.rectifying


def test_a_restoration_plan_filed_before_its_date_is_done_whatever_the_date_of_the_experts_review():
    story = Story(due_process=True)
    story.to_disposition("cancel")
    story.act(SubmitDocument(actor=HOLDER, item="restoration_plan"))
    story.later(120)  # past the plan's fixed date, the experts have not met
    assert story.case.deadlines[DeadlineKind.restoration_plan].status == "met"
    assert EventKind.restoration_plan_overdue not in kinds(story.case)


def test_works_reported_before_their_date_are_not_taken_over_while_their_acceptance_runs():
    story = Story(due_process=True)
    story.to_disposition("cancel")
    story.act(SubmitDocument(actor=HOLDER, item="restoration_plan"))
    story.decide(TaskKind.plan_review)
    story.act(ReportWorksDone(actor=HOLDER))
    story.decide(TaskKind.initial_inspection)
    story.later(200)  # field acceptance still open at the works' fixed date
    case = story.case
    assert case.deadlines[DeadlineKind.restoration_works].status == "met"
    assert story.open(TaskKind.field_acceptance)
    assert not story.open(TaskKind.consequence_decision) and EventKind.works_taken_over not in kinds(case)
    assert case.path == Path.cancel


# -- every sanction is a decision of its competent body ---------------------------------------------


def test_six_months_missed_propose_the_three_months_to_the_county_and_nothing_happens_before_it_decides():
    story = continue_mine()
    story.until(Stage.rectifying, 1)
    story.later(200)
    case = story.case
    assert case.stage == Stage.rectifying and DeadlineKind.extension not in case.deadlines
    [task] = story.open(TaskKind.consequence_decision)
    assert task.assignee_role == Role.county and task.proposal is not None
    assert task.proposal.would_apply_at == case.deadlines[DeadlineKind.rectification].deadline.overdue_from  # shown, not used
    assert task.due is not None  # the county's own period, escalated when late
    decided_at = story.now + dt.timedelta(days=1)
    decide(story, Consequence.grant_extension)
    assert case.stage == Stage.rectifying_extended
    granted = next(e for e in case.timeline if e.kind == EventKind.extension_granted)
    assert granted.at == decided_at and granted.actor.role == Role.county
    first = case.deadlines[DeadlineKind.rectification].deadline
    assert case.deadlines[DeadlineKind.extension].deadline.start == first.last_day  # counted from the first period's end
    assert [d.kind for d in case.documents] == [DocumentKind.continuation_notice, DocumentKind.extension_notice]


def test_deemed_abandonment_is_the_countys_decision_and_is_never_dated_before_it():
    story = continue_mine()
    story.later(200)
    decide(story, Consequence.grant_extension)
    story.later(120)
    assert story.case.stage == Stage.rectifying_extended and Consequence.deemed_abandonment in proposals(story)
    story.later(20)  # the county meets three weeks later
    decided_at = story.now + dt.timedelta(days=1)
    decide(story, Consequence.deemed_abandonment)
    case = story.case
    deemed = next(e for e in case.timeline if e.kind == EventKind.deemed_to_have_abandoned)
    assert deemed.at == decided_at and deemed.actor == COUNTY and case.stage == Stage.deemed_abandoned
    assert [n.at for n in case.notices if n.kind == "deemed_abandoned"] == [decided_at]  # the holder and township are told
    decision = next(d for d in case.documents if d.kind == DocumentKind.deemed_abandonment_decision)
    assert decision.addressee == case.facts.holder and decision.served_on is None
    # 六: the duty to restore outlives the right: takeover and referral go to their bodies
    assert proposals(story) == {Consequence.takeover: Role.county, Consequence.referral: Role.township}


def test_the_county_may_decline_a_consequence_but_only_with_its_reason():
    story = continue_mine()
    story.later(200)
    task = story.open(TaskKind.consequence_decision)[0]
    refused(story.case, story.case.record_review, RecordReview(actor=COUNTY, task_id=task.id, approved=False), story.now)
    decide(story, Consequence.grant_extension, approved=False, comment="采矿权人未收到处置通知，先行送达")
    case = story.case
    assert case.stage == Stage.rectifying and EventKind.consequence_declined in kinds(case)
    assert next(e for e in case.timeline if e.kind == EventKind.consequence_declined).data["consequence"] == "grant_extension"


def test_works_not_reported_by_their_date_propose_takeover_referral_and_notice_each_to_its_body():
    story = Story(due_process=True)
    story.to_disposition("cancel")
    story.later(200)
    case = story.case
    assert proposals(story) == {Consequence.takeover: Role.county, Consequence.referral: Role.township,
                                Consequence.cancellation_notice: Role.county}
    assert case.stage in (Stage.closure_ordered, Stage.restoring) and case.path == Path.cancel
    assert EventKind.works_taken_over not in kinds(case) and not [d for d in case.documents if d.kind == DocumentKind.referral]


def test_the_holder_is_deemed_to_have_abandoned_the_right_only_once_a_person_publishes_the_notice():
    story = Story(due_process=True)
    story.to_disposition("cancel")
    story.later(200)
    decide(story, Consequence.cancellation_notice)
    case = story.case
    notice = next(d for d in case.documents if d.kind == DocumentKind.cancellation_notice)
    assert case.stage != Stage.deemed_abandoned and notice.served_on is None
    refused(case, case.serve_document, ServeDocument(actor=OFFICE, document_id=notice.id, method="announcement"), story.now)
    story.later(5)
    story.act(ServeDocument(actor=OFFICE, document_id=notice.id, method="announcement", url=WEBSITE))
    published = next(e for e in case.timeline if e.kind == EventKind.cancellation_notice_published)
    deemed = next(e for e in case.timeline if e.kind == EventKind.deemed_to_have_abandoned)
    assert published.at == deemed.at == story.now and deemed.actor == OFFICE
    assert case.stage == Stage.deemed_abandoned and notice.url == WEBSITE and notice.served_on == story.now.date()


def test_the_referral_is_the_townships_own_act_in_its_name_to_the_procuratorate_alone():
    story = Story(due_process=True)
    story.to_disposition("cancel")
    story.later(200)
    decide(story, Consequence.referral)
    referral = next(d for d in story.case.documents if d.kind == DocumentKind.referral)
    assert referral.fields["referred_to"] == "县人民检察院" and referral.fields["issuer"] == "泗溪镇"
    event = next(e for e in story.case.timeline if e.kind == EventKind.referred_for_litigation)
    assert event.actor == TOWNSHIP and event.data["referred_to"] == ["procuratorate"]


def test_the_takeover_is_the_countys_decision_addressed_to_the_township_at_the_holders_cost():
    story = Story(due_process=True)
    story.to_disposition("cancel")
    story.later(200)
    decide(story, Consequence.takeover)
    case = story.case
    decision = next(d for d in case.documents if d.kind == DocumentKind.takeover_decision)
    assert decision.addressee == "泗溪镇"
    taken = next(e for e in case.timeline if e.kind == EventKind.works_taken_over)
    assert taken.actor == COUNTY and "经费仍由原采矿权人承担" in taken.summary_zh
    assert case.deadlines[DeadlineKind.township_takeover].responsible == Role.township


def test_a_continue_mine_deemed_abandoned_with_its_works_undone_stays_open_after_its_permits_are_cancelled():
    story = continue_mine()
    story.later(200)
    decide(story, Consequence.grant_extension)
    story.later(140)
    decide(story, Consequence.deemed_abandonment)
    story.act(ApplyCancellation(actor=TOWNSHIP))
    story.decide(TaskKind.permit_cancellation)
    assert story.case.stage == Stage.cancelled and story.case.works == "not_started"  # not closed: the works are owed


def test_a_decision_addressed_to_the_holder_is_served_and_the_service_is_recorded():
    story = continue_mine()
    story.later(200)
    decide(story, Consequence.grant_extension)
    notice = next(d for d in story.case.documents if d.kind == DocumentKind.extension_notice)
    story.act(ServeDocument(actor=OFFICE, document_id=notice.id, method="direct"))
    assert notice.served_on == story.now.date() and notice.service_method == "direct" and notice.served_by == OFFICE
    assert story.case.timeline[-1].kind == EventKind.document_served
    refused(story.case, story.case.serve_document, ServeDocument(actor=OFFICE, document_id=notice.id, method="post"), story.now)


def test_a_consequence_proposed_on_a_provisional_last_day_says_so():
    start = dt.datetime(2033, 1, 10, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))  # no schedule for 2033
    story = Story(due_process=True, start=start)
    story.to_disposition("continue")
    story.later(200)
    [task] = story.open(TaskKind.consequence_decision)
    assert task.proposal is not None and task.proposal.provisional
    assert "暂定" in task.proposal.facts_zh


# -- 六 supply controls ------------------------------------------------------------------------------


def test_explosives_are_banned_from_registration_and_restored_only_after_the_resume_review_passes():
    story = Story(due_process=True)
    [ban] = story.open(TaskKind.supply_stop)
    assert ban.department == Department.public_security
    story.to_disposition("continue")
    story.rectify_everything()
    story.decide(TaskKind.joint_review)
    story.act(DecideRenewal(actor=COUNTY, approve=True))
    story.decide(TaskKind.permit_renewal)
    story.act(ApplyResumeProduction(actor=HOLDER))
    assert not story.open(TaskKind.supply_restore)
    story.decide(TaskKind.resume_review)
    assert {t.department for t in story.open(TaskKind.supply_restore)} == {Department.power_supply, Department.public_security}
    story.decide(TaskKind.supply_restore)
    assert story.case.stage == Stage.production_resumed


def test_a_rejection_needs_its_reason():
    story = continue_mine()
    story.act(SubmitDocument(actor=HOLDER, item=story.policy.approval_items[0].code))
    task = story.open(TaskKind.document_review)[0]
    reviewer = Actor(role=Role.department, name="审批员", department=task.department)
    violation = refused(story.case, story.case.record_review, RecordReview(actor=reviewer, task_id=task.id, approved=False), story.now)
    assert isinstance(violation, RuleViolation) and "理由" in violation.zh


def test_each_decision_asks_its_issuers_register_for_a_number_of_the_year():
    story = Story(due_process=True)
    story.to_disposition("cancel")
    (request,) = story.case.pending_numbers  # the closure decision, before the workflow's register answers
    assert (request.prefix, request.year) == ("上府关字", 2030)
    from models.case.documents import fill_number

    fill_number(story.case, request.document_id, "上府关字〔2030〕7号")
    assert story.case.documents[0].number == "上府关字〔2030〕7号" and not story.case.pending_numbers
    story.later(200)
    decide(story, Consequence.referral)
    (referral,) = story.case.pending_numbers
    assert referral.prefix == "泗溪镇移字"  # the township numbers its own referral


# -- the last day ends at 24:00, or at close of business for paper filings (Civil Code art. 203) --------------


def file_last_document_at(hour: int, minute: int, policy=None) -> Story:
    """Everything filed early but the last document, filed on the six months' last day at ``hour:minute``."""
    story = Story(due_process=True, **({"policy": policy} if policy else {}))
    story.to_disposition("continue")
    *early, last = story.policy.approval_items
    for item in early:
        story.act(SubmitDocument(actor=HOLDER, item=item.code))
    story.act(ReportWorksDone(actor=HOLDER))
    last_day = story.case.deadlines[DeadlineKind.rectification].deadline.last_day
    at = dt.datetime.combine(last_day, dt.time(hour, minute), tzinfo=story.now.tzinfo)
    story.later((at - story.now).total_seconds() / 86400)
    story.case.handle(SubmitDocument(actor=HOLDER, item=last.code), story.now)
    story.settle()
    story.later(2)
    return story


def test_a_filing_on_the_last_day_counts_until_midnight_by_default():
    story = file_last_document_at(23, 50)
    assert story.case.deadlines[DeadlineKind.rectification].status == "met" and not proposals(story)


def test_a_paper_filing_after_the_campaigns_close_of_business_on_the_last_day_is_not_in_time():
    policy = Story().policy.model_copy(update={"filing_cutoff": dt.time(17, 30)})
    late = file_last_document_at(17, 45, policy)
    assert proposals(late) == {Consequence.grant_extension: Role.county}
    proposed = next(e for e in late.case.timeline if e.kind == EventKind.consequence_proposed)
    assert proposed.at.time() == dt.time(17, 30)  # the period ended at close of business on its last day
    in_time = file_last_document_at(17, 15, policy)
    assert in_time.case.deadlines[DeadlineKind.rectification].status == "met" and not proposals(in_time)
