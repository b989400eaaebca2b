"""The worker: runs case workflows and their activities against a Temporal cluster.

``python worker.py`` (or ``minecase up``) with no ``MINECASE_TEMPORAL_ADDRESS`` starts the
embedded dev server first (SQLite file under the data directory). It upgrades the case file to the
newest schema before it starts (safe when the web starts at the same time)."""

from __future__ import annotations

import asyncio
import functools
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import structlog
from sqlalchemy.engine import Engine
from temporalio.client import Client
from temporalio.worker import Worker

from activities.calendar_activities import CalendarActivities
from activities.casefile_activities import CaseFileActivities
from activities.notify_activities import DeliveryStarter, NotifyActivities, start_deliveries
from activities.problem_activities import ProblemActivities
from activities.report_activities import ReportActivities
from runtime.channels import NotifyConfig
from workflows.case_workflow import MineCaseWorkflow
from workflows.notify_workflows import NoticeDeliveryWorkflow, NoticeDigestWorkflow, NoticeSweeperWorkflow
from workflows.problem_workflow import ProblemDeadlineWorkflow
from workflows.report_workflows import BulletinClockWorkflow, BulletinWorkflow

log = structlog.get_logger("minecase.worker")


def build_worker(client: Client, engine: Engine, task_queue: str, executor: ThreadPoolExecutor | None = None,
                 notify: NotifyConfig | None = None, drain_seconds: float = 0.0,
                 case_workflow: type = MineCaseWorkflow, cached_cases: int = 1000) -> Worker:
    """``notify``: the channels of the settings (``Settings.notify_config()``); none by default (users' and units'
    subscriptions still deliver, issue 13). ``drain_seconds`` (``MINECASE_WORKER_DRAIN_SECONDS``): on shutdown, running
    activities get this long to finish before they are cancelled (their retries then run on another worker).
    ``case_workflow``: the class registered as the case workflow (``MineCase``); only a drill of a rolling upgrade
    gives another release's (``tests/test_upgrade.py``, ``docs/upgrades.md``). ``cached_cases``
    (``MINECASE_WORKER_CACHED_CASES``): workflows kept in memory between their tasks (``max_cached_workflows``)."""
    from runtime.telemetry import worker_interceptors

    notify = notify or NotifyConfig()
    calendar = CalendarActivities(engine)
    notices = NotifyActivities(engine, notify)
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # built outside the event loop: the sweeper starts the deliveries
        starter = None
    else:
        starter = DeliveryStarter(functools.partial(start_deliveries, client, task_queue, notify.retry_seconds), loop)
    casefile = CaseFileActivities(engine, notify, starter)
    problems = ProblemActivities(engine)
    reports = ReportActivities(engine)
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[case_workflow, NoticeDeliveryWorkflow, NoticeDigestWorkflow, NoticeSweeperWorkflow, ProblemDeadlineWorkflow,
                   BulletinWorkflow, BulletinClockWorkflow],
        activities=[calendar.compute_due_dates, casefile.record_case, casefile.allocate_document_numbers,
                    notices.deliveries_due, notices.send_notice, notices.give_up, notices.digest_hour, notices.send_digest,
                    notices.sweep, problems.mark_problem, reports.make_bulletin],
        activity_executor=executor or ThreadPoolExecutor(max_workers=8),
        max_cached_workflows=cached_cases,
        # If this worker dies, its cached cases go back to the shared queue after 3 s, not 10.
        sticky_queue_schedule_to_start_timeout=timedelta(seconds=3),
        graceful_shutdown_timeout=timedelta(seconds=drain_seconds),
        interceptors=worker_interceptors(),
    )


def sweeper_id(task_queue: str) -> str:
    return f"notice-sweeper-{task_queue}"


async def start_sweeper(client: Client, task_queue: str, retry_seconds: float = 10.0, every_seconds: float = 300.0) -> None:
    """The notice sweeper of this task queue (``notice-sweeper-<task queue>``): started with the worker, once (a running
    one is kept). Its id names the queue: deployments sharing a namespace on other queues each keep their own."""
    from temporalio.common import WorkflowIDConflictPolicy

    await client.start_workflow("NoticeSweeper", {"retry_seconds": retry_seconds, "every_seconds": every_seconds},
                                id=sweeper_id(task_queue), task_queue=task_queue, id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING)


BULLETIN_PERIODS = ("week", "month")


def bulletin_schedule_id(campaign: str, period: str) -> str:
    return f"bulletin-{campaign}-{period}"


def bulletin_campaigns(engine: Engine, chosen: str | None) -> list[str]:
    """The campaigns whose bulletins a worker schedules when it starts: the deployment's (``MINECASE_CAMPAIGN``) and
    every campaign with cases in the case file — in a province, each county's (docs/province.md)."""
    from sqlmodel import Session, select

    from casefile.tables import CaseRecord

    with Session(engine) as session:
        names = set(session.exec(select(CaseRecord.campaign).distinct()))
    return sorted(names | {chosen} if chosen else names)


