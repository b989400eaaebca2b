"""No default accounts outside demos (issue 18, item 1): demo sign-ins exist only with ``minecase up --demo``,
each with its own random password printed once; the desk is not served off loopback while a demo sign-in or
a published password is active; a user can be disabled (no sign-in, sessions end) or removed; the office
administers users on the desk and every user changes their own password there (the other sessions end).
"""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session
from typer.testing import CliRunner

from api.serve import ExposedSignIns, demo_users, refuse_exposed_sign_ins
from casefile.db import open_casefile
from casefile.users import UserError, UserRecord, add_user, authenticate, get_user, hash_password
from cli.app import app as cli_app
from tests.api_helpers import PASSWORD, desk_browser

ROOT = Path(__file__).parent.parent
_serial = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}-{os.getpid()}-{next(_serial)}"


@pytest.fixture
def casefile(tmp_path):
    engine = open_casefile(f"sqlite:///{tmp_path / 'users.db'}", upgrade=True)
    yield engine
    engine.dispose()


def test_demo_sign_ins_get_new_passwords_only_when_asked_and_a_user_who_is_not_a_demo_user_is_never_changed(casefile):
    add_user(casefile, "county", "county-own-pass", "county")  # a real user that happens to have a demo name
    first = {u.name: u.password for u in demo_users(casefile, township="泗溪镇", permit_no="C1234567890123456789012")}
    assert first["county"].startswith("(") and authenticate(casefile, "county", "county-own-pass") is not None
    renewed = {u.name: u.password for u in demo_users(casefile, new_passwords=True)}
    assert renewed["office"] != first["office"]
    assert authenticate(casefile, "office", renewed["office"]) is not None
    assert authenticate(casefile, "office", first["office"]) is None
    assert authenticate(casefile, "county", "county-own-pass") is not None, "not a demo user: left alone"


def test_the_desk_is_not_served_off_loopback_while_a_demo_sign_in_or_a_published_password_is_active(casefile):
    demo_users(casefile, township="泗溪镇", permit_no="C1234567890123456789012")
    refuse_exposed_sign_ins(casefile, "127.0.0.1")  # loopback: a demo is fine
    refuse_exposed_sign_ins(casefile, "localhost")
    with pytest.raises(ExposedSignIns, match="office"):
        refuse_exposed_sign_ins(casefile, "0.0.0.0")
    runner = CliRunner()
    url = casefile.url.render_as_string(hide_password=False)
    for user in ("office", "county", "township", "natres", "ecology", "water", "govoffice", "forestry", "agriculture",
                 "emergency", "industry", "market", "police", "power", "expert", "viewer"):
        assert runner.invoke(cli_app, ["users", "disable", user], env={"MINECASE_DATABASE_URL": url}).exit_code == 0
    assert runner.invoke(cli_app, ["users", "remove", "holder"], env={"MINECASE_DATABASE_URL": url}).exit_code == 0
    refuse_exposed_sign_ins(casefile, "0.0.0.0")  # every demo sign-in disabled or removed

    with Session(casefile) as session:  # a user of an earlier release, with the README's old password
        session.add(UserRecord(name="old-office", role="office", password_hash=hash_password("minecase-demo")))
        session.commit()
    with pytest.raises(ExposedSignIns, match="old-office"):
        refuse_exposed_sign_ins(casefile, "10.0.0.5")
    with pytest.raises(UserError, match="published"):
        add_user(casefile, "new-office", "minecase-demo", "office")


