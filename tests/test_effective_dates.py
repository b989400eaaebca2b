"""Effective dates on the real server (issue 11): a campaign already running is taken in with its history.

The Shanggao campaign (004) began on 2023-10-11; its dates (2023-12-31, 2024-03-31, 2024-05-31) are long
past. An office that ran it on paper records each past act with the day it happened (``on``), in order; the
workflow counts every period from those days with the statutory calendar of 2023–2024, works through the
periods that ran out at their legal instants, and proposes — never applies — what a missed one leads to.
"""

from __future__ import annotations

import datetime as dt

import pytest

from models.messages import (
    ApplyCancellation,
    DecideDisposition,
    ProposeDisposition,
    RecordReview,
    ReportWorksDone,
    ServeDocument,
    SubmitDocument,
)
from operations.cases import InputRejected
from tests.conftest import TASK_QUEUE
from tests.drill import COUNTY, EXPERT, HOLDER, OFFICE, Drill, department, township

D = dt.date


@pytest.fixture
async def drill(client, engine, worker) -> Drill:
    return Drill(client, engine, TASK_QUEUE, campaign="shanggao-2023")


async def review_all(drill: Drill, kind: str, on: dt.date) -> None:
    for task in [t for t in (await drill.status()).tasks if t.kind == kind]:
        actor = EXPERT if task.assignee_role == "expert" else township(task.township) if task.township else department(task.department)
        await drill.act("record_review", RecordReview(actor=actor, task_id=task.id, approved=True, on=on))


async def test_a_cancel_mine_taken_in_with_its_2023_history_ends_where_its_acts_put_it_with_the_laws_dates(drill):
    await drill.register(on=D(2023, 10, 20))
    await drill.act("propose_disposition", ProposeDisposition(actor=township(), path="cancel", on=D(2023, 11, 1)))
    await drill.act("decide_disposition", DecideDisposition(actor=COUNTY, approve=True, on=D(2023, 11, 20)))
    decision = (await drill.status()).documents[0]
    assert decision.fields["issued_on"] == "2023-11-20" and decision.fields["plan_deadline"] == "2023-12-31"
    await drill.act("serve_document", ServeDocument(actor=OFFICE, document_id=decision.id, method="direct", on=D(2023, 11, 22)))
    await drill.act("submit_document", SubmitDocument(actor=HOLDER, item="restoration_plan", on=D(2023, 12, 20)))
    await review_all(drill, "plan_review", D(2024, 1, 5))
    await drill.act("report_works_done", ReportWorksDone(actor=HOLDER, on=D(2024, 3, 25)))
    await review_all(drill, "initial_inspection", D(2024, 3, 28))
    await review_all(drill, "field_acceptance", D(2024, 4, 8))
    await review_all(drill, "expert_certificate", D(2024, 4, 10))
    status = await drill.status()
    assert status.stage == "awaiting_cancel_application" and status.acceptance_date == D(2024, 4, 10)
    window = next(d for d in status.deadlines if d.kind == "cancel_application")
    assert window.due == D(2024, 5, 10)  # 30 days from the acceptance (2024-05-10, a Friday)
    await drill.act("apply_cancellation", ApplyCancellation(actor=HOLDER, on=D(2024, 4, 20)))
    timeline = await drill.timeline()
    assert not [e for e in timeline if e.kind in ("deemed_to_have_abandoned", "works_taken_over", "referred_for_litigation",
                                                  "cancellation_notice_published")]
    # Typed in act by act, the case caught up with time in between: what the paper record shows was done in time
    # withdraws every consequence proposed meanwhile; none is left to the county.
    proposed = {e.data["task_id"] for e in timeline if e.kind == "consequence_proposed"}
    assert proposed == {e.data["task_id"] for e in timeline if e.kind == "proposal_withdrawn"}
    assert not await drill.proposals()
    plan = next(d for d in (await drill.status()).deadlines if d.kind == "restoration_plan")
    assert plan.status == "met"  # 编制完 by 2023-12-31: filed on 12-20
    submitted = next(e for e in timeline if e.kind == "works_reported_done")
    assert submitted.effective_on == D(2024, 3, 25) and submitted.at.date() > D(2026, 1, 1)  # typed in now


async def test_a_closure_decided_after_the_plans_dates_names_its_own_and_nothing_is_dated_before_it(drill):
    """Legal audit E1: a closure decided on 2024-06-03, after 2023-12-31 and 2024-03-31."""
    await drill.register(on=D(2024, 5, 6))
    await drill.act("propose_disposition", ProposeDisposition(actor=township(), path="cancel", on=D(2024, 5, 20)))
    with pytest.raises(InputRejected) as refusal:
        await drill.act("decide_disposition", DecideDisposition(actor=COUNTY, approve=True, on=D(2024, 6, 3)))
    assert "专项行动确定的期限已过" in str(refusal.value) and (await drill.status()).stage == "disposition_review"
    await drill.act("decide_disposition", DecideDisposition(
        actor=COUNTY, approve=True, on=D(2024, 6, 3), deadlines={"restoration_plan": D(2024, 8, 31), "restoration_works": D(2024, 11, 30)}))
    decision = (await drill.status()).documents[0]
    assert (decision.fields["plan_deadline"], decision.fields["restoration_deadline"]) == ("2024-08-31", "2024-11-30")
    await drill.act("serve_document", ServeDocument(actor=OFFICE, document_id=decision.id, method="post", on=D(2024, 6, 5)))
    await drill.advance(seconds=1)
    status = await drill.status()
    assert status.stage == "closure_ordered"  # nothing filed since: proposed, never applied
    assert set(await drill.proposals()) == {"takeover", "referral", "cancellation_notice"}
    timeline = await drill.timeline()
    proposed = [e for e in timeline if e.kind == "consequence_proposed"]
    assert {e.at.date() for e in proposed} == {D(2024, 12, 1)}  # the day after the named last day, at its legal instant
    assert all(e.recorded_at > e.at for e in proposed)  # recorded when the workflow caught up
    assert not [e for e in timeline if e.kind in ("deemed_to_have_abandoned", "works_taken_over", "referred_for_litigation")]
    notices = drill.filed_notices("reminder_")
    assert not notices  # no reminder dated before it could be sent


async def test_an_act_dated_before_the_one_before_it_is_refused_and_changes_nothing(drill):
    await drill.register(on=D(2024, 1, 8))
    await drill.act("propose_disposition", ProposeDisposition(actor=township(), path="continue", reason="储量尚可", on=D(2024, 2, 1)))
    with pytest.raises(InputRejected) as refusal:
        await drill.act("decide_disposition", DecideDisposition(actor=COUNTY, approve=True, on=D(2024, 1, 20)))
    assert "早于本案上一行为的日期" in str(refusal.value)
    status = await drill.status()
    assert status.stage == "disposition_review" and status.disposition_date is None
    assert len(await drill.timeline()) == 2
