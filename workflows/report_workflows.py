"""Bulletins on a timetable (issue 14 item 4).

- ``Bulletin`` (the action of the Temporal Schedules ``bulletin-<campaign>-week`` and ``-month``, made by
  ``worker.ensure_bulletin_schedules``): one run makes the bulletin of the period that ended the day before
  it runs (the Schedule fires on Mondays and on the 1st at 08:00 China time) and stops.
- ``BulletinClock``: the same activity on a durable timer loop — sleep until the next Monday (or 1st) 08:00
  China time, make the bulletin of the period just ended, continue as new after ``MAX_RUNS``. Schedules are
  fired by the server's own clock, which time skipping does not move; the clock is what the time-skipped test
  drives, and a deployment may run it where Schedules are not available.
"""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

from pydantic import BaseModel
from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from activities.report_activities import BulletinRequest, ReportActivities

CHINA = dt.timezone(dt.timedelta(hours=8))
HOUR = 8
MAX_RUNS = 50
RETRY = RetryPolicy(initial_interval=timedelta(seconds=5), maximum_interval=timedelta(minutes=10))


class BulletinInput(BaseModel):
    campaign: str
    period: str


class ClockInput(BaseModel):
    campaign: str
    period: str
    runs: int = 0
    max_runs: int = MAX_RUNS


def period_ended(period: str, now: dt.datetime) -> dt.date:
    """The last day of the period a run at ``now`` reports: the day before it, China time."""
    return now.astimezone(CHINA).date() - dt.timedelta(days=1)


def next_run(period: str, now: dt.datetime) -> dt.datetime:
    """The next Monday (week) or 1st of the month (month), 08:00 China time, after ``now``."""
    local = now.astimezone(CHINA)
    day = local.date()
    while True:
        candidate = dt.datetime.combine(day, dt.time(HOUR), CHINA)
        fits = day.weekday() == 0 if period == "week" else day.day == 1
        if fits and candidate > local:
            return candidate
        day += dt.timedelta(days=1)


async def _make(campaign: str, period: str, now: dt.datetime) -> str:
    return await workflow.execute_activity_method(
        ReportActivities.make_bulletin, BulletinRequest(campaign=campaign, period=period, as_of=period_ended(period, now)),
        start_to_close_timeout=timedelta(minutes=5), retry_policy=RETRY)


@workflow.defn(name="Bulletin")
class BulletinWorkflow:
    @workflow.run
    async def run(self, request: BulletinInput) -> str:
        return await _make(request.campaign, request.period, workflow.now())


@workflow.defn(name="BulletinClock")
class BulletinClockWorkflow:
    @workflow.run
    async def run(self, request: ClockInput) -> list[str]:
        made: list[str] = []
        runs = request.runs
        while runs < request.runs + request.max_runs:
            now = workflow.now()
            await workflow.sleep(next_run(request.period, now) - now)
            made.append(await _make(request.campaign, request.period, workflow.now()))
            runs += 1
        workflow.continue_as_new(ClockInput(campaign=request.campaign, period=request.period, runs=runs, max_runs=request.max_runs))
