"""The office-reads and import benchmarks keep working (tiny N; the figures are in docs/benchmarks.md)."""

from __future__ import annotations

from bench.ledger_import import run_import
from bench.reads import run_reads


async def test_the_reads_benchmark_measures_board_list_and_case_against_the_twin():
    figures = await run_reads(cases_total=60, real=3, requests=3)
    assert set(figures["ratio"]) == {"board", "list", "case"}
    assert all(value > 0 for value in figures["ratio"].values())
    assert figures["product"]["board"]["n"] == 3


async def test_the_import_benchmark_registers_every_row_and_compares_with_bare_starts():
    figures = await run_import(rows=20, concurrency=4)
    assert figures["rows"] == 20 and figures["ratio"] > 0
