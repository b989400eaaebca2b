"""Deadline storm: K open cases whose rectification period ends at the same instant, against the twin.

    python -m bench.storm --cases 10000

Embedded default: the dev server on a SQLite file with WAL pragmas (``DevServer(db_file=...)``).

Set-up (not timed): every case is registered, proposed, moved to 2030-04-01 and decided, so its
six months end on 2030-10-08 and it is overdue from 2030-10-09 00:00 CST, the same instant for
all; then it is moved to 2030-10-08 00:00, one day before (its 30-, 7- and 1-day reminders fire
on the way), and waits. Each case has its own virtual clock, which runs on in real time after a
fast-forward: a day's margin keeps every clock short of the instant however long set-up takes.

The storm (timed): every case is fast-forwarded by one day and two minutes (the requests go out
with bounded concurrency, ``--concurrency``), which fires its timer at the instant; the case
records the consequence: under due process, the proposal to the county (a
``consequence_decision`` task in the inboxes and the ``consequence_proposed`` notice in the
case file). The clock runs from the first fast-forward until every case's proposal is in the
case file. The twin (``bench.twin.TwinStorm``): a timer to the same instant, then one activity
writing a row in the same database; same fast-forwards, same measurement.
The figure printed last is twin time / product time (higher is better).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import time

from sqlalchemy import text

from bench.common import (
    CASE_QUEUE,
    COUNTY,
    DISPOSITION,
    OFFICE,
    RECTIFICATION_OVERDUE,
    TWIN_QUEUE,
    BenchEnv,
    CpuMeter,
    bounded,
    exit_on_sigterm,
    log,
    mine,
    policy,
    serve_issued,
    start_fast_forward,
    township,
    until,
)
from bench.twin import TwinStorm, TwinStormArgs
from models.messages import DecideDisposition, ProposeDisposition
from operations import cases
from runtime.temporal import fast_forward
from workflows.case_workflow import workflow_id_for

PREFIX = 30
EVE = RECTIFICATION_OVERDUE - dt.timedelta(days=1)  # 2030-10-08 00:00 CST, after the 1-day reminder
STORM_STEP = dt.timedelta(days=1, minutes=2)


SETUP_PHASES: dict[str, float] = {}
"""Seconds each step of a case's set-up took, summed over the cases (latencies: they overlap under concurrency)."""


def _phase(name: str, since: float) -> float:
    now = time.perf_counter()
    SETUP_PHASES[name] = SETUP_PHASES.get(name, 0.0) + now - since
    return now


async def set_up_case(env: BenchEnv, facts, pol) -> None:
    client, permit, wid = env.client, facts.permit_no, workflow_id_for(facts.permit_no)
    t = time.perf_counter()
    await cases.register_case(client, env.engine, CASE_QUEUE, facts, pol, OFFICE)
    await cases.wait_settled(client, wid)  # the first workflow task and the first write of the case file
    t = _phase("register", t)
    await cases.act(client, permit, "propose_disposition", ProposeDisposition(actor=township(), path="continue", reason="资源储量尚可"),
                    view=False)
    t = _phase("propose", t)
    await fast_forward(client, wid, until(DISPOSITION))
    t = _phase("fast_forward_1", t)
    view = await cases.act(client, permit, "decide_disposition", DecideDisposition(actor=COUNTY, approve=True))
    t = _phase("decide", t)
    await serve_issued(client, permit, view)
    t = _phase("serve", t)
    view = await cases.live_status(client, permit)
    assert view.deadlines[0].overdue_from == RECTIFICATION_OVERDUE, view.deadlines[0]
    await fast_forward(client, wid, EVE - DISPOSITION)
    t = _phase("fast_forward_2", t)
    await cases.wait_settled(client, wid)
    _phase("settled", t)


TWIN_PHASES: dict[str, float] = {}


async def set_up_twin(env: BenchEnv, key: str) -> None:
    t = time.perf_counter()
    await env.client.start_workflow(TwinStorm.run, TwinStormArgs(key=key, due=RECTIFICATION_OVERDUE), id=key, task_queue=TWIN_QUEUE)
    TWIN_PHASES["start"] = TWIN_PHASES.get("start", 0.0) + time.perf_counter() - t
    t = time.perf_counter()
    await fast_forward(env.client, key, until(EVE))
    TWIN_PHASES["fast_forward"] = TWIN_PHASES.get("fast_forward", 0.0) + time.perf_counter() - t


async def all_closed(env: BenchEnv, workflow_type: str, expected: int, limit: float = 120.0) -> None:
    """Wait until ``expected`` workflows of this type have closed (visibility is eventually consistent: asked again)."""
    give_up = time.perf_counter() + limit
    while time.perf_counter() < give_up:
        closed = (await env.client.count_workflows(f"WorkflowType = '{workflow_type}' AND ExecutionStatus != 'Running'")).count
        if closed >= expected:
            return
        await asyncio.sleep(0.25)
    log(f"  {workflow_type}: not all {expected} closed after {limit:.0f} s; going on")


def count(env: BenchEnv, sql: str) -> int:
    with env.engine.connect() as conn:
        return conn.execute(text(sql)).scalar_one()


PRODUCT_DONE = f"SELECT count(*) FROM tasks WHERE permit_no LIKE 'C{PREFIX}%' AND kind = 'consequence_decision'"
PRODUCT_OPEN = f"SELECT count(*) FROM cases WHERE permit_no LIKE 'C{PREFIX}%' AND stage = 'rectifying'"
PRODUCT_NOTICES = f"SELECT count(*) FROM notices WHERE permit_no LIKE 'C{PREFIX}%' AND kind = 'consequence_proposed'"
TWIN_DONE = "SELECT count(*) FROM bench_twin_storm"


