"""Case operations over Temporal (inputs, live status) and the case file (lists, history)."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any, Literal, overload

from pydantic import BaseModel
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from temporalio.client import (
    Client,
    WorkflowExecutionStatus,
    WorkflowHandle,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.common import SearchAttributePair, TypedSearchAttributes, WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError, FailureError, WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from casefile.tables import CaseRecord, DeadlineRecord, NoticeRecord, TaskRecord, TimelineRecord
from casefile.times import from_db
from models.bounds import echo
from models.calendar import CST
from models.case import Case
from models.case.workflow_io import CaseReceipt
from models.errors import MinecaseError
from models.messages import Message, MineFacts, RecomputeDeadlines
from models.policy import CampaignPolicy
from models.roles import Actor
from models.verbs import VERB_LIST, VERBS_BY_NAME
from models.views import CaseView
from runtime.temporal import fast_forward, time_skipping_enabled
from workflows import search_attributes as sa
from workflows.case_workflow import CaseInput, MineCaseWorkflow, workflow_id_for


class CaseNotFound(MinecaseError):
    pass


class InputRejected(MinecaseError):
    """A rule of the plan refused the input; the case is unchanged."""


class SimulationOnly(MinecaseError):
    """Time can be moved in a drill only: the deployment is production (nothing was moved)."""


class TooLargeForCase(MinecaseError):
    """Temporal refused an input over its payload limit (422): nothing reached the case."""


class DateTooFar(MinecaseError):
    """A last day further ahead than any period of the plan could need (422): refused before it reaches the case."""


YEARS_AHEAD = 10
"""How far ahead a deadline may be moved or named: a collective decision (五.3) or a late disposition."""


def check_days_ahead(message: Message, today: dt.date) -> None:
    """Refuse (``DateTooFar``) a ``move_deadline``'s new last day, or a disposition's named last day, more than
    ``YEARS_AHEAD`` years after ``today``: 9999-12-31 used to reach the case and fail there with Python's
    "date value out of range" (review finding 19)."""
    days = [getattr(message, "new_last_day", None), *(getattr(message, "deadlines", None) or {}).values()]
    try:
        limit = today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        limit = today.replace(year=today.year + YEARS_AHEAD, day=28)
    for day in days:
        if isinstance(day, dt.date) and day > limit:
            raise DateTooFar(f"日期 {day} 过远：期限最迟可定在今天起 {YEARS_AHEAD} 年内（{limit}）",
                             f"{day} is too far ahead: a last day is at most {YEARS_AHEAD} years from today ({limit})")


# Each verb: the workflow update of its name (models/verbs.py is the registry). The CLI and the API
# route inputs through this table.
VERBS = {verb.name: getattr(MineCaseWorkflow, verb.name) for verb in VERB_LIST}


UPDATE_ATTEMPTS = 10  # each waits about a minute for a worker to take the input
MAX_MESSAGE_BYTES = 256 * 1024
"""The largest input sent to a case. Temporal refuses payloads over 2 MB, and a case repeats what it is sent in its
timeline and its answer: an input the server accepts can still leave the worker unable to complete the case's
workflow task (review finding 3). The messages' own limits keep every input far below this."""


class Registration(BaseModel):
    permit_no: str
    workflow_id: str
    created: bool


async def register_case(
    client: Client, engine: Engine, task_queue: str, facts: MineFacts, policy: CampaignPolicy, actor: Actor,
    on: dt.date | None = None,
) -> Registration:
    """Open the case of a mine (registered ``on`` a past day when a running campaign is taken in). The same
    permit number never makes a second case; a date that cannot be is refused before anything starts."""
    workflow_id = workflow_id_for(facts.permit_no)
    command = CaseInput(facts=facts, policy=policy, registered_by=actor, on=on)
    Case.check_registration(command, dt.datetime.now(dt.UTC))
    with Session(engine) as session:
        if session.get(CaseRecord, facts.permit_no) is not None:
            return Registration(permit_no=facts.permit_no, workflow_id=workflow_id, created=False)
    try:
        await client.start_workflow(
            MineCaseWorkflow.run,
            command,
            id=workflow_id,
            task_queue=task_queue,
            # A running or closed case of this permit refuses the start: exactly one case per mine.
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            id_conflict_policy=WorkflowIDConflictPolicy.FAIL,
            search_attributes=TypedSearchAttributes(
                [
                    SearchAttributePair(sa.MINE_STAGE, "registered"),
                    SearchAttributePair(sa.TOWNSHIP, facts.township),
                    SearchAttributePair(sa.CASE_PATH, "undecided"),
                    SearchAttributePair(sa.CAMPAIGN, policy.id),
                    SearchAttributePair(sa.OVERDUE, False),
                    SearchAttributePair(sa.COUNTY, policy.county),
                ]
            ),
        )
    except WorkflowAlreadyStartedError:
        return Registration(permit_no=facts.permit_no, workflow_id=workflow_id, created=False)
    return Registration(permit_no=facts.permit_no, workflow_id=workflow_id, created=True)


