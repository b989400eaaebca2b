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
from tests.drill import COUNTY, HOLDER, Drill, cst, department, township

D = cst(2030, 4, 1, 10, 0)


@pytest.fixture
async def drill(client, engine, worker) -> Drill:
    return Drill(client, engine, TASK_QUEUE)


async def approve_continuation(drill: Drill) -> None:
    await drill.register()
    await drill.act("propose_disposition", ProposeDisposition(actor=township(), path="continue"))
    await drill.advance_to(D)
    await drill.act("decide_disposition", DecideDisposition(actor=COUNTY, approve=True))


async def approve_all_open(drill: Drill, kind: str) -> None:
    for task in [t for t in (await drill.status()).tasks if t.kind == kind]:
        actor = township(task.township) if task.township else department(task.department)
        await drill.act("record_review", RecordReview(actor=actor, task_id=task.id, approved=True))


async def complete_rectification(drill: Drill) -> None:
    for item in drill.policy.approval_items:
        await drill.act("submit_document", SubmitDocument(actor=HOLDER, item=item.code))
    await approve_all_open(drill, "document_review")
    await drill.act("report_works_done", ReportWorksDone(actor=HOLDER))
    await approve_all_open(drill, "initial_inspection")
    await approve_all_open(drill, "field_acceptance")


async def test_six_months_from_disposition_ending_on_national_day_end_on_the_next_working_day(drill):
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
    assert {t.department for t in status.tasks} == set(drill.policy.joint_review_departments)

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


async def test_a_holder_who_misses_six_months_gets_three_more_counted_from_the_last_day(drill):
    await approve_continuation(drill)
    await drill.advance_to(cst(2030, 10, 9, 0, 0, 1))
    status = await drill.status()
    assert status.stage == "rectifying_extended"
    expired = await drill.event("rectification_period_expired")
    assert expired.at == cst(2030, 10, 9)
    extension = next(d for d in status.deadlines if d.kind == "extension")
    assert extension.due == dt.date(2031, 1, 8)  # 2030-10-08 + 3 months, a Wednesday
    assert extension.overdue_from == cst(2031, 1, 9)


async def test_a_mine_that_completes_in_the_extension_is_renewed(drill):
    await approve_continuation(drill)
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


async def test_a_holder_who_misses_the_extension_is_deemed_to_abandon_and_the_permits_are_cancelled(drill):
    await approve_continuation(drill)
    await drill.advance_to(cst(2031, 1, 9, 0, 0, 1))
    status = await drill.status()
    assert status.stage == "deemed_abandoned"
    assert status.path == "deemed_abandoned"
    deemed = await drill.event("deemed_to_have_abandoned")
    assert (deemed.at, deemed.clause) == (cst(2031, 1, 9), "四.1")

    # 六: a mine that is no longer anyone's gets no power and no explosives.
    assert {t.department for t in status.tasks if t.kind == "supply_stop"} == {"power_supply", "public_security"}
    await approve_all_open(drill, "supply_stop")

    await drill.act("apply_cancellation", ApplyCancellation(actor=township()))
    cancellations = [t for t in (await drill.status()).tasks if t.kind == "permit_cancellation"]
    assert {t.department for t in cancellations} == set(drill.policy.cancel_departments)
    await approve_all_open(drill, "permit_cancellation")
    result = await drill.handle.result()
    assert result.stage == "closed"  # 一案一销: nothing left to restore on this case
    assert [e.kind for e in await drill.timeline()][-2:] == ["permits_cancelled", "case_closed"]
