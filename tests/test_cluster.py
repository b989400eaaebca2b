"""Several processes on one Temporal cluster (issue 15): an external ``temporal server start-dev`` (a drill's,
started here, not embedded), the case file on a PostgreSQL cluster of its own (Debian's ``postgresql``), two
``minecase worker`` processes on one task queue and one ``minecase web``, sharing one payload key.

A campaign of cases runs to its end while one worker is killed with SIGKILL: the other takes its cases over,
nothing is lost and nothing is done twice; the workers' metrics endpoints count what happened; the web's
``/readyz`` turns red while PostgreSQL is stopped and green once it is back, and ``/healthz`` stays green.

It starts its own PostgreSQL, so it runs once, in the SQLite pass (the PostgreSQL pass of ``scripts/test`` lists
its files and this is not one of them).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session, select

from casefile.db import open_casefile
from casefile.deployment import DRILL, record_deployment
from casefile.notices import NoticeDelivery
from casefile.tables import CaseRecord, DocumentRecord, NoticeRecord, TimelineRecord
from models.messages import ApplyResumeProduction, DecideDisposition, DecideRenewal, ProposeDisposition, RecordReview
from operations import cases
from runtime.temporal import DevServer, connect, fast_forward, free_port, start_fast_forward
from starter import OFFICE
from tests.databases import PostgresCluster
from tests.drill import COUNTY, EXPERT, HOLDER, department, mine, township
from tests.sealing import sealed
from tests.test_faults import POLICY, lifecycle
from worker import sweeper_id

pytestmark = pytest.mark.timeout(300)

ROOT = Path(__file__).resolve().parent.parent
CASES = 6
QUEUE = "minecase-cluster"


class Webhook:
    """A notice receiver (the generic JSON webhook): the idempotency keys it was sent, in order."""

    def __init__(self, delay: float = 0.0) -> None:
        keys = self.keys = []
        arrived = self.arrived = threading.Event()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("content-length") or 0))
                arrived.set()
                time.sleep(delay)  # a slow receiver: the delivery is in flight this long
                keys.append(self.headers.get("idempotency-key"))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def minecase(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with open(log, "ab") as out:  # the child keeps its own handle
        return subprocess.Popen([sys.executable, "-m", "cli.app", *args], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                                stdout=out, stderr=subprocess.STDOUT)


def tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:]


async def wait_for(url: str, log: Path, process: subprocess.Popen, seconds: float = 60) -> httpx.Response:
    """The first 2xx answer of ``url``; fails with the process's log if it exits or never answers."""
    deadline = asyncio.get_running_loop().time() + seconds
    async with httpx.AsyncClient(timeout=2) as http:
        while True:
            assert process.poll() is None, f"exited {process.returncode}:\n{tail(log)}"
            try:
                answer = await http.get(url)
                if answer.is_success:
                    return answer
            except httpx.HTTPError:
                pass
            assert asyncio.get_running_loop().time() < deadline, f"{url} never answered:\n{tail(log)}"
            await asyncio.sleep(0.3)


async def readiness(base: str) -> tuple[int, dict]:
    async with httpx.AsyncClient(timeout=10) as http:
        answer = await http.get(f"{base}/readyz")
        return answer.status_code, answer.json()


async def to_the_end(client, permit_no: str, steps: list[str]) -> None:
    """Disposition to joint review (``test_faults.lifecycle``), a month on the case's clock, then renewal and resumed
    production: the case's workflow completes."""
    await lifecycle(client, permit_no, steps)
    await fast_forward(client, f"mine-{permit_no}", dt.timedelta(days=30))
    await cases.wait_settled(client, f"mine-{permit_no}")

    async def approve_all(kind: str) -> None:
        view = await cases.live_status(client, permit_no)
        for task in [t for t in view.tasks if t.kind == kind]:
            actor = (EXPERT if task.assignee_role == "expert" else COUNTY if task.assignee_role == "county"
                     else township(task.township) if task.township else department(task.department))
            await cases.act(client, permit_no, "record_review", RecordReview(actor=actor, task_id=task.id, approved=True))
            steps.append(f"{permit_no}:{kind}")

    await approve_all("joint_review")
    await cases.act(client, permit_no, "decide_renewal", DecideRenewal(actor=COUNTY, approve=True))
    await approve_all("permit_renewal")
    await cases.act(client, permit_no, "apply_resume_production", ApplyResumeProduction(actor=HOLDER))
    await approve_all("resume_review")
    await approve_all("supply_restore")
    await client.get_workflow_handle(f"mine-{permit_no}").result()


