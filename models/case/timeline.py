"""Recording what happened: timeline events (through the transition table) and notices (documents: ``documents``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from models.case.parts import Notice, TimelineEvent
from models.case.state import CaseState
from models.clauses import Clause
from models.errors import TransitionNotDeclared
from models.kinds import EventKind
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
                          stage_from=case.stage, stage_to=target, summary_zh=summary_zh, summary_en=summary_en, data=data,
                          effective_on=case.effective_date(now), recorded_at=case._clock or now)
    case.timeline.append(entry)
    case.stage = target
    return entry


def notify(case: CaseState, now: dt.datetime, kind: str, recipients: list[str], text_zh: str, text_en: str) -> None:
    case.notices.append(Notice(id=f"{case.permit_no}-N{len(case.notices) + 1:03d}", at=now, kind=kind,
                               recipients=recipients, text_zh=text_zh, text_en=text_en))
