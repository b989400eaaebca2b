"""The case workflow: one stopped mine, from registration to renewal or cancellation.

It is a thin shell over the pure domain model ``models.case.Case``: every input is an update (one
per verb of ``models.verbs``) whose validator runs the rule on a copy of the case (so a wrong input
is rejected before anything is written), and whose handler applies it, has the due dates computed
by the statutory calendar in an activity, and writes the case file in another. The main loop sleeps until the next instant the
plan gives (a reminder, an expired period, an overdue review) or until an input arrives.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypedDict

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from activities.calendar_activities import CalendarActivities
    from activities.casefile_activities import CaseFileActivities
    from models.case import Case, TimelineEvent
    from models.case.documents import fill_number
    from models.case.offers import allowed_verbs
    from models.case.workflow_io import CaseInput, CaseReceipt
    from models.errors import RuleViolation
    from models.messages import (
        ApplyCancellation,
        ApplyResumeProduction,
        DecideDisposition,
        DecideRenewal,
        Message,
        MoveDeadline,
        ProposeDisposition,
        RecomputeDeadlines,
        RecordReview,
        ReportWorksDone,
        ServeDocument,
        SubmitDocument,
    )
    from models.roles import Actor
    from models.stages import Stage
    from models.views import CaseSync, CaseView
    from workflows import search_attributes as sa


class ActivityOptions(TypedDict):
    """The options every activity of the case runs with (typed, so ``**ACTIVITY_OPTIONS`` is checked)."""

    start_to_close_timeout: timedelta
    retry_policy: RetryPolicy


ACTIVITY_OPTIONS = ActivityOptions(
    start_to_close_timeout=timedelta(seconds=30),
    retry_policy=RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(seconds=30)),
)


class LocalActivityOptions(TypedDict):
    """The options of the case-file writes and due-date computations run as local activities."""

    start_to_close_timeout: timedelta
    schedule_to_close_timeout: timedelta
    retry_policy: RetryPolicy


LOCAL_ACTIVITY_OPTIONS = LocalActivityOptions(
    start_to_close_timeout=timedelta(seconds=30),  # one attempt: SQLite waits 10 s for its lock, then fails
    # retried in the worker for a minute (the workflow task is held, and heartbeated, meanwhile); a case file out of
    # reach for longer falls back to the ordinary activity, whose retries cost no history while they wait
    schedule_to_close_timeout=timedelta(seconds=60),
    retry_policy=RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(seconds=10)),
)


DUE_PROCESS = "due-process-2026-11"
"""The patch that brought due process (``models/case/decisions.py``): cases started before it keep the
2023 rules, so that their histories replay; every case started since runs under due process."""

NAMED_DATES = "named-dates-2026-11-27"
"""The patch that makes a disposition taken after the campaign's fixed dates name its own (legal audit E1). Applied
when a decision comes, so that running cases get it too; a decision already in a history replays as it was."""

ACCEPTANCE_CERTIFICATE = "acceptance-certificate-2026-11-27"
"""The patch that gave acceptance its substance (issue 14): a field acceptance carries its department's checklist of
the acceptance standard (004 附件), and the expert panel's acceptance issues the 验收合格意见书 as a document of the
case. Cases started before keep their rules (their histories replay)."""

LAWFUL_ENFORCEMENT = "lawful-enforcement-2026-11-27"
"""The patch that completed lawful enforcement (``Case.adopt_lawful_enforcement``): each decision issued is
its issuer's to serve and a holder's period counts from service. Cases started before keep their rules."""

DECISION_NOTICES = "decision-notices-2026-11-27"
"""The patch that tells the holder and the township of every decision and service, and makes a refusal say why
(``Case.adopt_decision_notices``, ``models/case/informing.py``). Cases started before keep their notices."""

LOCAL_CASEFILE_WRITES = "local-casefile-writes-2026-11-27"
"""The patch that runs ``record_case``, ``compute_due_dates`` and ``allocate_document_numbers`` as local activities
(issue 16: one marker in the history instead of three activity events and a workflow task). Decided once per case,
when it starts (``Case.local_casefile_writes``, carried over by continue-as-new); cases started before keep ordinary
activities, so that their histories replay."""


def workflow_id_for(permit_no: str) -> str:
    return f"mine-{permit_no}"


@workflow.defn(name="MineCase", sandboxed=False)
class MineCaseWorkflow:
    """Runs outside the SDK's sandbox (issue 16). The sandbox re-imports this module for every case it starts and, for
    every payload of every workflow task, runs a fresh ``exec`` of code inside it to ask for the serialization context:
    a third of the worker's Python time on a lifecycle (profile in docs/benchmarks.md). What it guards is kept otherwise:
    the domain model it runs is pure and already shared across cases (``models`` is passed through), a static check
    (``tests/test_determinism.py``) refuses clocks, randomness, I/O and global state in this module and ``models/``, and
    every recorded history is replayed inside the sandbox in CI (``tests/test_replay.py``), where a call it restricts
    fails the replay."""
    @workflow.init
    def __init__(self, command: CaseInput) -> None:
        if command.carried is not None:  # a new run of a long case: everything was written already
            self.case = command.carried
        else:
            self.case = Case.register(command, workflow.now())
        self.registered_at = self.case.timeline[0].at
        self.lock = asyncio.Lock()
        self.input_arrived = False
        carried = command.carried is not None
        self.events_written = len(self.case.timeline) if carried else 0
        self.notices_written = len(self.case.notices) if carried else 0
        self.carried = carried
        self.written: dict[str, str] = {}  # what the case file holds of each task and deadline
        self.pending_written: dict[str, str] = {}
        self.written_summary: tuple | None = None
        self.search_attributes: tuple | None = None

    def _adopt_the_rules_of_new_cases(self) -> None:
        """A case started (not carried over) takes every rule change since its code was released, in this order
        (each a ``workflow.patched`` marker: cases started before a patch keep the rules they started under)."""
        if workflow.patched(DUE_PROCESS):
            self.case.adopt_due_process(workflow.now())
        if workflow.patched(LAWFUL_ENFORCEMENT):
            self.case.adopt_lawful_enforcement()
        if workflow.patched(DECISION_NOTICES):
            self.case.adopt_decision_notices()
        if workflow.patched(ACCEPTANCE_CERTIFICATE):
            self.case.adopt_acceptance_checklist()
        if workflow.patched(LOCAL_CASEFILE_WRITES):
            self.case.local_casefile_writes = True

    @workflow.run
    async def run(self, command: CaseInput) -> CaseView:
        if command._unsealed and not workflow.unsafe.is_replaying():
            # a case started without the deployment's key (runtime.payloads): nothing was done, nothing is written.
            # Cases started before the codec replay their plaintext input, and pass.
            raise ApplicationError(*UNSEALED_TEXT, type="Unsealed", non_retryable=True)
        if command.carried is None:
            self._adopt_the_rules_of_new_cases()
        async with self.lock:
            await self._settle()
        timer: asyncio.Task | None = None
        timer_at = None
        while not self.case.is_closed:
            alarm = self.case.next_alarm()
            if alarm != timer_at:  # an input that does not move the next alarm keeps the running timer
                if timer is not None:
                    timer.cancel()
                timer, timer_at = None, alarm
                if alarm is not None and alarm > workflow.now():
                    timer = asyncio.ensure_future(workflow.sleep(alarm - workflow.now()))
            self.input_arrived = False
            if alarm is None or alarm > workflow.now():
                await workflow.wait_condition(functools.partial(self._woken, timer))
            if timer is not None and timer.done():
                timer, timer_at = None, None
            async with self.lock:
                self.case.apply_elapsed_time(workflow.now())
                await self._settle()
            if self._should_continue_as_new():
                await workflow.wait_condition(workflow.all_handlers_finished)
                workflow.continue_as_new(command.model_copy(update={"carried": self.case}))
        await workflow.wait_condition(workflow.all_handlers_finished)
        return CaseView.of(self.case, workflow.now())

    # -- queries: read only -------------------------------------------------------------------

    @workflow.query
    def status(self) -> CaseView:
        return CaseView.of(self.case, workflow.now())

    @workflow.query
    def settled(self) -> bool:
        """True when nothing is in progress: no transition half-way, nothing due left undone."""
        alarm = self.case.next_alarm()
        return (not self.lock.locked() and not self.case.pending_due and not self.case.pending_numbers
                and (alarm is None or alarm > workflow.now()))

    @workflow.query
    def timeline(self) -> list[TimelineEvent]:
        return self.case.timeline

    @workflow.query
    def allowed_actions(self, actor: Actor) -> list[str]:
        """The verbs the rules accept now from ``actor`` (forms by stage): each tried as the update's validator
        tries an input, on a copy of the case, with what time has done applied first. Nothing changes."""
        if self.case.is_closed:
            return []
        case = self.case.trial_copy()
        case.passed_dates_named = True  # as the validators check every new decision (NAMED_DATES)
        case.apply_elapsed_time(workflow.now())
        return allowed_verbs(case, actor, workflow.now())

    # -- inputs -------------------------------------------------------------------------------

    @workflow.update
    async def propose_disposition(self, command: ProposeDisposition) -> CaseReceipt:
        return await self._apply(command)

    @propose_disposition.validator
    def _check_propose_disposition(self, command: ProposeDisposition) -> None:
        self._validate(command)

    @workflow.update
    async def decide_disposition(self, command: DecideDisposition) -> CaseReceipt:
        return await self._apply(command)

    @decide_disposition.validator
    def _check_decide_disposition(self, command: DecideDisposition) -> None:
        self._validate(command)

    @workflow.update
    async def submit_document(self, command: SubmitDocument) -> CaseReceipt:
        return await self._apply(command)

    @submit_document.validator
    def _check_submit_document(self, command: SubmitDocument) -> None:
        self._validate(command)

    @workflow.update
    async def report_works_done(self, command: ReportWorksDone) -> CaseReceipt:
        return await self._apply(command)

    @report_works_done.validator
    def _check_report_works_done(self, command: ReportWorksDone) -> None:
        self._validate(command)

    @workflow.update
    async def record_review(self, command: RecordReview) -> CaseReceipt:
        return await self._apply(command)

    @record_review.validator
    def _check_record_review(self, command: RecordReview) -> None:
        self._validate(command)

    @workflow.update
    async def decide_renewal(self, command: DecideRenewal) -> CaseReceipt:
        return await self._apply(command)

    @decide_renewal.validator
    def _check_decide_renewal(self, command: DecideRenewal) -> None:
        self._validate(command)

    @workflow.update
    async def apply_resume_production(self, command: ApplyResumeProduction) -> CaseReceipt:
        return await self._apply(command)

    @apply_resume_production.validator
    def _check_apply_resume_production(self, command: ApplyResumeProduction) -> None:
        self._validate(command)

    @workflow.update
    async def apply_cancellation(self, command: ApplyCancellation) -> CaseReceipt:
        return await self._apply(command)

    @apply_cancellation.validator
    def _check_apply_cancellation(self, command: ApplyCancellation) -> None:
        self._validate(command)

    @workflow.update
    async def move_deadline(self, command: MoveDeadline) -> CaseReceipt:
        return await self._apply(command)

    @move_deadline.validator
    def _check_move_deadline(self, command: MoveDeadline) -> None:
        self._validate(command)

    @workflow.update
    async def serve_document(self, command: ServeDocument) -> CaseReceipt:
        return await self._apply(command)

    @serve_document.validator
    def _check_serve_document(self, command: ServeDocument) -> None:
        self._validate(command)

    @workflow.update
    async def recompute_deadlines(self, command: RecomputeDeadlines) -> CaseReceipt:
        """A holiday schedule was loaded: provisional due dates are computed again; timers follow."""
        async with self.lock:
            requests = self.case.recomputable()
            if requests:
                results = await self._run(CalendarActivities.compute_due_dates, requests)
                for request, deadline in zip(requests, results, strict=True):
                    self.case.recomputed(request.target, deadline, workflow.now())
                await self._settle()
            self.input_arrived = True
            return CaseReceipt.of(self.case, workflow.now())

    @recompute_deadlines.validator
    def _check_recompute_deadlines(self, command: RecomputeDeadlines) -> None:
        if command._unsealed:
            raise _rejection(RuleViolation(*UNSEALED_TEXT))

    # -- machinery ----------------------------------------------------------------------------

    def _woken(self, timer: asyncio.Task | None) -> bool:
        """The run loop's wait is over: an input arrived, or this iteration's timer fired."""
        return self.input_arrived or (timer is not None and timer.done())

    def _should_continue_as_new(self) -> bool:
        """Post-care lasts years: it runs in a fresh history. So does any case Temporal finds too long."""
        if self.case.is_closed or self.lock.locked():
            return False
        entering_post_care = self.case.stage == Stage.post_care and not self.carried
        return entering_post_care or workflow.info().is_continue_as_new_suggested()

    def _validate(self, command: Message) -> None:
        if command._unsealed:  # sent without the deployment's key; validators do not run when a case replays
            raise _rejection(RuleViolation(*UNSEALED_TEXT))
        if self.case.is_closed:
            raise _rejection(RuleViolation("本案已办结", "the case is closed"))
        try:
            case = self.case.trial_copy()
            case.passed_dates_named = True  # validators are not replayed: every new decision is checked (NAMED_DATES)
            case.apply_elapsed_time(workflow.now())
            case.handle(command, workflow.now())
        except RuleViolation as violation:
            raise _rejection(violation) from None

    async def _apply(self, command: Message) -> CaseReceipt:
        async with self.lock:
            if isinstance(command, DecideDisposition) and not self.case.passed_dates_named and workflow.patched(NAMED_DATES):
                self.case.passed_dates_named = True
            self.case.apply_elapsed_time(workflow.now())  # what time has done comes first
            try:
                self.case.handle(command, workflow.now())
            except RuleViolation as violation:  # the state moved between validation and now
                raise _rejection(violation) from None
            await self._settle()
            self.input_arrived = True
            return CaseReceipt.of(self.case, workflow.now())

    async def _settle(self) -> None:
        """Compute the due dates the last transition asked for, write the case file, update search."""
        requests = list(self.case.pending_due)
        if requests:
            results = await self._run(CalendarActivities.compute_due_dates, requests)
            for request, deadline in zip(requests, results, strict=True):
                self.case.fill_due(request.target, deadline)
        numbering = list(self.case.pending_numbers)  # due process: decisions get their 文号 from the register
        if numbering:
            numbers = await self._run(CaseFileActivities.allocate_document_numbers, numbering)
            for number_request, number in zip(numbering, numbers, strict=True):
                fill_number(self.case, number_request.document_id, number)
        now = workflow.now()
        events = self.case.timeline[self.events_written :]
        notices = self.case.notices[self.notices_written :]
        documents = self._changed("document", {d.id: d for d in self.case.documents})  # new, or served since
        sync = CaseSync(
            workflow_id=workflow.info().workflow_id, campaign=self.case.policy.id, permit_no=self.case.permit_no,
            facts=self.case.facts if self.written_summary is None else None,  # facts never change: sent once
            stage=self.case.stage.value, path=self.case.path.value, overdue=self.case.is_overdue(now),
            works=self.case.works, acceptance_date=self.case.acceptance_date,
            business_time=now, registered_at=self.registered_at, events=events,
            deadlines=self._changed("deadline", self.case.deadlines), tasks=self._changed("task", self.case.tasks),
            notices=notices, documents=documents, next_deadline=self._next_deadline_row(),
        )
        summary = (sync.stage, sync.path, sync.overdue, sync.works, sync.acceptance_date, sync.next_deadline)
        if events or notices or documents or sync.deadlines or sync.tasks or summary != self.written_summary:
            await self._run(CaseFileActivities.record_case, sync)
            self.written_summary = summary
        self.written.update(self.pending_written)
        self.pending_written.clear()
        self.events_written += len(events)
        self.notices_written += len(notices)
        self._update_search_attributes()
        if events:
            last = events[-1]
            workflow.logger.info(
                "case moved",
                extra={"permit_no": self.case.permit_no, "stage": self.case.stage.value, "event": last.kind, "clause": last.clause},
            )

    async def _run(self, activity: Callable[..., Any], argument: Any) -> Any:
        """Run one of the case's activities: local for a case started under ``LOCAL_CASEFILE_WRITES`` (falling back to
        the ordinary activity if the case file stays out of reach past the local retries), ordinary otherwise."""
        if self.case.local_casefile_writes:
            try:
                return await workflow.execute_local_activity_method(activity, argument, **LOCAL_ACTIVITY_OPTIONS)
            except ActivityError:
                workflow.logger.warning("local activity gave up; the ordinary activity retries it",
                                        extra={"permit_no": self.case.permit_no})
        return await workflow.execute_activity_method(activity, argument, **ACTIVITY_OPTIONS)

    def _changed(self, kind: str, parts: dict[str, Any]) -> list[Any]:
        """Tasks or deadlines that differ from what the case file holds: only those are sent."""
        changed = []
        for key, part in parts.items():
            text = part.model_dump_json()
            if self.written.get(f"{kind}:{key}") != text:
                self.pending_written[f"{kind}:{key}"] = text
                changed.append(part)
        return changed

    def _next_deadline_row(self) -> tuple[str, str] | None:
        nearest = self.case.next_deadline()  # an open deadline: its due date is known
        return (nearest.kind, nearest.deadline.last_day.isoformat()) if nearest and nearest.deadline else None

    def _update_search_attributes(self) -> None:
        nearest = self.case.next_deadline()
        values = (self.case.stage.value, self.case.path.value, self.case.is_overdue(workflow.now()),
                  nearest.deadline.overdue_from if nearest and nearest.deadline else None)
        if values == self.search_attributes:
            return  # an upsert is an event in the history: only when something changed
        self.search_attributes = values
        stage, path, overdue, next_deadline = values
        workflow.upsert_search_attributes(
            [
                sa.MINE_STAGE.value_set(stage),
                sa.CASE_PATH.value_set(path),
                sa.OVERDUE.value_set(overdue),
                sa.NEXT_DEADLINE.value_set(next_deadline) if next_deadline else sa.NEXT_DEADLINE.value_unset(),
            ]
        )


UNSEALED_TEXT = ("未使用本系统密钥签封的输入，已拒绝", "an input not sealed with this deployment's payload key is refused")


def _rejection(violation: RuleViolation) -> ApplicationError:
    return ApplicationError(violation.message, {"zh": violation.zh, "en": violation.en}, type="RuleViolation", non_retryable=True)
