"""Issue 13: notices reach people — by e-mail, work-chat robots, SMS gateways and webhooks — as durable
Temporal work with retries and idempotency keys, and the desk shows them.

Real parts only: a real SMTP server (``aiosmtpd``) and a real HTTP sink (``http.server``) started here,
the real Temporal dev server with time skipping, a real SQLite case file of this module's own (its
subscriptions do not reach the other tests' cases), and this module's own worker configured with the
local servers as its channels.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import hmac
import inspect
import json
import logging
import shutil
import ssl
import subprocess
import sys
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from email import message_from_bytes
from email.header import decode_header, make_header
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import pytest_asyncio
from aiosmtpd.controller import Controller
from sqlmodel import Session, select
from temporalio.service import RPCError

from casefile.db import open_casefile
from casefile.holidays import parse_schedule_file, save_schedule
from casefile.notices import NoticeDelivery, NoticeSubscription, remove_subscription, set_subscription
from casefile.tables import NoticeRecord
from casefile.users import UserError, add_user
from models.messages import ProposeDisposition
from models.notify import CHINA, OutgoingNotice, dingtalk_sign, message_id, next_digest_at, redact
from runtime import channels
from runtime.channels import NotifyConfig
from runtime.settings import Settings
from runtime.temporal import fast_forward, free_port
from tests.drill import Drill, cst, mine, township

# The local SMTP server asks for AUTH (the channel must log in) over plain TCP: fine on loopback.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
QUEUE = "minecase-notify-tests"
PASSWORD = "correct-horse-9"
DINGTALK_TOKEN = "DT-ACCESS-TOKEN-s3cr3t-1"
DINGTALK_SECRET = "SECdingtalk-signing-s3cr3t-2"
WECOM_KEY = "WECOM-ROBOT-KEY-s3cr3t-3"
SMTP_PASSWORD = "smtp-pa55-s3cr3t-4"


# -- the local servers ----------------------------------------------------------------------------------


class Sink:
    """An HTTP server that records every request. A path in ``flaky`` answers 503 to the first
    ``fail_first`` requests of each idempotency key, then 200. ``/robot/send`` checks 钉钉's signature."""

    def __init__(self, fail_first: int = 3):
        self.requests: list[dict] = []
        self.fail_first = fail_first
        self.seen: Counter[str] = Counter()
        self.lock = threading.Lock()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                url = urlsplit(self.path)
                form = self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded")
                record = {"path": url.path, "query": parse_qs(url.query), "headers": dict(self.headers.items()),
                          "body": parse_qs(body.decode()) if form else json.loads(body or b"null")}
                key = self.headers.get("Idempotency-Key", "")
                with sink.lock:
                    sink.seen[f"{url.path}|{key}"] += 1
                    attempt = sink.seen[f"{url.path}|{key}"]
                    record["status"] = 503 if url.path.startswith("/flaky") and attempt <= sink.fail_first else 200
                    sink.requests.append(record)
                answer = {"errcode": 0, "errmsg": "ok"}
                if url.path == "/robot/send":
                    record["signature_ok"] = sink.dingtalk_signature_ok(record["query"])
                    if not record["signature_ok"]:
                        answer = {"errcode": 310000, "errmsg": "sign not match"}
                self.send_response(record["status"])
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps(answer).encode())

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    @staticmethod
    def dingtalk_signature_ok(query: dict) -> bool:
        """What 钉钉 checks: ``sign`` = base64(HMAC-SHA256(secret, "{timestamp}\\n{secret}")), timestamp within an hour."""
        try:
            timestamp, sign = query["timestamp"][0], query["sign"][0]
        except KeyError:
            return False
        expected = base64.b64encode(hmac.new(DINGTALK_SECRET.encode(), f"{timestamp}\n{DINGTALK_SECRET}".encode(),
                                             hashlib.sha256).digest()).decode()
        fresh = abs(int(timestamp) - int(dt.datetime.now(dt.UTC).timestamp() * 1000)) < 3600_000
        return hmac.compare_digest(sign, expected) and fresh

    def posts(self, path: str) -> list[dict]:
        with self.lock:
            return [r for r in self.requests if r["path"] == path]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Mailbox:
    """aiosmtpd's handler: keeps every message it accepts (with AUTH when asked)."""

    def __init__(self):
        self.messages: list[dict] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's API
        mail = message_from_bytes(envelope.content)
        body = mail.get_payload(decode=True)
        self.messages.append({"to": list(envelope.rcpt_tos), "subject": str(make_header(decode_header(mail["Subject"]))),
                              "message_id": mail["Message-ID"], "key": mail["X-Minecase-Key"],
                              "body": (body or b"").decode("utf-8", "replace")})
        return "250 OK"

    def to(self, address: str) -> list[dict]:
        return [m for m in self.messages if address in m["to"]]


