"""The rules of 004 on the pure domain model ``models.case.Case``: no Temporal, no database.

Every input is given its business time ``now`` explicitly, and due dates are filled in here with
the statutory calendar, as the workflow's activity would. The 2030/2031 holiday schedules are the
fictional test files, so the dates are exact: the county approves on Monday 2030-04-01, six months
end on 2030-10-01 (National Day) and so on Tuesday 2030-10-08.

A refused input raises ``RuleViolation`` with a message in Chinese and English and leaves the case
exactly as it was (``model_dump()`` before and after).
"""

from __future__ import annotations

import datetime as dt

from models.case import Case, fixed_deadline
from models.messages import (
    ApplyCancellation,
    DecideDisposition,
    MineFacts,
    MoveDeadline,
    ProposeDisposition,
    RecordReview,
    RegisterCase,
    ReportWorksDone,
    SubmitDocument,
)
from models.policy import load_campaign
from models.roles import Actor, Department, Role
from models.stages import Stage
from tests.rules_helpers import COUNTY, HOLDER, OFFICE, OTHER_TOWNSHIP, SIXI, cst, department, refused, settle

POLICY = load_campaign("shanggao-2023").resolve(dt.date(2030, 1, 1))


REGISTERED = cst(2030, 3, 1, 9, 0)
PROPOSED = cst(2030, 3, 15, 9, 0)
D = cst(2030, 4, 1, 10, 0)  # the county approves: Monday 2030-04-01


# -- helpers --------------------------------------------------------------------------------------


def registered(**facts) -> Case:
    mine = MineFacts(**{
        "permit_no": "C9999000000000000000001", "mine_name": "测试石灰岩矿（虚构）", "holder": "测试矿业有限公司（虚构）",
        "township": "泗溪镇", "leader": "某副县长", "mineral": "石灰岩", "bare_area_mu": 12.5, "fictional": True, **facts,
    })
    return settle(Case.register(RegisterCase(facts=mine, policy=POLICY, registered_by=OFFICE), REGISTERED))


def proposed(path: str = "continue", **facts) -> Case:
    case = registered(**facts)
    case.propose_disposition(ProposeDisposition(actor=SIXI, path=path, reason="资源储量尚可" if path == "continue" else ""), PROPOSED)
    return settle(case)


def rectifying() -> Case:
    case = proposed()
    case.decide_disposition(DecideDisposition(actor=COUNTY, approve=True), D)
    return settle(case)


def submitted(case: Case, item: str, now: dt.datetime) -> str:
    case.submit_document(SubmitDocument(actor=HOLDER, item=item), now)
    settle(case)
    return case.items[item].task_id


# -- disposition (四.1) ---------------------------------------------------------------------------


def test_the_county_approval_date_starts_six_months_that_end_on_the_first_working_day_after_national_day():
    case = rectifying()
    assert case.stage == Stage.rectifying
    assert case.disposition_date == dt.date(2030, 4, 1)
    deadline = case.deadlines["rectification"].deadline
    assert (deadline.start, deadline.last_day, deadline.moved_from) == (dt.date(2030, 4, 1), dt.date(2030, 10, 8), dt.date(2030, 10, 1))
    assert deadline.overdue_from == cst(2030, 10, 9)
    assert not deadline.provisional
    approved = case.timeline[-1]
    assert (approved.kind, approved.at, approved.actor, approved.clause) == ("continuation_approved", D, COUNTY, "四.1")
    assert (approved.stage_from, approved.stage_to) == (Stage.disposition_review, Stage.rectifying)


def test_the_county_cannot_decide_a_disposition_the_township_has_not_proposed():
    case = registered()
    violation = refused(case, case.decide_disposition, DecideDisposition(actor=COUNTY, approve=True), D)
    assert "registered" in violation.en


def test_the_township_proposes_a_disposition_only_once():
    case = proposed()
    refused(case, case.propose_disposition, ProposeDisposition(actor=SIXI, path="cancel"), D)


def test_the_holder_submits_no_document_before_the_county_approves_continuation():
    case = proposed()
    refused(case, case.submit_document, SubmitDocument(actor=HOLDER, item="development_plan"), D)


def test_the_holder_reports_no_works_before_the_county_approves_continuation():
    case = registered()
    refused(case, case.report_works_done, ReportWorksDone(actor=HOLDER), D)


def test_the_disposition_is_proposed_by_the_township_not_by_the_holder():
    case = registered()
    violation = refused(case, case.propose_disposition, ProposeDisposition(actor=HOLDER, path="continue"), PROPOSED)
    assert "township" in violation.en and "holder" in violation.en


