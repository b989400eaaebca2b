"""四.2 on the pure domain model, under the newest rules (``Story(due_process=True)``) and, where they differ,
under the rules older cases keep (``Story()``).

The joint determination of the process and equipment (四.2, last sentence: 工信局牵头，自然资源、生态环境、
应急管理等部门联合审批认定，报县政府研究同意) and a continue mine's unused-zone works as their own duty with
their own acceptance (四.2: 延续矿山于2024年3月底前完成不使用区的裸露区的环境整治工作; 五.1).
"""

from __future__ import annotations

from models.kinds import Consequence, DeadlineKind, EventKind, TaskKind
from models.messages import RecordReview, ReportWorksDone, SubmitDocument
from models.roles import Actor, Department, Role
from models.stages import Stage
from tests.rules_helpers import refused
from tests.stories import COUNTY, HOLDER, TOWNSHIP, Story

JOINT = {Department.industry_it, Department.natural_resources, Department.ecology_environment, Department.emergency}


def continue_mine(**facts: object) -> Story:
    story = Story(due_process=True, **facts)
    story.to_disposition("continue")
    return story


def reviewer(department: Department | None) -> Actor:
    return Actor(role=Role.department, name="审批员", department=department)


def events(story: Story, kind: EventKind) -> list:
    return [e for e in story.case.timeline if e.kind == kind]


# -- the joint determination of the process and equipment (四.2, last sentence) -----------------------


def test_the_process_and_equipment_determination_is_joint_and_approved_by_the_county():
    story = continue_mine()
    story.act(SubmitDocument(actor=HOLDER, item="process_equipment"))
    case = story.case
    tasks = story.open(TaskKind.joint_determination)
    assert {t.department for t in tasks} == JOINT and len(tasks) == len(JOINT)
    assert all(t.item == "process_equipment" and t.clause == "四.2" for t in tasks)
    assert not story.open(TaskKind.document_review)  # not one department's review any more
    lead = next(t for t in tasks if t.department == Department.industry_it)
    assert "牵头" in lead.subject_zh and case.items["process_equipment"].task_id == lead.id
    filed = events(story, EventKind.document_submitted)[-1]
    assert filed.clause == "四.2" and "工信局牵头" in filed.summary_zh and "报县政府研究同意" in filed.summary_zh

    for task in tasks[:-1]:
        story.act(RecordReview(actor=reviewer(task.department), task_id=task.id, approved=True))
    assert not story.open(TaskKind.determination_approval)  # not before every department agreed
    story.act(RecordReview(actor=reviewer(tasks[-1].department), task_id=tasks[-1].id, approved=True))
    [county] = story.open(TaskKind.determination_approval)
    assert county.assignee_role == Role.county and county.clause == "四.2"
    assert case.items["process_equipment"].status == "under_review"  # the departments' agreement alone approves nothing
    assert events(story, EventKind.determination_referred_to_county)[0].clause == "四.2"

    story.act(RecordReview(actor=COUNTY, task_id=county.id, approved=True))
    assert case.items["process_equipment"].status == "approved"
    approved = events(story, EventKind.determination_approved)[0]
    assert (approved.clause, approved.actor) == ("四.2", COUNTY)


def test_a_rejected_determination_is_filed_again_and_the_other_departments_stop():
    story = continue_mine()
    story.act(SubmitDocument(actor=HOLDER, item="process_equipment"))
    tasks = story.open(TaskKind.joint_determination)
    emergency = next(t for t in tasks if t.department == Department.emergency)
    refused(story.case, story.case.record_review,
            RecordReview(actor=reviewer(Department.emergency), task_id=emergency.id, approved=False), story.now)
    story.act(RecordReview(actor=reviewer(Department.emergency), task_id=emergency.id, approved=False, comment="设备属淘汰类"))
    case = story.case
    assert case.items["process_equipment"].status == "rejected"
    assert not story.open(TaskKind.joint_determination) and not story.open(TaskKind.determination_approval)
    assert {t.status for t in tasks if t.id != emergency.id} == {"withdrawn"}
    rejected = events(story, EventKind.determination_rejected)[0]
    assert rejected.clause == "四.2" and "设备属淘汰类" in rejected.summary_zh
    assert any(n.kind == "document_rejected" and "holder" in n.recipients for n in case.notices)

    story.act(SubmitDocument(actor=HOLDER, item="process_equipment"))  # filed again: a new determination
    again = story.open(TaskKind.joint_determination)
    assert {t.department for t in again} == JOINT and not {t.id for t in again} & {t.id for t in tasks}


