"""四.3, 五.1, 五.2, 六 The cancel path and the consequences of silence, on the real server.

The example campaign starts on 2030-03-01, so its fixed dates are: restoration plan by 2030-06-01,
works accepted by 2030-09-01, township takeover by 2030-11-01. The county orders the closure on
2030-04-01. Fixed dates are taken as given (not moved for weekends: the plan's default).
"""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlmodel import Session, select

from casefile.tables import DocumentRecord, TaskRecord
from models.messages import ApplyCancellation, DecideDisposition, ProposeDisposition, RecordReview, ReportWorksDone, SubmitDocument
from models.policy import load_campaign
from operations.cases import InputRejected
from tests.conftest import TASK_QUEUE
from tests.drill import COUNTY, EXPERT, HOLDER, Drill, around, cst, department, mine, township

D = cst(2030, 4, 1, 10, 0)


@pytest.fixture
async def drill(client, engine, worker) -> Drill:
    drill = Drill(client, engine, TASK_QUEUE)
    drill.policy = load_campaign("rolling-example").resolve(dt.date(2030, 3, 1))
    return drill


async def decide(drill: Drill, kind: str, approved: bool = True, comment: str = "") -> None:
    for task in [t for t in (await drill.status()).tasks if t.kind == kind]:
        if task.assignee_role == "expert":
            actor = EXPERT
        elif task.township:
            actor = township(task.township)
        else:
            actor = department(task.department)
        await drill.act("record_review", RecordReview(actor=actor, task_id=task.id, approved=approved, comment=comment))


async def order_closure(drill: Drill, **facts) -> None:
    await drill.register(mine(**facts))
    await drill.act("propose_disposition", ProposeDisposition(actor=township(), path="cancel"))
    await drill.advance_to(D)
    await drill.act("decide_disposition", DecideDisposition(actor=COUNTY, approve=True))


async def restore_and_accept(drill: Drill, on: dt.datetime) -> None:
    await drill.act("submit_document", SubmitDocument(actor=HOLDER, item="restoration_plan"))
    await decide(drill, "plan_review")
    await drill.advance_to(on)
    await drill.act("report_works_done", ReportWorksDone(actor=HOLDER))
    await decide(drill, "initial_inspection")
    await decide(drill, "field_acceptance")
    await decide(drill, "expert_certificate")


def documents(drill: Drill, kind: str) -> list[DocumentRecord]:
    with Session(drill.engine) as session:
        return list(session.exec(select(DocumentRecord).where(DocumentRecord.permit_no == drill.facts.permit_no,
                                                              DocumentRecord.kind == kind)))


async def runs_of(drill: Drill, count: int, wait: float = 15.0) -> int:
    """How many runs the case's workflow has had (visibility catches up within seconds)."""
    loop = asyncio.get_running_loop()
    give_up = loop.time() + wait
    while True:
        runs = [e.run_id async for e in drill.client.list_workflows(f"WorkflowId = '{drill.workflow_id}'")]
        if len(runs) >= count or loop.time() > give_up:
            return len(runs)
        await asyncio.sleep(0.2)


def due(status, kind: str):
    return next(d for d in status.deadlines if d.kind == kind)


async def test_the_closure_decision_names_the_parties_and_deadlines_and_stops_supply(drill):
    await order_closure(drill)
    status = await drill.status()
    assert (status.stage, status.path) == ("closure_ordered", "cancel")
    assert due(status, "restoration_plan").due == dt.date(2030, 6, 1)
    assert due(status, "restoration_works").due == dt.date(2030, 9, 1)
    assert due(status, "restoration_works").overdue_from == cst(2030, 9, 2)
    (decision,) = documents(drill, "closure_decision")
    assert decision.clause == "四.3"
    assert decision.fields["restoration_party"] == drill.facts.holder
    assert decision.fields["restoration_deadline"] == "2030-09-01"
    assert decision.fields["supervisor"].startswith("泗溪镇")
    assert decision.fields["post_care_party"].startswith("泗溪镇")
    assert "关闭决定书" in decision.html and "2030年9月1日" in decision.html and "30 日内" in decision.html
    assert {t.department for t in status.tasks if t.kind == "supply_stop"} == {"power_supply", "public_security"}


