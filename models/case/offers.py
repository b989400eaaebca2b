"""Forms by stage: the verbs the rules accept now from one person (issue 12, item 2).

Nothing here restates a rule. For each verb the actor's role may send (``models.verbs``), a representative
input is built from the state — the first open task of the actor, each item still owed, each unserved
document, each running deadline … — and sent through the real rules (``Case.handle``: role, then the
verb's own guards) on a copy of the case. A verb is offered when one such input is accepted; the case
itself never changes.

One offer is narrower than the rules: a township records the service only of what it issued itself (its
referral, ``documents.ISSUER``) on its own mine, as its service task says; the rules accept service from
whoever records it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

from models.case import Case
from models.case.documents import ISSUER
from models.case.parts import business_date
from models.case.state import CaseState
from models.errors import RuleViolation
from models.kinds import DeadlineKind, DocumentKind
from models.messages import (
    ApplyCancellation,
    ApplyResumeProduction,
    DecideDisposition,
    DecideRenewal,
    Message,
    MoveDeadline,
    ProposeDisposition,
    RecordReview,
    ReportWorksDone,
    ServeDocument,
    SubmitDocument,
)
from models.roles import Actor, Role
from models.verbs import VERB_LIST

REASON = "（试算 trial input）"
"""The text a trial input carries where the rules want one (a reason, a meeting): never recorded."""


def allowed_verbs(case: CaseState, actor: Actor, now: dt.datetime) -> list[str]:
    """The verb codes (in the registry's order) the rules accept now from ``actor``; the case is not changed."""
    if case.is_closed:
        return []
    return [verb.name for verb in VERB_LIST
            if actor.role in verb.roles and any(accepted(case, command, now) for command in trial_inputs(verb.name, case, actor, now))]


def accepted(case: CaseState, command: Message, now: dt.datetime) -> bool:
    """Whether the rules accept ``command`` now (tried on a deep copy of the case)."""
    trial = Case.model_validate(case.model_dump()) if not isinstance(case, Case) else case.model_copy(deep=True)
    try:
        trial.handle(command, now)
    except RuleViolation:
        return False
    return True


def submittable_items(case: CaseState, actor: Actor, now: dt.datetime) -> list[str]:
    """The documents (approval item codes, or ``restoration_plan``) the rules accept from ``actor`` now."""
    return [c.item for c in _submit(case, actor) if accepted(case, c, now)]


def trial_inputs(verb: str, case: CaseState, actor: Actor, now: dt.datetime) -> Iterator[Message]:
    """Representative inputs of ``verb`` from ``actor``, built from the state of the case."""
    yield from TRIALS[verb](case, actor, now)


def _propose(case: CaseState, actor: Actor, now: dt.datetime) -> Iterator[Message]:
    yield ProposeDisposition(actor=actor, path="cancel")
    yield ProposeDisposition(actor=actor, path="continue", reason=REASON)


def _decide(case: CaseState, actor: Actor, now: dt.datetime) -> Iterator[Message]:
    yield DecideDisposition(actor=actor, approve=False, comment=REASON)  # sending back is always the county's to do


def _submit_any(case: CaseState, actor: Actor, now: dt.datetime) -> Iterator[Message]:
    yield from _submit(case, actor)


def _report(case: CaseState, actor: Actor, now: dt.datetime) -> Iterator[Message]:
    yield ReportWorksDone(actor=actor)
    yield ReportWorksDone(actor=actor, scope="unused_zones")


def _review(case: CaseState, actor: Actor, now: dt.datetime) -> Iterator[Message]:
    for task in case.open_tasks():
        yield RecordReview(actor=actor, task_id=task.id, approved=True)
        yield RecordReview(actor=actor, task_id=task.id, approved=False, comment=REASON)  # declining, with its reason


def _renewal(case: CaseState, actor: Actor, now: dt.datetime) -> Iterator[Message]:
    yield DecideRenewal(actor=actor, approve=False, comment=REASON)


def _resume(case: CaseState, actor: Actor, now: dt.datetime) -> Iterator[Message]:
    yield ApplyResumeProduction(actor=actor)


def _cancel(case: CaseState, actor: Actor, now: dt.datetime) -> Iterator[Message]:
    yield ApplyCancellation(actor=actor)


def _move(case: CaseState, actor: Actor, now: dt.datetime) -> Iterator[Message]:
    today = business_date(now)
    for tracked in case.open_deadlines():
        assert tracked.deadline is not None
        new = max(tracked.deadline.last_day, today) + dt.timedelta(days=1)
        yield MoveDeadline(actor=actor, kind=tracked.kind.value, new_last_day=new, meeting=REASON, reason=REASON)


def _serve(case: CaseState, actor: Actor, now: dt.datetime) -> Iterator[Message]:
    for document in case.documents:
        if document.served_on is not None:
            continue
        if actor.role == Role.township and (ISSUER[document.kind] != Role.township or actor.township != case.facts.township):
            continue  # a township serves what it issued, on its own mine (see the module's docstring)
        if document.kind == DocumentKind.cancellation_notice:
            yield ServeDocument(actor=actor, document_id=document.id, method="announcement", url="https://example.invalid/")
        else:
            yield ServeDocument(actor=actor, document_id=document.id, method="direct")


TRIALS: dict[str, Callable[[CaseState, Actor, dt.datetime], Iterator[Message]]] = {
    "propose_disposition": _propose,
    "decide_disposition": _decide,
    "submit_document": _submit_any,
    "report_works_done": _report,
    "record_review": _review,
    "decide_renewal": _renewal,
    "apply_resume_production": _resume,
    "apply_cancellation": _cancel,
    "move_deadline": _move,
    "serve_document": _serve,
}
"""For each verb of the registry, its representative inputs."""


def _submit(case: CaseState, actor: Actor) -> list[SubmitDocument]:
    codes = [*case.items, DeadlineKind.restoration_plan.value]
    return [SubmitDocument(actor=actor, item=code) for code in codes]
