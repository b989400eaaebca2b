"""Fixtures and helpers shared by the API, role and web tests (no tests here). The fixtures reach every
test through ``pytest_plugins`` in conftest.py; the helpers are imported."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import itertools
import re
import tempfile
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
import pytest_asyncio
from sqlmodel import Session as SqlSession

from api import create_app
from casefile.tables import CaseRecord
from casefile.users import add_user
from models.calendar import CST
from runtime.settings import Settings
from tests.conftest import TASK_QUEUE
from tests.drill import Drill, mine

PASSWORD = "correct-horse-9"
TOWNSHIP = "泗溪镇"
OTHER_TOWNSHIP = "新界埠镇"
_serial = itertools.count(1)

# name → (role, township, department)
STAFF = {
    "office": ("office", None, None),
    "county": ("county", None, None),
    "township": ("township", TOWNSHIP, None),
    "other-township": ("township", OTHER_TOWNSHIP, None),
    "natres": ("department", None, "natural_resources"),
    "ecology": ("department", None, "ecology_environment"),
    "expert": ("expert", None, None),
    "viewer": ("viewer", None, None),
}


def make_runtime(client, engine):
    # The attachment store (issue 14) lives under the data dir: a temporary one, never the repository's .minecase.
    data_dir = Path(tempfile.mkdtemp(prefix="minecase-data-"))
    return SimpleNamespace(settings=Settings(task_queue=TASK_QUEUE, campaign="shanggao-2023", data_dir=data_dir),
                           client=client, engine=engine)


@pytest.fixture(scope="session")
def staff(engine):
    for name, (role, township, department) in STAFF.items():
        add_user(engine, name, PASSWORD, role, township=township, department=department, replace=True)
    return STAFF


@pytest.fixture(scope="session")
def app(client, engine, staff):
    return create_app(make_runtime(client, engine), secret_key="test-secret")


FORM_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


class DeskBrowser(httpx.AsyncClient):
    """A client of the desk's pages that sends the form token back on every unsafe request, as a page's
    form does: it reads the token off a page of the current session (``/login`` renders for anyone)
    and sends it in the ``X-CSRF-Token`` header, unless the request already carries one."""

    async def send(self, request: httpx.Request, **kwargs) -> httpx.Response:
        if request.method in ("POST", "PUT", "PATCH", "DELETE") and not request.url.path.startswith("/api") \
                and "x-csrf-token" not in request.headers:
            request.headers["X-CSRF-Token"] = await self.form_token()
            request.headers.pop("cookie", None)  # the request was built before the page set the session cookie
            self.cookies.set_cookie_header(request)
        return await super().send(request, **kwargs)

    async def form_token(self) -> str:
        page = await self.get("/login")
        found = FORM_TOKEN.search(page.text)
        assert found is not None, "the sign-in page carries a form token"
        return found.group(1)


def desk_browser(app) -> DeskBrowser:
    return DeskBrowser(transport=httpx.ASGITransport(app=app), base_url="http://desk.test")


class Session:
    """One signed-in person talking to the app in-process."""

    def __init__(self, app, name: str):
        self.http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://desk.test")
        self.name = name

    async def sign_in(self) -> Session:
        answer = await self.http.post("/api/session", json={"name": self.name, "password": PASSWORD})
        assert answer.status_code == 200, answer.text
        return self

    async def act(self, permit_no: str, verb: str, body: dict | None = None) -> httpx.Response:
        return await self.http.post(f"/api/cases/{permit_no}/{verb}", json=body or {})

    async def get(self, url: str, **params) -> httpx.Response:
        return await self.http.get(url, params=params)


@pytest_asyncio.fixture
async def people(app, staff):
    """``await people("county")`` → a signed-in session."""
    opened: list[Session] = []

    async def open_session(name: str) -> Session:
        session = await Session(app, name).sign_in()
        opened.append(session)
        return session

    yield open_session
    for session in opened:
        await session.http.aclose()


def holder_of(engine, permit_no: str) -> str:
    name = f"holder-{next(_serial)}-{permit_no[-6:]}"
    add_user(engine, name, PASSWORD, "holder", permit_no=permit_no)
    return name


def closure_dates() -> dict[str, str]:
    """The dates a closure decided today names: the Shanggao campaign's (2023-12-31, 2024-03-31) have long passed."""
    today = dt.datetime.now(CST).date()
    return {"restoration_plan": (today + dt.timedelta(days=90)).isoformat(),
            "restoration_works": (today + dt.timedelta(days=240)).isoformat()}


@pytest_asyncio.fixture
async def new_case(client, engine, worker):
    """``await new_case(township=...)`` → a registered case's Drill (facts on ``.facts``)."""

    async def register(**facts) -> Drill:
        drill = Drill(client, engine, TASK_QUEUE)
        await drill.register(mine(**facts))
        await in_case_file(engine, drill.facts.permit_no)
        return drill

    return register


async def in_case_file(engine, permit_no: str, timeout: float = 15.0) -> None:
    """Wait until the case's first sync has reached the case file (registration writes it shortly after)."""
    loop = asyncio.get_running_loop()
    give_up = loop.time() + timeout
    while True:
        with SqlSession(engine) as session:
            if session.get(CaseRecord, permit_no) is not None:
                return
        assert loop.time() < give_up, f"{permit_no} never reached the case file"
        await asyncio.sleep(0.05)


async def timeline_length(drill: Drill) -> int:
    return len(await drill.timeline())


@contextlib.asynccontextmanager
async def desk_served(runtime, secret_key: str):
    """The desk served for real (uvicorn) on a free loopback port, for Chromium; its base URL."""
    from api.serve import make_server
    from runtime.temporal import free_port

    port = free_port()
    server = make_server(runtime, "127.0.0.1", port, secret_key=secret_key)
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            assert not task.done(), "the web server did not start"
            await asyncio.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 10)