def _authenticator(server, session, envelope, mechanism, auth_data):
    from aiosmtpd.smtp import AuthResult

    return AuthResult(success=auth_data.login == b"minecase" and auth_data.password == SMTP_PASSWORD.encode())


@pytest.fixture(scope="module")
def mailbox():
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port(), authenticator=_authenticator, auth_required=True,
                            auth_require_tls=False)
    controller.start()
    box.port = controller.port
    yield box
    controller.stop()


@pytest.fixture(scope="module")
def sink():
    server = Sink()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def notify_engine(tmp_path_factory):
    engine = open_casefile(f"sqlite:///{tmp_path_factory.mktemp('notify') / 'casefile.db'}", upgrade=True)
    for name in ("holidays-2030-test.json", "holidays-2031-test.json"):
        save_schedule(engine, parse_schedule_file(DATA / name))
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def notify_config(mailbox, sink) -> NotifyConfig:
    return NotifyConfig(smtp_url=f"smtp://minecase:{SMTP_PASSWORD}@127.0.0.1:{mailbox.port}", smtp_from="minecase@county.test",
                        webhook_url=f"{sink.url}/hook", retry_seconds=0.3)


@pytest_asyncio.fixture(scope="module")
async def notify_worker(client, notify_engine, notify_config):
    from worker import build_worker

    worker = build_worker(client, notify_engine, QUEUE, ThreadPoolExecutor(max_workers=6), notify=notify_config)
    task = asyncio.create_task(worker.run())
    yield worker
    await worker.shutdown()
    await asyncio.gather(task, return_exceptions=True)


@pytest.fixture
def drill(client, notify_engine, notify_worker) -> Drill:
    return Drill(client, notify_engine, QUEUE)


async def eventually(check, timeout: float = 60.0, what: str = "it"):
    """Poll ``check()`` until it returns something truthy."""
    loop = asyncio.get_running_loop()
    give_up = loop.time() + timeout
    while True:
        found = check()
        if inspect.isawaitable(found):
            found = await found
        if found:
            return found
        assert loop.time() < give_up, f"{what} never happened"
        await asyncio.sleep(0.2)


def notices_of(engine, permit_no: str, kind: str) -> list[NoticeRecord]:
    with Session(engine) as session:
        return list(session.exec(select(NoticeRecord).where(NoticeRecord.permit_no == permit_no, NoticeRecord.kind == kind)))


def deliveries(engine, notice_id: str) -> list[NoticeDelivery]:
    with Session(engine) as session:
        return list(session.exec(select(NoticeDelivery).where(NoticeDelivery.notice_id == notice_id)))


def delivered(engine, notice_id: str, channel: str) -> NoticeDelivery | None:
    found = [d for d in deliveries(engine, notice_id) if d.channel == channel and d.status in ("sent", "failed")]
    return found[0] if found else None


# -- the pure parts -----------------------------------------------------------------------------------------


def test_a_digest_goes_out_at_its_hour_china_time_and_never_twice_the_same_day():
    evening = dt.datetime(2030, 5, 6, 20, 0, tzinfo=CHINA)
    assert next_digest_at(evening, 8, None) == dt.datetime(2030, 5, 7, 8, 0, tzinfo=CHINA)
    assert next_digest_at(evening.replace(hour=7), 8, None) == dt.datetime(2030, 5, 6, 8, 0, tzinfo=CHINA)
    # sent this morning already: the next one is tomorrow, however early the clock
    assert next_digest_at(evening.replace(hour=7), 8, dt.date(2030, 5, 6)) == dt.datetime(2030, 5, 7, 8, 0, tzinfo=CHINA)
    assert next_digest_at(dt.datetime(2030, 5, 6, 23, 30, tzinfo=dt.UTC), 8, None) == dt.datetime(2030, 5, 7, 8, 0, tzinfo=CHINA)


def test_urls_shown_or_logged_hide_robot_keys_and_passwords():
    shown = redact(f"https://oapi.dingtalk.com/robot/send?access_token={DINGTALK_TOKEN}&timestamp=1")
    assert DINGTALK_TOKEN not in shown and "access_token=***" in shown and "timestamp=1" in shown
    assert SMTP_PASSWORD not in redact(f"smtp://minecase:{SMTP_PASSWORD}@mail.example.cn:587")


