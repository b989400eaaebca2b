"""What the case workflow shows of itself (queries) and sends to the case file (activities)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel

from models.case import Case, CaseDocument, Notice, Task, TimelineEvent, TrackedDeadline
from models.messages import MineFacts
from models.policy import ChecklistItem


class DeadlineView(BaseModel):
    kind: str
    label_zh: str
    label_en: str
    clause: str
    responsible: str
    due: dt.date | None
    overdue_from: dt.datetime | None
    provisional: bool
    provisional_reason: str | None = None
    moved_from: dt.date | None = None
    move_reason: str | None = None
    status: str
    moves: list[dict[str, Any]] = []
    awaiting_service: str | None = None
    """The document whose service starts the period: until then ``due`` is None (it does not count yet)."""

    @classmethod
    def of(cls, tracked: TrackedDeadline) -> DeadlineView:
        d = tracked.deadline
        return cls(
            kind=tracked.kind, label_zh=tracked.label_zh, label_en=tracked.label_en, clause=tracked.clause,
            responsible=tracked.responsible.value, due=d.last_day if d else None, overdue_from=d.overdue_from if d else None,
            provisional=d.provisional if d else False, provisional_reason=d.provisional_reason if d else None,
            moved_from=d.moved_from if d else None, move_reason=d.move_reason if d else None, status=tracked.status,
            moves=[m.model_dump(mode="json") for m in tracked.moves],
            awaiting_service=tracked.counts_from_service_of if d is None else None,
        )


class CaseView(BaseModel):
    permit_no: str
    mine_name: str
    township: str
    campaign: str
    stage: str
    stage_label_zh: str
    path: str
    business_time: dt.datetime
    disposition_date: dt.date | None
    deadlines: list[DeadlineView]
    open_obligations: list[dict[str, Any]]
    tasks: list[Task]
    overdue: bool
    acceptance_date: dt.date | None = None
    documents: list[CaseDocument] = []
    acceptance_checklist: list[ChecklistItem] = []
    """The acceptance standard's items (004 附件) a field acceptance of this case answers; empty for cases started
    before patch ``acceptance-certificate-2026-11-27``."""

    @classmethod
    def of(cls, case: Case, now: dt.datetime) -> CaseView:
        return cls(
            permit_no=case.permit_no, mine_name=case.facts.mine_name, township=case.facts.township,
            campaign=case.policy.id, stage=case.stage.value, stage_label_zh=case.stage.label_zh, path=case.path.value,
            business_time=now, disposition_date=case.disposition_date,
            deadlines=[DeadlineView.of(t) for t in case.deadlines.values()],
            open_obligations=case.open_obligations(), tasks=case.open_tasks(), overdue=case.is_overdue(now),
            acceptance_date=case.acceptance_date, documents=case.documents,
            acceptance_checklist=case.policy.acceptance_checklist if case.acceptance_checklist else [],
        )


class CaseSync(BaseModel):
    """Everything the case file needs after a transition, written in one transaction."""

    workflow_id: str
    campaign: str
    permit_no: str
    facts: MineFacts | None = None
    """Sent with the first write only: a mine's facts do not change."""
    stage: str
    path: str
    overdue: bool
    works: str = ""
    acceptance_date: dt.date | None = None
    business_time: dt.datetime
    registered_at: dt.datetime
    events: list[TimelineEvent]
    deadlines: list[TrackedDeadline]
    tasks: list[Task]
    notices: list[Notice]
    documents: list[CaseDocument] = []
    next_deadline: tuple[str, dt.date] | None = None
    """The nearest running deadline (kind, last day): ``deadlines`` holds only what changed."""
