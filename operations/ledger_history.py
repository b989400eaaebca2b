"""Taking in a campaign already running: each ledger row with its history becomes the acts it records.

A row's dates (``operations.ledger.History``) become messages — the township's proposal, the county's
decision, its service, each approval document filed and approved by its department, the works reported,
inspected and accepted, the joint review, the renewal, the application to cancel, the permits cancelled —
each with ``on=`` its date, in date order (``plan``). Before anything is registered, every row that parse
did not refuse is tried on the pure domain model (``dry_run``): ``Case.register`` then, act by act,
what the workflow does with an update (time's due consequences, the rule, the due dates from the
statutory calendar the case file holds), so that a rule's refusal is reported with the act it refused and
no row is ever half-registered. Real mode (``take_in``) then registers the rows that passed and sends
their acts as the workflow's updates (``operations.cases``), never writing the case file itself.

A task or a document an act is about (the department's review of a document, the decision to serve) is
looked up in what the case shows at that moment — the pure case in the dry run, the workflow's answer in
real mode — so that both follow the same rules to the same ids.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from temporalio.client import Client

from casefile.holidays import load_schedules
from casefile.tables import CaseRecord
from models.calendar import CST, StatutoryCalendar
from models.case import Case, CaseDocument, Task
from models.errors import MinecaseError, RuleViolation
from models.kinds import DocumentKind, TaskKind
from models.messages import (
    ApplyCancellation,
    DecideDisposition,
    DecideRenewal,
    Message,
    ProposeDisposition,
    RecordReview,
    RegisterCase,
    ReportWorksDone,
    ServeDocument,
    SubmitDocument,
)
from models.policy import CampaignPolicy
from models.roles import Actor, Role
from models.stages import Stage
from models.verbs import VERBS
from models.views import CaseView
from operations.ledger import DATE_COLUMNS, ITEM_APPROVED, ITEM_SUBMITTED, LedgerRow, ParsedLedger, heading

MAX_MESSAGES_PER_ACT = 30
"""An act that approves tasks as they open (the field acceptance by six departments, then the experts) ends
when no such task is open; this bounds it."""


class NothingToActOn(MinecaseError):
    """An act of the ledger finds no task or document of its kind open on the case at its turn."""


@dataclass
class Act:
    """One act of a row: a date, its column, and the message(s) it makes at its turn."""

    on: dt.date
    order: int
    key: str
    """The ledger column it comes from (``decided_on``, ``item:eia_report:approved``…)."""
    message: Message | None = None
    """A message known beforehand (a proposal, a decision, a filing)."""
    serve: tuple[DocumentKind, ...] = ()
    """Serve the case's unserved document of these kinds."""
    review: tuple[TaskKind, ...] = ()
    """Approve every task of these kinds open at its turn (and those its approvals open), each by its assignee."""
    item: str | None = None
    apply_cancellation: bool = False

    def label(self, policy: CampaignPolicy) -> str:
        if self.key.startswith("item:"):
            _, code, what = self.key.split(":")
            spec = policy.item(code)
            return f"{spec.name_zh if spec else code}{ITEM_SUBMITTED if what == 'submitted' else ITEM_APPROVED}"
        return heading(self.key)


@dataclass
class Snapshot:
    """What an act needs to see of the case at its turn: its stage, open tasks and documents."""

    stage: str
    tasks: list[Task]
    documents: list[CaseDocument]

    @classmethod
    def of_case(cls, case: Case) -> Snapshot:
        return cls(case.stage.value, case.open_tasks(), list(case.documents))

    @classmethod
    def of_view(cls, view: CaseView) -> Snapshot:
        return cls(view.stage, list(view.tasks), list(view.documents))


# --- the acts of a row ------------------------------------------------------------------------------------

DECISION_DOCUMENTS = (DocumentKind.closure_decision, DocumentKind.continuation_notice)
ACCEPTANCE = (TaskKind.initial_inspection, TaskKind.field_acceptance, TaskKind.expert_certificate)
ITEM_REVIEWS = (TaskKind.document_review, TaskKind.joint_determination, TaskKind.determination_approval)
ORDER = {key: index * 100 for index, key in enumerate(DATE_COLUMNS)}
"""Acts of the same day follow the ledger's columns (a proposal before its decision…); items sit after the service."""