async def storm(env: BenchEnv, ids: list[str], done_sql: str, concurrency: int, limit: float) -> dict:
    """Fast-forward every execution past the instant; time until ``done_sql`` counts them all."""
    k = len(ids)
    t0 = time.perf_counter()
    issued_at: list[float] = []

    async def issue() -> None:
        await bounded(concurrency, [start_fast_forward(env.client, wid, STORM_STEP) for wid in ids])
        issued_at.append(time.perf_counter() - t0)

    issuing = asyncio.create_task(issue())
    progress = []
    last_log = 0.0
    while True:
        await asyncio.sleep(0.25)
        done = await asyncio.to_thread(count, env, done_sql)
        elapsed = time.perf_counter() - t0
        progress.append((round(elapsed, 2), done))
        if elapsed - last_log >= 15:
            log(f"  {done}/{k} consequences recorded after {elapsed:.0f} s")
            last_log = elapsed
        if issuing.done() and issuing.exception() is not None:
            raise RuntimeError(f"fast-forward requests failed after {done} consequences") from issuing.exception()
        if done >= k and issuing.done():
            break
        if elapsed > limit:
            issuing.cancel()
            break
    await asyncio.gather(issuing, return_exceptions=True)
    elapsed = time.perf_counter() - t0
    half = next((t for t, n in progress if n >= k / 2), None)
    return {"seconds": round(elapsed, 2), "recorded": done, "issued_seconds": round(issued_at[0], 2) if issued_at else None,
            "per_s": round(done / elapsed, 2), "half_seconds": half, "complete": done >= k}


async def run_storm(cases_: int = 10000, concurrency: int = 64, setup_concurrency: int = 32, limit: float = 1800.0,
                    env: BenchEnv | None = None) -> dict:
    if env is None:
        async with BenchEnv(cached_cases=max(2000, cases_ + 500)) as own:  # every case and every twin kept in memory
            return await run_storm(cases_, concurrency, setup_concurrency, limit, own)
    pol = policy()
    twin_ids = [f"twin-storm-{i}" for i in range(cases_)]
    facts = [mine(PREFIX, i) for i in range(cases_)]
    product_ids = [workflow_id_for(f.permit_no) for f in facts]

    t = time.perf_counter()
    await bounded(setup_concurrency, [set_up_twin(env, key) for key in twin_ids])
    twin_setup = time.perf_counter() - t
    log(f"set-up: {cases_} twins in {twin_setup:.0f} s")
    t = time.perf_counter()
    await bounded(setup_concurrency, [set_up_case(env, f, pol) for f in facts])
    product_setup = time.perf_counter() - t
    log(f"set-up: {cases_} cases in {product_setup:.0f} s")
    assert count(env, TWIN_DONE) == 0, "a twin's timer fired before the storm"
    assert count(env, PRODUCT_OPEN) == cases_, "a case is not waiting in 'rectifying' before the storm"

    log(f"storm: twin, {cases_} timers at {RECTIFICATION_OVERDUE.isoformat()}")
    with CpuMeter(env) as twin_cpu:
        twin = await storm(env, twin_ids, TWIN_DONE, concurrency, limit)
    twin["cpu_ms_per_deadline"] = {"python": round(1000 * twin_cpu.python / cases_, 1), "server": round(1000 * twin_cpu.server / cases_, 1)}
    log(f"storm: twin {twin}")
    await all_closed(env, "TwinStorm", cases_)  # the twins' last workflow tasks are not left to run during the product's storm
    log(f"storm: product, {cases_} cases at {RECTIFICATION_OVERDUE.isoformat()}")
    with CpuMeter(env) as product_cpu:
        product = await storm(env, product_ids, PRODUCT_DONE, concurrency, limit)
    product["cpu_ms_per_deadline"] = {"python": round(1000 * product_cpu.python / cases_, 1),
                                      "server": round(1000 * product_cpu.server / cases_, 1)}
    product["notices"] = count(env, PRODUCT_NOTICES)
    log(f"storm: product {product}")
    figures = {
        "benchmark": "storm", "cases": cases_, "concurrency": concurrency,
        "setup_seconds_twin": round(twin_setup, 1), "setup_seconds_product": round(product_setup, 1),
        "setup_ms_per_case_product": {k: round(1000 * v / cases_, 1) for k, v in SETUP_PHASES.items()},
        "setup_ms_per_case_twin": {k: round(1000 * v / cases_, 1) for k, v in TWIN_PHASES.items()},
        "twin": twin, "product": product,
        "within_10_minutes": product["complete"] and product["seconds"] <= 600,
        "ratio": round(twin["seconds"] / product["seconds"], 3) if product["complete"] else 0.0, "goal": 0.8,
    }
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10000)
    parser.add_argument("--concurrency", type=int, default=64, help="fast-forward requests in flight during the storm")
    parser.add_argument("--setup-concurrency", type=int, default=32, help="cases being set up at once")
    parser.add_argument("--limit", type=float, default=1800.0, help="give up a storm after this many seconds")
    args = parser.parse_args(argv)
    exit_on_sigterm()
    f = asyncio.run(run_storm(args.cases, args.concurrency, args.setup_concurrency, args.limit))
    print(json.dumps(f, ensure_ascii=False))
    verdict = "meets" if f["ratio"] >= f["goal"] else "MISSES"
    p, t = f["product"], f["twin"]
    print(f"storm: {f['cases']} deadlines at one instant: product {p['seconds']} s ({p['per_s']}/s, {p['recorded']} recorded), "
          f"twin {t['seconds']} s ({t['per_s']}/s) -> ratio {f['ratio']}x ({verdict} goal >= 0.8x; "
          f"{'within' if f['within_10_minutes'] else 'NOT within'} 10 minutes)")


if __name__ == "__main__":
    main()
