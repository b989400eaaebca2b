"""四.2 延续矿山于2024年3月底前完成不使用区的裸露区的环境整治工作: a continue mine's unused-zone works, their own duty.

Under the rules since patch ``lawful-enforcement-2026-11-27`` (``CaseState.unused_zones_own_duty``) the works on
the bare areas of the zones a continue mine no longer uses are not merged into its whole rectification: the
holder reports them done on their own (``ReportWorksDone(scope="unused_zones")``), they have their own status
(``CaseState.unused_zone_works``) and their own acceptance, and the ``unused_bare_area`` fixed date is met when
they are reported done by it and later accepted (``holder_has_filed``; a rejection after the date opens the
correction period, 补正).

Their acceptance is the one 五.1 gives a continue mine's works — "延续矿山完成整治任务后，按照所属林场、乡镇初验，
政府办牵头，自然资源、生态环境、应急管理、水利、林业、农业农村等部门进行实地验收，验收合格后视为完成矿山环境
整治任务": the township's initial inspection (``unused_zone_inspection``), then each of the campaign's
``acceptance_departments`` in the field (``unused_zone_acceptance``). 五.1 knows no lighter procedure for part of
a mine's works, and a continue mine's works need no expert certificate (that is the cancel mines'), so the
unused zones get exactly the continue mine's acceptance, with task kinds of their own so that it never mixes
with the acceptance of the rest of the rectification.

Missing the date proposes the takeover and referral of these works only (``decisions``): the takeover withdraws
their acceptance, not the main works'; the holder's own rectification — documents, works, their acceptance —
goes on, and the joint review does not wait for the zones the township took over. The township then reports the
works it took over done and the departments accept them (no initial inspection: the township is the inspector),
which meets its own takeover date.
"""

from __future__ import annotations

import datetime as dt

from models.case import deadlines
from models.case.guards import check_role, check_township_is_the_mines
from models.case.inbox import all_decided, open_per_department, open_task, withdraw
from models.case.parts import Task
from models.case.state import CaseState
from models.case.timeline import notify, record
from models.clauses import Clause
from models.errors import AlreadyDecided, NothingToDo, WrongStage
from models.kinds import DeadlineKind, EventKind, NoticeKind, TaskKind
from models.messages import RecordReview, ReportWorksDone
from models.roles import SYSTEM, Role
from models.stages import Path


def check_unused_zone_works_may_be_reported(case: CaseState, by_township: bool) -> None:
    if not case.unused_zones_own_duty or case.unused_zone_works == "not_required":
        raise NothingToDo("本案没有单独验收的不使用区裸露区整治任务", "this case has no unused-zone works of their own to report")
    if case.is_closed or (case.path != Path.continue_ and not case.unused_zones_taken_over):
        raise WrongStage(f"本案当前处于「{case.stage.label_zh}」阶段，不能报告不使用区整治完成",
                         f"the case is at stage '{case.stage.value}'; unused-zone works cannot be reported now")
    if case.unused_zones_taken_over and not by_township:
        raise AlreadyDecided(f"不使用区裸露区整治已转由{case.facts.township}完成（代履行）",
                             "the unused-zone works were taken over by the township")
    if not case.unused_zones_taken_over and by_township:
        raise NothingToDo("不使用区裸露区整治未转由乡镇完成，应由采矿权人报告", "the unused-zone works are the holder's to report")
    if case.unused_zone_works in ("initial_inspection", "field_acceptance"):
        raise AlreadyDecided("不使用区裸露区整治正在验收中", "the unused-zone works are already being inspected")
    if case.unused_zone_works == "accepted":
        raise AlreadyDecided("不使用区裸露区整治已通过验收", "the unused-zone works are already accepted")


def report_unused_zone_works_done(case: CaseState, command: ReportWorksDone, now: dt.datetime) -> None:
    """The holder (or, once it took them over, the township) reports the unused-zone works done."""
    by_township = command.actor.role == Role.township
    if by_township:
        check_township_is_the_mines(case, command.actor)
    else:
        check_role(command.actor, Role.holder)
    check_unused_zone_works_may_be_reported(case, by_township)
    if by_township:
        case.unused_zone_works = "field_acceptance"
        record(case, now, EventKind.unused_zone_works_reported_done, command.actor,
               f"{case.facts.township}报告接手的不使用区裸露区整治完成，待实地验收",
               "the township reported the unused-zone works it took over done", taken_over=True)
        open_unused_zone_acceptance(case, now)
        return
    case.unused_zone_works = "initial_inspection"
    task = open_task(case, now, TaskKind.unused_zone_inspection, Clause.acceptance, Role.township, township=case.facts.township,
                     subject_zh="不使用区裸露区整治初验", subject_en="initial inspection of the unused-zone works")
    record(case, now, EventKind.unused_zone_works_reported_done, command.actor,
           "采矿权人报告不使用区裸露区环境整治完成，待林场、乡镇初验", "holder reported the unused-zone works done", task_id=task.id)
    deadlines.correction_met_if_filed(case)


def after_unused_zone_inspection(case: CaseState, task: Task, command: RecordReview, now: dt.datetime) -> None:
    if not command.approved:
        case.unused_zone_works = "rejected"
        notify(case, now, NoticeKind.works_rejected, ["holder"], f"不使用区裸露区整治初验未通过：{command.comment}",
               "initial inspection of the unused-zone works failed")
        deadlines.open_correction(case, now, DeadlineKind.unused_bare_area)
        return
    case.unused_zone_works = "field_acceptance"
    open_unused_zone_acceptance(case, now)


def open_unused_zone_acceptance(case: CaseState, now: dt.datetime) -> None:
    open_per_department(case, now, TaskKind.unused_zone_acceptance, Clause.acceptance, case.policy.acceptance_departments,
                        "不使用区裸露区整治实地验收（县政府办牵头）",
                        "field acceptance of the unused-zone works (led by the government office)")


def after_unused_zone_acceptance(case: CaseState, task: Task, command: RecordReview, now: dt.datetime) -> None:
    if not command.approved:
        case.unused_zone_works = "rejected"
        withdraw(case, [TaskKind.unused_zone_acceptance])
        notify(case, now, NoticeKind.works_rejected, ["holder", "township"], f"不使用区裸露区整治实地验收未通过：{command.comment}",
               "field acceptance of the unused-zone works failed")
        if not case.unused_zones_taken_over:
            deadlines.open_correction(case, now, DeadlineKind.unused_bare_area)
        return
    if not all_decided(case, TaskKind.unused_zone_acceptance):
        return
    case.unused_zone_works = "accepted"
    deadlines.meet(case, DeadlineKind.unused_bare_area)
    if case.takeover_duty == DeadlineKind.unused_bare_area:
        deadlines.meet(case, DeadlineKind.township_takeover)
    who_zh = f"{case.facts.township}接手的" if case.unused_zones_taken_over else ""
    record(case, now, EventKind.unused_zone_works_accepted, SYSTEM, f"{who_zh}不使用区裸露区整治实地验收合格",
           "field acceptance of the unused-zone works passed", taken_over=case.unused_zones_taken_over)
