"""Effective dates on the pure domain model (issue 11): every act carries the day it legally happened
(``Message.on``), periods count from it, and nothing is dated before it was decided.

A county meeting held on Monday and typed in on Friday starts the holder's period on Monday; an act cannot
be dated in the future, before the case's previous act or before the campaign; a decision taken after the
campaign's fixed dates names its own (legal audit E1); and an office taking in a running campaign records
the past acts in order — a period that ran out before the holder's timely filing was recorded is met, and
the consequence proposed meanwhile is withdrawn.
"""

from __future__ import annotations

import datetime as dt

import pytest

from models.calendar import CST, Period
from models.case import Case
from models.errors import RuleViolation
from models.kinds import Consequence, DeadlineKind, EventKind, TaskKind
from models.messages import DecideDisposition, ProposeDisposition, RegisterCase, ReportWorksDone, ServeDocument, SubmitDocument
from models.roles import Role
from models.stages import Stage
from tests.rules_helpers import CALENDAR, refused
from tests.stories import COUNTY, HOLDER, OFFICE, POLICY, TOWNSHIP, Story


def day(month: int, d: int, year: int = 2030) -> dt.date:
    return dt.date(year, month, d)


def proposed(story: Story) -> Story:
    story.record_late(ProposeDisposition(actor=TOWNSHIP, path="continue", reason="资源储量尚可"))
    return story


# -- 四.1: a meeting entered late counts from its own date ---------------------------------------------------


def test_a_county_meeting_entered_late_counts_from_the_day_it_was_held():
    story = proposed(Story(due_process=True, start=dt.datetime(2030, 3, 1, 9, 0, tzinfo=CST)))
    story.later(10)  # the meeting was on 03-04; the office types it in on 03-11
    story.record_late(DecideDisposition(actor=COUNTY, approve=True, on=day(3, 4)))
    notice = story.case.documents[0]
    story.record_late(ServeDocument(actor=OFFICE, document_id=notice.id, method="direct", on=day(3, 5)))
    case = story.case
    assert case.disposition_date == day(3, 4) and notice.fields["issued_on"] == "2030-03-04" and notice.served_on == day(3, 5)
    rectification = case.deadlines[DeadlineKind.rectification].deadline
    assert rectification.start == day(3, 5)
    assert rectification.last_day == CALENDAR.compute(day(3, 5), Period(unit="months", amount=6)).last_day
    approved = next(e for e in case.timeline if e.kind == EventKind.continuation_approved)
    assert approved.effective_on == day(3, 4) and approved.recorded_at == approved.at == story.now
    assert approved.at.astimezone(CST).date() == day(3, 11)  # recorded when typed in; effective when held


@pytest.mark.parametrize(("on", "says"), [
    (day(3, 20), "晚于今天"),  # the future
    (day(2, 27), "早于本案上一行为的日期"),  # before the proposal
])
def test_an_act_dated_in_the_future_or_before_the_previous_act_is_refused_and_changes_nothing(on, says):
    story = proposed(Story(due_process=True, start=dt.datetime(2030, 3, 1, 9, 0, tzinfo=CST)))
    story.later(10)
    before = story.case.model_dump_json()
    violation = refused(story.case, story.case.decide_disposition, DecideDisposition(actor=COUNTY, approve=True, on=on), story.now)
    assert says in violation.zh
    assert story.case.model_dump_json() == before


def test_a_registration_dated_before_the_campaign_started_is_refused():
    command = RegisterCase(facts=Story().case.facts, policy=POLICY, registered_by=OFFICE, on=POLICY.start - dt.timedelta(days=1))
    with pytest.raises(RuleViolation) as refusal:
        Case.check_registration(command, dt.datetime(2030, 3, 1, 9, 0, tzinfo=CST))
    assert "早于专项行动开始之日" in refusal.value.zh


# -- E1: a decision after the campaign's fixed dates names its own ---------------------------------------------


def late_closure() -> Story:
    """The campaign's plan and works dates (2030) have passed when the county decides, in 2031."""
    story = Story(due_process=True, start=dt.datetime(2031, 2, 1, 9, 0, tzinfo=CST))
    story.record_late(ProposeDisposition(actor=TOWNSHIP, path="cancel"))
    return story


def test_a_closure_decided_after_the_campaigns_dates_is_refused_unless_it_names_new_ones():
    story = late_closure()
    plan, works = POLICY.fixed_day("restoration_plan_due"), POLICY.fixed_day("cancel_works_due")
    assert plan < story.now.date() and works < story.now.date()
    violation = refused(story.case, story.case.decide_disposition, DecideDisposition(actor=COUNTY, approve=True), story.now)
    assert "专项行动确定的期限已过" in violation.zh and "--deadline restoration_plan=" in violation.zh
    assert "--deadline restoration_works=" in violation.zh and story.case.stage == Stage.disposition_review
    too_early = DecideDisposition(actor=COUNTY, approve=True, deadlines={"restoration_plan": day(1, 1, 2031),
                                                                         "restoration_works": day(9, 30, 2031)})
    assert "早于决定之日" in refused(story.case, story.case.decide_disposition, too_early, story.now).zh


