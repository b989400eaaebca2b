"""Writes to the case file (一矿一档). Idempotent: every row has a natural key and is upserted, so a
retried activity never writes twice. Opening a task here is what puts it in the department's (or
township's) inbox; the notice rows are the notifications."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from sqlalchemy import case, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select
from temporalio import activity

from casefile.db import one_writer
from casefile.documents import render_html
from casefile.notices import Addressee, Audience, Queued, queue_deliveries
from casefile.tables import (
    CaseRecord,
    DeadlineRecord,
    DocumentNumber,
    DocumentRecord,
    NoticeRecord,
    TaskRecord,
    TimelineRecord,
    assign_county,
)
from casefile.times import to_db
from models.case.parts import NumberRequest
from models.errors import MinecaseError
from models.views import CaseSync

NUMBER_ATTEMPTS = 20  # another case took the same next number at the same moment: read again


def format_number(prefix: str, year: int, seq: int) -> str:
    """``上府关字〔2030〕3号``: the issuer's prefix, the year in 〔〕 and the sequence (GB/T 9704 发文字号)."""
    return f"{prefix}〔{year}〕{seq}号"


def _insert_for(dialect: str) -> Callable[..., Any]:
    """The dialect's ``INSERT`` with ``ON CONFLICT`` (SQLite and PostgreSQL, the case file's two databases)."""
    if dialect == "postgresql":
        return postgresql.insert
    return sqlite.insert


def _row(record: Any) -> dict[str, Any]:
    """A record's column values, as an ``INSERT`` takes them (defaults of the model applied)."""
    return {c.name: getattr(record, c.key) for c in record.__table__.columns}


def _upsert(session: Session, insert: Callable[..., Any], model: Any, rows: list[dict[str, Any]]) -> None:
    """``INSERT … ON CONFLICT (primary key) DO UPDATE`` of ``rows``: a retried write changes nothing. One statement per
    table and dialect, built once and executed for all the rows (``executemany``): a statement with the rows in its
    ``VALUES`` was compiled again for every write (issue 16)."""
    if rows:
        session.execute(_upsert_statement(insert, model.__table__), rows)


@functools.cache
def _upsert_statement(insert: Callable[..., Any], table: Any) -> Any:
    statement = insert(table)
    keys = [c.name for c in table.primary_key.columns]
    return statement.on_conflict_do_update(
        index_elements=keys, set_={c.name: statement.excluded[c.name] for c in table.columns if c.name not in keys})


