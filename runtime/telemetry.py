"""Metrics and tracing (issue 15 item 3), built at an entry point from ``Settings``, never at import.

- ``MINECASE_METRICS_ADDRESS=host:port``: the process's Temporal ``Runtime`` serves Prometheus at
  ``http://host:port/metrics`` — the SDK's own metrics (``temporal_activity_execution_failed``,
  ``temporal_workflow_task_execution_failed``, poller and slot gauges …) and the product's, made through the same
  runtime's meter: ``minecase_cases{stage}`` and ``minecase_cases_overdue`` (a worker reads them from the case file
  every ``metrics_refresh_seconds``), ``minecase_notices_delivered_total{channel}`` and
  ``minecase_notices_failed_total{channel}`` (counted by the delivery activities), ``minecase_activity_failures_total
  {activity}`` (every failed activity attempt, whatever the SDK counts).
- ``MINECASE_OTEL_ENDPOINT=http://collector:4318``: the client's interceptors include the SDK's OpenTelemetry
  ``TracingInterceptor`` and spans go to that OTLP/HTTP collector (``pip install 'minecase[otel]'``). Off by default:
  no interceptor is installed.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from typing import Any

import structlog
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from temporalio import activity
from temporalio.common import MetricMeter
from temporalio.runtime import PrometheusConfig, TelemetryConfig
from temporalio.runtime import Runtime as TemporalRuntime
from temporalio.worker import ActivityInboundInterceptor, ExecuteActivityInput, Interceptor

from models.errors import MinecaseError

log = structlog.get_logger("minecase.telemetry")

CASES = "minecase_cases"
OVERDUE = "minecase_cases_overdue"
DELIVERED = "minecase_notices_delivered_total"
FAILED = "minecase_notices_failed_total"
ACTIVITY_FAILURES = "minecase_activity_failures_total"


class TelemetryError(MinecaseError):
    """Metrics or tracing asked for in a way that cannot work (a bad address, the tracing packages missing)."""


def _check_address(address: str) -> str:
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise TelemetryError(f"指标地址应为 host:port（如 0.0.0.0:9464），而不是 {address!r}（MINECASE_METRICS_ADDRESS）",
                             f"the metrics address is host:port (e.g. 0.0.0.0:9464), not {address!r} (MINECASE_METRICS_ADDRESS)")
    return address


def temporal_runtime(settings: Any) -> TemporalRuntime | None:
    """The process's Temporal runtime serving Prometheus at ``metrics_address``; ``None`` (the SDK's default runtime,
    no metrics) when it is unset. Build it once per process: its endpoint binds the port."""
    address = getattr(settings, "metrics_address", None)
    if not address:
        return None
    try:
        return TemporalRuntime(telemetry=TelemetryConfig(metrics=PrometheusConfig(bind_address=_check_address(address))))
    except (RuntimeError, ValueError) as error:  # the port is taken, the host unknown
        raise TelemetryError(f"无法在 {address} 提供指标：{error}", f"cannot serve metrics on {address}: {error}") from None


def tracing_interceptors(settings: Any, *, exporter: Any = None) -> list[Any]:
    """The client's interceptors: the SDK's OpenTelemetry ``TracingInterceptor`` when ``otel_endpoint`` is set (or an
    ``exporter`` is given, for tests), else none. Spans go through a batch processor to the OTLP/HTTP exporter."""
    endpoint = getattr(settings, "otel_endpoint", None)
    if not endpoint and exporter is None:
        return []
    try:
        from opentelemetry.sdk.resources import SERVICE_NAME, Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor
        from temporalio.contrib.opentelemetry import TracingInterceptor
    except ImportError:
        raise TelemetryError("追踪需要 OpenTelemetry 组件：pip install 'minecase[otel]'（MINECASE_OTEL_ENDPOINT）",
                             "tracing needs the OpenTelemetry packages: pip install 'minecase[otel]' (MINECASE_OTEL_ENDPOINT)") from None
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: "minecase"}))
    if exporter is not None:
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    else:
        try:
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        except ImportError:
            raise TelemetryError("追踪需要 OTLP 导出组件：pip install 'minecase[otel]'",
                                 "tracing needs the OTLP exporter: pip install 'minecase[otel]'") from None
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=f"{str(endpoint).rstrip('/')}/v1/traces")))
    return [TracingInterceptor(provider.get_tracer("minecase"))]


# --- the product's metrics ----------------------------------------------------------------------------


def _activity_meter() -> MetricMeter | None:
    """The running activity's meter (its worker's runtime), or ``None`` outside an activity."""
    try:
        return activity.metric_meter()
    except RuntimeError:
        return None


def count_delivery(channel: str, status: str) -> None:
    """A notice delivery ended ``sent`` or ``failed`` (a queued retry is not counted): ``minecase_notices_*_total``."""
    if status not in ("sent", "failed"):
        return
    meter = _activity_meter()
    if meter is None:
        return
    name, help_text = ((DELIVERED, "notices delivered, per channel") if status == "sent"
                       else (FAILED, "notice deliveries that failed for good, per channel"))
    with contextlib.suppress(Exception):  # a metric never fails a delivery
        meter.create_counter(name, help_text).add(1, {"channel": channel or "-"})


class ActivityFailures(Interceptor):
    """Counts every failed activity attempt as ``minecase_activity_failures_total{activity}`` (the SDK's
    ``temporal_activity_execution_failed`` counts them too, without the product's name for the series)."""

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _CountFailures(next)


class _CountFailures(ActivityInboundInterceptor):
    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        try:
            return await self.next.execute_activity(input)
        except BaseException as error:
            if not isinstance(error, asyncio.CancelledError):
                meter = _activity_meter()
                if meter is not None:
                    with contextlib.suppress(Exception):
                        meter.create_counter(ACTIVITY_FAILURES, "failed activity attempts, per activity").add(
                            1, {"activity": activity.info().activity_type})
            raise


def case_counts(engine: Engine) -> tuple[dict[str, int], int]:
    """Cases per stage and overdue cases, from the case file."""
    from casefile.tables import CaseRecord

    with Session(engine) as session:
        stages = dict(session.exec(
            select(CaseRecord.stage, func.count()).group_by(CaseRecord.stage)).all())
        overdue = session.exec(select(func.count()).select_from(CaseRecord).where(CaseRecord.overdue == True)).one()  # noqa: E712
    return stages, int(overdue)


class CaseGauges:
    """``minecase_cases{stage}`` and ``minecase_cases_overdue`` on ``meter``: ``refresh`` sets them from the case file
    (a stage whose cases are gone drops to 0)."""

    def __init__(self, meter: MetricMeter, engine: Engine):
        self.engine = engine
        self.cases = meter.create_gauge(CASES, "cases per stage, from the case file")
        self.overdue = meter.create_gauge(OVERDUE, "cases with a deadline passed, from the case file")
        self.seen: set[str] = set()

    def refresh(self) -> dict[str, int]:
        stages, overdue = case_counts(self.engine)
        for stage in self.seen - set(stages):
            self.cases.set(0, {"stage": stage})
        for stage, count in stages.items():
            self.cases.set(count, {"stage": stage})
        self.seen |= set(stages)
        self.overdue.set(overdue)
        return stages

    async def run(self, every_seconds: float, stop: Callable[[], bool] = lambda: False) -> None:
        """Refresh every ``every_seconds`` until cancelled; a case file out of reach is logged and tried again."""
        while not stop():
            try:
                await asyncio.to_thread(self.refresh)
            except Exception as error:  # noqa: BLE001 - the gauges wait for the case file; the worker goes on
                log.warning("case gauges not refreshed", error=str(error)[:300])
            await asyncio.sleep(every_seconds)


def worker_interceptors() -> Sequence[Interceptor]:
    return [ActivityFailures()]
