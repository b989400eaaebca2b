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


async def lawful_extension_served_late_deemed_abandoned(drill) -> None:
    """四.1, 六, 送达: the continuation notice served the day of the decision; six months missed → the county gives
    the 3 months, its notice is served late (the county's service task escalated); three more missed → the county
    decides deemed abandonment; the works are owed still, so takeover and referral are decided; the township
    applies and the permits are cancelled; the case stays open for the works."""
    from models.messages import ApplyCancellation, ServeDocument
    from tests.drill import OFFICE, cst, township

    await drill.approve_continuation()
    await drill.advance_to(cst(2030, 10, 9, 0, 1))
    await drill.advance_to(cst(2030, 10, 15, 10, 0))
    await drill.decide("grant_extension")
    await drill.advance_to(cst(2030, 10, 28, 10, 0))
    notice = next(d for d in (await drill.status()).documents if d.kind == "extension_notice")
    await drill.act("serve_document", ServeDocument(actor=OFFICE, document_id=notice.id, method="post"))
    await drill.advance_to(cst(2031, 1, 9, 0, 1))
    await drill.advance_to(cst(2031, 1, 20, 10, 0))
    await drill.decide("deemed_abandonment")
    await drill.serve_all()
    await drill.approve_all_open("supply_stop")
    await drill.decide("takeover")
    await drill.decide("referral")
    await drill.serve_all()
    await drill.act("apply_cancellation", ApplyCancellation(actor=township()))
    await drill.approve_all_open("permit_cancellation")
    assert (await drill.status()).stage == "cancelled"


async def lawful_filed_in_time_determined_jointly_then_corrected(drill) -> None:
    """四.1, 四.2, 送达: a continue mine with unused zones, its notice served a week late; every document filed and the
    works reported in month one, the unused zones' works on their own; the joint determination of the process and
    equipment approved by the county; the six months pass with the reviews escalated, not sanctioned; a late
    rejection gives 15 days to correct; corrected, then done."""
    import datetime as dt

    from models.messages import DecideDisposition, ProposeDisposition, RecordReview, ReportWorksDone, SubmitDocument
    from models.roles import Department
    from tests.drill import COUNTY, HOLDER, cst, department, mine, township

    await drill.register(mine(unused_bare_area_mu=6.0))
    await drill.act("propose_disposition", ProposeDisposition(actor=township(), path="continue", reason="资源储量尚可"))
    await drill.advance_to(cst(2030, 4, 1, 10, 0))
    await drill.act("decide_disposition", DecideDisposition(actor=COUNTY, approve=True,  # 2024-03-31 has passed
                                                            deadlines={"unused_bare_area": dt.date(2030, 9, 30)}))
    await drill.advance_to(cst(2030, 4, 10, 10, 0))
    await drill.serve_all()
    await drill.advance_to(cst(2030, 4, 20, 10, 0))
    await drill.submit_all_documents()
    await drill.act("report_works_done", ReportWorksDone(actor=HOLDER))
    await drill.act("report_works_done", ReportWorksDone(actor=HOLDER, scope="unused_zones"))
    await drill.approve_all_open("unused_zone_inspection")
    await drill.approve_all_open("unused_zone_acceptance")
    await drill.approve_determination()
    await drill.advance_to(cst(2030, 10, 20, 10, 0))
    task = await drill.open_task(Department.natural_resources, "document_review")
    await drill.act("record_review", RecordReview(actor=department(Department.natural_resources), task_id=task.id,
                                                  approved=False, comment="储量核实报告未附"))
    await drill.advance_to(cst(2030, 10, 28, 10, 0))
    await drill.act("submit_document", SubmitDocument(actor=HOLDER, item=task.item or "development_plan"))
    await drill.approve_all_open("document_review")
    await drill.approve_all_open("initial_inspection")
    await drill.approve_all_open("field_acceptance")
    assert (await drill.status()).stage == "joint_review"


async def lawful_cancel_notice_published_taken_over(drill) -> None:
    """四.2, 四.3, 五.2, 送达: the closure decision served; the works are not reported by their date: the county
    decides the takeover and the notice, the township refers and serves its letter; the notice is published and the
    holder is deemed to have abandoned the right; the township applies, the permits are cancelled, its works are
    accepted: post-care (first run)."""
    from models.messages import ApplyCancellation, ReportWorksDone
    from tests.drill import cst, township

    await _order_closure(drill)
    await drill.serve_all()
    await drill.advance_to(cst(2030, 9, 2, 0, 1))
    await drill.advance_to(cst(2030, 9, 5, 10, 0))
    for consequence in ("takeover", "referral", "cancellation_notice"):
        await drill.decide(consequence)
    await drill.serve_all()
    await drill.publish_notice()
    assert (await drill.status()).stage == "deemed_abandoned"
    await drill.act("apply_cancellation", ApplyCancellation(actor=township()))
    await drill.approve_all_open("permit_cancellation")
    await drill.act("report_works_done", ReportWorksDone(actor=township()))
    for kind in ("field_acceptance", "expert_certificate"):
        await drill.approve_all_open(kind)
    assert (await drill.status()).stage == "post_care"