def test_minecase_up_with_a_demo_refuses_a_host_off_loopback_before_starting_anything(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MINECASE_") or k == "MINECASE_PAYLOAD_KEY"}
    env["MINECASE_DATA_DIR"] = str(tmp_path / "data")
    run = subprocess.run([sys.executable, "-c", "from cli.app import main; main()", "up", "--demo", "--host", "0.0.0.0"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert run.returncode == 2 and "loopback" in run.stderr, run.stderr
    assert not (tmp_path / "data").exists()


async def test_a_disabled_user_cannot_sign_in_and_their_open_sessions_end_and_a_removed_user_is_gone(engine, app):
    name = unique("clerk")
    add_user(engine, name, PASSWORD, "viewer")
    env = {"MINECASE_DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    runner = CliRunner()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://desk.test") as api:
        assert (await api.post("/api/session", json={"name": name, "password": PASSWORD})).status_code == 200
        assert (await api.get("/api/board")).status_code == 200
        disabled = runner.invoke(cli_app, ["users", "disable", name], env=env)
        assert disabled.exit_code == 0, disabled.output
        assert (await api.get("/api/board")).status_code == 401, "the open session ended"
        assert (await api.post("/api/session", json={"name": name, "password": PASSWORD})).status_code == 401
        assert runner.invoke(cli_app, ["users", "enable", name], env=env).exit_code == 0
        assert (await api.post("/api/session", json={"name": name, "password": PASSWORD})).status_code == 200
        removed = runner.invoke(cli_app, ["users", "remove", name], env=env)
        assert removed.exit_code == 0, removed.output
        assert (await api.get("/api/board")).status_code == 401
        assert get_user(engine, name) is None
        again = runner.invoke(cli_app, ["users", "remove", name], env=env)
        assert again.exit_code == 2 and "no user" in again.output


async def signed_in(app, name: str, password: str = PASSWORD):
    browser = desk_browser(app)
    answer = await browser.post("/login", data={"name": name, "password": password})
    assert answer.status_code == 303, answer.text
    return browser


def shown_password(page: str) -> str:
    found = re.search(r'data-testid="new-password".*?<code>([^<]+)</code>', page, re.S)
    assert found, "the new password is shown once on the page"
    return found.group(1)


async def test_the_office_lists_adds_disables_and_resets_users_on_the_desk_and_no_other_role_may(engine, app, staff):
    office = await signed_in(app, "office")
    listed = await office.get("/users")
    assert listed.status_code == 200 and 'data-user="county"' in listed.text

    name = unique("desk-clerk")
    added = await office.post("/users", data={"name": name, "role": "department", "department": "water", "password": ""})
    assert added.status_code == 200, added.text
    first = shown_password(added.text)
    assert authenticate(engine, name, first) is not None
    clerk = await signed_in(app, name, first)
    assert (await clerk.get("/inbox")).status_code == 200

    bad = await office.post("/users", data={"name": unique("x"), "role": "department", "password": ""})
    assert bad.status_code == 422 and "部门用户须指明部门" in bad.text

    reset = await office.post(f"/users/{name}/password", data={})
    second = shown_password(reset.text)
    assert second != first and authenticate(engine, name, second) is not None
    assert (await clerk.get("/inbox")).status_code == 303, "a reset ends the user's sessions"

    clerk = await signed_in(app, name, second)
    assert (await office.post(f"/users/{name}/disable", data={})).status_code == 200
    assert (await clerk.get("/inbox")).status_code == 303
    assert (await clerk.post("/login", data={"name": name, "password": second})).status_code == 401
    assert (await office.post("/users/office/disable", data={})).status_code == 422, "the office cannot lock itself out"
    assert (await office.post("/users/nobody-at-all/disable", data={})).status_code == 404

    no_token = await office.post("/users", data={"name": unique("y"), "role": "viewer"}, headers={"X-CSRF-Token": "forged"})
    assert no_token.status_code == 403

    county = await signed_in(app, "county")
    assert (await county.get("/users")).status_code == 403
    assert (await county.post(f"/users/{name}/enable", data={})).status_code == 403
    assert get_user(engine, name) is None, "still disabled"
    for browser in (office, clerk, county):
        await browser.aclose()


async def test_a_user_changes_their_own_password_and_their_other_sessions_end_while_this_one_goes_on(engine, app):
    name = unique("walker")
    add_user(engine, name, PASSWORD, "viewer")
    here, elsewhere = await signed_in(app, name), await signed_in(app, name)
    page = await here.get("/account/password")
    assert page.status_code == 200 and 'name="csrf_token"' in page.text

    wrong = await here.post("/account/password", data={"current": "not-it-at-all", "new": "new-horse-10", "again": "new-horse-10"})
    assert wrong.status_code == 403 and authenticate(engine, name, PASSWORD) is not None
    differ = await here.post("/account/password", data={"current": PASSWORD, "new": "new-horse-10", "again": "new-horse-11"})
    assert differ.status_code == 422 and authenticate(engine, name, PASSWORD) is not None
    short = await here.post("/account/password", data={"current": PASSWORD, "new": "short", "again": "short"})
    assert short.status_code == 422

    changed = await here.post("/account/password", data={"current": PASSWORD, "new": "new-horse-10", "again": "new-horse-10"})
    assert changed.status_code == 303
    assert authenticate(engine, name, "new-horse-10") is not None and authenticate(engine, name, PASSWORD) is None
    assert (await here.get("/board")).status_code == 200, "this session goes on"
    assert (await elsewhere.get("/board")).status_code == 303, "the other session ended"
    for browser in (here, elsewhere):
        await browser.aclose()


def test_minecase_up_off_loopback_refuses_while_a_user_has_a_published_password_and_stops_what_it_started(tmp_path):
    from runtime.temporal import free_port

    data = tmp_path / "data"
    data.mkdir()
    engine = open_casefile(f"sqlite:///{data / 'casefile.db'}", upgrade=True)
    with Session(engine) as session:  # an office user of an earlier release, with the README's old password
        session.add(UserRecord(name="office", role="office", password_hash=hash_password("minecase-demo")))
        session.commit()
    engine.dispose()
    temporal_port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MINECASE_") or k == "MINECASE_PAYLOAD_KEY"}
    env.update({"MINECASE_DATA_DIR": str(data), "MINECASE_TEMPORAL_PORT": str(temporal_port),
                "MINECASE_TEMPORAL_UI_PORT": str(free_port()), "MINECASE_LOG_FORMAT": "json"})
    run = subprocess.run([sys.executable, "-c", "from cli.app import main; main()", "up", "--host", "0.0.0.0",
                          "--port", str(free_port())], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
                         stdin=subprocess.DEVNULL)
    assert run.returncode == 2, run.stdout[-2000:] + run.stderr[-2000:]
    assert "published passwords are active (office)" in run.stderr
    import socket

    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", temporal_port)) != 0, "the Temporal server it started was stopped"
