"""四.2 last sentence: the joint determination of a mine's existing process and equipment.

"对企业已有的生产工艺、生产设备是否符合现有政策由工信局负责牵头，自然资源、生态环境、应急管理等部门联合审批认定，
报县政府研究同意后，按照相关法律法规处置." Under the rules since patch ``lawful-enforcement-2026-11-27``
(``CaseState.joint_determination``), an approval item the campaign marks ``joint_determination`` is not one
department's document review:

- the holder files it (``submit_document``) and its lead department (工信局) and each of the campaign's
  ``joint_determination_departments`` (自然资源、生态环境、应急管理) get a ``joint_determination`` task;
- when every one of them agrees, the county gets a ``determination_approval`` task (报县政府研究同意);
- only the county's approval makes the item ``approved`` (then, as for any document, the rectification may be
  complete: ``continue_path.after_determination_approval``);
- any rejection — a department's or the county's, with its reason — makes the item ``rejected`` and withdraws the
  determination's other open tasks; the holder files it again.

While it is determined the item is ``under_review``: for the holder's periods it is filed (``holder_has_filed``).
Older cases keep the single review by the item's department (``continue_path.after_document_review``).
"""

from __future__ import annotations

import datetime as dt

from models.case import deadlines
from models.case.inbox import open_task
from models.case.parts import Task
from models.case.state import CaseState
from models.case.timeline import notify, record
from models.clauses import Clause
from models.kinds import DeadlineKind, EventKind, NoticeKind, TaskKind
from models.messages import RecordReview
from models.policy import ApprovalItem
from models.roles import SYSTEM, Department, Role

DETERMINATION_TASKS = frozenset({TaskKind.joint_determination, TaskKind.determination_approval})


def is_joint(case: CaseState, code: str) -> bool:
    """Item ``code`` is determined jointly and approved by the county (this case's rules and its campaign say so)."""
    return case.joint_determination and case.approval_item(code).joint_determination


def deciders(case: CaseState, spec: ApprovalItem) -> list[Department]:
    """The lead department first, then the co-deciding departments (each once)."""
    return list(dict.fromkeys([spec.department, *case.policy.joint_determination_departments]))


def open_joint_determination(case: CaseState, now: dt.datetime, spec: ApprovalItem) -> list[Task]:
    """The holder filed the item: one task for the lead department and one for each co-deciding department."""
    tasks = []
    for department in deciders(case, spec):
        lead = department == spec.department
        zh = f"{'牵头' if lead else '会同'}联合审批认定《{spec.name_zh}》" + ("" if lead else f"（{spec.department.label_zh}牵头）")
        en = f"{'lead' if lead else 'join'} the joint determination of the {spec.name_en}"
        tasks.append(open_task(case, now, TaskKind.joint_determination, spec.clause, Role.department, department=department,
                               item=spec.code, subject_zh=zh, subject_en=en))
    return tasks


def joint_summary(case: CaseState, spec: ApprovalItem) -> tuple[str, str]:
    others = "、".join(d.label_zh for d in deciders(case, spec) if d != spec.department)
    return (f"{spec.department.label_zh}牵头，{others}联合审批认定，报县政府研究同意",
            f"{spec.department.value} leads the joint determination with {len(deciders(case, spec)) - 1} departments; "
            "the county approves it")


def _open_tasks_of(case: CaseState, code: str) -> list[Task]:
    return [t for t in case.open_tasks() if t.kind in DETERMINATION_TASKS and t.item == code]


def after_joint_determination(case: CaseState, task: Task, command: RecordReview, now: dt.datetime) -> None:
    """A department decided its part: a rejection ends this determination; the last agreement sends it to the county."""
    assert task.item is not None
    if not command.approved:
        reject_determination(case, task, command, now)
        return
    if _open_tasks_of(case, task.item):
        return
    spec = case.approval_item(task.item)
    county = open_task(case, now, TaskKind.determination_approval, spec.clause, Role.county, item=spec.code,
                       subject_zh=f"研究同意《{spec.name_zh}》联合审批认定结果",
                       subject_en=f"approve the joint determination of the {spec.name_en}")
    record(case, now, EventKind.determination_referred_to_county, SYSTEM,
           f"《{spec.name_zh}》经{spec.department.label_zh}牵头联合审批认定，各部门均同意，报县政府研究同意",
           f"every department agreed the {spec.name_en}; sent to the county for approval", item=spec.code, task_id=county.id)


def approve_determination(case: CaseState, task: Task, now: dt.datetime) -> None:
    """The county approved the determination: the item is approved."""
    assert task.item is not None and task.decided_by is not None
    spec = case.approval_item(task.item)
    case.items[spec.code].status = "approved"
    record(case, now, EventKind.determination_approved, task.decided_by,
           f"县政府研究同意《{spec.name_zh}》联合审批认定结果", f"the county approved the joint determination of the {spec.name_en}",
           item=spec.code, task_id=task.id)


def reject_determination(case: CaseState, task: Task, command: RecordReview, now: dt.datetime) -> None:
    """A department or the county rejected (with its reason): the holder files the item again; the others stop."""
    assert task.item is not None
    spec = case.approval_item(task.item)
    for other in _open_tasks_of(case, spec.code):
        other.status = "withdrawn"
    case.items[spec.code].status = "rejected"
    by_zh = task.department.label_zh if task.department is not None else "县政府"
    record(case, now, EventKind.determination_rejected, command.actor,
           f"{by_zh}不同意《{spec.name_zh}》认定：{command.comment}；其余认定任务撤回，请采矿权人重新提交",
           f"{task.department.value if task.department else 'the county'} rejected the {spec.name_en}; the holder files it again",
           clause=Clause(spec.clause), item=spec.code, task_id=task.id)
    notify(case, now, NoticeKind.document_rejected, ["holder"],
           f"《{spec.name_zh}》未通过联合审批认定，请修改后重新提交：{command.comment}",
           "joint determination rejected; revise and resubmit")
    deadlines.open_correction(case, now, DeadlineKind.rectification)
