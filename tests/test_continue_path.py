"""四.1 The continue path, against the real Temporal server with server-side time skipping.

Disposition on 2030-04-01 (Monday); holiday schedules for 2030-31 are loaded from test files, so
every date below is exact: six months end on 2030-10-01, National Day, and so on 2030-10-08.
"""

from __future__ import annotations

import datetime as dt

import pytest

from models.messages import (
    ApplyCancellation,
    ApplyResumeProduction,
    DecideDisposition,
    DecideRenewal,
    ProposeDisposition,
    RecordReview,
    ReportWorksDone,
    SubmitDocument,
)
from tests.conftest import TASK_QUEUE
from tests.drill import COUNTY, HOLDER, Drill, around, cst, department, township

D = cst(2030, 4, 1, 10, 0)


@pytest.fixture
async def drill(client, engine, worker) -> Drill:
    return Drill(client, engine, TASK_QUEUE)


async def approve_continuation(drill: Drill) -> None:
    await drill.register()
    await drill.act("propose_disposition", ProposeDisposition(actor=township(), path="continue"))
    await drill.advance_to(D)
    await drill.act("decide_disposition", DecideDisposition(actor=COUNTY, approve=True))
    await drill.serve_all()  # the 延续整改通知书, served the day of the decision: the six months count from it


async def approve_all_open(drill: Drill, kind: str) -> None:
    for task in [t for t in (await drill.status()).tasks if t.kind == kind]:
        actor = township(task.township) if task.township else department(task.department)
        await drill.act("record_review", RecordReview(actor=actor, task_id=task.id, approved=True))


async def complete_rectification(drill: Drill) -> None:
    for item in drill.policy.approval_items:
        await drill.act("submit_document", SubmitDocument(actor=HOLDER, item=item.code))
    await approve_all_open(drill, "document_review")
    await drill.approve_determination()  # 四.2: the process and equipment, determined jointly, approved by the county
    await drill.act("report_works_done", ReportWorksDone(actor=HOLDER))
    await approve_all_open(drill, "initial_inspection")
    await approve_all_open(drill, "field_acceptance")


async def test_six_months_from_a_notice_served_on_the_day_of_the_decision_ending_on_national_day_end_on_the_next_working_day(drill):
    await approve_continuation(drill)
    status = await drill.status()
    assert status.stage == "rectifying"
    assert status.disposition_date == dt.date(2030, 4, 1)
    (rectification,) = status.deadlines
    assert rectification.due == dt.date(2030, 10, 8)
    assert rectification.moved_from == dt.date(2030, 10, 1)
    assert rectification.overdue_from == cst(2030, 10, 9)
    assert not rectification.provisional
    approved = await drill.event("continuation_approved")
    assert (approved.clause, approved.actor.role, approved.at.astimezone(D.tzinfo).date()) == ("四.1", "county", D.date())


async def test_a_mine_that_completes_in_month_five_goes_to_joint_review_and_is_renewed(drill):
    await approve_continuation(drill)
    await drill.advance_to(cst(2030, 9, 1, 10, 0))
    await complete_rectification(drill)
    status = await drill.status()
    assert status.stage == "joint_review"
    assert status.deadlines[0].status == "met"
    assert {t.department for t in status.tasks if t.kind == "joint_review"} == set(drill.policy.joint_review_departments)

    await approve_all_open(drill, "joint_review")
    assert (await drill.status()).stage == "renewal_decision"
    await drill.act("decide_renewal", DecideRenewal(actor=COUNTY, approve=True))
    await approve_all_open(drill, "permit_renewal")
    assert (await drill.status()).stage == "renewed"

    await drill.act("apply_resume_production", ApplyResumeProduction(actor=HOLDER))
    await approve_all_open(drill, "resume_review")
    await approve_all_open(drill, "supply_restore")
    result = await drill.handle.result()
    assert result.stage == "production_resumed"
    # The period was met: the timer at 2030-10-09 never turned the case into an extension.
    kinds = [e.kind for e in await drill.timeline()]
    assert "rectification_period_expired" not in kinds


