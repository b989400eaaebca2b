"""The case workflow against the real Temporal dev server, with server-side time skipping.

The county approves continuation on Monday 2030-04-01 at 10:00 CST; the fictional 2030/2031 holiday
schedules are loaded, so every date is exact: six months end on 2030-10-01 (National Day) and so on
2030-10-08; the case is overdue from 2030-10-09 00:00 CST. Each case has its own virtual clock.

One test loads a fictional 2032 schedule into the shared case file: no other test may have a date
in 2032 (nor in the last week of December 2031, which the 2032 New Year arrangement can change).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from casefile.holidays import parse_schedule_file, save_schedule
from models.messages import (
    ApplyResumeProduction,
    DecideDisposition,
    MoveDeadline,
    ProposeDisposition,
    RecordReview,
    ReportWorksDone,
    SubmitDocument,
)
from models.roles import Department
from operations import cases
from operations.cases import InputRejected
from tests.conftest import TASK_QUEUE
from tests.drill import COUNTY, HOLDER, OFFICE, Drill, around, cst, department, mine, township

DATA = Path(__file__).parent / "data"
D = cst(2030, 4, 1, 10, 0)
# Checks land a minute before or after an instant, not a second: the dev server fires a timer up to about a
# second late on the virtual clock, and a fast-forward whose target passes while that timer's work is in flight
# overshoots to the next timer (see ``Drill.advance_to``). The instants recorded are the legal ones all the same.
MINUTE = dt.timedelta(minutes=1)
NATURAL_RESOURCES = department(Department.natural_resources)


@pytest.fixture
async def drill(client, engine, worker) -> Drill:
    return Drill(client, engine, TASK_QUEUE)


async def snapshot(drill: Drill) -> tuple:
    """What a rejected input must not change: the timeline, the live status, the case file."""
    status = (await drill.status()).model_dump(exclude={"business_time", "overdue"})
    timeline = [e.model_dump() for e in await drill.timeline()]
    history = cases.case_history(drill.engine, drill.facts.permit_no)
    return status, timeline, history


# -- documents (四.1) -----------------------------------------------------------------------------


async def test_a_rejected_document_must_be_resubmitted_and_is_then_approved(drill):
    await drill.approve_continuation()
    await drill.advance_to(cst(2030, 5, 6, 9, 0))
    await drill.act("submit_document", SubmitDocument(actor=HOLDER, item="development_plan", title="开发利用方案（初稿）"))
    first = await drill.open_task(Department.natural_resources, "document_review")

    await drill.advance_to(cst(2030, 5, 20, 15, 0))
    await drill.act("record_review", RecordReview(actor=NATURAL_RESOURCES, task_id=first.id, approved=False, comment="储量核实报告未附"))
    status = await drill.status()
    owed = [o for o in status.open_obligations if o["kind"] == "submit_document" and o.get("item") == "development_plan"]
    assert owed == [{"kind": "submit_document", "responsible": "holder", "label_zh": "开发利用方案",
                     "label_en": "development and utilisation plan", "due": "2030-10-08", "provisional": False,
                     "item": "development_plan"}]
    assert all(t.id != first.id for t in status.tasks)
    ((_kind, at),) = drill.filed_notices("document_rejected")
    assert around(at, cst(2030, 5, 20, 15, 0))

    await drill.advance_to(cst(2030, 6, 3, 9, 0))
    await drill.act("submit_document", SubmitDocument(actor=HOLDER, item="development_plan", title="开发利用方案（修改稿）"))
    second = await drill.open_task(Department.natural_resources, "document_review")
    assert second.id != first.id and around(second.opened_at, cst(2030, 6, 3, 9, 0))
    await drill.act("record_review", RecordReview(actor=NATURAL_RESOURCES, task_id=second.id, approved=True))
    status = await drill.status()
    assert not [o for o in status.open_obligations if o.get("item") == "development_plan"]
    reviews = [(e.data["task_id"], e.data["approved"]) for e in await drill.events("review_recorded")]
    assert reviews == [(first.id, False), (second.id, True)]
    assert {t.id: t.status for t in drill.filed_tasks() if t.kind == "document_review"} == {first.id: "rejected", second.id: "approved"}


# -- collective decisions (五.3) ------------------------------------------------------------------


async def test_a_collective_decision_moves_a_running_deadline_and_the_timer_follows(drill):
    await drill.approve_continuation()
    decided_at = cst(2030, 9, 20, 15, 0)
    await drill.advance_to(decided_at)
    await drill.act("move_deadline", MoveDeadline(actor=OFFICE, kind="rectification", new_last_day=dt.date(2030, 11, 29),
                                                  meeting="县政府2030年第12次常务会议纪要", reason="汛期道路中断，无法施工"))
    (rectification,) = (await drill.status()).deadlines
    assert (rectification.due, rectification.overdue_from) == (dt.date(2030, 11, 29), cst(2030, 11, 30))
    (moved,) = rectification.moves
    assert moved["decided_by"]["role"] == "office" and moved["decided_by"]["name"] == "领导小组办公室"
    assert around(dt.datetime.fromisoformat(moved["at"]), decided_at)
    assert (moved["meeting"], moved["reason"]) == ("县政府2030年第12次常务会议纪要", "汛期道路中断，无法施工")
    assert (moved["old_last_day"], moved["new_last_day"]) == ("2030-10-08", "2030-11-29")
    event = await drill.event("deadline_moved")
    assert (event.clause, event.actor.role) == ("五.3", "office") and around(event.at, decided_at)
    assert (event.data["old"], event.data["new"]) == ("2030-10-08", "2030-11-29")

    await drill.advance_to(cst(2030, 10, 9) + MINUTE)  # the old instant passes: nothing happens
    assert (await drill.status()).stage == "rectifying"
    assert not await drill.events("rectification_period_expired")
    await drill.advance_to(cst(2030, 11, 30) - MINUTE)
    assert (await drill.status()).stage == "rectifying"
    await drill.advance_to(cst(2030, 11, 30) + MINUTE)  # the new instant: the county is asked for the 3 months
    assert await drill.proposals() == {"grant_extension": "county"}
    (proposed,) = await drill.events("consequence_proposed")
    assert proposed.at == cst(2030, 11, 30)
    await drill.decide("grant_extension")
    status = await drill.status()
    assert status.stage == "rectifying_extended"
    extension = next(d for d in status.deadlines if d.kind == "extension")
    assert extension.due == dt.date(2031, 2, 28)  # three months from the moved last day
    # Reminders followed the move: none at the old dates after the decision, all three before the new day.
    assert drill.filed_notices("reminder_") == [
        ("reminder_30d", cst(2030, 9, 8, 9, 0)),
        ("reminder_30d", cst(2030, 10, 30, 9, 0)), ("reminder_7d", cst(2030, 11, 22, 9, 0)), ("reminder_1d", cst(2030, 11, 28, 9, 0)),
    ]


async def test_a_holder_cannot_move_a_deadline(drill):
    await drill.approve_continuation()
    before = await snapshot(drill)
    with pytest.raises(InputRejected) as rejected:
        await drill.act("move_deadline", MoveDeadline(actor=HOLDER, kind="rectification", new_last_day=dt.date(2030, 12, 31),
                                                      meeting="无", reason="想多要时间"))
    assert "office" in rejected.value.en and "领导小组办公室" in rejected.value.zh
    assert await snapshot(drill) == before


# -- wrong inputs change nothing ------------------------------------------------------------------


async def test_inputs_at_the_wrong_stage_or_from_the_wrong_role_are_rejected_in_both_languages_and_change_nothing(drill):
    await drill.register()
    wrong = [
        ("submit_document", SubmitDocument(actor=HOLDER, item="development_plan")),  # before any disposition
        ("decide_disposition", DecideDisposition(actor=COUNTY, approve=True)),  # nothing proposed yet
        ("propose_disposition", ProposeDisposition(actor=HOLDER, path="continue")),  # the township proposes
        ("propose_disposition", ProposeDisposition(actor=township("敖阳街道"), path="continue")),  # not its mine
        ("apply_resume_production", ApplyResumeProduction(actor=HOLDER)),
    ]
    await check_rejected(drill, wrong)

    await drill.act("propose_disposition", ProposeDisposition(actor=township(), path="continue"))
    await drill.advance_to(D)
    await check_rejected(drill, [("decide_disposition", DecideDisposition(actor=OFFICE, approve=True))])
    await drill.act("decide_disposition", DecideDisposition(actor=COUNTY, approve=True))

    await drill.act("submit_document", SubmitDocument(actor=HOLDER, item="eia_report"))
    task = await drill.open_task(Department.ecology_environment)
    await check_rejected(drill, [
        ("record_review", RecordReview(actor=NATURAL_RESOURCES, task_id=task.id, approved=True)),  # not its task
        ("record_review", RecordReview(actor=HOLDER, task_id=task.id, approved=True)),
        ("submit_document", SubmitDocument(actor=HOLDER, item="eia_report")),  # under review
        ("submit_document", SubmitDocument(actor=HOLDER, item="no_such_document")),
        ("report_works_done", ReportWorksDone(actor=township())),
    ])
    assert (await drill.status()).stage == "rectifying"


async def check_rejected(drill: Drill, inputs) -> None:
    for verb, message in inputs:
        before = await snapshot(drill)
        with pytest.raises(InputRejected) as rejected:
            await drill.act(verb, message)
        error = rejected.value
        assert error.zh and error.en and error.zh != error.en, (verb, error.message)
        assert re.search(r"[\u4e00-\u9fff]", error.zh), error.zh  # Chinese first
        assert re.search(r"[a-z]{4,}", error.en), error.en  # then English
        assert error.message == f"{error.zh} / {error.en}"
        assert await snapshot(drill) == before, verb


# -- one case per permit, one effect per input ---------------------------------------------------


async def test_registering_the_same_permit_twice_makes_one_case(drill, client, engine):
    facts = mine()
    first = await cases.register_case(client, engine, TASK_QUEUE, facts, drill.policy, OFFICE)
    drill.facts = facts
    await cases.wait_settled(client, drill.workflow_id)
    second = await cases.register_case(client, engine, TASK_QUEUE, facts, drill.policy, OFFICE)
    assert (first.created, second.created) == (True, False)
    assert first.workflow_id == second.workflow_id == f"mine-{facts.permit_no}"
    assert await count_workflows(client, drill.workflow_id) == 1
    assert len(drill.filed_case_rows()) == 1
    assert [e.kind for e in await drill.timeline()] == ["case_registered"]


async def test_registering_the_same_permit_twice_at_once_makes_one_case(drill, client, engine):
    """Two clerks import the same ledger row at the same moment: one case, and only one says it made it."""
    facts = mine()
    both = await asyncio.gather(*(cases.register_case(client, engine, TASK_QUEUE, facts, drill.policy, OFFICE) for _ in range(2)))
    drill.facts = facts
    await cases.wait_settled(client, drill.workflow_id)
    assert sorted(r.created for r in both) == [False, True]
    assert await count_workflows(client, drill.workflow_id) == 1
    assert len(drill.filed_case_rows()) == 1


async def count_workflows(client, workflow_id: str) -> int:
    """Visibility is eventually consistent: wait until the case is listed, then count its runs."""
    for _ in range(100):
        count = (await client.count_workflows(f"WorkflowId = '{workflow_id}'")).count
        if count:
            return count
        await asyncio.sleep(0.1)
    return 0


async def test_the_same_input_sent_twice_has_one_effect(drill):
    await drill.approve_continuation()
    submit = SubmitDocument(actor=HOLDER, item="soil_water_plan", request_id=f"submit-{uuid.uuid4()}")
    first = await drill.act("submit_document", submit)
    again = await drill.act("submit_document", submit)  # a resend after a lost answer: the first answer comes back
    assert again == first
    assert len(await drill.events("document_submitted")) == 1
    (task,) = [t for t in drill.filed_tasks() if t.kind == "document_review"]

    review = RecordReview(actor=department(Department.water), task_id=task.id, approved=True, request_id=f"review-{uuid.uuid4()}")
    await drill.act("record_review", review)
    await drill.act("record_review", review)
    assert len(await drill.events("review_recorded")) == 1
    timeline = await drill.timeline()
    assert [e.seq for e in timeline] == list(range(1, len(timeline) + 1))
    assert [r.seq for r in drill.filed_timeline()] == [e.seq for e in timeline]

    # Without a request id a resend is a second input, and the rule refuses it.
    with pytest.raises(InputRejected):
        await drill.act("submit_document", SubmitDocument(actor=HOLDER, item="soil_water_plan"))


async def test_an_input_sent_for_its_receipt_only_is_applied_as_one_sent_for_the_view(drill):
    """``act(..., view=False)`` (a batch, a form that redirects) answers the update's receipt and reads no view: the
    case moves all the same, and the receipt names where it stands (issue 16)."""
    await drill.approve_continuation()
    permit = drill.facts.permit_no
    receipt = await cases.act(drill.client, permit, "submit_document", SubmitDocument(actor=HOLDER, item="soil_water_plan"),
                              view=False)
    view = await drill.status()
    assert receipt.view is None
    assert receipt.stage == view.stage
    assert receipt.seq == (await drill.timeline())[-1].seq
    assert set(receipt.open_tasks) == {t.id for t in view.tasks if t.is_open}
    (task,) = [t for t in view.tasks if t.kind == "document_review" and t.is_open]
    assert task.id in receipt.open_tasks
    with pytest.raises(InputRejected):  # a rejection is the same, whatever the caller asked to be answered
        await cases.act(drill.client, permit, "submit_document", SubmitDocument(actor=HOLDER, item="soil_water_plan"), view=False)
    assert [e.seq for e in await drill.timeline()][-1] == receipt.seq


# -- what time does -------------------------------------------------------------------------------


async def test_reminders_are_filed_at_nine_thirty_seven_and_one_days_before_the_last_day(drill):
    await drill.approve_continuation()
    for kind, instant in (("reminder_30d", cst(2030, 9, 8, 9, 0)), ("reminder_7d", cst(2030, 10, 1, 9, 0)),
                          ("reminder_1d", cst(2030, 10, 7, 9, 0))):
        await drill.advance_to(instant - MINUTE)
        assert kind not in [k for k, _ in drill.filed_notices("reminder_")]
        await drill.advance_to(instant + MINUTE)
        assert drill.filed_notices(kind) == [(kind, instant)]
    await drill.advance_to(cst(2030, 10, 8, 23, 0))
    assert drill.filed_notices("reminder_") == [
        ("reminder_30d", cst(2030, 9, 8, 9, 0)), ("reminder_7d", cst(2030, 10, 1, 9, 0)), ("reminder_1d", cst(2030, 10, 7, 9, 0)),
    ]
    assert (await drill.status()).stage == "rectifying"


async def test_a_department_review_not_decided_in_twenty_working_days_is_escalated_to_the_office_once(drill):
    await drill.approve_continuation()
    await drill.advance_to(cst(2030, 4, 2, 10, 0))
    await drill.act("submit_document", SubmitDocument(actor=HOLDER, item="eia_report"))
    task = await drill.open_task(Department.ecology_environment)
    # 20 working days after Tuesday 2030-04-02: Qingming (04-05..07) is off, Sunday 04-28 is a make-up working day.
    assert task.due.last_day == dt.date(2030, 4, 30)
    await drill.advance_to(cst(2030, 5, 1) - MINUTE)
    assert not [e for e in await drill.events("review_overdue_escalated") if e.data["task_id"] == task.id]
    assert ("review_overdue", cst(2030, 5, 1)) not in drill.filed_notices("review_overdue")
    await drill.advance_to(cst(2030, 5, 1) + MINUTE)
    (escalated,) = [e for e in await drill.events("review_overdue_escalated") if e.data["task_id"] == task.id]
    assert (escalated.at, escalated.data["task_id"], escalated.actor.role) == (cst(2030, 5, 1), task.id, "system")
    await drill.advance_to(cst(2030, 6, 15, 10, 0))
    assert len([e for e in await drill.events("review_overdue_escalated") if e.data["task_id"] == task.id]) == 1
    assert ("review_overdue", cst(2030, 5, 1)) in drill.filed_notices("review_overdue")
    (filed,) = [t for t in drill.filed_tasks() if t.id == task.id]
    assert filed.escalated and filed.status == "open"
    # The department can still decide after the escalation.
    await drill.act("record_review", RecordReview(actor=department(Department.ecology_environment), task_id=task.id, approved=True))
    assert len([e for e in await drill.events("review_overdue_escalated") if e.data["task_id"] == task.id]) == 1


# -- holiday schedules (provisional deadlines) ----------------------------------------------------


async def test_a_provisional_deadline_is_recomputed_when_the_holiday_schedule_of_its_year_is_loaded(drill, client, engine):
    await drill.approve_continuation(at=cst(2031, 9, 1, 10, 0))
    (rectification,) = (await drill.status()).deadlines
    assert (rectification.due, rectification.provisional) == (dt.date(2032, 3, 1), True)  # a Monday, weekends only
    assert "2032" in rectification.provisional_reason

    save_schedule(engine, parse_schedule_file(DATA / "holidays-2032-test.json"))  # makes 2032-03-01 a holiday
    assert await cases.recompute_all(client, OFFICE) >= 1
    (rectification,) = (await drill.status()).deadlines
    assert (rectification.due, rectification.provisional, rectification.moved_from) == (dt.date(2032, 3, 2), False, dt.date(2032, 3, 1))
    assert rectification.overdue_from == cst(2032, 3, 3)
    recomputed = await drill.event("deadline_recomputed")
    assert (recomputed.data["old"], recomputed.data["new"]) == ("2032-03-01", "2032-03-02")
    filed = cases.case_history(engine, drill.facts.permit_no)["deadlines"]
    assert [(d["last_day"], d["provisional"]) for d in filed] == [("2032-03-02", False)]

    await drill.advance_to(cst(2032, 3, 2) + MINUTE)  # the provisional instant passes: nothing happens
    assert (await drill.status()).stage == "rectifying"
    await drill.advance_to(cst(2032, 3, 3) + MINUTE)
    (proposed,) = await drill.events("consequence_proposed")
    assert proposed.at == cst(2032, 3, 3) and proposed.data["provisional"] is False
    await drill.decide("grant_extension")
    status = await drill.status()
    assert status.stage == "rectifying_extended"
    extension = next(d for d in status.deadlines if d.kind == "extension")
    assert (extension.due, extension.provisional) == (dt.date(2032, 6, 2), False)


# -- a worker restart ------------------------------------------------------------------------------


async def test_a_worker_restart_in_the_middle_of_a_case_loses_nothing(client, engine, worker):
    from worker import build_worker

    queue = f"minecase-restart-{uuid.uuid4().hex[:8]}"
    first = build_worker(client, engine, queue, ThreadPoolExecutor(max_workers=4))
    running = asyncio.create_task(first.run())
    drill = Drill(client, engine, queue)
    second = second_running = None
    try:
        await drill.approve_continuation()
        await drill.advance_to(cst(2030, 6, 3, 9, 0))
        await drill.submit_all_documents()
        open_reviews = [t.id for t in (await drill.status()).tasks if t.kind == "document_review"]
        assert len(open_reviews) == len([i for i in drill.policy.approval_items if not i.joint_determination])  # 四.2: joint

        await first.shutdown()
        await asyncio.gather(running, return_exceptions=True)
        second = build_worker(client, engine, queue, ThreadPoolExecutor(max_workers=4))
        second_running = asyncio.create_task(second.run())

        status = await drill.status()  # the new worker rebuilds the case from its history
        assert [t.id for t in status.tasks if t.kind == "document_review"] == open_reviews
        # The timers still fire: the reviews are escalated when their 20 working days are up, then the 30-day reminder.
        await drill.advance_to(cst(2030, 9, 8, 9, 1))
        escalated = [e for e in await drill.events("review_overdue_escalated") if e.data["task_id"] in open_reviews]
        assert sorted(e.data["task_id"] for e in escalated) == sorted(open_reviews)
        assert {e.at for e in escalated} == {cst(2030, 7, 3)}  # 20 working days after 2030-06-03 end on 07-02
        assert drill.filed_notices("reminder_") == [("reminder_30d", cst(2030, 9, 8, 9, 0))]
        await drill.approve_all_open("document_review")
        await drill.approve_determination()
        await drill.act("report_works_done", ReportWorksDone(actor=HOLDER))
        await drill.approve_all_open("initial_inspection")
        await drill.approve_all_open("field_acceptance")
        result = await drill.renew_and_resume()
        assert result.stage == "production_resumed"

        timeline = await drill.timeline()
        policy = drill.policy
        reviewed_alone = [i for i in policy.approval_items if not i.joint_determination]
        determining = len(policy.joint_determination_departments) + 1  # 四.2: 工信局 leads, with the departments
        assert [e.kind for e in timeline] == [
            "case_registered", "disposition_proposed", "continuation_approved", "document_served",
            *["document_submitted"] * len(policy.approval_items),
            *["review_overdue_escalated"] * (len(reviewed_alone) + determining),
            *["review_recorded"] * (len(reviewed_alone) + determining),
            "determination_referred_to_county", "review_recorded", "determination_approved",
            "works_reported_done", "review_recorded", *["review_recorded"] * len(policy.acceptance_departments),
            "works_accepted", "rectification_completed", *["review_recorded"] * len(policy.joint_review_departments),
            "joint_review_passed", "renewal_agreed", "review_recorded", "permit_renewed", "resumption_applied",
            *["review_recorded"] * (len(policy.resume_review_departments) + len(policy.supply_restore_departments)),
            "production_resumed",
        ]
        filed = drill.filed_timeline()
        assert [(r.seq, r.kind) for r in filed] == [(e.seq, e.kind) for e in timeline]
        assert [r.seq for r in filed] == list(range(1, len(timeline) + 1))
        (row,) = drill.filed_case_rows()
        assert (row.stage, row.last_seq) == ("production_resumed", len(timeline))
    finally:
        # A case left running on a queue nobody polls would hang every later ``recompute_all``.
        if hasattr(drill, "facts") and (await drill.handle.describe()).status.name == "RUNNING":
            await drill.handle.terminate("test cleanup: its worker is going away")
        for w, task in ((first, running), (second, second_running)):
            if w is not None and task is not None and not task.done():
                await w.shutdown()
                await asyncio.gather(task, return_exceptions=True)