def test_the_disposition_is_approved_by_the_county_government_not_by_the_office():
    case = proposed()
    violation = refused(case, case.decide_disposition, DecideDisposition(actor=OFFICE, approve=True), D)
    assert "county" in violation.en


def test_a_township_cannot_propose_the_disposition_of_another_townships_mine():
    case = registered()
    violation = refused(case, case.propose_disposition, ProposeDisposition(actor=OTHER_TOWNSHIP, path="continue"), PROPOSED)
    assert "泗溪镇" in violation.zh and "敖阳街道" in violation.zh


def test_a_township_cannot_apply_to_cancel_the_right_of_another_townships_mine():
    case = rectifying()
    case.apply_elapsed_time(cst(2031, 1, 9))  # six months, then three more, missed
    settle(case)
    case.apply_elapsed_time(cst(2031, 1, 9))
    assert case.stage == Stage.deemed_abandoned
    refused(case, case.apply_cancellation, ApplyCancellation(actor=OTHER_TOWNSHIP), cst(2031, 1, 10, 9, 0))
    refused(case, case.apply_cancellation, ApplyCancellation(actor=HOLDER), cst(2031, 1, 10, 9, 0))


def test_the_county_may_send_a_proposal_back_and_the_township_proposes_again():
    case = proposed()
    case.decide_disposition(DecideDisposition(actor=COUNTY, approve=False, comment="请补充当地产业意见"), D)
    assert case.stage == Stage.registered and case.proposed_path is None and case.disposition_date is None
    assert not case.deadlines
    case.propose_disposition(ProposeDisposition(actor=SIXI, path="cancel"), D + dt.timedelta(days=1))
    assert case.stage == Stage.disposition_review and case.proposed_path == "cancel"


# -- resources exhausted: cancel in principle (四.1) ----------------------------------------------


def test_a_continue_proposal_for_an_exhausted_mine_needs_a_reason():
    case = registered(resources_exhausted=True)
    violation = refused(case, case.propose_disposition, ProposeDisposition(actor=SIXI, path="continue"), PROPOSED)
    assert "四.1" in violation.zh and "reason" in violation.en
    refused(case, case.propose_disposition, ProposeDisposition(actor=SIXI, path="continue", reason="   "), PROPOSED)


def test_a_continue_proposal_for_an_exhausted_mine_with_a_stated_reason_is_accepted():
    case = registered(resources_exhausted=True)
    case.propose_disposition(ProposeDisposition(actor=SIXI, path="continue", reason="深部仍有可采储量，县工业布局需要"), PROPOSED)
    assert case.stage == Stage.disposition_review
    event = case.timeline[-1]
    assert event.kind == "disposition_proposed" and event.data["reason"] == "深部仍有可采储量，县工业布局需要"


def test_a_cancel_proposal_for_an_exhausted_mine_needs_no_reason():
    case = registered(resources_exhausted=True)
    case.propose_disposition(ProposeDisposition(actor=SIXI, path="cancel"), PROPOSED)
    assert case.stage == Stage.disposition_review and case.proposed_path == "cancel"


# -- approval documents (四.1) --------------------------------------------------------------------


def test_each_document_is_reviewed_by_its_own_department():
    case = rectifying()
    task_id = submitted(case, "eia_report", D + dt.timedelta(days=1))
    task = case.tasks[task_id]
    assert (task.department, task.assignee_role, task.item) == (Department.ecology_environment, Role.department, "eia_report")
    assert case.items["eia_report"].status == "under_review"


def test_a_department_cannot_review_a_document_sent_to_another_department():
    case = rectifying()
    task_id = submitted(case, "development_plan", D + dt.timedelta(days=1))
    violation = refused(case, case.record_review,
                        RecordReview(actor=department(Department.water), task_id=task_id, approved=True), D + dt.timedelta(days=2))
    assert "natural_resources" in violation.en


def test_a_holder_cannot_approve_their_own_document():
    case = rectifying()
    task_id = submitted(case, "development_plan", D + dt.timedelta(days=1))
    refused(case, case.record_review, RecordReview(actor=HOLDER, task_id=task_id, approved=True), D + dt.timedelta(days=2))


def test_a_review_of_a_task_the_case_does_not_have_is_refused():
    case = rectifying()
    refused(case, case.record_review,
            RecordReview(actor=department(Department.water), task_id="C9999000000000000000001-T99", approved=True), D)


