"""What every benchmark shares: a private dev server on a free port in a temp dir, the case file,
the product's worker and the twin's worker in this process, and the time-skipping helpers."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import datetime as dt
import gc
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import text
from temporalio.api.enums.v1 import EventType
from temporalio.api.history.v1 import History
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode
from temporalio.worker import Worker

from bench.twin import Step, TwinLifecycle, TwinPlan, TwinRegistration, TwinStorm, TwinStormActivities, twin_noop
from casefile.db import open_casefile
from casefile.holidays import parse_schedule_file, save_schedule
from models.calendar import CST
from models.messages import MineFacts
from models.policy import load_campaign
from models.roles import Actor, Department, Role
from runtime.payloads import KeyRing, data_converter, new_key_text, parse_key
from runtime.temporal import DevServer, connect, free_port, temporal_binary
from runtime.temporal import start_fast_forward as request_fast_forward  # the bench's own adds retries

REPO = Path(__file__).resolve().parent.parent
HOLIDAY_FILES = [REPO / "tests" / "data" / f"holidays-{year}-test.json" for year in (2030, 2031)]
CASE_QUEUE = "bench-cases"
TWIN_QUEUE = "bench-twins"

# Fictional dates with loaded (test) holiday schedules, as in tests/test_continue_path.py:
# disposition on Monday 2030-04-01; six months end on 2030-10-08 (after National Day), overdue
# from 2030-10-09 00:00 CST.
DISPOSITION = dt.datetime(2030, 4, 1, 10, 0, tzinfo=CST)
RECTIFICATION_OVERDUE = dt.datetime(2030, 10, 9, 0, 0, tzinfo=CST)

OFFICE = Actor(role=Role.office, name="领导小组办公室")
COUNTY = Actor(role=Role.county, name="县政府常务会议")
HOLDER = Actor(role=Role.holder, name="采矿权人代表")
TOWNSHIP_NAME = "泗溪镇"


def township() -> Actor:
    return Actor(role=Role.township, name="乡镇干部", township=TOWNSHIP_NAME)


def department(dept: Department) -> Actor:
    return Actor(role=Role.department, name="审批员", department=dept)


def policy():
    return load_campaign("shanggao-2023").resolve(dt.date(2030, 1, 1))


def mine(prefix: int, i: int) -> MineFacts:
    """A fictional mine; ``prefix`` (2 digits) separates the groups of one run."""
    return MineFacts(permit_no=f"C{prefix:02d}{i:020d}", mine_name=f"基准测试矿山{i}（虚构）", holder="基准测试矿业有限公司（虚构）",
                     township=TOWNSHIP_NAME, leader="某副县长", mineral="石灰岩", bare_area_mu=12.5, fictional=True)


def log(*parts) -> None:
    print(time.strftime("%H:%M:%S"), *parts, file=sys.stderr, flush=True)


# -- the environment -----------------------------------------------------------------------------


class BenchEnv:
    """``async with BenchEnv() as env``: dev server (SQLite file, WAL pragmas, time skipping), client,
    case file with the 2030-31 test holiday schedules, the case worker and the twin worker."""

    def __init__(self, *, keep_dir: bool = False, cached_cases: int = 2000):
        self.keep_dir = keep_dir
        self.cached_cases = cached_cases

    async def __aenter__(self) -> BenchEnv:
        self.dir = Path(tempfile.mkdtemp(prefix="minecase-bench-"))
        self.server = DevServer(db_file=self.dir / "temporal.db", port=free_port(), log_file=self.dir / "temporal.log", drill=True)
        _stop_at_exit(self)
        await self.server.start()
        # sealed as the product's are (a fresh key per run): the codec's cost is part of what is measured
        self.client: Client = await connect(self.server.address, data_converter=data_converter(KeyRing((parse_key(new_key_text()),))))
        self.engine = open_casefile(f"sqlite:///{self.dir / 'casefile.db'}", upgrade=True)
        for path in HOLIDAY_FILES:
            save_schedule(self.engine, parse_schedule_file(path))
        with self.engine.begin() as conn:
            conn.execute(text("CREATE TABLE IF NOT EXISTS bench_twin_storm (key TEXT PRIMARY KEY, stage TEXT NOT NULL)"))
        from worker import build_worker

        # both workers keep as many workflows in memory (MINECASE_WORKER_CACHED_CASES; a storm keeps all of its own)
        self.case_worker = build_worker(self.client, self.engine, CASE_QUEUE, ThreadPoolExecutor(max_workers=8),
                                        cached_cases=self.cached_cases)
        storm = TwinStormActivities(self.engine)
        self.twin_worker = Worker(self.client, task_queue=TWIN_QUEUE, workflows=[TwinLifecycle, TwinStorm, TwinRegistration],
                                  max_cached_workflows=self.cached_cases,
                                  activities=[twin_noop, storm.twin_record],
                                  activity_executor=ThreadPoolExecutor(max_workers=8))  # same defaults as build_worker
        self.tasks = [asyncio.create_task(self.case_worker.run()), asyncio.create_task(self.twin_worker.run())]
        return self

    async def __aexit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:  # keep the server's log for the post-mortem
            self.keep_dir = True
            code = self.server.process.poll() if self.server.process else None
            log(f"failed; the dev server {'is still running' if code is None else f'had exited with code {code}'}; "
                f"its log: {self.server.log_file}")
        try:
            for w in (self.case_worker, self.twin_worker):
                with contextlib.suppress(Exception):  # best effort on the way out: whatever failed is reported already
                    await asyncio.wait_for(w.shutdown(), 30)
            await asyncio.gather(*self.tasks, return_exceptions=True)
            self.engine.dispose()
        finally:
            self.close()

    def close(self) -> None:
        self.server.stop()
        if not self.keep_dir:
            shutil.rmtree(self.dir, ignore_errors=True)


_envs: list[BenchEnv] = []


def _stop_at_exit(env: BenchEnv) -> None:
    """The dev server runs in its own session: stop it even when ``timeout`` sends SIGTERM."""
    if not _envs:
        atexit.register(lambda: [e.close() for e in _envs])
    _envs.append(env)


def exit_on_sigterm() -> None:
    """For the command line: ``timeout`` sends SIGTERM; exit normally so that atexit stops the server."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


