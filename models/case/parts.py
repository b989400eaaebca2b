"""The parts a case is made of: tasks in inboxes, tracked deadlines, the timeline, notices, documents.

Plain data: the rules that change them live in the section modules beside this one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from models.calendar import CST, Deadline, Period, overdue_instant
from models.clauses import Clause
from models.kinds import Consequence, DeadlineKind, DocumentKind, EventKind, TaskKind
from models.roles import Actor, Department, Role
from models.stages import Stage


class Proposal(BaseModel):
    """A consequence the rules propose to the competent body, with the facts it rests on (due process)."""

    consequence: Consequence
    duty: DeadlineKind
    """The period whose expiry led to it (``correction`` for a correction period)."""
    last_day: dt.date
    would_apply_at: dt.datetime
    """The instant the consequence would have had on a timer: shown, never used as its date."""
    provisional: bool = False
    """The last day is still provisional (the year's holiday schedule is not published)."""
    facts_zh: str = ""
    facts_en: str = ""


class Task(BaseModel):
    """A step someone other than the holder must take: it sits in their inbox until decided."""

    id: str
    kind: TaskKind
    clause: Clause
    assignee_role: Role
    department: Department | None = None
    township: str | None = None
    item: str | None = None
    subject_zh: str
    subject_en: str
    opened_at: dt.datetime
    due: Deadline | None = None
    status: Literal["open", "approved", "rejected", "withdrawn"] = "open"
    escalated: bool = False
    decided_at: dt.datetime | None = None
    decided_by: Actor | None = None
    comment: str = ""
    proposal: Proposal | None = None
    document_id: str | None = None
    """For a service task (送达): the document to serve."""
    checklist: dict[str, bool] = Field(default_factory=dict)
    """A field acceptance's answers to its department's items of the acceptance standard (code → passed)."""

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @property
    def assignee(self) -> str:
        """The recipient of its notices: ``department:<code>``, ``township:<name>`` or a role."""
        if self.department is not None:
            return f"department:{self.department.value}"
        if self.township is not None:
            return f"township:{self.township}"
        return self.assignee_role.value


class DeadlineMove(BaseModel):
    at: dt.datetime
    decided_by: Actor
    meeting: str
    reason: str
    old_last_day: dt.date
    new_last_day: dt.date


class TrackedDeadline(BaseModel):
    """A period running against someone, with its reminders and any collective-decision moves."""

    kind: DeadlineKind
    label_zh: str
    label_en: str
    clause: Clause
    responsible: Role
    deadline: Deadline | None = None
    status: Literal["open", "met", "missed", "withdrawn"] = "open"
    reminders_sent: list[int] = Field(default_factory=list)
    moves: list[DeadlineMove] = Field(default_factory=list)
    corrects: DeadlineKind | None = None
    """For a correction period (补正): the holder's period whose consequence its expiry proposes."""
    opened_at: dt.datetime | None = None
    """When the period was recorded as started: a reminder whose instant came before is not sent (an act recorded
    late, by its own date, never produces notices dated before it was recorded). None for periods of older runs."""
    counts_from_service_of: str | None = None
    """The document (id) whose service starts this period: until it is served the period does not count
    (``deadline`` is None) and ``period`` waits here."""
    period: Period | None = None

    @property
    def running(self) -> Deadline | None:
        """The deadline while it runs and its due date is known."""
        return self.deadline if self.status == "open" else None


class ItemState(BaseModel):
    code: str
    status: Literal["not_submitted", "under_review", "approved", "rejected"] = "not_submitted"
    task_id: str | None = None
    title: str = ""


class TimelineEvent(BaseModel):
    """One transition of the case, in the past tense, with business time, actor and clause. Written once, never
    changed (frozen: ``Case.trial_copy`` shares the entries)."""

    model_config = ConfigDict(frozen=True)

    seq: int
    at: dt.datetime
    kind: EventKind
    actor: Actor
    clause: Clause
    stage_from: Stage
    stage_to: Stage
    summary_zh: str
    summary_en: str
    data: dict[str, Any] = Field(default_factory=dict)
    effective_on: dt.date | None = None
    """The day the act legally happened (``Message.on``; for what time does, the day of ``at``). None: recorded
    before effective dates were kept, when it was the day of ``at``."""
    recorded_at: dt.datetime | None = None
    """When it was recorded: ``at`` for an act; for a period that expired while nobody looked (or before its act
    was recorded), later than ``at``."""


class Notice(BaseModel):
    """A message to people: reminders, escalations, requests for action (kinds: ``models.kinds.NoticeKind``). Sent
    once, never changed (frozen: ``Case.trial_copy`` shares the entries)."""

    model_config = ConfigDict(frozen=True)

    id: str
    at: dt.datetime
    kind: str
    recipients: list[str]
    text_zh: str
    text_en: str


class CaseDocument(BaseModel):
    """A document the county issues from the case: its fields are rendered as HTML (and PDF)."""

    id: str
    kind: DocumentKind
    title_zh: str
    title_en: str
    issued_at: dt.datetime
    clause: Clause
    fields: dict[str, Any] = Field(default_factory=dict)
    addressee: str = ""
    served_on: dt.date | None = None
    served_by: Actor | None = None
    service_method: str | None = None
    """送达: ``direct``, ``post``, ``electronic`` or ``announcement`` (a notice's publication)."""
    url: str | None = None
    number: str | None = None
    """文号, from the issuer's register (due process); null until allocated, and for documents of older cases."""


class NumberRequest(BaseModel):
    """Ask the issuer's register for the next 文号 of a document (``prefix`` and the year of issue)."""

    document_id: str
    prefix: str
    year: int


class DueRequest(BaseModel):
    """Ask the statutory calendar for a due date (``target``: ``deadline:<kind>``, ``task:<id>`` or ``inspection:<n>``)."""

    target: str
    start: dt.date | None
    period: Period


WorksStatus = Literal["not_started", "initial_inspection", "field_acceptance", "expert_acceptance", "accepted", "rejected", "not_required"]
DocumentStatus = Literal["not_submitted", "under_review", "approved", "rejected"]


def business_date(now: dt.datetime) -> dt.date:
    """The calendar day in China Standard Time: the day a decision is dated."""
    return now.astimezone(CST).date()


def fixed_deadline(last_day: dt.date) -> Deadline:
    """A last day taken as given (a collective decision's new date)."""
    return Deadline(start=None, period=Period(unit="fixed", fixed_date=last_day), last_day=last_day,
                    overdue_from=overdue_instant(last_day))
