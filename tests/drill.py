"""A drill: people acting on a case while months pass on its virtual clock."""

from __future__ import annotations

import datetime as dt
import itertools
import warnings

from sqlmodel import Session, select
from temporalio.client import Client

from casefile.tables import CaseRecord, NoticeRecord, TaskRecord, TimelineRecord
from casefile.times import from_db
from models.calendar import CST
from models.messages import (
    ApplyResumeProduction,
    DecideDisposition,
    DecideRenewal,
    Message,
    MineFacts,
    ProposeDisposition,
    RecordReview,
    ReportWorksDone,
    ServeDocument,
    SubmitDocument,
)
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
EXPERT = Actor(role=Role.expert, name="省级专家库专家")


def township(name: str = "泗溪镇") -> Actor:
    return Actor(role=Role.township, name="乡镇干部", township=name)


def department(dept: Department) -> Actor:
    return Actor(role=Role.department, name="审批员", department=dept)


def new_permit_no() -> str:
    return f"C9999{dt.datetime.now().strftime('%m%d%H%M%S')}{next(_serial):08d}"


def mine(**overrides) -> MineFacts:
    facts = {"permit_no": new_permit_no(), "mine_name": "测试石灰岩矿（虚构）", "holder": "测试矿业有限公司（虚构）",
             "township": "泗溪镇", "leader": "某副县长", "mineral": "石灰岩", "bare_area_mu": 12.5, "fictional": True}
    return MineFacts(**{**facts, **overrides})


