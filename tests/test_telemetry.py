"""Operations (issue 15 item 3): ``/healthz`` and ``/readyz``, the Prometheus endpoint of a process's Temporal runtime
with the product's metrics on it, and OpenTelemetry tracing through the SDK's interceptor, off unless asked for.

Real parts: the session's Temporal dev server and case file; a Prometheus endpoint on a free port; an in-memory span
exporter (the OpenTelemetry SDK's own) in place of a collector."""

from __future__ import annotations

import asyncio
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from types import SimpleNamespace

import httpx
import pytest
from sqlalchemy import create_engine
from temporalio import activity, workflow
from temporalio.common import RetryPolicy

from api import create_app
from casefile.tables import OpLogRecord
from models.policy import load_campaign
from operations import cases
from runtime.settings import Settings
from runtime.telemetry import CaseGauges, TelemetryError, case_counts, temporal_runtime, tracing_interceptors
from runtime.temporal import connect, free_port
from starter import OFFICE
from tests.api_helpers import make_runtime
from tests.drill import mine
from tests.sealing import sealed
from tests.test_cluster import metric

POLICY = load_campaign("shanggao-2023").resolve()


def desk(runtime) -> httpx.AsyncClient:
    app = create_app(runtime, secret_key="telemetry-secret")
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://desk.test")


async def test_health_answers_without_sign_in_and_readiness_names_what_does_not_answer(client, engine, tmp_path):
    async with desk(make_runtime(client, engine)) as http:
        health = await http.get("/healthz")
        assert (health.status_code, health.json()) == (200, {"status": "ok"})
        ready = await http.get("/readyz")
        assert ready.status_code == 200, ready.text
        assert ready.json() == {"status": "ready", "temporal": "ok", "casefile": "ok", "failed": []}
        document = (await http.get("/api/openapi.json")).json()
    assert {"/healthz", "/readyz"} <= set(document["paths"])
    assert set(document["paths"]["/readyz"]["get"]["responses"]) >= {"200", "503"}

    # A case file that does not answer (a PostgreSQL port nobody listens on), then a Temporal that does not.
    unreachable = create_engine(f"postgresql+psycopg://minecase@127.0.0.1:{free_port()}/nothing",
                                connect_args={"connect_timeout": 2})
    broken = make_runtime(client, engine)
    broken.engine = unreachable
    async with desk(make_runtime(client, engine)) as http:
        http._transport.app.state.runtime = broken  # type: ignore[attr-defined]
        answer = await http.get("/readyz")
        assert answer.status_code == 503
        assert answer.json()["failed"] == ["casefile"] and answer.json()["temporal"] == "ok"
        assert (await http.get("/healthz")).status_code == 200
    gone = SimpleNamespace(service_client=SimpleNamespace(check_health=_refused))
    async with desk(make_runtime(client, engine)) as http:
        http._transport.app.state.runtime = SimpleNamespace(**{**vars(make_runtime(client, engine)), "client": gone})  # type: ignore[attr-defined]
        answer = await http.get("/readyz")
        assert (answer.status_code, answer.json()["failed"]) == (503, ["temporal"])
    unreachable.dispose()


async def _refused(**_):
    raise ConnectionRefusedError("nobody listens")


async def test_health_and_readiness_are_not_operations_of_the_log(client, engine):
    from sqlmodel import Session, func, select

    with Session(engine) as session:
        before = session.exec(select(func.count()).select_from(OpLogRecord)).one()
    async with desk(make_runtime(client, engine)) as http:
        for _ in range(3):
            assert (await http.get("/healthz")).status_code == 200
            assert (await http.get("/readyz")).status_code == 200
        assert (await http.post("/healthz")).status_code == 405
    with Session(engine) as session:
        after = session.exec(select(func.count()).select_from(OpLogRecord)).one()
    assert after - before <= 1  # the refused POST at most; the reads never


async def test_a_metrics_address_serves_the_sdk_metrics_and_the_case_files_counts_by_stage(server, engine, worker):
    port = free_port()
    runtime = temporal_runtime(Settings(metrics_address=f"127.0.0.1:{port}"))
    assert runtime is not None
    metered = await connect(server.address, data_converter=sealed(), runtime=runtime)
    from tests.conftest import TASK_QUEUE

    facts = mine()
    await cases.register_case(metered, engine, TASK_QUEUE, facts, POLICY, OFFICE)
    await cases.wait_settled(metered, f"mine-{facts.permit_no}")
    gauges = CaseGauges(runtime.metric_meter, engine)
    stages = gauges.refresh()
    stages_now, overdue = case_counts(engine)
    assert stages == stages_now and stages.get("registered", 0) >= 1
    async with httpx.AsyncClient(timeout=5) as http:
        text = (await http.get(f"http://127.0.0.1:{port}/metrics")).text
    for stage, count in stages.items():
        assert metric(text, "minecase_cases", stage=stage) == count
    assert metric(text, "minecase_cases_overdue") == overdue
    assert metric(text, "temporal_request", operation="StartWorkflowExecution") >= 1  # the SDK's client metrics


