"""What the case workflow takes and answers, defined outside the workflow's module: the workflow sandbox runs that module
again for every case it starts or replays, and building pydantic classes there costs each registration (issue 16)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, model_validator

from models.case import Case
from models.messages import RegisterCase
from models.views import CaseView


class CaseInput(RegisterCase):
    """The workflow's input: the registration and, when a long case continues in a fresh history
    (continue-as-new), the whole case so far."""

    carried: Case | None = None

    @model_validator(mode="before")
    @classmethod
    def _earlier_runs_carried_a_dict(cls, data: Any) -> Any:
        """Runs started before the typed state carried it as ``carried_over``: read it the same."""
        if isinstance(data, dict) and "carried_over" in data:
            data = dict(data)
            legacy = data.pop("carried_over")
            data.setdefault("carried", legacy)
        return data


class CaseReceipt(BaseModel):
    """What an update answers (issue 16): where the case is after the input, not the whole ``CaseView`` (3–6 KB in every
    update's completion event). Callers that show the case query ``status`` after acting (``operations.cases.act``)."""

    stage: str
    seq: int
    """The timeline's last sequence number."""
    open_tasks: list[str]
    documents: list[str]
    view: CaseView | None = None
    """The whole view when the input closed the case: a closed case answers a query only by replaying its history."""

    @classmethod
    def of(cls, case: Case, now: dt.datetime) -> CaseReceipt:
        return cls(stage=case.stage.value, seq=case.timeline[-1].seq if case.timeline else 0,
                   open_tasks=[t.id for t in case.open_tasks()], documents=[d.id for d in case.documents],
                   view=CaseView.of(case, now) if case.is_closed else None)
