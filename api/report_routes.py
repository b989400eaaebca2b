"""The API of issue 14, items 4–5: bulletins (``/api/reports/bulletins``) and a mine's fund and 保证金
(``/api/cases/{permit_no}/funds``). Mounted by ``api.app.create_app`` beside ``api.routes``.

No ``from __future__ import annotations`` here: FastAPI reads the body types at runtime.
"""

import datetime as dt
from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from api.downloads import XLSX_TYPE, download_disposition
from api.routes import TheDesk, User, errors
from operations import report_desk
from operations.bulletin import bulletin_xlsx

router = APIRouter(prefix="/api", responses=errors(401, 403, 404, 422))


class BulletinBody(BaseModel):
    period: Literal["week", "month"]
    as_of: dt.date | None = Field(default=None, description="截至日期（默认今天）the last day covered (default today)")


@router.get("/reports/bulletins", tags=["reports"], summary="进展通报 the campaign's bulletins, newest first")
def get_bulletins(user: User, d: TheDesk) -> list[dict[str, Any]]:
    return report_desk.list_bulletins(d, user)


@router.post("/reports/bulletins", tags=["reports"], summary="生成通报 make a bulletin now (office)", status_code=201)
def post_bulletin(body: BulletinBody, user: User, d: TheDesk) -> dict[str, Any]:
    return report_desk.make_bulletin(d, user, body.period, body.as_of)


@router.get("/reports/bulletins/{bulletin_id}", tags=["reports"], summary="通报 one bulletin's numbers (JSON)")
def get_bulletin(bulletin_id: str, user: User, d: TheDesk) -> dict[str, Any]:
    return report_desk.bulletin_row(report_desk.get_bulletin(d, user, bulletin_id), with_data=True)


@router.get("/reports/bulletins/{bulletin_id}/html", tags=["reports"], summary="通报 the printable page", response_class=HTMLResponse)
def get_bulletin_html(bulletin_id: str, user: User, d: TheDesk) -> HTMLResponse:
    return HTMLResponse(report_desk.get_bulletin(d, user, bulletin_id).html)


@router.get("/reports/bulletins/{bulletin_id}/xlsx", tags=["reports"], summary="通报 Excel", response_class=Response,
            responses={200: {"content": {XLSX_TYPE: {}}}})
def get_bulletin_xlsx(bulletin_id: str, user: User, d: TheDesk) -> Response:
    record = report_desk.get_bulletin(d, user, bulletin_id)
    return Response(bulletin_xlsx(record.data), media_type=XLSX_TYPE,
                    headers={"Content-Disposition": download_disposition(report_desk.filename(record, ".xlsx"), "bulletin.xlsx")})


@router.get("/reports/bulletins/{bulletin_id}/pdf", tags=["reports"], summary="通报 PDF (Chromium)", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}})
async def get_bulletin_pdf(bulletin_id: str, user: User, d: TheDesk) -> Response:
    pdf, name = await report_desk.bulletin_pdf(d, user, bulletin_id)
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": download_disposition(name, "bulletin.pdf")})


@router.get("/reports/calendar", tags=["reports"], summary="到期日历 what falls due in a week or month")
def get_calendar(user: User, d: TheDesk, view: Literal["week", "month"] = "month", on: dt.date | None = None) -> dict[str, Any]:
    return report_desk.due_calendar(d, user, view, on)


class FundBody(BaseModel):
    kind: str = Field(description="fund（矿山地质环境治理恢复基金）| bond（保证金）", max_length=20)
    due: float = 0.0
    paid: float = 0.0
    used: float = 0.0
    released: float = 0.0
    note: str = Field(default="", max_length=500)


@router.get("/cases/{permit_no}/funds", tags=["reads"], summary="基金与保证金 a mine's restoration fund and bond")
def get_funds(permit_no: str, user: User, d: TheDesk) -> list[dict[str, Any]]:
    return report_desk.case_funds(d, user, permit_no)


@router.post("/cases/{permit_no}/funds", tags=["actions"], summary="记录基金或保证金 record a mine's fund or bond (office)",
             description="Amounts in yuan. Refused with 422, nothing stored, when they do not add up: a negative amount, "
             "used + released more than paid, or paid more than due without a note.")
def post_funds(permit_no: str, body: FundBody, user: User, d: TheDesk) -> dict[str, Any]:
    values = body.model_dump(exclude={"kind", "note"})
    return report_desk.record_fund(d, user, permit_no, body.kind, values, body.note)
