"""四.1 分类处置: the township proposes cancel or continue; the county decides.

A mine whose resources are exhausted is cancelled in principle: proposing to continue it needs a
reason. The county's approval starts the continue path (six months) or issues the closure decision.
"""

from __future__ import annotations

import datetime as dt

from models.case.cancellation import order_closure
from models.case.continue_path import approve_continuation
from models.case.guards import check_stage, check_township_is_the_mines
from models.case.parts import business_date
from models.case.state import CaseState
from models.case.timeline import notify, record
from models.errors import RuleViolation
from models.kinds import EventKind, NoticeKind
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


def decide_disposition(case: CaseState, command: DecideDisposition, now: dt.datetime) -> None:
    check_stage(case, Stage.disposition_review)
    if not command.approve:
        case.proposed_path = None
        record(case, now, EventKind.disposition_returned, command.actor, f"县政府退回处置意见：{command.comment}",
               "county sent the proposal back", to=Stage.registered, comment=command.comment)
        return
    case.disposition_date = business_date(now)
    if case.proposed_path == "cancel":
        order_closure(case, command.actor, now)
    else:
        approve_continuation(case, command.actor, now)