async def test_a_holder_who_misses_six_months_is_given_three_more_by_the_county_counted_from_the_last_day(drill):
    await approve_continuation(drill)
    await drill.advance_to(cst(2030, 10, 9, 0, 0, 1))
    status = await drill.status()
    assert status.stage == "rectifying"  # nothing happens on the timer's word: the county is asked
    assert await drill.proposals() == {"grant_extension": "county"}
    (task,) = [t for t in status.tasks if t.kind == "consequence_decision"]
    assert task.proposal is not None and task.proposal.would_apply_at == cst(2030, 10, 9)
    await drill.advance_to(cst(2030, 10, 15, 10, 0))
    await drill.decide("grant_extension")
    status = await drill.status()
    assert status.stage == "rectifying_extended"
    granted = await drill.event("extension_granted")
    assert around(granted.at, cst(2030, 10, 15, 10, 0)) and granted.actor.role == "county"
    extension = next(d for d in status.deadlines if d.kind == "extension")
    assert extension.due == dt.date(2031, 1, 8)  # 2030-10-08 + 3 months, a Wednesday: from the first period's end
    assert extension.overdue_from == cst(2031, 1, 9)
    assert [d.kind for d in status.documents] == ["continuation_notice", "extension_notice"]


async def test_a_holder_who_filed_everything_in_time_is_not_sanctioned_while_the_departments_review(drill):
    await approve_continuation(drill)
    await drill.submit_all_documents()
    await drill.act("report_works_done", ReportWorksDone(actor=HOLDER))
    await drill.advance_to(cst(2031, 3, 1, 10, 0))  # past six and nine months; no department has acted
    status = await drill.status()
    assert status.stage == "rectifying"
    assert next(d for d in status.deadlines if d.kind == "rectification").status == "met"
    assert not await drill.proposals()
    assert "duties_filed_in_time" in [e.kind for e in await drill.timeline()]


async def test_a_mine_that_completes_in_the_extension_is_renewed(drill):
    await approve_continuation(drill)
    await drill.advance_to(cst(2030, 10, 12, 10, 0))
    await drill.decide("grant_extension")
    await drill.advance_to(cst(2030, 11, 15, 10, 0))
    assert (await drill.status()).stage == "rectifying_extended"
    await complete_rectification(drill)
    status = await drill.status()
    assert status.stage == "joint_review"
    assert all(d.status in ("missed", "met") for d in status.deadlines)
    await approve_all_open(drill, "joint_review")
    await drill.act("decide_renewal", DecideRenewal(actor=COUNTY, approve=True))
    await approve_all_open(drill, "permit_renewal")
    assert (await drill.status()).stage == "renewed"


async def test_a_holder_who_misses_the_extension_is_deemed_to_abandon_by_the_countys_decision(drill):
    await approve_continuation(drill)
    await drill.advance_to(cst(2030, 10, 12, 10, 0))
    await drill.decide("grant_extension")
    await drill.advance_to(cst(2031, 1, 9, 0, 0, 1))
    assert (await drill.status()).stage == "rectifying_extended"
    assert await drill.proposals() == {"deemed_abandonment": "county"}
    await drill.advance_to(cst(2031, 1, 20, 10, 0))
    await drill.decide("deemed_abandonment")
    status = await drill.status()
    assert status.stage == "deemed_abandoned" and status.path == "deemed_abandoned"
    deemed = await drill.event("deemed_to_have_abandoned")
    assert around(deemed.at, cst(2031, 1, 20, 10, 0)) and deemed.clause == "四.1" and deemed.actor.role == "county"
    assert "deemed_abandonment_decision" in [d.kind for d in status.documents]

    # 六: no power for a mine that is no longer anyone's; explosives were banned from registration.
    assert {t.department for t in status.tasks if t.kind == "supply_stop"} == {"power_supply", "public_security"}
    await approve_all_open(drill, "supply_stop")
    # 六: the duty to restore outlives the right: the township's takeover and the referral are proposed.
    assert await drill.proposals() == {"takeover": "county", "referral": "township"}

    await drill.act("apply_cancellation", ApplyCancellation(actor=township()))
    cancellations = [t for t in (await drill.status()).tasks if t.kind == "permit_cancellation"]
    assert {t.department for t in cancellations} == set(drill.policy.cancel_departments)
    await approve_all_open(drill, "permit_cancellation")
    status = await drill.status()
    assert status.stage == "cancelled"  # not closed: the works are still owed (六)
    assert "case_closed" not in [e.kind for e in await drill.timeline()]
