"""The app factory, ``create_app(runtime)``: the desk's composition root. Nothing is read or opened at import.

It is the one place where the API (``api/``) and the web pages (``web/``) meet: it builds the
``operations.desk.Desk`` both use and mounts the web pages' router. The dependency goes one way:
``api.app`` imports ``web.pages``; nothing in ``web/`` imports ``api/``, and no other module of
``api/`` imports ``web/``. Both front ends import ``operations`` (desk, permissions, session).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable

from fastapi import FastAPI
from starlette.middleware.sessions import SessionMiddleware

from api import codec, errors, health, routes
from api.audit import OperationLog
from api.limits import BodyLimit
from api.security import DeskGuard
from casefile.deployment import drill_today, is_drill
from operations.desk import Desk
from operations.reads import today_cst
from operations.session import Lifetimes
from operations.throttle import SignInGuard
from runtime.resources import Runtime
from web import notices as notice_pages
from web import pages


def create_app(runtime: Runtime, *, secret_key: str | None = None, today: Callable[[], dt.date] | None = None,
               web: bool = True, cookie_secure: bool | None = None) -> FastAPI:
    """The API (``/api``, OpenAPI at ``/api/openapi.json``) and, unless ``web`` is false, the web pages.

    ``runtime`` is an entered ``runtime.resources.Runtime``: its ``settings`` were built at the entry
    point. The session cookie is signed with ``secret_key`` if given (tests), else with
    ``runtime.settings.secret_key`` (``MINECASE_SECRET_KEY``), else with a random key (sign-ins then
    end when the server restarts).
    """
    settings = runtime.settings
    app = FastAPI(
        title="minecase 停产非煤矿山整治",
        description="停产非煤矿山生态环境整治案件管理 / case management for the stopped-mine rectification campaign. "
        "Sign in with POST /api/session; errors are {\"detail\": {\"zh\", \"en\"}}.",
        version="0.1.0",
        openapi_url="/api/openapi.json",
        docs_url=None,  # Swagger UI loads its script from a CDN; the desk runs offline
        redoc_url=None,
    )
    app.state.runtime = runtime
    engine = runtime.engine
    app.state.drill = is_drill(engine)  # written by the process that started the server, not this one's environment
    if today is None and app.state.drill:
        def today() -> dt.date:  # a drill's simulated date: as far as its cases' clocks have gone
            return drill_today(engine, today_cst())
    app.state.desk = Desk(
        runtime, today or today_cst,
        task_queue=settings.task_queue, campaign=settings.campaign,
    )
    lifetimes = Lifetimes(idle=dt.timedelta(minutes=settings.session_idle_minutes),
                          absolute=dt.timedelta(hours=settings.session_hours))
    app.state.session_lifetimes = lifetimes
    app.state.sign_in_guard = SignInGuard(
        per_account=settings.signin_failures_per_account, per_address=settings.signin_failures_per_address,
        window=settings.signin_window_minutes * 60, hashing_slots=settings.password_hashing_slots,
    )
    key = secret_key or settings.secret_key or secrets.token_urlsafe(32)
    secure = cookie_secure if cookie_secure is not None else bool(settings.cookie_secure)
    app.add_middleware(DeskGuard)
    app.add_middleware(SessionMiddleware, secret_key=key, session_cookie="minecase_session",
                       max_age=int(lifetimes.absolute.total_seconds()), same_site="lax", https_only=secure)
    errors.install(app)
    app.add_middleware(BodyLimit)  # before the session is read
    app.add_middleware(OperationLog)  # added last: the outermost, it logs what the others refuse too
    app.include_router(routes.router)
    app.include_router(health.router)  # /healthz, /readyz: no sign-in, GET only (issue 15)
    app.include_router(codec.router)  # for the Temporal UI's operators: its own origin and role checks
    from api import report_routes  # issue 14: bulletins and funds

    app.include_router(report_routes.router)
    if web:
        pages.install(app)
        app.include_router(notice_pages.router)  # the bell's /notices (issue 13)
        from web import reports as report_pages  # /reports, bulletins, funds (issue 14)

        app.include_router(report_pages.router)
    return app
