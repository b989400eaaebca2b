"""Guards shared by every section: stage and role. Each raises a ``RuleViolation`` and changes nothing."""

from __future__ import annotations

import datetime as dt

from models.case.parts import business_date
from models.case.state import CaseState
from models.errors import RuleViolation, WrongRole, WrongStage
from models.roles import ROLE_LABELS, Actor, Role
from models.stages import Stage


def role_zh(role: Role) -> str:
    return ROLE_LABELS[role][0]


def check_stage(case: CaseState, *allowed: Stage) -> None:
    if case.stage not in allowed:
        raise WrongStage(
            f"本案当前处于「{case.stage.label_zh}」阶段，不能进行此操作",
            f"the case is at stage '{case.stage.value}'; this input is not allowed now",
        )


def check_role(actor: Actor, *roles: Role) -> None:
    if actor.role not in roles:
        raise WrongRole(
            f"此操作应由{'或'.join(role_zh(r) for r in roles)}进行",
            f"this input is for {' or '.join(r.value for r in roles)}, not {actor.role.value}",
        )


def check_township_is_the_mines(case: CaseState, actor: Actor) -> None:
    check_role(actor, Role.township)
    if actor.township != case.facts.township:
        raise WrongRole(
            f"本矿属于{case.facts.township}，{actor.township or '未指明乡镇'}不能代为操作",
            f"this mine belongs to {case.facts.township}, not to {actor.township or 'an unnamed township'}",
        )


def last_act_on(case: CaseState) -> dt.date | None:
    """The day the case's latest act by a person legally happened (registration included)."""
    days = [e.effective_on or business_date(e.at) for e in case.timeline if e.actor.role != Role.system]
    return max(days) if days else None


def check_effective_date(case: CaseState, on: dt.date | None, now: dt.datetime) -> dt.date | None:
    """An act's legal date (``Message.on``) is not in the future, not before the campaign's start and not before
    the case's previous act: acts are recorded in the order they happened."""
    if on is None:
        return None
    today = business_date(now)
    if on > today:
        raise RuleViolation(f"日期{on}晚于今天（{today}）：不能登记尚未发生的行为", f"{on} is in the future (today is {today})")
    start = case.policy.start
    if start is not None and on < start:
        raise RuleViolation(f"日期{on}早于专项行动开始之日（{start}）", f"{on} is before the campaign's start ({start})")
    previous = last_act_on(case)
    if previous is not None and on < previous:
        raise RuleViolation(f"日期{on}早于本案上一行为的日期（{previous}）：请按发生先后登记",
                            f"{on} is before the case's previous act ({previous}): record acts in the order they happened")
    return on