def plan(row: LedgerRow, policy: CampaignPolicy, by: str) -> list[Act]:
    """The acts a row records, in the order they happened (date, then the columns' order)."""
    history, facts = row.history, row.facts
    county, township, holder = person(Role.county, by), person(Role.township, by, facts.township), person(Role.holder, by)
    what: dict[str, Callable[[dt.date], dict[str, Any]]] = {
        "proposed_on": lambda on: {"message": ProposeDisposition(actor=township, path=row.proposal or "continue",
                                                                 reason=history.reason, on=on)},
        "decided_on": lambda on: {"message": DecideDisposition(actor=county, approve=True, on=on, deadlines=dict(history.deadlines))},
        "served_on": lambda on: {"serve": DECISION_DOCUMENTS},
        "plan_submitted_on": lambda on: {"message": SubmitDocument(actor=holder, item="restoration_plan", on=on)},
        "plan_approved_on": lambda on: {"review": (TaskKind.plan_review,)},
        "works_reported_on": lambda on: {"message": ReportWorksDone(actor=holder, on=on)},
        "inspected_on": lambda on: {"review": (TaskKind.initial_inspection,)},
        "accepted_on": lambda on: {"review": ACCEPTANCE},
        "joint_review_on": lambda on: {"review": (TaskKind.joint_review,)},
        "renewal_agreed_on": lambda on: {"message": DecideRenewal(actor=county, approve=True, on=on)},
        "permit_renewed_on": lambda on: {"review": (TaskKind.permit_renewal,)},
        "cancellation_applied_on": lambda on: {"apply_cancellation": True},
        "permits_cancelled_on": lambda on: {"review": (TaskKind.permit_cancellation,)},
    }
    acts = [Act(on=on, order=ORDER[key], key=key, **what[key](on)) for key, on in history.dates.items() if key in what]
    after_service = ORDER["served_on"] + 1
    for index, spec in enumerate(policy.approval_items):
        pair = history.items.get(spec.code, {})
        if "submitted" in pair:
            acts.append(Act(on=pair["submitted"], order=after_service + 2 * index, key=f"item:{spec.code}:submitted",
                            message=SubmitDocument(actor=holder, item=spec.code, on=pair["submitted"])))
        if "approved" in pair:
            acts.append(Act(on=pair["approved"], order=after_service + 2 * index + 1, key=f"item:{spec.code}:approved",
                            review=ITEM_REVIEWS, item=spec.code))
    return sorted(acts, key=lambda act: (act.on, act.order))


def person(role: Role, by: str, township: str | None = None, department: Any = None) -> Actor:
    """The unit that acted (as the ledger records it), entered by ``by``."""
    return Actor(role=role, name=by, township=township if role == Role.township else None,
                 department=department if role == Role.department else None)


def next_message(act: Act, snapshot: Snapshot, sent: int, facts_township: str, by: str) -> Message | None:
    """The next message of ``act`` as the case stands, or None when the act is done."""
    if act.message is not None:
        return act.message if sent == 0 else None
    if act.apply_cancellation:
        if sent:
            return None
        role = Role.holder if snapshot.stage == Stage.awaiting_cancel_application else Role.township
        return ApplyCancellation(actor=person(role, by, facts_township), on=act.on)
    if act.serve:
        if sent:
            return None
        document = next((d for d in snapshot.documents if d.kind in act.serve and d.served_on is None), None)
        if document is None:
            raise NothingToActOn("本案此时没有待送达的处置决定文书", "no decision of the disposition is waiting to be served")
        return ServeDocument(actor=person(Role.office, by), document_id=document.id, method="direct", on=act.on)
    task = next((t for t in snapshot.tasks if t.kind in act.review and (act.item is None or t.item == act.item)), None)
    if task is None:
        if sent:
            return None
        raise NothingToActOn("本案此时没有相应的待办任务（前一步骤未完成）",
                             "the case has no such task open at this point (an earlier step missing?)")
    if sent >= MAX_MESSAGES_PER_ACT:
        return None
    return RecordReview(actor=person(task.assignee_role, by, task.township, task.department), task_id=task.id, approved=True,
                        on=act.on)


def with_method(message: Message, row: LedgerRow) -> Message:
    if isinstance(message, ServeDocument):
        return message.model_copy(update={"method": row.history.service_method})
    return message


# --- the outcome of a row ---------------------------------------------------------------------------------


class Proposal(BaseModel):
    """A consequence proposed to its competent body, waiting for its decision (due process)."""

    task_id: str
    consequence: str
    subject_zh: str
    subject_en: str
    assignee_role: str


class RowOutcome(BaseModel):
    row: int
    permit_no: str
    mine_name: str = ""
    township: str = ""
    status: str
    """``taken_in`` (registered now, its history recorded), ``checked`` (would be: ``--check``), ``existing``
    (registered before: nothing done), ``refused`` (nothing registered) or ``partial`` (registered, but an act the
    dry run passed was refused: the case moved meanwhile; ``reasons`` says which)."""
    stage: str | None = None
    stage_label_zh: str | None = None
    acts: int = 0
    """The messages its history made."""
    proposals: list[Proposal] = []
    reasons: list[str] = []
    """Each ``中文 / English``."""