class Drill:
    def __init__(self, client: Client, engine, task_queue: str, campaign: str = "shanggao-2023"):
        self.client, self.engine, self.task_queue = client, engine, task_queue
        self.policy = load_campaign(campaign).resolve(dt.date(2030, 1, 1))

    async def register(self, facts: MineFacts | None = None, on: dt.date | None = None) -> MineFacts:
        facts = facts or mine()
        await cases.register_case(self.client, self.engine, self.task_queue, facts, self.policy, OFFICE, on=on)
        self.first_run_id = (await self.client.get_workflow_handle(f"mine-{facts.permit_no}").describe()).run_id
        self.facts = facts
        await cases.wait_settled(self.client, self.workflow_id)  # registration's own work (the explosives ban) is done
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

    async def clock(self) -> dt.datetime:
        """The case's virtual clock as the server keeps it.

        ``status().business_time`` is the time of the workflow's last task: it stands still while
        nothing happens, whereas the virtual clock runs on in real time between fast-forwards.
        """
        description = await self.handle.describe()
        info = description.raw_description.workflow_extended_info.time_skipping_info
        if info.HasField("current_time") and info.current_time.seconds > 0:
            return info.current_time.ToDatetime(dt.UTC).astimezone(CST)
        return await self.now()  # time skipping never turned on yet: the clock is the real one

    async def advance_to(self, when: dt.datetime) -> None:
        """Move the case's clock to ``when``: it lands there plus the few milliseconds the call takes."""
        gap = when - await self.clock()
        assert gap.total_seconds() > 0, f"{when} is behind the case's clock"
        await fast_forward(self.client, self.workflow_id, gap)
        await cases.wait_settled(self.client, self.workflow_id)
        # The dev server (1.32) sometimes overshoots: when the target passes while a timer's work is in flight
        # (a timer fires up to ~1 s late), it skips on to the next timer. Land clear of timers (a minute).
        landed = await self.clock()
        if landed > when + dt.timedelta(seconds=30):
            warnings.warn(f"{self.workflow_id}: asked for {when}, the case's clock overshot to {landed}", stacklevel=2)

    async def timeline(self):
        return await self.handle.query(MineCaseWorkflow.timeline)

    async def event(self, kind: str):
        return next(e for e in await self.timeline() if e.kind == kind)

    async def open_task(self, department: Department | None = None, kind: str | None = None):
        status = await self.status()
        return next(t for t in status.tasks if (department is None or t.department == department) and (kind is None or t.kind == kind))

    # -- whole steps of the plan -----------------------------------------------------------------

    async def approve_continuation(self, at: dt.datetime | None = None, facts: MineFacts | None = None) -> None:
        """Register, the township proposes to continue, the county approves at ``at`` (default 2030-04-01 10:00)."""
        await self.register(facts)
        await self.act("propose_disposition", ProposeDisposition(actor=township(self.facts.township), path="continue",
                                                                 reason="资源储量尚可"))
        await self.advance_to(at or cst(2030, 4, 1, 10, 0))
        await self.act("decide_disposition", DecideDisposition(actor=COUNTY, approve=True))
        await self.serve_all()

    async def serve_all(self, method: str = "direct") -> None:
        """Every document issued and not yet served (but a notice, which is published) is served now: a period
        it gives the holder counts from today."""
        for document in (await self.status()).documents:
            if document.served_on is None and document.kind != "cancellation_notice":
                await self.act("serve_document", ServeDocument(actor=OFFICE, document_id=document.id, method=method))

    async def approve_all_open(self, kind: str) -> None:
        for task in [t for t in (await self.status()).tasks if t.kind == kind]:
            if task.assignee_role == "expert":
                actor = EXPERT
            elif task.assignee_role == "county":
                actor = COUNTY
            elif task.township:
                actor = township(task.township)
            else:
                actor = department(task.department)
            await self.act("record_review", RecordReview(actor=actor, task_id=task.id, approved=True))

    async def submit_all_documents(self) -> None:
        for item in self.policy.approval_items:
            await self.act("submit_document", SubmitDocument(actor=HOLDER, item=item.code))

    async def complete_rectification(self) -> None:
        """Every document submitted and approved, the works reported, inspected and accepted."""
        await self.submit_all_documents()
        await self.approve_all_open("document_review")
        await self.approve_determination()
        await self.act("report_works_done", ReportWorksDone(actor=HOLDER))
        await self.approve_all_open("initial_inspection")
        await self.approve_all_open("field_acceptance")

    async def approve_determination(self) -> None:
        """四.2 (cases since lawful-enforcement-2026-11-27): the process and equipment, determined jointly, approved by the county."""
        await self.approve_all_open("joint_determination")
        await self.approve_all_open("determination_approval")

    async def renew_and_resume(self) -> CaseView:
        """From joint review to production resumed; returns the workflow's result."""
        await self.approve_all_open("joint_review")
        await self.act("decide_renewal", DecideRenewal(actor=COUNTY, approve=True))
        await self.approve_all_open("permit_renewal")
        await self.act("apply_resume_production", ApplyResumeProduction(actor=HOLDER))
        await self.approve_all_open("resume_review")
        await self.approve_all_open("supply_restore")
        return await self.handle.result()

    # -- due process: the competent body decides what the rules propose ------------------------------

    async def proposals(self) -> dict[str, str]:
        """The open consequence proposals: consequence → the role that decides it."""
        return {t.proposal.consequence: t.assignee_role for t in (await self.status()).tasks
                if t.kind == "consequence_decision" and t.proposal is not None}

    async def decide(self, consequence: str, approve: bool = True, comment: str = "") -> CaseView:
        """The county (or, for a referral, the township) decides the consequence proposed to it."""
        task = next(t for t in (await self.status()).tasks
                    if t.kind == "consequence_decision" and t.proposal is not None and t.proposal.consequence == consequence)
        actor = COUNTY if task.assignee_role == "county" else township(task.township or self.facts.township)
        return await self.act("record_review", RecordReview(actor=actor, task_id=task.id, approved=approve,
                                                            comment=comment or ("" if approve else "理由见会议纪要")))

    async def publish_notice(self, url: str = "http://www.shanggao.gov.cn/gsgg/1.html") -> CaseView:
        """A person publishes the cancellation notice the county agreed and records where (四.3)."""
        notice = next(d for d in (await self.status()).documents if d.kind == "cancellation_notice" and d.served_on is None)
        return await self.act("serve_document", ServeDocument(actor=OFFICE, document_id=notice.id, method="announcement", url=url))

    async def events(self, kind: str):
        return [e for e in await self.timeline() if e.kind == kind]

    # -- the case file (一矿一档), as the activities wrote it ------------------------------------

    def filed_notices(self, kind_prefix: str = "") -> list[tuple[str, dt.datetime]]:
        """``(kind, at in CST)`` of the notices written to the case file, in order."""
        with Session(self.engine) as session:
            rows = session.exec(select(NoticeRecord).where(NoticeRecord.permit_no == self.facts.permit_no)).all()
        return sorted(((n.kind, from_db(n.at)) for n in rows if n.kind.startswith(kind_prefix)), key=lambda n: n[1])

    def filed_timeline(self) -> list[TimelineRecord]:
        with Session(self.engine) as session:
            return list(session.exec(select(TimelineRecord).where(TimelineRecord.permit_no == self.facts.permit_no)
                                     .order_by(TimelineRecord.seq)).all())

    def filed_tasks(self) -> list[TaskRecord]:
        with Session(self.engine) as session:
            return list(session.exec(select(TaskRecord).where(TaskRecord.permit_no == self.facts.permit_no)).all())

    def filed_case_rows(self) -> list[CaseRecord]:
        with Session(self.engine) as session:
            return list(session.exec(select(CaseRecord).where(CaseRecord.permit_no == self.facts.permit_no)).all())


def cst(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=CST)


def around(instant: dt.datetime, expected: dt.datetime, slack: dt.timedelta = dt.timedelta(seconds=5)) -> bool:
    """An input sent right after ``advance_to(expected)`` is dated a moment after it (the clock runs on)."""
    return expected <= instant < expected + slack
