"""Recording what happened: timeline events (through the transition table), notices and documents."""

from __future__ import annotations

import datetime as dt
from typing import Any

from models.calendar import CST
from models.case.parts import CaseDocument, Notice, NumberRequest, TimelineEvent
from models.case.state import CaseState
from models.clauses import Clause
from models.errors import TransitionNotDeclared
from models.kinds import DocumentKind, EventKind
from models.roles import Actor
from models.stages import Stage
from models.transitions import transition_for


def record(case: CaseState, now: dt.datetime, event: EventKind, actor: Actor, summary_zh: str, summary_en: str, *,
           to: Stage | None = None, clause: Clause | None = None, **data: Any) -> TimelineEvent:
    """Append ``event`` to the timeline and move the case ``to`` a stage (default: it stays).

    The only writer of ``case.stage``: the transition table must declare the change, and gives its
    clause (``clause`` is for the rows whose clause is their subject's: a task's, a document's)."""
    target = case.stage if to is None else to
    row = transition_for(event, case.stage, target)
    used = row.clause or clause
    if used is None:
        raise TransitionNotDeclared(f"{event.value} 未注明条款", f"{event.value} needs the clause of its subject")
    entry = TimelineEvent(seq=len(case.timeline) + 1, at=now, kind=event, actor=actor, clause=used,
                          stage_from=case.stage, stage_to=target, summary_zh=summary_zh, summary_en=summary_en, data=data)
    case.timeline.append(entry)
    case.stage = target
    return entry


def notify(case: CaseState, now: dt.datetime, kind: str, recipients: list[str], text_zh: str, text_en: str) -> None:
    case.notices.append(Notice(id=f"{case.permit_no}-N{len(case.notices) + 1:03d}", at=now, kind=kind,
                               recipients=recipients, text_zh=text_zh, text_en=text_en))


def issue_document(case: CaseState, now: dt.datetime, kind: DocumentKind, title_zh: str, title_en: str, clause: Clause,
                   fields: dict[str, Any], *, addressee: str = "") -> CaseDocument:
    document = CaseDocument(id=f"{case.permit_no}-D{len(case.documents) + 1:02d}", kind=kind, title_zh=title_zh,
                            title_en=title_en, issued_at=now, clause=clause, addressee=addressee,
                            fields={**fields, "issued_on": now.astimezone(CST).date().isoformat()})
    case.documents.append(document)
    prefix = case.policy.document_prefixes.get(kind.value)
    if case.due_process and prefix:  # numbered from the issuer's register, by an activity (like due dates)
        case.pending_numbers.append(NumberRequest(document_id=document.id, prefix=prefix.format(township=case.facts.township),
                                                  year=now.astimezone(CST).year))
    return document


def fill_number(case: CaseState, document_id: str, number: str) -> None:
    """Receive a document's 文号 from the register (see ``NumberRequest``)."""
    for document in case.documents:
        if document.id == document_id:
            document.number = number
    case.pending_numbers = [r for r in case.pending_numbers if r.document_id != document_id]
