"""Errors as HTTP: always ``{"detail": {"zh": ..., "en": ...}}``; user input never gives a 5xx.

The status of each refusal comes from ``operations.statuses``, the table the web pages use too;
off ``/api``, a refusal is rendered by the page hook the web pages install (``app.state.html_error``)."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from temporalio.service import RPCError

from models.errors import MinecaseError
from operations import oplog
from operations.desk import BadInput
from operations.statuses import status_for
from operations.throttle import Throttled

log = logging.getLogger("minecase.api")

HTTP_TEXT = {
    400: ("请求有误", "bad request"),
    401: ("请先登录", "please sign in"),
    403: ("无权进行此操作", "forbidden"),
    404: ("没有找到", "not found"),
    405: ("不支持此方法", "method not allowed"),
    409: ("与当前状态冲突", "conflict"),
    413: ("文件过大", "the upload is too large"),
    429: ("请求过于频繁，请稍后再试", "too many requests; try again later"),
    422: ("输入有误", "invalid input"),
}


UNPARSABLE_BODY = "There was an error parsing the body"
"""FastAPI's ``HTTPException(400)`` detail when reading the body failed other than as a JSON syntax error."""
UNPARSABLE = ("请求内容无法解析：应为 UTF-8 编码的 JSON（上传文件为 multipart/form-data）",
              "the request body cannot be parsed: send JSON in UTF-8 (an upload as multipart/form-data)")


def allowed_methods(request: Request) -> str:
    """The ``Allow`` of a 405: every method some route takes at this path (Starlette names only the first route's)."""
    methods = set()
    for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"):
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] == Match.FULL for route in request.app.router.routes):
            methods.add(method)
    return ", ".join(sorted(methods))


def body(zh: str, en: str, **extra) -> dict:
    return {"detail": {"zh": zh, "en": en, **extra}}


def install(app: FastAPI) -> None:
    @app.exception_handler(MinecaseError)
    async def _domain(request: Request, error: MinecaseError):
        oplog.note_refusal(error)
        html = getattr(request.app.state, "html_error", None)
        if html is not None and not request.url.path.startswith("/api"):
            return html(request, status_for(error), error)
        extra = {"errors": error.errors} if isinstance(error, BadInput) else {}
        headers = {"Retry-After": str(error.retry_after)} if isinstance(error, Throttled) else None
        return JSONResponse(body(error.zh, error.en, **extra), status_code=status_for(error), headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, error: RequestValidationError):
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in error.errors()]
        fields = "、".join(".".join(str(p) for p in e["loc"] if p != "body") or "body" for e in errors)
        entry = oplog.current()
        if entry is not None:
            entry.refuse(f"输入有误：{fields}", f"invalid input: {fields}")
        return JSONResponse(body(f"输入有误：{fields}", f"invalid input: {fields}", errors=errors), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException):
        headers = getattr(error, "headers", None)
        if isinstance(error.detail, dict) and "zh" in error.detail:
            return JSONResponse({"detail": error.detail}, status_code=error.status_code, headers=headers)
        if error.status_code == 400:
            # FastAPI's answer to a body its parser gave up on (not UTF-8, nested 10,000 deep: UNPARSABLE_BODY), or
            # Starlette's to a broken multipart (no boundary, a bad header: its own message); nothing else raises a
            # bare 400. Bad input like any other, so a 422 in the contract (the README and the OpenAPI document say so).
            zh, en = UNPARSABLE
            return JSONResponse(body(zh, en, errors=[{"loc": ["body"], "msg": en, "type": "body_unparsable"}]), status_code=422)
        if error.status_code == 405:
            headers = {**(headers or {}), "Allow": allowed_methods(request)}
        zh, en = HTTP_TEXT.get(error.status_code, (str(error.detail), str(error.detail)))
        return JSONResponse(body(zh, en), status_code=error.status_code, headers=headers)

    @app.exception_handler(RPCError)
    async def _temporal(request: Request, error: RPCError):
        log.warning("temporal unavailable: %s", error)
        return JSONResponse(body("案件服务暂时不可用，请稍后再试", "the case service is unavailable; try again later"), status_code=503)
