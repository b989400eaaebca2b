"""The desk hardened (issue 18, item 4; review 2026-11, findings 5, 6, 7, 15, 16, 17): form tokens and
the Origin check, sessions that end when they should, sign-in throttling, cookie flags, security headers,
flash messages kept out of the cookie. In-process, against the real app and a real SQLite case file."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
from sqlmodel import Session as SqlSession

from api import create_app
from api.serve import is_loopback, make_server
from casefile.users import UserRecord, add_user, hash_password, open_session, resume_session, utc_now
from operations.throttle import SignInGuard, Throttled
from runtime.settings import Settings
from tests.api_helpers import PASSWORD, desk_browser
from tests.conftest import TASK_QUEUE

TEMPLATES = Path(__file__).resolve().parent.parent / "web" / "templates"
_serial = iter(range(1, 10_000))


def plain(app, base_url: str = "http://desk.test") -> httpx.AsyncClient:
    """A client that sends only what it is told to: no form token of its own."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url)


def a_user(engine, role: str = "viewer", **scope) -> str:
    name = f"hardened-{next(_serial)}"
    add_user(engine, name, PASSWORD, role, **scope)
    return name


def own_app(client, engine, **settings):
    """An app of its own, for the tests that count failed sign-ins (the shared app's counts stay clean)."""
    runtime = SimpleNamespace(settings=Settings(task_queue=TASK_QUEUE, campaign="shanggao-2023", **settings),
                              client=client, engine=engine)
    return create_app(runtime, secret_key="own-secret")


def form_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


# -- form tokens and the Origin check (finding 5) --------------------------------------------------


def test_every_post_form_of_the_pages_carries_the_form_token():
    forms = 0
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        for found in re.finditer(r'<form[^>]*method="post"[^>]*>(.*?)</form>', text, re.S):
            forms += 1
            assert "{{ csrf_field }}" in found.group(1), f"{template.name}: {found.group(0)[:80]}"
    assert forms >= 5  # sign-in, sign-out, the case's actions, the inbox's decisions, the ledger upload


async def test_a_form_post_without_the_sessions_token_is_refused_and_the_session_goes_on(app, staff):
    async with desk_browser(app) as http:
        assert (await http.post("/login", data={"name": "office", "password": PASSWORD, "next": "/"})).status_code == 303
        forged = await http.post("/logout", headers={"X-CSRF-Token": "forged"})
        assert forged.status_code == 403 and "表单已过期" in forged.text
        missing = await http.post("/ledger", headers={"X-CSRF-Token": ""}, files={"file": ("a.csv", b"x", "text/csv")})
        assert missing.status_code == 403
        assert (await http.get("/board")).status_code == 200  # still signed in: the forged sign-out did nothing
        token = form_token((await http.get("/board")).text)
        out = await http.post("/logout", data={"csrf_token": token}, headers={"X-CSRF-Token": ""})
        assert out.status_code == 303 and (await http.get("/board")).status_code == 303


async def test_login_csrf_a_sign_in_without_the_visitors_token_is_refused(app, staff):
    async with plain(app) as http:
        answer = await http.post("/login", data={"name": "viewer", "password": PASSWORD, "next": "/"},
                                 headers={"Origin": "http://evil.example"})
        assert answer.status_code == 403
        answer = await http.post("/login", data={"name": "viewer", "password": PASSWORD, "next": "/"})
        assert answer.status_code == 403  # no Origin at all: the token is still wanted
        assert (await http.get("/api/me")).status_code == 401
        token = form_token((await http.get("/login")).text)
        answer = await http.post("/login", data={"name": "viewer", "password": PASSWORD, "next": "/", "csrf_token": token})
        assert answer.status_code == 303 and (await http.get("/api/me")).json()["name"] == "viewer"


async def test_signing_in_gives_a_new_form_token_and_the_visitors_one_no_longer_works(app, staff):
    async with plain(app) as http:
        before = form_token((await http.get("/login")).text)
        await http.post("/login", data={"name": "viewer", "password": PASSWORD, "csrf_token": before})
        after = form_token((await http.get("/board")).text)
        assert after != before
        assert (await http.post("/logout", data={"csrf_token": before})).status_code == 403
        assert (await http.post("/logout", data={"csrf_token": after})).status_code == 303


