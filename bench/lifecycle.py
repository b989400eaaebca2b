"""Lifecycle throughput: N cases through the full continue path, against the bare twin.

    python -m bench.lifecycle --cases 1000

Each case: register → propose → (fast-forward to 2030-04-01) → decide → (fast-forward five
months) → 5 documents submitted and approved → works reported → initial inspection → 6 field
acceptances → 6 joint reviews → renewal decided → permit renewed → resumption applied → 6
resume-production tasks → production_resumed (the workflow's result). Every input is a real
Temporal update through ``operations.cases.act``; the driver reads the case (the ``status`` query) where it needs
to see it — the registration, the decision to serve, and once before each group of approvals — and otherwise takes
each update's receipt (``view=False``), as a batch or a form that redirects does (issue 16).

The twin (``bench.twin.TwinLifecycle``) gets the same inputs and fast-forwards, and runs the
same number of activities and timers at the same points: its plan is read from the history of a
calibration case run first. Rounds alternate twin and product (ABBA...) so that load from other
processes on the machine falls on both alike. The figure printed last is
product throughput / twin throughput.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import itertools
import json
import time

from bench.common import (
    CASE_QUEUE,
    COUNTY,
    DISPOSITION,
    HOLDER,
    OFFICE,
    TWIN_QUEUE,
    BenchEnv,
    CpuMeter,
    bounded,
    department,
    exit_on_sigterm,
    history_of,
    log,
    mine,
    plan_from_history,
    policy,
    serve_issued,
    shape,
    township,
    until,
)
from bench.twin import TwinLifecycle, TwinPlan
from models.messages import (
    ApplyResumeProduction,
    DecideDisposition,
    DecideRenewal,
    ProposeDisposition,
    RecordReview,
    ReportWorksDone,
    SubmitDocument,
)
from models.views import CaseView
from operations import cases
from runtime.temporal import fast_forward
from workflows.case_workflow import MineCaseWorkflow, workflow_id_for

_calibrations = itertools.count()
FIVE_MONTHS = dt.timedelta(days=153)  # 2030-04-01 → 2030-09-01: before the first reminder (2030-09-08)


async def case_lifecycle(env: BenchEnv, facts, pol) -> str:
    """The product: one case through the continue path. Returns its final stage."""
    client = env.client
    permit = facts.permit_no
    wid = workflow_id_for(permit)
    await cases.register_case(client, env.engine, CASE_QUEUE, facts, pol, OFFICE)
    await cases.wait_settled(client, wid)
    view: CaseView = await cases.handle_for(client, permit).query(MineCaseWorkflow.status)
    # 六: the police confirm the explosives ban of registration (its review would otherwise be escalated)
    (ban,) = [t for t in view.tasks if t.kind == "supply_stop"]
    await cases.act(client, permit, "record_review", RecordReview(actor=department(ban.department), task_id=ban.id, approved=True),
                    view=False)
    await cases.act(client, permit, "propose_disposition", ProposeDisposition(actor=township(), path="continue", reason="资源储量尚可"),
                    view=False)
    await fast_forward(client, wid, until(DISPOSITION))
    await cases.wait_settled(client, wid)
    await serve_issued(client, permit, await cases.act(client, permit, "decide_disposition", DecideDisposition(actor=COUNTY, approve=True)))
    await fast_forward(client, wid, FIVE_MONTHS)
    await cases.wait_settled(client, wid)

    for item in pol.approval_items:
        await cases.act(client, permit, "submit_document", SubmitDocument(actor=HOLDER, item=item.code), view=False)

    async def approve_all(kind: str) -> None:
        """Each open task of ``kind`` approved by its assignee: the case is read once, as a department's to-do list is,
        and each approval answers its receipt only (``view=False``)."""
        view = await cases.live_status(client, permit)
        for task in [t for t in view.tasks if t.kind == kind and t.is_open]:
            actor = COUNTY if task.assignee_role == "county" else township() if task.township else department(task.department)
            await cases.act(client, permit, "record_review", RecordReview(actor=actor, task_id=task.id, approved=True), view=False)

    await approve_all("document_review")
    await approve_all("joint_determination")  # 四.2: the process and equipment, determined jointly
    await approve_all("determination_approval")  # and approved by the county
    await cases.act(client, permit, "report_works_done", ReportWorksDone(actor=HOLDER), view=False)
    await approve_all("initial_inspection")
    await approve_all("field_acceptance")
    await approve_all("joint_review")
    await cases.act(client, permit, "decide_renewal", DecideRenewal(actor=COUNTY, approve=True), view=False)
    await approve_all("permit_renewal")
    await cases.act(client, permit, "apply_resume_production", ApplyResumeProduction(actor=HOLDER), view=False)
    await approve_all("resume_review")
    await approve_all("supply_restore")
    result = await client.get_workflow_handle_for(MineCaseWorkflow.run, wid).result()
    return result.stage


async def twin_lifecycle(env: BenchEnv, wid: str, plan: TwinPlan) -> int:
    """The twin: the same inputs (updates) and fast-forwards at the same points."""
    client = env.client
    handle = await client.start_workflow(TwinLifecycle.run, plan, id=wid, task_queue=TWIN_QUEUE)
    await cases.wait_settled(client, wid)  # as the product waits for registration to settle
    n = len(plan.steps)
    for step in range(n):
        await handle.execute_update(TwinLifecycle.act, {"step": step})
        if step == 1:  # after "propose" (step 0: the police confirm the explosives ban)
            await fast_forward(client, wid, until(DISPOSITION))
            await cases.wait_settled(client, wid)
        elif step == 2:  # after "decide"
            await fast_forward(client, wid, FIVE_MONTHS)
            await cases.wait_settled(client, wid)
    return await handle.result()


async def calibrate(env: BenchEnv, pol) -> tuple[TwinPlan, dict, dict]:
    """One product case and one twin, also warming both up; returns the twin's plan and both shapes."""
    n = next(_calibrations)
    facts = mine(90, n)
    stage = await case_lifecycle(env, facts, pol)
    assert stage == "production_resumed", stage
    real = await history_of(env.client, workflow_id_for(facts.permit_no))
    plan = plan_from_history(real)
    await twin_lifecycle(env, f"twin-calibration-{n}", plan)
    twin = await history_of(env.client, f"twin-calibration-{n}")
    return plan, shape(real), shape(twin)


