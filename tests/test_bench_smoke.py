"""Every benchmark at a tiny N, so that they keep working (the figures mean nothing at this size).

Each benchmark is called as the command line calls it; lifecycle and size share one private dev
server here to save start-up time, the storm starts its own as on the command line.
"""

from __future__ import annotations

import pytest

from bench.common import BenchEnv
from bench.lifecycle import run_lifecycle
from bench.registration import run_registration
from bench.size import run_size
from bench.storm import run_storm

pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
async def bench_env():
    async with BenchEnv() as env:
        yield env


async def test_lifecycle_benchmark_gives_a_ratio(bench_env):
    figures = await run_lifecycle(cases=2, concurrency=2, rounds=2, env=bench_env)
    assert figures["ratio"] > 0
    assert figures["shape_product"] == figures["shape_twin"]  # the twin has the case's shape
    # with the police confirming the explosives ban (六), the continuation notice served, and the process and
    # equipment determined by four departments and approved by the county (四.2)
    assert figures["shape_product"]["updates"] == 41


async def test_size_benchmark_gives_ratios(bench_env):
    figures = await run_size(lifecycles=1, open_cases=3, env=bench_env)
    assert figures["ratio"] > 0 and figures["events_ratio"] > 0
    assert figures["events_per_lifecycle"] > 0 and figures["bytes_per_lifecycle"] > 0


async def test_storm_benchmark_records_every_consequence_and_gives_a_ratio():
    figures = await run_storm(cases_=3, limit=60)
    assert figures["product"]["complete"] and figures["twin"]["complete"]
    assert figures["product"]["notices"] == 3
    assert figures["ratio"] > 0


async def test_registration_benchmark_registers_every_case_and_gives_a_ratio(bench_env):
    figures = await run_registration(cases_=4, concurrency=2, rounds=2, env=bench_env)
    assert figures["ratio"] > 0
    assert sum(r["cases"] for r in figures["per_round"] if r["who"] == "product") == 4
