"""Import of a ledger (台账) of N rows (default 10,000) vs starting N bare twin workflows.

The product: an .xlsx ledger written to a temp file, parsed and checked row by row
(``operations.ledger.parse_ledger``; at most ``MAX_ROWS`` = 5,000 rows a ledger, so 10,000 rows are two ledgers imported
one after the other, as the desk asks), then every good row registered as a case
(``operations.ledger.import_ledger`` → ``operations.cases.register_case``: a case-file check and a
workflow start, 32 at a time). The twin: the same number of bare ``TwinStorm`` starts, 32 at a
time, on the same server. The figure is twin seconds ÷ product seconds (higher is better); the
goal is the whole import of 10,000 rows within 60 s.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

from bench.common import CASE_QUEUE, OFFICE, TWIN_QUEUE, BenchEnv, bounded, exit_on_sigterm, log, machine, policy
from bench.twin import TwinStorm, TwinStormArgs
from models.calendar import CST
from operations import cases
from operations.ledger import MAX_ROWS, import_ledger, parse_ledger

HEADINGS = ["采矿许可证号", "矿山名称", "采矿权人", "所属林场、乡镇", "挂点县领导", "矿种", "裸露区面积（亩）", "资源枯竭",
            "建矿至今未生产"]
TOWNSHIPS = ["敖阳街道", "锦江镇", "泗溪镇", "翰堂镇", "南港镇", "田心镇", "徐家渡镇", "芦洲乡"]


def write_ledger(path: Path, rows: int, prefix: int, first: int = 0) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("台账")
    sheet.append(HEADINGS)
    for i in range(first, first + rows):
        sheet.append([f"C{prefix:02d}{i:020d}", f"基准导入矿山{i}（虚构）", "基准测试矿业有限公司（虚构）", TOWNSHIPS[i % len(TOWNSHIPS)],
                      "某副县长", "石灰岩", 10 + i % 40, "否", "否"])
    book.save(path)


async def run_import(rows: int = 10_000, concurrency: int = 32, env: BenchEnv | None = None) -> dict:
    if env is None:
        async with BenchEnv() as own:
            return await run_import(rows, concurrency, own)
    pol = policy()
    # a ledger takes at most MAX_ROWS rows (the desk says to import a larger one in parts): N rows are N / MAX_ROWS files
    sizes = [min(MAX_ROWS, rows - first) for first in range(0, rows, MAX_ROWS)]
    with tempfile.TemporaryDirectory() as tmp:
        ledgers = []
        for part, size in enumerate(sizes):
            ledgers.append(Path(tmp) / f"台账-{part + 1}.xlsx")
            write_ledger(ledgers[-1], size, prefix=77, first=part * MAX_ROWS)
        log(f"import: {rows} rows written in {len(ledgers)} ledger(s); importing")
        started = time.perf_counter()
        parse_s, created, existing, rejected = 0.0, 0, 0, []
        for ledger in ledgers:
            t = time.perf_counter()
            parsed = parse_ledger(ledger)
            parse_s += time.perf_counter() - t
            made, known = await import_ledger(
                parsed, lambda facts: cases.register_case(env.client, env.engine, CASE_QUEUE, facts, pol, OFFICE),
                concurrency=concurrency,
            )
            created, existing, rejected = created + made, existing + known, rejected + parsed.rejected
        product_s = time.perf_counter() - started
    assert (created, existing, len(rejected)) == (rows, 0, 0), (created, existing, rejected[:3])

    due = dt.datetime(2099, 1, 1, tzinfo=CST)  # the twins wait, as open cases do
    started = time.perf_counter()
    await bounded(concurrency, [
        env.client.start_workflow(TwinStorm.run, TwinStormArgs(key=f"import-{i}", due=due), id=f"twin-import-{i}", task_queue=TWIN_QUEUE)
        for i in range(rows)
    ])
    twin_s = time.perf_counter() - started
    return {
        "benchmark": "import", "rows": rows, "ledgers": len(sizes), "concurrency": concurrency, "parse_s": round(parse_s, 2),
        "product_s": round(product_s, 2), "twin_s": round(twin_s, 2), "product_rows_per_s": round(rows / product_s, 1),
        "ratio": round(twin_s / product_s, 3), "goal_ratio": 0.8, "goal_s_for_10000": 60,
        "projected_s_for_10000": round(product_s * 10_000 / rows, 1), "machine": machine(),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args(argv)
    exit_on_sigterm()
    figures = asyncio.run(run_import(args.rows, args.concurrency))
    print(json.dumps(figures, ensure_ascii=False))
    verdict = "meets" if figures["projected_s_for_10000"] <= 60 else "MISSES"
    print(f"import: {args.rows} rows in {figures['product_s']} s (twin starts {figures['twin_s']} s) "
          f"-> ratio {figures['ratio']}x; 10,000 rows ~{figures['projected_s_for_10000']} s ({verdict} goal <= 60 s)")


if __name__ == "__main__":
    main()