def assert_each_case_ended_with_each_step_once(engine, facts) -> list[NoticeRecord]:
    """Every case reached its end; its case file holds each step once, in order, the same steps as every other case,
    and the same documents and notices (each once). Returns the notices."""
    with Session(engine) as session:
        stages = {c.permit_no: c.stage for c in session.exec(select(CaseRecord)).all()}
        timelines = {f.permit_no: session.exec(select(TimelineRecord).where(TimelineRecord.permit_no == f.permit_no)
                                               .order_by(TimelineRecord.seq)).all() for f in facts}
        documents = session.exec(select(DocumentRecord)).all()
        notices = session.exec(select(NoticeRecord)).all()
    assert set(stages) == {f.permit_no for f in facts}
    assert len(set(stages.values())) == 1 and next(iter(stages.values())) == "production_resumed", stages
    shapes = set()
    for permit_no, timeline in timelines.items():
        assert [e.seq for e in timeline] == list(range(1, len(timeline) + 1)), permit_no  # no gap, nothing twice
        transitions = [(e.stage_from, e.stage_to) for e in timeline if e.stage_from != e.stage_to]
        assert len(transitions) == len(set(transitions)), f"{permit_no} moved twice: {transitions}"
        shapes.add(tuple((e.kind, e.clause, e.stage_from, e.stage_to) for e in timeline))
    assert len(shapes) == 1, "the cases' timelines differ"
    per_case_documents = {tuple(sorted(Counter(d.kind for d in documents if d.permit_no == f.permit_no).items())) for f in facts}
    assert len(per_case_documents) == 1 and documents, per_case_documents  # each document issued once per case
    per_case_notices = {tuple(sorted(Counter(n.kind for n in notices if n.permit_no == f.permit_no).items())) for f in facts}
    assert len(per_case_notices) == 1 and notices, per_case_notices  # each notice once per case
    return list(notices)


async def pollers(client, expected: set[str]) -> set[str]:
    """The processes polling the task queue for workflow and activity tasks (``pid@`` of their SDK identity), once
    they are ``expected`` or after 30 s (the workers poll once they run; their metrics answer from their start)."""
    for _ in range(100):
        if (polling := await _pollers(client)) == expected:
            break
        await asyncio.sleep(0.3)
    return polling


async def _pollers(client) -> set[str]:
    from temporalio.api.enums.v1 import TaskQueueType
    from temporalio.api.taskqueue.v1 import TaskQueue
    from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest

    found = set()
    for kind in (TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY):
        answer = await client.workflow_service.describe_task_queue(DescribeTaskQueueRequest(
            namespace=client.namespace, task_queue=TaskQueue(name=QUEUE), task_queue_type=kind))
        found |= {poller.identity.split("@")[0] + "@" for poller in answer.pollers}
    return found


async def all_sent(client, engine) -> list[NoticeDelivery]:
    """The webhook deliveries once every one is ``sent`` (within two minutes). A notice recorded by the killed worker
    just before it died has its delivery started by the notice sweeper (issue 13), which takes deliveries queued
    for a minute on its next round (every five minutes): its clock is moved on here (the server is a drill's)."""
    loop = asyncio.get_running_loop()
    deadline, nudged = loop.time() + 120, loop.time()
    while True:
        with Session(engine) as session:
            deliveries = list(session.exec(select(NoticeDelivery).where(NoticeDelivery.channel == "webhook")).all())
        if deliveries and all(d.status == "sent" for d in deliveries):
            return deliveries
        assert loop.time() < deadline, Counter(d.status for d in deliveries)
        if loop.time() > nudged + 10:
            await start_fast_forward(client, sweeper_id(QUEUE), dt.timedelta(minutes=5))
            nudged = loop.time()
        await asyncio.sleep(0.5)


def metric(text: str, name: str, **labels: str) -> float:
    """The sum of the samples of ``name`` whose labels include ``labels`` (Prometheus text format)."""
    total, found = 0.0, False
    for line in text.splitlines():
        if line.startswith("#") or not line.startswith(name):
            continue
        head, _, value = line.rpartition(" ")
        metric_name = head.split("{", 1)[0]
        if metric_name != name or not all(f'{k}="{v}"' in head for k, v in labels.items()):
            continue
        total, found = total + float(value), True
    assert found, f"{name} {labels} not in the metrics:\n{text[:3000]}"
    return total


