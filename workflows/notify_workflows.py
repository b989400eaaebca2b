"""Delivering notices as durable work, outside the case workflow (issue 13): the case workflow and its
recorded histories do not change.

- ``NoticeDelivery`` (id ``notice-<notice id>``): one ``send_notice`` per delivery of the notice, each
  retried with backoff (10 s doubling to 10 minutes, for up to 2 days: a channel down for an hour loses
  nothing); a delivery whose retries run out is recorded ``failed``. Started by ``record_case`` after it
  commits, and by the sweeper; a second start of the same id is refused, which is what makes it idempotent.
- ``NoticeDigest`` (id ``digest-<owner>-<channel>``): sleeps until the subscriber's hour (China time),
  sends one message with the day's notices, and continues as new: once a day at most.
- ``NoticeSweeper`` (id ``notice-sweeper-<task queue>``): every 5 minutes starts what was queued and never started.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from datetime import timedelta

from pydantic import BaseModel
from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from activities.notify_activities import DigestRequest, NotifyActivities
    from models.notify import next_digest_at

RETRY_CAP = timedelta(minutes=10)
GIVE_UP_AFTER = timedelta(days=2)
QUICK = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(seconds=30))


def delivery_retry(first_wait_seconds: float) -> RetryPolicy:
    return RetryPolicy(initial_interval=timedelta(seconds=first_wait_seconds), backoff_coefficient=2.0, maximum_interval=RETRY_CAP,
                       non_retryable_error_types=["Permanent"])


class DeliveryInput(BaseModel):
    notice_id: str
    retry_seconds: float = 10.0


@workflow.defn(name="NoticeDelivery")
class NoticeDeliveryWorkflow:
    @workflow.run
    async def run(self, request: DeliveryInput) -> dict[str, str]:
        keys = await workflow.execute_activity_method(NotifyActivities.deliveries_due, request.notice_id,
                                                      start_to_close_timeout=timedelta(seconds=30), retry_policy=QUICK)
        outcomes = await asyncio.gather(*[self._deliver(key, request.retry_seconds) for key in keys])
        return dict(zip(keys, outcomes, strict=True))

    async def _deliver(self, key: str, retry_seconds: float) -> str:
        try:
            return await workflow.execute_activity_method(
                NotifyActivities.send_notice, key, start_to_close_timeout=timedelta(seconds=60),
                schedule_to_close_timeout=GIVE_UP_AFTER, retry_policy=delivery_retry(retry_seconds))
        except ActivityError as error:
            reason = str(error.cause or error)
            await workflow.execute_activity_method(NotifyActivities.give_up, args=[key, reason],
                                                   start_to_close_timeout=timedelta(seconds=30), retry_policy=QUICK)
            return f"failed: {reason}"


class DigestInput(BaseModel):
    owner: str
    channel: str
    last_day: dt.date | None = None
    retry_seconds: float = 10.0


@workflow.defn(name="NoticeDigest")
class NoticeDigestWorkflow:
    @workflow.run
    async def run(self, request: DigestInput) -> None:
        hour = await workflow.execute_activity_method(NotifyActivities.digest_hour, args=[request.owner, request.channel],
                                                      start_to_close_timeout=timedelta(seconds=30), retry_policy=QUICK)
        if hour is None:
            return  # no longer subscribed to a digest
        at = next_digest_at(workflow.now(), hour, request.last_day)
        await workflow.sleep(at - workflow.now())
        day = at.date()
        with contextlib.suppress(ActivityError):  # given up: the day's notices stay queued, tomorrow's digest carries them
            await workflow.execute_activity_method(
                NotifyActivities.send_digest, DigestRequest(owner=request.owner, channel=request.channel, day=day),
                start_to_close_timeout=timedelta(seconds=60), schedule_to_close_timeout=timedelta(hours=20),
                retry_policy=delivery_retry(request.retry_seconds))
        workflow.continue_as_new(DigestInput(owner=request.owner, channel=request.channel, last_day=day,
                                             retry_seconds=request.retry_seconds))


class SweepInput(BaseModel):
    retry_seconds: float = 10.0
    every_seconds: float = 300.0
    rounds: int = 0


@workflow.defn(name="NoticeSweeper")
class NoticeSweeperWorkflow:
    @workflow.run
    async def run(self, request: SweepInput) -> None:
        while True:
            await workflow.execute_activity_method(NotifyActivities.sweep, 60.0, start_to_close_timeout=timedelta(minutes=2),
                                                   retry_policy=QUICK)
            request.rounds += 1
            await workflow.sleep(timedelta(seconds=request.every_seconds))
            if request.rounds % 100 == 0 or workflow.info().is_continue_as_new_suggested():
                workflow.continue_as_new(request)
