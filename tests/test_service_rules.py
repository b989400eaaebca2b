"""送达 on the pure domain model: a decision is its issuer's to serve, and a holder's period counts from
service (``models/case/documents.py``, ``models/case/service.py``; issue 10, "documents are served").

A period the holder did not know of cannot run against it: the six months of a continue mine count from
the day the 延续整改通知书 is served, the never-produced mine's 30 days from the day the 关闭决定书 is,
and the 3 months from the day the 整改通知书 is when the campaign says ``extension_counted_from =
"service"``. Until then the period shows no due date. Serving is the issuer's duty — the county's for its
decisions and notices, the township's for its referral — with the campaign's ``service_days``, escalated
to the office when late like any other task.
"""

from __future__ import annotations

import datetime as dt

from models.calendar import Period
from models.case import CaseDocument
from models.kinds import Consequence, DeadlineKind, DocumentKind, EventKind, TaskKind
from models.messages import ApplyCancellation, RecordReview, ServeDocument
from models.roles import Role
from models.stages import Stage
from tests.rules_helpers import CALENDAR, refused
from tests.stories import COUNTY, HOLDER, OFFICE, POLICY, TOWNSHIP, Story


def document(story: Story, kind: DocumentKind) -> CaseDocument:
    return next(d for d in story.case.documents if d.kind == kind)


def serve(story: Story, kind: DocumentKind, method: str = "post") -> CaseDocument:
    served = document(story, kind)
    story.act(ServeDocument(actor=OFFICE, document_id=served.id, method=method))
    return served


def decide(story: Story, consequence: Consequence) -> None:
    task = next(t for t in story.open(TaskKind.consequence_decision) if t.proposal and t.proposal.consequence == consequence)
    story.act(RecordReview(actor=COUNTY if task.assignee_role == Role.county else TOWNSHIP, task_id=task.id, approved=True))


def service_task(story: Story, kind: DocumentKind):
    wanted = document(story, kind).id
    return next(t for t in story.case.tasks.values() if t.kind == TaskKind.document_service and t.document_id == wanted)


def six_months_from(day: dt.date) -> dt.date:
    return CALENDAR.compute(day, Period(unit="months", amount=6)).last_day


# -- 四.1: the six months count from service ------------------------------------------------------------


def test_the_six_months_of_a_continue_mine_count_from_the_day_the_continuation_notice_is_served():
    story = Story(due_process=True)
    story.to_disposition("continue", serve=False)
    decided_on = story.case.disposition_date
    rectification = story.case.deadlines[DeadlineKind.rectification]
    notice = document(story, DocumentKind.continuation_notice)
    assert (notice.addressee, notice.served_on) == ("测试矿业（虚构）", None)
    assert rectification.deadline is None and rectification.counts_from_service_of == notice.id  # not counting yet
    story.later(9)
    serve(story, DocumentKind.continuation_notice)
    served_on = story.now.date()
    assert served_on > decided_on
    assert rectification.deadline is not None and rectification.deadline.start == served_on
    assert rectification.deadline.last_day == six_months_from(served_on) != six_months_from(decided_on)
    served = [e for e in story.case.timeline if e.kind == EventKind.document_served][-1]
    assert served.data["periods_started"] == ["rectification"] and "自送达之日起计算" in served.summary_zh


def test_a_period_whose_decision_was_never_served_does_not_run_against_the_holder():
    story = Story(due_process=True)
    story.to_disposition("continue", serve=False)
    story.later(400)  # more than six months; nobody served the notice
    case = story.case
    assert case.stage == Stage.rectifying and not story.open(TaskKind.consequence_decision)
    assert case.deadlines[DeadlineKind.rectification].status == "open" and case.deadlines[DeadlineKind.rectification].deadline is None
    assert service_task(story, DocumentKind.continuation_notice).escalated  # the issuer's delay is the issuer's


def test_an_unserved_decision_is_the_issuers_task_due_in_the_campaigns_days_and_escalated_when_late():
    story = Story(due_process=True)
    story.to_disposition("continue", serve=False)
    task = service_task(story, DocumentKind.continuation_notice)
    assert (task.assignee_role, task.clause) == (Role.county, "四.1") and "送达《延续整改通知书》" in task.subject_zh
    assert task.due is not None and task.due.start == story.case.disposition_date
    assert task.due.period == Period(unit="days", amount=POLICY.service_days)
    assert not task.escalated
    story.later(POLICY.service_days + 2)
    assert task.escalated
    escalated = next(e for e in story.case.timeline if e.kind == EventKind.review_overdue_escalated and e.data["task_id"] == task.id)
    assert escalated.at == task.due.overdue_from


def test_serving_the_decision_does_the_issuers_task_and_a_review_cannot():
    story = Story(due_process=True)
    story.to_disposition("continue", serve=False)
    task = service_task(story, DocumentKind.continuation_notice)
    violation = refused(story.case, story.case.record_review, RecordReview(actor=COUNTY, task_id=task.id, approved=True), story.now)
    assert "登记送达" in violation.zh and task.is_open
    serve(story, DocumentKind.continuation_notice, method="direct")
    assert (task.status, task.decided_by, task.comment) == ("approved", OFFICE, "直接送达")


# -- 四.1: the three months, from the end of the first period or from service ---------------------------