@pytest.mark.parametrize("headers", [
    {"Origin": "http://evil.example"},
    {"Origin": "http://desk.test:8613"},  # the same site, another port: the Temporal UI, an intranet page
    {"Origin": "null"},
    {"Sec-Fetch-Site": "same-site"},
    {"Sec-Fetch-Site": "cross-site"},
])
async def test_an_unsafe_request_from_another_origin_is_refused_on_the_api_and_the_pages(app, staff, headers):
    async with desk_browser(app) as http:
        await http.post("/api/session", json={"name": "office", "password": PASSWORD})
        refused = await http.delete("/api/session", headers=headers)
        assert refused.status_code == 403
        assert refused.json()["detail"] == {"zh": "拒绝来自其他网站的请求", "en": "a request from another site is refused"}
        assert (await http.get("/api/me")).status_code == 200  # not signed out
        upload = await http.post("/api/ledger", headers=headers, files={"file": ("a.csv", b"x", "text/csv")})
        assert upload.status_code == 403
        page = await http.post("/logout", headers=headers)  # with the right token: the origin alone refuses it
        assert page.status_code == 403 and "其他网站" in page.text and "another site" in page.text
        assert (await http.get("/api/me")).status_code == 200


async def test_a_request_from_the_desks_own_origin_passes(app, staff):
    async with plain(app) as http:
        answer = await http.post("/api/session", json={"name": "viewer", "password": PASSWORD},
                                 headers={"Origin": "http://desk.test", "Sec-Fetch-Site": "same-origin"})
        assert answer.status_code == 200
        assert (await http.delete("/api/session", headers={"Origin": "http://desk.test"})).status_code == 200


# -- sessions that end (finding 6) -----------------------------------------------------------------


@asynccontextmanager
async def _signed_in(app, name: str) -> AsyncIterator[httpx.AsyncClient]:
    async with plain(app) as http:
        assert (await http.post("/api/session", json={"name": name, "password": PASSWORD})).status_code == 200
        yield http


def _copy(app, http: httpx.AsyncClient) -> httpx.AsyncClient:
    stolen = plain(app)
    stolen.cookies = httpx.Cookies(http.cookies)
    return stolen


async def test_a_copy_of_the_cookie_is_worthless_after_signing_out_on_the_api(app, staff):
    async with _signed_in(app, "viewer") as http, _copy(app, http) as stolen:
        assert (await stolen.get("/api/me")).status_code == 200
        assert (await http.delete("/api/session")).json() == {"signed_out": True}
        refused = await stolen.get("/api/me")
        assert refused.status_code == 401
        assert refused.headers.get("cache-control") != "no-store"  # the dead session's id left the cookie


async def test_a_copy_of_the_cookie_is_worthless_after_signing_out_on_the_pages(app, staff):
    async with desk_browser(app) as http:
        await http.post("/login", data={"name": "viewer", "password": PASSWORD})
        async with _copy(app, http) as stolen:
            assert (await stolen.get("/board")).status_code == 200
            await http.post("/logout")
            assert (await stolen.get("/board")).status_code == 303


async def test_a_password_change_ends_every_session_of_the_user(app, engine):
    name = a_user(engine)
    async with _signed_in(app, name) as first, _signed_in(app, name) as second:
        add_user(engine, name, "second-password-2", "viewer", replace=True)
        assert (await first.get("/api/me")).status_code == 401
        assert (await second.get("/api/me")).status_code == 401


async def test_a_role_change_ends_the_session_even_when_made_outside_the_user_commands(app, engine):
    name = a_user(engine)
    async with _signed_in(app, name) as http:
        with SqlSession(engine) as db:  # the row changed directly: the session was granted under the old role
            user = db.get(UserRecord, name)
            assert user is not None
            user.role, user.township = "township", "南港镇"
            db.add(user)
            db.commit()
        assert (await http.get("/api/me")).status_code == 401


async def test_a_password_changed_in_the_case_file_ends_the_session_too(app, engine):
    name = a_user(engine)
    async with _signed_in(app, name) as http:
        with SqlSession(engine) as db:
            user = db.get(UserRecord, name)
            assert user is not None
            user.password_hash = hash_password("another-password-3")
            db.add(user)
            db.commit()
        assert (await http.get("/api/me")).status_code == 401


async def test_a_disabled_user_is_signed_out_at_once(app, engine):
    name = a_user(engine)
    async with _signed_in(app, name) as http:
        with SqlSession(engine) as db:
            user = db.get(UserRecord, name)
            assert user is not None
            user.active = False
            db.add(user)
            db.commit()
        assert (await http.get("/api/me")).status_code == 401


def test_a_session_unused_for_its_idle_lifetime_has_ended(engine):
    user = add_user(engine, f"hardened-{next(_serial)}", PASSWORD, "viewer")
    idle, absolute = dt.timedelta(minutes=120), dt.timedelta(hours=12)
    start = utc_now()
    sid = open_session(engine, user, now=start)
    assert resume_session(engine, sid, idle=idle, absolute=absolute, now=start + dt.timedelta(minutes=119)) is not None
    # used at 1:59, so it runs to 3:59
    assert resume_session(engine, sid, idle=idle, absolute=absolute, now=start + dt.timedelta(minutes=238)) is not None
    assert resume_session(engine, sid, idle=idle, absolute=absolute, now=start + dt.timedelta(minutes=238 + 120)) is None
    assert resume_session(engine, sid, idle=idle, absolute=absolute, now=start + dt.timedelta(minutes=239)) is None  # gone for good


