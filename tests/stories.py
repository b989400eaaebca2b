"""A case told as a story, for the pure rule tests: inputs by the right people, time passing, due dates
from the statutory calendar as the workflow's activity fills them. No server, no database.

``Story(due_process=True)`` runs a case under the rules of due process, as every case started since
they shipped does (``MineCaseWorkflow`` adopts them at registration); without it, the 2023 rules that
older cases keep.
"""

from __future__ import annotations

import datetime as dt

from models.calendar import CST
from models.case import Case, Task
from models.kinds import DocumentKind, EventKind, TaskKind
from models.messages import (
    DecideDisposition,
    Message,
    MineFacts,
    ProposeDisposition,
    RecordReview,
    RegisterCase,
    ReportWorksDone,
    ServeDocument,
    SubmitDocument,
)
from models.policy import load_campaign
from models.roles import Actor, Role
from models.stages import Stage
from tests.rules_helpers import CALENDAR

POLICY = load_campaign("rolling-example").resolve(dt.date(2030, 1, 1))

OFFICE = Actor(role=Role.office, name="领导小组办公室")
COUNTY = Actor(role=Role.county, name="县政府常务会议")
HOLDER = Actor(role=Role.holder, name="采矿权人代表")
TOWNSHIP = Actor(role=Role.township, name="乡镇干部", township="泗溪镇")
EXPERT = Actor(role=Role.expert, name="省级专家")


class Story:
    """One mine's case told step by step, with the calendar filling due dates as the workflow's activity does."""

    def __init__(self, *, due_process: bool = False, start: dt.datetime | None = None, policy=POLICY,
                 registered_on: dt.date | None = None, **facts: object) -> None:
        mine = MineFacts(**{"permit_no": "C9999000000000000000042", "mine_name": "测试矿（虚构）", "holder": "测试矿业（虚构）",
                            "township": "泗溪镇", "bare_area_mu": 10.0, "fictional": True, **facts})
        self.now = start or dt.datetime(2030, 3, 1, 9, 0, tzinfo=CST)
        self.policy = policy
        self.case = Case.register(RegisterCase(facts=mine, policy=policy, registered_by=OFFICE, on=registered_on), self.now)
        if due_process:  # as the workflow does for every case registered since: due process, and periods from service
            self.case.adopt_due_process(self.now)
            self.case.adopt_lawful_enforcement()
        self.settle()

    def settle(self) -> None:
        for request in list(self.case.pending_due):
            self.case.fill_due(request.target, CALENDAR.compute(request.start, request.period))

    def later(self, days: int = 1) -> None:
        """Time passes; whatever falls due on the way happens at its own instant."""
        until = self.now + dt.timedelta(days=days)
        while (alarm := self.case.next_alarm()) is not None and alarm <= until:
            self.now = max(self.now, alarm)
            self.case.apply_elapsed_time(self.now)
            self.settle()
        self.now = until

    def act(self, command: Message) -> None:
        self.later()
        self.case.handle(command, self.now)
        self.settle()

    def record_late(self, command: Message) -> None:
        """Record now an act that happened earlier (its ``on``), as an office taking in a running campaign does."""
        self.case.handle(command, self.now)
        self.settle()

    def decide(self, kind: TaskKind, approved: bool = True) -> None:
        """Each open task of ``kind`` is decided by its own assignee."""
        for task in self.open(kind):
            if not task.is_open:  # withdrawn by an earlier decision (a rejected joint determination)
                continue
            self.act(RecordReview(actor=_assignee(task), task_id=task.id, approved=approved,
                                  comment="" if approved else "材料不全"))

    def open(self, kind: TaskKind) -> list[Task]:
        return [t for t in self.case.open_tasks() if t.kind == kind]

    def until(self, stage: Stage, days: int = 3000) -> None:
        for _ in range(days // 10):
            if self.case.stage == stage:
                return
            self.later(10)
        assert self.case.stage == stage

    def to_disposition(self, path: str, *, serve: bool = True) -> None:
        """The township proposes, the county decides, and (unless ``serve=False``) its decision is served the same day."""
        self.act(ProposeDisposition(actor=TOWNSHIP, path=path, reason="资源储量尚可" if path == "continue" else ""))
        self.act(DecideDisposition(actor=COUNTY, approve=True))
        if serve:
            self.serve_all()

    def serve_all(self, method: str = "direct") -> None:
        """Every document issued and not yet served (but a notice, which is published) is served now."""
        for document in self.case.documents:
            if document.served_on is None and document.kind != DocumentKind.cancellation_notice:
                self.case.handle(ServeDocument(actor=OFFICE, document_id=document.id, method=method), self.now)
        self.settle()

    def rectify_everything(self) -> None:
        for item in self.policy.approval_items:
            self.act(SubmitDocument(actor=HOLDER, item=item.code))
        self.decide(TaskKind.document_review)
        self.decide(TaskKind.joint_determination)  # 四.2 under the newest rules: determined jointly,
        self.decide(TaskKind.determination_approval)  # then approved by the county
        self.act(ReportWorksDone(actor=HOLDER))
        self.decide(TaskKind.initial_inspection)
        self.decide(TaskKind.field_acceptance)

    def triples(self) -> set[tuple[EventKind, Stage, Stage]]:
        return {(e.kind, e.stage_from, e.stage_to) for e in self.case.timeline}


def _assignee(task: Task) -> Actor:
    if task.assignee_role == Role.department:
        return Actor(role=Role.department, name="审批员", department=task.department)
    if task.assignee_role == Role.township:
        return TOWNSHIP
    if task.assignee_role == Role.county:
        return COUNTY
    return EXPERT


