"""The problem ledger's activity (issue 14): mark a still-open problem reminded or overdue."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from temporalio import activity

from operations.inspections import mark


class ProblemActivities:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @activity.defn(name="mark_problem")
    def mark_problem(self, problem_id: str, what: str) -> bool:
        if what not in ("reminded", "overdue"):
            raise ValueError(what)
        return mark(self.engine, problem_id, what)