# Histories recorded under the 2023 rules, before the due-process patch: cases started then replay them.
# Their scenarios (in this file's git history, before the patch) cannot run again: new cases run under due
# process. They stay as they were recorded.
RECORDED_UNDER_THE_2023_RULES = (
    "cancel_path_restored_cancelled_into_post_care", "cancel_path_works_overdue_taken_over",
    "continue_path_to_production_resumed", "extension_deemed_abandoned_cancelled",
    "rejection_escalation_and_collective_decision",
)

async def certified_cancel_path_accepted_with_checklist(drill) -> None:
    """五.1, 七.2, 004 附件 (patch acceptance-certificate-2026-11-27): a closed mine's works accepted — each department fills
    its items of the acceptance standard in its field acceptance, and the expert panel's acceptance issues the numbered
    验收合格意见书."""
    import datetime as dt

    from models.messages import DecideDisposition, ProposeDisposition, RecordReview, ReportWorksDone, SubmitDocument
    from models.policy import load_campaign
    from tests.drill import COUNTY, EXPERT, HOLDER, cst, department, township

    drill.policy = load_campaign("rolling-example").resolve(dt.date(2030, 3, 1))
    await drill.register()
    await drill.act("propose_disposition", ProposeDisposition(actor=township(), path="cancel"))
    await drill.advance_to(cst(2030, 4, 1, 10, 0))
    await drill.act("decide_disposition", DecideDisposition(actor=COUNTY, approve=True))
    await drill.serve_all()
    await drill.act("submit_document", SubmitDocument(actor=HOLDER, item="restoration_plan"))
    await drill.approve_all_open("plan_review")
    await drill.act("report_works_done", ReportWorksDone(actor=HOLDER))
    inspection = await drill.open_task(kind="initial_inspection")
    await drill.act("record_review", RecordReview(actor=township(), task_id=inspection.id, approved=True))
    for task in [t for t in (await drill.status()).tasks if t.kind == "field_acceptance"]:
        answers = {i.code: True for i in drill.policy.checklist_for(task.department)}
        await drill.act("record_review", RecordReview(actor=department(task.department), task_id=task.id, approved=True,
                                                      checklist=answers, comment="现场核查达标"))
    certificate = await drill.open_task(kind="expert_certificate")
    await drill.act("record_review", RecordReview(actor=EXPERT, task_id=certificate.id, approved=True,
                                                  comment="整治工程达到验收标准"))
    await drill.serve_all()


# Histories recorded under the first rules of due process (patch due-process-2026-11), before the patch
# lawful-enforcement-2026-11-27 (service, the joint determination, the unused zones' own duty): cases started
# between the two patches replay them. Their scenarios are in this file's git history; they stay as recorded.
RECORDED_UNDER_THE_FIRST_DUE_PROCESS_RULES = (
    "due_process_extension_deemed_abandoned", "due_process_filed_in_time_then_corrected",
    "due_process_cancel_notice_published_taken_over",
)

# Histories recorded under lawful enforcement (patch lawful-enforcement-2026-11-27), before the patch
# decision-notices-2026-11-27 (every decision and service told to the holder and the township; a send-back needs
# a reason): cases started between the two patches replay them. They stay as recorded.
RECORDED_UNDER_LAWFUL_ENFORCEMENT = (
    "lawful_extension_served_late_deemed_abandoned", "lawful_filed_in_time_determined_jointly_then_corrected",
    "lawful_cancel_notice_published_taken_over",
)

# The same three stories recorded under decision-notices-2026-11-27 (informed_*), and the acceptance standard recorded
# under acceptance-certificate-2026-11-27 (certified_*). Record only a new name; never re-record one that landed.
SCENARIOS = {
    "informed_extension_served_late_deemed_abandoned": lawful_extension_served_late_deemed_abandoned,
    "informed_filed_in_time_determined_jointly_then_corrected": lawful_filed_in_time_determined_jointly_then_corrected,
    "informed_cancel_notice_published_taken_over": lawful_cancel_notice_published_taken_over,
    # acceptance-certificate-2026-11-27: the acceptance standard's checklist and the 验收合格意见书
    "certified_cancel_path_accepted_with_checklist": certified_cancel_path_accepted_with_checklist,
    # local-casefile-writes-2026-11-27: the case file written and due dates computed in local activities (markers)
    "local_writes_extension_served_late_deemed_abandoned": lawful_extension_served_late_deemed_abandoned,
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
        server = DevServer(db_file=work / "temporal.db", port=free_port(), log_file=work / "temporal.log", drill=True)
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