def test_the_dingtalk_signature_is_the_one_their_documentation_gives():
    # 钉钉 开放平台「自定义机器人安全设置 — 加签」: HmacSHA256 over "timestamp\nsecret" keyed by the secret, base64.
    assert dingtalk_sign("SEC123", 1700000000000) == base64.b64encode(
        hmac.new(b"SEC123", b"1700000000000\nSEC123", hashlib.sha256).digest()).decode()


def test_a_subscription_with_a_bad_address_an_unknown_channel_or_hour_is_refused_and_changes_nothing(notify_engine):
    add_user(notify_engine, "refused-user", PASSWORD, "county", replace=True)
    for channel, address, hour in (("email", "not-an-address", None), ("fax", "123", None), ("email", "a@b.cn", 25),
                                   ("dingtalk", "ftp://robot", None)):
        with pytest.raises(UserError):
            set_subscription(notify_engine, "refused-user", channel, address, digest_hour=hour)
    with pytest.raises(UserError):
        set_subscription(notify_engine, "nobody-by-that-name", "email", "a@b.cn")
    with Session(notify_engine) as session:
        assert session.exec(select(NoticeSubscription).where(NoticeSubscription.owner == "user:refused-user")).first() is None


# -- delivery ---------------------------------------------------------------------------------------------


async def test_a_reminder_due_in_a_time_skipped_case_reaches_the_township_by_email_and_the_webhook(drill, notify_engine, mailbox, sink):
    add_user(notify_engine, "sx-mail", PASSWORD, "township", township="泗溪镇", replace=True)
    set_subscription(notify_engine, "sx-mail", "email", "sixi@township.test")
    await drill.approve_continuation()  # six months from service on 2030-04-01: the last day is 2030-10-08
    await drill.advance_to(cst(2030, 9, 9, 10, 0))  # past the 30-day reminder (2030-09-08)
    (reminder,) = await eventually(lambda: notices_of(notify_engine, drill.facts.permit_no, "reminder_30d"), what="the reminder")

    mails = await eventually(lambda: [m for m in mailbox.to("sixi@township.test") if reminder.id in m["body"]], what="the e-mail")
    assert len(mails) == 1
    assert drill.facts.mine_name in mails[0]["subject"]
    assert reminder.text_zh in mails[0]["body"]
    assert mails[0]["key"] == f"{reminder.id}|user:sx-mail|email"

    posts = await eventually(lambda: [p for p in sink.posts("/hook") if p["body"]["id"] == reminder.id], what="the webhook POST")
    assert len(posts) == 1
    body = posts[0]["body"]
    assert (body["permit_no"], body["kind"], body["text_zh"]) == (drill.facts.permit_no, "reminder_30d", reminder.text_zh)
    assert set(body["recipients"]) >= {"holder", "township", "leader"}
    assert posts[0]["headers"]["Idempotency-Key"] == body["key"]
    await eventually(lambda: all(d.status == "sent" for d in deliveries(notify_engine, reminder.id)), what="both recorded sent")
    assert {d.channel for d in deliveries(notify_engine, reminder.id)} == {"email", "webhook"}


async def test_a_channel_that_fails_for_a_while_then_recovers_gets_each_message_exactly_once(drill, notify_engine, sink):
    set_subscription(notify_engine, "office", "webhook", f"{sink.url}/flaky/office", kinds=["decision_requested"])
    try:
        await drill.register()
        await drill.act("propose_disposition", ProposeDisposition(actor=township(), path="continue"))
        (notice,) = await eventually(lambda: notices_of(notify_engine, drill.facts.permit_no, "decision_requested"))
        row = await eventually(lambda: delivered(notify_engine, notice.id, "webhook") if any(
            d.owner == "office" and d.status == "sent" for d in deliveries(notify_engine, notice.id)) else None, what="the delivery")
        tries = [p for p in sink.posts("/flaky/office") if p["body"]["id"] == notice.id]
        assert [t["status"] for t in tries] == [503, 503, 503, 200]  # retried with backoff, accepted once
        assert len({t["headers"]["Idempotency-Key"] for t in tries}) == 1  # the same key every time
        office = next(d for d in deliveries(notify_engine, notice.id) if d.owner == "office")
        assert (office.status, office.attempts) == ("sent", 4)
        assert row is not None
        await asyncio.sleep(2)  # nothing comes after
        assert len([p for p in sink.posts("/flaky/office") if p["body"]["id"] == notice.id and p["status"] == 200]) == 1
    finally:
        remove_subscription(notify_engine, "office", "webhook")


