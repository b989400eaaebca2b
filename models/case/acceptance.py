"""五.1 验收机制: the township's initial inspection, the departments' field acceptance, the experts'
certificate for a cancel mine; and resuming production after a renewal (one more joint review, and
power and explosives restored, 六).
"""

from __future__ import annotations

import datetime as dt

from models.bounds import echo
from models.case import deadlines
from models.case.cancellation import start_application_window
from models.case.continue_path import check_rectification_complete
from models.case.documents import issue_document
from models.case.guards import check_role, check_stage, check_township_is_the_mines
from models.case.inbox import all_decided, open_per_department, open_task, reopen, withdraw
from models.case.parts import Task
from models.case.state import CaseState
from models.case.supply_and_post_care import begin_post_care
from models.case.timeline import notify, record
from models.case.unused_zones import report_unused_zone_works_done
from models.clauses import Clause
from models.errors import AlreadyDecided, NothingToDo, UnknownItem
from models.kinds import DeadlineKind, DocumentKind, EventKind, NoticeKind, TaskKind
from models.messages import ApplyResumeProduction, RecordReview, ReportWorksDone
from models.roles import SYSTEM, Department, Role
from models.stages import RECTIFYING_STAGES, RESTORING_STAGES, Path, Stage


def check_works_may_be_reported(case: CaseState) -> None:
    if case.works == "not_required":
        raise NothingToDo("建矿至今未生产，保持原始地貌，无整治任务", "never produced: there are no works to report")
    if case.works in ("initial_inspection", "field_acceptance", "expert_acceptance"):
        raise AlreadyDecided("整治任务正在验收中", "the works are already being inspected")
    if case.works == "accepted":
        raise AlreadyDecided("整治任务已通过验收", "the works are already accepted")


def report_works_done(case: CaseState, command: ReportWorksDone, now: dt.datetime) -> None:
    if command.scope == "unused_zones":  # 四.2 a continue mine's unused zones: their own duty and acceptance
        report_unused_zone_works_done(case, command, now)
        return
    # 四.2 the township finished the works it took over: field acceptance. Under due process a continue
    # mine whose unused zones were taken over still reports its own rectification works while it rectifies.
    holder_still_rectifying = case.due_process and case.stage in RECTIFYING_STAGES and command.actor.role == Role.holder
    if case.takeover_open() and not holder_still_rectifying:
        check_township_is_the_mines(case, command.actor)
        check_works_may_be_reported(case)
        case.works = "field_acceptance"
        record(case, now, EventKind.takeover_works_reported_done, command.actor,
               f"{case.facts.township}报告接手的整治任务完成，待实地验收", "township reported the taken-over works done")
        open_field_acceptance(case, now)
        return
    check_stage(case, *RECTIFYING_STAGES, *RESTORING_STAGES)
    check_role(command.actor, Role.holder)
    check_works_may_be_reported(case)
    case.works = "initial_inspection"
    task = open_task(case, now, TaskKind.initial_inspection, Clause.acceptance, Role.township, township=case.facts.township,
                     subject_zh="整治任务初验", subject_en="initial inspection of the works")
    record(case, now, EventKind.works_reported_done, command.actor,
           "采矿权人报告整治任务完成，待林场、乡镇初验", "holder reported the works done",
           to=Stage.cancel_acceptance if case.path == Path.cancel else None, task_id=task.id)
    deadlines.correction_met_if_filed(case)


def _works_duty(case: CaseState) -> DeadlineKind:
    """The holder's period that the works belong to (for a correction after a late rejection)."""
    return DeadlineKind.restoration_works if case.path == Path.cancel else DeadlineKind.rectification


def after_initial_inspection(case: CaseState, task: Task, command: RecordReview, now: dt.datetime) -> None:
    if not command.approved:
        case.works = "rejected"
        notify(case, now, NoticeKind.works_rejected, ["holder"], f"初验未通过：{command.comment}", "initial inspection failed")
        deadlines.open_correction(case, now, _works_duty(case))
        return
    case.works = "field_acceptance"
    open_field_acceptance(case, now)


