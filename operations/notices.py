"""The signed-in person's notices across cases (the desk's bell and ``/notices``), their deliveries, and the
office's view of what did not go out (issue 13). The same scope as every page: a township sees its own
mines' notices, a holder its mine's, a department what is addressed to it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from casefile.notices import (
    NoticeDelivery,
    deliveries_of,
    list_subscriptions,
    mark_read,
    notices_of,
    read_ids,
    remove_subscription,
    set_subscription,
)
from casefile.tables import CaseRecord
from casefile.users import UserError, UserRecord
from models.notify import CHANNEL_LABELS, Channel, redact
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
        query = select(NoticeDelivery, CaseRecord).where(
            col(NoticeDelivery.status).in_(["queued", "failed"]), col(NoticeDelivery.permit_no) == col(CaseRecord.permit_no))
        if user.county:  # the office of one county (docs/province.md): its county's deliveries only
            query = query.where(CaseRecord.county == user.county)
        rows = session.exec(query.order_by(col(NoticeDelivery.created_at).desc()).limit(limit)).all()
        return [{**_delivery(d), "mine_name": c.mine_name} for d, c in rows]


# -- the office's contact points (desk) ---------------------------------------------------------------------


def _office_only(user: UserRecord) -> None:
    if Role(user.role) != Role.office:
        raise Forbidden("只有领导小组办公室可设置通知订阅", "only the office sets who gets notices")


def subscriptions(engine: Engine, user: UserRecord) -> list[dict[str, Any]]:
    """Every contact point, robot keys hidden, secrets never shown."""
    _office_only(user)
    return [{"owner": s.owner, "channel": s.channel, "address": redact(s.address) if "://" in s.address else s.address,
             "signed": bool(s.secret), "kinds": list(s.kinds), "digest_hour": s.digest_hour} for s in list_subscriptions(engine)]


def subscribe(engine: Engine, user: UserRecord, form: dict[str, str]) -> dict[str, Any]:
    """Add or replace one contact point from the desk's form (a bad field: a UserError, nothing changes)."""
    _office_only(user)
    hour_text = (form.get("digest_hour") or "").strip()
    if hour_text and not hour_text.isdigit():
        raise UserError("汇总钟点应为 0 到 23 的整数", "the digest hour is a whole number from 0 to 23")
    kinds = [k.strip() for k in (form.get("kinds") or "").replace("，", ",").split(",") if k.strip()]
    row = set_subscription(engine, (form.get("owner") or "").strip(), (form.get("channel") or "").strip(),
                           form.get("address") or "", secret=(form.get("secret") or "").strip(), kinds=kinds,
                           digest_hour=int(hour_text) if hour_text else None)
    return {"owner": row.owner, "channel": row.channel}


def unsubscribe(engine: Engine, user: UserRecord, owner: str, channel: str) -> int:
    _office_only(user)
    return remove_subscription(engine, owner, channel)
