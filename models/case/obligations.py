"""What is owed now, by whom, and by when: the answer to "whose move is it?"."""

from __future__ import annotations

from typing import Any

from models.case.parts import TrackedDeadline
from models.case.state import CaseState
from models.kinds import DeadlineKind
from models.roles import Role
from models.stages import RECTIFYING_STAGES, RESTORING_STAGES, Path, Stage

# Stages where a person other than the holder owes a decision: (obligation, role, zh, en).
DECISIONS: dict[Stage, tuple[str, Role, str, str]] = {
    Stage.registered: ("propose_disposition", Role.township, "提出处置意见", "propose a disposition"),
    Stage.disposition_review: ("decide_disposition", Role.county, "研究处置意见", "decide the disposition"),
    Stage.renewal_decision: ("decide_renewal", Role.county, "常务会议研究延续", "executive meeting on renewal"),
    Stage.renewed: ("apply_resume_production", Role.holder, "申请恢复生产", "apply to resume production"),
    Stage.deemed_abandoned: ("apply_cancellation", Role.township, "作出注销矿权申请", "apply to cancel the right"),
}

WORKS_OWED = ("not_started", "rejected")


def obligation(kind: str, role: Role, zh: str, en: str, due: TrackedDeadline | None, **extra: Any) -> dict[str, Any]:
    return {
        "kind": kind,
        "responsible": role.value,
        "label_zh": zh,
        "label_en": en,
        "due": due.deadline.last_day.isoformat() if due and due.deadline else None,
        "provisional": bool(due and due.deadline and due.deadline.provisional),
        **extra,
    }


def holder_duties(case: CaseState) -> list[dict[str, Any]]:
    owed: list[dict[str, Any]] = []
    if case.stage in RECTIFYING_STAGES:
        due = case.next_deadline()
        for item in case.items.values():
            if item.status in ("not_submitted", "rejected"):
                spec = case.approval_item(item.code)
                owed.append(obligation("submit_document", Role.holder, spec.name_zh, spec.name_en, due, item=item.code))
        if case.works in WORKS_OWED:
            owed.append(obligation("finish_works", Role.holder, "完成矿山生态环境整治任务", "finish the rectification works", due))
    if case.stage in RESTORING_STAGES:
        if case.restoration_plan in ("not_submitted", "rejected"):
            owed.append(obligation("submit_restoration_plan", Role.holder, "编制生态修复方案", "prepare the restoration plan",
                                   case.deadlines.get(DeadlineKind.restoration_plan), item=DeadlineKind.restoration_plan.value))
        if case.works in WORKS_OWED:
            owed.append(obligation("finish_works", Role.holder, "完成采区、厂区、堆料区裸露区整治", "finish the restoration works",
                                   case.deadlines.get(DeadlineKind.restoration_works)))
    if (case.unused_zones_own_duty and case.path == Path.continue_ and not case.unused_zones_taken_over
            and case.unused_zone_works in WORKS_OWED and not case.is_closed):
        owed.append(obligation("finish_unused_zone_works", Role.holder, "完成不使用区裸露区环境整治", "finish the unused-zone works",
                               case.deadlines.get(DeadlineKind.unused_bare_area)))
    if case.stage == Stage.awaiting_cancel_application:
        owed.append(obligation("apply_cancellation", Role.holder, "提交注销申请", "apply to cancel",
                               case.deadlines.get(DeadlineKind.cancel_application)))
    return owed


def open_obligations(case: CaseState) -> list[dict[str, Any]]:
    owed = holder_duties(case)
    if case.takeover_open() and case.works in WORKS_OWED:
        owed.append(obligation("finish_takeover_works", Role.township, "接手完成整治任务", "finish the works taken over",
                               case.deadlines.get(DeadlineKind.township_takeover)))
    if case.unused_zone_takeover_open() and case.unused_zone_works in WORKS_OWED:
        owed.append(obligation("finish_takeover_unused_zone_works", Role.township, "接手完成不使用区裸露区整治",
                               "finish the unused-zone works taken over", case.deadlines.get(DeadlineKind.township_takeover)))
    if case.stage in DECISIONS:
        kind, role, zh, en = DECISIONS[case.stage]
        owed.append(obligation(kind, role, zh, en, None))
    for task in case.open_tasks():
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
