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
from casefile.users import UserRecord, add_user, exposed_users, new_password, set_password
from models.errors import MinecaseError
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
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="off", access_log=False,
                            timeout_graceful_shutdown=3)  # stopping waits this long for open requests, not for idle browsers
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
    """The new password (printed once), or a note in parentheses when the user was left as it was."""
    role: str
    scope: str


def demo_users(engine: Engine, *, township: str | None = None, permit_no: str | None = None,
               new_passwords: bool = False) -> list[DemoUser]:
    """One demo sign-in per role, for ``minecase up --demo`` (a drill): creates the missing ones, each with
    its own random password, returned here to be printed once (only its hash is kept).

    A demo user made earlier keeps its password (printed when it was made) unless ``new_passwords``; a
    disabled one stays disabled; a user of the same name that is not a demo user is never changed. The
    township and holder users take the first case in the case file unless given; call this after the
    sample ledger is registered.
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
        # every department that receives tasks has its sign-in, or its tasks only escalate (newcomer trial D20)
        ("forestry", "department", {"department": "forestry"}, "县林业局"),
        ("agriculture", "department", {"department": "agriculture"}, "县农业农村局"),
        ("emergency", "department", {"department": "emergency"}, "县应急管理局"),
        ("industry", "department", {"department": "industry_it"}, "县工信局"),
        ("market", "department", {"department": "market_supervision"}, "县市场监管局"),
        ("police", "department", {"department": "public_security"}, "县公安局"),
        ("power", "department", {"department": "power_supply"}, "县供电公司"),
        ("expert", "expert", {}, "专家"),
        ("viewer", "viewer", {}, "查阅"),
    ]
    if permit_no:
        wanted.append(("holder", "holder", {"permit_no": permit_no}, permit_no))
    if leader:
        wanted.append(("leader", "leader", {"leader": leader}, leader))
    made = []
    for name, role, scope, shown in wanted:
        with Session(engine) as session:
            existing = session.get(UserRecord, name)
        if existing is None:
            password = new_password()
            add_user(engine, name, password, role, display_name=name, demo=True, **scope)
            made.append(DemoUser(name, password, role, shown))
            continue
        where = existing.township or existing.department or existing.permit_no or existing.leader or ""
        if not existing.demo:
            made.append(DemoUser(name, "(非演示用户 not a demo user)", existing.role, where))
        elif not existing.active:
            made.append(DemoUser(name, "(已停用 disabled)", existing.role, where))
        elif new_passwords:
            password = new_password()
            set_password(engine, name, password)
            made.append(DemoUser(name, password, existing.role, where))
        else:
            made.append(DemoUser(name, "(unchanged)", existing.role, existing.township or existing.department or existing.permit_no
                                  or existing.leader or ""))
    return made


class ExposedSignIns(MinecaseError):
    """The desk asked to serve off loopback while a demo sign-in or a published password is active."""


def refuse_exposed_sign_ins(engine: Engine, host: str) -> None:
    """Off loopback, refuse to serve while any active user is a demo sign-in or has a published password."""
    if is_loopback(host):
        return
    names = exposed_users(engine)
    if names:
        listed = ", ".join(names[:12]) + (" …" if len(names) > 12 else "")
        raise ExposedSignIns(
            f"演示账号或公开密码仍有效（{listed}），网页只能在本机地址（127.0.0.1）提供；"
            "请先 minecase users disable/remove 或重设密码（minecase users add NAME --replace）",
            f"demo sign-ins or published passwords are active ({listed}): the desk serves on loopback (127.0.0.1) only "
            "until they are disabled or removed (minecase users disable/remove) or given new passwords")