async def test_a_mine_restored_and_accepted_in_time_is_cancelled_then_cared_for_three_years_and_closed(drill):
    await order_closure(drill)
    await restore_and_accept(drill, cst(2030, 7, 15, 10, 0))
    status = await drill.status()
    assert status.stage == "awaiting_cancel_application"
    assert status.acceptance_date == dt.date(2030, 7, 15)
    assert due(status, "restoration_works").status == "met"
    window = due(status, "cancel_application")
    assert (window.due, window.overdue_from) == (dt.date(2030, 8, 14), cst(2030, 8, 15))  # 30 days after acceptance

    await drill.advance_to(cst(2030, 8, 1, 10, 0))
    await drill.act("apply_cancellation", ApplyCancellation(actor=HOLDER))
    assert {t.department for t in (await drill.status()).tasks if t.kind == "permit_cancellation"} == set(drill.policy.cancel_departments)
    await decide(drill, "permit_cancellation")
    status = await drill.status()
    assert status.stage == "post_care"
    care = due(status, "post_care")
    # Post-care lasts years: the case continues in a fresh history, carrying everything over.
    assert await runs_of(drill, count=2) == 2
    assert [e.kind for e in await drill.timeline()][-1] == "post_care_started"
    assert care.due == dt.date(2033, 7, 15)  # three years from the acceptance

    await drill.advance_to(cst(2031, 1, 15, 9, 0, 1))
    first = [t for t in (await drill.status()).tasks if t.kind == "post_care_inspection"]
    assert [t.opened_at for t in first] == [cst(2031, 1, 15, 9, 0)]  # six months after the acceptance
    await decide(drill, "post_care_inspection")

    await drill.advance_to(care.overdue_from + dt.timedelta(seconds=1))
    result = await drill.handle.result()
    assert result.stage == "closed"
    closed = await drill.event("case_closed")
    assert closed.at == care.overdue_from
    inspections = [e for e in await drill.timeline() if e.kind == "review_recorded" and "管护巡查" in e.summary_zh]
    assert len(inspections) == 1
    with Session(drill.engine) as session:
        opened = session.exec(select(TaskRecord).where(TaskRecord.permit_no == drill.facts.permit_no,
                                                       TaskRecord.kind == "post_care_inspection")).all()
    assert len(opened) == 5  # at 6, 12, 18, 24 and 30 months


async def test_a_holder_who_does_not_apply_within_thirty_days_is_deemed_to_abandon_once_the_notice_is_published(drill):
    await order_closure(drill)
    await restore_and_accept(drill, cst(2030, 7, 15, 10, 0))
    await drill.advance_to(cst(2030, 8, 15, 0, 0, 1))
    status = await drill.status()
    assert status.stage == "awaiting_cancel_application"  # the timer only asks the county
    assert await drill.proposals() == {"cancellation_notice": "county"}
    await drill.advance_to(cst(2030, 8, 20, 10, 0))
    await drill.decide("cancellation_notice")
    assert (await drill.status()).stage == "awaiting_cancel_application"  # agreed, not yet published
    await drill.advance_to(cst(2030, 8, 22, 10, 0))
    await drill.publish_notice()
    status = await drill.status()
    assert (status.stage, status.path) == ("deemed_abandoned", "deemed_abandoned")
    published = await drill.event("cancellation_notice_published")
    assert around(published.at, cst(2030, 8, 22, 10, 0)) and published.clause == "四.3" and published.actor.role == "office"
    (notice,) = documents(drill, "cancellation_notice")
    assert "注销公告" in notice.html and "未按时申请注销" in notice.html
    assert "township_takeover" not in {d.kind for d in status.deadlines}  # the works were accepted

    with pytest.raises(InputRejected):
        await drill.act("apply_cancellation", ApplyCancellation(actor=HOLDER))
    await drill.act("apply_cancellation", ApplyCancellation(actor=township()))
    await decide(drill, "permit_cancellation")
    assert (await drill.status()).stage == "post_care"


async def test_works_overdue_are_taken_over_by_the_township_and_referred_for_litigation_by_their_bodies(drill):
    await order_closure(drill)
    await drill.act("submit_document", SubmitDocument(actor=HOLDER, item="restoration_plan"))
    await decide(drill, "plan_review")
    await drill.advance_to(cst(2030, 9, 2, 0, 0, 1))
    assert (await drill.status()).stage == "restoring"  # proposals, not sanctions
    assert await drill.proposals() == {"takeover": "county", "referral": "township", "cancellation_notice": "county"}
    await drill.advance_to(cst(2030, 9, 5, 10, 0))
    await drill.decide("takeover")
    await drill.decide("referral")
    await drill.decide("cancellation_notice")
    await drill.publish_notice()
    status = await drill.status()
    assert status.stage == "deemed_abandoned"
    kinds = [e.kind for e in await drill.timeline()]
    assert [k for k in kinds if k in ("works_taken_over", "referred_for_litigation", "cancellation_notice_published",
                                      "deemed_to_have_abandoned")] == [
        "works_taken_over", "referred_for_litigation", "cancellation_notice_published", "deemed_to_have_abandoned"]
    referral = await drill.event("referred_for_litigation")
    assert around(referral.at, cst(2030, 9, 5, 10, 0)) and referral.clause == "五.2" and referral.actor.role == "township"
    assert referral.data["duty"] == "restoration_works" and referral.data["referred_to"] == ["procuratorate"]
    (letter,) = documents(drill, "referral")
    assert "检察院" in letter.html and "2030年9月1日" in letter.html
    takeover = due(status, "township_takeover")
    assert (takeover.due, takeover.responsible) == (dt.date(2030, 11, 1), "township")

    # The right ends, the duty does not: after cancellation the case waits for the township's works.
    await drill.act("apply_cancellation", ApplyCancellation(actor=township()))
    await decide(drill, "permit_cancellation")
    assert (await drill.status()).stage == "cancelled"
    await drill.act("report_works_done", ReportWorksDone(actor=township()))
    await decide(drill, "field_acceptance")
    await decide(drill, "expert_certificate")
    status = await drill.status()
    assert status.stage == "post_care"
    assert due(status, "township_takeover").status == "met"


