"""Delivering notices (issue 13): one ``send_notice`` per delivery, a digest per subscriber and day, and the
sweeper that starts the deliveries whose workflow never started.

``send_notice`` is safe to run again: a delivery already ``sent`` is not sent twice, and the channel
gets the delivery's idempotency key (``Idempotency-Key`` header, ``key`` field, e-mail Message-ID), so
a retry after a success that was not recorded is recognisable by the receiver. Every attempt's
outcome (attempt count, reason) is written on the row; secrets never reach the row, the log or the
workflow's history (``runtime.channels`` scrubs them).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from temporalio import activity
from temporalio.client import Client
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError

from casefile.notices import NoticeDelivery, NoticeSubscription
from casefile.tables import CaseRecord, NoticeRecord
from models.notify import SETTINGS_OWNER, OutgoingNotice, digest_key
from runtime import channels
from runtime.channels import NotifyConfig
from runtime.telemetry import count_delivery

log = logging.getLogger("minecase.notify")


class DigestRequest(BaseModel):
    owner: str
    channel: str
    day: dt.date


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _iso(at: dt.datetime) -> str:
    return (at if at.tzinfo else at.replace(tzinfo=dt.UTC)).isoformat()


class NotifyActivities:
    def __init__(self, engine: Engine, config: NotifyConfig):
        self.engine, self.config = engine, config

    # -- one notice -----------------------------------------------------------------------------------

    @activity.defn(name="notice_deliveries_due")
    def deliveries_due(self, notice_id: str) -> list[str]:
        """The keys of a notice's deliveries still to send now (not digests)."""
        with Session(self.engine) as session:
            rows = session.exec(select(NoticeDelivery.key).where(NoticeDelivery.notice_id == notice_id, NoticeDelivery.status == "queued",
                                                                 NoticeDelivery.digest == False))  # noqa: E712
            return list(rows)

    def _address(self, session: Session, row: NoticeDelivery) -> tuple[str, str]:
        """Where to send (read now, never stored in clear on the row): the subscription's, or the settings' channel."""
        if row.owner == SETTINGS_OWNER:
            urls = {"webhook": self.config.webhook_url, "dingtalk": self.config.dingtalk_url, "wecom": self.config.wecom_url}
            secret = self.config.dingtalk_secret if row.channel == "dingtalk" else ""
            return urls.get(row.channel, ""), secret
        sub = session.get(NoticeSubscription, (row.owner, row.channel))
        if sub is None or not sub.active:
            return "", ""
        return sub.address, sub.secret

    @activity.defn(name="send_notice")
    def send_notice(self, key: str) -> str:
        with Session(self.engine) as session:
            row = session.get(NoticeDelivery, key)
            if row is None:
                return "gone"
            if row.status == "sent":
                return "already sent"
            notice = session.get(NoticeRecord, row.notice_id)
            case = session.get(CaseRecord, row.permit_no)
            address, secret = self._address(session, row)
            if notice is None or not address:
                return self._record(session, row, "failed", "the notice or the recipient's contact point is gone")
            message = OutgoingNotice(key=key, permit_no=notice.permit_no, kind=notice.kind, text_zh=notice.text_zh, text_en=notice.text_en,
                                     recipients=list(notice.recipients), notice_id=notice.id, at=_iso(notice.at),
                                     mine_name=case.mine_name if case else "")
            row.attempts += 1
            session.add(row)
            session.commit()
            try:
                said = channels.send(self.config, row.channel, address, secret, message)
            except channels.Permanent as error:
                self._record(session, row, "failed", str(error))
                raise ApplicationError(str(error), type="Permanent", non_retryable=True) from None
            except channels.Retryable as error:
                self._record(session, row, "queued", str(error))
                raise ApplicationError(str(error), type="Retryable") from None
            return self._record(session, row, "sent", said)

    def _record(self, session: Session, row: NoticeDelivery, status: str, reason: str) -> str:
        row.status, row.reason = status, reason[:500]
        if status == "sent":
            row.sent_at = _utc_now()
        session.add(row)
        session.commit()
        log.info("notice delivery %s", status, extra={"key": row.key, "channel": row.channel, "owner": row.owner,
                                                      "attempts": row.attempts, "reason": row.reason})
        count_delivery(row.channel, status)  # minecase_notices_delivered_total / _failed_total (issue 15)
        return reason

    @activity.defn(name="give_up_notice")
    def give_up(self, key: str, reason: str) -> None:
        """Retries ran out: the delivery is ``failed`` with the last reason (the office sees it)."""
        with Session(self.engine) as session:
            row = session.get(NoticeDelivery, key)
            if row is not None and row.status == "queued":
                self._record(session, row, "failed", row.reason or reason)

    # -- digests --------------------------------------------------------------------------------------

    @activity.defn(name="digest_hour")
    def digest_hour(self, owner: str, channel: str) -> int | None:
        """The subscription's digest hour now (None: it no longer wants a digest, the workflow ends)."""
        with Session(self.engine) as session:
            sub = session.get(NoticeSubscription, (owner, channel))
            return sub.digest_hour if sub is not None and sub.active else None

    @activity.defn(name="send_digest")
    def send_digest(self, request: DigestRequest) -> int:
        """One message with every queued digest delivery of the subscriber; how many notices it carried."""
        owner, channel, day = request.owner, request.channel, request.day
        key = digest_key(owner, channel, day)
        with Session(self.engine) as session:
            rows = list(session.exec(select(NoticeDelivery).where(
                NoticeDelivery.owner == owner, NoticeDelivery.channel == channel, NoticeDelivery.digest == True,  # noqa: E712
                NoticeDelivery.status == "queued").order_by(col(NoticeDelivery.created_at), col(NoticeDelivery.key))))
            if not rows:
                return 0
            sub = session.get(NoticeSubscription, (owner, channel))
            if sub is None:
                return 0
            notices = {n.id: n for n in session.exec(select(NoticeRecord).where(col(NoticeRecord.id).in_([r.notice_id for r in rows])))}
            items = tuple((n.permit_no, n.kind, n.text_zh) for r in rows if (n := notices.get(r.notice_id)) is not None)
            message = OutgoingNotice(key=key, permit_no="", kind="digest", text_zh=f"每日提醒汇总 {len(items)} 条",
                                     text_en=f"daily digest of {len(items)} notices", recipients=[owner], notice_id=key,
                                     at=_utc_now().isoformat(), items=items)
            for row in rows:
                row.attempts += 1
                row.digest_day = day
                session.add(row)
            session.commit()
            try:
                said = channels.send(self.config, channel, sub.address, sub.secret, message)
            except channels.ChannelError as error:
                for row in rows:
                    row.reason = str(error)[:500]
                    session.add(row)
                session.commit()
                raise ApplicationError(str(error), type=type(error).__name__,
                                       non_retryable=isinstance(error, channels.Permanent)) from None
            now = _utc_now()
            for row in rows:
                row.status, row.reason, row.sent_at = "sent", said, now
                session.add(row)
            session.commit()
            log.info("notice digest sent", extra={"key": key, "channel": channel, "owner": owner, "notices": len(rows)})
            for _ in rows:
                count_delivery(channel, "sent")
            return len(rows)

    # -- the sweeper ----------------------------------------------------------------------------------

    def to_sweep(self, older_than_seconds: float) -> tuple[list[str], list[tuple[str, str]]]:
        """Notices with deliveries still queued (their workflow may never have started), and digest subscriptions."""
        cut = _utc_now() - dt.timedelta(seconds=older_than_seconds)
        with Session(self.engine) as session:
            notices = session.exec(select(NoticeDelivery.notice_id).where(
                NoticeDelivery.status == "queued", NoticeDelivery.digest == False,  # noqa: E712
                col(NoticeDelivery.created_at) <= cut).distinct().limit(500))
            digests = session.exec(select(NoticeSubscription.owner, NoticeSubscription.channel).where(
                NoticeSubscription.active == True, col(NoticeSubscription.digest_hour).is_not(None)))  # noqa: E712
            return list(notices), [(o, c) for o, c in digests]

    @activity.defn(name="sweep_notices")
    async def sweep(self, older_than_seconds: float) -> int:
        """Start the delivery of every notice still queued, and every digest subscription's workflow; how many started."""
        notices, digests = await asyncio.to_thread(self.to_sweep, older_than_seconds)
        return await start_deliveries(activity.client(), activity.info().task_queue, self.config.retry_seconds, notices, digests)