async def ensure_all_bulletin_schedules(client: Client, engine: Engine, task_queue: str, chosen: str | None) -> list[str]:
    """``ensure_bulletin_schedules`` for each of ``bulletin_campaigns``: the ids of the schedules made now."""
    made = []
    for campaign in bulletin_campaigns(engine, chosen):
        made += await ensure_bulletin_schedules(client, task_queue, campaign)
    return made


async def ensure_bulletin_schedules(client: Client, task_queue: str, campaign: str) -> list[str]:
    """The Temporal Schedules of the campaign's weekly and monthly bulletins (issue 14 item 4): Mondays and the 1st
    of each month at 08:00 China time, each starting one ``Bulletin`` workflow. Idempotent: a schedule that exists
    is kept as it is. Returns the ids of the schedules made now."""
    from temporalio.client import (
        Schedule,
        ScheduleActionStartWorkflow,
        ScheduleAlreadyRunningError,
        ScheduleCalendarSpec,
        ScheduleOverlapPolicy,
        SchedulePolicy,
        ScheduleRange,
        ScheduleSpec,
    )

    from workflows.report_workflows import HOUR, BulletinInput

    made = []
    for period in BULLETIN_PERIODS:
        calendar = (ScheduleCalendarSpec(day_of_week=[ScheduleRange(1)], hour=[ScheduleRange(HOUR)]) if period == "week"
                    else ScheduleCalendarSpec(day_of_month=[ScheduleRange(1)], hour=[ScheduleRange(HOUR)]))
        schedule_id = bulletin_schedule_id(campaign, period)
        schedule = Schedule(
            action=ScheduleActionStartWorkflow("Bulletin", BulletinInput(campaign=campaign, period=period),
                                               id=f"bulletin-{campaign}-{period}", task_queue=task_queue),
            spec=ScheduleSpec(calendars=[calendar], time_zone_name="Asia/Shanghai"),
            policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP),
        )
        try:
            await client.create_schedule(schedule_id, schedule)
        except ScheduleAlreadyRunningError:
            continue
        made.append(schedule_id)
    return made


async def main(*, drill: bool = False) -> None:
    """Run the worker until SIGTERM or SIGINT (then stop within seconds, the embedded server with it).
    ``drill``: the embedded server is a drill's (time skipping on); see ``casefile.deployment``."""
    from runtime.lifecycle import run_until_stopped
    from runtime.logging import configure_logging
    from runtime.resources import Runtime
    from runtime.settings import Settings

    settings = Settings()
    configure_logging(settings.log_format)
    async with Runtime(settings, upgrade_schema=True, drill=drill, metrics=True,
                       command="minecase worker --drill" if drill else "minecase worker") as runtime:
        worker = build_worker(runtime.client, runtime.engine, settings.task_queue, notify=settings.notify_config(),
                              drain_seconds=settings.worker_drain_seconds,
                              cached_cases=settings.worker_cached_cases)
        await start_sweeper(runtime.client, settings.task_queue, settings.notify_retry_seconds)  # notices never started (issue 13)
        await ensure_all_bulletin_schedules(runtime.client, runtime.engine, settings.task_queue, settings.campaign)
        gauges = start_case_gauges(runtime)
        log.info("worker running", address=runtime.address, task_queue=settings.task_queue,
                 metrics=f"http://{settings.metrics_address}/metrics" if settings.metrics_address else None)
        try:
            await run_until_stopped(worker, worker_grace=worker_grace(settings))
        finally:
            if gauges is not None:
                gauges.cancel()


def worker_grace(settings) -> float:
    """How long ``run_until_stopped`` waits for the worker's shutdown: its drain and a second for the pollers."""
    from runtime.lifecycle import WORKER_GRACE

    return max(WORKER_GRACE, settings.worker_drain_seconds + 1.0)


def start_case_gauges(runtime) -> asyncio.Task | None:
    """With metrics on, a task refreshing ``minecase_cases{stage}`` and ``minecase_cases_overdue`` from the case file
    every ``metrics_refresh_seconds`` (every worker does; the values are the case file's, so they agree)."""
    if runtime.temporal_runtime is None:
        return None
    from runtime.telemetry import CaseGauges

    gauges = CaseGauges(runtime.temporal_runtime.metric_meter, runtime.engine)
    return asyncio.create_task(gauges.run(runtime.settings.metrics_refresh_seconds), name="minecase-case-gauges")


if __name__ == "__main__":
    import os
    import sys

    asyncio.run(main(drill="--drill" in sys.argv[1:]))
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)  # no interpreter finalization under the SDK's threads (see cli.app.main)
