"""送达: documents addressed to the holder are served, and a notice is published by a person who records it.

Service is recorded with its method (direct, post, electronic, announcement), its date and who
served. Publishing the cancellation notice on the county's website is its service by announcement:
the holder is deemed to have abandoned the right from that moment (四.3), never before.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from models.bounds import echo
from models.case import deadlines
from models.case.cancellation import notice_published
from models.case.parts import CaseDocument, Task
from models.case.state import CaseState
from models.case.timeline import record
from models.errors import AlreadyDecided, NotYourTask, RuleViolation
from models.kinds import DocumentKind, EventKind, TaskKind
from models.messages import ServeDocument

METHODS_ZH = {"direct": "直接送达", "post": "邮寄送达", "electronic": "电子送达", "announcement": "公告送达"}


def check_document_may_be_served(case: CaseState, command: ServeDocument) -> CaseDocument:
    document = next((d for d in case.documents if d.id == command.document_id), None)
    if document is None:
        raise NotYourTask(f"本案没有文书 {echo(command.document_id)}", f"no document {echo(command.document_id)} on this case")
    if document.served_on is not None:
        raise AlreadyDecided(f"《{document.title_zh}》已于{document.served_on}送达", f"{document.id} was served on {document.served_on}")
    if document.kind == DocumentKind.cancellation_notice and (command.method != "announcement" or not (command.url or "").strip()):
            raise RuleViolation("注销公告以在县政府网站发布的方式送达：请选择公告送达并填写发布网址",
                            "a cancellation notice is served by publishing it: method announcement, with its URL")
    return document


def serve_document(case: CaseState, command: ServeDocument, now: dt.datetime) -> None:
    document = check_document_may_be_served(case, command)
    document.served_on = case.effective_date(now)
    document.served_by = command.actor
    document.service_method = command.method
    document.url = command.url
    _service_done(case, document, command, now)
    if document.kind == DocumentKind.cancellation_notice:
        notice_published(case, now, document, command.actor)
        return
    started = deadlines.start_on_service(case, document)
    extra: dict[str, Any] = {"periods_started": [t.kind.value for t in started]} if started else {}
    counting_zh = "".join(f"；{t.label_zh}自送达之日起计算" for t in started)
    record(case, now, EventKind.document_served, command.actor,
           f"《{document.title_zh}》已{METHODS_ZH[command.method]}" + (f"（{document.addressee}）" if document.addressee else "")
           + counting_zh,
           f"{document.title_en} served ({command.method})" + "".join(f"; {t.label_en} counts from today" for t in started),
           clause=document.clause, document_id=document.id, method=command.method,
           **extra)


def _service_done(case: CaseState, document: CaseDocument, command: ServeDocument, now: dt.datetime) -> None:
    """The issuer's service task for the document is done (rules of service)."""
    for task in case.open_tasks():
        if task.kind == TaskKind.document_service and task.document_id == document.id:
            task.status, task.decided_at, task.decided_by = "approved", now, command.actor
            task.comment = METHODS_ZH[command.method]


def check_task_is_not_a_service(task: Task) -> None:
    """A service task is done by recording the service, not by a review."""
    if task.kind == TaskKind.document_service:
        raise RuleViolation(f"「{task.subject_zh}」以登记送达办理（minecase serve 或案件页“登记送达”），不以审查意见办理",
                            f"task {task.id} is done by recording the service (minecase serve), not by a review")
