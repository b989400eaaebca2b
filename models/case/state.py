"""What a case holds, and what can be read off it without changing it."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field, PrivateAttr

from models.case.parts import (
    CaseDocument,
    DocumentStatus,
    DueRequest,
    ItemState,
    Notice,
    NumberRequest,
    Task,
    TimelineEvent,
    TrackedDeadline,
    WorksStatus,
    business_date,
)
from models.kinds import DeadlineKind
from models.messages import MineFacts
from models.policy import ApprovalItem, CampaignPolicy
from models.stages import FINAL_STAGES, Path, Stage


class CaseState(BaseModel):
    """The state of one mine's case. Its JSON is what continue-as-new carries: fields are only added."""

    facts: MineFacts
    policy: CampaignPolicy
    stage: Stage = Stage.registered
    path: Path = Path.undecided
    proposed_path: Literal["continue", "cancel"] | None = None
    disposition_date: dt.date | None = None
    passed_dates_named: bool = False
    """A decision taken after the campaign's fixed dates must name its own (legal audit E1; decisions since patch
    ``named-dates-2026-11-27``, which the workflow applies when the decision comes)."""
    reminders_from_recording: bool = False
    """No reminder is sent dated before its period was recorded (``TrackedDeadline.opened_at``; cases started since
    patch ``lawful-enforcement-2026-11-27``)."""
    named_deadlines: dict[str, dt.date] = Field(default_factory=dict)
    """Last days the disposition named for campaign dates already past when it was decided (deadline kind → day)."""
    items: dict[str, ItemState] = Field(default_factory=dict)
    works: WorksStatus = "not_started"
    restoration_plan: DocumentStatus = "not_submitted"
    acceptance_date: dt.date | None = None
    documents: list[CaseDocument] = Field(default_factory=list)
    inspections: dict[str, dt.datetime] = Field(default_factory=dict)
    deadlines: dict[str, TrackedDeadline] = Field(default_factory=dict)
    tasks: dict[str, Task] = Field(default_factory=dict)
    timeline: list[TimelineEvent] = Field(default_factory=list)
    notices: list[Notice] = Field(default_factory=list)
    pending_due: list[DueRequest] = Field(default_factory=list)
    pending_numbers: list[NumberRequest] = Field(default_factory=list)
    local_casefile_writes: bool = False
    """The case file is written and due dates computed in local activities (cases started since patch
    ``local-casefile-writes-2026-11-27``): decided once, when the case starts, and carried over with it."""
    due_process: bool = False
    """The rules of due process apply (cases started since they shipped; see ``models/case/decisions.py``).
    Cases started before keep the rules they started with, so that their histories replay."""
    periods_from_service: bool = False
    """送达: each decision issued is the issuer's to serve (a task, escalated when late) and a holder's
    period counts from its service (cases started since patch ``lawful-enforcement-2026-11-27``)."""
    joint_determination: bool = False
    """四.2 last sentence: an approval item the campaign marks ``joint_determination`` (the process and equipment
    compliance) is determined by its lead department with the campaign's co-deciding departments and approved by
    the county (``models/case/determination.py``; cases started since patch ``lawful-enforcement-2026-11-27``)."""
    substitute_performance: bool = False
    """行政强制法 arts. 50–51: a takeover of the holder's works (代履行) is also decided towards the holder — a
    代履行决定书 served on it, naming the works, who performs them and by when, and that the cost is its own (cases
    started since patch ``lawful-enforcement-2026-11-27``)."""
    unused_zones_own_duty: bool = False
    """四.2 a continue mine's unused-zone works are their own duty, reported and accepted on their own
    (``unused_zone_works``, ``models/case/unused_zones.py``); before, they were met by the whole rectification's works."""
    decisions_notified: bool = False
    """D10: every decision of the county or a competent body, and every document served, is told to the holder and
    the township (a ``decision_notified`` notice); a county that sends back a proposal or a renewal says why
    (``models/case/informing.py``; cases started since patch ``decision-notices-2026-11-27``)."""
    unused_zone_works: WorksStatus = "not_required"
    """The unused-zone works (only under ``unused_zones_own_duty``, for a mine that has them)."""
    unused_zones_taken_over: bool = False
    """The county decided that the township takes the unused-zone works over (under ``unused_zones_own_duty``)."""
    acceptance_checklist: bool = False
    """004 附件 (达标验收表): a field acceptance may carry its department's checklist, checked against the campaign's
    items, and the expert panel's acceptance issues the 验收合格意见书 as a document of the case (cases started since
    patch ``acceptance-certificate-2026-11-27``)."""
    takeover_duty: DeadlineKind | None = None
    """The holder's duty whose works the running ``township_takeover`` is for (set under ``unused_zones_own_duty``)."""

    _acting_on: dt.date | None = PrivateAttr(default=None)
    """While an act is applied: the day it legally happened (``Message.on``). Not part of the state."""
    _clock: dt.datetime | None = PrivateAttr(default=None)
    """While an act or the passing of time is applied: the instant it is recorded. Not part of the state."""

    def named_deadlines_data(self) -> dict[str, Any]:
        """The timeline data of a decision that named its own dates (none when it named none)."""
        if not self.named_deadlines:
            return {}
        return {"named_deadlines": {kind: day.isoformat() for kind, day in self.named_deadlines.items()}}

    def effective_date(self, now: dt.datetime) -> dt.date:
        """The day the act being applied legally happened: its ``on``, or the day it is recorded (CST)."""
        return self._acting_on or business_date(now)

    @property
    def permit_no(self) -> str:
        return self.facts.permit_no

    @property
    def is_closed(self) -> bool:
        return self.stage in FINAL_STAGES

    def approval_item(self, code: str) -> ApprovalItem:
        """The campaign's approval item ``code``, for one of ``items`` (made from the policy's approval items)."""
        spec = self.policy.item(code)
        assert spec is not None, f"{code} is not an approval item of campaign {self.policy.id}"
        return spec

    def open_tasks(self) -> list[Task]:
        return [t for t in self.tasks.values() if t.is_open]

    def open_deadlines(self) -> list[TrackedDeadline]:
        return [d for d in self.deadlines.values() if d.status == "open" and d.deadline is not None]

    def next_deadline(self) -> TrackedDeadline | None:
        running = self.open_deadlines()
        return min(running, key=lambda d: d.deadline.last_day if d.deadline else dt.date.max) if running else None

    def is_overdue(self, now: dt.datetime) -> bool:
        if any(d.deadline.overdue_from <= now for d in self.open_deadlines() if d.deadline):
            return True
        if any(t.proposal is not None for t in self.open_tasks()):
            return True  # a period was missed and its consequence awaits the competent body's decision
        return any(t.due is not None and t.due.overdue_from <= now for t in self.open_tasks())

    def takeover_open(self) -> bool:
        """The township has taken over works that are not yet accepted (四.2)."""
        if self.takeover_duty == DeadlineKind.unused_bare_area:
            return False  # the township took over the unused zones only: ``unused_zone_takeover_open``
        takeover = self.deadlines.get(DeadlineKind.township_takeover)
        return takeover is not None and takeover.status in ("open", "missed") and self.acceptance_date is None

    def unused_zone_takeover_open(self) -> bool:
        """The township has taken over a continue mine's unused-zone works that are not yet accepted (四.2)."""
        return self.unused_zones_taken_over and self.unused_zone_works != "accepted"

    def holder_has_filed(self, duty: DeadlineKind) -> bool:
        """Due process: the holder has done its own part of ``duty`` — filed every document and reported
        the works done (or has none to do). What the administration has not yet reviewed counts as done."""
        works_reported = self.works in ("initial_inspection", "field_acceptance", "expert_acceptance", "accepted", "not_required")
        if duty in (DeadlineKind.rectification, DeadlineKind.extension):
            return works_reported and all(i.status in ("under_review", "approved") for i in self.items.values())
        if duty == DeadlineKind.unused_bare_area and self.unused_zones_own_duty:
            return self.unused_zone_works in ("initial_inspection", "field_acceptance", "accepted")
        if duty in (DeadlineKind.restoration_works, DeadlineKind.unused_bare_area):
            return works_reported
        if duty == DeadlineKind.restoration_plan:
            return self.restoration_plan in ("under_review", "approved")
        return False

    def holders_period(self, duty: DeadlineKind) -> TrackedDeadline | None:
        """The holder's period for ``duty``; on the continue path the three months once given."""
        if duty in (DeadlineKind.rectification, DeadlineKind.extension):
            return self.deadlines.get(DeadlineKind.extension) or self.deadlines.get(DeadlineKind.rectification)
        return self.deadlines.get(duty)

    def restoring_stage(self) -> Stage:
        return Stage.restoring if self.restoration_plan == "approved" else Stage.closure_ordered