async def test_a_signed_dingtalk_robot_and_a_wecom_robot_get_the_notice_and_no_key_appears_in_logs_rows_or_history(
        drill, notify_engine, sink, client, caplog):
    caplog.set_level(logging.DEBUG)
    set_subscription(notify_engine, "county", "dingtalk", f"{sink.url}/robot/send?access_token={DINGTALK_TOKEN}",
                     secret=DINGTALK_SECRET, kinds=["decision_requested"])
    set_subscription(notify_engine, "county", "wecom", f"{sink.url}/flaky/cgi-bin/webhook/send?key={WECOM_KEY}",
                     kinds=["decision_requested"])
    try:
        await drill.register()
        await drill.act("propose_disposition", ProposeDisposition(actor=township(), path="continue"))
        (notice,) = await eventually(lambda: notices_of(notify_engine, drill.facts.permit_no, "decision_requested"))
        await eventually(lambda: delivered(notify_engine, notice.id, "dingtalk") and delivered(notify_engine, notice.id, "wecom"),
                         what="both robots")
        robot = [p for p in sink.posts("/robot/send") if notice.text_zh in p["body"]["text"]["content"]]
        assert len(robot) == 1 and robot[0]["signature_ok"]
        assert robot[0]["body"]["msgtype"] == "text"
        wecom = [p for p in sink.posts("/flaky/cgi-bin/webhook/send") if notice.text_zh in p["body"]["text"]["content"]]
        assert [p["status"] for p in wecom] == [503, 503, 503, 200]
        assert {d.channel: d.status for d in deliveries(notify_engine, notice.id) if d.owner == "county"} == {
            "dingtalk": "sent", "wecom": "sent"}

        rows = json.dumps([d.model_dump(mode="json") for d in deliveries(notify_engine, notice.id)], ensure_ascii=False)
        history = await client.get_workflow_handle(f"notice-{notice.id}").fetch_history()
        history_text = json.dumps(history.to_json_dict(), ensure_ascii=False)
        # the failed attempts are in the history (sealed by the payload codec; opened here with the deployment's key), redacted
        failures = [str(await client.data_converter.decode_failure(e.activity_task_started_event_attributes.last_failure))
                    for e in history.events if e.HasField("activity_task_started_event_attributes")
                    and e.activity_task_started_event_attributes.HasField("last_failure")]
        assert any("HTTP 503" in f for f in failures), failures
        history_text += json.dumps(failures, ensure_ascii=False)
        for secret in (DINGTALK_TOKEN, DINGTALK_SECRET, WECOM_KEY, SMTP_PASSWORD):
            assert secret not in caplog.text
            assert secret not in rows
            assert secret not in history_text
    finally:
        remove_subscription(notify_engine, "county", "dingtalk")
        remove_subscription(notify_engine, "county", "wecom")


async def test_a_channel_that_refuses_for_good_is_recorded_failed_with_its_reason_and_not_retried(drill, notify_engine):
    add_user(notify_engine, "office-sms", PASSWORD, "office", replace=True)
    set_subscription(notify_engine, "office-sms", "sms", "13800000000", kinds=["decision_requested"])  # no SMS gateway configured
    try:
        await drill.register()
        await drill.act("propose_disposition", ProposeDisposition(actor=township(), path="continue"))
        (notice,) = await eventually(lambda: notices_of(notify_engine, drill.facts.permit_no, "decision_requested"))
        row = await eventually(lambda: delivered(notify_engine, notice.id, "sms"), what="the SMS outcome")
        assert (row.status, row.attempts) == ("failed", 1)
        assert "MINECASE_SMS_URL" in row.reason
    finally:
        remove_subscription(notify_engine, "office-sms", "sms")


