"""A rule change shipped while cases run: a rolling upgrade of the worker on one task queue (docs/upgrades.md).

The "old release" is today's ``MineCaseWorkflow``. The "new release" is ``NextRelease`` below: the same workflow
(registered under the same name, ``MineCase``) whose ``_adopt_the_rules_of_new_cases`` adopts one more rule change
behind its own ``workflow.patched`` marker, as a real rule change is shipped: a fortnight's reminder (14 days before a
last day) beside the campaign's 30, 7 and 1 days. It changes what a case records (a ``reminder_14d`` notice in the
case file) and nothing else.

The drill, once for the module, on the session's real dev server (time skipping) and case file, on a task queue of
its own:

1. a worker of the old release runs; two cases are registered and approved to continue, and their clocks moved to
   2030-09-01, inside the six months of rectification and before any reminder;
2. the old worker is shut down gracefully while those cases run (they wait on their timers), and a worker of the
   new release starts on the same queue;
3. two more cases are registered and driven to the same point, now under the new release;
4. all four are driven, on the new worker, through their reminders (to 2030-10-07 12:00, after the one-day
   reminder and before the period runs out) and then to production resumed.

The old cases replay their histories on the new worker when it first meets them (nothing of theirs is cached
there): the new release's ``workflow.patched`` answers False for them, since their histories have no marker, so
they keep their old rule; the new cases record the marker and take the new rule.
"""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from temporalio import workflow

with workflow.unsafe.imports_passed_through():  # the replayer's sandbox imports this module again
    import pytest
    from temporalio.api.enums.v1 import EventType
    from temporalio.client import Client, WorkflowHistory
    from temporalio.worker import Replayer

    from models.views import CaseView
    from tests.drill import Drill, cst
    from worker import build_worker
    from workflows.case_workflow import CaseInput, MineCaseWorkflow

QUEUE = "minecase-upgrade-drill"
UPGRADE_DRILL = "upgrade-drill-fortnight-reminder"
"""The new release's rule change (a drill's; no product code knows it)."""

OLD_REMINDERS = {"reminder_30d", "reminder_7d", "reminder_1d"}  # shanggao-2023's reminder_offsets_days
NEW_REMINDER = "reminder_14d"

PARTWAY = cst(2030, 9, 1, 10, 0)  # six months from service on 2030-04-01 end on 2030-10-08: first reminder 2030-09-08
AFTER_THE_REMINDERS = cst(2030, 10, 7, 12, 0)  # the one-day reminder is at 2030-10-07 09:00; overdue from 10-09 00:00

pytestmark = pytest.mark.timeout(600)


@workflow.defn(name="MineCase")
class NextRelease(MineCaseWorkflow):
    """The next release: every rule of today's, and one more for the cases it starts."""

    def _adopt_the_rules_of_new_cases(self) -> None:
        super()._adopt_the_rules_of_new_cases()
        if workflow.patched(UPGRADE_DRILL):
            offsets = sorted({*self.case.policy.reminder_offsets_days, 14}, reverse=True)
            self.case.policy = self.case.policy.model_copy(update={"reminder_offsets_days": offsets})

    @workflow.run
    async def run(self, command: CaseInput) -> CaseView:  # the SDK wants the run method on the registered class
        return await super().run(command)


@dataclass
class Upgrade:
    client: Client
    old: list[Drill]  # started on the old release
    new: list[Drill]  # started on the new release
    results: dict[str, CaseView]  # workflow id → the workflow's result
    histories: dict[str, WorkflowHistory]


async def _start(worker) -> asyncio.Task:
    return asyncio.create_task(worker.run())


async def _to_partway(drill: Drill) -> None:
    await drill.approve_continuation()  # registered, proposed, approved on 2030-04-01, the notice served that day
    await drill.advance_to(PARTWAY)


async def _to_the_end(drill: Drill) -> CaseView:
    await drill.advance_to(AFTER_THE_REMINDERS)
    await drill.complete_rectification()
    return await drill.renew_and_resume()