async def test_a_campaign_runs_to_its_end_on_two_workers_while_one_is_killed_and_readiness_follows_the_case_file(tmp_path):
    postgres = PostgresCluster()
    postgres.start()
    server = DevServer(db_file=tmp_path / "temporal.db", port=free_port(), log_file=tmp_path / "temporal.log", drill=True)
    webhook = Webhook()
    processes: list[subprocess.Popen] = []
    engine = None
    try:
        await server.start()  # an external cluster: its own process, started by the test, never by minecase
        url = postgres.new_database()
        data_dir = tmp_path / "data"
        base_env = {**os.environ, "MINECASE_TEMPORAL_ADDRESS": server.address, "MINECASE_DATABASE_URL": url,
                    "MINECASE_DATA_DIR": str(data_dir), "MINECASE_TASK_QUEUE": QUEUE, "MINECASE_LOG_FORMAT": "json",
                    "MINECASE_PAYLOAD_KEY": os.environ["MINECASE_PAYLOAD_KEY"], "MINECASE_NOTIFY_WEBHOOK_URL": webhook.url,
                    "MINECASE_METRICS_REFRESH_SECONDS": "1", "MINECASE_WORKER_DRAIN_SECONDS": "2", "MINECASE_NOTIFY_RETRY_SECONDS": "1",
                    "PYTHONPATH": str(ROOT)}
        base_env["MINECASE_CAMPAIGN"] = "shanggao-2023"  # each worker makes sure of the bulletin schedules
        for name in ("MINECASE_METRICS_ADDRESS", "MINECASE_OTEL_ENDPOINT"):
            base_env.pop(name, None)
        upgraded = await asyncio.to_thread(subprocess.run, [sys.executable, "-m", "cli.app", "db", "upgrade"], cwd=ROOT, env=base_env,
                                  capture_output=True, text=True, timeout=120)
        assert upgraded.returncode == 0, upgraded.stderr
        engine = open_casefile(url)
        record_deployment(engine, DRILL, "tests/test_cluster.py")  # its server skips time: the case file agrees

        metrics_ports = [free_port(), free_port()]
        workers = []
        for number, port in enumerate(metrics_ports):
            log = tmp_path / f"worker-{number}.log"
            workers.append((minecase(["worker"], {**base_env, "MINECASE_METRICS_ADDRESS": f"127.0.0.1:{port}"}, log), log))
        processes += [w for w, _ in workers]
        web_port = free_port()
        web_log = tmp_path / "web.log"
        web = minecase(["web", "--port", str(web_port)], base_env, web_log)
        processes.append(web)
        base = f"http://127.0.0.1:{web_port}"
        for (process, log), port in zip(workers, metrics_ports, strict=True):
            await wait_for(f"http://127.0.0.1:{port}/metrics", log, process)
        assert (await wait_for(f"{base}/healthz", web_log, web)).json() == {"status": "ok"}
        assert await readiness(base) == (200, {"status": "ready", "temporal": "ok", "casefile": "ok", "failed": []})

        client = await connect(server.address, data_converter=sealed())
        facts = [mine() for _ in range(CASES)]
        for f in facts:
            await cases.register_case(client, engine, QUEUE, f, POLICY, OFFICE)
        schedules = [s.id async for s in await client.list_schedules()]
        assert sorted(schedules) == ["bulletin-shanggao-2023-month", "bulletin-shanggao-2023-week"]  # once, from two workers
        expected = {f"{w.pid}@" for w, _ in workers}
        assert await pollers(client, expected) == expected, web.pid  # the web runs no workflow and no activity
        steps: list[str] = []
        runs = asyncio.gather(*(to_the_end(client, f.permit_no, steps) for f in facts))
        while len(steps) < 12 * CASES // 2 and not runs.done():  # about a third of the way: kill one worker
            await asyncio.wait([runs], timeout=0.05)
        assert not runs.done(), f"the campaign finished before the kill, after {len(steps)} steps"
        killed, _ = workers[0]
        killed.send_signal(signal.SIGKILL)
        killed.wait(timeout=10)
        killed_at = len(steps)
        await asyncio.wait_for(runs, timeout=180)
        assert len(steps) > killed_at  # the surviving worker carried the cases on

        notices = assert_each_case_ended_with_each_step_once(engine, facts)

        # Each delivery is sent (once: its row is its idempotency key) and the receiver got every one of them.
        deliveries = await all_sent(client, engine)
        assert {d.notice_id for d in deliveries} == {n.id for n in notices}
        assert set(webhook.keys) == {d.key for d in deliveries}

        # The surviving worker's metrics: the case file's gauges, its notices, the SDK's own counters.
        survivor, survivor_log = workers[1]
        await asyncio.sleep(2.5)  # a refresh of the gauges after the last case ended
        async with httpx.AsyncClient(timeout=5) as http:
            text = (await http.get(f"http://127.0.0.1:{metrics_ports[1]}/metrics")).text
        assert metric(text, "minecase_cases", stage="production_resumed") == CASES
        assert metric(text, "minecase_cases_overdue") == 0
        assert metric(text, "minecase_notices_delivered_total", channel="webhook") >= 1
        assert metric(text, "temporal_workflow_completed") >= 1
        assert metric(text, "temporal_activity_execution_latency_count") >= 1

        # Readiness follows the case file: red while PostgreSQL is stopped, green once it is back; health stays green.
        postgres.stop()
        status, body = await readiness(base)
        assert (status, body["failed"]) == (503, ["casefile"]), body
        async with httpx.AsyncClient(timeout=5) as http:
            assert (await http.get(f"{base}/healthz")).status_code == 200
        postgres.start()
        status, body = await readiness(base)
        assert (status, body["status"]) == (200, "ready"), body

        # SIGTERM drains the survivor and stops the web, each within seconds.
        for process in (survivor, web):
            process.send_signal(signal.SIGTERM)
        assert survivor.wait(timeout=15) == 0, tail(survivor_log)
        assert web.wait(timeout=15) == 0, tail(web_log)
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=10)
        if engine is not None:
            engine.dispose()
        webhook.close()
        server.stop()
        postgres.remove()


