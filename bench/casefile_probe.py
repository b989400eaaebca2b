"""Diagnostic, not a benchmark: where a case-file write spends its time during lifecycles.

    python -m bench.casefile_probe --cases 30 --concurrency 16

Runs product lifecycles (as ``bench.lifecycle``) with ``record_case`` wrapped in a timer (wall
and thread CPU) and SQLAlchemy cursor events timing each statement by kind. The first write of
a SQLite transaction is where a writer waits for the database's single write lock, so a large
wall time on UPDATE with little CPU is lock waiting. Used for the "why" in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import functools
import time

from sqlalchemy import event

import activities.casefile_activities as casefile_activities
from bench.common import BenchEnv, CpuMeter, bounded, exit_on_sigterm, mine, policy
from bench.lifecycle import calibrate, case_lifecycle


async def run_probe(cases: int = 30, concurrency: int = 16) -> dict:
    stats: dict[str, list] = collections.defaultdict(lambda: [0, 0.0, 0.0])
    original = casefile_activities.CaseFileActivities.record_case

    def timed(self, sync):
        wall, cpu = time.perf_counter(), time.thread_time()
        try:
            return original(self, sync)
        finally:
            entry = stats["record_case call"]
            entry[0] += 1
            entry[1] += time.perf_counter() - wall
            entry[2] += time.thread_time() - cpu

    functools.update_wrapper(timed, original)
    casefile_activities.CaseFileActivities.record_case = timed  # before the worker is built
    try:
        async with BenchEnv() as env:
            @event.listens_for(env.engine, "before_cursor_execute")
            def _before(conn, cursor, statement, params, context, executemany):
                conn.info["bench_t"] = (time.perf_counter(), time.thread_time())

            @event.listens_for(env.engine, "after_cursor_execute")
            def _after(conn, cursor, statement, params, context, executemany):
                wall, cpu = conn.info.pop("bench_t")
                entry = stats["statement " + statement.split()[0]]
                entry[0] += 1
                entry[1] += time.perf_counter() - wall
                entry[2] += time.thread_time() - cpu

            pol = policy()
            await calibrate(env, pol)
            stats.clear()
            t0 = time.perf_counter()
            with CpuMeter(env) as cpu:
                await bounded(concurrency, [case_lifecycle(env, mine(70, i), pol) for i in range(cases)])
            elapsed = time.perf_counter() - t0
    finally:
        casefile_activities.CaseFileActivities.record_case = original
    return {"cases": cases, "concurrency": concurrency, "seconds": round(elapsed, 1),
            "cpu_s_per_lifecycle": {"python": round(cpu.python / cases, 2), "server": round(cpu.server / cases, 2)},
            "per_kind": {k: {"count": n, "per_lifecycle": round(n / cases, 1), "wall_ms_each": round(1000 * w / n, 2),
                             "cpu_ms_each": round(1000 * c / n, 2)} for k, (n, w, c) in stats.items()}}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=30)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args(argv)
    exit_on_sigterm()
    figures = asyncio.run(run_probe(args.cases, args.concurrency))
    for kind, f in figures["per_kind"].items():
        print(f"{kind:<20} {f['per_lifecycle']:>8} per lifecycle  wall {f['wall_ms_each']:>8} ms  cpu {f['cpu_ms_each']:>7} ms each")
    print(f"cpu per lifecycle: {figures['cpu_s_per_lifecycle']}; {figures['cases']} lifecycles in {figures['seconds']} s")


if __name__ == "__main__":
    main()
