"""Notices that reach people (issue 13): subscriptions, the delivery outbox, and who has read what.

The outbox is transactional: ``queue_deliveries`` runs inside ``record_case``'s transaction, so a notice
is recorded with its deliveries (status ``queued``) or not at all. Temporal then delivers them
(``workflows/notify_workflows.py``); each row's key is the idempotency key the channel receives.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import JSON, Column
from sqlalchemy.engine import Engine
from sqlmodel import Field, Session, SQLModel, col, select

from casefile.tables import CaseRecord, NoticeRecord
from casefile.users import UserError, UserRecord
from models.kinds import NoticeKind
from models.notify import SETTINGS_OWNER, Channel, delivery_key, kind_matches, notice_units, redact, user_units


class NoticeSubscription(SQLModel, table=True):
    """A contact point of a user (``user:<name>``) or a unit (``department:water``, ``leader:张三``) on one
    channel, with what it wants: which notice kinds (empty: all), immediately or in a daily digest."""

    __tablename__ = "notice_subscriptions"

    owner: str = Field(primary_key=True, max_length=120)
    channel: str = Field(primary_key=True, max_length=20)
    address: str = Field(max_length=500)
    """An e-mail address, a phone number, or a robot's / webhook's URL (it may carry the robot's key)."""
    secret: str = Field(default="", max_length=200)
    """The 钉钉 robot's signing secret (加签); never shown or logged."""
    kinds: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    digest_hour: int | None = None
    """None: each notice at once; 0–23: one digest a day at that hour, China time."""
    active: bool = True


class NoticeDelivery(SQLModel, table=True):
    """One notice to one recipient on one channel. ``key`` is its idempotency key."""

    __tablename__ = "notice_deliveries"

    key: str = Field(primary_key=True, max_length=300)
    notice_id: str = Field(index=True, max_length=80)
    permit_no: str = Field(index=True, max_length=80)
    owner: str = Field(max_length=120)
    channel: str = Field(max_length=20)
    address: str = Field(default="", max_length=500)
    """Where it goes, redacted (robot keys hidden): for the office's eyes."""
    digest: bool = False
    status: str = Field(default="queued", index=True, max_length=20)
    """``queued`` (waiting or being retried), ``sent``, ``failed`` (given up; ``reason`` says why)."""
    attempts: int = 0
    reason: str = ""
    created_at: dt.datetime
    sent_at: dt.datetime | None = None
    digest_day: dt.date | None = None


class NoticeRead(SQLModel, table=True):
    """A person opened a notice on the desk."""

    __tablename__ = "notice_reads"

    notice_id: str = Field(primary_key=True, max_length=80)
    user_name: str = Field(primary_key=True, max_length=50)
    read_at: dt.datetime


@dataclass
class Queued:
    """What ``queue_deliveries`` put in the outbox: notices to deliver now, subscriptions with a digest to start."""

    notices: list[str] = field(default_factory=list)
    digests: list[tuple[str, str]] = field(default_factory=list)


def settings_channels(config: Any) -> list[tuple[str, str]]:
    """The channels configured in settings (owner ``settings``): (channel, address)."""
    if config is None:
        return []
    found = [(Channel.webhook.value, config.webhook_url), (Channel.dingtalk.value, config.dingtalk_url),
             (Channel.wecom.value, config.wecom_url)]
    return [(channel, url) for channel, url in found if url]


@dataclass(frozen=True)
class Addressee:
    """The case a notice is of, as far as its recipients go: its permit, township and leader (from the case file's row,
    returned by the write that updates it)."""

    permit_no: str
    township: str
    leader: str


class Audience:
    """Who may be told of a notice: the active users (by owner key) and the active subscriptions, read at most once
    for all the notices of one case-file write (issue 16: they were read again for each notice), and only if one of
    them is pushed at all."""

    def __init__(self, session: Session) -> None:
        self.session = session

    @functools.cached_property
    def users(self) -> dict[str, UserRecord]:
        return {f"user:{u.name}": u for u in self.session.exec(select(UserRecord).where(UserRecord.active == True))}  # noqa: E712

    @functools.cached_property
    def subscriptions(self) -> list[NoticeSubscription]:
        return list(self.session.exec(select(NoticeSubscription).where(NoticeSubscription.active == True)))  # noqa: E712


def queue_deliveries(session: Session, case: CaseRecord | Addressee, notice: NoticeRecord, config: Any, now: dt.datetime,
                     queued: Queued, audience: Audience | None = None) -> None:
    """Insert the deliveries of one new notice (same transaction as the notice). A notice dated long before
    it is recorded (a ledger's history taken in) is kept on the desk but not pushed. ``audience``: the users and
    subscriptions, when the caller has read them for several notices."""
    at = notice.at if notice.at.tzinfo else notice.at.replace(tzinfo=dt.UTC)
    max_age = dt.timedelta(days=getattr(config, "max_age_days", 2))
    if at < now - max_age:
        return
    units = set(notice_units(notice.recipients, notice.kind, township=case.township, permit_no=case.permit_no, leader=case.leader))
    audience = audience or Audience(session)
    users = audience.users
    added = False
    for sub in audience.subscriptions:
        if not kind_matches(sub.kinds, notice.kind):
            continue
        user = users.get(sub.owner)
        if sub.owner.startswith("user:"):
            if user is None or not units & user_units(user.role, name=user.name, display_name=user.display_name,
                                                      township=user.township, department=user.department, permit_no=user.permit_no):
                continue
        elif sub.owner not in units:
            continue
        digest = sub.digest_hour is not None
        _add(session, notice, case.permit_no, sub.owner, sub.channel, sub.address, now, digest)
        if digest:
            queued.digests.append((sub.owner, sub.channel))
        else:
            added = True
    for channel, url in settings_channels(config):
        _add(session, notice, case.permit_no, SETTINGS_OWNER, channel, url, now, False)
        added = True
    if added:
        queued.notices.append(notice.id)


def _add(session: Session, notice: NoticeRecord, permit_no: str, owner: str, channel: str, address: str, now: dt.datetime,
         digest: bool) -> None:
    key = delivery_key(notice.id, owner, channel)
    if session.get(NoticeDelivery, key) is None:
        shown = redact(address) if "://" in address else address
        session.add(NoticeDelivery(key=key, notice_id=notice.id, permit_no=permit_no, owner=owner, channel=channel,
                                   address=shown, digest=digest, created_at=now))


# -- reading ---------------------------------------------------------------------------------------------

SCAN_LIMIT = 2000
"""The newest notices looked at for one person's list and bell."""


def notices_of(session: Session, user: UserRecord, limit: int = SCAN_LIMIT) -> list[tuple[NoticeRecord, CaseRecord]]:
    """The signed-in person's notices across cases, newest first: those addressed to a unit the person belongs to."""
    mine = user_units(user.role, name=user.name, display_name=user.display_name, township=user.township,
                      department=user.department, permit_no=user.permit_no)
    if not mine:
        return []
    query = select(NoticeRecord, CaseRecord).where(col(NoticeRecord.permit_no) == col(CaseRecord.permit_no))
    if user.role == "township":
        query = query.where(CaseRecord.township == user.township)
    elif user.role == "holder":
        query = query.where(CaseRecord.permit_no == user.permit_no)
    if user.county and user.role != "province":  # a user of one county (docs/province.md): its county's cases only
        query = query.where(CaseRecord.county == user.county)
    rows = session.exec(query.order_by(col(NoticeRecord.at).desc()).limit(limit)).all()
    found = []
    for notice, case in rows:
        units = notice_units(notice.recipients, notice.kind, township=case.township, permit_no=case.permit_no, leader=case.leader)
        if mine & set(units):
            found.append((notice, case))
    return found


def read_ids(session: Session, user_name: str, notice_ids: list[str]) -> set[str]:
    if not notice_ids:
        return set()
    rows = session.exec(select(NoticeRead.notice_id).where(NoticeRead.user_name == user_name,
                                                           col(NoticeRead.notice_id).in_(notice_ids)))
    return set(rows)


def deliveries_of(session: Session, notice_ids: list[str]) -> dict[str, list[NoticeDelivery]]:
    found: dict[str, list[NoticeDelivery]] = {}
    if not notice_ids:
        return found
    for row in session.exec(select(NoticeDelivery).where(col(NoticeDelivery.notice_id).in_(notice_ids)).order_by(NoticeDelivery.key)):
        found.setdefault(row.notice_id, []).append(row)
    return found


def mark_read(session: Session, user_name: str, notice_ids: list[str], now: dt.datetime) -> None:
    for notice_id in set(notice_ids) - read_ids(session, user_name, notice_ids):
        session.add(NoticeRead(notice_id=notice_id, user_name=user_name, read_at=now))
    session.commit()


# -- subscriptions -------------------------------------------------------------------------------------

EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")
PHONE = re.compile(r"^\+?[0-9]{6,15}$")
UNIT = re.compile(r"^(office|county|expert|procuratorate|(township|department|leader|holder):.{1,80})$")
KNOWN_KINDS = {k.value for k in NoticeKind} | {"reminder", "overdue"}


def check_address(channel: str, address: str) -> str:
    """The address, checked for its channel (a UserError says what is wrong)."""
    address = address.strip()
    if channel == Channel.email and not EMAIL.match(address):
        raise UserError(f"邮箱地址「{address}」无效", f"'{address}' is not an e-mail address")
    if channel == Channel.sms and not PHONE.match(address.replace(" ", "").replace("-", "")):
        raise UserError(f"手机号「{address}」无效", f"'{address}' is not a phone number")
    if channel in (Channel.dingtalk, Channel.wecom, Channel.webhook) and not address.startswith(("https://", "http://")):
        raise UserError("机器人或 Webhook 地址应以 https:// 开头", "a robot's or webhook's address starts with https://")
    if len(address) > 500:
        raise UserError("地址过长", "the address is too long")
    return address.replace(" ", "").replace("-", "") if channel == Channel.sms else address


def set_subscription(engine: Engine, owner: str, channel: str, address: str, *, secret: str = "", kinds: list[str] | None = None,
                     digest_hour: int | None = None) -> NoticeSubscription:
    """Add or replace one contact point of a user (``user:<name>``, or a bare user name) or a unit."""
    owner = owner.strip()
    if channel not in {c.value for c in Channel}:
        allowed = ", ".join(c.value for c in Channel)
        raise UserError(f"未知渠道「{channel}」，可选：{allowed}", f"unknown channel '{channel}'; choose one of {allowed}")
    address = check_address(channel, address)
    if digest_hour is not None and not 0 <= digest_hour <= 23:
        raise UserError("汇总钟点应为 0 到 23", "the digest hour is 0 to 23")
    unknown = [k for k in kinds or [] if k not in KNOWN_KINDS and not re.fullmatch(r"reminder_\d+d", k)]
    if unknown:
        raise UserError(f"未知通知类型：{', '.join(unknown)}", f"unknown notice kinds: {', '.join(unknown)}")
    with Session(engine) as session:
        if not UNIT.match(owner):
            name = owner.removeprefix("user:")
            if session.get(UserRecord, name) is None:
                raise UserError(f"没有用户「{name}」，单位应写作 office、township:<乡镇>、department:<代码>、leader:<姓名> 等",
                                f"no user '{name}'; a unit is office, township:<name>, department:<code>, leader:<name> …")
            owner = f"user:{name}"
        row = session.get(NoticeSubscription, (owner, channel)) or NoticeSubscription(owner=owner, channel=channel, address=address)
        row.address, row.secret, row.kinds, row.digest_hour, row.active = address, secret, list(kinds or []), digest_hour, True
        session.add(row)
        session.commit()
        session.refresh(row)
        return row


def remove_subscription(engine: Engine, owner: str, channel: str) -> int:
    owner = owner.strip()
    with Session(engine) as session:
        found = [session.get(NoticeSubscription, (o, channel)) for o in (owner, f"user:{owner}")]
        rows = [r for r in found if r is not None]
        for row in rows:
            session.delete(row)
        session.commit()
        return len(rows)


def list_subscriptions(engine: Engine) -> list[NoticeSubscription]:
    with Session(engine) as session:
        return list(session.exec(select(NoticeSubscription).order_by(col(NoticeSubscription.owner), col(NoticeSubscription.channel))))