async def test_the_sweeper_delivers_a_queued_notice_whose_workflow_never_started(drill, notify_engine, sink, client):
    from worker import start_sweeper, sweeper_id

    set_subscription(notify_engine, "procuratorate", "webhook", f"{sink.url}/procuratorate")
    await drill.register()
    await drill.act("propose_disposition", ProposeDisposition(actor=township(), path="continue"))
    (registered,) = await eventually(lambda: notices_of(notify_engine, drill.facts.permit_no, "decision_requested"))
    await eventually(lambda: _running(client, f"notice-{registered.id}"))
    await client.get_workflow_handle(f"notice-{registered.id}").result()  # its own deliveries are done
    with Session(notify_engine) as session:  # as if the worker died between the commit and the start
        session.add(NoticeDelivery(key=f"{registered.id}|procuratorate|webhook", notice_id=registered.id, permit_no=registered.permit_no,
                                   owner="procuratorate", channel="webhook", created_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)))
        session.commit()
    try:
        # another deployment's sweeper in the same namespace (its worker gone, its queue unpolled) does not stand in for ours
        await start_sweeper(client, "minecase-nobody-polls", 0.3, every_seconds=3600)
        await start_sweeper(client, QUEUE, 0.3, every_seconds=3600)
        await eventually(lambda: [p for p in sink.posts("/procuratorate") if p["body"]["id"] == registered.id], what="the swept POST")
        await eventually(lambda: all(d.status == "sent" for d in deliveries(notify_engine, registered.id)))
    finally:
        remove_subscription(notify_engine, "procuratorate", "webhook")
        for queue in (QUEUE, "minecase-nobody-polls"):
            await client.get_workflow_handle(sweeper_id(queue)).terminate("test over")


async def test_a_daily_digest_carries_the_days_notices_once_a_day_at_its_hour(drill, notify_engine, mailbox, client):
    add_user(notify_engine, "digest-county", PASSWORD, "county", replace=True)
    set_subscription(notify_engine, "digest-county", "email", "leader@county.test", kinds=["decision_requested"], digest_hour=8)
    workflow_id = "digest-user:digest-county-email"
    try:
        first = Drill(drill.client, notify_engine, QUEUE)
        await first.register(mine())
        await first.act("propose_disposition", ProposeDisposition(actor=township(), path="continue"))
        (one,) = await eventually(lambda: notices_of(notify_engine, first.facts.permit_no, "decision_requested"))
        assert deliveries(notify_engine, one.id)[0].digest  # queued for the digest, not sent at once
        await eventually(lambda: _running(client, workflow_id), what="the digest workflow")
        assert mailbox.to("leader@county.test") == []

        await fast_forward(client, workflow_id, dt.timedelta(days=1))  # past 08:00 tomorrow, China time
        digests = await eventually(lambda: mailbox.to("leader@county.test"), what="the first digest")
        assert len(digests) == 1 and one.permit_no in digests[0]["body"] and one.text_zh in digests[0]["body"]

        second = Drill(drill.client, notify_engine, QUEUE)
        await second.register(mine())
        await second.act("propose_disposition", ProposeDisposition(actor=township(), path="continue"))
        (two,) = await eventually(lambda: notices_of(notify_engine, second.facts.permit_no, "decision_requested"))
        # Later the same day, short of the next 08:00: nothing more. (The clock started at the real time of the run, so
        # the first digest's day may be today's or tomorrow's: the next 08:00 is found, not assumed.)
        clock = await _virtual_clock(client, workflow_id)
        next_eight = dt.datetime.combine(clock.date() + dt.timedelta(days=int(clock.time() >= dt.time(8))), dt.time(8), tzinfo=CHINA)
        await fast_forward(client, workflow_id, min(dt.timedelta(hours=6), (next_eight - clock) / 2))
        await asyncio.sleep(1)
        # The dev server (1.32) sometimes overshoots a fast-forward to the next timer (tests/drill.py): the next day's
        # digest has then come already, and what it carries is checked below.
        if await _virtual_clock(client, workflow_id) < next_eight:
            assert len(mailbox.to("leader@county.test")) == 1
            await fast_forward(client, workflow_id, dt.timedelta(days=2))
        digests = await eventually(lambda: mailbox.to("leader@county.test")[1:], what="the next day's digest")
        await asyncio.sleep(1)
        digests = mailbox.to("leader@county.test")
        assert len(digests) == 2  # one a day: the second day had nothing new, so only the day after the first carries it
        assert two.permit_no in digests[1]["body"] and one.permit_no not in digests[1]["body"]
        assert digests[0]["message_id"] != digests[1]["message_id"]
    finally:
        remove_subscription(notify_engine, "digest-county", "email")
        await client.get_workflow_handle(workflow_id).terminate("test over")


async def _virtual_clock(client, workflow_id: str) -> dt.datetime:
    """The workflow's clock as the drill server keeps it (China time), as ``Drill.clock`` reads a case's."""
    info = (await client.get_workflow_handle(workflow_id).describe()).raw_description.workflow_extended_info.time_skipping_info
    return info.current_time.ToDatetime(dt.UTC).astimezone(CHINA)


