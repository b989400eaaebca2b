"""The cancel path (注销矿山, 四.3, 五.1) and the consequences of missed duties (四.2, 五.2, 六).

Mixed into ``models.case.Case``: the same aggregate, the rules of sections B and C of
process.md kept in one place. Restore first, cancel after: closure decision → restoration plan
(experts) → works → acceptance (township, departments, expert certificate) → 30 days to apply →
departments cancel → post-care → case closed. Silence has consequences: works overdue or no
application in the window → cancellation notice → deemed abandoned; works overdue also →
township takeover and a referral for public-interest litigation.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from models.calendar import CST, Period
from models.roles import SYSTEM, Actor, Department, Role
from models.stages import RESTORING_STAGES, Path, Stage

if TYPE_CHECKING:  # pragma: no cover
    from models.case import Task, TrackedDeadline

RESTORATION_PLAN = "restoration_plan"
RESTORATION_WORKS = "restoration_works"
CANCEL_APPLICATION = "cancel_application"
TOWNSHIP_TAKEOVER = "township_takeover"
UNUSED_BARE_AREA = "unused_bare_area"
POST_CARE = "post_care"

PLAN_ITEM = ("生态修复方案", "ecological restoration plan")


class CaseDocument(BaseModel):
    """A document the county issues from the case: its fields are rendered as HTML (and PDF)."""

    id: str
    kind: str  # closure_decision | cancellation_notice | referral
    title_zh: str
    title_en: str
    issued_at: dt.datetime
    clause: str
    fields: dict[str, Any] = Field(default_factory=dict)


class CancelPathRules:
    """Rules of the cancel path; ``self`` is the ``Case``."""

    # -- the closure decision (四.3) ----------------------------------------------------------------

    def _order_closure(self, actor: Actor, now: dt.datetime) -> None:
        policy, facts = self.policy, self.facts
        self.path = Path.cancel
        plan_due = policy.fixed("restoration_plan_due")
        works_due = policy.fixed("cancel_works_due")
        never_produced = facts.never_produced
        fields = {
            "mine_name": facts.mine_name,
            "permit_no": facts.permit_no,
            "holder": facts.holder,
            "township": facts.township,
            "restoration_party": facts.holder,
            "restoration_deadline": None if never_produced else works_due.date.isoformat(),
            "plan_deadline": None if never_produced else plan_due.date.isoformat(),
            "supervisor": f"{facts.township}人民政府（林场）",
            "application_window_days": policy.cancel_application_days,
            "post_care_party": f"{facts.township}人民政府（林场）",
            "post_care_years": policy.post_care_years,
            "never_produced": never_produced,
            "document_no": policy.document_no,
        }
        document = self._issue_document(now, "closure_decision", "关闭决定书", "closure decision", "四.3", fields)
        summary = "县政府研究同意注销关闭，下达关闭决定文书"
        if never_produced:
            self._record(now, "closure_ordered", actor, "四.3", Stage.awaiting_cancel_application,
                         summary + "；建矿至今未生产，保持原始地貌，不得人为扰动，无需修复",
                         "closure ordered; never produced: the site is kept as it is, no restoration works",
                         document_id=document.id, site_not_to_be_disturbed=True)
            self._start_deadline(CANCEL_APPLICATION, "提交注销申请", "apply to cancel", "四.3", Role.holder,
                                 self.disposition_date, Period(unit="days", amount=policy.cancel_application_days))
        else:
            self._record(now, "closure_ordered", actor, "四.3", Stage.closure_ordered,
                         f"{summary}：{plan_due.date}前编制完生态修复方案，{works_due.date}前完成整治并通过验收",
                         f"closure ordered: plan by {plan_due.date}, works accepted by {works_due.date}",
                         document_id=document.id)
            self._start_fixed(RESTORATION_PLAN, "编制完生态修复方案", "restoration plan done", "四.2", Role.holder, plan_due.date)
            self._start_fixed(RESTORATION_WORKS, "采区、厂区、堆料区裸露区整治完成并通过验收",
                              "works on mining, plant and stockpile areas accepted", "四.2", Role.holder, works_due.date)
        self._stop_supply(now, "六")
        self._notify(now, "closure_ordered", ["holder", "township", "leader", "office"],
                     f"{facts.mine_name}：县政府已下达关闭决定", "closure decision issued")

    def _start_fixed(self, kind: str, zh: str, en: str, clause: str, role: Role, day: dt.date) -> None:
        self._start_deadline(kind, zh, en, clause, role, None,
                             Period(unit="fixed", fixed_date=day, roll_fixed=self.policy.roll_fixed_dates))

    def _stop_supply(self, now: dt.datetime, clause: str) -> None:
        self._open_task(now, "supply_stop", clause, Role.department, department=Department.power_supply,
                        subject_zh="停止供电、拆除供电设施", subject_en="stop power and remove the supply")
        self._open_task(now, "supply_stop", clause, Role.department, department=Department.public_security,
                        subject_zh="停止供应民爆物品", subject_en="stop explosives supply")

    # -- restoration plan, reviewed by experts (四.2, 七.2) -----------------------------------------

    def submit_restoration_plan(self, actor: Actor, title: str, now: dt.datetime) -> None:
        from models.case import RuleViolation

        if self.restoration_plan == "under_review":
            raise RuleViolation("生态修复方案正在专家评审中", "the restoration plan is already under review")
        if self.restoration_plan == "approved":
            raise RuleViolation("生态修复方案已通过评审", "the restoration plan is already approved")
        task = self._open_task(now, "plan_review", "七.2", Role.expert, subject_zh="评审生态修复方案（省级专家库专家）",
                               subject_en="review the restoration plan (provincial expert pool)")
        self.restoration_plan = "under_review"
        self._record(now, "restoration_plan_submitted", actor, "四.2", self.stage,
                     "采矿权人提交生态修复方案，送省级专家库专家评审", "holder submitted the restoration plan to the experts",
                     task_id=task.id, title=title)

    def _after_plan_review(self, task: "Task", approved: bool, comment: str, now: dt.datetime) -> None:
        if not approved:
            self.restoration_plan = "rejected"
            self._notify(now, "plan_rejected", ["holder"], f"生态修复方案未通过专家评审，请修改后重新提交：{comment}",
                         "restoration plan rejected; revise and resubmit")
            return
        self.restoration_plan = "approved"
        self._meet(RESTORATION_PLAN)
        self._record(now, "restoration_plan_approved", task.decided_by, "七.2", Stage.restoring,
                     "生态修复方案通过专家评审，开展生态修复", "restoration plan approved; restoration under way")

    # -- acceptance of a cancel mine (五.1) ---------------------------------------------------------

    def _after_cancel_field_acceptance(self, now: dt.datetime) -> None:
        self._open_task(now, "expert_certificate", "五.1", Role.expert, subject_zh="出具验收合格意见书（水工环、环境保护、林业专家）",
                        subject_en="acceptance certificate by the expert panel")

    def _after_expert_certificate(self, task: "Task", approved: bool, comment: str, now: dt.datetime) -> None:
        if not approved:
            self.works = "rejected"
            self._record(now, "acceptance_failed", task.decided_by, "五.1", self._restoring_stage(),
                         f"专家验收未通过，退回整改：{comment}", "the expert panel did not accept; works sent back", failed=comment)
            self._notify(now, "works_rejected", ["holder", "township"], f"专家验收未通过：{comment}", "expert acceptance failed")
            return
        self.works = "accepted"
        self.acceptance_date = now.astimezone(CST).date()
        self._meet(RESTORATION_WORKS)
        if TOWNSHIP_TAKEOVER in self.deadlines:
            self._meet(TOWNSHIP_TAKEOVER)
        if self.path == Path.deemed_abandoned:  # the township finished the works it took over
            self._record(now, "takeover_works_accepted", task.decided_by, "五.1", self.stage,
                         "接手整治任务通过验收，出具验收合格意见书", "the works the township took over are accepted")
            if self.stage == Stage.cancelled:
                self._begin_post_care(now)
            return
        self._record(now, "restoration_accepted", task.decided_by, "五.1", Stage.awaiting_cancel_application,
                     f"专家组出具验收合格意见书，视为完成矿山环境整治任务；{self.policy.cancel_application_days}日内申请注销",
                     f"acceptance certificate issued; apply to cancel within {self.policy.cancel_application_days} days")
        self._start_deadline(CANCEL_APPLICATION, "提交注销申请", "apply to cancel", "四.3", Role.holder,
                             self.acceptance_date, Period(unit="days", amount=self.policy.cancel_application_days))

    def _restoring_stage(self) -> Stage:
        return Stage.restoring if self.restoration_plan == "approved" else Stage.closure_ordered

    # -- restore first, cancel after (四.3) --------------------------------------------------------

    def _holder_applies_to_cancel(self, actor: Actor, now: dt.datetime) -> None:
        self._meet(CANCEL_APPLICATION)
        self._record(now, "cancellation_applied", actor, "四.3", Stage.cancelling,
                     "原采矿权人提交注销申请，各部门依据关闭文书及验收合格意见书注销证照",
                     "holder applied; departments cancel on the closure decision and the acceptance certificate")
        self._open_cancellations(now)

    def _after_all_cancelled(self, now: dt.datetime) -> None:
        """Permits cancelled: post-care when the works were accepted; otherwise wait for the takeover."""
        if self.acceptance_date is not None:
            self._begin_post_care(now)
        elif self.facts.never_produced or not self._takeover_open():
            self._close(now, "permits cancelled; nothing left to restore" if self.facts.never_produced else "permits cancelled")

    def _takeover_open(self) -> bool:
        takeover = self.deadlines.get(TOWNSHIP_TAKEOVER)
        return takeover is not None and takeover.status in ("open", "missed") and self.acceptance_date is None

    # -- silence has consequences (四.2, 四.3, 五.2) -------------------------------------------------

    def _expire_cancel_path(self, tracked: "TrackedDeadline", at: dt.datetime) -> bool:
        """Consequences of the cancel path's deadlines; False when the deadline is not one of them."""
        if tracked.kind == RESTORATION_PLAN:
            self._record(at, "restoration_plan_overdue", SYSTEM, "四.2", self.stage,
                         f"逾期未编制完生态修复方案（期限{tracked.deadline.last_day}），报领导小组办公室",
                         "restoration plan overdue; office told")
            self._notify(at, "plan_overdue", ["holder", "township", "leader", "office"],
                         f"{self.facts.mine_name}逾期未编制生态修复方案", "restoration plan overdue")
            return True
        if tracked.kind == RESTORATION_WORKS:
            self._works_overdue(tracked, at)
            if self.stage in RESTORING_STAGES:
                self._publish_cancellation_notice(at, "逾期未完成矿山生态环境整治任务", "works not done in time")
            return True
        if tracked.kind == CANCEL_APPLICATION:
            self._publish_cancellation_notice(at, "完成整治任务后未按时申请注销", "no application within the window")
            return True
        if tracked.kind == UNUSED_BARE_AREA:
            self._works_overdue(tracked, at)
            return True
        if tracked.kind == TOWNSHIP_TAKEOVER:
            self._record(at, "takeover_overdue", SYSTEM, "四.2", self.stage,
                         f"{self.facts.township}接手的整治任务逾期未完成（期限{tracked.deadline.last_day}），报领导小组办公室",
                         "township takeover overdue; office told")
            self._notify(at, "takeover_overdue", ["township", "office", "leader"],
                         f"{self.facts.mine_name}：乡镇接手整治逾期", "takeover overdue")
            return True
        if tracked.kind == POST_CARE:
            tracked.status = "met"
            self._close(at, "post-care ended")
            return True
        return False

    def _works_overdue(self, tracked: "TrackedDeadline", at: dt.datetime) -> None:
        """未履行生态修复法定义务: the township takes over, and the case is referred (四.2, 五.2)."""
        for task in self.open_tasks():
            if task.kind in ("initial_inspection", "field_acceptance", "expert_certificate", "plan_review"):
                task.status = "withdrawn"
        takeover = self.policy.fixed("township_takeover_due")
        self._record(at, "works_taken_over", SYSTEM, "四.2", self.stage,
                     f"逾期未完成整治（期限{tracked.deadline.last_day}），属未履行生态修复法定义务，转由{self.facts.township}"
                     f"于{takeover.date}前完成；修复责任及经费仍由原采矿权人承担",
                     f"works overdue: the township takes them over by {takeover.date}; the holder still owes the cost",
                     overdue=tracked.kind)
        self._start_fixed(TOWNSHIP_TAKEOVER, "乡镇接手完成整治任务", "township finishes the works", "四.2", Role.township,
                          takeover.date)
        referral = self._issue_document(at, "referral", "线索移送函（生态公益诉讼）", "referral for public-interest litigation", "五.2", {
            "mine_name": self.facts.mine_name, "permit_no": self.facts.permit_no, "holder": self.facts.holder,
            "township": self.facts.township, "referred_to": "县人民检察院、县人民法院",
            "duty": tracked.label_zh, "due": tracked.deadline.last_day.isoformat(),
            "bare_area_mu": self.facts.bare_area_mu,
        })
        self._record(at, "referred_for_litigation", SYSTEM, "五.2", self.stage,
                     f"{self.facts.township}牵头将未履行生态修复法定义务的线索移送县检察院、法院（{tracked.label_zh}，期限{tracked.deadline.last_day}）",
                     "referred to the procuratorate and court for public-interest litigation",
                     document_id=referral.id, referred_to=["procuratorate", "court"], duty=tracked.kind)
        self._notify(at, "referral", ["township", "office", "procuratorate"],
                     f"{self.facts.mine_name}：未履行生态修复法定义务，线索移送", "referral for public-interest litigation")

    def _publish_cancellation_notice(self, at: dt.datetime, why_zh: str, why_en: str) -> None:
        notice = self._issue_document(at, "cancellation_notice", "注销公告", "cancellation notice", "四.3", {
            "mine_name": self.facts.mine_name, "permit_no": self.facts.permit_no, "holder": self.facts.holder,
            "township": self.facts.township, "reason": why_zh, "published_on": "县政府网站",
        })
        self._record(at, "cancellation_notice_published", SYSTEM, "四.3", self.stage,
                     f"{why_zh}，在县政府网站发布注销公告", f"{why_en}: cancellation notice published", document_id=notice.id)
        self.path = Path.deemed_abandoned
        for task in self.open_tasks():
            if task.kind not in ("supply_stop",):
                task.status = "withdrawn"
        self._record(at, "deemed_to_have_abandoned", SYSTEM, "四.3", Stage.deemed_abandoned,
                     "注销公告发布后，视为采矿权人自动放弃矿权", "after the notice the holder is deemed to have abandoned the right")
        self._notify(at, "deemed_abandoned", ["holder", "township", "leader", "office"],
                     f"{self.facts.mine_name}视为自动放弃矿权，请{self.facts.township}作出注销矿权申请",
                     "deemed to have abandoned the right; the township is to apply for cancellation")

    # -- post-care and closing (六, 003 一案一销) ----------------------------------------------------

    def _begin_post_care(self, now: dt.datetime) -> None:
        start = self.acceptance_date
        self._record(now, "post_care_started", SYSTEM, "六", Stage.post_care,
                     f"证照已注销，由{self.facts.township}负责后期管护{self.policy.post_care_years}年（自验收之日{start}起）",
                     f"post-care by the township for {self.policy.post_care_years} years from the acceptance on {start}")
        self._start_deadline(POST_CARE, "后期管护", "post-care", "六", Role.township, start,
                             Period(unit="months", amount=12 * self.policy.post_care_years))
        self._schedule_inspection(start, 1)

    def _schedule_inspection(self, start: dt.date, number: int) -> None:
        months = number * self.policy.post_care_inspection_months
        if months >= 12 * self.policy.post_care_years:
            return
        self.pending_due.append(self._due_request(f"inspection:{number}", start, Period(unit="months", amount=months)))

    def _inspect(self, number: int, at: dt.datetime) -> None:
        self.inspections.pop(str(number), None)
        self._open_task(at, "post_care_inspection", "六", Role.township, township=self.facts.township,
                        subject_zh=f"后期管护巡查（第{number}次）", subject_en=f"post-care inspection #{number}")
        self._schedule_inspection(self.acceptance_date, number + 1)

    def _close(self, at: dt.datetime, why_en: str) -> None:
        for task in self.open_tasks():  # nothing stays in an inbox for a closed case
            task.status = "withdrawn"
        self.inspections.clear()
        self._record(at, "case_closed", SYSTEM, "六", Stage.closed, "办结销号（一案一销）", f"case closed: {why_en}")

    # -- documents ---------------------------------------------------------------------------------

    def _issue_document(self, now: dt.datetime, kind: str, title_zh: str, title_en: str, clause: str,
                        fields: dict[str, Any]) -> CaseDocument:
        document = CaseDocument(id=f"{self.permit_no}-D{len(self.documents) + 1:02d}", kind=kind, title_zh=title_zh,
                                title_en=title_en, issued_at=now, clause=clause,
                                fields={**fields, "issued_on": now.astimezone(CST).date().isoformat()})
        self.documents.append(document)
        return document

    def _meet(self, kind: str) -> None:
        tracked = self.deadlines.get(kind)
        if tracked is not None and tracked.status == "open":
            tracked.status = "met"
