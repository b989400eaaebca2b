"""The case of one stopped mine: its state and the rules of 004, as a pure domain model.

No Temporal, no database, no clock: every method takes the business time ``now`` from its
caller (the workflow passes ``workflow.now()``). Guards are named like the rules they check and
raise ``RuleViolation`` with a bilingual message; a guard that fails changes nothing. Due dates
are not computed here: a rule that starts a period appends a ``DueRequest`` and the workflow has
an activity compute it with the statutory calendar, then hands it back with ``fill_due``.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field

from models.calendar import CST, Deadline, Period, overdue_instant
from models.cancel_path import (
    CANCEL_APPLICATION,
    RESTORATION_PLAN,
    TOWNSHIP_TAKEOVER,
    UNUSED_BARE_AREA,
    CancelPathRules,
    CaseDocument,
)
from models.errors import MinecaseError
from models.messages import (
    ApplyCancellation,
    ApplyResumeProduction,
    DecideDisposition,
    DecideRenewal,
    MineFacts,
    MoveDeadline,
    ProposeDisposition,
    RecordReview,
    RegisterCase,
    ReportWorksDone,
    SubmitDocument,
)
from models.policy import CampaignPolicy
from models.roles import ROLE_LABELS, SYSTEM, Actor, Department, Role
from models.stages import FINAL_STAGES, RECTIFYING_STAGES, RESTORING_STAGES, Path, Stage


class RuleViolation(MinecaseError):
    """An input the plan does not allow at this point. Nothing was changed."""


# --- parts of a case -------------------------------------------------------------------------


class TaskKind(StrEnum):
    document_review = "document_review"  # 审批 approval of a document by its department
    initial_inspection = "initial_inspection"  # 初验 township initial inspection (五.1)
    field_acceptance = "field_acceptance"  # 实地验收 department field acceptance (五.1)
    joint_review = "joint_review"  # 联审联批 (四.1)
    permit_renewal = "permit_renewal"  # 采矿许可证延续 (四.1)
    resume_review = "resume_review"  # 复产联审 (五.1)
    supply_restore = "supply_restore"  # 恢复供电、民爆物品供应 (六)
    permit_cancellation = "permit_cancellation"  # 注销证照 (四.3)
    plan_review = "plan_review"  # 生态修复方案专家评审 (四.2, 七.2)
    expert_certificate = "expert_certificate"  # 验收合格意见书 (五.1)
    supply_stop = "supply_stop"  # 停止供电、民爆物品 (六)
    post_care_inspection = "post_care_inspection"  # 后期管护巡查 (六)


TASK_LABELS = {
    TaskKind.document_review: ("审批", "review"),
    TaskKind.initial_inspection: ("初验", "initial inspection"),
    TaskKind.field_acceptance: ("实地验收", "field acceptance"),
    TaskKind.joint_review: ("联审联批", "joint review"),
    TaskKind.permit_renewal: ("办理采矿许可证延续", "renew the mining permit"),
    TaskKind.resume_review: ("复产联审", "resume-production review"),
    TaskKind.supply_restore: ("恢复供应", "restore supply"),
    TaskKind.permit_cancellation: ("注销证照", "cancel permits"),
    TaskKind.plan_review: ("专家评审", "expert review"),
    TaskKind.expert_certificate: ("专家验收", "expert acceptance"),
    TaskKind.supply_stop: ("停止供应", "stop supply"),
    TaskKind.post_care_inspection: ("管护巡查", "post-care inspection"),
}


class Task(BaseModel):
    """A step someone other than the holder must take: it sits in their inbox until decided."""

    id: str
    kind: TaskKind
    clause: str
    assignee_role: Role
    department: Department | None = None
    township: str | None = None
    item: str | None = None
    subject_zh: str
    subject_en: str
    opened_at: dt.datetime
    due: Deadline | None = None
    status: Literal["open", "approved", "rejected", "withdrawn"] = "open"
    escalated: bool = False
    decided_at: dt.datetime | None = None
    decided_by: Actor | None = None
    comment: str = ""

    @property
    def is_open(self) -> bool:
        return self.status == "open"


class DeadlineMove(BaseModel):
    at: dt.datetime
    decided_by: Actor
    meeting: str
    reason: str
    old_last_day: dt.date
    new_last_day: dt.date


class TrackedDeadline(BaseModel):
    """A period running against someone, with its reminders and any collective-decision moves."""

    kind: str
    label_zh: str
    label_en: str
    clause: str
    responsible: Role
    deadline: Deadline | None = None
    status: Literal["open", "met", "missed", "withdrawn"] = "open"
    reminders_sent: list[int] = Field(default_factory=list)
    moves: list[DeadlineMove] = Field(default_factory=list)


class ItemState(BaseModel):
    code: str
    status: Literal["not_submitted", "under_review", "approved", "rejected"] = "not_submitted"
    task_id: str | None = None
    title: str = ""


class TimelineEvent(BaseModel):
    """One transition of the case, in the past tense, with business time, actor and clause."""

    seq: int
    at: dt.datetime
    kind: str
    actor: Actor
    clause: str
    stage_from: Stage
    stage_to: Stage
    summary_zh: str
    summary_en: str
    data: dict[str, Any] = Field(default_factory=dict)


class Notice(BaseModel):
    """A message to people: reminders, escalations, requests for action."""

    id: str
    at: dt.datetime
    kind: str
    recipients: list[str]
    text_zh: str
    text_en: str


class DueRequest(BaseModel):
    """Ask the statutory calendar for a due date (``target``: ``deadline:<kind>`` or ``task:<id>``)."""

    target: str
    start: dt.date | None
    period: Period


WorksStatus = Literal["not_started", "initial_inspection", "field_acceptance", "expert_acceptance", "accepted", "rejected", "not_required"]

RECTIFICATION = "rectification"
EXTENSION = "extension"


def business_date(now: dt.datetime) -> dt.date:
    """The calendar day in China Standard Time: the day a decision is dated."""
    return now.astimezone(CST).date()


# --- the case --------------------------------------------------------------------------------


class Case(CancelPathRules, BaseModel):
    facts: MineFacts
    policy: CampaignPolicy
    stage: Stage = Stage.registered
    path: Path = Path.undecided
    proposed_path: Literal["continue", "cancel"] | None = None
    disposition_date: dt.date | None = None
    items: dict[str, ItemState] = Field(default_factory=dict)
    works: WorksStatus = "not_started"
    restoration_plan: Literal["not_submitted", "under_review", "approved", "rejected"] = "not_submitted"
    acceptance_date: dt.date | None = None
    documents: list[CaseDocument] = Field(default_factory=list)
    inspections: dict[str, dt.datetime] = Field(default_factory=dict)
    deadlines: dict[str, TrackedDeadline] = Field(default_factory=dict)
    tasks: dict[str, Task] = Field(default_factory=dict)
    timeline: list[TimelineEvent] = Field(default_factory=list)
    notices: list[Notice] = Field(default_factory=list)
    pending_due: list[DueRequest] = Field(default_factory=list)

    # -- creation ------------------------------------------------------------------------------

    @classmethod
    def register(cls, command: RegisterCase, now: dt.datetime) -> "Case":
        case = cls(facts=command.facts, policy=command.policy)
        flags = []
        if command.facts.resources_exhausted:
            flags.append("资源枯竭")
        if command.facts.never_produced:
            flags.append("建矿至今未生产")
        case._record(
            now,
            "case_registered",
            command.registered_by,
            "三",
            Stage.registered,
            f"登记停产矿山 {command.facts.mine_name}" + (f"（{'、'.join(flags)}）" if flags else ""),
            f"stopped mine {command.facts.permit_no} registered",
            campaign=command.policy.id,
        )
        return case

    # -- queries -------------------------------------------------------------------------------

    @property
    def permit_no(self) -> str:
        return self.facts.permit_no

    @property
    def is_closed(self) -> bool:
        return self.stage in FINAL_STAGES

    def open_tasks(self) -> list[Task]:
        return [t for t in self.tasks.values() if t.is_open]

    def open_deadlines(self) -> list[TrackedDeadline]:
        return [d for d in self.deadlines.values() if d.status == "open" and d.deadline is not None]

    def next_deadline(self) -> TrackedDeadline | None:
        running = self.open_deadlines()
        return min(running, key=lambda d: d.deadline.last_day) if running else None

    def is_overdue(self, now: dt.datetime) -> bool:
        if any(d.deadline.overdue_from <= now for d in self.open_deadlines()):
            return True
        return any(t.due is not None and t.due.overdue_from <= now for t in self.open_tasks())

    def next_alarm(self) -> dt.datetime | None:
        """The next instant something must happen without anyone's input."""
        instants = []
        for tracked in self.open_deadlines():
            instants.append(tracked.deadline.overdue_from)
            instants.extend(self._reminder_at(tracked, offset) for offset in self._unsent_reminders(tracked))
        for task in self.open_tasks():
            if task.due is not None and not task.escalated:
                instants.append(task.due.overdue_from)
        instants.extend(self.inspections.values())
        return min(instants) if instants else None

    def open_obligations(self) -> list[dict[str, Any]]:
        """What is owed now, by whom, and by when: the answer to "whose move is it?"."""
        owed: list[dict[str, Any]] = []
        due = self.next_deadline()
        if self.stage in RECTIFYING_STAGES:
            for item in self.items.values():
                if item.status in ("not_submitted", "rejected"):
                    spec = self.policy.item(item.code)
                    owed.append(self._obligation("submit_document", Role.holder, spec.name_zh, spec.name_en, due, item=item.code))
            if self.works in ("not_started", "rejected"):
                owed.append(self._obligation("finish_works", Role.holder, "完成矿山生态环境整治任务", "finish the rectification works", due))
        if self.stage in RESTORING_STAGES:
            if self.restoration_plan in ("not_submitted", "rejected"):
                owed.append(self._obligation("submit_restoration_plan", Role.holder, "编制生态修复方案", "prepare the restoration plan",
                                             self.deadlines.get(RESTORATION_PLAN), item=RESTORATION_PLAN))
            if self.works in ("not_started", "rejected"):
                owed.append(self._obligation("finish_works", Role.holder, "完成采区、厂区、堆料区裸露区整治", "finish the restoration works",
                                             self.deadlines.get("restoration_works")))
        if self.stage == Stage.awaiting_cancel_application:
            owed.append(self._obligation("apply_cancellation", Role.holder, "提交注销申请", "apply to cancel",
                                         self.deadlines.get(CANCEL_APPLICATION)))
        if self._takeover_open() and self.works in ("not_started", "rejected"):
            owed.append(self._obligation("finish_takeover_works", Role.township, "接手完成整治任务", "finish the works taken over",
                                         self.deadlines.get(TOWNSHIP_TAKEOVER)))
        if self.stage == Stage.registered:
            owed.append(self._obligation("propose_disposition", Role.township, "提出处置意见", "propose a disposition", None))
        if self.stage == Stage.disposition_review:
            owed.append(self._obligation("decide_disposition", Role.county, "研究处置意见", "decide the disposition", None))
        if self.stage == Stage.renewal_decision:
            owed.append(self._obligation("decide_renewal", Role.county, "常务会议研究延续", "executive meeting on renewal", None))
        if self.stage == Stage.renewed:
            owed.append(self._obligation("apply_resume_production", Role.holder, "申请恢复生产", "apply to resume production", None))
        if self.stage == Stage.deemed_abandoned:
            owed.append(self._obligation("apply_cancellation", Role.township, "作出注销矿权申请", "apply to cancel the right", None))
        for task in self.open_tasks():
            owed.append(
                {
                    "kind": task.kind.value,
                    "task_id": task.id,
                    "responsible": task.assignee_role.value,
                    "department": task.department.value if task.department else None,
                    "label_zh": task.subject_zh,
                    "label_en": task.subject_en,
                    "due": task.due.last_day.isoformat() if task.due else None,
                    "provisional": task.due.provisional if task.due else False,
                }
            )
        return owed

    # -- guards --------------------------------------------------------------------------------

    def check_stage(self, *allowed: Stage) -> None:
        if self.stage not in allowed:
            raise RuleViolation(
                f"本案当前处于「{self.stage.label_zh}」阶段，不能进行此操作",
                f"the case is at stage '{self.stage.value}'; this input is not allowed now",
            )

    @staticmethod
    def check_role(actor: Actor, *roles: Role) -> None:
        if actor.role not in roles:
            raise RuleViolation(
                f"此操作应由{'或'.join(_role_zh(r) for r in roles)}进行",
                f"this input is for {' or '.join(r.value for r in roles)}, not {actor.role.value}",
            )

    def check_township_is_the_mines(self, actor: Actor) -> None:
        self.check_role(actor, Role.township)
        if actor.township != self.facts.township:
            raise RuleViolation(
                f"本矿属于{self.facts.township}，{actor.township or '未指明乡镇'}不能代为操作",
                f"this mine belongs to {self.facts.township}, not to {actor.township or 'an unnamed township'}",
            )

    def check_resources_exhausted_rule(self, command: ProposeDisposition) -> None:
        if self.facts.resources_exhausted and command.path == "continue" and not command.reason.strip():
            raise RuleViolation(
                "资源枯竭的矿山原则上注销关闭，建议延续须说明理由（四.1）",
                "a mine whose resources are exhausted is cancelled in principle; a continue proposal needs a reason (四.1)",
            )

    def check_item_may_be_submitted(self, code: str) -> ItemState:
        item = self.items.get(code)
        if item is None:
            known = "、".join(f"{i.code}（{i.name_zh}）" for i in self.policy.approval_items)
            raise RuleViolation(f"未知的审批材料「{code}」，可提交：{known}", f"unknown document '{code}'")
        if item.status == "under_review":
            raise RuleViolation(f"「{self.policy.item(code).name_zh}」正在审批中", f"'{code}' is already under review")
        if item.status == "approved":
            raise RuleViolation(f"「{self.policy.item(code).name_zh}」已审批通过", f"'{code}' is already approved")
        return item

    def check_works_may_be_reported(self) -> None:
        if self.works == "not_required":
            raise RuleViolation("建矿至今未生产，保持原始地貌，无整治任务", "never produced: there are no works to report")
        if self.works in ("initial_inspection", "field_acceptance", "expert_acceptance"):
            raise RuleViolation("整治任务正在验收中", "the works are already being inspected")
        if self.works == "accepted":
            raise RuleViolation("整治任务已通过验收", "the works are already accepted")

    def check_task_is_theirs(self, command: RecordReview) -> Task:
        task = self.tasks.get(command.task_id)
        if task is None:
            raise RuleViolation(f"本案没有任务 {command.task_id}", f"no task {command.task_id} on this case")
        if not task.is_open:
            raise RuleViolation(f"任务 {command.task_id} 已办结（{task.status}）", f"task {command.task_id} is already {task.status}")
        actor = command.actor
        if actor.role != task.assignee_role:
            raise RuleViolation(
                f"任务「{task.subject_zh}」应由{_role_zh(task.assignee_role)}办理", f"task {task.id} is for {task.assignee_role.value}"
            )
        if task.department is not None and actor.department != task.department:
            raise RuleViolation(
                f"任务「{task.subject_zh}」由{task.department.label_zh}办理", f"task {task.id} belongs to {task.department.value}"
            )
        if task.township is not None and actor.township != task.township:
            raise RuleViolation(f"任务「{task.subject_zh}」由{task.township}办理", f"task {task.id} belongs to {task.township}")
        return task

    def check_deadline_may_move(self, command: MoveDeadline, now: dt.datetime) -> TrackedDeadline:
        tracked = self.deadlines.get(command.kind)
        if tracked is None or tracked.status != "open" or tracked.deadline is None:
            running = "、".join(d.kind for d in self.open_deadlines()) or "无"
            raise RuleViolation(f"没有正在计算的期限「{command.kind}」（当前：{running}）", f"no running deadline '{command.kind}'")
        if command.new_last_day == tracked.deadline.last_day:
            raise RuleViolation("新期限与原期限相同", "the new last day is the current one")
        if command.new_last_day < business_date(now):
            raise RuleViolation("新期限早于今天", "the new last day is in the past")
        return tracked

    # -- inputs --------------------------------------------------------------------------------

    def propose_disposition(self, command: ProposeDisposition, now: dt.datetime) -> None:
        self.check_stage(Stage.registered)
        self.check_township_is_the_mines(command.actor)
        self.check_resources_exhausted_rule(command)
        self.proposed_path = command.path
        label = "延续" if command.path == "continue" else "注销关闭"
        self._record(
            now, "disposition_proposed", command.actor, "四.1", Stage.disposition_review,
            f"{command.actor.township}建议{label}" + (f"：{command.reason}" if command.reason else ""),
            f"township proposed to {command.path}",
            path=command.path, reason=command.reason,
        )
        self._notify(now, "decision_requested", ["county", "office"], f"{self.facts.mine_name}处置意见待县政府研究", "disposition awaits the county")

    def decide_disposition(self, command: DecideDisposition, now: dt.datetime) -> None:
        self.check_stage(Stage.disposition_review)
        self.check_role(command.actor, Role.county)
        if not command.approve:
            self.proposed_path = None
            self._record(now, "disposition_returned", command.actor, "四.1", Stage.registered,
                         f"县政府退回处置意见：{command.comment}", "county sent the proposal back", comment=command.comment)
            return
        self.disposition_date = business_date(now)
        if self.proposed_path == "cancel":
            self._order_closure(command.actor, now)
            return
        self.path = Path.continue_
        self.items = {i.code: ItemState(code=i.code) for i in self.policy.approval_items}
        if self.facts.never_produced:
            self.works = "not_required"
        self._record(now, "continuation_approved", command.actor, "四.1", Stage.rectifying,
                     f"县政府研究同意延续，自{self.disposition_date}起{self.policy.rectify_months}个月内完善审批手续、完成整治任务",
                     f"county approved continuation; {self.policy.rectify_months} months from {self.disposition_date}")
        self._start_deadline(
            RECTIFICATION, "完善审批手续并完成整治任务", "approvals and rectification works", "四.1", Role.holder,
            self.disposition_date, Period(unit="months", amount=self.policy.rectify_months),
        )
        unused = self.policy.fixed("unused_bare_area_due")
        if self.facts.unused_bare_area_mu > 0 and not self.facts.never_produced and unused is not None:
            self._start_fixed(UNUSED_BARE_AREA, "不使用区裸露区整治", "bare areas of unused zones restored", "四.2",
                              Role.holder, unused.date)

    def submit_document(self, command: SubmitDocument, now: dt.datetime) -> None:
        if command.item == RESTORATION_PLAN and self.path == Path.cancel:
            self.check_stage(Stage.closure_ordered, Stage.restoring, Stage.cancel_acceptance)
            self.check_role(command.actor, Role.holder)
            self.submit_restoration_plan(command.actor, command.title, now)
            return
        self.check_stage(*RECTIFYING_STAGES)
        self.check_role(command.actor, Role.holder)
        item = self.check_item_may_be_submitted(command.item)
        spec = self.policy.item(command.item)
        task = self._open_task(now, TaskKind.document_review, spec.clause, Role.department, department=spec.department,
                               item=spec.code, subject_zh=f"审批《{spec.name_zh}》", subject_en=f"review the {spec.name_en}")
        item.status, item.task_id, item.title = "under_review", task.id, command.title
        self._record(now, "document_submitted", command.actor, spec.clause, self.stage,
                     f"采矿权人提交《{spec.name_zh}》，送{spec.department.label_zh}审批",
                     f"holder submitted the {spec.name_en} to {spec.department.value}", item=spec.code, task_id=task.id)

    def report_works_done(self, command: ReportWorksDone, now: dt.datetime) -> None:
        if self._takeover_open():  # 四.2 the township finished the works it took over: field acceptance
            self.check_township_is_the_mines(command.actor)
            self.check_works_may_be_reported()
            self.works = "field_acceptance"
            self._record(now, "takeover_works_reported_done", command.actor, "五.1", self.stage,
                         f"{self.facts.township}报告接手的整治任务完成，待实地验收", "township reported the taken-over works done")
            self._open_field_acceptance(now)
            return
        self.check_stage(*RECTIFYING_STAGES, *RESTORING_STAGES)
        self.check_role(command.actor, Role.holder)
        self.check_works_may_be_reported()
        stage = Stage.cancel_acceptance if self.path == Path.cancel else self.stage
        self.works = "initial_inspection"
        task = self._open_task(now, TaskKind.initial_inspection, "五.1", Role.township, township=self.facts.township,
                               subject_zh="整治任务初验", subject_en="initial inspection of the works")
        self._record(now, "works_reported_done", command.actor, "五.1", stage,
                     "采矿权人报告整治任务完成，待林场、乡镇初验", "holder reported the works done", task_id=task.id)

    def record_review(self, command: RecordReview, now: dt.datetime) -> None:
        task = self.check_task_is_theirs(command)
        task.status = "approved" if command.approved else "rejected"
        task.decided_at, task.decided_by, task.comment = now, command.actor, command.comment
        verdict_zh = "通过" if command.approved else "不通过"
        handler = {
            TaskKind.document_review: self._after_document_review,
            TaskKind.initial_inspection: self._after_initial_inspection,
            TaskKind.field_acceptance: self._after_field_acceptance,
            TaskKind.joint_review: self._after_joint_review,
            TaskKind.permit_renewal: self._after_permit_renewal,
            TaskKind.resume_review: self._after_resume_review,
            TaskKind.supply_restore: self._after_resume_review,
            TaskKind.permit_cancellation: self._after_permit_cancellation,
            TaskKind.plan_review: lambda t, c, n: self._after_plan_review(t, c.approved, c.comment, n),
            TaskKind.expert_certificate: lambda t, c, n: self._after_expert_certificate(t, c.approved, c.comment, n),
            TaskKind.supply_stop: lambda t, c, n: None,
            TaskKind.post_care_inspection: lambda t, c, n: None,
        }[task.kind]
        self._record(now, "review_recorded", command.actor, task.clause, self.stage,
                     f"{task.subject_zh}：{verdict_zh}" + (f"（{command.comment}）" if command.comment else ""),
                     f"{task.subject_en}: {'approved' if command.approved else 'rejected'}",
                     task_id=task.id, approved=command.approved)
        handler(task, command, now)

    def decide_renewal(self, command: DecideRenewal, now: dt.datetime) -> None:
        self.check_stage(Stage.renewal_decision)
        self.check_role(command.actor, Role.county)
        if not command.approve:
            self._record(now, "renewal_returned", command.actor, "四.1", Stage.joint_review,
                         f"县政府常务会议未同意，退回联审：{command.comment}", "executive meeting sent it back to joint review")
            self._open_joint_review(now)
            return
        self._record(now, "renewal_agreed", command.actor, "四.1", Stage.renewing_permit,
                     "县政府常务会议研究同意，按程序办理采矿许可证延续", "executive meeting agreed; permit to be renewed")
        self._open_task(now, TaskKind.permit_renewal, "四.1", Role.department, department=Department.natural_resources,
                        subject_zh="办理采矿许可证延续手续", subject_en="renew the mining permit")

    def apply_resume_production(self, command: ApplyResumeProduction, now: dt.datetime) -> None:
        self.check_stage(Stage.renewed)
        self.check_role(command.actor, Role.holder)
        self._record(now, "resumption_applied", command.actor, "五.1", Stage.resuming_production,
                     "采矿权人申请恢复生产，按多部门联审联批执行", "holder applied to resume production")
        for department in self.policy.resume_review_departments:
            self._open_task(now, TaskKind.resume_review, "五.1", Role.department, department=department,
                            subject_zh="恢复生产联审", subject_en="resume-production review")
        for department in self.policy.supply_restore_departments:
            what_zh, what_en = ("恢复供电", "restore power") if department == Department.power_supply else ("恢复民爆物品供应", "restore explosives supply")
            self._open_task(now, TaskKind.supply_restore, "六", Role.department, department=department, subject_zh=what_zh, subject_en=what_en)

    def apply_cancellation(self, command: ApplyCancellation, now: dt.datetime) -> None:
        if self.stage == Stage.awaiting_cancel_application:
            self.check_role(command.actor, Role.holder)
            self._holder_applies_to_cancel(command.actor, now)
            return
        self.check_stage(Stage.deemed_abandoned)
        self.check_township_is_the_mines(command.actor)
        self._record(now, "cancellation_applied", command.actor, "四.3", Stage.cancelling,
                     f"{self.facts.township}作出注销矿权申请，各部门直接注销证照", "township applied; departments cancel the permits")
        self._open_cancellations(now)

    def move_deadline(self, command: MoveDeadline, now: dt.datetime) -> None:
        self.check_role(command.actor, Role.office, Role.county)
        tracked = self.check_deadline_may_move(command, now)
        old = tracked.deadline.last_day
        tracked.moves.append(DeadlineMove(at=now, decided_by=command.actor, meeting=command.meeting, reason=command.reason,
                                          old_last_day=old, new_last_day=command.new_last_day))
        tracked.deadline = fixed_deadline(command.new_last_day)
        self._reset_reminders(tracked, now)
        self._notify(now, "deadline_moved", [tracked.responsible.value, "township", "leader", "office"],
                     f"{self.facts.mine_name}：经集体研究，{tracked.label_zh}期限调整为{command.new_last_day}（原{old}）",
                     f"by collective decision, '{tracked.kind}' now ends on {command.new_last_day} (was {old})")
        self._record(now, "deadline_moved", command.actor, "五.3", self.stage,
                     f"经集体研究（{command.meeting}），{tracked.label_zh}期限由{old}调整为{command.new_last_day}：{command.reason}",
                     f"collective decision moved '{tracked.kind}' from {old} to {command.new_last_day}",
                     deadline=tracked.kind, old=old.isoformat(), new=command.new_last_day.isoformat(), meeting=command.meeting)

    # -- what time does ------------------------------------------------------------------------

    def on_time(self, now: dt.datetime) -> None:
        """Everything due at ``now``: reminders, review escalations, expired periods."""
        for tracked in list(self.open_deadlines()):
            for offset in self._unsent_reminders(tracked):
                if self._reminder_at(tracked, offset) <= now:
                    tracked.reminders_sent.append(offset)
                    self._remind(tracked, offset, self._reminder_at(tracked, offset))
            if tracked.deadline.overdue_from <= now:
                # The consequence takes effect at the instant the law gives, however late it is processed.
                self._expire(tracked, tracked.deadline.overdue_from)
        for number, at in sorted(self.inspections.items()):
            if at <= now:
                self._inspect(int(number), at)
        for task in self.open_tasks():
            if task.due is not None and not task.escalated and task.due.overdue_from <= now:
                task.escalated = True
                self._record(task.due.overdue_from, "review_overdue_escalated", SYSTEM, task.clause, self.stage,
                             f"{task.subject_zh}逾期未办结（期限{task.due.last_day}），报领导小组办公室",
                             f"{task.subject_en} overdue since {task.due.last_day}; office told", task_id=task.id)
                self._notify(task.due.overdue_from, "review_overdue", ["office", _assignee(task)],
                             f"{self.facts.mine_name}：{task.subject_zh}已逾期", f"{task.subject_en} is overdue")

    def _expire(self, tracked: TrackedDeadline, now: dt.datetime) -> None:
        tracked.status = "missed"
        if self._expire_cancel_path(tracked, now):
            return
        if tracked.kind == RECTIFICATION:
            first_last_day = tracked.deadline.last_day
            self._record(now, "rectification_period_expired", SYSTEM, "四.1", Stage.rectifying_extended,
                         f"6个月内未完成（期限{first_last_day}），给予{self.policy.extension_months}个月整改期限",
                         f"not done by {first_last_day}; a {self.policy.extension_months}-month rectification period is given")
            self._notify(now, "period_expired", ["holder", "township", "leader", "office"],
                         f"{self.facts.mine_name}逾期未完成整改，已给予{self.policy.extension_months}个月整改期限",
                         "first period expired; extension given")
            self._start_deadline(EXTENSION, "整改期限", "rectification period (extension)", "四.1", Role.holder,
                                 first_last_day, Period(unit="months", amount=self.policy.extension_months))
        elif tracked.kind == EXTENSION:
            self.path = Path.deemed_abandoned
            for task in self.open_tasks():
                task.status = "withdrawn"
            self._stop_supply(now, "六")
            self._record(now, "deemed_to_have_abandoned", SYSTEM, "四.1", Stage.deemed_abandoned,
                         f"整改期限届满（{tracked.deadline.last_day}）仍未完成，视为采矿权人自动放弃矿权",
                         "still not done at the end of the rectification period: deemed to have abandoned the right")
            self._notify(now, "deemed_abandoned", ["holder", "township", "leader", "office"],
                         f"{self.facts.mine_name}视为自动放弃矿权，请{self.facts.township}作出注销矿权申请",
                         "deemed to have abandoned the right; the township is to apply for cancellation")

    # -- after each kind of review --------------------------------------------------------------

    def _after_document_review(self, task: Task, command: RecordReview, now: dt.datetime) -> None:
        item = self.items[task.item]
        if command.approved:
            item.status = "approved"
            self._check_rectification_complete(now)
        else:
            item.status = "rejected"
            self._notify(now, "document_rejected", ["holder"], f"《{self.policy.item(task.item).name_zh}》未通过审批，请修改后重新提交：{command.comment}",
                         "document rejected; revise and resubmit")

    def _after_initial_inspection(self, task: Task, command: RecordReview, now: dt.datetime) -> None:
        if not command.approved:
            self.works = "rejected"
            self._notify(now, "works_rejected", ["holder"], f"初验未通过：{command.comment}", "initial inspection failed")
            return
        self.works = "field_acceptance"
        self._open_field_acceptance(now)

    def _open_field_acceptance(self, now: dt.datetime) -> None:
        for department in self.policy.acceptance_departments:
            self._open_task(now, TaskKind.field_acceptance, "五.1", Role.department, department=department,
                            subject_zh="实地验收（县政府办牵头）", subject_en="field acceptance (led by the government office)")

    def _after_field_acceptance(self, task: Task, command: RecordReview, now: dt.datetime) -> None:
        if not command.approved:
            self.works = "rejected"
            for other in self.open_tasks():
                if other.kind == TaskKind.field_acceptance:
                    other.status = "withdrawn"
            self._notify(now, "works_rejected", ["holder", "township"], f"实地验收未通过：{command.comment}", "field acceptance failed")
            return
        if not any(t.kind == TaskKind.field_acceptance and t.is_open for t in self.tasks.values()):
            if self.path in (Path.cancel, Path.deemed_abandoned):  # 五.1: experts certify a cancel mine's works
                self.works = "expert_acceptance"
                self._after_cancel_field_acceptance(now)
                return
            self.works = "accepted"
            self._meet(UNUSED_BARE_AREA)
            self._record(now, "works_accepted", SYSTEM, "五.1", self.stage,
                         "实地验收合格，视为完成矿山环境整治任务", "field acceptance passed: works done")
            self._check_rectification_complete(now)

    def _check_rectification_complete(self, now: dt.datetime) -> None:
        if self.works not in ("accepted", "not_required") or any(i.status != "approved" for i in self.items.values()):
            return
        for kind in (RECTIFICATION, EXTENSION):
            if kind in self.deadlines and self.deadlines[kind].status == "open":
                self.deadlines[kind].status = "met"
        self._record(now, "rectification_completed", SYSTEM, "四.1", Stage.joint_review,
                     "审批手续完善、整治任务完成，进入联审联批", "approvals and works done: joint review")
        self._open_joint_review(now)

    def _open_joint_review(self, now: dt.datetime) -> None:
        for department in self.policy.joint_review_departments:
            self._open_task(now, TaskKind.joint_review, "四.1", Role.department, department=department,
                            subject_zh="联审联批", subject_en="joint review")

    def _after_joint_review(self, task: Task, command: RecordReview, now: dt.datetime) -> None:
        if not command.approved:
            self._open_task(now, TaskKind.joint_review, "四.1", Role.department, department=task.department,
                            subject_zh="联审联批（复审）", subject_en="joint review (again)")
            self._notify(now, "joint_review_rejected", ["holder", "office"], f"{task.department.label_zh}联审未通过：{command.comment}",
                         "joint review rejected; to be reviewed again")
            return
        if not any(t.kind == TaskKind.joint_review and t.is_open for t in self.tasks.values()):
            self._record(now, "joint_review_passed", SYSTEM, "四.1", Stage.renewal_decision,
                         "联审联批通过，报县政府常务会议研究", "joint review passed; to the executive meeting")

    def _after_permit_renewal(self, task: Task, command: RecordReview, now: dt.datetime) -> None:
        if command.approved:
            self._record(now, "permit_renewed", command.actor, "四.1", Stage.renewed, "采矿许可证延续办结", "mining permit renewed")
        else:
            self._open_task(now, TaskKind.permit_renewal, "四.1", Role.department, department=Department.natural_resources,
                            subject_zh="办理采矿许可证延续手续（补正后）", subject_en="renew the mining permit (after correction)")

    def _after_resume_review(self, task: Task, command: RecordReview, now: dt.datetime) -> None:
        if not command.approved:
            self._open_task(now, task.kind, task.clause, Role.department, department=task.department,
                            subject_zh=f"{task.subject_zh}（复审）", subject_en=f"{task.subject_en} (again)")
            return
        if not any(t.kind in (TaskKind.resume_review, TaskKind.supply_restore) and t.is_open for t in self.tasks.values()):
            self._record(now, "production_resumed", SYSTEM, "五.1", Stage.production_resumed,
                         "复产联审通过，恢复供电及民爆物品供应，恢复生产", "review passed and supply restored: production resumed")

    def _open_cancellations(self, now: dt.datetime) -> None:
        for department in self.policy.cancel_departments:
            self._open_task(now, TaskKind.permit_cancellation, "四.3", Role.department, department=department,
                            subject_zh="注销采矿许可证等证照", subject_en="cancel the permits and licences")

    def _after_permit_cancellation(self, task: Task, command: RecordReview, now: dt.datetime) -> None:
        if not command.approved:
            self._open_task(now, task.kind, task.clause, Role.department, department=task.department,
                            subject_zh=f"{task.subject_zh}（补正后）", subject_en=f"{task.subject_en} (after correction)")
            return
        if not any(t.kind == TaskKind.permit_cancellation and t.is_open for t in self.tasks.values()):
            self._record(now, "permits_cancelled", SYSTEM, "四.3", Stage.cancelled,
                         "各部门注销采矿许可证等证照完毕", "all permits and licences cancelled")
            self._after_all_cancelled(now)

    # -- deadlines from the calendar ------------------------------------------------------------

    def fill_due(self, target: str, deadline: Deadline) -> None:
        """Receive a due date computed by the statutory calendar (see ``DueRequest``)."""
        kind, _, key = target.partition(":")
        if kind == "deadline":
            self.deadlines[key].deadline = deadline
        elif kind == "inspection":
            self.inspections[key] = dt.datetime.combine(deadline.last_day, dt.time(9, 0), tzinfo=CST)
        else:
            self.tasks[key].due = deadline
        self.pending_due = [r for r in self.pending_due if r.target != target]

    def recomputable(self) -> list[DueRequest]:
        """Provisional due dates still running, as requests to compute again."""
        requests = [DueRequest(target=f"deadline:{d.kind}", start=d.deadline.start, period=d.deadline.period)
                    for d in self.open_deadlines() if d.deadline.provisional]
        requests += [DueRequest(target=f"task:{t.id}", start=t.due.start, period=t.due.period)
                     for t in self.open_tasks() if t.due is not None and t.due.provisional]
        return requests

    def recomputed(self, target: str, new: Deadline, now: dt.datetime) -> None:
        kind, _, key = target.partition(":")
        old = (self.deadlines[key].deadline if kind == "deadline" else self.tasks[key].due)
        self.fill_due(target, new)
        if kind == "deadline":
            self._reset_reminders(self.deadlines[key], now)
        if old.last_day != new.last_day or old.provisional != new.provisional:
            self._record(now, "deadline_recomputed", SYSTEM, "—", self.stage,
                         f"节假日安排已载入，期限由{old.last_day}{'（暂定）' if old.provisional else ''}重算为{new.last_day}{'（暂定）' if new.provisional else ''}",
                         f"holiday schedule loaded: {old.last_day} recomputed as {new.last_day}",
                         target=target, old=old.last_day.isoformat(), new=new.last_day.isoformat())

    @staticmethod
    def _due_request(target: str, start: dt.date | None, period: Period) -> DueRequest:
        return DueRequest(target=target, start=start, period=period)

    def _start_deadline(self, kind: str, label_zh: str, label_en: str, clause: str, responsible: Role,
                        start: dt.date, period: Period) -> None:
        self.deadlines[kind] = TrackedDeadline(kind=kind, label_zh=label_zh, label_en=label_en, clause=clause, responsible=responsible)
        self.pending_due.append(DueRequest(target=f"deadline:{kind}", start=start, period=period))

    def _reset_reminders(self, tracked: TrackedDeadline, now: dt.datetime) -> None:
        """A deadline moved: reminders still ahead of its new last day are sent; those whose instant has
        already passed are skipped, so that no reminder is dated before the decision that made it due."""
        tracked.reminders_sent = [o for o in self.policy.reminder_offsets_days if self._reminder_at(tracked, o) <= now]

    def _unsent_reminders(self, tracked: TrackedDeadline) -> list[int]:
        return [o for o in self.policy.reminder_offsets_days if o not in tracked.reminders_sent]

    @staticmethod
    def _reminder_at(tracked: TrackedDeadline, offset: int) -> dt.datetime:
        """09:00 China Standard Time, ``offset`` days before the last day."""
        day = tracked.deadline.last_day - dt.timedelta(days=offset)
        return dt.datetime.combine(day, dt.time(9, 0), tzinfo=CST)

    def _remind(self, tracked: TrackedDeadline, offset: int, now: dt.datetime) -> None:
        self._notify(now, f"reminder_{offset}d", [tracked.responsible.value, "township", "leader"],
                     f"{self.facts.mine_name}：{tracked.label_zh}将于{tracked.deadline.last_day}届满（还有{offset}天）",
                     f"{tracked.label_en} ends on {tracked.deadline.last_day} ({offset} days left)")

    # -- recording -------------------------------------------------------------------------------

    def _open_task(self, now: dt.datetime, kind: TaskKind, clause: str, role: Role, *, department: Department | None = None,
                   township: str | None = None, item: str | None = None, subject_zh: str, subject_en: str) -> Task:
        task_id = f"{self.permit_no}-T{len(self.tasks) + 1:02d}"
        task = Task(id=task_id, kind=kind, clause=clause, assignee_role=role, department=department, township=township,
                    item=item, subject_zh=subject_zh, subject_en=subject_en, opened_at=now)
        self.tasks[task_id] = task
        self.pending_due.append(DueRequest(target=f"task:{task_id}", start=business_date(now),
                                           period=Period(unit="working_days", amount=self.policy.review_working_days)))
        self._notify(now, "task_opened", [_assignee(task)], f"{self.facts.mine_name}：{subject_zh}", subject_en)
        return task

    def _record(self, now: dt.datetime, kind: str, actor: Actor, clause: str, stage_to: Stage,
                summary_zh: str, summary_en: str, **data: Any) -> None:
        event = TimelineEvent(seq=len(self.timeline) + 1, at=now, kind=kind, actor=actor, clause=clause,
                              stage_from=self.stage, stage_to=stage_to, summary_zh=summary_zh, summary_en=summary_en, data=data)
        self.timeline.append(event)
        self.stage = stage_to

    def _notify(self, now: dt.datetime, kind: str, recipients: list[str], text_zh: str, text_en: str) -> None:
        self.notices.append(Notice(id=f"{self.permit_no}-N{len(self.notices) + 1:03d}", at=now, kind=kind,
                                   recipients=recipients, text_zh=text_zh, text_en=text_en))

    @staticmethod
    def _obligation(kind: str, role: Role, zh: str, en: str, due: TrackedDeadline | None, **extra: Any) -> dict[str, Any]:
        return {
            "kind": kind,
            "responsible": role.value,
            "label_zh": zh,
            "label_en": en,
            "due": due.deadline.last_day.isoformat() if due and due.deadline else None,
            "provisional": bool(due and due.deadline and due.deadline.provisional),
            **extra,
        }


def fixed_deadline(last_day: dt.date) -> Deadline:
    """A last day taken as given (a collective decision's new date)."""
    return Deadline(start=None, period=Period(unit="fixed", fixed_date=last_day), last_day=last_day,
                    overdue_from=overdue_instant(last_day))


def _assignee(task: Task) -> str:
    if task.department is not None:
        return f"department:{task.department.value}"
    if task.township is not None:
        return f"township:{task.township}"
    return task.assignee_role.value


def _role_zh(role: Role) -> str:
    return ROLE_LABELS[role][0]
