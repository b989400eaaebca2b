"""The signed-in person's notices across cases (the desk's bell and ``/notices``), their deliveries, and the
office's view of what did not go out (issue 13). The same scope as every page: a township sees its own
mines' notices, a holder its mine's, a department what is addressed to it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from casefile.notices import NoticeDelivery, deliveries_of, mark_read, notices_of, read_ids
from casefile.tables import CaseRecord
from casefile.users import UserRecord
from models.notify import CHANNEL_LABELS, Channel
from models.roles import Role
from operations.permissions import Forbidden

STATUS_LABELS = {"queued": ("待发送", "queued"), "sent": ("已送达", "sent"), "failed": ("发送失败", "failed")}


def _delivery(row: NoticeDelivery) -> dict[str, Any]:
    zh, en = CHANNEL_LABELS.get(Channel(row.channel), (row.channel, row.channel)) if row.channel in Channel.__members__ else (
        row.channel, row.channel)
    return {"key": row.key, "notice_id": row.notice_id, "permit_no": row.permit_no, "owner": row.owner, "channel": row.channel,
            "channel_zh": zh, "channel_en": en, "address": row.address, "digest": row.digest, "status": row.status,
            "attempts": row.attempts, "reason": row.reason, "sent_at": row.sent_at.isoformat() if row.sent_at else None}


def my_notices(engine: Engine, user: UserRecord, *, limit: int = 200) -> list[dict[str, Any]]:
    """The person's notices, newest first, each with ``read`` and its deliveries (status per channel)."""
    with Session(engine) as session:
        found = notices_of(session, user)[:limit]
        ids = [n.id for n, _ in found]
        seen = read_ids(session, user.name, ids)
        sent = deliveries_of(session, ids)
        return [{"id": n.id, "permit_no": n.permit_no, "mine_name": c.mine_name, "at": n.at.isoformat(), "kind": n.kind,
                 "text_zh": n.text_zh, "text_en": n.text_en, "recipients": list(n.recipients), "read": n.id in seen,
                 "deliveries": [_delivery(d) for d in sent.get(n.id, [])]} for n, c in found]


def unread_count(engine: Engine, user: UserRecord) -> int:
    with Session(engine) as session:
        ids = [n.id for n, _ in notices_of(session, user)]
        return len(ids) - len(read_ids(session, user.name, ids))


def open_notice(engine: Engine, user: UserRecord, notice_id: str) -> str:
    """Mark one of the person's notices read; the permit number of its case (to go to). Not one of theirs: Forbidden."""
    with Session(engine) as session:
        mine = {n.id: n.permit_no for n, _ in notices_of(session, user)}
        if notice_id not in mine:
            raise Forbidden("这不是您的通知", "this notice is not addressed to you")
        mark_read(session, user.name, [notice_id], dt.datetime.now(dt.UTC))
        return mine[notice_id]


def read_all(engine: Engine, user: UserRecord) -> int:
    with Session(engine) as session:
        ids = [n.id for n, _ in notices_of(session, user)]
        unread = set(ids) - read_ids(session, user.name, ids)
        mark_read(session, user.name, list(unread), dt.datetime.now(dt.UTC))
        return len(unread)


def undelivered(engine: Engine, user: UserRecord, *, limit: int = 500) -> list[dict[str, Any]]:
    """The office's view: deliveries not (yet) sent — queued or failed, with the reason and attempts."""
    if Role(user.role) != Role.office:
        raise Forbidden("只有领导小组办公室可查看未送达的通知", "only the office sees undelivered notices")
    with Session(engine) as session:
        rows = session.exec(select(NoticeDelivery, CaseRecord).where(
            col(NoticeDelivery.status).in_(["queued", "failed"]), col(NoticeDelivery.permit_no) == col(CaseRecord.permit_no))
            .order_by(col(NoticeDelivery.created_at).desc()).limit(limit)).all()
        return [{**_delivery(d), "mine_name": c.mine_name} for d, c in rows]
