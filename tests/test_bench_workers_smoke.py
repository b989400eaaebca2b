"""The one-and-two-worker-processes benchmark at a tiny N, so that it keeps working (its figures mean nothing here).

It starts its own dev server and real ``minecase worker`` processes, as on the command line."""

from __future__ import annotations

import pytest

from bench.workers import run_workers

pytestmark = pytest.mark.timeout(300)


async def test_the_workers_benchmark_runs_every_lifecycle_on_one_and_on_two_worker_processes_and_gives_a_ratio():
    figures = await run_workers(cases=2, concurrency=2, rounds=1)
    assert figures["ratio"] > 0 and figures["one_per_s"] > 0 and figures["two_per_s"] > 0
    # the cases of the two-process phase were worked on by both processes, those of the other by one
    assert figures["processes_seen"] == {"one": 1, "two": 2}
    assert set(figures["cpu_ms_per_lifecycle"]) == {"one", "two"}