def test_a_task_already_decided_is_not_decided_again():
    case = rectifying()
    task_id = submitted(case, "soil_water_plan", D + dt.timedelta(days=1))
    case.record_review(RecordReview(actor=department(Department.water), task_id=task_id, approved=True), D + dt.timedelta(days=2))
    refused(case, case.record_review,
            RecordReview(actor=department(Department.water), task_id=task_id, approved=False), D + dt.timedelta(days=3))


def test_an_unknown_document_is_refused_and_the_known_ones_are_named():
    case = rectifying()
    violation = refused(case, case.submit_document, SubmitDocument(actor=HOLDER, item="mining_licence_photo"), D)
    assert "mining_licence_photo" in violation.en
    assert "开发利用方案" in violation.zh and "水土保持方案" in violation.zh


def test_a_document_under_review_is_not_submitted_again():
    case = rectifying()
    submitted(case, "eia_report", D + dt.timedelta(days=1))
    refused(case, case.submit_document, SubmitDocument(actor=HOLDER, item="eia_report"), D + dt.timedelta(days=2))


def test_an_approved_document_is_not_submitted_again():
    case = rectifying()
    task_id = submitted(case, "eia_report", D + dt.timedelta(days=1))
    ecology = department(Department.ecology_environment)
    case.record_review(RecordReview(actor=ecology, task_id=task_id, approved=True), D + dt.timedelta(days=5))
    assert case.items["eia_report"].status == "approved"
    violation = refused(case, case.submit_document, SubmitDocument(actor=HOLDER, item="eia_report"), D + dt.timedelta(days=6))
    assert "approved" in violation.en


def test_a_document_is_submitted_by_the_holder_only():
    case = rectifying()
    refused(case, case.submit_document, SubmitDocument(actor=SIXI, item="eia_report"), D)


def test_a_rejected_document_is_owed_again_and_may_be_resubmitted():
    case = rectifying()
    first = submitted(case, "development_plan", D + dt.timedelta(days=1))
    owed = [o.get("item") for o in case.open_obligations() if o["kind"] == "submit_document"]
    assert "development_plan" not in owed
    case.record_review(RecordReview(actor=department(Department.natural_resources), task_id=first, approved=False,
                                    comment="储量核实不足"), D + dt.timedelta(days=5))
    assert case.items["development_plan"].status == "rejected"
    assert case.notices[-1].kind == "document_rejected" and "储量核实不足" in case.notices[-1].text_zh
    owed = [o for o in case.open_obligations() if o["kind"] == "submit_document" and o["item"] == "development_plan"]
    assert owed and owed[0]["responsible"] == "holder" and owed[0]["due"] == "2030-10-08"
    second = submitted(case, "development_plan", D + dt.timedelta(days=10))
    assert second != first and case.tasks[second].is_open


# -- the works (五.1) -----------------------------------------------------------------------------


def test_works_being_inspected_are_not_reported_done_again():
    case = rectifying()
    case.report_works_done(ReportWorksDone(actor=HOLDER), D + dt.timedelta(days=30))
    settle(case)
    (inspection,) = case.open_tasks()
    assert (inspection.kind, inspection.township, inspection.clause) == ("initial_inspection", "泗溪镇", "五.1")
    refused(case, case.report_works_done, ReportWorksDone(actor=HOLDER), D + dt.timedelta(days=31))


def test_the_initial_inspection_is_done_by_the_mines_own_township():
    case = rectifying()
    case.report_works_done(ReportWorksDone(actor=HOLDER), D + dt.timedelta(days=30))
    settle(case)
    (inspection,) = case.open_tasks()
    refused(case, case.record_review, RecordReview(actor=OTHER_TOWNSHIP, task_id=inspection.id, approved=True), D + dt.timedelta(days=31))
    refused(case, case.record_review, RecordReview(actor=department(Department.natural_resources), task_id=inspection.id, approved=True),
            D + dt.timedelta(days=31))


# -- what time does (四.1, reminders, review periods) ---------------------------------------------


def test_reminders_fall_at_nine_on_the_thirtieth_seventh_and_last_day_but_one_before_the_last_day():
    case = rectifying()
    expected = [cst(2030, 9, 8, 9, 0), cst(2030, 10, 1, 9, 0), cst(2030, 10, 7, 9, 0)]
    for offset, instant in zip((30, 7, 1), expected, strict=True):
        assert case.next_alarm() == instant
        case.apply_elapsed_time(instant - dt.timedelta(seconds=1))
        assert f"reminder_{offset}d" not in [n.kind for n in case.notices]
        case.apply_elapsed_time(instant)
        notice = case.notices[-1]
        assert (notice.kind, notice.at) == (f"reminder_{offset}d", instant)
        assert set(notice.recipients) == {"holder", "township", "leader"}
    assert case.next_alarm() == cst(2030, 10, 9)
    case.apply_elapsed_time(cst(2030, 10, 8, 23, 59, 59))
    assert case.stage == Stage.rectifying


