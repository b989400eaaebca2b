"""The desk's guard at the door, for every request, pages and ``/api`` alike (issue 18, item 4).

- **Where from**: an unsafe request (POST, PUT, PATCH, DELETE) that a browser says comes from another
  origin — ``Sec-Fetch-Site`` other than ``same-origin`` or ``none``, or an ``Origin`` whose host is
  not this one (``null`` included) — is refused with 403 before it reaches the app. A request with
  neither header (curl, scripts) passes here; the pages then still want their form token
  (``web.pages``), which no other site can read.
- **Headers** on every response: a Content-Security-Policy without inline script and with
  ``frame-ancestors 'none'`` (a response that sets its own, the documents', keeps it),
  ``X-Frame-Options: DENY``, ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: same-origin``,
  and ``Cache-Control: no-store`` while a session is open.

Installed inside the session middleware, so it sees the session of the request.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from operations.session import SESSION_KEY

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
CROSS_SITE = ("拒绝来自其他网站的请求", "a request from another site is refused")


def cross_site(headers: Headers) -> bool:
    """Whether a browser says this request comes from another origin than the one it is sent to."""
    site = headers.get("sec-fetch-site")
    if site is not None and site.lower() not in ("same-origin", "none"):
        return True
    origin = headers.get("origin")
    if origin is None:
        return False
    host = (headers.get("host") or "").lower()
    return origin.strip().lower() == "null" or not host or urlsplit(origin.strip()).netloc.lower() != host


class DeskGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        path: str = scope.get("path", "")
        # /codec/ checks its own origin (the desk's or the Temporal UI's, api.codec) and wants the office.
        if scope["method"] in UNSAFE and cross_site(headers) and not path.startswith("/codec/"):
            await self._refuse(scope, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                if "content-security-policy" not in out:
                    out["Content-Security-Policy"] = CSP
                out.setdefault("X-Frame-Options", "DENY")
                out["X-Content-Type-Options"] = "nosniff"
                out.setdefault("Referrer-Policy", "same-origin")
                if scope.get("session", {}).get(SESSION_KEY) and not path.startswith("/static/"):
                    out["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        zh, en = CROSS_SITE
        if scope.get("path", "").startswith("/api"):
            body, kind = json.dumps({"detail": {"zh": zh, "en": en}}, ensure_ascii=False).encode(), b"application/json"
        else:
            body, kind = f"403 {zh} / {en}".encode(), b"text/plain; charset=utf-8"
        await send({"type": "http.response.start", "status": 403,
                    "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode()),
                                (b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff")]})
        await send({"type": "http.response.body", "body": body})
