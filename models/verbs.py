"""The verbs a person can send to a case: one row each, keyed by its message type.

The workflow's update handlers, the CLI, the API and the desk all read this registry: the update's
name, the roles that may ever send it (the server refuses others before the case sees them; the
case checks its own finer rules), and its bilingual label. The handler of each verb is the ``Case``
method of the same name (``models.case.Case.handle`` dispatches on the message type).
"""

from __future__ import annotations

from dataclasses import dataclass

from models.clauses import Clause
from models.messages import (
    ApplyCancellation,
    ApplyResumeProduction,
    DecideDisposition,
    DecideRenewal,
    Message,
    MoveDeadline,
    ProposeDisposition,
    RecordReview,
    ReportWorksDone,
    ServeDocument,
    SubmitDocument,
)
from models.roles import Role


@dataclass(frozen=True)
class Verb:
    name: str
    """The workflow update, the API's action path and the ``Case`` method that handles it."""
    message: type[Message]
    roles: frozenset[Role]
    label_zh: str
    label_en: str
    clause: Clause | None
    """The clause the verb acts under; ``None`` when it depends on the task or document."""


VERB_LIST: tuple[Verb, ...] = (
    Verb("propose_disposition", ProposeDisposition, frozenset({Role.township}), "提出处置意见", "propose a disposition",
         Clause.disposition),
    Verb("decide_disposition", DecideDisposition, frozenset({Role.county}), "研究处置意见", "decide the disposition",
         Clause.disposition),
    Verb("submit_document", SubmitDocument, frozenset({Role.holder}), "提交审批材料", "submit a document", None),
    Verb("report_works_done", ReportWorksDone, frozenset({Role.holder, Role.township}), "报告整治完成",
         "report the works done", Clause.acceptance),
    # the county and the township also decide the consequences proposed to them (due process)
    Verb("record_review", RecordReview, frozenset({Role.department, Role.township, Role.expert, Role.county}), "办理任务",
         "record a review", None),
    Verb("decide_renewal", DecideRenewal, frozenset({Role.county}), "常务会议研究延续", "decide the renewal",
         Clause.disposition),
    Verb("apply_resume_production", ApplyResumeProduction, frozenset({Role.holder}), "申请恢复生产",
         "apply to resume production", Clause.acceptance),
    # holder: within 30 days of the acceptance (四.3); township: for a holder deemed to have abandoned
    Verb("apply_cancellation", ApplyCancellation, frozenset({Role.township, Role.holder}), "作出注销矿权申请",
         "apply for cancellation", Clause.cancellation),
    Verb("move_deadline", MoveDeadline, frozenset({Role.office, Role.county}), "集体研究调整期限", "move a deadline",
         Clause.collective),
    # 送达: the issuer records service of its decision; publishing a cancellation notice is its service (四.3)
    Verb("serve_document", ServeDocument, frozenset({Role.office, Role.county, Role.township}), "登记送达", "record service",
         None),
)

VERBS: dict[type[Message], Verb] = {verb.message: verb for verb in VERB_LIST}
VERBS_BY_NAME: dict[str, Verb] = {verb.name: verb for verb in VERB_LIST}


def verb_of(message: Message) -> Verb:
    return VERBS[type(message)]
