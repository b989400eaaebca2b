"""Registration: N cases registered, against as many bare starts with their first activity.

    python -m bench.registration --cases 1000

The product: ``operations.cases.register_case`` (the case file asked whether the permit is known, the workflow started
with its search attributes), then ``operations.cases.wait_settled`` — the case's first workflow task (registration, the
rules of new cases, the first due date, the first case-file write with the mine's facts and its tasks and notices) is
done. The twin (``bench.twin.TwinRegistration``): a bare start whose first activity writes one row in the same database,
waited for the same way (its ``settled`` query). ``--concurrency`` registrations in flight, alternating rounds (ABBA…)
so that load from other processes falls on both. The figure printed last is product seconds ÷ twin seconds (lower is
better; issue 16's goal: ≤ 2×), with the CPU per registration of this process and of the dev server.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time

from bench.common import CASE_QUEUE, OFFICE, TWIN_QUEUE, BenchEnv, CpuMeter, bounded, exit_on_sigterm, log, mine, policy
from bench.twin import TwinRegistration
from operations import cases

PREFIX = 40
GOAL = 2.0


async def register_one(env: BenchEnv, facts, pol) -> None:
    registration = await cases.register_case(env.client, env.engine, CASE_QUEUE, facts, pol, OFFICE)
    assert registration.created, registration
    await cases.wait_settled(env.client, registration.workflow_id)


async def start_twin(env: BenchEnv, key: str) -> None:
    await env.client.start_workflow(TwinRegistration.run, key, id=key, task_queue=TWIN_QUEUE)
    await cases.wait_settled(env.client, key)


async def run_registration(cases_: int = 1000, concurrency: int = 32, rounds: int = 2, env: BenchEnv | None = None) -> dict:
    if env is None:
        async with BenchEnv() as own:
            return await run_registration(cases_, concurrency, rounds, own)
    pol = policy()
    rounds = max(1, min(rounds, cases_))
    sizes = [cases_ // rounds + (1 if r < cases_ % rounds else 0) for r in range(rounds)]
    await register_one(env, mine(PREFIX + 9, 0), pol)  # warm both up: imports, the first connections, the sandbox
    await start_twin(env, "twin-registration-warm-up")
    totals = {"product": [0.0, 0.0, 0.0], "twin": [0.0, 0.0, 0.0]}  # seconds, python CPU, server CPU
    done = {"product": 0, "twin": 0}
    per_round = []
    for r, size in enumerate(sizes):
        order = ("twin", "product") if r % 2 == 0 else ("product", "twin")
        for who in order:
            first = done[who]
            if who == "product":
                work = [register_one(env, mine(PREFIX + r, first + i), pol) for i in range(size)]
            else:
                work = [start_twin(env, f"twin-registration-{first + i}") for i in range(size)]
            with CpuMeter(env) as cpu:
                t = time.perf_counter()
                await bounded(concurrency, work)
                seconds = time.perf_counter() - t
            done[who] += size
            for i, value in enumerate((seconds, cpu.python, cpu.server)):
                totals[who][i] += value
            per_round.append({"who": who, "cases": size, "seconds": round(seconds, 2), "per_s": round(size / seconds, 1)})
            log(f"round {r + 1}/{rounds} {who}: {size} in {seconds:.1f} s ({size / seconds:.1f}/s); "
                f"CPU s: python {cpu.python:.1f}, server {cpu.server:.1f}")
    product_s, twin_s = totals["product"][0], totals["twin"][0]
    return {
        "benchmark": "registration", "cases": cases_, "concurrency": concurrency, "rounds": rounds, "per_round": per_round,
        "product_seconds": round(product_s, 2), "twin_seconds": round(twin_s, 2),
        "product_per_s": round(cases_ / product_s, 1), "twin_per_s": round(cases_ / twin_s, 1),
        "cpu_ms_per_registration": {who: {"python": round(1000 * totals[who][1] / cases_), "server": round(1000 * totals[who][2] / cases_)}
                                    for who in totals},
        "ratio": round(product_s / twin_s, 2), "goal": GOAL,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=32, help="registrations in flight")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds (ABBA…)")
    args = parser.parse_args(argv)
    exit_on_sigterm()
    f = asyncio.run(run_registration(args.cases, args.concurrency, args.rounds))
    print(json.dumps(f, ensure_ascii=False))
    verdict = "meets" if f["ratio"] <= f["goal"] else "MISSES"
    print(f"registration: product {f['product_per_s']}/s vs twin {f['twin_per_s']}/s over {f['cases']} each -> "
          f"product s / twin s = {f['ratio']}x ({verdict} goal <= {f['goal']}x)")


if __name__ == "__main__":
    main()

