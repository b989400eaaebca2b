"""Guards shared by every section: stage and role. Each raises a ``RuleViolation`` and changes nothing."""

from __future__ import annotations

from models.case.state import CaseState
from models.errors import WrongRole, WrongStage
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
