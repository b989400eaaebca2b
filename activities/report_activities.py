"""The activity that computes and stores a bulletin (issue 14 item 4): run by the Temporal Schedule's ``Bulletin``
workflow and by the ``BulletinClock`` workflow (``workflows/report_workflows.py``)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel
from sqlalchemy.engine import Engine
from temporalio import activity


class BulletinRequest(BaseModel):
    campaign: str
    period: str
    as_of: dt.date
    made_by: str = "schedule"


class ReportActivities:
    def __init__(self, engine: Engine):
        self.engine = engine

    @activity.defn(name="make_bulletin")
    def make_bulletin(self, request: BulletinRequest) -> str:
        from operations.bulletin import bulletin_policy, make_bulletin

        policy = bulletin_policy(self.engine, request.campaign)
        return make_bulletin(self.engine, policy, request.period, request.as_of, request.made_by).id
