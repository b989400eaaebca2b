"""Record the event histories that ``tests/test_replay.py`` replays: the main branches of a case.

    cd /work/main && timeout 600 python -m tests.record_histories

Starts its own Temporal dev server and case file in a temporary directory (nothing else is touched),
runs each scenario below on a fresh case with the fictional 2030/2031 holiday schedules, and writes
``tests/histories/<scenario>.json`` (``WorkflowHandle.fetch_history()`` then ``to_json()``).

When to run it: after an intended change to ``MineCaseWorkflow`` or ``models.case`` that changes
what the workflow does (new commands, activities or timers, in a different order). Replay then fails
on the old histories: that is the point — cases already running were recorded with the old code and
would break on the new one (use ``workflow.patched`` for such a change, and keep the old histories
beside the new ones under new names). Do not regenerate just to make a red replay test green.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HISTORIES = Path(__file__).parent / "histories"
DATA = Path(__file__).parent / "data"
QUEUE = "minecase-record"


async def continue_path_to_production_resumed(drill) -> None:
    """四.1, 五.1: approved continuation, every document and the works done in month five, joint review,
    renewal, the resume-production review and supply restored. Reminders are not reached."""
    from tests.drill import cst

    await drill.approve_continuation()
    await drill.advance_to(cst(2030, 9, 1, 10, 0))
    await drill.complete_rectification()
    result = await drill.renew_and_resume()
    assert result.stage == "production_resumed", result.stage


async def extension_deemed_abandoned_cancelled(drill) -> None:
    """四.1, 四.3, 六: six months missed (reminders fire), three more missed, deemed to have abandoned the right,
    supply stopped, the township applies and the departments cancel the permits; the case closes."""
    from models.messages import ApplyCancellation
    from tests.drill import cst, township

    await drill.approve_continuation()
    await drill.advance_to(cst(2030, 10, 9, 0, 1))
    await drill.advance_to(cst(2031, 1, 9, 0, 1))
    assert (await drill.status()).stage == "deemed_abandoned"
    await drill.approve_all_open("supply_stop")  # 六: no power, no explosives for a mine nobody holds
    await drill.act("apply_cancellation", ApplyCancellation(actor=township()))
    await drill.approve_all_open("permit_cancellation")
    result = await drill.handle.result()
    assert result.stage in ("cancelled", "closed"), result.stage


async def rejection_escalation_and_collective_decision(drill) -> None:
    """A rejected document resubmitted, a review escalated after 20 working days, a deadline moved by a
    collective decision (五.3) and the extension reached at the new instant; then the holder completes."""
    import datetime as dt

    from models.messages import MoveDeadline, RecordReview, ReportWorksDone, SubmitDocument
    from models.roles import Department
    from tests.drill import HOLDER, OFFICE, cst, department

    await drill.approve_continuation()
    await drill.advance_to(cst(2030, 5, 6, 9, 0))
    await drill.act("submit_document", SubmitDocument(actor=HOLDER, item="development_plan"))
    task = await drill.open_task(Department.natural_resources)
    await drill.act("record_review", RecordReview(actor=department(Department.natural_resources), task_id=task.id,
                                                  approved=False, comment="储量核实报告未附"))
    await drill.act("submit_document", SubmitDocument(actor=HOLDER, item="development_plan"))
    await drill.advance_to(cst(2030, 6, 10, 9, 0))  # the resubmitted plan's review is escalated
    await drill.act("move_deadline", MoveDeadline(actor=OFFICE, kind="rectification", new_last_day=dt.date(2030, 11, 29),
                                                  meeting="县政府2030年第12次常务会议纪要", reason="汛期道路中断，无法施工"))
    await drill.advance_to(cst(2030, 11, 30, 0, 1))
    assert (await drill.status()).stage == "rectifying_extended"
    await drill.approve_all_open("document_review")
    for item in drill.policy.approval_items[1:]:
        await drill.act("submit_document", SubmitDocument(actor=HOLDER, item=item.code))
    await drill.approve_all_open("document_review")
    await drill.act("report_works_done", ReportWorksDone(actor=HOLDER))
    await drill.approve_all_open("initial_inspection")
    await drill.approve_all_open("field_acceptance")
    assert (await drill.status()).stage == "joint_review"


async def _order_closure(drill) -> None:
    import datetime as dt

    from models.messages import DecideDisposition, ProposeDisposition, SubmitDocument
    from models.policy import load_campaign
    from tests.drill import COUNTY, HOLDER, cst, township

    drill.policy = load_campaign("rolling-example").resolve(dt.date(2030, 3, 1))  # works due 2030-09-01
    await drill.register()
    await drill.act("propose_disposition", ProposeDisposition(actor=township(), path="cancel"))
    await drill.advance_to(cst(2030, 4, 1, 10, 0))
    await drill.act("decide_disposition", DecideDisposition(actor=COUNTY, approve=True))
    await drill.act("submit_document", SubmitDocument(actor=HOLDER, item="restoration_plan"))
    await drill.approve_all_open("plan_review")


async def cancel_path_restored_cancelled_into_post_care(drill) -> None:
    """四.3, 五.1, 六: closure decision, plan approved by experts, works accepted with the expert
    certificate, the holder applies within 30 days, the departments cancel; the case continues as new
    into post-care (this is the first run's history)."""
    from models.messages import ApplyCancellation, ReportWorksDone
    from tests.drill import HOLDER, cst

    await _order_closure(drill)
    await drill.advance_to(cst(2030, 7, 15, 10, 0))
    await drill.act("report_works_done", ReportWorksDone(actor=HOLDER))
    for kind in ("initial_inspection", "field_acceptance", "expert_certificate", "supply_stop"):
        await drill.approve_all_open(kind)
    await drill.act("apply_cancellation", ApplyCancellation(actor=HOLDER))
    await drill.approve_all_open("permit_cancellation")
    assert (await drill.status()).stage == "post_care"


async def cancel_path_works_overdue_taken_over(drill) -> None:
    """四.2, 四.3, 五.2: the works are overdue: township takeover, referral, cancellation notice, deemed
    abandoned; the township applies, the permits are cancelled, the township's works are accepted and the
    case continues as new into post-care (first run)."""
    from models.messages import ApplyCancellation, ReportWorksDone
    from tests.drill import cst, township

    await _order_closure(drill)
    await drill.advance_to(cst(2030, 9, 2, 0, 1))
    assert (await drill.status()).stage == "deemed_abandoned"
    await drill.act("apply_cancellation", ApplyCancellation(actor=township()))
    await drill.approve_all_open("permit_cancellation")
    await drill.act("report_works_done", ReportWorksDone(actor=township()))
    for kind in ("field_acceptance", "expert_certificate"):
        await drill.approve_all_open(kind)
    assert (await drill.status()).stage == "post_care"


SCENARIOS = {
    "cancel_path_restored_cancelled_into_post_care": cancel_path_restored_cancelled_into_post_care,
    "cancel_path_works_overdue_taken_over": cancel_path_works_overdue_taken_over,
    "continue_path_to_production_resumed": continue_path_to_production_resumed,
    "extension_deemed_abandoned_cancelled": extension_deemed_abandoned_cancelled,
    "rejection_escalation_and_collective_decision": rejection_escalation_and_collective_decision,
}


async def record(names: list[str]) -> None:
    from casefile.db import open_casefile
    from casefile.holidays import parse_schedule_file, save_schedule
    from runtime.temporal import DevServer, connect, free_port
    from tests.drill import Drill
    from worker import build_worker

    HISTORIES.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="minecase-record-") as tmp:
        work = Path(tmp)
        engine = open_casefile(f"sqlite:///{work / 'casefile.db'}", upgrade=True)
        for year in (2030, 2031):
            save_schedule(engine, parse_schedule_file(DATA / f"holidays-{year}-test.json"))
        server = DevServer(db_file=work / "temporal.db", port=free_port(), log_file=work / "temporal.log")
        await server.start()
        try:
            client = await connect(server.address)
            async with build_worker(client, engine, QUEUE, ThreadPoolExecutor(max_workers=8)):
                for name in names:
                    drill = Drill(client, engine, QUEUE)
                    await SCENARIOS[name](drill)
                    first_run = drill.client.get_workflow_handle(drill.workflow_id, run_id=drill.first_run_id)
                    history = await first_run.fetch_history()
                    path = HISTORIES / f"{name}.json"
                    path.write_text(history.to_json() + "\n", encoding="utf-8")
                    print(f"{path}: {len(history.events)} events")
        finally:
            server.stop()
            engine.dispose()


if __name__ == "__main__":
    chosen = sys.argv[1:] or list(SCENARIOS)
    unknown = [n for n in chosen if n not in SCENARIOS]
    if unknown:
        sys.exit(f"unknown scenario(s) {unknown}; known: {list(SCENARIOS)}")
    asyncio.run(record(chosen))
