"""The API of issue 14, items 4–5: bulletins (``/api/reports/bulletins``) and a mine's fund and 保证金
(``/api/cases/{permit_no}/funds``). Mounted by ``api.app.create_app`` beside ``api.routes``.

No ``from __future__ import annotations`` here: FastAPI reads the body types at runtime.
"""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from api.downloads import XLSX_TYPE, download_disposition
from api.routes import BINARY, DAY, WRITE, PermitNo, TheDesk, User, errors
from operations import oplog, report_desk
from operations.bulletin import bulletin_xlsx
from operations.funds import MAX_AMOUNT

router = APIRouter(prefix="/api")

BulletinId = Annotated[str, Path(max_length=100, description="通报编号 the bulletin's id")]
ONE_BULLETIN = errors(401, 403, 404, 422)


class BulletinBody(BaseModel):
    period: Literal["week", "month"]
    as_of: str | None = Field(default=None, pattern=DAY, json_schema_extra={"format": "date"},
                              description="截至日期（默认今天）the last day covered, YYYY-MM-DD (default today)")


@router.get("/reports/bulletins", tags=["reports"], summary="进展通报 the campaign's bulletins, newest first",
            responses=errors(401, 403))
def get_bulletins(user: User, d: TheDesk) -> list[dict[str, Any]]:
    return report_desk.list_bulletins(d, user)


@router.post("/reports/bulletins", tags=["reports"], summary="生成通报 make a bulletin now (office)", status_code=201,
             responses=errors(401, *WRITE))
def post_bulletin(body: BulletinBody, user: User, d: TheDesk) -> dict[str, Any]:
    return report_desk.make_bulletin(d, user, body.period, oplog.parse_day(body.as_of, "截至日 the last day"))


@router.get("/reports/province", tags=["reports"], summary="全省通报 the province's bulletin: one row per county (province)",
            description="Every county of the deployment, one row each (cases before disposition, rectifying, done; overdue "
            "items; on time and late; area restored), with the totals; `html`: the printable page. Computed now, not kept. "
            "For a `province` user only.", responses=errors(401, 403, 422))
def get_province_bulletin(
    user: User, d: TheDesk,
    period: Annotated[Literal["week", "month"], Query(description="周报 week | 月报 month")] = "week",
    as_of: Annotated[str | None, Query(pattern=DAY, json_schema_extra={"format": "date"},
                                       description="截至日期（默认今天）the last day covered, YYYY-MM-DD")] = None,
) -> dict[str, Any]:
    return report_desk.province_bulletin(d, user, period, oplog.parse_day(as_of, "截至日 the last day"))


@router.get("/reports/bulletins/{bulletin_id}", tags=["reports"], summary="通报 one bulletin's numbers (JSON)", responses=ONE_BULLETIN)
def get_bulletin(bulletin_id: BulletinId, user: User, d: TheDesk) -> dict[str, Any]:
    return report_desk.bulletin_row(report_desk.get_bulletin(d, user, bulletin_id), with_data=True)


@router.get("/reports/bulletins/{bulletin_id}/html", tags=["reports"], summary="通报 the printable page",
            response_class=Response,  # not HTMLResponse: FastAPI would document the refusals as text/html too
            responses={200: {"content": {"text/html": {"schema": {"type": "string"}}}, "description": "HTML"}, **ONE_BULLETIN})
def get_bulletin_html(bulletin_id: BulletinId, user: User, d: TheDesk) -> HTMLResponse:
    return HTMLResponse(report_desk.get_bulletin(d, user, bulletin_id).html)


@router.get("/reports/bulletins/{bulletin_id}/xlsx", tags=["reports"], summary="通报 Excel", response_class=Response,
            responses={200: {"content": {XLSX_TYPE: BINARY}, "description": "通报 .xlsx"}, **ONE_BULLETIN})
def get_bulletin_xlsx(bulletin_id: BulletinId, user: User, d: TheDesk) -> Response:
    record = report_desk.get_bulletin(d, user, bulletin_id)
    return Response(bulletin_xlsx(record.data), media_type=XLSX_TYPE,
                    headers={"Content-Disposition": download_disposition(report_desk.filename(record, ".xlsx"), "bulletin.xlsx")})


@router.get("/reports/bulletins/{bulletin_id}/pdf", tags=["reports"], summary="通报 PDF (Chromium)", response_class=Response,
            responses={200: {"content": {"application/pdf": BINARY}, "description": "PDF"}, **errors(401, 403, 404, 422, 503)})
async def get_bulletin_pdf(bulletin_id: BulletinId, user: User, d: TheDesk) -> Response:
    pdf, name = await report_desk.bulletin_pdf(d, user, bulletin_id)
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": download_disposition(name, "bulletin.pdf")})


@router.get("/reports/calendar", tags=["reports"], summary="到期日历 what falls due in a week or month",
            responses=errors(401, 403, 422))
def get_calendar(
    user: User, d: TheDesk, view: Literal["week", "month"] = "month",
    on: Annotated[str | None, Query(pattern=DAY, json_schema_extra={"format": "date"},
                                    description="所在日（默认今天）a day of the week or month shown, YYYY-MM-DD")] = None,
) -> dict[str, Any]:
    return report_desk.due_calendar(d, user, view, oplog.parse_day(on, "所在日 the day"))


class FundBody(BaseModel):
    model_config = ConfigDict(strict=True)  # JSON's types only: an amount is a number, not a string
    kind: Literal["fund", "bond"] = Field(description="fund（矿山地质环境治理恢复基金）| bond（保证金）")
    due: float = Field(default=0.0, ge=0, le=MAX_AMOUNT)
    paid: float = Field(default=0.0, ge=0, le=MAX_AMOUNT)
    used: float = Field(default=0.0, ge=0, le=MAX_AMOUNT)
    released: float = Field(default=0.0, ge=0, le=MAX_AMOUNT)
    note: str = Field(default="", max_length=500)


@router.get("/cases/{permit_no}/funds", tags=["reads"], summary="基金与保证金 a mine's restoration fund and bond",
            responses=errors(401, 403, 404, 422))
def get_funds(permit_no: PermitNo, user: User, d: TheDesk) -> list[dict[str, Any]]:
    return report_desk.case_funds(d, user, permit_no)


@router.post("/cases/{permit_no}/funds", tags=["actions"], summary="记录基金或保证金 record a mine's fund or bond (office)",
             description="Amounts in yuan. Refused with 422, nothing stored, when they do not add up: a negative amount, "
             "used + released more than paid, or paid more than due without a note.",
             responses=errors(401, *WRITE, 404))
def post_funds(permit_no: PermitNo, body: FundBody, user: User, d: TheDesk) -> dict[str, Any]:
    values = body.model_dump(exclude={"kind", "note"})
    return report_desk.record_fund(d, user, permit_no, body.kind, values, body.note)
