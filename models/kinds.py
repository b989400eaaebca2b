"""The case's vocabulary as enums: event kinds, task kinds, deadline kinds and notice kinds.

Codes are stable: they are stored in the case file, sent to the API and written in the recorded
histories, so a member's value never changes (add members; never rename one).
"""

from __future__ import annotations

from enum import StrEnum


class EventKind(StrEnum):
    """What happened to a case, in the past tense: one timeline event each."""

    case_registered = "case_registered"
    # 四.1 disposition and the continue path
    disposition_proposed = "disposition_proposed"
    disposition_returned = "disposition_returned"
    continuation_approved = "continuation_approved"
    document_submitted = "document_submitted"
    rectification_period_expired = "rectification_period_expired"
    rectification_completed = "rectification_completed"
    joint_review_passed = "joint_review_passed"
    renewal_returned = "renewal_returned"
    renewal_agreed = "renewal_agreed"
    permit_renewed = "permit_renewed"
    deemed_to_have_abandoned = "deemed_to_have_abandoned"
    # 五.1 acceptance and resumption
    works_reported_done = "works_reported_done"
    works_accepted = "works_accepted"
    acceptance_failed = "acceptance_failed"
    restoration_accepted = "restoration_accepted"
    takeover_works_reported_done = "takeover_works_reported_done"
    takeover_works_accepted = "takeover_works_accepted"
    resumption_applied = "resumption_applied"
    production_resumed = "production_resumed"
    # 四.2 fixed dates, restoration and takeover
    restoration_plan_submitted = "restoration_plan_submitted"
    restoration_plan_approved = "restoration_plan_approved"
    restoration_plan_overdue = "restoration_plan_overdue"
    works_taken_over = "works_taken_over"
    takeover_overdue = "takeover_overdue"
    determination_referred_to_county = "determination_referred_to_county"
    determination_approved = "determination_approved"
    determination_rejected = "determination_rejected"
    unused_zone_works_reported_done = "unused_zone_works_reported_done"
    unused_zone_works_accepted = "unused_zone_works_accepted"
    # 四.3 closure and cancellation
    closure_ordered = "closure_ordered"
    cancellation_notice_published = "cancellation_notice_published"
    cancellation_applied = "cancellation_applied"
    permits_cancelled = "permits_cancelled"
    # 五.2 referral
    referred_for_litigation = "referred_for_litigation"
    # 五.3 collective decisions
    deadline_moved = "deadline_moved"
    # 六 post-care and closing
    post_care_started = "post_care_started"
    case_closed = "case_closed"
    # due process: the holder answers for its own acts; sanctions are decisions, served
    duties_filed_in_time = "duties_filed_in_time"
    proposal_withdrawn = "proposal_withdrawn"  # an act recorded late, by its own date, shows the holder was in time
    correction_period_opened = "correction_period_opened"
    consequence_proposed = "consequence_proposed"
    consequence_declined = "consequence_declined"
    extension_granted = "extension_granted"
    document_served = "document_served"
    # any stage
    review_recorded = "review_recorded"
    review_overdue_escalated = "review_overdue_escalated"
    deadline_recomputed = "deadline_recomputed"


class TaskKind(StrEnum):
    """A step someone other than the holder must take (a department, the township, the experts)."""

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
    consequence_decision = "consequence_decision"  # 处理决定: a sanction proposed to the competent body
    document_service = "document_service"  # 送达: the issuer serves (or publishes) a decision it issued
    joint_determination = "joint_determination"  # 联合审批认定: 工信局 leads, the co-deciding departments join (四.2)
    determination_approval = "determination_approval"  # 报县政府研究同意: the county approves the joint determination (四.2)
    unused_zone_inspection = "unused_zone_inspection"  # 初验: the township inspects a continue mine's unused zones (四.2, 五.1)
    unused_zone_acceptance = "unused_zone_acceptance"  # 实地验收: the departments accept the unused zones' works (四.2, 五.1)


ACCEPTANCE_TASKS = frozenset(
    {TaskKind.initial_inspection, TaskKind.field_acceptance, TaskKind.expert_certificate, TaskKind.plan_review}
)
"""What is withdrawn when the works are taken over: the holder's works are no longer inspected."""

