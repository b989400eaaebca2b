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
    deemed_abandoned = "deemed_abandoned"
    cancelling = "cancelling"
    cancelled = "cancelled"

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
    Stage.closure_ordered: ("已决定注销关闭", "closure ordered"),
    Stage.deemed_abandoned: ("视为自动放弃矿权", "deemed to have abandoned the right"),
    Stage.cancelling: ("注销证照中", "cancelling permits"),
    Stage.cancelled: ("已注销", "permits cancelled"),
}

RECTIFYING_STAGES = frozenset({Stage.rectifying, Stage.rectifying_extended})
FINAL_STAGES = frozenset({Stage.production_resumed, Stage.cancelled})


class Path(StrEnum):
    undecided = "undecided"
    continue_ = "continue"
    cancel = "cancel"
    deemed_abandoned = "deemed_abandoned"

    @property
    def label_zh(self) -> str:
        return {"undecided": "未定", "continue": "延续", "cancel": "注销", "deemed_abandoned": "视为放弃"}[self.value]
