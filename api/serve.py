"""Serve the desk beside the worker (``minecase up``), and the demo sign-ins it prints."""

from __future__ import annotations

import asyncio
import ipaddress
from dataclasses import dataclass

import uvicorn
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from api.app import create_app
from casefile.tables import CaseRecord
from casefile.users import add_user, get_user
from runtime.resources import Runtime


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or ``localhost``) is reachable from this machine only."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def make_server(runtime: Runtime, host: str = "127.0.0.1", port: int = 8000, **app_options) -> uvicorn.Server:
    """The desk's server; its session cookie is ``Secure`` off loopback unless ``MINECASE_COOKIE_SECURE`` says otherwise."""
    if app_options.get("cookie_secure") is None:
        configured = runtime.settings.cookie_secure
        app_options["cookie_secure"] = configured if configured is not None else not is_loopback(host)
    app = create_app(runtime, **app_options)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="off", access_log=False)
    server = uvicorn.Server(config)
    server.install_signal_handlers = lambda: None  # the caller (``minecase up``) owns the signals
    return server


async def serve_web(runtime: Runtime, host: str = "127.0.0.1", port: int = 8000, **app_options) -> None:
    """Run the web desk and API in the current event loop until cancelled.

    ``runtime`` must be entered (client and engine open). Cancel the task to stop the server.
    """
    server = make_server(runtime, host, port, **app_options)
    try:
        await server.serve()
    except asyncio.CancelledError:
        server.should_exit = True
        raise


@dataclass
class DemoUser:
    name: str
    password: str
    role: str
    scope: str


DEMO_PASSWORD = "minecase-demo"


def demo_users(engine: Engine, *, township: str | None = None, permit_no: str | None = None,
               password: str = DEMO_PASSWORD) -> list[DemoUser]:
    """One demo sign-in per role (creates the missing ones; never changes an existing user).

    The township and holder users take the first case in the case file unless given; call this after
    the sample ledger is registered. For demos only: every demo user has the same password.
    """
    if township is None or permit_no is None:
        with Session(engine) as session:
            first = session.exec(select(CaseRecord).order_by(CaseRecord.township, CaseRecord.permit_no)).first()
        township = township or (first.township if first else "泗溪镇")
        permit_no = permit_no or (first.permit_no if first else None)
    with Session(engine) as session:  # the leader in charge of the first mine that names one
        led = session.exec(select(CaseRecord).where(CaseRecord.leader != "").order_by(CaseRecord.township, CaseRecord.permit_no)).first()
    leader = led.leader if led else None
    wanted = [
        ("office", "office", {}, "领导小组办公室"),
        ("county", "county", {}, "县政府"),
        ("township", "township", {"township": township}, township),
        ("natres", "department", {"department": "natural_resources"}, "县自然资源局"),
        ("ecology", "department", {"department": "ecology_environment"}, "县生态环境局"),
        ("water", "department", {"department": "water"}, "县水利局"),
        ("govoffice", "department", {"department": "government_office"}, "县政府办"),
        ("expert", "expert", {}, "专家"),
        ("viewer", "viewer", {}, "查阅"),
    ]
    if permit_no:
        wanted.append(("holder", "holder", {"permit_no": permit_no}, permit_no))
    if leader:
        wanted.append(("leader", "leader", {"leader": leader}, leader))
    made = []
    for name, role, scope, shown in wanted:
        existing = get_user(engine, name)
        if existing is None:
            add_user(engine, name, password, role, display_name=name, **scope)
            made.append(DemoUser(name, password, role, shown))
        else:
            made.append(DemoUser(name, "(unchanged)", existing.role, existing.township or existing.department or existing.permit_no
                                  or existing.leader or ""))
    return made
