"""The documents a case issues: numbered from the issuer's register, and served by the issuer.

Under the rules of service (``CaseState.periods_from_service``) every document issued opens a task for
its issuer — the county for its decisions and notices, the township for its referral — to serve it
(or, for the cancellation notice, to publish it) within the campaign's ``service_days``; a task not
done in time is escalated to the office like any other. A period the document gives the holder does
not count until it is served (``deadlines.start(..., counts_from=document)``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from models.calendar import Period
from models.case.inbox import open_task
from models.case.parts import CaseDocument, NumberRequest
from models.case.state import CaseState
from models.clauses import Clause
from models.kinds import DocumentKind, TaskKind
from models.roles import Role

ISSUER: dict[DocumentKind, Role] = dict.fromkeys(DocumentKind, Role.county) | {DocumentKind.referral: Role.township,
                                                                               DocumentKind.acceptance_certificate: Role.expert}
"""Who issues, and so serves, each kind of document: the county government, except the township's referral (五.2)."""


def issue_document(case: CaseState, now: dt.datetime, kind: DocumentKind, title_zh: str, title_en: str, clause: Clause,
                   fields: dict[str, Any], *, addressee: str = "", serve: bool = True) -> CaseDocument:
    document = CaseDocument(id=f"{case.permit_no}-D{len(case.documents) + 1:02d}", kind=kind, title_zh=title_zh,
                            title_en=title_en, issued_at=now, clause=clause, addressee=addressee,
                            fields={**fields, "issued_on": case.effective_date(now).isoformat()})
    case.documents.append(document)
    prefix = case.policy.document_prefixes.get(kind.value)
    if case.due_process and prefix:  # numbered from the issuer's register, by an activity (like due dates)
        case.pending_numbers.append(NumberRequest(document_id=document.id, prefix=prefix.format(township=case.facts.township),
                                                  year=case.effective_date(now).year))
    if case.periods_from_service and serve:
        open_service_task(case, now, document)
    return document


def open_service_task(case: CaseState, now: dt.datetime, document: CaseDocument) -> None:
    """The issuer owes the document's service (a notice: its publication), in the campaign's days."""
    issuer = ISSUER[document.kind]
    if document.kind == DocumentKind.cancellation_notice:
        zh, en = f"在县政府网站发布《{document.title_zh}》并登记网址", f"publish the {document.title_en} and record where"
    else:
        to = f"（{document.addressee}）" if document.addressee else ""
        zh, en = f"送达《{document.title_zh}》{to}", f"serve the {document.title_en}"
    task = open_task(case, now, TaskKind.document_service, document.clause, issuer,
                     township=case.facts.township if issuer == Role.township else None, subject_zh=zh, subject_en=en,
                     period=Period(unit="days", amount=case.policy.service_days))
    task.document_id = document.id


def fill_number(case: CaseState, document_id: str, number: str) -> None:
    """Receive a document's 文号 from the register (see ``NumberRequest``)."""
    for document in case.documents:
        if document.id == document_id:
            document.number = number
    case.pending_numbers = [r for r in case.pending_numbers if r.document_id != document_id]