def open_field_acceptance(case: CaseState, now: dt.datetime) -> None:
    open_per_department(case, now, TaskKind.field_acceptance, Clause.acceptance, case.policy.acceptance_departments,
                        "实地验收（县政府办牵头）", "field acceptance (led by the government office)")


def after_field_acceptance(case: CaseState, task: Task, command: RecordReview, now: dt.datetime) -> None:
    if not command.approved:
        case.works = "rejected"
        withdraw(case, [TaskKind.field_acceptance])
        notify(case, now, NoticeKind.works_rejected, ["holder", "township"], f"实地验收未通过：{command.comment}",
               "field acceptance failed")
        deadlines.open_correction(case, now, _works_duty(case))
        return
    if not all_decided(case, TaskKind.field_acceptance):
        return
    if case.path in (Path.cancel, Path.deemed_abandoned):  # 五.1: experts certify a cancel mine's works
        case.works = "expert_acceptance"
        open_task(case, now, TaskKind.expert_certificate, Clause.acceptance, Role.expert,
                  subject_zh="出具验收合格意见书（水工环、环境保护、林业专家）", subject_en="acceptance certificate by the expert panel")
        return
    case.works = "accepted"
    if not case.unused_zones_own_duty:  # the 2023 rules: the whole rectification's works meet the unused zones too
        deadlines.meet(case, DeadlineKind.unused_bare_area)
    record(case, now, EventKind.works_accepted, SYSTEM, "实地验收合格，视为完成矿山环境整治任务", "field acceptance passed: works done")
    check_rectification_complete(case, now)


def check_checklist(case: CaseState, task: Task, command: RecordReview) -> dict[str, bool]:
    """004 附件 (达标验收表): a field acceptance's answers to its department's items (``{}`` when none are given, or the
    case started before patch ``acceptance-certificate-2026-11-27``). Given, they answer every item of the department
    and no other, and an approval has every item passed."""
    if not command.checklist:
        return {}
    if not case.acceptance_checklist or task.kind != TaskKind.field_acceptance:
        raise NothingToDo("此任务没有验收表", "this task has no acceptance checklist")
    items = {item.code for item in case.policy.checklist_for(task.department)}
    given = set(command.checklist)
    if given != items:
        missing, unknown = sorted(items - given), sorted(given - items)
        raise UnknownItem(f"验收表应逐项填写本部门的项目：缺 {'、'.join(missing) or '无'}，"
                          f"多 {'、'.join(echo(u) for u in unknown) or '无'}",
                          f"the checklist answers the department's items: missing {', '.join(missing) or 'none'}, "
                          f"unknown {', '.join(echo(u) for u in unknown) or 'none'}")
    if command.approved and not all(command.checklist.values()):
        failed = "、".join(code for code, passed in command.checklist.items() if not passed)
        raise NothingToDo(f"验收表有未达标项（{failed}），不能验收通过", f"the checklist has items not met ({failed}): cannot approve")
    return {code: command.checklist[code] for code in sorted(items)}


def issue_acceptance_certificate(case: CaseState, task: Task, command: RecordReview, now: dt.datetime) -> None:
    """五.1 / 七.2 the expert panel's 验收合格意见书: the departments' checklists and the panel's opinion, numbered."""
    departments = []
    for field in sorted((t for t in case.tasks.values() if t.kind == TaskKind.field_acceptance and t.status == "approved"),
                        key=lambda t: t.opened_at):
        items = case.policy.checklist_for(field.department)
        departments.append({
            "department": field.department.value if field.department else "",
            "department_zh": field.department.label_zh if field.department else "",
            "by": field.decided_by.describe() if field.decided_by else "",
            "on": case.effective_date(field.decided_at).isoformat() if field.decided_at else "",
            "comment": field.comment,
            "items": [{"code": i.code, "text_zh": i.text_zh, "passed": field.checklist.get(i.code)} for i in items],
        })
    issue_document(case, now, DocumentKind.acceptance_certificate, "验收合格意见书", "acceptance certificate", Clause.acceptance,
                   {"mine_name": case.facts.mine_name, "holder": case.facts.holder, "permit_no": case.permit_no,
                    "township": case.facts.township, "disciplines": list(case.policy.expert_disciplines),
                    "experts": command.actor.describe(), "opinion": command.comment, "departments": departments},
                   addressee=case.facts.holder, serve=False)