def test_the_countys_rejection_of_the_determination_sends_it_back_to_the_holder():
    story = continue_mine()
    story.act(SubmitDocument(actor=HOLDER, item="process_equipment"))
    story.decide(TaskKind.joint_determination)
    story.decide(TaskKind.determination_approval, approved=False)
    assert story.case.items["process_equipment"].status == "rejected"
    assert events(story, EventKind.determination_rejected)[0].actor == COUNTY


def test_only_the_countys_approval_of_the_determination_completes_the_rectification():
    story = continue_mine()
    for item in story.policy.approval_items:
        story.act(SubmitDocument(actor=HOLDER, item=item.code))
    story.decide(TaskKind.document_review)
    story.decide(TaskKind.joint_determination)
    story.act(ReportWorksDone(actor=HOLDER))
    story.decide(TaskKind.initial_inspection)
    story.decide(TaskKind.field_acceptance)
    assert story.case.stage == Stage.rectifying and story.case.works == "accepted"
    story.decide(TaskKind.determination_approval)
    assert story.case.stage == Stage.joint_review


def test_a_determination_filed_and_pending_counts_as_filed_when_the_six_months_end():
    story = continue_mine()
    for item in story.policy.approval_items:
        story.act(SubmitDocument(actor=HOLDER, item=item.code))
    story.act(ReportWorksDone(actor=HOLDER))
    story.decide(TaskKind.joint_determination)  # the county has not met by the last day
    story.later(250)
    case = story.case
    assert case.items["process_equipment"].status == "under_review" and story.open(TaskKind.determination_approval)
    assert case.deadlines[DeadlineKind.rectification].status == "met"
    assert not [t for t in story.open(TaskKind.consequence_decision)
                if t.proposal and t.proposal.consequence == Consequence.grant_extension]


def test_older_cases_keep_the_single_review_of_the_process_and_equipment():
    story = Story()
    story.to_disposition("continue")
    story.act(SubmitDocument(actor=HOLDER, item="process_equipment"))
    [task] = story.open(TaskKind.document_review)
    assert task.department == Department.industry_it and not story.open(TaskKind.joint_determination)
    story.decide(TaskKind.document_review)
    assert story.case.items["process_equipment"].status == "approved"
    assert not events(story, EventKind.determination_approved)


# -- a continue mine's unused-zone works: their own duty, their own acceptance (四.2, 五.1) ------------


def proposed(story: Story) -> dict[Consequence, DeadlineKind]:
    return {t.proposal.consequence: t.proposal.duty for t in story.open(TaskKind.consequence_decision) if t.proposal}


def decide_proposal(story: Story, consequence: Consequence) -> None:
    task = next(t for t in story.open(TaskKind.consequence_decision) if t.proposal and t.proposal.consequence == consequence)
    story.act(RecordReview(actor=COUNTY if task.assignee_role == Role.county else TOWNSHIP, task_id=task.id, approved=True))


def test_unused_zone_works_reported_by_their_date_and_accepted_meet_it():
    story = continue_mine(unused_bare_area_mu=2.0)
    case = story.case
    assert case.unused_zone_works == "not_started"
    assert "finish_unused_zone_works" in {o["kind"] for o in case.open_obligations()}
    story.act(ReportWorksDone(actor=HOLDER, scope="unused_zones"))
    reported = events(story, EventKind.unused_zone_works_reported_done)[0]
    assert reported.clause == "四.2" and case.unused_zone_works == "initial_inspection"
    [inspection] = story.open(TaskKind.unused_zone_inspection)
    assert inspection.township == "泗溪镇" and not story.open(TaskKind.initial_inspection)
    story.decide(TaskKind.unused_zone_inspection)
    assert {t.department for t in story.open(TaskKind.unused_zone_acceptance)} == set(story.policy.acceptance_departments)
    assert not story.open(TaskKind.field_acceptance)  # never mixed with the rest of the rectification's acceptance
    story.decide(TaskKind.unused_zone_acceptance)
    assert case.unused_zone_works == "accepted" and case.works == "not_started"  # the part, not the whole
    assert case.deadlines[DeadlineKind.unused_bare_area].status == "met"
    assert events(story, EventKind.unused_zone_works_accepted)[0].clause == "五.1"
    story.later(150)  # past the unused zones' date: nothing is proposed for them
    assert DeadlineKind.unused_bare_area not in proposed(story).values()


