"""Nothing is lost: the worker killed with SIGKILL mid-case, the Temporal server killed with
SIGKILL mid-campaign, the case file locked while activities run, and bad inputs of every kind.

Each test has its own server or worker processes, so the shared session ones are not disturbed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import Session, select

from casefile.db import open_casefile
from casefile.holidays import parse_schedule_file, save_schedule
from casefile.tables import TaskRecord, TimelineRecord
from models.messages import (
    DecideDisposition,
    ProposeDisposition,
    RecordReview,
    ReportWorksDone,
    ServeDocument,
    SubmitDocument,
)
from models.policy import load_campaign
from operations import cases
from operations.cases import InputRejected
from runtime.temporal import DevServer, connect, fast_forward, free_port
from starter import OFFICE
from tests.conftest import DATA, TASK_QUEUE
from tests.drill import COUNTY, HOLDER, department, mine, township
from tests.sealing import sealed

ROOT = Path(__file__).resolve().parent.parent
POLICY = load_campaign("shanggao-2023").resolve()


def worker_process(address: str, database_url: str, task_queue: str, log: Path) -> subprocess.Popen:
    env = {**os.environ, "MINECASE_TEMPORAL_ADDRESS": address, "MINECASE_DATABASE_URL": database_url,
           "MINECASE_TASK_QUEUE": task_queue, "MINECASE_LOG_FORMAT": "json"}
    with open(log, "ab") as out:  # the child keeps its own handle
        return subprocess.Popen([sys.executable, str(ROOT / "worker.py")], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                                stdout=out, stderr=subprocess.STDOUT)


def kill9(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


async def serve_continuation_notice(client, permit_no: str, view) -> None:
    """The 延续整改通知书 is served the day of the decision: the six months count from it."""
    notice = next(d for d in view.documents if d.kind == "continuation_notice")
    await cases.act(client, permit_no, "serve_document", ServeDocument(actor=OFFICE, document_id=notice.id, method="direct"))


async def lifecycle(client, permit_no: str, steps: list[str] | None = None) -> None:
    """Disposition (its notice served), the five documents approved, the works accepted: to joint review. Each accepted
    step is appended to ``steps`` when given, so a test can strike at chosen points of progress."""
    async def act(verb, message):
        view = await cases.act(client, permit_no, verb, message)
        if steps is not None:
            steps.append(f"{permit_no}:{verb}")
        return view

    await act("propose_disposition", ProposeDisposition(actor=township(), path="continue"))
    await serve_continuation_notice(client, permit_no, await act("decide_disposition", DecideDisposition(actor=COUNTY, approve=True)))
    for item in POLICY.approval_items:
        view = await act("submit_document", SubmitDocument(actor=HOLDER, item=item.code))
        for task in [t for t in view.tasks if t.item == item.code]:  # its department, or the joint determination (四.2)
            view = await act("record_review", RecordReview(actor=department(task.department), task_id=task.id, approved=True))
        for task in [t for t in view.tasks if t.kind == "determination_approval"]:  # which the county approves
            view = await act("record_review", RecordReview(actor=COUNTY, task_id=task.id, approved=True))
    view = await act("report_works_done", ReportWorksDone(actor=HOLDER))
    inspection = next(t for t in view.tasks if t.kind == "initial_inspection")
    view = await act("record_review", RecordReview(actor=township(), task_id=inspection.id, approved=True))
    for task in [t for t in view.tasks if t.kind == "field_acceptance"]:
        view = await act("record_review", RecordReview(actor=department(task.department), task_id=task.id, approved=True))
    assert view.stage == "joint_review"


def filed_timeline(engine, permit_no: str) -> list[tuple]:
    with Session(engine) as session:
        rows = session.exec(select(TimelineRecord).where(TimelineRecord.permit_no == permit_no).order_by(TimelineRecord.seq)).all()
    return [(r.seq, r.kind, r.clause, r.actor_role, r.stage_from, r.stage_to) for r in rows]


async def test_a_worker_killed_at_random_points_loses_no_case_and_no_step(server, client, tmp_path, new_database_url):
    """SIGKILL the worker at four random points of progress while 50 cases run (``MINECASE_FAULT_CASES``
    to change it); every case reaches joint review with the same case file as an undisturbed run."""
    url = new_database_url()
    engine = open_casefile(url, upgrade=True)
    queue = f"{TASK_QUEUE}-kill-worker"
    log = tmp_path / "worker.log"
    worker = worker_process(server.address, url, queue, log)
    facts = [mine() for _ in range(1 + int(os.environ.get("MINECASE_FAULT_CASES", "50")))]
    for f in facts:
        await cases.register_case(client, engine, queue, f, POLICY, OFFICE)
    undisturbed, *disturbed = facts

    per_case: list[str] = []
    await lifecycle(client, undisturbed.permit_no, per_case)
    steps: list[str] = []
    runs = asyncio.gather(*(lifecycle(client, f.permit_no, steps) for f in disturbed))
    # Strike at four random points of progress (not of wall time, which a fast machine outruns):
    # somewhere between a tenth and four fifths of all the steps the cases have to take.
    chaos = random.Random(4)
    total = len(per_case) * len(disturbed)
    strikes = sorted(chaos.sample(range(total // 10, total * 4 // 5), 4))
    kills = 0
    for strike in strikes:
        strike = max(strike, len(steps) + 1)  # the restarted worker has taken at least one step
        while len(steps) < strike and not runs.done():
            await asyncio.wait([runs], timeout=0.05)
        if runs.done():
            break
        kill9(worker)
        kills += 1
        await asyncio.sleep(chaos.uniform(0, 1))
        worker = worker_process(server.address, url, queue, log)
    await asyncio.wait_for(runs, timeout=240)
    for f in facts:
        await cases.wait_settled(client, f"mine-{f.permit_no}")
    kill9(worker)
    assert kills == 4, f"the cases finished after {len(steps)} of {total} steps and {kills} kills"
    expected = [row[1:] for row in filed_timeline(engine, undisturbed.permit_no)][1:]  # after registration
    for f in disturbed:
        timeline = filed_timeline(engine, f.permit_no)
        assert [row[0] for row in timeline] == list(range(1, len(timeline) + 1))  # no gap, nothing twice
        assert [row[1:] for row in timeline][1:] == expected
    engine.dispose()


async def test_a_server_killed_mid_campaign_loses_no_case_and_every_timer_fires(tmp_path, new_database_url):
    """SIGKILL the dev server (SQLite file) after dispositions; restart it on the same file: every case
    is there, and the six-month timers fire on time."""
    url = new_database_url()
    engine = open_casefile(url, upgrade=True)
    for name in ("holidays-2030-test.json", "holidays-2031-test.json"):
        save_schedule(engine, parse_schedule_file(DATA / name))
    port = free_port()
    server = DevServer(db_file=tmp_path / "temporal.db", port=port, log_file=tmp_path / "server.log", drill=True)
    await server.start()
    client = await connect(server.address, data_converter=sealed())
    queue = f"{TASK_QUEUE}-kill-server"
    worker = worker_process(server.address, url, queue, tmp_path / "worker.log")
    facts = [mine() for _ in range(8)]
    try:
        for f in facts:
            await cases.register_case(client, engine, queue, f, POLICY, OFFICE)
            await cases.act(client, f.permit_no, "propose_disposition", ProposeDisposition(actor=township(), path="continue"))
            view = await cases.act(client, f.permit_no, "decide_disposition", DecideDisposition(actor=COUNTY, approve=True))
            await serve_continuation_notice(client, f.permit_no, view)
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait(timeout=10)
        await asyncio.sleep(1)
        server = DevServer(db_file=tmp_path / "temporal.db", port=port, log_file=tmp_path / "server.log", drill=True)
        await server.start()
        client = await connect(server.address, data_converter=sealed())
        for f in facts:
            view = await cases.live_status(client, f.permit_no)
            assert view.stage == "rectifying"
            first = next(d for d in view.deadlines if d.kind == "rectification")
            await fast_forward(client, f"mine-{f.permit_no}", first.overdue_from - view.business_time + dt.timedelta(minutes=1))
            await cases.wait_settled(client, f"mine-{f.permit_no}")
            view = await cases.live_status(client, f.permit_no)
            assert view.stage == "rectifying" and view.overdue  # due process: the county is asked, at the instant
            proposed = next(e for e in await client.get_workflow_handle(f"mine-{f.permit_no}").query("timeline")
                            if e["kind"] == "consequence_proposed")
            assert dt.datetime.fromisoformat(proposed["at"]) == first.overdue_from
        with Session(engine) as session:
            proposals = session.exec(select(TaskRecord.permit_no).where(
                TaskRecord.permit_no.in_([f.permit_no for f in facts]), TaskRecord.kind == "consequence_decision")).all()
        assert sorted(proposals) == sorted(f.permit_no for f in facts)
    finally:
        kill9(worker)
        server.stop()
        engine.dispose()


async def test_a_case_file_out_of_reach_delays_the_writes_but_loses_and_doubles_none(server, client, tmp_path,
                                                                                     new_database_url, postgres):
    """The case file cannot be written for longer than a write waits (SQLite: locked past its busy
    timeout; PostgreSQL: the server is down): the write fails, is retried, and lands exactly once."""
    url = new_database_url()
    engine = open_casefile(url, upgrade=True)
    queue = f"{TASK_QUEUE}-unreachable"
    worker = worker_process(server.address, url, queue, tmp_path / "worker.log")
    try:
        f = mine()
        await cases.register_case(client, engine, queue, f, POLICY, OFFICE)
        await cases.wait_settled(client, f"mine-{f.permit_no}")
        if postgres:
            engine.dispose()
            postgres.stop()
        else:
            lock = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=1, isolation_level=None)
            lock.execute("BEGIN EXCLUSIVE")
        proposing = asyncio.create_task(
            cases.act(client, f.permit_no, "propose_disposition", ProposeDisposition(actor=township(), path="continue")))
        await asyncio.sleep(13)  # past SQLite's 10 s busy timeout; PostgreSQL refuses at once
        assert not proposing.done()
        if postgres:
            postgres.start()
        else:
            lock.execute("ROLLBACK")
            lock.close()
        view = await asyncio.wait_for(proposing, timeout=90)
        assert view.stage == "disposition_review"
        history = await client.get_workflow_handle(f"mine-{f.permit_no}").fetch_history()
        attempts = [e.activity_task_started_event_attributes.attempt for e in history.events
                    if e.HasField("activity_task_started_event_attributes")]
        attempts += [json.loads(e.marker_recorded_event_attributes.details["data"].payloads[0].data)["attempt"]
                     for e in history.events if e.marker_recorded_event_attributes.marker_name == "core_local_activity"]
        assert max(attempts) >= 2  # retried
        assert [row[1] for row in filed_timeline(engine, f.permit_no)] == ["case_registered", "disposition_proposed"]
    finally:
        kill9(worker)
        engine.dispose()


@pytest.mark.parametrize(
    "update, argument",
    [
        ("submit_document", {"actor": {"role": "holder", "name": "x"}, "item": 5}),  # malformed
        ("submit_document", {"item": "eia_report"}),  # no actor
        ("record_review", {"actor": {"role": "department", "name": "x", "department": "water"}, "task_id": "T", "approved": "maybe"}),
        ("propose_disposition", {"actor": {"role": "township", "name": "x", "township": "泗溪镇"}, "path": "continue",
                                 "reason": "长" * 100_000}),  # oversized
        ("submit_document", {"actor": {"role": "holder", "name": "x"}, "item": "eia_report"}),  # out of order
        ("no_such_update", {}),
    ],
)
async def test_malformed_oversized_and_out_of_order_inputs_are_refused_and_change_nothing(client, engine, worker, update, argument):
    facts = mine()
    await cases.register_case(client, engine, TASK_QUEUE, facts, POLICY, OFFICE)
    handle = client.get_workflow_handle(f"mine-{facts.permit_no}")
    await cases.wait_settled(client, handle.id)
    before = await handle.query("timeline")
    with pytest.raises(Exception) as refused:
        await handle.execute_update(update, argument)
    assert "WorkflowUpdateFailedError" in type(refused.value).__name__ or "RPCError" in type(refused.value).__name__
    assert await handle.query("timeline") == before
    view = await cases.live_status(client, facts.permit_no)
    assert view.stage == "registered"
    # The case still takes the right input afterwards: nothing is stuck.
    view = await cases.act(client, facts.permit_no, "propose_disposition", ProposeDisposition(actor=township(), path="continue"))
    assert view.stage == "disposition_review"
    with pytest.raises(InputRejected):
        await cases.act(client, facts.permit_no, "propose_disposition", ProposeDisposition(actor=township(), path="cancel"))
