"""The channels that carry notices out (issue 13), behind one interface: ``send(channel, address, secret, message)``.

- e-mail over SMTP (``MINECASE_SMTP_URL``: ``smtp://user:pass@host:port`` with STARTTLS when the server
  offers it, ``smtps://`` for TLS from the start; the Message-ID comes from the idempotency key);
- a generic JSON webhook (``MINECASE_NOTIFY_WEBHOOK_URL``: one POST per notice with ``id``, ``key``,
  ``permit_no``, ``kind``, ``text_zh``, ``text_en``, ``recipients``, ``at``; header ``Idempotency-Key``);
- 钉钉 and 企业微信 group robots (their ``{"msgtype": "text", "text": {"content": …}}``; 钉钉's
  ``timestamp`` and ``sign`` in the query when the robot has a signing secret);
- an SMS gateway over HTTP from a request template (``MINECASE_SMS_URL``, ``…_METHOD``, ``…_BODY`` with
  ``{phone}``, ``{text}`` and ``{id}``, ``…_FORMAT`` ``json`` or ``form``).

A failure is ``Retryable`` (the channel is down, busy or answered 5xx/429) or ``Permanent`` (a 4xx, a
robot's refusal of its key, no such channel configured). Messages of both never carry a secret: URLs are
redacted and known secrets scrubbed.
"""

from __future__ import annotations

import json
import logging
import smtplib
import ssl
import time
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

import httpx

from models.notify import Channel, OutgoingNotice, dingtalk_sign, message_id, redact, scrub

TIMEOUT = httpx.Timeout(15.0, connect=10.0)


class _RedactUrls(logging.Filter):
    """httpx logs every request's URL at INFO, robot keys included: they are hidden before any handler sees them."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(str(a)) if isinstance(a, httpx.URL) or (isinstance(a, str) and "://" in a) else a
                                for a in record.args)
        return True


if not any(isinstance(f, _RedactUrls) for f in logging.getLogger("httpx").filters):
    logging.getLogger("httpx").addFilter(_RedactUrls())


class ChannelError(Exception):
    """A delivery that did not go through; its message is safe to log and to keep."""


class Retryable(ChannelError):
    pass


class Permanent(ChannelError):
    pass


@dataclass(frozen=True)
class NotifyConfig:
    """The channels configured in settings (``runtime.settings.Settings.notify_config``)."""

    webhook_url: str = ""
    dingtalk_url: str = ""
    dingtalk_secret: str = ""
    wecom_url: str = ""
    smtp_url: str = ""
    smtp_from: str = "minecase@localhost"
    sms_url: str = ""
    sms_method: str = "POST"
    sms_body: str = '{"phone": "{phone}", "text": "{text}", "id": "{id}"}'
    sms_format: str = "json"
    retry_seconds: float = 10.0
    """The first retry's wait; it doubles up to 10 minutes, and a delivery is given up after 2 days."""
    max_age_days: int = 2

    def secrets(self) -> list[str]:
        found = [self.dingtalk_secret]
        for url in (self.webhook_url, self.dingtalk_url, self.wecom_url, self.smtp_url, self.sms_url):
            if url:
                parts = urlsplit(url)
                found.append(unquote(parts.password or ""))
                found += [v for k, v in parse_qsl(parts.query) if k.lower() in ("access_token", "key", "token", "secret", "sign")]
        return [s for s in found if s]


def send(config: NotifyConfig, channel: str, address: str, secret: str, message: OutgoingNotice) -> str:
    """Deliver one message; returns what the channel said (for the record). Raises Retryable or Permanent."""
    secrets = [*config.secrets(), secret, *[v for _k, v in parse_qsl(urlsplit(address).query)]]
    try:
        if channel == Channel.email:
            return send_email(config, address, message)
        if channel == Channel.webhook:
            return send_webhook(address, message)
        if channel == Channel.dingtalk:
            return send_dingtalk(address, secret, message)
        if channel == Channel.wecom:
            return send_wecom(address, message)
        if channel == Channel.sms:
            return send_sms(config, address, message)
    except ChannelError as error:
        raise type(error)(scrub(str(error), secrets)) from None
    except (httpx.TransportError, OSError, smtplib.SMTPException) as error:  # down, refused, timed out: try again later
        raise Retryable(scrub(f"{type(error).__name__}: {error}", secrets)) from None
    raise Permanent(f"unknown channel {channel!r}")


# -- e-mail ------------------------------------------------------------------------------------------------