def extended(policy=POLICY) -> Story:
    story = Story(due_process=True, policy=policy)
    story.to_disposition("continue")
    story.later(200)
    decide(story, Consequence.grant_extension)
    return story


def test_the_three_months_count_from_the_end_of_the_first_period_by_default_whether_or_not_served():
    story = extended()
    first = story.case.deadlines[DeadlineKind.rectification].deadline
    extension = story.case.deadlines[DeadlineKind.extension]
    assert extension.deadline is not None and extension.deadline.start == first.last_day
    assert service_task(story, DocumentKind.extension_notice).is_open  # still the county's to serve
    assert "counted_from" not in document(story, DocumentKind.extension_notice).fields  # the text says: from the first's end


def test_the_three_months_count_from_service_of_the_rectification_notice_when_the_campaign_says_so():
    story = extended(POLICY.model_copy(update={"extension_counted_from": "service"}))
    extension = story.case.deadlines[DeadlineKind.extension]
    notice = document(story, DocumentKind.extension_notice)
    assert extension.deadline is None and extension.counts_from_service_of == notice.id
    assert notice.fields["counted_from"] == "service"
    story.later(5)
    serve(story, DocumentKind.extension_notice)
    assert extension.deadline is not None and extension.deadline.start == story.now.date()
    assert extension.deadline.last_day == CALENDAR.compute(story.now.date(), Period(unit="months", amount=3)).last_day


# -- 四.3: the never-produced mine's 30 days, the township's referral, the county's notice ----------------


def test_a_never_produced_mine_has_its_thirty_days_to_apply_from_service_of_the_closure_decision():
    story = Story(due_process=True, never_produced=True)
    story.to_disposition("cancel", serve=False)
    window = story.case.deadlines[DeadlineKind.cancel_application]
    decision = document(story, DocumentKind.closure_decision)
    assert window.deadline is None and decision.fields["application_counted_from"] == "service"
    story.later(20)
    serve(story, DocumentKind.closure_decision)
    assert window.deadline is not None and window.deadline.start == story.now.date()
    story.later(25)  # 45 days after the decision, 25 after service: still in time
    assert not story.open(TaskKind.consequence_decision)
    story.act(ApplyCancellation(actor=HOLDER))
    assert window.status == "met"


def test_a_takeover_is_also_a_substitute_performance_decision_served_on_the_holder():
    story = Story(due_process=True)
    story.to_disposition("cancel")
    story.later(800)
    decide(story, Consequence.takeover)
    to_township, to_holder = document(story, DocumentKind.takeover_decision), document(story, DocumentKind.substitute_performance_decision)
    assert (to_township.addressee, to_holder.addressee) == ("泗溪镇", "测试矿业（虚构）")
    assert to_holder.fields["takeover_by"] == to_township.fields["takeover_by"]
    assert service_task(story, DocumentKind.substitute_performance_decision).assignee_role == Role.county
    taken_over = next(e for e in story.case.timeline if e.kind == EventKind.works_taken_over)
    assert taken_over.data["holder_document_id"] == to_holder.id


def test_the_referral_is_the_townships_to_serve_and_the_takeover_decision_the_countys():
    story = Story(due_process=True)
    story.to_disposition("cancel")
    story.later(800)  # plan and works dates passed, nothing done
    decide(story, Consequence.takeover)
    decide(story, Consequence.referral)
    referral = service_task(story, DocumentKind.referral)
    assert (referral.assignee_role, referral.township) == (Role.township, "泗溪镇")
    assert service_task(story, DocumentKind.takeover_decision).assignee_role == Role.county


def test_the_cancellation_notice_is_the_countys_to_publish_and_publishing_it_does_the_task():
    story = Story(due_process=True)
    story.to_disposition("cancel")
    story.later(800)
    decide(story, Consequence.cancellation_notice)
    task = service_task(story, DocumentKind.cancellation_notice)
    assert task.assignee_role == Role.county and "在县政府网站发布" in task.subject_zh
    notice = document(story, DocumentKind.cancellation_notice)
    story.act(ServeDocument(actor=OFFICE, document_id=notice.id, method="announcement", url="http://www.shanggao.gov.cn/1"))
    assert task.status == "approved" and story.case.stage == Stage.deemed_abandoned


def test_deemed_abandonment_does_not_withdraw_the_duty_to_serve_its_own_decision():
    story = extended()
    serve(story, DocumentKind.extension_notice)
    story.later(120)
    decide(story, Consequence.deemed_abandonment)
    assert story.case.stage == Stage.deemed_abandoned
    assert service_task(story, DocumentKind.deemed_abandonment_decision).is_open


# -- cases started before keep counting from the decision ------------------------------------------------


def test_a_case_started_before_the_rules_of_service_counts_its_six_months_from_the_decision():
    story = Story()
    story.case.adopt_due_process(story.now)  # due process, as cases started between the two patches
    story.to_disposition("continue", serve=False)
    rectification = story.case.deadlines[DeadlineKind.rectification]
    assert rectification.deadline is not None and rectification.deadline.start == story.case.disposition_date
    assert not any(t.kind == TaskKind.document_service for t in story.case.tasks.values())
    assert not any(d.kind == DocumentKind.continuation_notice for d in story.case.documents)