async def run_lifecycle(cases: int = 1000, concurrency: int = 32, rounds: int = 2, env: BenchEnv | None = None) -> dict:
    """Returns the figures; ``ratio`` is product throughput / twin throughput (higher is better)."""
    if env is None:
        async with BenchEnv() as own:
            return await run_lifecycle(cases, concurrency, rounds, own)
    pol = policy()
    plan, real_shape, twin_shape = await calibrate(env, pol)
    log("shape product", real_shape, "twin", twin_shape)
    rounds = max(1, min(rounds, cases))
    sizes = [cases // rounds + (1 if r < cases % rounds else 0) for r in range(rounds)]
    spent = {"product": 0.0, "twin": 0.0}
    done = {"product": 0, "twin": 0}
    cpu_python = {"product": 0.0, "twin": 0.0}
    cpu_server = {"product": 0.0, "twin": 0.0}
    serial = 0
    for r, size in enumerate(sizes):
        order = ("twin", "product") if r % 2 == 0 else ("product", "twin")
        for who in order:
            base = serial
            serial += size
            if who == "product":
                work = [case_lifecycle(env, mine(10 + r, base + i), pol) for i in range(size)]
            else:
                work = [twin_lifecycle(env, f"twin-life-{base + i}", plan) for i in range(size)]
            t0 = time.perf_counter()
            with CpuMeter(env) as cpu:
                results = await bounded(concurrency, work)
            elapsed = time.perf_counter() - t0
            cpu_python[who] += cpu.python
            cpu_server[who] += cpu.server
            if who == "product":
                assert all(s == "production_resumed" for s in results), set(results)
            spent[who] += elapsed
            done[who] += size
            log(f"round {r + 1}/{rounds} {who}: {size} lifecycles in {elapsed:.1f} s ({size / elapsed:.2f}/s); "
                f"CPU s: python {cpu.python:.1f}, server {cpu.server:.1f}")
    product_rate = done["product"] / spent["product"]
    twin_rate = done["twin"] / spent["twin"]
    figures = {
        "benchmark": "lifecycle", "cases": cases, "concurrency": concurrency, "rounds": rounds,
        "shape_product": real_shape, "shape_twin": twin_shape,
        "product_seconds": round(spent["product"], 2), "twin_seconds": round(spent["twin"], 2),
        "product_per_s": round(product_rate, 3), "twin_per_s": round(twin_rate, 3),
        "updates_per_s_product": round(product_rate * real_shape["updates"], 1),
        "updates_per_s_twin": round(twin_rate * twin_shape["updates"], 1),
        "cpu_ms_per_lifecycle": {who: {"python": round(1000 * cpu_python[who] / done[who]),
                                       "server": round(1000 * cpu_server[who] / done[who])} for who in done},
        "ratio": round(product_rate / twin_rate, 3), "goal": 0.8,
    }
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=32, help="cases in flight at once (asyncio.Semaphore)")
    parser.add_argument("--rounds", type=int, default=2, help="alternating twin/product rounds")
    args = parser.parse_args(argv)
    exit_on_sigterm()
    figures = asyncio.run(run_lifecycle(args.cases, args.concurrency, args.rounds))
    print(json.dumps(figures, ensure_ascii=False))
    verdict = "meets" if figures["ratio"] >= figures["goal"] else "MISSES"
    print(f"lifecycle: product {figures['product_per_s']}/s vs twin {figures['twin_per_s']}/s over {args.cases} cases each "
          f"-> ratio {figures['ratio']}x ({verdict} goal >= {figures['goal']}x)")


if __name__ == "__main__":
    main()