def send_email(config: NotifyConfig, to: str, message: OutgoingNotice) -> str:
    if not config.smtp_url:
        raise Permanent("no SMTP server configured (MINECASE_SMTP_URL)")
    url = urlsplit(config.smtp_url)
    if url.scheme not in ("smtp", "smtps"):
        raise Permanent(f"MINECASE_SMTP_URL must be smtp:// or smtps://, not {url.scheme}://")
    mail = EmailMessage()
    mail["From"] = config.smtp_from
    mail["To"] = to
    mail["Subject"] = message.subject()
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = message_id(message.key)
    mail["X-Minecase-Key"] = message.key
    mail.set_content(message.body())
    host, context = url.hostname or "localhost", ssl.create_default_context()
    if url.scheme == "smtps":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(host, url.port or 465, timeout=30, context=context)
    else:
        smtp = smtplib.SMTP(host, url.port or 25, timeout=30)
    with smtp:
        smtp.ehlo()
        if url.scheme == "smtp" and smtp.has_extn("starttls"):
            smtp.starttls(context=context)
            smtp.ehlo()
        if url.username:
            smtp.login(unquote(url.username), unquote(url.password or ""))
        try:
            refused = smtp.send_message(mail)
        except smtplib.SMTPRecipientsRefused as error:
            raise Permanent(f"recipient refused: {to}") from error
        except smtplib.SMTPResponseException as error:
            if 500 <= error.smtp_code < 600:
                raise Permanent(f"SMTP {error.smtp_code}") from error
            raise Retryable(f"SMTP {error.smtp_code}") from error
    if refused:
        raise Permanent(f"recipient refused: {to}")
    return "250"


# -- HTTP ----------------------------------------------------------------------------------------------------


def _post(url: str, *, key: str, json_body: Any = None, data: Any = None, method: str = "POST") -> httpx.Response:
    with httpx.Client(timeout=TIMEOUT, follow_redirects=False) as http:
        response = http.request(method, url, json=json_body, data=data, headers={"Idempotency-Key": key})
    shown = redact(url)
    if response.status_code == 429 or response.status_code >= 500:
        raise Retryable(f"HTTP {response.status_code} from {shown}")
    if response.status_code >= 400:
        raise Permanent(f"HTTP {response.status_code} from {shown}")
    return response


def webhook_body(message: OutgoingNotice) -> dict[str, Any]:
    return {"id": message.notice_id, "key": message.key, "permit_no": message.permit_no, "mine_name": message.mine_name,
            "kind": message.kind, "text_zh": message.text_zh, "text_en": message.text_en, "recipients": message.recipients,
            "at": message.at, "items": [{"permit_no": p, "kind": k, "text_zh": t} for p, k, t in message.items]}


def send_webhook(url: str, message: OutgoingNotice) -> str:
    return f"HTTP {_post(url, key=message.key, json_body=webhook_body(message)).status_code}"


def _robot_answer(response: httpx.Response, shown: str) -> str:
    try:
        answer = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    code = answer.get("errcode", 0) if isinstance(answer, dict) else 0
    if code in (0, None):
        return "errcode 0"
    text = f"robot at {shown} answered errcode {code}: {str(answer.get('errmsg', ''))[:200]}"
    if code in (130101, 45009, -1):  # sent too often / busy: later
        raise Retryable(text)
    raise Permanent(text)


def robot_text(message: OutgoingNotice) -> dict[str, Any]:
    return {"msgtype": "text", "text": {"content": f"{message.subject()}\n{message.body()}"}}


def signed_dingtalk_url(url: str, secret: str, timestamp_ms: int | None = None) -> str:
    """The robot's URL with ``timestamp`` and ``sign`` added (钉钉 加签)."""
    if not secret:
        return url
    timestamp_ms = timestamp_ms if timestamp_ms is not None else int(time.time() * 1000)
    extra = urlencode({"timestamp": timestamp_ms, "sign": dingtalk_sign(secret, timestamp_ms)})
    return f"{url}{'&' if '?' in url else '?'}{extra}"


def send_dingtalk(url: str, secret: str, message: OutgoingNotice) -> str:
    signed = signed_dingtalk_url(url, secret)
    return _robot_answer(_post(signed, key=message.key, json_body=robot_text(message)), redact(url))


def send_wecom(url: str, message: OutgoingNotice) -> str:
    return _robot_answer(_post(url, key=message.key, json_body=robot_text(message)), redact(url))


def _fill(template: Any, values: dict[str, str]) -> Any:
    if isinstance(template, str):
        for name, value in values.items():
            template = template.replace("{" + name + "}", value)
        return template
    if isinstance(template, dict):
        return {k: _fill(v, values) for k, v in template.items()}
    if isinstance(template, list):
        return [_fill(v, values) for v in template]
    return template


def send_sms(config: NotifyConfig, phone: str, message: OutgoingNotice) -> str:
    if not config.sms_url:
        raise Permanent("no SMS gateway configured (MINECASE_SMS_URL)")
    values = {"phone": phone, "text": f"{message.subject()} {message.text_zh}"[:300], "id": message.key}
    url = _fill(config.sms_url, {k: quote(v, safe="") for k, v in values.items()})
    method = config.sms_method.upper()
    if method == "GET":
        response = _post(url, key=message.key, method="GET")
    elif config.sms_format == "form":
        response = _post(url, key=message.key, data=_fill(dict(parse_qsl(config.sms_body)), values), method=method)
    else:
        try:
            template = json.loads(config.sms_body)
        except ValueError as error:
            raise Permanent("MINECASE_SMS_BODY is not JSON") from error
        response = _post(url, key=message.key, json_body=_fill(template, values), method=method)
    return f"HTTP {response.status_code}"
