"""四.1 分类处置: the township proposes cancel or continue; the county decides.

A mine whose resources are exhausted is cancelled in principle: proposing to continue it needs a
reason. The county's approval starts the continue path (six months) or issues the closure decision.
"""

from __future__ import annotations

import datetime as dt

from models.case.cancellation import order_closure
from models.case.continue_path import approve_continuation
from models.case.guards import check_stage, check_township_is_the_mines
from models.case.state import CaseState
from models.case.timeline import notify, record
from models.errors import RuleViolation
from models.kinds import DeadlineKind, EventKind, NoticeKind
from models.messages import DecideDisposition, ProposeDisposition
from models.stages import Stage


def check_resources_exhausted_rule(case: CaseState, command: ProposeDisposition) -> None:
    if case.facts.resources_exhausted and command.path == "continue" and not command.reason.strip():
        raise RuleViolation(
            "资源枯竭的矿山原则上注销关闭，建议延续须说明理由（四.1）",
            "a mine whose resources are exhausted is cancelled in principle; a continue proposal needs a reason (四.1)",
        )


def propose_disposition(case: CaseState, command: ProposeDisposition, now: dt.datetime) -> None:
    check_stage(case, Stage.registered)
    check_township_is_the_mines(case, command.actor)
    check_resources_exhausted_rule(case, command)
    case.proposed_path = command.path
    label = "延续" if command.path == "continue" else "注销关闭"
    record(case, now, EventKind.disposition_proposed, command.actor,
           f"{command.actor.township}建议{label}" + (f"：{command.reason}" if command.reason else ""),
           f"township proposed to {command.path}", to=Stage.disposition_review, path=command.path, reason=command.reason)
    notify(case, now, NoticeKind.decision_requested, ["county", "office"], f"{case.facts.mine_name}处置意见待县政府研究",
           "disposition awaits the county")


# The campaign's fixed dates a decision starts, by path: deadline kind → fixed date code (四.2).
DECISION_DATES = {
    "cancel": {DeadlineKind.restoration_plan: "restoration_plan_due", DeadlineKind.restoration_works: "cancel_works_due"},
    "continue": {DeadlineKind.unused_bare_area: "unused_bare_area_due"},
}
_LABELS = {DeadlineKind.restoration_plan: "编制完生态修复方案", DeadlineKind.restoration_works: "完成整治并通过验收",
           DeadlineKind.unused_bare_area: "不使用区裸露区整治"}


def dates_the_decision_sets(case: CaseState) -> dict[DeadlineKind, dt.date]:
    """The campaign's fixed dates the county's approval would start for this mine."""
    path = case.proposed_path
    if path is None or case.facts.never_produced or (path == "continue" and case.facts.unused_bare_area_mu <= 0):
        return {}
    dates = {}
    for kind, code in DECISION_DATES[path].items():
        fixed = case.policy.fixed(code)
        if fixed is not None and fixed.date is not None:
            dates[kind] = fixed.date
    return dates


def check_passed_dates_are_named(case: CaseState, command: DecideDisposition, on: dt.date) -> None:
    """A decision taken after a date of the campaign names its own (recorded with it): nothing is due before it
    was decided (legal audit E1)."""
    dates = dates_the_decision_sets(case)
    known = {k.value: k for k in dates}
    unknown = [k for k in command.deadlines if k not in known]
    if unknown:
        allowed = "、".join(known) or "无"
        raise RuleViolation(f"本决定不设期限「{'、'.join(unknown)}」（可另行明确：{allowed}）",
                            f"this decision sets no deadline {', '.join(unknown)} (it may name: {', '.join(known) or 'none'})")
    missing = [k for k, day in dates.items() if day < on and k.value not in command.deadlines]
    if missing:
        listed = "、".join(f"{_LABELS[k]}（{dates[k]}）" for k in missing)
        flags = " ".join(f"--deadline {k.value}=YYYY-MM-DD" for k in missing)
        raise RuleViolation(f"专项行动确定的期限已过：{listed}，决定须另行明确期限（{flags}）",
                            f"the campaign's date(s) have passed: {', '.join(k.value for k in missing)}; "
                            f"the decision must name new ones ({flags})")
    for code, day in command.deadlines.items():
        if dates[known[code]] >= on:
            raise RuleViolation(f"「{_LABELS[known[code]]}」按专项行动方案的期限（{dates[known[code]]}）尚未届满，不能另行确定",
                                f"{code}: the campaign's date {dates[known[code]]} has not passed; it stands")
        if day < on:
            raise RuleViolation(f"另行明确的期限{day}早于决定之日{on}", f"{code}: {day} is before the decision ({on})")


def decide_disposition(case: CaseState, command: DecideDisposition, now: dt.datetime) -> None:
    check_stage(case, Stage.disposition_review)
    if command.approve and case.passed_dates_named:
        check_passed_dates_are_named(case, command, case.effective_date(now))
    if not command.approve:
        case.proposed_path = None
        record(case, now, EventKind.disposition_returned, command.actor, f"县政府退回处置意见：{command.comment}",
               "county sent the proposal back", to=Stage.registered, comment=command.comment)
        return
    case.disposition_date = case.effective_date(now)
    case.named_deadlines = dict(command.deadlines)
    if case.proposed_path == "cancel":
        order_closure(case, command.actor, now)
    else:
        approve_continuation(case, command.actor, now)
