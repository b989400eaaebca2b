"""Errors as HTTP: always ``{"detail": {"zh": ..., "en": ...}}``; user input never gives a 5xx."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from temporalio.service import RPCError

from api.ledger import TooLarge, Unavailable
from api.permissions import Forbidden, NotSignedIn
from api.service import BadInput
from casefile.users import UserError
from models.errors import CalendarError, MinecaseError
from operations.cases import CaseNotFound, InputRejected, SimulationOnly
from operations.ledger import LedgerError

log = logging.getLogger("minecase.api")

STATUS = (
    (NotSignedIn, 401),
    (Forbidden, 403),
    (CaseNotFound, 404),
    (InputRejected, 409),  # a rule of the plan (stage, task owner): the case is unchanged
    (BadInput, 422),
    (UserError, 422),
    (CalendarError, 422),
    (SimulationOnly, 409),
    (LedgerError, 422),  # the uploaded file cannot be read as a ledger
    (TooLarge, 413),
    (Unavailable, 503),
)

HTTP_TEXT = {
    400: ("请求有误", "bad request"),
    401: ("请先登录", "please sign in"),
    403: ("无权进行此操作", "forbidden"),
    404: ("没有找到", "not found"),
    405: ("不支持此方法", "method not allowed"),
    409: ("与当前状态冲突", "conflict"),
    413: ("文件过大", "the upload is too large"),
    422: ("输入有误", "invalid input"),
}


def status_for(error: MinecaseError) -> int:
    return next((code for cls, code in STATUS if isinstance(error, cls)), 400)


def body(zh: str, en: str, **extra) -> dict:
    return {"detail": {"zh": zh, "en": en, **extra}}


def install(app: FastAPI) -> None:
    @app.exception_handler(MinecaseError)
    async def _domain(request: Request, error: MinecaseError):
        html = getattr(request.app.state, "html_error", None)
        if html is not None and not request.url.path.startswith("/api"):
            return html(request, status_for(error), error)
        extra = {"errors": error.errors} if isinstance(error, BadInput) else {}
        return JSONResponse(body(error.zh, error.en, **extra), status_code=status_for(error))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, error: RequestValidationError):
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in error.errors()]
        fields = "、".join(".".join(str(p) for p in e["loc"] if p != "body") or "body" for e in errors)
        return JSONResponse(body(f"输入有误：{fields}", f"invalid input: {fields}", errors=errors), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException):
        if isinstance(error.detail, dict) and "zh" in error.detail:
            return JSONResponse({"detail": error.detail}, status_code=error.status_code, headers=getattr(error, "headers", None))
        zh, en = HTTP_TEXT.get(error.status_code, (str(error.detail), str(error.detail)))
        return JSONResponse(body(zh, en), status_code=error.status_code, headers=getattr(error, "headers", None))

    @app.exception_handler(RPCError)
    async def _temporal(request: Request, error: RPCError):
        log.warning("temporal unavailable: %s", error)
        return JSONResponse(body("案件服务暂时不可用，请稍后再试", "the case service is unavailable; try again later"), status_code=503)