def task_on_file(engine: Engine, permit_no: str, task_id: str) -> bool:
    """Whether the case file knows this task of this case (open or decided)."""
    with Session(engine) as session:
        task = session.get(TaskRecord, task_id)
        return task is not None and task.permit_no == permit_no


def handle_for(client: Client, permit_no: str) -> WorkflowHandle:
    return client.get_workflow_handle_for(MineCaseWorkflow.run, workflow_id_for(permit_no.strip().upper()))


@overload
async def act(client: Client, permit_no: str, verb: str, message: Message) -> CaseView: ...


@overload
async def act(client: Client, permit_no: str, verb: str, message: Message, *, view: Literal[True]) -> CaseView: ...


@overload
async def act(client: Client, permit_no: str, verb: str, message: Message, *, view: Literal[False]) -> CaseReceipt: ...


async def act(client: Client, permit_no: str, verb: str, message: Message, *, view: bool = True) -> CaseView | CaseReceipt:
    """Send one person's input to a case. Rejected inputs raise ``InputRejected`` and change nothing.

    Answers the case as it stands after the input (``CaseView``, read with the ``status`` query), or, with
    ``view=False``, the update's own receipt (stage, last timeline entry, open task and document ids): for a caller that
    shows no view (the desk's form redirects to the case page, which reads it anyway; a batch reads once per batch), it
    spares a query, that is a workflow task on a worker, per input (issue 16)."""
    _check_input(verb, message)
    handle = handle_for(client, permit_no)
    # One id for every try: Temporal applies an update id once, so waiting out a worker restart
    # (the wait for the result times out) and asking again can never act twice.
    update_id = update_id_for(message, verb)
    attempt = 1
    try:
        while True:
            try:
                # the update answers a small receipt (or, asked again for an input applied before issue 16, a view):
                # the case as it stands after it is read with the status query, unless the input closed it (the
                # receipt then carries the view: a closed case would replay its whole history to answer a query)
                answer = await handle.execute_update(VERBS[verb], message, id=update_id)
                if not view:
                    return _receipt_in(answer)
                answered = _view_in(answer)
                if answered is not None:
                    return answered
                break
            except WorkflowUpdateRPCTimeoutOrCancelledError:
                if attempt >= UPDATE_ATTEMPTS:
                    raise
                attempt += 1
            except RPCError as error:
                # A workflow task that timed out under load (a worker that just restarted replays its cases) is retried
                # by the server; the same update id asked again is applied once.
                if "Workflow Task in failed state" not in str(error) or attempt >= UPDATE_ATTEMPTS:
                    raise
                attempt += 1
                await asyncio.sleep(2.0 * attempt)
    except WorkflowUpdateFailedError as failure:
        cause = failure.cause
        if isinstance(cause, ApplicationError) and cause.details and isinstance(cause.details[0], dict):
            raise InputRejected(cause.details[0].get("zh", cause.message), cause.details[0].get("en", cause.message)) from None
        # an update fails with a Temporal failure as its cause (it carries the message)
        text = cause.message if isinstance(cause, FailureError) else str(cause or failure)
        raise InputRejected(text, text) from None
    except RPCError as error:
        raise _too_large_or(error) or _not_found_or(error, permit_no) from None
    return await _status_after_act(client, permit_no)


async def _status_after_act(client: Client, permit_no: str) -> CaseView:
    """The case as it stands after an input it has applied. A query needs a worker: when the worker that applied the
    input has just died, the query times out until another takes the case, so it is asked again (as the update is)
    instead of reporting an applied input as failed."""
    attempt = 1
    while True:
        try:
            return await live_status(client, permit_no)
        except RPCError as error:
            waiting = error.status in (RPCStatusCode.DEADLINE_EXCEEDED, RPCStatusCode.CANCELLED) or "Timeout" in str(error)
            if not waiting or attempt >= UPDATE_ATTEMPTS:
                raise
            attempt += 1
            await asyncio.sleep(1.0)


