"""A limit on request bodies, in front of the whole app (API and web pages alike).

A body over the limit is refused with 413 before the app reads it: by its ``Content-Length`` when it
gives one, else as soon as the bytes received pass the limit (a chunked body). Ledger uploads
(``POST /api/ledger``, ``POST /ledger``) may be as large as an upload may be
(``operations.ledger_upload.MAX_UPLOAD_BYTES``, plus room for the multipart envelope); every other
body — a JSON action, a form, a sign-in — is at most ``MAX_BODY_BYTES``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException

from models.attachments import MAX_ATTACHMENT_BYTES
from operations.ledger_upload import MAX_UPLOAD_BYTES

MAX_BODY_BYTES = 64 * 1024
"""A JSON or form body: the longest message (a 2,000-character comment and reason) is far below it."""

UPLOAD_PATHS = frozenset({"/api/ledger", "/ledger"})
MAX_UPLOAD_BODY_BYTES = MAX_UPLOAD_BYTES + 1024 * 1024

ATTACHMENT_PATHS = re.compile(r"^(/api/cases/[^/]+/attachments|/cases/[^/]+/act/[a-z_]+|/cases/[^/]+/inspections"
                              r"|/api/inspections|/problems/[^/]+/close|/cases/[^/]+/attachments)$")
"""Routes that take evidence files (issue 14): an upload, a desk form with a file input, an inspection with photos,
a problem's closing. Their body may carry ``MAX_ATTACHMENTS_BODY_BYTES``."""
MAX_ATTACHMENTS_BODY_BYTES = MAX_ATTACHMENT_BYTES * 4 + 1024 * 1024

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class _BodyTooLarge(HTTPException):
    """Raised while the app reads the body: an ``HTTPException`` so that FastAPI's body parsing passes it on
    (it turns any other error into a 400) and ``api.errors`` answers it in the error contract."""

    def __init__(self, limit: int) -> None:
        zh, en = _size_text(limit)
        super().__init__(413, {"zh": zh, "en": en})


CODEC_PATHS = frozenset({"/codec/decode", "/codec/encode"})
MAX_CODEC_BODY_BYTES = 8 * 1024 * 1024
"""The Temporal UI's payloads to decode (``api.codec``): a case's carried state is tens of KB, Temporal's own
limit for one payload 2 MB, in base64."""


def limit_for(path: str) -> int:
    path = path.rstrip("/")
    if path in CODEC_PATHS:
        return MAX_CODEC_BODY_BYTES
    if path in UPLOAD_PATHS:
        return MAX_UPLOAD_BODY_BYTES
    if ATTACHMENT_PATHS.match(path):
        return MAX_ATTACHMENTS_BODY_BYTES
    return MAX_BODY_BYTES


def _size_text(limit: int) -> tuple[str, str]:
    if limit >= 1024 * 1024:
        megabytes = limit // (1024 * 1024)
        return f"请求内容超过 {megabytes} MB", f"the request body is over {megabytes} MB"
    kilobytes = limit // 1024
    return f"请求内容超过 {kilobytes} KB", f"the request body is over {kilobytes} KB"


class BodyLimit:
    """ASGI middleware: 413 for a request body over ``limit_for(path)``, in the error contract."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = limit_for(scope.get("path", ""))
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(scope, send, limit)
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLarge(limit)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except _BodyTooLarge:
            if started:
                raise
            await _refuse(scope, send, limit)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(scope: Scope, send: Send, limit: int) -> None:
    zh, en = _size_text(limit)
    if scope.get("path", "").startswith("/api"):
        body = json.dumps({"detail": {"zh": zh, "en": en}}, ensure_ascii=False).encode()
        content_type = b"application/json"
    else:
        body = (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>413</title></head>'
                f"<body><h1>{zh}</h1><p>{en}</p></body></html>").encode()
        content_type = b"text/html; charset=utf-8"
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", content_type), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