class CaseFileActivities:
    def __init__(self, engine: Engine, notify: Any = None,
                 start_deliveries: Callable[[list[str], list[tuple[str, str]]], None] | None = None):
        """``notify``: the channels of the settings (``runtime.channels.NotifyConfig``); ``start_deliveries``: starts
        the delivery workflows of new notices after the case file commits (issue 13; the sweeper starts what it misses)."""
        self.engine = engine
        self.notify = notify
        self.start_deliveries = start_deliveries

    @activity.defn(name="allocate_document_numbers")
    def allocate_document_numbers(self, requests: list[NumberRequest]) -> list[str]:
        """The next 文号 of each issuer's register, once per document: asking again returns the same number."""
        return [self._allocate(request) for request in requests]

    def _allocate(self, request: NumberRequest) -> str:
        for _ in range(NUMBER_ATTEMPTS):
            with one_writer(self.engine), Session(self.engine) as session:
                known = session.get(DocumentNumber, request.document_id)
                if known is not None:
                    return known.number
                last = session.exec(select(func.max(col(DocumentNumber.seq))).where(
                    DocumentNumber.prefix == request.prefix, DocumentNumber.year == request.year)).one()
                seq = (last or 0) + 1
                number = format_number(request.prefix, request.year, seq)
                session.add(DocumentNumber(document_id=request.document_id, prefix=request.prefix, year=request.year,
                                           seq=seq, number=number))
                try:
                    session.commit()
                except IntegrityError:
                    session.rollback()
                    continue
                return number
        raise MinecaseError("文号登记簿繁忙，稍后重试", "the document number register is busy; retried later")

    @activity.defn(name="record_case")
    def record_case(self, sync: CaseSync) -> int:
        """One short transaction (SQLite: ``BEGIN IMMEDIATE``, the file's write lock taken first, so that no read has to
        become a write half-way): the case's row updated (inserted with the first write, which carries the facts), the
        changed rows written with ``INSERT … ON CONFLICT DO UPDATE`` (no read before each), the new notices inserted
        with their deliveries (the transactional outbox)."""
        permit_no = sync.permit_no
        new_seq = max((e.seq for e in sync.events), default=0)
        with one_writer(self.engine), Session(self.engine) as session:  # SQLite: this worker's writers queue
            dialect = session.get_bind().dialect.name
            if dialect == "sqlite":
                session.connection().exec_driver_sql("BEGIN IMMEDIATE")
            insert = _insert_for(dialect)
            summary: dict[str, Any] = {"stage": sync.stage, "path": sync.path, "overdue": sync.overdue, "works": sync.works,
                                       "acceptance_date": sync.acceptance_date,
                                       "next_due": sync.next_deadline[1] if sync.next_deadline else None,
                                       "next_due_kind": sync.next_deadline[0] if sync.next_deadline else None,
                                       "updated_at": to_db(sync.business_time)}
            table = CaseRecord.__table__  # type: ignore[attr-defined]
            keep_last = case((table.c.last_seq < new_seq, new_seq), else_=table.c.last_seq)
            facts = sync.facts
            addressed = (table.c.last_seq, table.c.township, table.c.leader)
            if facts is not None:  # the first write carries the mine's facts: the row is inserted (or was, by a retry)
                row = CaseRecord(
                    permit_no=permit_no, workflow_id=sync.workflow_id, campaign=sync.campaign, mine_name=facts.mine_name,
                    holder=facts.holder, township=facts.township, leader=facts.leader, mineral=facts.mineral,
                    bare_area_mu=facts.bare_area_mu, resources_exhausted=facts.resources_exhausted,
                    never_produced=facts.never_produced, fictional=facts.fictional, stage=sync.stage, path=sync.path,
                    registered_at=to_db(sync.registered_at), updated_at=to_db(sync.business_time), last_seq=new_seq,
                    overdue=sync.overdue, works=sync.works, acceptance_date=sync.acceptance_date,
                    next_due=summary["next_due"], next_due_kind=summary["next_due_kind"],
                )
                assign_county(row)  # a Core insert: the ORM's before_insert hook does not run
                statement = insert(table).values(_row(row))
                statement = statement.on_conflict_do_update(index_elements=["permit_no"], set_={**summary, "last_seq": keep_last})
                written = session.execute(statement.returning(*addressed)).one()
            else:
                updated = session.execute(
                    update(table).where(table.c.permit_no == permit_no).values(**summary, last_seq=keep_last)
                    .returning(*addressed)).one_or_none()
                if updated is None:  # only the first write carries the facts: the case file lost this case (retried as a failed write)
                    raise MinecaseError(f"案卷中没有 {permit_no}，且本次写入不含矿山基本情况",
                                        f"the case file has no {permit_no} and this write does not carry the mine's facts")
                written = updated
            last_seq = written.last_seq
            addressee = Addressee(permit_no, written.township, written.leader)  # whom the new notices are for
            timeline = []
            for e in sync.events:
                unit = e.actor.department.value if e.actor.department else e.actor.township
                timeline.append(_row(TimelineRecord(
                    permit_no=permit_no, seq=e.seq, at=to_db(e.at), kind=e.kind, clause=e.clause,
                    actor_role=e.actor.role.value, actor_name=e.actor.name, actor_unit=unit,
                    stage_from=e.stage_from.value, stage_to=e.stage_to.value,
                    summary_zh=e.summary_zh, summary_en=e.summary_en, data=e.data,
                    effective_on=e.effective_on, recorded_at=to_db(e.recorded_at) if e.recorded_at else None,
                )))
            _upsert(session, insert, TimelineRecord, timeline)
            _upsert(session, insert, DeadlineRecord, [_row(DeadlineRecord(
                permit_no=permit_no, kind=d.kind, label_zh=d.label_zh, label_en=d.label_en, clause=d.clause,
                responsible=d.responsible.value, start=d.deadline.start if d.deadline else None,
                last_day=d.deadline.last_day if d.deadline else None,
                overdue_from=to_db(d.deadline.overdue_from) if d.deadline else None,
                provisional=d.deadline.provisional if d.deadline else False, status=d.status,
                moves=[m.model_dump(mode="json") for m in d.moves],
            )) for d in sync.deadlines])
            _upsert(session, insert, TaskRecord, [_row(TaskRecord(
                id=t.id, permit_no=permit_no, kind=t.kind.value, clause=t.clause,
                assignee_role=t.assignee_role.value, department=t.department.value if t.department else None,
                township=t.township, subject_zh=t.subject_zh, subject_en=t.subject_en, opened_at=to_db(t.opened_at),
                due=t.due.last_day if t.due else None, due_provisional=t.due.provisional if t.due else False,
                status=t.status, escalated=t.escalated, decided_at=to_db(t.decided_at) if t.decided_at else None,
                decided_by=t.decided_by.describe() if t.decided_by else None, comment=t.comment,
            )) for t in sync.tasks])
            queued = Queued()
            audience = Audience(session)  # the active users and subscriptions: read once per write, not per notice
            for n in sync.notices:
                notice = NoticeRecord(id=n.id, permit_no=permit_no, at=to_db(n.at), kind=n.kind, recipients=n.recipients,
                                      text_zh=n.text_zh, text_en=n.text_en)
                inserted = session.execute(insert(NoticeRecord.__table__).values(_row(notice))  # type: ignore[attr-defined]
                                           .on_conflict_do_nothing(index_elements=["id"])).rowcount
                if inserted:  # the transactional outbox: its deliveries are written with it, or not at all
                    queue_deliveries(session, addressee, notice, self.notify, dt.datetime.now(dt.UTC), queued, audience)
            _upsert(session, insert, DocumentRecord, [_row(DocumentRecord(  # sent again when served: the row and its HTML follow
                id=doc.id, permit_no=permit_no, kind=doc.kind, title_zh=doc.title_zh, clause=doc.clause,
                issued_at=to_db(doc.issued_at), fields=doc.fields, html=render_html(doc),
                addressee=doc.addressee, served_on=doc.served_on, service_method=doc.service_method,
                served_by=doc.served_by.describe() if doc.served_by else None, url=doc.url, number=doc.number,
            )) for doc in sync.documents])
            session.commit()
        if self.start_deliveries is not None:
            self.start_deliveries(queued.notices, sorted(set(queued.digests)))
        activity.logger.info("case file written", extra={"permit_no": permit_no, "stage": sync.stage, "events": len(sync.events)})
        return last_seq