# -- time skipping -------------------------------------------------------------------------------


async def start_fast_forward(client: Client, workflow_id: str, duration: dt.timedelta) -> str:
    """``runtime.temporal.start_fast_forward``, sent again with the same id (at most five times) when
    the busy server times it out or turns it away, so one slow answer does not end a storm of thousands."""
    ff_id = str(uuid.uuid4())
    transient = {RPCStatusCode.DEADLINE_EXCEEDED, RPCStatusCode.UNAVAILABLE, RPCStatusCode.RESOURCE_EXHAUSTED,
                 RPCStatusCode.CANCELLED}
    for attempt in range(5):
        try:
            return await request_fast_forward(client, workflow_id, duration, ff_id)
        except RPCError as error:
            if error.status not in transient or attempt == 4:
                raise
            log(f"  fast-forward of {workflow_id} refused ({error.status.name}: {error.message}); sending it again")
            await asyncio.sleep(0.5 * (attempt + 1))
    return ff_id


def until(instant: dt.datetime) -> dt.timedelta:
    """From the real clock to ``instant``: a case whose time skipping never ran is on the real clock."""
    return instant - dt.datetime.now(dt.UTC)


# -- histories -----------------------------------------------------------------------------------

E = EventType


def event_name(event_type: int) -> str:
    return EventType.Name(event_type).removeprefix("EVENT_TYPE_")


async def history_of(client: Client, workflow_id: str) -> History:
    history = await client.get_workflow_handle(workflow_id).fetch_history()
    return History(events=history.events)


def history_figures(history: History) -> dict:
    """Events, serialized bytes, and per event type: count and bytes."""
    by_type: dict[str, list[int]] = {}
    for event in history.events:
        entry = by_type.setdefault(event_name(event.event_type), [0, 0])
        entry[0] += 1
        entry[1] += event.ByteSize()
    return {"events": len(history.events), "bytes": history.ByteSize(),
            "by_type": dict(sorted(by_type.items(), key=lambda kv: -kv[1][1]))}


def _is_activity(event) -> bool:
    """An activity of the case: an ordinary one (scheduled), or a local one (its marker; cases started since the patch
    ``local-casefile-writes-2026-11-27``). The twin runs each as an ordinary activity, as bare Temporal would."""
    if event.event_type == E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
        return True
    return (event.event_type == E.EVENT_TYPE_MARKER_RECORDED
            and event.marker_recorded_event_attributes.marker_name == "core_local_activity")