def test_the_web_refuses_to_start_without_a_temporal_address_in_one_line(tmp_path):
    env = {**os.environ, "MINECASE_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    env.pop("MINECASE_TEMPORAL_ADDRESS", None)
    done = subprocess.run([sys.executable, "-m", "cli.app", "web", "--port", str(free_port())], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "MINECASE_TEMPORAL_ADDRESS" in lines[0] and "minecase web" in lines[0], done.stderr
    assert not (tmp_path / "temporal.db").exists()


async def test_a_worker_given_sigterm_lets_the_delivery_it_is_sending_finish_before_it_exits(server, client, tmp_path,
                                                                                          new_database_url):
    """SIGTERM while a notice is being delivered (a receiver that takes 5 s to answer): the worker stops polling, lets
    the delivery finish (``MINECASE_WORKER_DRAIN_SECONDS``) and records it sent, once, before it exits, within 10 s."""
    url = new_database_url()
    engine = open_casefile(url, upgrade=True)
    webhook = Webhook(delay=5.0)
    queue = f"{QUEUE}-drain"
    env = {**os.environ, "MINECASE_TEMPORAL_ADDRESS": server.address, "MINECASE_DATABASE_URL": url,
           "MINECASE_DATA_DIR": str(tmp_path / "data"), "MINECASE_TASK_QUEUE": queue, "MINECASE_LOG_FORMAT": "json",
           "MINECASE_NOTIFY_WEBHOOK_URL": webhook.url, "MINECASE_WORKER_DRAIN_SECONDS": "8", "PYTHONPATH": str(ROOT)}
    for name in ("MINECASE_METRICS_ADDRESS", "MINECASE_OTEL_ENDPOINT", "MINECASE_CAMPAIGN"):
        env.pop(name, None)
    log = tmp_path / "worker.log"
    worker = minecase(["worker"], env, log)
    try:
        facts = mine()
        await cases.register_case(client, engine, queue, facts, POLICY, OFFICE)
        await cases.act(client, facts.permit_no, "propose_disposition", ProposeDisposition(actor=township(), path="continue"))
        await cases.act(client, facts.permit_no, "decide_disposition", DecideDisposition(actor=COUNTY, approve=True))
        assert await asyncio.to_thread(webhook.arrived.wait, 60), tail(log)  # a delivery is in flight now
        started = time.monotonic()
        worker.send_signal(signal.SIGTERM)
        code = await asyncio.to_thread(worker.wait, 15)
        took = time.monotonic() - started
        assert code == 0 and took < 10, (code, took, tail(log))
        with Session(engine) as session:
            sent = [d for d in session.exec(select(NoticeDelivery).where(NoticeDelivery.permit_no == facts.permit_no)).all()
                    if d.channel == "webhook" and d.status == "sent"]
        assert sent and all(d.attempts == 1 for d in sent), tail(log)  # the one in flight finished, and was not sent again
        assert set(webhook.keys) >= {d.key for d in sent}
    finally:
        if worker.poll() is None:
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)
        webhook.close()
        engine.dispose()