async def _running(client, workflow_id: str) -> bool:
    try:
        await client.get_workflow_handle(workflow_id).describe()
    except RPCError:  # not started yet
        return False
    return True


# -- the command line -----------------------------------------------------------------------------------


def test_users_add_with_email_and_phone_subscribes_them_and_a_bad_email_adds_no_user(notify_engine):
    env = {"MINECASE_DATABASE_URL": str(notify_engine.url), "PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    run = [sys.executable, "-m", "cli.app", "users", "add"]
    bad = subprocess.run([*run, "cli-bad", "--role", "office", "--password", PASSWORD, "--email", "nope"], env=env, cwd=ROOT,
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "e-mail" in bad.stderr
    good = subprocess.run([*run, "cli-good", "--role", "department", "--department", "water", "--password", PASSWORD,
                           "--email", "water@county.test", "--phone", "138-0000-0001"], env=env, cwd=ROOT, capture_output=True, text=True)
    assert good.returncode == 0, good.stderr
    with Session(notify_engine) as session:
        from casefile.users import UserRecord

        assert session.get(UserRecord, "cli-bad") is None
        subs = {s.channel: s.address for s in session.exec(select(NoticeSubscription).where(NoticeSubscription.owner == "user:cli-good"))}
    assert subs == {"email": "water@county.test", "sms": "13800000001"}


# -- the desk ---------------------------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]


@pytest_asyncio.fixture(scope="module")
async def notify_desk(client, notify_engine, notify_worker):
    from tests.api_helpers import desk_served

    runtime = SimpleNamespace(settings=Settings(task_queue=QUEUE, campaign="shanggao-2023"), client=client, engine=notify_engine)
    async with desk_served(runtime, "notify-test") as url:
        yield url


async def sign_in(browser, desk: str, name: str):
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = await context.new_page()
    page.set_default_timeout(15000)
    await page.goto(f"{desk}/login")
    await page.fill("input[name=name]", name)
    await page.fill("input[name=password]", PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_load_state()
    return page


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed")
async def test_the_bell_counts_the_persons_unread_notices_and_opening_one_marks_it_read_and_the_office_sees_what_failed(
        drill, notify_engine, notify_desk):
    playwright_api = pytest.importorskip("playwright.async_api")
    add_user(notify_engine, "bell-county", PASSWORD, "county", replace=True)
    add_user(notify_engine, "bell-office", PASSWORD, "office", replace=True)
    set_subscription(notify_engine, "county", "sms", "13800000002", kinds=["decision_requested"])  # no gateway: it fails
    try:
        await drill.register(mine(mine_name="铃声测试石灰岩矿（虚构）"))
        await drill.act("propose_disposition", ProposeDisposition(actor=township(), path="continue"))
        (notice,) = await eventually(lambda: notices_of(notify_engine, drill.facts.permit_no, "decision_requested"))
        await eventually(lambda: delivered(notify_engine, notice.id, "webhook") and delivered(notify_engine, notice.id, "sms"))
        async with playwright_api.async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            try:
                page = await sign_in(browser, notify_desk, "bell-county")
                unread = int(await page.get_by_test_id("unread").inner_text())
                assert unread >= 1
                await page.get_by_test_id("bell").click()
                await page.wait_for_load_state()
                row = page.locator(f"tr[data-notice='{notice.id}']")
                assert "unread" in (await row.get_attribute("class") or "")
                assert await row.locator("[data-channel=webhook]").get_attribute("data-status") == "sent"
                assert await row.locator("[data-channel=sms]").get_attribute("data-status") == "failed"
                await row.get_by_test_id("open-notice").click()
                await page.wait_for_load_state()
                assert page.url.split("#")[0].endswith(f"/cases/{drill.facts.permit_no}")
                assert int(await page.get_by_test_id("unread").inner_text()) == unread - 1
                await page.goto(f"{notify_desk}/notices")
                assert "unread" not in (await page.locator(f"tr[data-notice='{notice.id}']").get_attribute("class") or "")
                assert (await page.goto(f"{notify_desk}/notices?undelivered=1")).status == 403  # the office's view only

                office = await sign_in(browser, notify_desk, "bell-office")
                await office.goto(f"{notify_desk}/notices?undelivered=1")
                failed = office.locator(f"tr[data-key='{notice.id}|county|sms']")
                assert await failed.get_attribute("data-status") == "failed"
                assert "MINECASE_SMS_URL" in await failed.inner_text()
            finally:
                await browser.close()
    finally:
        remove_subscription(notify_engine, "county", "sms")


async def test_the_api_lists_a_persons_notices_with_deliveries_marks_one_read_and_keeps_undelivered_for_the_office(
        drill, notify_engine, client):
    from api import create_app

    add_user(notify_engine, "api-county", PASSWORD, "county", replace=True)
    add_user(notify_engine, "api-township", PASSWORD, "township", township="新界埠镇", replace=True)
    await drill.register()
    await drill.act("propose_disposition", ProposeDisposition(actor=township(), path="continue"))
    (notice,) = await eventually(lambda: notices_of(notify_engine, drill.facts.permit_no, "decision_requested"))
    await eventually(lambda: delivered(notify_engine, notice.id, "webhook"))
    runtime = SimpleNamespace(settings=Settings(task_queue=QUEUE, campaign="shanggao-2023"), client=client, engine=notify_engine)
    app = create_app(runtime, secret_key="notify-api")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://desk.test") as http:
        assert (await http.post("/api/session", json={"name": "api-county", "password": PASSWORD})).status_code == 200
        mine_now = {n["id"]: n for n in (await http.get("/api/notices")).json()}
        assert not mine_now[notice.id]["read"]
        assert [(d["channel"], d["status"]) for d in mine_now[notice.id]["deliveries"]] == [("webhook", "sent")]
        assert (await http.get("/api/notices", params={"undelivered": "true"})).status_code == 403
        assert (await http.post(f"/api/notices/{notice.id}/read")).json()["permit_no"] == drill.facts.permit_no
        assert {n["id"]: n for n in (await http.get("/api/notices")).json()}[notice.id]["read"]

        await http.delete("/api/session")
        assert (await http.post("/api/session", json={"name": "api-township", "password": PASSWORD})).status_code == 200
        assert notice.id not in {n["id"] for n in (await http.get("/api/notices")).json()}  # not addressed to it
        assert (await http.post(f"/api/notices/{notice.id}/read")).status_code == 403


# -- e-mail over TLS ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (openssl), trusted only where a test says so."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    return cert, key


def test_email_goes_over_starttls_or_smtps_with_the_server_certificate_checked_and_a_login(certificate, monkeypatch):
    cert, key = certificate
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(str(cert), str(key))
    box = Mailbox()
    starttls = Controller(box, hostname="127.0.0.1", port=free_port(), tls_context=server_tls, require_starttls=True,
                          authenticator=_authenticator, auth_required=True)
    implicit = Controller(box, hostname="127.0.0.1", port=free_port(), ssl_context=server_tls, authenticator=_authenticator,
                          auth_required=True, auth_require_tls=False)  # aiosmtpd does not count implicit TLS as TLS for AUTH
    starttls.start()
    implicit.start()
    try:
        message = OutgoingNotice(key="N-TLS|user:x|email", permit_no="C1", kind="reminder_7d", text_zh="七日后到期",
                                 text_en="due in 7 days", recipients=["holder"], notice_id="N-TLS", at="2030-01-01T00:00:00+08:00")
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # this test's CA: the channel checks the certificate like any other
        channels.send(NotifyConfig(smtp_url=f"smtp://minecase:{SMTP_PASSWORD}@127.0.0.1:{starttls.port}"), "email", "a@tls.test", "",
                      message)
        channels.send(NotifyConfig(smtp_url=f"smtps://minecase:{SMTP_PASSWORD}@127.0.0.1:{implicit.port}"), "email", "b@tls.test", "",
                      message)
        assert [m["to"] for m in box.messages] == [["a@tls.test"], ["b@tls.test"]]
        assert {m["message_id"] for m in box.messages} == {message_id(message.key)}  # the same notice, the same Message-ID

        monkeypatch.delenv("SSL_CERT_FILE")  # an unknown certificate is refused (and retried later), the password not shown
        with pytest.raises(channels.Retryable) as refused:
            channels.send(NotifyConfig(smtp_url=f"smtps://minecase:{SMTP_PASSWORD}@127.0.0.1:{implicit.port}"), "email", "c@tls.test",
                          "", message)
        assert "CERTIFICATE" in str(refused.value).upper() and SMTP_PASSWORD not in str(refused.value)
        assert len(box.messages) == 2
    finally:
        starttls.stop()
        implicit.stop()


async def test_the_office_sets_subscriptions_on_the_desk_keys_hidden_a_bad_address_changing_nothing_and_no_one_else_may(
        notify_engine, client):
    from api import create_app
    from tests.api_helpers import DeskBrowser

    add_user(notify_engine, "desk-office", PASSWORD, "office", replace=True)
    add_user(notify_engine, "desk-county", PASSWORD, "county", replace=True)
    runtime = SimpleNamespace(settings=Settings(task_queue=QUEUE, campaign="shanggao-2023"), client=client, engine=notify_engine)
    app = create_app(runtime, secret_key="notify-desk")
    robot = f"https://oapi.dingtalk.com/robot/send?access_token={DINGTALK_TOKEN}"
    async with DeskBrowser(transport=httpx.ASGITransport(app=app), base_url="http://desk.test") as office:
        await office.post("/login", data={"name": "desk-office", "password": PASSWORD})
        added = await office.post("/notices/subscriptions", data={
            "owner": "department:water", "channel": "dingtalk", "address": robot, "secret": DINGTALK_SECRET,
            "kinds": "reminder, overdue", "digest_hour": ""}, follow_redirects=True)
        assert added.status_code == 200
        assert "department:water" in added.text and "access_token=***" in added.text
        assert DINGTALK_TOKEN not in added.text and DINGTALK_SECRET not in added.text
        with Session(notify_engine) as session:
            row = session.get(NoticeSubscription, ("department:water", "dingtalk"))
            assert row is not None and (row.secret, row.kinds, row.digest_hour) == (DINGTALK_SECRET, ["reminder", "overdue"], None)

        refused = await office.post("/notices/subscriptions", data={
            "owner": "department:water", "channel": "email", "address": "not-an-address"}, follow_redirects=True)
        assert "not-an-address" in refused.text  # the flash says what is wrong
        with Session(notify_engine) as session:
            assert session.get(NoticeSubscription, ("department:water", "email")) is None

        await office.post("/notices/subscriptions/remove", data={"owner": "department:water", "channel": "dingtalk"})
        with Session(notify_engine) as session:
            assert session.get(NoticeSubscription, ("department:water", "dingtalk")) is None

    async with DeskBrowser(transport=httpx.ASGITransport(app=app), base_url="http://desk.test") as county:
        await county.post("/login", data={"name": "desk-county", "password": PASSWORD})
        assert (await county.get("/notices/subscriptions")).status_code == 403
        forbidden = await county.post("/notices/subscriptions", data={"owner": "county", "channel": "sms", "address": "13800000003"})
        assert forbidden.status_code == 403
        with Session(notify_engine) as session:
            assert session.get(NoticeSubscription, ("county", "sms")) is None


def test_an_sms_gateway_gets_the_phone_and_text_in_its_own_request_template_as_json_or_form(sink):
    message = OutgoingNotice(key="N-SMS|user:y|sms", permit_no="C2", kind="reminder_1d", text_zh="明日到期，请及时办理",
                             text_en="due tomorrow", recipients=["holder"], notice_id="N-SMS", at="2030-01-01T00:00:00+08:00",
                             mine_name="短信测试矿（虚构）")
    as_json = NotifyConfig(sms_url=f"{sink.url}/sms/json?apikey=SMS-KEY-s3cr3t",
                           sms_body='{"mobile": "{phone}", "content": "{text}", "extra": {"ref": "{id}"}}')
    channels.send(as_json, "sms", "13800000004", "", message)
    (sent,) = [p for p in sink.posts("/sms/json") if p["body"]["extra"]["ref"] == message.key]
    assert sent["body"]["mobile"] == "13800000004"
    assert message.text_zh in sent["body"]["content"] and "短信测试矿" in sent["body"]["content"]
    assert sent["headers"]["Idempotency-Key"] == message.key

    as_form = NotifyConfig(sms_url=f"{sink.url}/sms/form", sms_body="to={phone}&msg={text}&ref={id}", sms_format="form")
    channels.send(as_form, "sms", "13800000005", "", message)
    (sent,) = [p for p in sink.posts("/sms/form") if p["body"]["ref"] == [message.key]]
    assert sent["body"]["to"] == ["13800000005"] and message.text_zh in sent["body"]["msg"][0]

    refusing = NotifyConfig(sms_url=f"{sink.url}/flaky/sms?apikey=SMS-KEY-s3cr3t")
    with pytest.raises(channels.Retryable) as busy:  # a 503: tried again later, the key hidden in the reason
        channels.send(refusing, "sms", "13800000006", "", message)
    assert "503" in str(busy.value) and "SMS-KEY-s3cr3t" not in str(busy.value)