def test_a_session_in_use_ends_at_its_absolute_lifetime(engine):
    user = add_user(engine, f"hardened-{next(_serial)}", PASSWORD, "viewer")
    idle, absolute = dt.timedelta(minutes=120), dt.timedelta(hours=12)
    start = utc_now()
    sid = open_session(engine, user, now=start)
    for hour in range(1, 12):
        assert resume_session(engine, sid, idle=idle, absolute=absolute, now=start + dt.timedelta(hours=hour)) is not None
    assert resume_session(engine, sid, idle=idle, absolute=absolute, now=start + dt.timedelta(hours=12)) is None


# -- flash messages out of the cookie (finding 17) -------------------------------------------------


async def test_a_flash_message_is_kept_server_side_and_the_cookie_stays_small(app, staff, new_case):
    drill = await new_case(township="泗溪镇")
    url = f"/cases/{drill.facts.permit_no}"
    async with desk_browser(app) as http:
        await http.post("/login", data={"name": "office", "password": PASSWORD})
        refused = await http.post(f"{url}/act/move_deadline", data={
            "kind": "x" * 6000, "new_last_day": "2099-01-01", "meeting": "m", "reason": "r", "request_id": "long-1"})
        assert refused.status_code == 303
        assert len(refused.headers.get("set-cookie", "")) < 1000
        assert len(http.cookies.get("minecase_session", "")) < 1000
        page = (await http.get(url)).text
        shown = re.search(r'class="flash error"[^>]*>(.*?)</div>', page, re.S)
        assert shown is not None and len(shown.group(1)) <= 400
        assert 'class="flash' not in (await http.get(url)).text  # shown once


# -- sign-in throttling (finding 7) ----------------------------------------------------------------


async def test_an_account_that_failed_too_often_answers_429_with_retry_after_even_to_the_right_password(client, engine):
    app = own_app(client, engine, signin_failures_per_account=3, signin_failures_per_address=100)
    name = a_user(engine)
    async with plain(app) as http:
        for _ in range(3):
            assert (await http.post("/api/session", json={"name": name, "password": "wrong-one"})).status_code == 401
        refused = await http.post("/api/session", json={"name": name, "password": PASSWORD})
        assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 15 * 60
        assert "登录失败次数过多" in refused.json()["detail"]["zh"]
        assert (await http.get("/api/me")).status_code == 401
        other = a_user(engine)  # another account from the same address is not locked out
        assert (await http.post("/api/session", json={"name": other, "password": PASSWORD})).status_code == 200


async def test_an_address_that_failed_too_often_is_refused_for_every_account(client, engine):
    app = own_app(client, engine, signin_failures_per_account=100, signin_failures_per_address=4)
    async with plain(app) as http:
        for n in range(4):
            await http.post("/api/session", json={"name": f"nobody-{n}", "password": "wrong-one"})
        refused = await http.post("/api/session", json={"name": a_user(engine), "password": PASSWORD})
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0


async def test_the_sign_in_page_answers_429_with_retry_after_too(client, engine):
    app = own_app(client, engine, signin_failures_per_account=2)
    name = a_user(engine)
    async with desk_browser(app) as http:
        for _ in range(2):
            assert (await http.post("/login", data={"name": name, "password": "wrong-one"})).status_code == 401
        refused = await http.post("/login", data={"name": name, "password": PASSWORD})
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
        assert "登录失败次数过多" in refused.text
        assert (await http.get("/board")).status_code == 303


def test_failures_older_than_the_window_no_longer_count():
    now = [1000.0]
    guard = SignInGuard(per_account=2, per_address=100, window=60, clock=lambda: now[0])
    guard.failed("li", "10.0.0.1")
    guard.failed("li", "10.0.0.1")
    with pytest.raises(Throttled) as refused:
        guard.check(" LI ", "10.0.0.2")  # the account, whatever the spelling and address
    assert refused.value.retry_after == 60
    now[0] += 61
    guard.check("li", "10.0.0.1")


def test_a_right_password_clears_the_accounts_failures():
    guard = SignInGuard(per_account=2, per_address=100)
    guard.failed("li", "10.0.0.1")
    guard.succeeded("li")
    guard.failed("li", "10.0.0.1")
    guard.check("li", "10.0.0.1")