async def test_a_failed_acceptance_sends_the_works_back_while_the_deadline_runs(drill):
    await order_closure(drill)
    await drill.act("submit_document", SubmitDocument(actor=HOLDER, item="restoration_plan"))
    await decide(drill, "plan_review")
    await drill.advance_to(cst(2030, 7, 1, 10, 0))
    await drill.act("report_works_done", ReportWorksDone(actor=HOLDER))
    await decide(drill, "initial_inspection")
    await decide(drill, "field_acceptance")
    await decide(drill, "expert_certificate", approved=False, comment="堆料区复绿不达标")
    status = await drill.status()
    assert status.stage == "restoring"
    assert due(status, "restoration_works").status == "open"
    failed = await drill.event("acceptance_failed")
    assert "堆料区复绿不达标" in failed.summary_zh
    assert any(o["kind"] == "finish_works" for o in status.open_obligations)

    await drill.advance_to(cst(2030, 8, 1, 10, 0))
    await drill.act("report_works_done", ReportWorksDone(actor=HOLDER))
    await decide(drill, "initial_inspection")
    await decide(drill, "field_acceptance")
    await decide(drill, "expert_certificate")
    status = await drill.status()
    assert (status.stage, status.acceptance_date) == ("awaiting_cancel_application", dt.date(2030, 8, 1))


async def test_a_never_produced_mine_has_no_works_and_its_site_is_not_to_be_disturbed(drill):
    await order_closure(drill, never_produced=True)
    status = await drill.status()
    assert status.stage == "awaiting_cancel_application"
    assert {d.kind for d in status.deadlines} == {"cancel_application"}
    assert due(status, "cancel_application").due is None  # it counts from service of the closure decision
    await drill.serve_all()  # served the day of the decision
    window = due(await drill.status(), "cancel_application")  # 30 days after service: 2030-05-01, Labour Day
    assert (window.due, window.moved_from) == (dt.date(2030, 5, 6), dt.date(2030, 5, 1))
    ordered = await drill.event("closure_ordered")
    assert ordered.data["site_not_to_be_disturbed"] is True
    (decision,) = documents(drill, "closure_decision")
    assert "保持原始地貌" in decision.html
    with pytest.raises(InputRejected):
        await drill.act("report_works_done", ReportWorksDone(actor=HOLDER))
    await drill.act("apply_cancellation", ApplyCancellation(actor=HOLDER))
    await decide(drill, "supply_stop")
    await decide(drill, "permit_cancellation")
    result = await drill.handle.result()
    assert result.stage == "closed"


async def test_the_closure_decision_prints_to_pdf(drill, tmp_path):
    from casefile.documents import html_to_pdf

    await order_closure(drill)
    (decision,) = documents(drill, "closure_decision")
    pdf = html_to_pdf(decision.html)
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000


async def test_a_continue_mine_that_misses_its_unused_bare_areas_date_is_taken_over_and_referred(drill):
    """四.2: continue mines restore the bare areas of zones no longer used by a fixed date; missing it
    is a failure of a statutory duty even while the six months still run — decided by the county
    (takeover) and the township (referral), not by the timer."""
    await drill.register(mine(unused_bare_area_mu=6.0))
    await drill.act("propose_disposition", ProposeDisposition(actor=township(), path="continue"))
    await drill.advance_to(D)
    await drill.act("decide_disposition", DecideDisposition(actor=COUNTY, approve=True))
    status = await drill.status()
    assert due(status, "unused_bare_area").due == dt.date(2030, 9, 1)
    await drill.advance_to(cst(2030, 9, 2, 0, 0, 1))
    assert await drill.proposals() == {"takeover": "county", "referral": "township"}
    await drill.advance_to(cst(2030, 9, 6, 10, 0))
    await drill.decide("takeover")
    await drill.decide("referral")
    status = await drill.status()
    assert (status.stage, status.path) == ("rectifying", "continue")  # the six months still run
    referral = await drill.event("referred_for_litigation")
    assert around(referral.at, cst(2030, 9, 6, 10, 0)) and referral.data["duty"] == "unused_bare_area"
    assert due(status, "township_takeover").due == dt.date(2030, 11, 1)
    assert due(status, "rectification").status == "open"
    # the holder is not locked out of its own rectification works
    await drill.act("report_works_done", ReportWorksDone(actor=HOLDER))
    assert (await drill.status()).tasks[-1].kind == "initial_inspection"
