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
from runtime.channels import NotifyConfig
from workflows.case_workflow import MineCaseWorkflow
from workflows.notify_workflows import NoticeDeliveryWorkflow, NoticeDigestWorkflow, NoticeSweeperWorkflow
from workflows.problem_workflow import ProblemDeadlineWorkflow

log = structlog.get_logger("minecase.worker")


def build_worker(client: Client, engine: Engine, task_queue: str, executor: ThreadPoolExecutor | None = None,
                 notify: NotifyConfig | None = None) -> Worker:
    """``notify``: the channels of the settings (``Settings.notify_config()``); none by default (users' and units'
    subscriptions still deliver, issue 13)."""
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
    return Worker(
        client,
        task_queue=task_queue,
        workflows=[MineCaseWorkflow, NoticeDeliveryWorkflow, NoticeDigestWorkflow, NoticeSweeperWorkflow, ProblemDeadlineWorkflow],
        activities=[calendar.compute_due_dates, casefile.record_case, casefile.allocate_document_numbers,
                    notices.deliveries_due, notices.send_notice, notices.give_up, notices.digest_hour, notices.send_digest,
                    notices.sweep, problems.mark_problem],
        activity_executor=executor or ThreadPoolExecutor(max_workers=8),
        # If this worker dies, its cached cases go back to the shared queue after 3 s, not 10.
        sticky_queue_schedule_to_start_timeout=timedelta(seconds=3),
    )


async def start_sweeper(client: Client, task_queue: str, retry_seconds: float = 10.0, every_seconds: float = 300.0) -> None:
    """The notice sweeper (``notice-sweeper``): started with the worker, once (a running one is kept)."""
    from temporalio.common import WorkflowIDConflictPolicy

    await client.start_workflow("NoticeSweeper", {"retry_seconds": retry_seconds, "every_seconds": every_seconds},
                                id="notice-sweeper", task_queue=task_queue, id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING)


async def main(*, drill: bool = False) -> None:
    """Run the worker until SIGTERM or SIGINT (then stop within seconds, the embedded server with it).
    ``drill``: the embedded server is a drill's (time skipping on); see ``casefile.deployment``."""
    from runtime.lifecycle import run_until_stopped
    from runtime.logging import configure_logging
    from runtime.resources import Runtime
    from runtime.settings import Settings

    settings = Settings()
    configure_logging(settings.log_format)
    async with Runtime(settings, upgrade_schema=True, drill=drill,
                       command="minecase worker --drill" if drill else "minecase worker") as runtime:
        worker = build_worker(runtime.client, runtime.engine, settings.task_queue, notify=settings.notify_config())
        await start_sweeper(runtime.client, settings.task_queue, settings.notify_retry_seconds)  # notices never started (issue 13)
        log.info("worker running", address=runtime.address, task_queue=settings.task_queue)
        await run_until_stopped(worker)


if __name__ == "__main__":
    import os
    import sys

    asyncio.run(main(drill="--drill" in sys.argv[1:]))
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)  # no interpreter finalization under the SDK's threads (see cli.app.main)