def plan_from_history(history: History) -> TwinPlan:
    """The twin's plan: the real case's activities and timers, step by step.

    Activities scheduled between an update's acceptance and its completion belong to its handler;
    after its completion, to the main loop that follows it up. A timer belongs to the main loop
    that started it: the last one whose update had completed (the next input is often accepted
    while the loop is still busy, so the timer shows up after that input's acceptance).
    """
    plan = TwinPlan(initial_acts=0, initial_timer=False, steps=[])
    in_handler = False
    completed = -1  # index of the last step whose update completed; -1: the initial settle
    for event in history.events:
        t = event.event_type
        if t == E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
            plan.steps.append(Step())
            in_handler = True
        elif t == E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED:
            in_handler = False
            completed = len(plan.steps) - 1
        elif _is_activity(event):
            if in_handler:
                plan.steps[-1].handler_acts += 1
            elif completed < 0:
                plan.initial_acts += 1
            else:
                plan.steps[completed].loop_acts += 1
        elif t == E.EVENT_TYPE_TIMER_STARTED:
            if completed < 0:
                plan.initial_timer = True
            else:
                plan.steps[completed].timer = True
    return plan


def shape(history: History) -> dict:
    """The counts the twin must match."""
    counts = {"updates": 0, "activities": 0, "timers": 0}
    for event in history.events:
        if event.event_type == E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
            counts["updates"] += 1
        elif _is_activity(event):
            counts["activities"] += 1
        elif event.event_type == E.EVENT_TYPE_TIMER_STARTED:
            counts["timers"] += 1
    return counts


# -- the machine ---------------------------------------------------------------------------------


def rss_bytes() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def cpu_seconds(pid: int | None = None) -> float:
    """User + system CPU seconds of a process (this one by default), all threads."""
    with open(f"/proc/{pid or 'self'}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """CPU seconds spent by this process (workers and driver) and by the dev server over a span."""

    def __init__(self, env: BenchEnv):
        self.server_pid = env.server.process.pid

    def __enter__(self) -> CpuMeter:
        self.start = (cpu_seconds(), cpu_seconds(self.server_pid))
        return self

    def __exit__(self, *exc) -> None:
        self.python = cpu_seconds() - self.start[0]
        self.server = cpu_seconds(self.server_pid) - self.start[1]


def settle_memory() -> int:
    """RSS after a full collection and after handing freed heap back to the OS (``malloc_trim``), so
    that memory freed earlier in the run does not hide what is held now."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc (no libc.so.6, no malloc_trim): plain RSS
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    return rss_bytes()


def machine() -> dict:
    import temporalio

    mem_kb = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    try:
        cli = subprocess.run([temporal_binary(), "--version"], capture_output=True, text=True, timeout=20).stdout.strip()
    except (OSError, subprocess.SubprocessError) as error:  # no binary, or it hung
        cli = f"unknown ({error})"
    return {"nproc": os.cpu_count(), "memory_gb": round(mem_kb / 1024 / 1024, 1), "python": platform.python_version(),
            "temporalio": temporalio.__version__, "temporal_cli": cli, "load_avg": os.getloadavg()}


async def serve_issued(client: Client, permit_no: str, view) -> None:
    """The decisions just issued (the 延续整改通知书) are served at once: the holder's period counts from service."""
    from models.messages import ServeDocument
    from operations import cases

    for document in view.documents:
        if document.served_on is None and document.kind != "cancellation_notice":
            await cases.act(client, permit_no, "serve_document", ServeDocument(actor=OFFICE, document_id=document.id, method="direct"),
                            view=False)


async def bounded(concurrency: int, coros) -> list:
    """Run ``coros`` at most ``concurrency`` at a time; the first failure cancels the rest."""
    sem = asyncio.Semaphore(concurrency)
    coros = list(coros)

    async def one(coro):
        async with sem:
            return await coro

    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(one(c)) for c in coros]
    except BaseExceptionGroup as failures:
        for coro in coros:
            coro.close()  # those that never started
        raise failures.exceptions[0] from None
    return [t.result() for t in tasks]
