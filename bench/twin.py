"""The bare Temporal "twins": workflows of the same shape as a mine case (same counts of activities,
updates and timers) with trivial bodies. They measure the engine itself, so that every benchmark
can state the product's cost as a ratio against them, measured in the same process run.

Kept free of side effects at module top level: the workflow sandbox re-imports this module.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from datetime import timedelta

from pydantic import BaseModel
from temporalio import activity, workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError

# The case workflow's activity options, so that retries and timeouts are alike.
ACTIVITY_OPTIONS = {
    "start_to_close_timeout": timedelta(seconds=30),
    "retry_policy": RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(seconds=30)),
}


class Step(BaseModel):
    """What one input makes the case do: activities in the update handler, activities in the main
    loop after it, and whether the main loop then waits on a timer."""

    handler_acts: int = 0
    loop_acts: int = 0
    timer: bool = False


class TwinPlan(BaseModel):
    initial_acts: int = 1
    initial_timer: bool = False
    steps: list[Step] = []
    timer_days: int = 200


class TwinStormArgs(BaseModel):
    key: str
    due: dt.datetime


# -- activities ---------------------------------------------------------------------------------


@activity.defn(name="twin_noop")
def twin_noop(n: int) -> int:
    return n


class TwinStormActivities:
    """The storm twin's one activity writes one row in the case-file database (same engine)."""

    def __init__(self, engine):
        self.engine = engine

    @activity.defn(name="twin_record")
    def twin_record(self, key: str) -> None:
        from sqlalchemy import text

        with self.engine.begin() as conn:
            conn.execute(text("INSERT OR REPLACE INTO bench_twin_storm (key, stage) VALUES (:k, 'fired')"), {"k": key})


# -- workflows ----------------------------------------------------------------------------------


@workflow.defn(name="TwinLifecycle")
class TwinLifecycle:
    """Same skeleton as ``MineCaseWorkflow``: a lock, updates whose handlers run activities, a main
    loop that runs activities after each input and waits (on a timer when the plan says so)."""

    @workflow.init
    def __init__(self, plan: TwinPlan) -> None:
        self.plan = plan
        self.lock = asyncio.Lock()
        self.accepted = 0  # updates whose handler has run
        self.looped = 0  # updates the main loop has followed up

    @workflow.run
    async def run(self, plan: TwinPlan) -> int:
        async with self.lock:
            await self._acts(plan.initial_acts)
        timer = plan.initial_timer
        while self.looped < len(plan.steps):
            if timer:
                with contextlib.suppress(TimeoutError):  # the timer fired
                    await workflow.wait_condition(lambda: self.looped < self.accepted, timeout=timedelta(days=plan.timer_days))
            else:
                await workflow.wait_condition(lambda: self.looped < self.accepted)
            async with self.lock:
                while self.looped < self.accepted:
                    step = plan.steps[self.looped]
                    await self._acts(step.loop_acts)
                    timer = step.timer
                    self.looped += 1
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self.looped

    @workflow.query
    def settled(self) -> bool:
        return not self.lock.locked() and self.looped == self.accepted

    @workflow.update
    async def act(self, payload: dict) -> dict:
        async with self.lock:
            step = self.plan.steps[self.accepted]
            await self._acts(step.handler_acts)
            self.accepted += 1
            return {"step": self.accepted}

    @act.validator
    def _check_act(self, payload: dict) -> None:
        if self.accepted >= len(self.plan.steps):
            raise ApplicationError("no more steps", non_retryable=True)

    async def _acts(self, n: int) -> None:
        for i in range(n):
            await workflow.execute_activity(twin_noop, i, **ACTIVITY_OPTIONS)


@workflow.defn(name="TwinStorm")
class TwinStorm:
    """A timer to a fixed instant, then one activity writing a row."""

    @workflow.run
    async def run(self, args: TwinStormArgs) -> None:
        await workflow.sleep(args.due - workflow.now())
        await workflow.execute_activity_method(TwinStormActivities.twin_record, args.key, **ACTIVITY_OPTIONS)


@workflow.defn(name="TwinRegistration")
class TwinRegistration:
    """A bare start and its first activity (one row written in the same database), then a wait, as a registered case
    waits for its first input. ``settled`` answers as the case's does: the first activity is done."""

    def __init__(self) -> None:
        self.recorded = False

    @workflow.run
    async def run(self, key: str) -> None:
        await workflow.execute_activity_method(TwinStormActivities.twin_record, key, **ACTIVITY_OPTIONS)
        self.recorded = True
        await workflow.wait_condition(lambda: False)

    @workflow.query
    def settled(self) -> bool:
        return self.recorded
