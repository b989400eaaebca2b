"""Lifecycle throughput with one and with two ``minecase worker`` processes, on one server, in the same run.

    python -m bench.workers --cases 80

One private dev server (a drill: time skipping on) started here, one case file (a SQLite file, or with
``--postgres`` a database in a throwaway PostgreSQL cluster, ``tests.databases.PostgresCluster``), one payload key.
The workers are real ``minecase worker`` processes (``python -m cli.app worker``), each given
``MINECASE_TEMPORAL_ADDRESS``, ``MINECASE_DATABASE_URL``, ``MINECASE_PAYLOAD_KEY``, ``MINECASE_TASK_QUEUE`` and a
``MINECASE_DATA_DIR`` of its own; this process only drives the cases (``bench.lifecycle.case_lifecycle``: the full
continue path, 41 updates) and runs no worker.

Rounds alternate (one, two; two, one; ...) so that load from other processes falls on both alike; the workers are
started before each phase (and waited for until every one polls both the workflow and the activity queue), warmed
with one untimed lifecycle per process, and stopped with SIGTERM after it. The figure printed last is
throughput with two processes / throughput with one.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from sqlalchemy.engine import Engine
from temporalio.api.enums.v1 import TaskQueueKind, TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client

from bench.common import CASE_QUEUE, HOLIDAY_FILES, REPO, BenchEnv, bounded, cpu_seconds, exit_on_sigterm, log, machine, mine, policy
from bench.lifecycle import case_lifecycle
from casefile.db import open_casefile
from casefile.holidays import parse_schedule_file, save_schedule
from runtime.payloads import KeyRing, data_converter, new_key_text, parse_key
from runtime.temporal import DevServer, connect, free_port
from workflows.case_workflow import workflow_id_for


@dataclass
class Driver:
    """What ``case_lifecycle`` needs of a bench environment."""

    client: Client
    engine: Engine


class WorkerProcesses:
    """``minecase worker`` processes on the bench's queue; stopped with SIGTERM (killed if one hangs)."""

    def __init__(self, count: int, base_env: dict[str, str], root: Path, serial: int):
        self.processes: list[subprocess.Popen] = []
        for n in range(count):
            data_dir = root / f"worker-{serial}-{n}"
            data_dir.mkdir(mode=0o700)
            env = {**base_env, "MINECASE_DATA_DIR": str(data_dir)}
            with open(data_dir / "worker.log", "wb") as out:
                self.processes.append(subprocess.Popen([sys.executable, "-m", "cli.app", "worker"], env=env, cwd=data_dir,
                                                       stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL))
        _running.extend(self.processes)

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.processes]

    def cpu(self) -> float:
        return sum(cpu_seconds(pid) for pid in self.pids)

    def check_alive(self) -> None:
        for p in self.processes:
            if p.poll() is not None:
                raise RuntimeError(f"worker process {p.pid} exited with code {p.returncode}; see worker.log in its data dir")

    def stop(self) -> None:
        for p in self.processes:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in self.processes:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
            with contextlib.suppress(ValueError):
                _running.remove(p)


_running: list[subprocess.Popen] = []


@atexit.register
def _stop_strays() -> None:  # ``timeout`` sent SIGTERM, or the bench failed: no worker outlives it
    for p in _running:
        if p.poll() is None:
            p.kill()


async def wait_polling(client: Client, pids: list[int], timeout: float = 120.0) -> None:
    """Until each process polls the queue for workflow and for activity tasks (pollers are named ``pid@host``)."""
    give_up = time.monotonic() + timeout
    while True:
        ready = True
        for kind in (TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY):
            answer = await client.workflow_service.describe_task_queue(DescribeTaskQueueRequest(
                namespace=client.namespace, task_queue=TaskQueue(name=CASE_QUEUE, kind=TaskQueueKind.TASK_QUEUE_KIND_NORMAL),
                task_queue_type=kind))
            polling = {p.identity.split("@", 1)[0] for p in answer.pollers}
            ready = ready and all(str(pid) in polling for pid in pids)
        if ready:
            return
        if time.monotonic() > give_up:
            raise TimeoutError(f"worker processes {pids} did not poll {CASE_QUEUE} within {timeout} s")
        await asyncio.sleep(0.5)


async def processes_seen(client: Client, permits: list[str]) -> dict[str, int]:
    """Workflow and activity tasks of these cases, by the process (``pid@host``) that started them: both processes work."""
    seen: dict[str, int] = {}
    for permit in permits:
        history = await client.get_workflow_handle(workflow_id_for(permit)).fetch_history()
        for event in history.events:
            if event.HasField("workflow_task_started_event_attributes"):
                identity = event.workflow_task_started_event_attributes.identity
            elif event.HasField("activity_task_started_event_attributes"):
                identity = event.activity_task_started_event_attributes.identity
            else:
                continue
            seen[identity] = seen.get(identity, 0) + 1
    return seen


