"""Who may do what: the role × action rules the desk applies before any input reaches a case.

The workflow checks the rules of the plan again (stage, task owner); this layer refuses
(``Forbidden``: 403 in the API, an error page on the web) whatever the signed-in user's role or
scope does not cover, so a forbidden input never reaches it. No HTTP here: ``operations.desk`` applies
these checks for the API (``api/``) and the web pages (``web/``) alike.
"""

from __future__ import annotations

from typing import Any

from casefile.users import UserRecord
from models.errors import MinecaseError
from models.roles import ROLE_LABELS, Role
from models.verbs import VERB_LIST

# verb → roles that may send it, and its label: read off the one verb registry (models/verbs.py).
VERB_ROLES: dict[str, frozenset[Role]] = {verb.name: verb.roles for verb in VERB_LIST}
VERB_LABELS: dict[str, tuple[str, str]] = {verb.name: (verb.label_zh, verb.label_en) for verb in VERB_LIST}

READ_ALL_ROLES = frozenset({Role.office, Role.county, Role.department, Role.expert, Role.viewer, Role.province})
"""Roles that read every case of their county (a ``province`` user: of every county)."""
REGISTER_ROLES = frozenset({Role.office})
LEDGER_IMPORT_ROLES = frozenset({Role.office})
LEDGER_EXPORT_ROLES = frozenset({Role.office, Role.county, Role.viewer, Role.department, Role.province})


class Forbidden(MinecaseError):
    """The signed-in user may not do this (role or scope)."""


class NotSignedIn(MinecaseError):
    pass


def _role_zh(role: Role) -> str:
    return ROLE_LABELS[role][0]


def user_county(user: UserRecord) -> str | None:
    """The county a user is held to (docs/province.md): its own; none for a ``province`` user (every county) and for a
    user without one (a deployment of a single county, as before)."""
    if Role(user.role) == Role.province:
        return None
    return user.county or None


def check_county(user: UserRecord, county: str | None) -> None:
    """Refuse a case of another county than the user's (a case whose county is not known yet is the user's own)."""
    own = user_county(user)
    if own and county and county != own:
        raise Forbidden(f"本矿属于{county}，不属于{own}", f"this mine belongs to {county}, not to {own}")


def check_may_read(user: UserRecord, township: str, permit_no: str, leader: str | None = None,
                   county: str | None = None) -> None:
    """``leader``: the case's 挂点县领导 (a leader user reads only its own mines); ``county``: the case's county (a user
    of one county reads only its cases, whatever its role)."""
    role = Role(user.role)
    check_county(user, county)
    if role in READ_ALL_ROLES:
        return
    if role == Role.leader and user.leader and leader == user.leader:
        return
    if role == Role.township and user.township == township:
        return
    if role == Role.holder and user.permit_no == permit_no:
        return
    raise Forbidden("无权查看此案件", "you may not see this case")


def check_may_register_into(user: UserRecord, policy_county: str, campaign: str) -> None:
    """The office of one county registers (and imports a ledger) only into a campaign of its county; nothing is
    written otherwise."""
    own = user_county(user)
    if own and policy_county != own:
        raise Forbidden(f"专项行动 {campaign} 属于{policy_county}，本用户属于{own}：不能登记到其他县的专项行动",
                        f"campaign {campaign} is {policy_county}'s; this user is of {own}: it registers into its own "
                        "county's campaigns only")


def check_may_import_ledger(user: UserRecord) -> None:
    if Role(user.role) not in LEDGER_IMPORT_ROLES:
        raise Forbidden("只有领导小组办公室可以导入台账", "only the office imports a ledger")


def check_may_export_ledger(user: UserRecord) -> None:
    if Role(user.role) not in LEDGER_EXPORT_ROLES:
        raise Forbidden("无权导出台账", "you may not export the ledger")


def verbs_for(user: UserRecord) -> list[str]:
    """The verbs this user's role may ever send (what forms to offer)."""
    role = Role(user.role)
    return [verb for verb, roles in VERB_ROLES.items() if role in roles]


def check_may_act(user: UserRecord, verb: str, township: str, permit_no: str, task: dict[str, Any] | None = None,
                  county: str | None = None) -> None:
    """Raise ``Forbidden`` unless ``user`` may send ``verb`` to this case (and, for a review, this task);
    ``county``: the case's county (a user of another county may not)."""
    role = Role(user.role)
    roles = VERB_ROLES.get(verb, frozenset())
    if role not in roles:
        allowed = "或".join(_role_zh(r) for r in sorted(roles)) or "任何人"
        raise Forbidden(
            f"{_role_zh(role)}不能{VERB_LABELS.get(verb, (verb,))[0]}（应由{allowed}办理）",
            f"a {role.value} user may not {VERB_LABELS.get(verb, (verb, verb))[1]}",
        )
    check_county(user, county)
    if role == Role.township and user.township != township:
        raise Forbidden(f"本矿属于{township}，不属于{user.township}", f"this mine belongs to {township}, not to {user.township}")
    if role == Role.holder and user.permit_no != permit_no:
        raise Forbidden("只能办理本人矿山的事项", "a holder may act only on their own mine")
    if verb == "record_review" and task is not None:
        if role == Role.department and task.get("department") != user.department:
            raise Forbidden("此任务不属于本部门", "this task belongs to another department")
        if role == Role.township and task.get("township") != user.township:
            raise Forbidden("此任务不属于本乡镇", "this task belongs to another township")
        if role == Role.department and task.get("assignee_role") not in (None, Role.department.value):
            raise Forbidden("此任务不由部门办理", "this task is not a department's")
        if role == Role.township and task.get("assignee_role") not in (None, Role.township.value):
            raise Forbidden("此任务不由乡镇办理", "this task is not a township's")
        if role == Role.expert and task.get("assignee_role") != Role.expert.value:
            raise Forbidden("此任务不由专家办理", "this task is not the experts'")
        if role == Role.county and task.get("assignee_role") != Role.county.value:
            raise Forbidden("此任务不由县政府办理", "this task is not the county's")
