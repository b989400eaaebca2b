"""Who a notice reaches, and the pure parts of delivering it (issue 13).

A notice's ``recipients`` are the case's words for units: ``holder``, ``township``, ``leader``, ``office``,
``county``, ``procuratorate``, ``expert``, ``department:<code>``, ``township:<name>``. ``notice_units``
makes them absolute for one case (``township:<the case's township>``, ``holder:<permit>``,
``leader:<the mine's 挂点县领导>``) and adds the office and the leader to escalations; ``user_units`` says
which of those units a signed-in person belongs to. A subscription belongs to a user (``user:<name>``)
or directly to a unit (a department's group robot, ``leader:<name>``'s phone).

No I/O here: the channels are in ``runtime/channels.py``, the rows in ``casefile/notices.py``.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import parse_qsl, quote_plus, urlencode, urlsplit, urlunsplit

from models.kinds import OVERDUE_NOTICES

CHINA = dt.timezone(dt.timedelta(hours=8), "CST")
"""China Standard Time (no daylight saving): digests go out at their hour here."""


class Channel(StrEnum):
    email = "email"
    sms = "sms"
    dingtalk = "dingtalk"  # 钉钉群机器人
    wecom = "wecom"  # 企业微信群机器人
    webhook = "webhook"  # a generic JSON webhook


CHANNEL_LABELS = {
    Channel.email: ("邮件", "email"),
    Channel.sms: ("短信", "SMS"),
    Channel.dingtalk: ("钉钉", "DingTalk"),
    Channel.wecom: ("企业微信", "WeCom"),
    Channel.webhook: ("Webhook", "webhook"),
}

SETTINGS_OWNER = "settings"
"""The owner of the channels configured in settings (``MINECASE_NOTIFY_WEBHOOK_URL`` …): every notice."""

ESCALATION_UNITS = ("office", "leader")
"""Who receives every escalation besides its own recipients: the office and the mine's 挂点县领导."""


def notice_units(recipients: list[str], kind: str, *, township: str, permit_no: str, leader: str) -> list[str]:
    """The absolute units a notice of one case is addressed to (escalations: the office and the leader too)."""
    relative = list(recipients) + (list(ESCALATION_UNITS) if kind in OVERDUE_NOTICES else [])
    units: list[str] = []
    for unit in relative:
        if unit == "township":
            unit = f"township:{township}"
        elif unit == "holder":
            unit = f"holder:{permit_no}"
        elif unit == "leader":
            if not leader.strip():
                continue
            unit = f"leader:{leader.strip()}"
        if unit not in units:
            units.append(unit)
    return units


def user_units(role: str, *, name: str, display_name: str = "", township: str | None = None, department: str | None = None,
               permit_no: str | None = None) -> set[str]:
    """The units a person belongs to. A county user whose name or shown name is a mine's leader is that
    mine's 挂点县领导 (``leader:<name>``)."""
    if role == "township":
        return {f"township:{township}"} if township else set()
    if role == "department":
        return {f"department:{department}"} if department else set()
    if role == "holder":
        return {f"holder:{permit_no}"} if permit_no else set()
    if role == "county":
        return {"county", f"leader:{name}", *([f"leader:{display_name}"] if display_name else [])}
    if role in ("office", "expert"):
        return {role}
    return set()


def kind_matches(kinds: list[str], kind: str) -> bool:
    """A subscription's kinds: empty means every kind; ``reminder`` every ``reminder_<N>d``; ``overdue`` escalations."""
    if not kinds:
        return True
    return any(k == kind or (k == "reminder" and kind.startswith("reminder_")) or (k == "overdue" and kind in OVERDUE_NOTICES)
               for k in kinds)


def delivery_key(notice_id: str, owner: str, channel: str) -> str:
    """The idempotency key of one delivery: notice × recipient × channel (sent to the channel with the message)."""
    return f"{notice_id}|{owner}|{channel}"


def digest_key(owner: str, channel: str, day: dt.date) -> str:
    return f"digest|{owner}|{channel}|{day.isoformat()}"


def message_id(key: str, domain: str = "minecase.invalid") -> str:
    """An e-mail Message-ID derived from the idempotency key: a resent message carries the same one."""
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


# -- digests ---------------------------------------------------------------------------------------------


def next_digest_at(now: dt.datetime, hour: int, last_day: dt.date | None) -> dt.datetime:
    """The next instant, after ``now``, at ``hour`` o'clock China time, on a day after ``last_day``
    (a digest goes out once a day at most)."""
    local = now.astimezone(CHINA)
    day = local.date()
    if local.hour >= hour and (local.hour, local.minute, local.second, local.microsecond) != (hour, 0, 0, 0):
        day += dt.timedelta(days=1)
    if last_day is not None and day <= last_day:
        day = last_day + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(hour), CHINA)


# -- secrets ------------------------------------------------------------------------------------------------

SECRET_QUERY_KEYS = frozenset({"access_token", "key", "sign", "secret", "token", "password", "apikey", "api_key"})


def redact(url: str) -> str:
    """A URL fit for logs and pages: no password, and the values of key-like query parameters hidden."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "***"
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, host = netloc.rpartition("@")
        user = userinfo.split(":", 1)[0]
        netloc = f"{user}:***@{host}" if ":" in userinfo else f"{user}@{host}"
    query = urlencode([(k, "***" if k.lower() in SECRET_QUERY_KEYS else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)],
                      safe="*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def scrub(text: str, secrets: list[str]) -> str:
    """``text`` with every secret (and URL-encoded form) replaced by ``***`` (error messages of libraries quote URLs)."""
    for secret in sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True):
        text = text.replace(secret, "***").replace(quote_plus(secret), "***")
    return re.sub(r"(access_token|key|sign|secret|token)=[^&\s\"']+", r"\1=***", text)


# -- DingTalk ----------------------------------------------------------------------------------------------


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """钉钉自定义机器人加签: base64(HMAC-SHA256(secret, "{timestamp}\\n{secret}")), as sent (before URL encoding)."""
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    return base64.b64encode(hmac.new(secret.encode(), to_sign, hashlib.sha256).digest()).decode()


@dataclass(frozen=True)
class OutgoingNotice:
    """What a channel sends: one notice, or a digest of several (``items``)."""

    key: str
    permit_no: str
    kind: str
    text_zh: str
    text_en: str
    recipients: list[str]
    notice_id: str
    at: str
    mine_name: str = ""
    items: tuple[tuple[str, str, str], ...] = ()
    """A digest's notices: (permit number, kind, Chinese text)."""

    def subject(self) -> str:
        if self.items:
            return f"【矿山整治】每日提醒汇总 {len(self.items)} 条 / daily digest"
        return f"【矿山整治】{self.mine_name or self.permit_no}：{self.text_zh[:40]}"

    def body(self) -> str:
        if self.items:
            lines = [f"{i}. {permit} {text}" for i, (permit, _kind, text) in enumerate(self.items, 1)]
            return "每日提醒汇总 daily digest\n" + "\n".join(lines)
        return f"{self.text_zh}\n{self.text_en}\n\n{self.mine_name}（{self.permit_no}）· {self.kind} · {self.notice_id}"
