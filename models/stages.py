"""Stage codes of a case. Stable: the API, the board and the ledger use these codes."""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    registered = "registered"
    disposition_review = "disposition_review"
    rectifying = "rectifying"
    rectifying_extended = "rectifying_extended"
    joint_review = "joint_review"
    renewal_decision = "renewal_decision"
    renewing_permit = "renewing_permit"
    renewed = "renewed"
    resuming_production = "resuming_production"
    production_resumed = "production_resumed"
    closure_ordered = "closure_ordered"
    restoring = "restoring"
    cancel_acceptance = "cancel_acceptance"
    awaiting_cancel_application = "awaiting_cancel_application"
    deemed_abandoned = "deemed_abandoned"
    cancelling = "cancelling"
    cancelled = "cancelled"
    post_care = "post_care"
    closed = "closed"

    @property
    def label_zh(self) -> str:
        return STAGE_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return STAGE_LABELS[self][1]


STAGE_LABELS: dict[Stage, tuple[str, str]] = {
    Stage.registered: ("已登记", "registered"),
    Stage.disposition_review: ("处置意见审批中", "disposition under county review"),
    Stage.rectifying: ("整改中", "rectifying (6-month period)"),
    Stage.rectifying_extended: ("整改期限内", "rectifying (3-month extension)"),
    Stage.joint_review: ("联审联批", "joint review"),
    Stage.renewal_decision: ("县政府常务会议研究", "county executive meeting"),
    Stage.renewing_permit: ("办理采矿许可证延续", "renewing the mining permit"),
    Stage.renewed: ("已延续", "permit renewed"),
    Stage.resuming_production: ("复产联审", "resume-production review"),
    Stage.production_resumed: ("已恢复生产", "production resumed"),
    Stage.closure_ordered: ("已下达关闭决定", "closure decided: restoration plan due"),
    Stage.restoring: ("生态修复中", "restoring"),
    Stage.cancel_acceptance: ("修复验收中", "restoration acceptance"),
    Stage.awaiting_cancel_application: ("待申请注销", "awaiting the application to cancel (30 days)"),
    Stage.deemed_abandoned: ("视为自动放弃矿权", "deemed to have abandoned the right"),
    Stage.cancelling: ("注销证照中", "cancelling permits"),
    Stage.cancelled: ("已注销", "permits cancelled"),
    Stage.post_care: ("后期管护", "post-care"),
    Stage.closed: ("已结案", "case closed"),
}

RECTIFYING_STAGES = frozenset({Stage.rectifying, Stage.rectifying_extended})
RESTORING_STAGES = frozenset({Stage.closure_ordered, Stage.restoring, Stage.cancel_acceptance})
FINAL_STAGES = frozenset({Stage.production_resumed, Stage.closed})


class Path(StrEnum):
    undecided = "undecided"
    continue_ = "continue"
    cancel = "cancel"
    deemed_abandoned = "deemed_abandoned"

    @property
    def label_zh(self) -> str:
        return {"undecided": "未定", "continue": "延续", "cancel": "注销", "deemed_abandoned": "视为放弃"}[self.value]
