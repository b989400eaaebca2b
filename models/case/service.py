"""送达: documents addressed to the holder are served, and a notice is published by a person who records it.

Service is recorded with its method (direct, post, electronic, announcement), its date and who
served. Publishing the cancellation notice on the county's website is its service by announcement:
the holder is deemed to have abandoned the right from that moment (四.3), never before.
"""

from __future__ import annotations

import datetime as dt

from models.case.cancellation import notice_published
from models.case.parts import CaseDocument, business_date
from models.case.state import CaseState
from models.case.timeline import record
from models.errors import AlreadyDecided, NotYourTask, RuleViolation
from models.kinds import DocumentKind, EventKind
from models.messages import ServeDocument

METHODS_ZH = {"direct": "直接送达", "post": "邮寄送达", "electronic": "电子送达", "announcement": "公告送达"}


def check_document_may_be_served(case: CaseState, command: ServeDocument) -> CaseDocument:
    document = next((d for d in case.documents if d.id == command.document_id), None)
    if document is None:
        raise NotYourTask(f"本案没有文书 {command.document_id}", f"no document {command.document_id} on this case")
    if document.served_on is not None:
        raise AlreadyDecided(f"《{document.title_zh}》已于{document.served_on}送达", f"{document.id} was served on {document.served_on}")
    if document.kind == DocumentKind.cancellation_notice and (command.method != "announcement" or not (command.url or "").strip()):
            raise RuleViolation("注销公告以在县政府网站发布的方式送达：请选择公告送达并填写发布网址",
                            "a cancellation notice is served by publishing it: method announcement, with its URL")
    return document


def serve_document(case: CaseState, command: ServeDocument, now: dt.datetime) -> None:
    document = check_document_may_be_served(case, command)
    document.served_on = business_date(now)
    document.served_by = command.actor
    document.service_method = command.method
    document.url = command.url
    if document.kind == DocumentKind.cancellation_notice:
        notice_published(case, now, document, command.actor)
        return
    record(case, now, EventKind.document_served, command.actor,
           f"《{document.title_zh}》已{METHODS_ZH[command.method]}" + (f"（{document.addressee}）" if document.addressee else ""),
           f"{document.title_en} served ({command.method})", clause=document.clause, document_id=document.id, method=command.method)