def _check_input(verb: str, message: Message) -> None:
    if verb not in VERBS:
        raise InputRejected(f"未知操作 {echo(verb)}", f"unknown action {echo(verb)}")
    if not isinstance(message, VERBS_BY_NAME[verb].message):
        raise InputRejected(f"操作 {verb} 的内容有误", f"{verb} takes a {VERBS_BY_NAME[verb].message.__name__}")
    if len(message.model_dump_json().encode()) > MAX_MESSAGE_BYTES:
        raise too_large()
    check_days_ahead(message, dt.datetime.now(CST).date())


def _view_in(answer: Any) -> CaseView | None:
    """The view an update answered: an input applied before issue 16 answered the whole view; a receipt carries it
    only when the input closed the case."""
    if isinstance(answer, dict) and "open_tasks" not in answer:
        return CaseView.model_validate(answer)
    if isinstance(answer, dict) and answer.get("view"):
        return CaseView.model_validate(answer["view"])
    return None


def _receipt_in(answer: Any) -> CaseReceipt:
    """The receipt an update answered; an input applied before issue 16 answered the whole view, read as a receipt."""
    if isinstance(answer, dict) and "open_tasks" not in answer:
        shown = CaseView.model_validate(answer)
        return CaseReceipt(stage=shown.stage, seq=0, open_tasks=[t.id for t in shown.tasks if t.is_open],
                           documents=[d.id for d in shown.documents], view=shown)
    return CaseReceipt.model_validate(answer)


def update_id_for(message: Message | RecomputeDeadlines, verb: str) -> str:
    """The Temporal update id of an input: the sender, the verb and the client's ``request_id`` (a fresh id without
    one). A resend by the same person of the same verb is applied once; another person's or another verb's input
    with the same ``request_id`` is its own update, never answered with the first one's result."""
    if not message.request_id:
        return str(uuid.uuid4())
    actor = message.actor
    unit = actor.department.value if actor.department else (actor.township or "")
    return f"{actor.role.value}/{unit}/{actor.name}:{verb}:{message.request_id}"


def too_large() -> TooLargeForCase:
    return TooLargeForCase("输入内容过大，案件服务无法接收，请缩短后再试",
                           "the input is larger than the case service accepts; shorten it and try again")


def _too_large_or(error: RPCError) -> TooLargeForCase | None:
    """Temporal's refusal of a payload over its size limit, as a 422 (else ``None``)."""
    text = str(error).lower()
    if error.status in (RPCStatusCode.INVALID_ARGUMENT, RPCStatusCode.RESOURCE_EXHAUSTED) and (
            "size" in text or "limit" in text or "larger" in text):
        return too_large()
    return None


async def live_status(client: Client, permit_no: str) -> CaseView:
    try:
        return await handle_for(client, permit_no).query(MineCaseWorkflow.status)
    except RPCError as error:
        raise _not_found_or(error, permit_no) from None


async def allowed_actions(client: Client, permit_no: str, actor: Actor) -> list[str]:
    """The verb codes the rules of the case accept now from ``actor`` (the workflow's ``allowed_actions`` query)."""
    try:
        return await handle_for(client, permit_no).query(MineCaseWorkflow.allowed_actions, actor)
    except RPCError as error:
        raise _not_found_or(error, permit_no) from None


def _not_found_or(error: RPCError, permit_no: str) -> Exception:
    if error.status == RPCStatusCode.NOT_FOUND:
        return CaseNotFound(f"没有采矿许可证号为 {echo(permit_no)} 的案件", f"no case for permit {echo(permit_no)}")
    return error


async def recompute_all(client: Client, actor: Actor) -> int:
    """After a holiday schedule is loaded: every running case recomputes its provisional dates."""
    count = 0
    async for execution in client.list_workflows("WorkflowType = 'MineCase' AND ExecutionStatus = 'Running'"):
        handle = client.get_workflow_handle(execution.id)
        try:
            await handle.execute_update(MineCaseWorkflow.recompute_deadlines, RecomputeDeadlines(actor=actor))
        except (RPCError, WorkflowUpdateFailedError):
            continue  # closed since the search index listed it: nothing left to recompute
        count += 1
    return count


DRILL_ONLY = ("只有演练可以推进时间（minecase up --drill 或 --demo 启动的部署）；正式部署的时间不能推进",
              "time can be advanced in a drill only (a deployment started with minecase up --drill or --demo); "
              "a production deployment's clock cannot be moved")


