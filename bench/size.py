"""Size: history events and bytes per full lifecycle, worker memory per cached case, against the twin.

    python -m bench.size --lifecycles 3 --open-cases 200

History: the product's full continue path (as in ``bench.lifecycle``) and the twin's, fetched
with ``fetch_history``; events counted, serialized size = protobuf ``History.ByteSize()``; per
event type and per activity type, to show what dominates. Memory: RSS of this process (it runs
the workers) before and after opening ``--open-cases`` cases at mid-lifecycle (5 documents under
review, so every case is in the worker's cache), divided by the count; the same for the twin.
The figures printed last are product / twin ratios; goals (issue 16) are ≤ 300 events and ≤ 160 KiB.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics

from bench.common import (
    CASE_QUEUE,
    COUNTY,
    DISPOSITION,
    HOLDER,
    OFFICE,
    TWIN_QUEUE,
    BenchEnv,
    E,
    bounded,
    exit_on_sigterm,
    history_figures,
    history_of,
    log,
    mine,
    policy,
    serve_issued,
    settle_memory,
    township,
    until,
)
from bench.lifecycle import FIVE_MONTHS, calibrate, case_lifecycle, twin_lifecycle
from bench.twin import TwinLifecycle, TwinPlan
from models.messages import DecideDisposition, ProposeDisposition, SubmitDocument
from operations import cases
from runtime.temporal import fast_forward
from workflows.case_workflow import workflow_id_for

GOAL_EVENTS = 300  # issue 16
GOAL_BYTES = 160 * 1024


def payload_bytes_by_activity(history) -> dict[str, dict]:
    """Per activity type: how many were scheduled and the bytes of their scheduled events (inputs); a local activity
    (its input is not in the history) by its marker (its result)."""
    out: dict[str, dict] = {}
    for event in history.events:
        name = None
        if event.event_type == E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
            name = event.activity_task_scheduled_event_attributes.activity_type.name
        elif (event.event_type == E.EVENT_TYPE_MARKER_RECORDED
              and event.marker_recorded_event_attributes.marker_name == "core_local_activity"):
            data = event.marker_recorded_event_attributes.details["data"].payloads[0].data
            name = "local " + json.loads(data)["activity_type"]
        if name is not None:
            entry = out.setdefault(name, {"count": 0, "bytes": 0})
            entry["count"] += 1
            entry["bytes"] += event.ByteSize()
    return out


async def open_case_midway(env: BenchEnv, facts, pol) -> None:
    """A case left open and cached: continuation approved, 5 documents under review."""
    client, permit, wid = env.client, facts.permit_no, workflow_id_for(facts.permit_no)
    await cases.register_case(client, env.engine, CASE_QUEUE, facts, pol, OFFICE)
    await cases.act(client, permit, "propose_disposition", ProposeDisposition(actor=township(), path="continue", reason="资源储量尚可"),
                    view=False)
    await fast_forward(client, wid, until(DISPOSITION))
    await serve_issued(client, permit, await cases.act(client, permit, "decide_disposition", DecideDisposition(actor=COUNTY, approve=True)))
    await fast_forward(client, wid, FIVE_MONTHS)
    for item in pol.approval_items:
        await cases.act(client, permit, "submit_document", SubmitDocument(actor=HOLDER, item=item.code), view=False)
    await cases.wait_settled(client, wid)


async def open_twin_midway(env: BenchEnv, wid: str, plan: TwinPlan) -> None:
    client = env.client
    handle = await client.start_workflow(TwinLifecycle.run, plan, id=wid, task_queue=TWIN_QUEUE)
    for step in range(7):  # propose, decide, 5 submissions
        await handle.execute_update(TwinLifecycle.act, {"step": step})
        if step == 0:
            await fast_forward(client, wid, until(DISPOSITION))
        elif step == 1:
            await fast_forward(client, wid, FIVE_MONTHS)
    await cases.wait_settled(client, wid)


async def run_size(lifecycles: int = 3, open_cases: int = 200, concurrency: int = 16, env: BenchEnv | None = None) -> dict:
    if env is None:
        async with BenchEnv() as own:
            return await run_size(lifecycles, open_cases, concurrency, own)
    pol = policy()
    plan, real_shape, twin_shape = await calibrate(env, pol)

    # -- history per lifecycle --------------------------------------------------------------
    product_ids = [workflow_id_for(mine(20, i).permit_no) for i in range(lifecycles)]
    twin_ids = [f"twin-size-{i}" for i in range(lifecycles)]
    await bounded(concurrency, [case_lifecycle(env, mine(20, i), pol) for i in range(lifecycles)])
    await bounded(concurrency, [twin_lifecycle(env, wid, plan) for wid in twin_ids])
    product = [history_figures(await history_of(env.client, wid)) for wid in product_ids]
    twin = [history_figures(await history_of(env.client, wid)) for wid in twin_ids]
    sample = await history_of(env.client, product_ids[0])
    by_activity = payload_bytes_by_activity(sample)
    p_events = statistics.mean(f["events"] for f in product)
    p_bytes = statistics.mean(f["bytes"] for f in product)
    t_events = statistics.mean(f["events"] for f in twin)
    t_bytes = statistics.mean(f["bytes"] for f in twin)
    log(f"history: product {p_events:.0f} events {p_bytes / 1024:.0f} KB; twin {t_events:.0f} events {t_bytes / 1024:.1f} KB")

    # -- memory per cached case -------------------------------------------------------------
    base = settle_memory()
    await bounded(concurrency, [open_twin_midway(env, f"twin-open-{i}", plan) for i in range(open_cases)])
    twin_mem = (settle_memory() - base) / open_cases
    base = settle_memory()
    await bounded(concurrency, [open_case_midway(env, mine(21, i), pol) for i in range(open_cases)])
    product_mem = (settle_memory() - base) / open_cases
    log(f"memory per cached case: product {product_mem / 1024:.0f} KB, twin {twin_mem / 1024:.0f} KB")

    figures = {
        "benchmark": "size", "lifecycles": lifecycles, "open_cases": open_cases,
        "shape_product": real_shape, "shape_twin": twin_shape,
        "events_per_lifecycle": round(p_events, 1), "bytes_per_lifecycle": round(p_bytes),
        "twin_events_per_lifecycle": round(t_events, 1), "twin_bytes_per_lifecycle": round(t_bytes),
        "events_ratio": round(p_events / t_events, 2), "bytes_ratio": round(p_bytes / t_bytes, 2),
        "by_event_type": product[0]["by_type"], "by_event_type_twin": twin[0]["by_type"],
        "activity_inputs": by_activity,
        "memory_per_case_bytes": round(product_mem), "twin_memory_per_case_bytes": round(twin_mem),
        "memory_ratio": round(product_mem / twin_mem, 2) if twin_mem > 0 else None,
        "goal_events": GOAL_EVENTS, "goal_bytes": GOAL_BYTES,
        "ratio": round(p_bytes / t_bytes, 2),
    }
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lifecycles", type=int, default=3)
    parser.add_argument("--open-cases", type=int, default=200, help="cases held open in the worker cache for the memory figure")
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args(argv)
    exit_on_sigterm()
    f = asyncio.run(run_size(args.lifecycles, args.open_cases, args.concurrency))
    print(json.dumps(f, ensure_ascii=False))
    print("by event type (count, bytes) in one product lifecycle:")
    for name, (count, size) in f["by_event_type"].items():
        print(f"  {name:<48} {count:>5} {size / 1024:>9.1f} KB")
    print("activity inputs in one product lifecycle:")
    for name, entry in f["activity_inputs"].items():
        print(f"  {name:<48} {entry['count']:>5} {entry['bytes'] / 1024:>9.1f} KB ({entry['bytes'] / entry['count'] / 1024:.1f} KB each)")
    ev = "meets" if f["events_per_lifecycle"] <= GOAL_EVENTS else f"MISSES by {f['events_per_lifecycle'] / GOAL_EVENTS:.2f}x"
    by = "meets" if f["bytes_per_lifecycle"] <= GOAL_BYTES else f"MISSES by {f['bytes_per_lifecycle'] / GOAL_BYTES:.2f}x"
    print(f"size: per lifecycle {f['events_per_lifecycle']:.0f} events ({ev} goal <= {GOAL_EVENTS}), "
          f"{f['bytes_per_lifecycle'] / 1024:.0f} KB ({by} goal <= {GOAL_BYTES // 1024} KB); "
          f"memory {f['memory_per_case_bytes'] / 1024:.0f} KB per cached case "
          f"-> vs twin: events {f['events_ratio']}x, bytes {f['bytes_ratio']}x, memory {f['memory_ratio']}x")


if __name__ == "__main__":
    main()
