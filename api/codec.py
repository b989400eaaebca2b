"""The codec endpoint for authorised operators of the Temporal Web UI or CLI (issue 18, item 6).

Temporal's remote codec protocol: ``POST /codec/decode`` and ``POST /codec/encode`` take and give
``{"payloads": [{"metadata": {...}, "data": "..."}]}`` (protobuf JSON, bytes in base64). Decoding opens what a key
of the deployment's ring sealed and leaves everything else as it is; encoding seals with the current key.

Allowed to the office only: a desk session of an ``office`` user (the UI's "include cross-origin credentials") or
``Authorization: Bearer <MINECASE_CODEC_TOKEN>`` (the UI's access token, ``temporal --codec-auth``). Anyone else:
401 (nobody) or 403. Browsers may call it from the desk itself or from ``MINECASE_CODEC_CORS_ORIGIN`` (the UI's
origin), nowhere else: CORS answers name that origin only. Not part of the OpenAPI document (not ``/api``).
"""

from __future__ import annotations

import hmac
import json
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from google.protobuf import json_format
from temporalio.api.common.v1 import Payloads

from operations import session
from runtime.payloads import KeyRing, SealedPayloadCodec

router = APIRouter(prefix="/codec", include_in_schema=False)

MAX_PAYLOADS = 1000


def _error(status: int, zh: str, en: str, headers: dict[str, str]) -> JSONResponse:
    return JSONResponse({"detail": {"zh": zh, "en": en}}, status_code=status, headers=headers)


def _origin_allowed(request: Request) -> tuple[bool, dict[str, str]]:
    """Whether a browser's ``Origin`` (if any) may call the codec, and the CORS headers of the answer."""
    origin = request.headers.get("origin")
    if origin is None:
        return True, {}
    allowed = request.app.state.runtime.settings.codec_cors_origin
    if allowed and origin.strip().rstrip("/").lower() == allowed.strip().rstrip("/").lower():
        return True, {"Access-Control-Allow-Origin": origin.strip(), "Access-Control-Allow-Credentials": "true",
                      "Vary": "Origin"}
    same = urlsplit(origin.strip()).netloc.lower() == (request.headers.get("host") or "").lower()
    return same, {"Vary": "Origin"}


def _ring(request: Request) -> KeyRing | None:
    codec = request.app.state.runtime.client.data_converter.payload_codec
    return codec.ring if isinstance(codec, SealedPayloadCodec) else None


def _who(request: Request, cors: dict[str, str]) -> JSONResponse | None:
    """``None`` when the caller is the office (or holds the codec token); else the refusal."""
    token = request.app.state.runtime.settings.codec_token
    sent = request.headers.get("authorization") or ""
    if token and sent.lower().startswith("bearer ") and hmac.compare_digest(sent[7:].strip().encode(), token.encode()):
        return None
    user = session.signed_in(request.app.state.desk.engine, request.session, request.app.state.session_lifetimes)
    if user is None:
        return _error(401, "请先以领导小组办公室账号登录", "sign in as the office first", cors)
    if user.role != "office":
        return _error(403, "仅领导小组办公室可解码案件数据", "only the office may decode case data", cors)
    return None


@router.options("/{operation}")
async def preflight(operation: str, request: Request) -> Response:
    ok, cors = _origin_allowed(request)
    if not ok or operation not in ("decode", "encode") or "Access-Control-Allow-Origin" not in cors:
        return Response(status_code=403, headers={"Vary": "Origin"})
    return Response(status_code=204, headers={**cors, "Access-Control-Allow-Methods": "POST",
                                              "Access-Control-Allow-Headers": "content-type, x-namespace, authorization",
                                              "Access-Control-Max-Age": "600"})


@router.post("/{operation}")
async def codec(operation: str, request: Request) -> Response:
    ok, cors = _origin_allowed(request)
    if not ok:
        return _error(403, "拒绝来自其他网站的请求", "a request from another site is refused", cors)
    if operation not in ("decode", "encode"):
        return _error(404, "没有找到", "not found", cors)
    refusal = _who(request, cors)
    if refusal is not None:
        return refusal
    ring = _ring(request)
    if ring is None:
        return _error(404, "本服务未设置负载密钥", "this service has no payload key", cors)
    try:
        payloads = json_format.Parse(await request.body(), Payloads(), ignore_unknown_fields=True)
    except (json_format.ParseError, UnicodeDecodeError, ValueError):
        return _error(422, "应为 {\"payloads\": [...]}（Temporal 远程编解码协议）",
                      "expected {\"payloads\": [...]} (Temporal's remote codec protocol)", cors)
    if len(payloads.payloads) > MAX_PAYLOADS:
        return _error(422, f"一次最多 {MAX_PAYLOADS} 个负载", f"at most {MAX_PAYLOADS} payloads at once", cors)
    opened = operation == "decode"
    out = [(ring.open(p) or p) if opened else ring.seal(p) for p in payloads.payloads]
    answer = json_format.MessageToDict(Payloads(payloads=out))
    return Response(json.dumps({"payloads": answer.get("payloads", [])}), media_type="application/json", headers=cors)