async def simulate_advance(client: Client, drill: bool, days: int, permit_no: str | None = None,
                           progress: Callable[[int, int], None] | None = None) -> list[str]:
    """Drills and demos: move one case, or every running case, forward by ``days`` of virtual time (``progress``: told
    the cases done and their number after each).

    ``drill``: what the deployment's case file says (``casefile.deployment``), never the caller's
    environment. The server is asked too: a production server does not skip time, and nothing is moved."""
    if not drill:
        raise SimulationOnly(*DRILL_ONLY)
    if days <= 0 or days > 3650:
        raise InputRejected("天数应为 1 到 3650", "days must be between 1 and 3650")
    if not await time_skipping_enabled(client):
        raise SimulationOnly(*DRILL_ONLY)
    if permit_no:
        ids = [workflow_id_for(permit_no.strip().upper())]
    else:
        ids = [e.id async for e in client.list_workflows("WorkflowType = 'MineCase' AND ExecutionStatus = 'Running'")]
    for done, workflow_id in enumerate(ids, start=1):
        try:
            await fast_forward(client, workflow_id, timedelta(days=days))
            await wait_settled(client, workflow_id)
        except RPCError as error:
            if error.status == RPCStatusCode.UNIMPLEMENTED:
                raise SimulationOnly(*DRILL_ONLY) from None
            raise _not_found_or(error, permit_no or workflow_id) from None
        if progress:
            progress(done, len(ids))
    return ids


async def wait_settled(client: Client, workflow_id: str, timeout: float = 60.0) -> None:
    """Wait until a case has finished what its clock made due (activities run in real time)."""
    handle = client.get_workflow_handle(workflow_id)
    loop = asyncio.get_running_loop()
    give_up = loop.time() + timeout
    while True:
        description = await handle.describe()
        if description.status != WorkflowExecutionStatus.RUNNING:
            return
        if await handle.query(MineCaseWorkflow.settled):
            return
        if loop.time() > give_up:
            raise TimeoutError(f"{workflow_id} did not settle in {timeout} s")
        await asyncio.sleep(0.05)


# --- reads from the case file ---------------------------------------------------------------


def case_history(engine: Engine, permit_no: str) -> dict[str, Any]:
    """The full record of a case from the case file: it outlives Temporal's retention."""
    permit_no = permit_no.strip().upper()
    with Session(engine) as session:
        case = session.get(CaseRecord, permit_no)
        if case is None:
            raise CaseNotFound(f"没有采矿许可证号为 {permit_no} 的案件", f"no case for permit {permit_no}")
        events = session.exec(select(TimelineRecord).where(TimelineRecord.permit_no == permit_no).order_by(col(TimelineRecord.seq))).all()
        deadlines = session.exec(select(DeadlineRecord).where(DeadlineRecord.permit_no == permit_no)).all()
        tasks = session.exec(select(TaskRecord).where(TaskRecord.permit_no == permit_no)
                             .order_by(col(TaskRecord.opened_at), col(TaskRecord.id))).all()
        notices = session.exec(select(NoticeRecord).where(NoticeRecord.permit_no == permit_no)
                               .order_by(col(NoticeRecord.at), col(NoticeRecord.id))).all()
        return {
            "case": case.model_dump(mode="json"),
            "timeline": [{**e.model_dump(mode="json"), "at": _cst(e.at),
                          "effective_on": (e.effective_on or e.at.replace(tzinfo=e.at.tzinfo or dt.UTC).astimezone(CST).date()).isoformat(),
                          "recorded_at": _cst(e.recorded_at or e.at)} for e in events],
            "deadlines": [{**d.model_dump(mode="json"), "overdue_from": _cst(d.overdue_from)} for d in deadlines],
            "tasks": [{**t.model_dump(mode="json"), "opened_at": _cst(t.opened_at), "decided_at": _cst(t.decided_at)} for t in tasks],
            "notices": [{**n.model_dump(mode="json"), "at": _cst(n.at)} for n in notices],
        }


def _cst(stored: dt.datetime | None) -> str | None:
    value = from_db(stored)
    return value.isoformat() if value else None


def inbox(engine: Engine, *, department: str | None = None, township: str | None = None, open_only: bool = True) -> list[TaskRecord]:
    with Session(engine) as session:
        query = select(TaskRecord)
        if department:
            query = query.where(TaskRecord.department == department)
        if township:
            query = query.where(TaskRecord.township == township)
        if open_only:
            query = query.where(TaskRecord.status == "open")
        return list(session.exec(query.order_by(col(TaskRecord.due), col(TaskRecord.id))))