async def run_workers(cases: int = 80, concurrency: int = 32, rounds: int = 2, postgres: bool = False) -> dict:
    """Returns the figures; ``ratio`` is throughput with two worker processes / with one (higher: two win)."""
    root = Path(tempfile.mkdtemp(prefix="minecase-bench-workers-"))
    cluster = None
    server = DevServer(db_file=root / "temporal.db", port=free_port(), log_file=root / "temporal.log", drill=True)
    atexit.register(server.stop)
    engine = None
    failed = True
    try:
        if postgres:
            from tests.databases import PostgresCluster

            cluster = PostgresCluster()
            cluster.start()
            url = cluster.new_database()
        else:
            url = f"sqlite:///{root / 'casefile.db'}"
        engine = open_casefile(url, upgrade=True)  # at head before the workers start: none of them migrates
        for path in HOLIDAY_FILES:
            save_schedule(engine, parse_schedule_file(path))
        await server.start()
        key = new_key_text()
        client = await connect(server.address, data_converter=data_converter(KeyRing((parse_key(key),))))
        base_env = {k: v for k, v in os.environ.items() if not k.startswith("MINECASE_")}
        base_env.update({"MINECASE_TEMPORAL_ADDRESS": server.address, "MINECASE_DATABASE_URL": url, "MINECASE_PAYLOAD_KEY": key,
                         "MINECASE_TASK_QUEUE": CASE_QUEUE, "MINECASE_LOG_FORMAT": "json",
                         "PYTHONPATH": os.pathsep.join([str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])])})
        driver = cast(BenchEnv, Driver(client, engine))  # case_lifecycle reads only .client and .engine
        assert server.process is not None
        server_pid = server.process.pid
        pol = policy()
        rounds = max(1, min(rounds, cases))
        sizes = [cases // rounds + (1 if r < cases % rounds else 0) for r in range(rounds)]
        spent = {1: 0.0, 2: 0.0}
        done = {1: 0, 2: 0}
        cpu = {1: {"workers": 0.0, "server": 0.0, "driver": 0.0}, 2: {"workers": 0.0, "server": 0.0, "driver": 0.0}}
        busy = {1: 0, 2: 0}  # the most processes seen working on one phase's cases (the first ten of them)
        serial = 0
        for r, size in enumerate(sizes):
            for count in ((1, 2) if r % 2 == 0 else (2, 1)):
                serial += 1
                workers = WorkerProcesses(count, base_env, root, serial)
                try:
                    await wait_polling(client, workers.pids)
                    warm = [case_lifecycle(driver, mine(80, serial * 10 + i), pol) for i in range(count)]
                    assert set(await bounded(count, warm)) == {"production_resumed"}
                    facts = [mine(20 + count, serial * 10_000 + i) for i in range(size)]
                    work = [case_lifecycle(driver, f, pol) for f in facts]
                    before = (workers.cpu(), cpu_seconds(server_pid), cpu_seconds())
                    t0 = time.perf_counter()
                    results = await bounded(concurrency, work)
                    elapsed = time.perf_counter() - t0
                    after = (workers.cpu(), cpu_seconds(server_pid), cpu_seconds())
                    workers.check_alive()
                finally:
                    workers.stop()
                assert all(s == "production_resumed" for s in results), set(results)
                tasks_by_process = await processes_seen(client, [f.permit_no for f in facts[:10]])
                busy[count] = max(busy[count], len(tasks_by_process))
                spent[count] += elapsed
                done[count] += size
                for name, b, a in zip(("workers", "server", "driver"), before, after, strict=True):
                    cpu[count][name] += a - b
                log(f"round {r + 1}/{rounds}, {count} worker process{'es' if count > 1 else ''}: {size} lifecycles in "
                    f"{elapsed:.1f} s ({size / elapsed:.2f}/s); CPU s: workers {after[0] - before[0]:.1f}, "
                    f"server {after[1] - before[1]:.1f}, driver {after[2] - before[2]:.1f}")
        rate = {n: done[n] / spent[n] for n in (1, 2)}
        figures = {
            "benchmark": "workers", "cases": cases, "concurrency": concurrency, "rounds": rounds,
            "case_file": "postgresql" if postgres else "sqlite", "machine": machine(),
            "one_seconds": round(spent[1], 2), "two_seconds": round(spent[2], 2),
            "one_per_s": round(rate[1], 3), "two_per_s": round(rate[2], 3),
            "cpu_ms_per_lifecycle": {("one" if n == 1 else "two"): {k: round(1000 * v / done[n]) for k, v in cpu[n].items()}
                                     for n in (1, 2)},
            "processes_seen": {"one": busy[1], "two": busy[2]},
            "ratio": round(rate[2] / rate[1], 3),
        }
        failed = False
        return figures
    finally:
        for p in list(_running):
            with contextlib.suppress(Exception):
                p.kill()
        if engine is not None:
            engine.dispose()
        server.stop()
        if cluster is not None:
            cluster.remove()
        if failed:
            log(f"failed; the server's and the workers' logs are kept in {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=80, help="timed lifecycles with each number of processes")
    parser.add_argument("--concurrency", type=int, default=32, help="cases in flight at once (asyncio.Semaphore)")
    parser.add_argument("--rounds", type=int, default=2, help="alternating one/two rounds (order AB, BA, ...)")
    parser.add_argument("--postgres", action="store_true", help="the case file in a throwaway PostgreSQL cluster")
    args = parser.parse_args(argv)
    exit_on_sigterm()
    figures = asyncio.run(run_workers(args.cases, args.concurrency, args.rounds, args.postgres))
    print(json.dumps(figures, ensure_ascii=False))
    print(f"workers: two processes {figures['two_per_s']}/s vs one {figures['one_per_s']}/s over {args.cases} lifecycles each "
          f"-> ratio {figures['ratio']}x")


if __name__ == "__main__":
    main()
