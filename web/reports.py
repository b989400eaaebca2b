"""The desk's reports (issue 14, items 4–6): ``/reports`` — charts as server-rendered SVG (no script: the CSP
forbids inline script and nothing comes from a CDN), the deadline calendar (week or month), the campaign's phases
and the bulletins; ``/reports/bulletins/{id}`` the printable bulletin (``/pdf``, ``/xlsx``); and the office's
form for a mine's fund and 保证金 (``POST /cases/{permit}/funds``). Mounted by ``api.app.create_app`` beside the pages."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from models.errors import MinecaseError
from models.roles import Role
from operations import report_desk
from operations.bulletin import bulletin_xlsx
from operations.desk import BadInput, Desk
from operations.funds import AMOUNTS
from operations.permissions import Forbidden
from web.pages import check_form_token, flash, need_user, render

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_disposition(filename: str, fallback: str) -> str:
    """An attachment with an ASCII name and the real (Chinese) one as RFC 5987 ``filename*`` (the pages do not import ``api``)."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


router = APIRouter(include_in_schema=False, dependencies=[Depends(check_form_token)])


def _day(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"日期“{text[:20]}”无效（YYYY-MM-DD）", f"the date '{text[:20]}' is not valid (YYYY-MM-DD)") from None


@router.get("/reports")
def reports_page(request: Request) -> HTMLResponse:
    user = need_user(request)
    desk: Desk = request.app.state.desk
    q = request.query_params
    view = "week" if q.get("view") == "week" else "month"
    overview = report_desk.overview(desk, user)
    calendar = report_desk.due_calendar(desk, user, view, _day(q.get("on")))
    return render(request, "reports.html", user=user, nav="reports", o=overview, b=overview["bulletin"], cal=calendar,
                  bulletins=report_desk.list_bulletins(desk, user), may_make=Role(user.role) in report_desk.BULLETIN_MAKERS,
                  today=desk.today().isoformat())


@router.post("/reports/bulletins")
async def make_bulletin(request: Request) -> Response:
    user = need_user(request)
    desk: Desk = request.app.state.desk
    form = await request.form()
    try:
        row = report_desk.make_bulletin(desk, user, str(form.get("period") or ""), _day(str(form.get("as_of") or "")))
    except Forbidden:
        raise
    except MinecaseError as error:
        flash(request, "error", error.zh, error.en)
        return RedirectResponse("/reports", status_code=303)
    flash(request, "ok", f"已生成进展通报 {row['start']} 至 {row['end']}", f"bulletin made: {row['start']} to {row['end']}")
    return RedirectResponse(f"/reports/bulletins/{quote(row['id'])}", status_code=303)


@router.get("/reports/province")
def province_bulletin_page(request: Request) -> HTMLResponse:
    """The province's bulletin (one row per county, docs/province.md): a page of its own, made to print."""
    user = need_user(request)
    q = request.query_params
    period = "month" if q.get("period") == "month" else "week"
    return HTMLResponse(report_desk.province_bulletin(request.app.state.desk, user, period, _day(q.get("as_of")))["html"])


@router.get("/reports/bulletins/{bulletin_id}")
def bulletin_page(bulletin_id: str, request: Request) -> HTMLResponse:
    """The bulletin as kept: a page of its own, made to print (A4)."""
    user = need_user(request)
    record = report_desk.get_bulletin(request.app.state.desk, user, bulletin_id)
    return HTMLResponse(record.html)


@router.get("/reports/bulletins/{bulletin_id}/pdf")
async def bulletin_pdf(bulletin_id: str, request: Request) -> Response:
    user = need_user(request)
    pdf, name = await report_desk.bulletin_pdf(request.app.state.desk, user, bulletin_id)
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": download_disposition(name, "bulletin.pdf")})


@router.get("/reports/bulletins/{bulletin_id}/xlsx")
def bulletin_workbook(bulletin_id: str, request: Request) -> Response:
    user = need_user(request)
    record = report_desk.get_bulletin(request.app.state.desk, user, bulletin_id)
    return Response(bulletin_xlsx(record.data), media_type=XLSX_TYPE,
                    headers={"Content-Disposition": download_disposition(report_desk.filename(record, ".xlsx"), "bulletin.xlsx")})


@router.post("/cases/{permit_no}/funds")
async def record_fund(permit_no: str, request: Request) -> Response:
    user = need_user(request)
    desk: Desk = request.app.state.desk
    form = await request.form()
    back = f"/cases/{quote(permit_no)}#funds"
    values = {name: str(form.get(name) or "") for name in AMOUNTS}
    try:
        row = report_desk.record_fund(desk, user, permit_no, str(form.get("kind") or ""), values, str(form.get("note") or ""))
    except Forbidden:
        raise
    except MinecaseError as error:
        flash(request, "error", error.zh, error.en)
        return RedirectResponse(back, status_code=303)
    flash(request, "ok", f"已记录{row['label_zh']}", f"{row['label_en']} recorded")
    return RedirectResponse(back, status_code=303)
