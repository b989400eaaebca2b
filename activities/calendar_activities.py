"""Due dates from the statutory calendar. Holiday data can change (a schedule is loaded), so it is
read here, in an activity, and the result is recorded in the workflow's history."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from temporalio import activity

from casefile.holidays import load_schedules
from models.calendar import Deadline, StatutoryCalendar
from models.case import DueRequest


class CalendarActivities:
    def __init__(self, engine: Engine):
        self.engine = engine

    @activity.defn(name="compute_due_dates")
    def compute_due_dates(self, requests: list[DueRequest]) -> list[Deadline]:
        calendar = StatutoryCalendar(load_schedules(self.engine))
        return [calendar.compute(r.start, r.period) for r in requests]