def test_no_more_password_checks_run_at_once_than_there_are_slots():
    guard = SignInGuard(hashing_slots=2, hashing_wait=0.2)
    inside, most, lock, release = [0], [0], threading.Lock(), threading.Event()
    refused: list[Throttled] = []

    def check() -> None:
        try:
            with guard.hashing():
                with lock:
                    inside[0] += 1
                    most[0] = max(most[0], inside[0])
                release.wait(2)
                with lock:
                    inside[0] -= 1
        except Throttled as error:
            refused.append(error)

    threads = [threading.Thread(target=check) for _ in range(5)]
    for thread in threads:
        thread.start()
    threads[0].join(0.5)
    release.set()
    for thread in threads:
        thread.join()
    assert most[0] == 2 and len(refused) == 3 and all(e.retry_after > 0 for e in refused)


# -- cookies and headers (findings 15, 16) ---------------------------------------------------------


async def test_the_session_cookie_is_httponly_and_samesite_lax_and_secure_only_when_asked(client, engine, staff):
    for secure in (False, True):
        runtime = SimpleNamespace(settings=Settings(task_queue=TASK_QUEUE, campaign="shanggao-2023"), client=client, engine=engine)
        app = create_app(runtime, secret_key="s", cookie_secure=secure)
        async with plain(app, "https://desk.test") as http:
            answer = await http.post("/api/session", json={"name": "viewer", "password": PASSWORD})
            cookie = answer.headers["set-cookie"].lower()
            assert "httponly" in cookie and "samesite=lax" in cookie
            assert ("; secure" in cookie) is secure


async def test_the_cookie_is_secure_by_default_when_the_desk_serves_off_loopback(client, engine, staff):
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("10.1.2.3") and not is_loopback("desk.county.gov.cn")
    runtime = SimpleNamespace(settings=Settings(task_queue=TASK_QUEUE, campaign="shanggao-2023"), client=client, engine=engine)
    for host, secure in (("127.0.0.1", False), ("0.0.0.0", True)):
        server = make_server(runtime, host=host, port=0, secret_key="s")
        async with plain(server.config.app, "https://desk.test") as http:
            answer = await http.post("/api/session", json={"name": "viewer", "password": PASSWORD})
            assert ("; secure" in answer.headers["set-cookie"].lower()) is secure, host
    runtime.settings = Settings(task_queue=TASK_QUEUE, campaign="shanggao-2023", cookie_secure=False)
    server = make_server(runtime, host="0.0.0.0", port=0, secret_key="s")  # behind a plain-HTTP proxy, said so
    async with plain(server.config.app) as http:
        answer = await http.post("/api/session", json={"name": "viewer", "password": PASSWORD})
        assert "; secure" not in answer.headers["set-cookie"].lower()


async def test_every_response_carries_the_security_headers_and_no_store_once_signed_in(app, staff):
    async with desk_browser(app) as http:
        for url in ("/login", "/api/openapi.json", "/static/desk.css", "/api/me"):
            answer = await http.get(url)
            csp = answer.headers["content-security-policy"]
            script_src = csp.split("script-src")[1].split(";")[0]
            assert "frame-ancestors 'none'" in csp and script_src.strip() == "'self'"
            assert answer.headers["x-content-type-options"] == "nosniff"
            assert answer.headers["referrer-policy"] == "same-origin"
            assert answer.headers["x-frame-options"] == "DENY"
            assert answer.headers.get("cache-control") != "no-store", url
        await http.post("/login", data={"name": "office", "password": PASSWORD})
        for url in ("/board", "/api/me", "/api/board"):
            assert (await http.get(url)).headers["cache-control"] == "no-store", url


def test_the_templates_have_no_inline_script():
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template.name
        assert not re.search(r"\son[a-z]+\s*=", text), template.name
        assert "javascript:" not in text, template.name


async def test_a_holder_is_not_shown_the_list_of_every_township(app, engine, new_case):
    """Review finding 20: the case list's township filter listed every township with a case to a holder."""
    drill = await new_case()
    other = await new_case(township="新界埠镇")
    holder = a_user(engine, "holder", permit_no=drill.facts.permit_no)
    async with desk_browser(app) as http:
        assert (await http.post("/login", data={"name": holder, "password": PASSWORD, "next": "/"})).status_code == 303
        page = await http.get("/cases")
        assert page.status_code == 200 and drill.facts.permit_no in page.text
        assert 'name="township"' not in page.text and other.facts.township not in page.text
    async with desk_browser(app) as http:
        await http.post("/login", data={"name": "office", "password": PASSWORD, "next": "/"})
        assert other.facts.township in (await http.get("/cases")).text  # the office still filters by township