def proposals_of(tasks: Iterable[Task]) -> list[Proposal]:
    return [Proposal(task_id=t.id, consequence=t.proposal.consequence.value if t.proposal else "", subject_zh=t.subject_zh,
                     subject_en=t.subject_en, assignee_role=t.assignee_role.value)
            for t in tasks if t.kind == TaskKind.consequence_decision and t.is_open]


# --- the dry run ------------------------------------------------------------------------------------------


class DryRun:
    """The rows tried on the pure domain model, with due dates from the case file's holiday schedules."""

    def __init__(self, policy: CampaignPolicy, calendar: StatutoryCalendar, by: str, now: dt.datetime | None = None):
        self.policy, self.calendar, self.by = policy, calendar, by
        self.now = now or dt.datetime.now(CST)

    @classmethod
    def on_casefile(cls, engine: Engine, policy: CampaignPolicy, by: str) -> DryRun:
        return cls(policy, StatutoryCalendar(load_schedules(engine)), by)

    def settle(self, case: Case) -> None:
        """As the workflow's activities do: due dates from the calendar, and (here, a stand-in) document numbers."""
        for request in list(case.pending_due):
            case.fill_due(request.target, self.calendar.compute(request.start, request.period))
        for number in list(case.pending_numbers):
            case.pending_numbers.remove(number)
            for document in case.documents:
                if document.id == number.document_id:
                    document.number = f"{number.prefix}〔{number.year}〕（试运行）"

    def catch_up(self, case: Case) -> None:
        """What time has done by now, as the workflow's loop works it through."""
        for _ in range(1000):
            alarm = case.next_alarm()
            if alarm is None or alarm > self.now:
                return
            case.apply_elapsed_time(self.now)
            self.settle(case)

    def run(self, row: LedgerRow) -> RowOutcome:
        """The row's registration and acts on the pure model: its stage and proposals, or the reason it is refused."""
        outcome = RowOutcome(row=row.row, permit_no=row.facts.permit_no, mine_name=row.facts.mine_name,
                             township=row.facts.township, status="checked")
        try:
            case = Case.register(RegisterCase(facts=row.facts, policy=self.policy, registered_by=person(Role.office, self.by),
                                              on=row.history.registered_on()), self.now)
        except RuleViolation as refusal:
            return _refused(outcome, f"{heading('registered_on')}：{refusal.zh} / {refusal.en}")
        case.adopt_due_process(self.now)  # as the workflow does for every case it starts
        case.adopt_lawful_enforcement()
        case.adopt_decision_notices()
        self.settle(case)
        self.catch_up(case)
        for act in plan(row, self.policy, self.by):
            sent = 0
            try:
                while (message := next_message(act, Snapshot.of_case(case), sent, row.facts.township, self.by)) is not None:
                    case.apply_elapsed_time(self.now)  # the workflow's update: time first, then the rule
                    self.settle(case)
                    case.handle(with_method(message, row), self.now)
                    self.settle(case)
                    sent += 1
            except (RuleViolation, NothingToActOn) as refusal:
                return _refused(outcome, f"{act.label(self.policy)}（{act.on}）：{refusal.zh} / {refusal.en}")
            outcome.acts += sent
        self.catch_up(case)
        outcome.stage, outcome.stage_label_zh = case.stage.value, case.stage.label_zh
        outcome.proposals = proposals_of(case.open_tasks())
        return outcome


def _refused(outcome: RowOutcome, reason: str) -> RowOutcome:
    outcome.status = "refused"
    outcome.reasons = [reason]
    return outcome


# --- the import -------------------------------------------------------------------------------------------


