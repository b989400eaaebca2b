"""The operation log's middleware: opens an entry for every unsafe request (``operations.oplog.classify``) and
writes it once the response has gone out (issue 18, item 7).

It is the outermost layer, so it sees what the others refuse too (a body over the limit, a request from
another site) and what fails (a 5xx, an exception). Its entry rides a context variable that the session,
the sign-in and the desk fill in (user, tried name, refusal). A 4xx or 5xx JSON answer whose reason no one
noted gives its ``detail`` as the reason. The write runs off the event loop after the last byte has been
sent; it cannot fail the request (``operations.oplog.record`` logs a failure loudly instead).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import HTTP_TEXT
from operations import oplog
from operations.session import SESSION_KEY

CAPTURE_BYTES = 4096
"""How much of a refusal's JSON body is kept to read its reason."""


class OperationLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        found = oplog.classify(scope["method"], path)
        if found is None:
            await self.app(scope, receive, send)
            return
        action, permit_no = found
        client = scope.get("client")
        entry = oplog.Entry(channel="api" if path.startswith("/api") else "desk", method=scope["method"], path=path,
                            action=action, permit_no=permit_no, address=client[0] if client else None)
        if action == "ledger_import" and b"check=true" in scope.get("query_string", b"").lower():
            entry.action = "ledger_check"
        status: int | None = None
        json_answer = False
        captured = bytearray()

        async def watched_send(message: Message) -> None:
            nonlocal status, json_answer
            if message["type"] == "http.response.start":
                status = message["status"]
                kind = dict(message.get("headers", ())).get(b"content-type", b"")
                json_answer = kind.startswith(b"application/json")
            elif message["type"] == "http.response.body" and status is not None and status >= 400 and json_answer:
                room = CAPTURE_BYTES - len(captured)
                if room > 0:
                    captured.extend(message.get("body", b"")[:room])
            await send(message)

        token = oplog.open_entry(entry)
        try:
            await self.app(scope, receive, watched_send)
        except Exception as error:
            entry.refuse("服务器内部错误", f"server error: {type(error).__name__}", outcome="error")
            entry.finish(500)
            await self._write(scope, entry)
            raise
        finally:
            oplog.close_entry(token)
        if status is not None and status >= 400 and entry.outcome is None:
            # the answer's own reason (a JSON refusal), else the status's (a page's refusal: another site, a body too large)
            reason = _reason(bytes(captured)) or HTTP_TEXT.get(status, (f"HTTP {status}", f"HTTP {status}"))
            entry.refuse(*reason, outcome="error" if status >= 500 else "refused")
        entry.finish(status)
        await self._write(scope, entry)

    async def _write(self, scope: Scope, entry: oplog.Entry) -> None:
        desk = getattr(scope["app"].state, "desk", None) if "app" in scope else None
        engine = getattr(getattr(desk, "runtime", None), "engine", None)
        session = scope.get("session") or {}
        session_id = session.get(SESSION_KEY) if isinstance(session, dict) else None

        def write() -> None:
            if not entry.user_known and isinstance(session_id, str) and session_id and engine is not None:
                try:
                    user = oplog.session_user(engine, session_id)
                    if user is not None:
                        entry.by(user)
                except Exception:  # noqa: BLE001 - the user is a detail; the entry is written without it
                    oplog.log.warning("operation log: could not look up the session's user", exc_info=True)
            oplog.record(engine, entry)

        try:
            await asyncio.to_thread(write)
        except Exception:  # noqa: BLE001 - never fail a request over its log entry
            oplog.log.exception("OPERATION LOG WRITE FAILED; the operation stands: %s", entry)


def _reason(body: bytes) -> tuple[str, str] | None:
    try:
        detail: Any = json.loads(body.decode("utf-8"))["detail"]
        return str(detail["zh"]), str(detail["en"])
    except (ValueError, KeyError, TypeError):
        return None
