"""The desk's notices (issue 13): ``/notices`` lists the signed-in person's notices across cases with their
delivery status per channel; opening one (``/notices/{id}``) marks it read and goes to its case; the
office's ``/notices?undelivered=1`` lists the deliveries still queued or failed. The bell in the header
(``base.html``) counts the unread ones."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from operations import notices
from web.pages import check_form_token, flash, need_user, render

router = APIRouter(include_in_schema=False, dependencies=[Depends(check_form_token)])


@router.get("/notices")
async def notices_page(request: Request) -> HTMLResponse:
    user = need_user(request)
    engine = request.app.state.desk.engine
    if request.query_params.get("undelivered") in ("1", "true", "yes"):
        rows = await run_in_threadpool(notices.undelivered, engine, user)
        return render(request, "notices.html", user=user, rows=rows, undelivered=True, STATUS_LABELS=notices.STATUS_LABELS)
    rows = await run_in_threadpool(notices.my_notices, engine, user)
    return render(request, "notices.html", user=user, rows=rows, undelivered=False, STATUS_LABELS=notices.STATUS_LABELS)


@router.get("/notices/{notice_id}")
async def open_notice(notice_id: str, request: Request) -> Response:
    user = need_user(request)
    permit_no = await run_in_threadpool(notices.open_notice, request.app.state.desk.engine, user, notice_id)
    return RedirectResponse(f"/cases/{quote(permit_no)}#notices", status_code=303)


@router.post("/notices/read-all")
async def read_all(request: Request) -> Response:
    user = need_user(request)
    count = await run_in_threadpool(notices.read_all, request.app.state.desk.engine, user)
    flash(request, "ok", f"已将 {count} 条通知标为已读", f"{count} notices marked read")
    return RedirectResponse("/notices", status_code=303)
