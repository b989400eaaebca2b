"""Office reads at N cases (default 10,000) through the HTTP API, vs the bare Temporal reads.

The desk runs under uvicorn on a loopback port, signed in as the office; requests go over HTTP
(httpx). The case file holds N cases: ``--real`` of them (default 200) are real case workflows
(registered, proposed, decided: they have deadlines and timelines), the rest are case-file rows
written directly (varied stages, townships and due dates), since the board and the lists read
only the case file. Measured: p50/p95 of the board, a filtered list (township and stage), and a
case page (live status queried from the workflow + the case file's history).

The twins, on the same server: the board as Temporal would give it (one ``count_workflows`` per
stage), a list as ``list_workflows`` with the same filter (first page), and a case as one
workflow query. The figure is twin p95 ÷ product p95 for each read (higher is better); the
goals are p95 ≤ 100 ms for board and list and ≤ 50 ms for a case.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import random
import statistics
import time
import types

import httpx
from sqlmodel import Session

from bench.common import CASE_QUEUE, COUNTY, OFFICE, BenchEnv, bounded, exit_on_sigterm, log, machine, mine, policy, serve_issued, township
from casefile.tables import CaseRecord
from casefile.users import add_user
from models.messages import DecideDisposition, ProposeDisposition
from models.stages import Stage
from operations import cases
from runtime.settings import Settings
from runtime.temporal import free_port
from workflows.case_workflow import MineCaseWorkflow

TOWNSHIPS = ["敖阳街道", "锦江镇", "泗溪镇", "翰堂镇", "南港镇", "田心镇", "徐家渡镇", "芦洲乡", "新界埠镇", "镇渡乡"]
STAGES = [Stage.registered, Stage.disposition_review, Stage.rectifying, Stage.rectifying_extended, Stage.joint_review,
          Stage.closure_ordered, Stage.restoring, Stage.deemed_abandoned]


def fill_case_file(engine, count: int, prefix: int) -> None:
    chance = random.Random(6)
    now = dt.datetime.now(dt.UTC)
    with Session(engine) as session:
        for i in range(count):
            stage = chance.choice(STAGES)
            due = dt.date(2027, 1, 1) + dt.timedelta(days=chance.randrange(0, 400)) if stage != Stage.registered else None
            session.add(CaseRecord(
                permit_no=f"C{prefix:02d}{i:020d}", workflow_id=f"mine-C{prefix:02d}{i:020d}", campaign="shanggao-2023",
                mine_name=f"基准看板矿山{i}（虚构）", holder="基准测试矿业有限公司（虚构）", township=chance.choice(TOWNSHIPS),
                stage=stage.value, path="continue", next_due=due, next_due_kind="rectification" if due else None,
                overdue=chance.random() < 0.05, bare_area_mu=10.0, fictional=True, registered_at=now, updated_at=now,
            ))
        session.commit()


def percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {"p50_ms": round(statistics.median(ordered) * 1000, 1),
            "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000, 1), "n": len(ordered)}


async def timed(call, times: int) -> list[float]:
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        await call()
        samples.append(time.perf_counter() - started)
    return samples


async def run_reads(cases_total: int = 10_000, real: int = 200, requests: int = 100, env: BenchEnv | None = None) -> dict:
    if env is None:
        async with BenchEnv() as own:
            return await run_reads(cases_total, real, requests, own)
    from api.serve import make_server

    pol = policy()
    real = min(real, cases_total)
    facts = [mine(55, i) for i in range(real)]

    async def open_case(f):
        await cases.register_case(env.client, env.engine, CASE_QUEUE, f, pol, OFFICE)
        await cases.act(env.client, f.permit_no, "propose_disposition", ProposeDisposition(actor=township(), path="continue"), view=False)
        view = await cases.act(env.client, f.permit_no, "decide_disposition", DecideDisposition(actor=COUNTY, approve=True))
        await serve_issued(env.client, f.permit_no, view)

    log(f"reads: opening {real} real cases, writing {cases_total - real} case-file rows")
    await bounded(16, [open_case(f) for f in facts])
    fill_case_file(env.engine, cases_total - real, prefix=56)
    add_user(env.engine, "bench-office", "bench-password", "office", display_name="bench")

    runtime = types.SimpleNamespace(client=env.client, engine=env.engine,
                                    settings=Settings(task_queue=CASE_QUEUE, campaign="shanggao-2023"))
    port = free_port()
    server = make_server(runtime, "127.0.0.1", port, secret_key="bench")
    serving = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn's Server sets a flag, it has no event to wait on
        await asyncio.sleep(0.05)
    chance = random.Random(7)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            signed = await http.post("/api/session", json={"name": "bench-office", "password": "bench-password"})
            assert signed.status_code == 200, signed.text

            async def get(url: str):
                answer = await http.get(url)
                assert answer.status_code == 200, (url, answer.status_code, answer.text[:200])

            await get("/api/board")  # warm up
            board = await timed(lambda: get("/api/board"), requests)
            listing = await timed(lambda: get(f"/api/cases?township={chance.choice(TOWNSHIPS)}&stage=rectifying"), requests)
            case = await timed(lambda: get(f"/api/cases/{chance.choice(facts).permit_no}"), requests)
    finally:
        server.should_exit = True
        await serving

    async def twin_board():
        for stage in Stage:
            await env.client.count_workflows(f"MineStage = '{stage.value}'")

    async def twin_list():
        async for _ in env.client.list_workflows("CasePath = 'continue' AND MineStage = 'rectifying'", page_size=100,
                                                 limit=100):
            pass

    async def twin_case():
        await env.client.get_workflow_handle_for(MineCaseWorkflow.run, f"mine-{chance.choice(facts).permit_no}").query(
            MineCaseWorkflow.settled)

    twins = {"board": await timed(twin_board, requests), "list": await timed(twin_list, requests),
             "case": await timed(twin_case, requests)}
    product = {"board": percentiles(board), "list": percentiles(listing), "case": percentiles(case)}
    twin = {name: percentiles(samples) for name, samples in twins.items()}
    goals = {"board": 100, "list": 100, "case": 50}
    return {
        "benchmark": "reads", "cases": cases_total, "real_workflows": real, "requests_each": requests,
        "product": product, "twin": twin, "goal_p95_ms": goals,
        "ratio": {name: round(twin[name]["p95_ms"] / product[name]["p95_ms"], 3) for name in goals},
        "meets": {name: product[name]["p95_ms"] <= goals[name] for name in goals}, "machine": machine(),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--real", type=int, default=200, help="how many of them are real case workflows")
    parser.add_argument("--requests", type=int, default=100, help="requests per read")
    args = parser.parse_args(argv)
    exit_on_sigterm()
    figures = asyncio.run(run_reads(args.cases, args.real, args.requests))
    print(json.dumps(figures, ensure_ascii=False))
    parts = [f"{name} p95 {figures['product'][name]['p95_ms']} ms (twin {figures['twin'][name]['p95_ms']} ms, "
             f"{'meets' if figures['meets'][name] else 'MISSES'} <= {figures['goal_p95_ms'][name]} ms)"
             for name in ("board", "list", "case")]
    print(f"reads at {args.cases} cases: " + "; ".join(parts) + f" -> ratio {figures['ratio']}")


if __name__ == "__main__":
    main()