def test_a_holder_who_misses_six_months_gets_three_more_counted_from_the_last_day_of_the_first():
    case = rectifying()
    case.apply_elapsed_time(cst(2030, 10, 9, 8, 0))  # processed late: the consequence keeps the legal instant
    expired = next(e for e in case.timeline if e.kind == "rectification_period_expired")
    assert (expired.at, expired.stage_to) == (cst(2030, 10, 9), Stage.rectifying_extended)
    assert case.deadlines["rectification"].status == "missed"
    assert [r.start for r in case.pending_due] == [dt.date(2030, 10, 8)]
    settle(case)
    assert case.deadlines["extension"].deadline.last_day == dt.date(2031, 1, 8)


def test_a_review_not_decided_in_twenty_working_days_is_escalated_to_the_office_once():
    case = rectifying()
    task_id = submitted(case, "eia_report", cst(2030, 4, 2, 10, 0))
    # Working days after 2030-04-02 (test schedule): Qingming 04-05..07 off, Sunday 04-28 a make-up working day.
    due = case.tasks[task_id].due
    assert (due.last_day, due.overdue_from) == (dt.date(2030, 4, 30), cst(2030, 5, 1))
    case.apply_elapsed_time(cst(2030, 4, 30, 23, 59, 59))
    assert not case.tasks[task_id].escalated
    case.apply_elapsed_time(cst(2030, 5, 1, 0, 0))
    case.apply_elapsed_time(cst(2030, 5, 20, 0, 0))
    escalations = [e for e in case.timeline if e.kind == "review_overdue_escalated"]
    assert len(escalations) == 1 and escalations[0].at == cst(2030, 5, 1)
    notices = [n for n in case.notices if n.kind == "review_overdue"]
    assert len(notices) == 1 and "office" in notices[0].recipients and "department:ecology_environment" in notices[0].recipients
    assert case.tasks[task_id].is_open  # escalation tells the office; the department still decides


# -- collective decisions move deadlines (五.3) ---------------------------------------------------


def move(new_last_day: dt.date, actor: Actor = OFFICE, kind: str = "rectification") -> MoveDeadline:
    return MoveDeadline(actor=actor, kind=kind, new_last_day=new_last_day, meeting="县政府第12次常务会议纪要",
                        reason="汛期无法施工")


def test_a_collective_decision_moves_a_running_deadline_and_keeps_who_when_why_and_both_dates():
    case = rectifying()
    now = cst(2030, 9, 20, 15, 0)
    case.move_deadline(move(dt.date(2030, 11, 29), actor=COUNTY), now)
    tracked = case.deadlines["rectification"]
    assert tracked.deadline.last_day == dt.date(2030, 11, 29)
    assert tracked.deadline.overdue_from == cst(2030, 11, 30)
    (moved,) = tracked.moves
    assert (moved.at, moved.decided_by, moved.reason) == (now, COUNTY, "汛期无法施工")
    assert (moved.old_last_day, moved.new_last_day) == (dt.date(2030, 10, 8), dt.date(2030, 11, 29))
    assert moved.meeting == "县政府第12次常务会议纪要"
    event = case.timeline[-1]
    assert (event.kind, event.clause, event.at, event.actor) == ("deadline_moved", "五.3", now, COUNTY)
    assert (event.data["old"], event.data["new"]) == ("2030-10-08", "2030-11-29")
    (told,) = [n for n in case.notices if n.kind == "deadline_moved"]
    assert told.at == now and {"holder", "township"} <= set(told.recipients) and "2030-11-29" in told.text_zh
    case.apply_elapsed_time(cst(2030, 10, 9, 0, 0, 1))
    assert case.stage == Stage.rectifying
    case.apply_elapsed_time(cst(2030, 11, 30))
    assert case.stage == Stage.rectifying_extended


def test_a_collective_decision_cannot_move_a_deadline_into_the_past():
    case = rectifying()
    violation = refused(case, case.move_deadline, move(dt.date(2030, 9, 19)), cst(2030, 9, 20, 15, 0))
    assert "past" in violation.en


def test_a_collective_decision_cannot_move_a_deadline_to_the_day_it_already_is():
    case = rectifying()
    violation = refused(case, case.move_deadline, move(dt.date(2030, 10, 8)), cst(2030, 9, 20, 15, 0))
    assert "current" in violation.en


