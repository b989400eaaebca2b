"""The desk's notices (issue 13): ``/notices`` lists the signed-in person's notices across cases with their
delivery status per channel; opening one (``/notices/{id}``) marks it read and goes to its case; the
office's ``/notices?undelivered=1`` lists the deliveries still queued or failed, and ``/notices/subscriptions``
sets who gets which notices on which channel. The bell in the header
(``base.html``) counts the unread ones."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from models.errors import MinecaseError
from models.notify import CHANNEL_LABELS, Channel
from operations import notices
from operations.permissions import Forbidden
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


@router.get("/notices/subscriptions")
async def subscriptions_page(request: Request) -> HTMLResponse:
    """The office's contact points: who gets which notices on which channel (robot keys hidden)."""
    user = need_user(request)
    rows = await run_in_threadpool(notices.subscriptions, request.app.state.desk.engine, user)
    return render(request, "subscriptions.html", user=user, rows=rows, CHANNELS=list(Channel), CHANNEL_LABELS=CHANNEL_LABELS)


@router.post("/notices/subscriptions")
async def subscribe_from_form(request: Request) -> Response:
    user = need_user(request)
    form = await request.form()
    fields = {k: str(form.get(k) or "") for k in ("owner", "channel", "address", "secret", "kinds", "digest_hour")}
    try:
        done = await run_in_threadpool(notices.subscribe, request.app.state.desk.engine, user, fields)
    except Forbidden:
        raise
    except MinecaseError as error:
        flash(request, "error", error.zh, error.en)
        return RedirectResponse("/notices/subscriptions", status_code=303)
    flash(request, "ok", f"已订阅：{done['owner']} · {done['channel']}", f"subscribed: {done['owner']} · {done['channel']}")
    return RedirectResponse("/notices/subscriptions", status_code=303)


@router.post("/notices/subscriptions/remove")
async def unsubscribe_from_form(request: Request) -> Response:
    user = need_user(request)
    form = await request.form()
    owner, channel = str(form.get("owner") or ""), str(form.get("channel") or "")
    count = await run_in_threadpool(notices.unsubscribe, request.app.state.desk.engine, user, owner, channel)
    flash(request, "ok", f"已取消 {count} 项订阅", f"{count} subscription(s) removed")
    return RedirectResponse("/notices/subscriptions", status_code=303)


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
