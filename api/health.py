"""``/healthz`` and ``/readyz`` (issue 15 item 3), for a load balancer or an orchestrator: no sign-in, GET only,
never written to the operation log.

``/healthz`` answers 200 while the process serves (it reads nothing). ``/readyz`` answers 200 when the Temporal
cluster answers its health check and the case file answers ``SELECT 1``, each within ``CHECK_SECONDS``; else 503
naming what failed."""

from __future__ import annotations

import asyncio
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.engine import Engine

CHECK_SECONDS = 3.0

router = APIRouter(tags=["operations"])


class Health(BaseModel):
    status: Literal["ok"]


class Readiness(BaseModel):
    status: Literal["ready", "not ready"]
    temporal: Literal["ok", "failed"]
    casefile: Literal["ok", "failed"]
    failed: list[str]
    """What did not answer: ``temporal``, ``casefile``."""


@router.get("/healthz", response_model=Health, summary="进程存活 / the process is up")
async def healthz() -> Health:
    return Health(status="ok")


async def temporal_answers(client) -> bool:
    try:
        return bool(await asyncio.wait_for(client.service_client.check_health(timeout=_timedelta(CHECK_SECONDS)),
                                           CHECK_SECONDS + 0.5))
    except Exception:  # noqa: BLE001 - any failure to answer is "not ready", which the answer names
        return False


def _select_one(engine: Engine) -> bool:
    with engine.connect() as connection:
        return connection.execute(text("SELECT 1")).scalar() == 1


async def casefile_answers(engine: Engine) -> bool:
    try:
        return await asyncio.wait_for(asyncio.to_thread(_select_one, engine), CHECK_SECONDS)
    except Exception:  # noqa: BLE001 - any failure to answer is "not ready", which the answer names
        return False


def _timedelta(seconds: float):
    import datetime as dt

    return dt.timedelta(seconds=seconds)


@router.get("/readyz", response_model=Readiness, summary="Temporal 与案卷可用 / Temporal and the case file answer",
            responses={503: {"model": Readiness, "description": "Temporal 或案卷无应答 / Temporal or the case file does not answer"}})
async def readyz(request: Request) -> JSONResponse:
    runtime = request.app.state.runtime
    temporal, casefile = await asyncio.gather(temporal_answers(runtime.client), casefile_answers(runtime.engine))
    failed = [name for name, ok in (("temporal", temporal), ("casefile", casefile)) if not ok]
    body = Readiness(status="not ready" if failed else "ready", temporal="ok" if temporal else "failed",
                     casefile="ok" if casefile else "failed", failed=failed)
    return JSONResponse(body.model_dump(), status_code=503 if failed else 200, headers={"Cache-Control": "no-store"})