def test_a_closure_that_names_its_dates_runs_on_them_and_nothing_is_dated_before_it():
    story = late_closure()
    decided_at = story.now
    story.record_late(DecideDisposition(actor=COUNTY, approve=True, deadlines={"restoration_plan": day(4, 30, 2031),
                                                                               "restoration_works": day(9, 30, 2031)}))
    case = story.case
    assert case.deadlines[DeadlineKind.restoration_plan].deadline.last_day == day(4, 30, 2031)
    assert case.deadlines[DeadlineKind.restoration_works].deadline.last_day == day(9, 30, 2031)
    ordered = next(e for e in case.timeline if e.kind == EventKind.closure_ordered)
    assert ordered.data["named_deadlines"] == {"restoration_plan": "2031-04-30", "restoration_works": "2031-09-30"}
    assert case.documents[0].fields["plan_deadline"] == "2031-04-30"
    story.later(30)
    assert all(e.at >= decided_at for e in case.timeline[1:]) and all(n.at >= decided_at for n in case.notices)
    assert not story.open(TaskKind.consequence_decision)


def test_a_campaign_date_not_yet_passed_cannot_be_replaced_by_the_decision():
    story = Story(due_process=True)
    story.record_late(ProposeDisposition(actor=TOWNSHIP, path="cancel"))
    named = DecideDisposition(actor=COUNTY, approve=True, deadlines={"restoration_plan": day(12, 31, 2030)})
    assert "尚未届满，不能另行确定" in refused(story.case, story.case.decide_disposition, named, story.now).zh


# -- taking in a running campaign: past acts in order, consequences proposed now ----------------------------------


def taken_in() -> Story:
    """A continue mine whose history is on paper: registered, proposed, decided and served in 2030; typed in in 2031."""
    story = Story(due_process=True, start=dt.datetime(2031, 6, 1, 9, 0, tzinfo=CST), registered_on=day(3, 2))
    story.record_late(ProposeDisposition(actor=TOWNSHIP, path="continue", reason="资源储量尚可", on=day(3, 10)))
    story.record_late(DecideDisposition(actor=COUNTY, approve=True, on=day(4, 1)))
    story.record_late(ServeDocument(actor=OFFICE, document_id=story.case.documents[0].id, method="post", on=day(4, 3)))
    story.later(0.01)  # the workflow catches up with what time has done
    return story


def test_a_period_that_ran_out_before_it_was_recorded_is_proposed_now_at_its_legal_instant_never_applied():
    story = taken_in()
    case = story.case
    rectification = case.deadlines[DeadlineKind.rectification]
    assert rectification.deadline.last_day == CALENDAR.compute(day(4, 3), Period(unit="months", amount=6)).last_day
    [task] = story.open(TaskKind.consequence_decision)
    assert task.proposal.consequence == Consequence.grant_extension and task.assignee_role == Role.county
    event = next(e for e in case.timeline if e.kind == EventKind.consequence_proposed)
    assert event.at == rectification.deadline.overdue_from and event.recorded_at > event.at  # recorded when caught up
    assert case.stage == Stage.rectifying and DeadlineKind.extension not in case.deadlines  # nothing applied on its own
    assert not [n for n in case.notices if n.kind.startswith("reminder_")]  # no reminder dated before it was recorded


def test_a_filing_recorded_late_but_made_by_the_last_day_meets_the_period_and_withdraws_the_proposal():
    story = taken_in()
    last_day = story.case.deadlines[DeadlineKind.rectification].deadline.last_day
    for item in POLICY.approval_items:
        story.record_late(SubmitDocument(actor=HOLDER, item=item.code, on=last_day - dt.timedelta(days=20)))
    assert story.open(TaskKind.consequence_decision)  # the works are still owed
    story.record_late(ReportWorksDone(actor=HOLDER, on=last_day))
    assert not story.open(TaskKind.consequence_decision)
    assert story.case.deadlines[DeadlineKind.rectification].status == "met"
    withdrawn = next(e for e in story.case.timeline if e.kind == EventKind.proposal_withdrawn)
    assert withdrawn.effective_on == last_day and withdrawn.data["consequence"] == "grant_extension"


def test_a_filing_recorded_late_and_made_after_the_last_day_leaves_the_proposal_to_the_county():
    story = taken_in()
    last_day = story.case.deadlines[DeadlineKind.rectification].deadline.last_day
    for item in POLICY.approval_items:
        story.record_late(SubmitDocument(actor=HOLDER, item=item.code, on=last_day + dt.timedelta(days=1)))
    story.record_late(ReportWorksDone(actor=HOLDER, on=last_day + dt.timedelta(days=1)))
    assert [t.proposal.consequence for t in story.open(TaskKind.consequence_decision)] == [Consequence.grant_extension]