def test_a_deadline_is_moved_by_the_office_or_the_county_and_nobody_else():
    case = rectifying()
    for actor in (HOLDER, SIXI, department(Department.natural_resources)):
        refused(case, case.move_deadline, move(dt.date(2030, 11, 29), actor=actor), cst(2030, 9, 20, 15, 0))


def test_only_a_running_deadline_can_be_moved():
    case = rectifying()
    violation = refused(case, case.move_deadline, move(dt.date(2031, 3, 1), kind="extension"), cst(2030, 9, 20, 15, 0))
    assert "extension" in violation.en
    case = proposed()
    refused(case, case.move_deadline, move(dt.date(2030, 11, 29)), cst(2030, 3, 20, 15, 0))


def test_a_deadline_moved_closer_sends_no_reminder_dated_before_the_decision():
    case = rectifying()
    now = cst(2030, 9, 1, 10, 0)  # before the 30-day reminder of 2030-10-08 (2030-09-08 09:00)
    case.move_deadline(move(dt.date(2030, 9, 20)), now)  # its 30-day reminder would have been 2030-08-21
    case.apply_elapsed_time(now)
    case.apply_elapsed_time(cst(2030, 9, 21))
    reminders = [n for n in case.notices if n.kind.startswith("reminder_")]
    assert all(n.at >= now for n in reminders), [(n.kind, n.at) for n in reminders]
    assert [(n.kind, n.at) for n in reminders] == [("reminder_7d", cst(2030, 9, 13, 9, 0)), ("reminder_1d", cst(2030, 9, 19, 9, 0))]


def test_a_deadline_moved_later_reminds_again_before_the_new_last_day():
    case = rectifying()
    case.apply_elapsed_time(cst(2030, 9, 8, 9, 0))  # the 30-day reminder for 2030-10-08 is sent
    now = cst(2030, 9, 20, 15, 0)
    case.move_deadline(move(dt.date(2030, 11, 29)), now)
    case.apply_elapsed_time(cst(2030, 11, 30))
    reminders = [(n.kind, n.at) for n in case.notices if n.kind.startswith("reminder_")]
    assert reminders == [("reminder_30d", cst(2030, 9, 8, 9, 0)), ("reminder_30d", cst(2030, 10, 30, 9, 0)),
                         ("reminder_7d", cst(2030, 11, 22, 9, 0)), ("reminder_1d", cst(2030, 11, 28, 9, 0))]


def test_a_deadline_recomputed_later_when_a_holiday_schedule_is_loaded_reminds_again_before_its_new_last_day():
    case = rectifying()
    case.apply_elapsed_time(cst(2030, 9, 8, 9, 0))  # the 30-day reminder for 2030-10-08 is sent
    now = cst(2030, 9, 20, 15, 0)
    case.recomputed("deadline:rectification", fixed_deadline(dt.date(2030, 11, 29)), now)
    case.apply_elapsed_time(cst(2030, 11, 30))
    reminders = [(n.kind, n.at) for n in case.notices if n.kind.startswith("reminder_")]
    assert reminders == [("reminder_30d", cst(2030, 9, 8, 9, 0)), ("reminder_30d", cst(2030, 10, 30, 9, 0)),
                         ("reminder_7d", cst(2030, 11, 22, 9, 0)), ("reminder_1d", cst(2030, 11, 28, 9, 0))]


def test_an_input_tried_on_a_trial_copy_leaves_the_case_as_it_was():
    """The workflow's validators try each input on ``Case.trial_copy()``: the copy shares the frozen timeline entries
    and notices, nothing else, so whatever the rule does to it — new events, tasks decided, stage moved — the case
    itself is untouched (issue 16 made the copy cheaper; it must stay a copy)."""
    import pydantic
    import pytest

    from models.kinds import TaskKind
    from tests.stories import Story

    story = Story(due_process=True)
    story.to_disposition("continue")
    story.act(SubmitDocument(actor=HOLDER, item="soil_water_plan"))
    before = story.case.model_dump()
    (task,) = story.open(TaskKind.document_review)
    trial = story.case.trial_copy()
    trial.handle(RecordReview(actor=department(task.department), task_id=task.id, approved=True), story.now)
    assert trial.model_dump() != before  # the rule did something to the copy
    assert story.case.model_dump() == before  # and nothing to the case
    assert len(trial.timeline) > len(story.case.timeline)
    with pytest.raises(pydantic.ValidationError):  # the shared entries cannot be changed through either
        trial.timeline[0].summary_zh = "改写"