def test_no_metrics_address_means_no_metrics_runtime_and_a_bad_one_is_refused_in_both_languages():
    assert temporal_runtime(Settings(metrics_address=None)) is None
    with pytest.raises(TelemetryError) as refused:
        temporal_runtime(Settings(metrics_address="9464"))
    assert "MINECASE_METRICS_ADDRESS" in refused.value.message and "host:port" in refused.value.message


def test_tracing_is_off_unless_an_endpoint_is_set():
    assert tracing_interceptors(Settings(otel_endpoint=None)) == []
    from temporalio.contrib.opentelemetry import TracingInterceptor

    on = tracing_interceptors(Settings(otel_endpoint="http://127.0.0.1:4318"))
    assert len(on) == 1 and isinstance(on[0], TracingInterceptor)


async def test_a_client_without_an_endpoint_carries_no_tracing_interceptor(server, engine, tmp_path):
    from runtime.resources import Runtime

    settings = Settings(temporal_address=server.address, database_url=engine.url.render_as_string(hide_password=False),
                        data_dir=tmp_path, otel_endpoint=None)
    async with Runtime(settings, start_server=False) as runtime:
        assert runtime.client is not None
        assert not [i for i in runtime.client.config()["interceptors"] if type(i).__name__ == "TracingInterceptor"]


async def test_a_case_started_with_tracing_on_leaves_spans_of_its_start_its_workflow_and_its_activities(server, engine):
    pytest.importorskip("opentelemetry.sdk")
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from worker import build_worker

    exporter = InMemorySpanExporter()
    traced = await connect(server.address, data_converter=sealed(),
                           interceptors=tracing_interceptors(Settings(), exporter=exporter))
    queue = f"traced-{uuid.uuid4().hex[:8]}"
    worker = build_worker(traced, engine, queue, ThreadPoolExecutor(max_workers=4))
    running = asyncio.create_task(worker.run())
    try:
        facts = mine()
        await cases.register_case(traced, engine, queue, facts, POLICY, OFFICE)
        await cases.wait_settled(traced, f"mine-{facts.permit_no}")
    finally:
        await worker.shutdown()
        await running
    names = {span.name for span in exporter.get_finished_spans()}
    assert "StartWorkflow:MineCase" in names, names
    assert "RunWorkflow:MineCase" in names, names
    assert any(name.startswith("RunActivity:") for name in names), names


@activity.defn(name="telemetry_flaky")
def flaky(attempts_to_fail: int) -> str:
    if activity.info().attempt <= attempts_to_fail:
        raise RuntimeError("not yet")
    return "done"


@workflow.defn(name="TelemetryFlaky", sandboxed=False)  # a test module imports what a sandbox refuses
class FlakyWorkflow:
    @workflow.run
    async def run(self, attempts_to_fail: int) -> str:
        return await workflow.execute_activity(flaky, attempts_to_fail, start_to_close_timeout=timedelta(seconds=10),
                                               retry_policy=RetryPolicy(initial_interval=timedelta(milliseconds=100)))


async def test_every_failed_activity_attempt_is_counted_by_activity_on_the_metrics_endpoint(server):
    from temporalio.worker import Worker

    from runtime.telemetry import worker_interceptors

    port = free_port()
    runtime = temporal_runtime(Settings(metrics_address=f"127.0.0.1:{port}"))
    metered = await connect(server.address, runtime=runtime)
    queue = f"flaky-{uuid.uuid4().hex[:8]}"
    async with Worker(metered, task_queue=queue, workflows=[FlakyWorkflow], activities=[flaky],
                      activity_executor=ThreadPoolExecutor(max_workers=2), interceptors=worker_interceptors()):
        assert await metered.execute_workflow(FlakyWorkflow.run, 2, id=f"flaky-{uuid.uuid4()}", task_queue=queue) == "done"
    async with httpx.AsyncClient(timeout=5) as http:
        text = (await http.get(f"http://127.0.0.1:{port}/metrics")).text
    assert metric(text, "minecase_activity_failures_total", activity="telemetry_flaky") == 2
    assert metric(text, "temporal_activity_execution_failed", activity_type="telemetry_flaky") == 2