@dataclass
class Taken:
    """What an import did (or, with ``check``, would do) with each row of a ledger."""

    check: bool
    rows: list[RowOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def refused(self) -> list[RowOutcome]:
        return [r for r in self.rows if r.status == "refused"]


def registered_already(engine: Engine, permits: Iterable[str]) -> dict[str, CaseRecord]:
    wanted = set(permits)
    with Session(engine) as session:
        return {c.permit_no: c for c in session.exec(select(CaseRecord)) if c.permit_no in wanted}


def check_rows(parsed: ParsedLedger, engine: Engine, policy: CampaignPolicy | None, by: str,
               dry_run: DryRun | None = None) -> tuple[Taken, list[LedgerRow]]:
    """Every row checked, nothing registered: parse's refusals, the rows already registered, then the dry run of
    the others (none without a campaign: then only the format and the dates' order are checked). Returns the report
    so far and the rows that may be taken in."""
    taken = Taken(check=True)
    for rejected in parsed.rejected:
        taken.rows.append(RowOutcome(row=rejected.row, permit_no=rejected.permit_no, status="refused", reasons=rejected.reasons))
    existing = registered_already(engine, (r.facts.permit_no for r in parsed.rows))
    if dry_run is None and policy is not None:
        dry_run = DryRun.on_casefile(engine, policy, by)
    good = []
    for row in parsed.rows:
        record = existing.get(row.facts.permit_no)
        if record is not None:
            taken.rows.append(RowOutcome(row=row.row, permit_no=row.facts.permit_no, mine_name=row.facts.mine_name,
                                         township=row.facts.township, status="existing", stage=record.stage,
                                         stage_label_zh=Stage(record.stage).label_zh))
            continue
        outcome = dry_run.run(row) if dry_run is not None else RowOutcome(
            row=row.row, permit_no=row.facts.permit_no, mine_name=row.facts.mine_name, township=row.facts.township,
            status="checked")
        taken.rows.append(outcome)
        if outcome.status != "refused":
            good.append(row)
    taken.rows.sort(key=lambda r: r.row)
    return taken, good


async def take_in(
    parsed: ParsedLedger, client: Client, engine: Engine, task_queue: str, policy: CampaignPolicy | None, by: str, *,
    check: bool = False, concurrency: int = 8, progress: Callable[[int, int], None] | None = None,
) -> Taken:
    """Check every row (``check_rows``); unless ``check``, register the rows that passed and record their history
    through the workflow's updates, ``concurrency`` rows at a time. Registering needs a campaign (``policy``)."""
    from operations import cases  # the workflow's client side: only real mode needs it
    from operations.campaigns import no_campaign

    if policy is None and not check:
        raise no_campaign()
    taken, good = await asyncio.to_thread(check_rows, parsed, engine, policy, by)
    taken.check = check  # a real import with nothing left to take in (every mine registered already) is not a check
    if check or not good or policy is None:
        return taken
    by_row = {r.row: r for r in taken.rows}
    gate = asyncio.Semaphore(concurrency)
    done = 0

    async def one(row: LedgerRow) -> None:
        nonlocal done
        async with gate:
            by_row[row.row] = await _take_in_row(cases, row, client, engine, task_queue, policy, by)
        done += 1
        if progress:
            progress(done, len(good))

    await asyncio.gather(*(one(row) for row in good))
    taken.rows = sorted(by_row.values(), key=lambda r: r.row)
    return taken


async def _take_in_row(cases: Any, row: LedgerRow, client: Client, engine: Engine, task_queue: str, policy: CampaignPolicy,
                       by: str) -> RowOutcome:
    facts = row.facts
    outcome = RowOutcome(row=row.row, permit_no=facts.permit_no, mine_name=facts.mine_name, township=facts.township,
                         status="taken_in")
    registration = await cases.register_case(client, engine, task_queue, facts, policy, person(Role.office, by),
                                             on=row.history.registered_on())
    if not registration.created:  # registered meanwhile (another import): its history is its own
        outcome.status = "existing"
    else:
        view: CaseView | None = None
        for act in plan(row, policy, by):
            sent = 0
            while True:
                if view is None and act.message is None:
                    view = await cases.live_status(client, facts.permit_no)
                snapshot = Snapshot.of_view(view) if view is not None else Snapshot("", [], [])
                try:
                    message = next_message(act, snapshot, sent, facts.township, by)
                    if message is None:
                        break
                    message = with_method(message, row).model_copy(update={"request_id": f"ledger-{facts.permit_no}-{outcome.acts}"})
                    view = await cases.act(client, facts.permit_no, VERBS[type(message)].name, message)
                except (MinecaseError, RuleViolation) as refusal:  # the dry run passed: the case moved meanwhile
                    outcome.reasons.append(f"已登记，{act.label(policy)}（{act.on}）未能记入：{refusal.zh} / "
                                           f"registered, but {act.key} ({act.on}) was refused: {refusal.en}")
                    break
                sent += 1
                outcome.acts += 1
            if outcome.reasons:
                outcome.status = "partial"
                break
    if outcome.status == "taken_in" and not outcome.acts:  # registered only, as ledgers without dates always were
        outcome.stage, outcome.stage_label_zh = Stage.registered.value, Stage.registered.label_zh
        return outcome
    await cases.wait_settled(client, registration.workflow_id)
    final = await cases.live_status(client, facts.permit_no)
    outcome.stage, outcome.stage_label_zh = final.stage, final.stage_label_zh
    outcome.proposals = proposals_of(final.tasks)
    return outcome