def after_expert_certificate(case: CaseState, task: Task, command: RecordReview, now: dt.datetime) -> None:
    assert task.decided_by is not None
    taken_over = case.path == Path.deemed_abandoned
    if not command.approved:
        case.works = "rejected"
        record(case, now, EventKind.acceptance_failed, task.decided_by, f"专家验收未通过，退回整改：{command.comment}",
               "the expert panel did not accept; works sent back", to=None if taken_over else case.restoring_stage(),
               failed=command.comment)
        notify(case, now, NoticeKind.works_rejected, ["holder", "township"], f"专家验收未通过：{command.comment}",
               "expert acceptance failed")
        if not taken_over:
            deadlines.open_correction(case, now, _works_duty(case))
        return
    case.works = "accepted"
    case.acceptance_date = case.effective_date(now)
    if case.acceptance_checklist:
        issue_acceptance_certificate(case, task, command, now)
    deadlines.meet(case, DeadlineKind.restoration_works)
    deadlines.meet(case, DeadlineKind.township_takeover)
    if taken_over:  # the township finished the works it took over
        record(case, now, EventKind.takeover_works_accepted, task.decided_by,
               "接手整治任务通过验收，出具验收合格意见书", "the works the township took over are accepted")
        if case.stage == Stage.cancelled:
            begin_post_care(case, now)
        return
    days = case.policy.cancel_application_days
    record(case, now, EventKind.restoration_accepted, task.decided_by,
           f"专家组出具验收合格意见书，视为完成矿山环境整治任务；{days}日内申请注销",
           f"acceptance certificate issued; apply to cancel within {days} days", to=Stage.awaiting_cancel_application)
    start_application_window(case, case.acceptance_date)


def apply_resume_production(case: CaseState, command: ApplyResumeProduction, now: dt.datetime) -> None:
    check_stage(case, Stage.renewed)
    record(case, now, EventKind.resumption_applied, command.actor,
           "采矿权人申请恢复生产，按多部门联审联批执行", "holder applied to resume production", to=Stage.resuming_production)
    open_per_department(case, now, TaskKind.resume_review, Clause.acceptance, case.policy.resume_review_departments,
                        "恢复生产联审", "resume-production review")
    if not case.due_process:  # the 2023 rules restored supply alongside the review; now only after it passes
        restore_supply(case, now)


def restore_supply(case: CaseState, now: dt.datetime) -> None:
    withdraw(case, [TaskKind.supply_stop])  # the ban is lifted: restoring supersedes any stop still open
    for department in case.policy.supply_restore_departments:
        if department == Department.power_supply:
            what_zh, what_en = "恢复供电", "restore power"
        else:
            what_zh, what_en = "恢复民爆物品供应", "restore explosives supply"
        open_task(case, now, TaskKind.supply_restore, Clause.division_of_work, Role.department, department=department,
                  subject_zh=what_zh, subject_en=what_en)


def after_resume_review(case: CaseState, task: Task, command: RecordReview, now: dt.datetime) -> None:
    if not command.approved:
        reopen(case, now, task, "（复审）", " (again)")
        return
    if case.due_process and task.kind == TaskKind.resume_review and all_decided(case, TaskKind.resume_review):
        restore_supply(case, now)  # 六: power and explosives only once the resume-production review passed
        return
    if all_decided(case, TaskKind.resume_review, TaskKind.supply_restore):
        record(case, now, EventKind.production_resumed, SYSTEM, "复产联审通过，恢复供电及民爆物品供应，恢复生产",
               "review passed and supply restored: production resumed", to=Stage.production_resumed)
