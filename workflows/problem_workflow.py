"""The time limit of a problem of the problem ledger (问题台账, issue 14), as durable timers outside the case
workflow (the case workflow and its recorded histories do not change).

``ProblemDeadline`` (id ``problem-<problem id>``): sleeps until 09:00 China time three days before the last day
and marks the problem ``reminded``, then until 00:00 the day after the last day (a last day ends at 24:00, as
every deadline of the plan) and marks it ``overdue`` — each only if it is still open. The ``closed`` signal
(sent when a reviewer closes it, 销号) ends it early; the activity also reads the ledger, so a lost signal
changes nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from datetime import timedelta

from pydantic import BaseModel
from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.problem_activities import ProblemActivities
    from models.calendar import CST, overdue_instant

QUICK = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(seconds=60))
REMIND_DAYS = 3


class ProblemDeadlineInput(BaseModel):
    problem_id: str
    due: dt.date


@workflow.defn(name="ProblemDeadline")
class ProblemDeadlineWorkflow:
    def __init__(self) -> None:
        self.closed = False

    @workflow.signal
    def close(self) -> None:
        self.closed = True

    @workflow.run
    async def run(self, request: ProblemDeadlineInput) -> str:
        remind_at = dt.datetime.combine(request.due - timedelta(days=REMIND_DAYS), dt.time(9), tzinfo=CST)
        for moment, what in ((remind_at, "reminded"), (overdue_instant(request.due), "overdue")):
            wait = (moment - workflow.now()).total_seconds()
            if wait > 0:
                with contextlib.suppress(TimeoutError):
                    await workflow.wait_condition(lambda: self.closed, timeout=wait)
            if self.closed:
                return "closed"
            marked = await workflow.execute_activity_method(ProblemActivities.mark_problem, args=[request.problem_id, what],
                                                            start_to_close_timeout=timedelta(seconds=30), retry_policy=QUICK)
            if not marked:
                return "closed"
        return "overdue"
