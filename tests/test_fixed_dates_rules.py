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
from tests.stories import COUNTY, HOLDER, Story

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
