"""Telling the holder and the township of every decision (issue 12, D10).

Each decision of the county or of a competent body (a department's, the experts', the township's review of a
task; the county's disposition and renewal decisions; a consequence it decides) and each document served reaches
the holder and the township as a notice (``decision_notified``), with what was decided in the words of the
timeline — unless the same input already sent them one (a rejection's notice to the holder stays the one it
gets). The county that sends a proposal or a renewal back says why, as a department rejecting a document does:
the holder's notice never ends on an empty reason.

Applies to cases started since patch ``decision-notices-2026-11-27`` (``CaseState.decisions_notified``): older
histories replay as they were recorded.
"""

from __future__ import annotations

import datetime as dt

from models.case.state import CaseState
from models.case.timeline import notify
from models.errors import RuleViolation
from models.kinds import EventKind, NoticeKind
from models.messages import DecideDisposition, DecideRenewal, Message, RecordReview, ServeDocument
from models.roles import Role

DECISIONS = (DecideDisposition, DecideRenewal, RecordReview, ServeDocument)
"""The inputs whose outcome the holder and the township are told of."""

RECIPIENTS = ("holder", "township")

_QUIET = frozenset({EventKind.deadline_recomputed, EventKind.review_overdue_escalated})
"""Events an input may bring along that are not what was decided."""


class ReasonMissing(RuleViolation):
    """A refusal (sending back, not agreeing) without its reason."""


def check_a_refusal_gives_its_reason(case: CaseState, command: Message) -> None:
    if not case.decisions_notified:
        return
    if isinstance(command, DecideDisposition | DecideRenewal) and not command.approve and not command.comment.strip():
        raise ReasonMissing("退回或不同意须说明理由（意见栏）", "sending it back needs its reason (comment)")


def tell_holder_and_township(case: CaseState, command: Message, events_before: int, notices_before: int,
                             now: dt.datetime) -> None:
    """After ``command`` was applied: a notice to whichever of the holder and the township it has not told yet."""
    if not case.decisions_notified or not isinstance(command, DECISIONS):
        return
    decided = [e for e in case.timeline[events_before:] if e.kind not in _QUIET]
    if not decided:
        return
    told = {r for n in case.notices[notices_before:] for r in n.recipients}
    acting_township = command.actor.role == Role.township
    missing = [r for r in RECIPIENTS if r not in told and not (r == "township" and acting_township)]
    if not missing:
        return
    by = command.actor.describe()
    text_zh = "；".join(e.summary_zh.rstrip("：: ") for e in decided)
    text_en = "; ".join(e.summary_en.rstrip(": ") for e in decided)
    notify(case, now, NoticeKind.decision_notified, missing, f"{by}：{text_zh}", f"{by}: {text_en}")