@pytest.fixture(scope="module")
async def upgrade(client, engine) -> Upgrade:
    old_release = build_worker(client, engine, QUEUE, ThreadPoolExecutor(max_workers=8))
    running = await _start(old_release)
    try:
        old = [Drill(client, engine, QUEUE) for _ in range(2)]
        await asyncio.gather(*(_to_partway(d) for d in old))
        for drill in old:
            assert (await drill.status()).stage == "rectifying"
    finally:
        await old_release.shutdown()  # graceful: what it is doing finishes, then it leaves the queue
        await asyncio.gather(running, return_exceptions=True)

    new_release = build_worker(client, engine, QUEUE, ThreadPoolExecutor(max_workers=8), case_workflow=NextRelease)
    running = await _start(new_release)
    try:
        new = [Drill(client, engine, QUEUE) for _ in range(2)]
        await asyncio.gather(*(_to_partway(d) for d in new))
        ends = await asyncio.gather(*(_to_the_end(d) for d in old + new))
    finally:
        await new_release.shutdown()
        await asyncio.gather(running, return_exceptions=True)
    drills = old + new
    histories = {d.workflow_id: await client.get_workflow_handle(d.workflow_id).fetch_history() for d in drills}
    return Upgrade(client, old, new, {d.workflow_id: end for d, end in zip(drills, ends, strict=True)}, histories)


def _reminders(drill: Drill) -> set[str]:
    return {kind for kind, _ in drill.filed_notices("reminder_")}


def _patches(history: WorkflowHistory) -> set[str]:
    """The ``workflow.patched`` markers a history recorded (their ids). The SDK's core writes them itself, as plain
    JSON (``{"id": ..., "deprecated": ...}``), past the data converter."""
    found = set()
    for event in history.events:
        if event.event_type == EventType.EVENT_TYPE_MARKER_RECORDED:
            attrs = event.marker_recorded_event_attributes
            if attrs.marker_name == "core_patch":
                found.add(json.loads(attrs.details["patch-data"].payloads[0].data)["id"])
    return found


async def test_cases_started_before_a_rule_change_finish_under_their_old_rules_on_the_new_worker(upgrade):
    for drill in upgrade.old:
        assert upgrade.results[drill.workflow_id].stage == "production_resumed"
        assert _reminders(drill) == OLD_REMINDERS, drill.workflow_id
        assert UPGRADE_DRILL not in _patches(upgrade.histories[drill.workflow_id])


async def test_cases_started_after_a_rule_change_take_the_new_rule(upgrade):
    for drill in upgrade.new:
        assert upgrade.results[drill.workflow_id].stage == "production_resumed"
        assert _reminders(drill) == OLD_REMINDERS | {NEW_REMINDER}, drill.workflow_id
        # fourteen days before the last day of the six months (2030-10-08), at 09:00 China time
        assert (NEW_REMINDER, cst(2030, 9, 24, 9, 0)) in drill.filed_notices(NEW_REMINDER)
        assert UPGRADE_DRILL in _patches(upgrade.histories[drill.workflow_id])


async def test_no_workflow_task_fails_across_the_rolling_upgrade(upgrade):
    for workflow_id, history in upgrade.histories.items():
        failed = [e for e in history.events if e.event_type in (EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED,
                                                                EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT)]
        assert not failed, f"{workflow_id}: {[EventType.Name(e.event_type) for e in failed]}"


async def test_histories_from_both_sides_of_the_upgrade_replay_on_the_new_release(upgrade):
    replayer = Replayer(workflows=[NextRelease], data_converter=upgrade.client.data_converter)
    for drill in (upgrade.old[0], upgrade.new[0]):
        await replayer.replay_workflow(upgrade.histories[drill.workflow_id])  # raises on any non-determinism


async def test_a_history_begun_on_the_old_release_and_finished_on_the_new_still_replays_on_the_old_release(upgrade):
    replayer = Replayer(workflows=[MineCaseWorkflow], data_converter=upgrade.client.data_converter)
    await replayer.replay_workflow(upgrade.histories[upgrade.old[0].workflow_id])


async def test_a_case_started_under_the_new_rule_cannot_be_rolled_back_to_the_old_release(upgrade):
    """Why upgrades only go forward (docs/upgrades.md), and proof that the replays above can fail: the old release,
    meeting a new case's history, wakes at its fortnight reminder with nothing to do and issues other commands."""
    replayer = Replayer(workflows=[MineCaseWorkflow], data_converter=upgrade.client.data_converter)
    result = await replayer.replay_workflow(upgrade.histories[upgrade.new[0].workflow_id], raise_on_replay_failure=False)
    assert result.replay_failure is not None
