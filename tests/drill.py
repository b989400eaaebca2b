"""A drill: people acting on a case while months pass on its virtual clock."""

from __future__ import annotations

import datetime as dt
import itertools

from temporalio.client import Client

from models.calendar import CST
from models.messages import MineFacts, Message
from models.policy import load_campaign
from models.roles import Actor, Department, Role
from models.views import CaseView
from operations import cases
from runtime.temporal import fast_forward
from workflows.case_workflow import MineCaseWorkflow

_serial = itertools.count(1)

COUNTY = Actor(role=Role.county, name="县政府常务会议")
OFFICE = Actor(role=Role.office, name="领导小组办公室")
HOLDER = Actor(role=Role.holder, name="采矿权人代表")


def township(name: str = "泗溪镇") -> Actor:
    return Actor(role=Role.township, name="乡镇干部", township=name)


def department(dept: Department) -> Actor:
    return Actor(role=Role.department, name="审批员", department=dept)


def new_permit_no() -> str:
    return f"C9999{dt.datetime.now().strftime('%m%d%H%M%S')}{next(_serial):08d}"


def mine(**overrides) -> MineFacts:
    facts = dict(permit_no=new_permit_no(), mine_name="测试石灰岩矿（虚构）", holder="测试矿业有限公司（虚构）",
                 township="泗溪镇", leader="某副县长", mineral="石灰岩", bare_area_mu=12.5, fictional=True)
    facts.update(overrides)
    return MineFacts(**facts)


class Drill:
    def __init__(self, client: Client, engine, task_queue: str, campaign: str = "shanggao-2023"):
        self.client, self.engine, self.task_queue = client, engine, task_queue
        self.policy = load_campaign(campaign).resolve(dt.date(2030, 1, 1))

    async def register(self, facts: MineFacts | None = None) -> MineFacts:
        facts = facts or mine()
        await cases.register_case(self.client, self.engine, self.task_queue, facts, self.policy, OFFICE)
        self.facts = facts
        return facts

    @property
    def workflow_id(self) -> str:
        return f"mine-{self.facts.permit_no}"

    @property
    def handle(self):
        return self.client.get_workflow_handle_for(MineCaseWorkflow.run, self.workflow_id)

    async def act(self, verb: str, message: Message) -> CaseView:
        return await cases.act(self.client, self.facts.permit_no, verb, message)

    async def status(self) -> CaseView:
        return await self.handle.query(MineCaseWorkflow.status)

    async def now(self) -> dt.datetime:
        return (await self.status()).business_time.astimezone(CST)

    async def advance(self, days: float = 0, **kw) -> None:
        await fast_forward(self.client, self.workflow_id, dt.timedelta(days=days, **kw))
        await cases.wait_settled(self.client, self.workflow_id)

    async def advance_to(self, when: dt.datetime) -> None:
        """Move the case's clock to ``when`` (to the second)."""
        gap = when - await self.now()
        assert gap.total_seconds() > 0, f"{when} is behind the case's clock"
        await fast_forward(self.client, self.workflow_id, gap)
        await cases.wait_settled(self.client, self.workflow_id)

    async def timeline(self):
        return await self.handle.query(MineCaseWorkflow.timeline)

    async def event(self, kind: str):
        return next(e for e in await self.timeline() if e.kind == kind)

    async def open_task(self, department: Department | None = None, kind: str | None = None):
        status = await self.status()
        return next(t for t in status.tasks if (department is None or t.department == department) and (kind is None or t.kind == kind))


def cst(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=CST)
