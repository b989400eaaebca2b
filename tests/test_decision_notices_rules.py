"""D10 on the pure domain model: every decision of the county or of a competent body, and every document served,
is told to the holder and the township; a refusal says why (``models/case/informing.py``, cases started since patch
``decision-notices-2026-11-27``). No Temporal, no database."""

from __future__ import annotations

import pytest

from models.errors import RuleViolation
from models.kinds import NoticeKind, TaskKind
from models.messages import DecideDisposition, ProposeDisposition, RecordReview, SubmitDocument
from models.roles import Department
from tests.rules_helpers import COUNTY, HOLDER, department
from tests.stories import TOWNSHIP, Story


def informed_story() -> Story:
    story = Story(due_process=True)
    story.case.adopt_decision_notices()
    return story


def told(story: Story) -> list:
    return [n for n in story.case.notices if n.kind == NoticeKind.decision_notified]


def test_the_countys_approval_and_the_service_of_its_notice_are_told_to_the_holder_and_the_township():
    story = informed_story()
    story.to_disposition("continue")
    decision, service = told(story)
    assert decision.recipients == ["holder", "township"] and "同意延续" in decision.text_zh
    assert service.recipients == ["holder", "township"] and "送达" in service.text_zh


def test_a_departments_approval_is_told_to_the_holder_and_the_township_and_its_rejection_adds_the_township():
    story = informed_story()
    story.to_disposition("continue")
    item = next(i for i in story.policy.approval_items if i.department == Department.natural_resources)
    story.act(SubmitDocument(actor=HOLDER, item=item.code))
    task = next(t for t in story.open(TaskKind.document_review) if t.department == Department.natural_resources)
    story.act(RecordReview(actor=department(Department.natural_resources), task_id=task.id, approved=False,
                           comment="缺少储量核实报告"))
    rejected = [n for n in story.case.notices if n.kind == NoticeKind.document_rejected]
    assert rejected and rejected[-1].recipients == ["holder"] and rejected[-1].text_zh.endswith("缺少储量核实报告")
    assert told(story)[-1].recipients == ["township"]  # the holder already had its own notice of the rejection
    story.act(SubmitDocument(actor=HOLDER, item=item.code))
    again = next(t for t in story.open(TaskKind.document_review) if t.department == Department.natural_resources)
    story.act(RecordReview(actor=department(Department.natural_resources), task_id=again.id, approved=True))
    assert told(story)[-1].recipients == ["holder", "township"] and "通过" in told(story)[-1].text_zh


def test_the_county_sends_a_proposal_back_only_with_its_reason_and_the_holder_is_told_it():
    story = informed_story()
    story.act(ProposeDisposition(actor=TOWNSHIP, path="cancel"))
    before = story.case.model_dump()
    with pytest.raises(RuleViolation) as refusal:
        story.case.handle(DecideDisposition(actor=COUNTY, approve=False, comment="  "), story.now)
    assert "理由" in refusal.value.zh and story.case.model_dump() == before
    story.act(DecideDisposition(actor=COUNTY, approve=False, comment="请核实资源储量"))
    (notice,) = told(story)
    assert notice.recipients == ["holder", "township"] and notice.text_zh.endswith("请核实资源储量")


def test_cases_started_before_the_patch_keep_their_notices():
    story = Story(due_process=True)
    story.to_disposition("continue")
    assert told(story) == []