def test_unused_zone_works_reported_by_their_date_are_not_taken_over_while_their_acceptance_runs():
    story = continue_mine(unused_bare_area_mu=2.0)
    story.act(ReportWorksDone(actor=HOLDER, scope="unused_zones"))
    story.decide(TaskKind.unused_zone_inspection)
    story.later(130)  # the date passes; the departments have not met
    case = story.case
    assert case.deadlines[DeadlineKind.unused_bare_area].status == "met" and story.open(TaskKind.unused_zone_acceptance)
    assert not proposed(story) and not events(story, EventKind.works_taken_over)


def test_the_whole_rectifications_acceptance_does_not_meet_the_unused_zones_date():
    story = continue_mine(unused_bare_area_mu=2.0)
    story.rectify_everything()
    case = story.case
    assert case.stage == Stage.joint_review and case.works == "accepted"
    assert case.deadlines[DeadlineKind.unused_bare_area].status == "open"
    story.later(130)
    assert proposed(story) == {Consequence.takeover: DeadlineKind.unused_bare_area,
                               Consequence.referral: DeadlineKind.unused_bare_area}
    task = next(t for t in story.open(TaskKind.consequence_decision))
    assert task.proposal is not None and "不使用区裸露区整治：未报告完成" in task.proposal.facts_zh


def test_missing_the_unused_zone_date_never_locks_the_holder_out_of_its_rectification():
    story = continue_mine(unused_bare_area_mu=2.0)
    story.act(ReportWorksDone(actor=HOLDER))  # the rest of the rectification: reported, in acceptance
    story.decide(TaskKind.initial_inspection)
    main_acceptance = {t.id for t in story.open(TaskKind.field_acceptance)}
    story.later(130)  # the unused zones' date passes with them not reported
    assert proposed(story) == {Consequence.takeover: DeadlineKind.unused_bare_area,
                               Consequence.referral: DeadlineKind.unused_bare_area}
    decide_proposal(story, Consequence.takeover)
    case = story.case
    assert events(story, EventKind.works_taken_over) and case.unused_zones_taken_over
    assert {t.id for t in story.open(TaskKind.field_acceptance)} == main_acceptance  # the main works' acceptance goes on
    assert case.stage == Stage.rectifying and case.works == "field_acceptance" and not case.takeover_open()
    refused(case, case.report_works_done, ReportWorksDone(actor=HOLDER, scope="unused_zones"), story.now)
    owed = {o["kind"]: o["responsible"] for o in case.open_obligations()}
    assert owed["finish_takeover_unused_zone_works"] == "township" and "finish_unused_zone_works" not in owed
    for item in story.policy.approval_items:  # documents go on
        story.act(SubmitDocument(actor=HOLDER, item=item.code))
    story.decide(TaskKind.document_review)
    story.decide(TaskKind.joint_determination)
    story.decide(TaskKind.determination_approval)
    story.decide(TaskKind.field_acceptance)
    assert case.works == "accepted" and case.stage == Stage.joint_review  # the holder's rectification is complete

    story.act(ReportWorksDone(actor=TOWNSHIP, scope="unused_zones"))  # the township reports the works it took over
    assert not story.open(TaskKind.unused_zone_inspection) and story.open(TaskKind.unused_zone_acceptance)
    story.decide(TaskKind.unused_zone_acceptance)
    assert case.unused_zone_works == "accepted" and case.deadlines[DeadlineKind.township_takeover].status == "met"
    story.later(120)
    assert not events(story, EventKind.takeover_overdue)


def test_a_rejected_unused_zone_inspection_after_their_date_gives_the_holder_its_correction_period():
    story = continue_mine(unused_bare_area_mu=2.0)
    story.act(ReportWorksDone(actor=HOLDER, scope="unused_zones"))
    story.later(130)
    story.decide(TaskKind.unused_zone_inspection, approved=False)
    case = story.case
    correction = case.deadlines[DeadlineKind.correction]
    assert case.unused_zone_works == "rejected" and correction.corrects == DeadlineKind.unused_bare_area
    story.act(ReportWorksDone(actor=HOLDER, scope="unused_zones"))
    assert correction.status == "met"


def test_older_cases_meet_the_unused_zones_date_by_the_whole_rectifications_works():
    story = Story(unused_bare_area_mu=2.0)
    story.to_disposition("continue")
    case = story.case
    assert case.unused_zone_works == "not_required"
    refused(case, case.report_works_done, ReportWorksDone(actor=HOLDER, scope="unused_zones"), story.now)
    story.rectify_everything()
    assert case.deadlines[DeadlineKind.unused_bare_area].status == "met"
    assert not story.open(TaskKind.unused_zone_inspection) and not events(story, EventKind.unused_zone_works_accepted)