async def start_deliveries(client: Client, task_queue: str, retry_seconds: float, notices: list[str],
                           digests: list[tuple[str, str]]) -> int:
    """Start ``notice-<id>`` for each notice and ``digest-<owner>-<channel>`` for each digest subscription; one
    already running is left alone (the same id cannot run twice). How many started."""
    started = 0
    starts = [("NoticeDelivery", {"notice_id": n, "retry_seconds": retry_seconds}, f"notice-{n}") for n in notices]
    starts += [("NoticeDigest", {"owner": o, "channel": c, "retry_seconds": retry_seconds}, f"digest-{o}-{c}") for o, c in digests]
    for name, arg, workflow_id in starts:
        try:
            await client.start_workflow(name, arg, id=workflow_id, task_queue=task_queue,
                                        id_conflict_policy=WorkflowIDConflictPolicy.FAIL)
            started += 1
        except WorkflowAlreadyStartedError:
            pass
    return started


class DeliveryStarter:
    """Starts delivery workflows from the case file's (synchronous) activity, on the worker's event loop.

    Called after ``record_case`` commits; a start that fails is left to the sweeper (the rows stay ``queued``)."""

    def __init__(self, start: Callable[[list[str], list[tuple[str, str]]], Any], loop: asyncio.AbstractEventLoop):
        self.start, self.loop = start, loop

    def __call__(self, notices: list[str], digests: list[tuple[str, str]]) -> None:
        if not notices and not digests:
            return
        try:
            asyncio.run_coroutine_threadsafe(self.start(notices, digests), self.loop).result(timeout=5)
        except Exception as error:  # noqa: BLE001 - the sweeper starts what this could not
            log.warning("delivery workflows not started now (the sweeper will): %s", type(error).__name__)