UNUSED_ZONE_ACCEPTANCE_TASKS = frozenset({TaskKind.unused_zone_inspection, TaskKind.unused_zone_acceptance})
"""What is withdrawn when a continue mine's unused zones alone are taken over (its own rectification goes on)."""


class DeadlineKind(StrEnum):
    """A period running against someone. The codes are the API's and the ledger's."""

    rectification = "rectification"  # 6 months from the disposition (四.1)
    extension = "extension"  # the 3-month rectification period (四.1)
    restoration_plan = "restoration_plan"  # cancel mine: plan done by the fixed date (四.2)
    restoration_works = "restoration_works"  # cancel mine: works accepted by the fixed date (四.2)
    unused_bare_area = "unused_bare_area"  # continue mine: bare areas of unused zones (四.2)
    township_takeover = "township_takeover"  # the township finishes works taken over (四.2)
    cancel_application = "cancel_application"  # 30 days to apply to cancel (四.3)
    post_care = "post_care"  # 3 years of township post-care (六)
    correction = "correction"  # 补正: after a rejection that came after the holder's last day


class NoticeKind(StrEnum):
    """A message to people. Reminders are ``reminder_<N>d`` (see ``reminder_kind``)."""

    task_opened = "task_opened"
    decision_requested = "decision_requested"
    document_rejected = "document_rejected"
    works_rejected = "works_rejected"
    joint_review_rejected = "joint_review_rejected"
    plan_rejected = "plan_rejected"
    period_expired = "period_expired"
    deemed_abandoned = "deemed_abandoned"
    closure_ordered = "closure_ordered"
    plan_overdue = "plan_overdue"
    takeover_overdue = "takeover_overdue"
    referral = "referral"
    review_overdue = "review_overdue"
    deadline_moved = "deadline_moved"
    consequence_proposed = "consequence_proposed"
    correction_requested = "correction_requested"
    document_to_serve = "document_to_serve"
    decision_notified = "decision_notified"  # a decision or a service, told to the holder and the township (D10)


OVERDUE_NOTICES = frozenset(
    {NoticeKind.review_overdue, NoticeKind.period_expired, NoticeKind.deemed_abandoned, NoticeKind.takeover_overdue,
     NoticeKind.plan_overdue, NoticeKind.consequence_proposed}
)
"""Notices of a missed deadline and its consequence: marked red on the case page."""


def reminder_kind(offset_days: int) -> str:
    """The notice kind of the reminder sent ``offset_days`` before a last day."""
    return f"reminder_{offset_days}d"


class DocumentKind(StrEnum):
    closure_decision = "closure_decision"  # 关闭决定书 (四.3)
    continuation_notice = "continuation_notice"  # 延续整改通知书: the six months of the continue path (四.1)
    cancellation_notice = "cancellation_notice"  # 注销公告 (四.3)
    referral = "referral"  # 线索移送函 (五.2)
    extension_notice = "extension_notice"  # 整改通知书: the 3-month rectification period (四.1)
    deemed_abandonment_decision = "deemed_abandonment_decision"  # 视为自动放弃矿权决定书 (四.1)
    takeover_decision = "takeover_decision"  # 接手整治决定 (四.2), addressed to the township
    substitute_performance_decision = "substitute_performance_decision"  # 代履行决定书 (四.2; 行政强制法 arts. 50–51), to the holder
    acceptance_certificate = "acceptance_certificate"  # 验收合格意见书 (五.1, 七.2): the expert panel's, with the checklist


class Consequence(StrEnum):
    """What an expired period may lead to; each is decided by its competent body, never by a timer."""

    grant_extension = "grant_extension"  # 给予3个月整改期限 (四.1): the county
    deemed_abandonment = "deemed_abandonment"  # 视为自动放弃矿权 (四.1): the county
    takeover = "takeover"  # 转由林场、乡镇完成 (四.2): the county's decision, addressed to the township
    referral = "referral"  # 线索移送 (五.2): the township leads, to the procuratorate
    cancellation_notice = "cancellation_notice"  # 注销公告 (四.3): the county publishes it
