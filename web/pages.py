"""The web desk: server-rendered pages over the same ``operations.desk.Desk`` the API uses.

This module imports ``operations`` (desk, permissions, session, statuses), never ``api/``:
``api.app.create_app`` mounts these pages with ``install``.

Forms post and redirect (post/redirect/get); the outcome comes back as a one-time flash message
(kept with the session in the case file, not in the cookie).
Language: Chinese by default; ``/lang/en`` or ``?lang=en`` switches (kept in the session).

Every form carries the session's token (``csrf_field`` in the templates; a visitor gets one before
signing in, so the sign-in form has one too) and every unsafe request of the pages must send it back,
as the ``csrf_token`` field or the ``X-CSRF-Token`` header (``check_form_token``); ``api.security``
has already refused what a browser says comes from another site.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from pathlib import Path as FsPath
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from casefile.users import UserRecord
from models.errors import MinecaseError
from models.kinds import OVERDUE_NOTICES
from models.roles import DEPARTMENT_LABELS, ROLE_LABELS, Department, Role
from models.stages import Path, Stage
from operations import notices, oplog, session
from operations.cases import CaseNotFound
from operations.desk import BadInput, Desk
from operations.ledger_upload import ImportReport
from operations.permissions import LEDGER_EXPORT_ROLES, LEDGER_IMPORT_ROLES, VERB_LABELS, Forbidden, NotSignedIn
from operations.statuses import status_for
from operations.throttle import Throttled

HERE = FsPath(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))

LIGHT_LABELS = {"red": ("红：逾期或7天内到期", "red: overdue or due within 7 days"),
                "yellow": ("黄：30天内到期", "yellow: due within 30 days"),
                "green": ("绿：30天以上", "green: more than 30 days"),
                "none": ("无期限", "no running deadline")}
TASK_STATUS = {"open": ("待办", "open"), "approved": ("通过", "approved"), "rejected": ("不通过", "rejected"),
               "withdrawn": ("撤回", "withdrawn")}
DEADLINE_STATUS = {"open": ("进行中", "running"), "met": ("按期完成", "met"), "missed": ("逾期", "missed"),
                   "withdrawn": ("撤回", "withdrawn")}
TOWNSHIP_MOVES = {  # stage → what the township owes (四.1)
    "registered": ("提出处置意见", "propose a disposition"),
    "deemed_abandoned": ("作出注销矿权申请", "apply to cancel the right"),
}
"""Notices of a missed deadline and its consequence: marked red on the case page."""
PATH_EN = {"undecided": "undecided", "continue": "continue", "cancel": "cancel", "deemed_abandoned": "deemed abandoned"}


def lang_of(request: Request) -> str:
    return request.session.get("lang", "zh")


def signed_in(request: Request) -> UserRecord | None:
    return session.signed_in(request.app.state.desk.engine, request.session, request.app.state.session_lifetimes)


def need_user(request: Request) -> UserRecord:
    return session.need_user(request.app.state.desk.engine, request.session, request.app.state.session_lifetimes)


def flash(request: Request, kind: str, zh: str, en: str) -> None:
    session.flash(request.app.state.desk.engine, request.session, kind, zh, en)


CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


async def check_form_token(request: Request) -> None:
    """Every unsafe request of the pages carries the session's form token (field or header)."""
    if request.method not in UNSAFE_METHODS:
        return
    sent = request.headers.get(CSRF_HEADER)
    if not sent:
        form = await request.form()  # parsed once: the route's own ``request.form()`` gets the same
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not session.csrf_valid(request.session, sent):
        raise Forbidden("表单已过期或来自其他网站，请刷新页面后重试",
                        "the form has expired or came from another site; reload the page and try again")


CHINA = dt.timezone(dt.timedelta(hours=8), "CST")
"""The desk shows every instant in China Standard Time (UTC+8), whatever the server's or the case file's zone."""


@functools.lru_cache(maxsize=32)
def campaign_names(campaign_id: str) -> tuple[str, str]:
    """A campaign's name (``name_zh``, ``name_en``) for the page, not its file's id (newcomer trial D20); the id
    when no such file is shipped."""
    from models.errors import MinecaseError
    from models.policy import load_campaign

    try:
        policy = load_campaign(campaign_id)
    except MinecaseError:
        return campaign_id, campaign_id
    return policy.name_zh, policy.name_en


def short_time(value: str | dt.datetime | None) -> str:
    """An instant as China's wall clock, ``YYYY-MM-DD HH:MM`` (a naive instant is UTC, as the case file stores it)."""
    if not value:
        return ""
    try:
        instant = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)
    except ValueError:
        return value if isinstance(value, str) else ""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=dt.UTC)
    return instant.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


def deadline_status(deadline: dict[str, Any], today: str | None = None) -> tuple[str, str]:
    """A deadline's state in words: a running one is 进行中 (its last day to come: 未到期; past it: 已过期), never
    "being calculated"; one counting from a service not yet made: 待送达起算."""
    status = deadline.get("status")
    if status == "open":
        due = deadline.get("due")
        if not due:
            return ("待送达后起算", "counts once served") if deadline.get("awaiting_service") else ("进行中", "running")
        if today and str(due) < today:
            return ("进行中（已过最后一日）", "running (past its last day)")
        return ("进行中 · 未到期", "running · not yet due")
    return DEADLINE_STATUS.get(str(status), (str(status), str(status)))


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    lang = lang_of(request)
    user = context.pop("user", None) or signed_in(request)

    def T(zh: str, en: str) -> str:  # noqa: N802 - reads like a marker in templates
        return en if lang == "en" else zh

    def label(pair: tuple[str, str] | None, fallback: str = "") -> str:
        return T(*pair) if pair else fallback

    def stage_label(code: str) -> str:
        return T(Stage(code).label_zh, Stage(code).label_en) if code in Stage.__members__ else code

    def path_label(code: str) -> str:
        return T(Path(code).label_zh, PATH_EN.get(code, code)) if code in PATH_EN else code

    def dept_label(code: str | None) -> str:
        return T(*DEPARTMENT_LABELS[Department(code)]) if code in {d.value for d in Department} else (code or "")

    def role_label(code: str | None) -> str:
        return T(*ROLE_LABELS[Role(code)]) if code in {r.value for r in Role} else (code or "")

    def recipient_label(code: str, township: str | None = None) -> str:
        """Whom a notice addresses; ``township``: the case's, named for the ``township`` recipient."""
        kind, _, rest = code.partition(":")
        if kind == "department":
            return dept_label(rest)
        if kind == "township" and (rest or township):
            return rest or township or ""
        if code == "leader":
            return T("挂点县领导", "county leader in charge")
        return role_label(code)

    def deadline_label(d: dict[str, Any], today: str | None = None) -> str:
        return T(*deadline_status(d, today))

    messages = session.flashes(request.app.state.desk.engine, request.session)
    unread = notices.unread_count(request.app.state.desk.engine, user) if user else 0  # the bell (issue 13)
    drill_date = request.app.state.desk.today().isoformat() if getattr(request.app.state, "drill", False) else None
    token = session.csrf_token(request.session)
    field = Markup(f'<input type="hidden" name="{CSRF_FIELD}" value="{escape(token)}">')
    return templates.TemplateResponse(
        request, template,
        {"lang": lang, "T": T, "csrf_field": field, "label": label, "user": user, "flashes": messages, "stage_label": stage_label,
         "path_label": path_label, "dept_label": dept_label, "role_label": role_label, "recipient_label": recipient_label,
         "short_time": short_time, "drill_date": drill_date, "deadline_status": deadline_label,
         "campaign_name": lambda campaign_id: T(*campaign_names(campaign_id)) if campaign_id else "",
         "LIGHT_LABELS": LIGHT_LABELS, "TASK_STATUS": TASK_STATUS, "DEADLINE_STATUS": DEADLINE_STATUS,
         "VERB_LABELS": {**VERB_LABELS, "close_problem": ("问题销号", "close the problem")},
         "STAGES": list(Stage), "PATHS": list(Path), "Role": Role,
         "OVERDUE_NOTICES": OVERDUE_NOTICES, "may_export": bool(user) and Role(user.role) in LEDGER_EXPORT_ROLES,
         "may_import": bool(user) and Role(user.role) in LEDGER_IMPORT_ROLES, "unread": unread, **context},
        status_code=status_code,
    )


def home_for(user: UserRecord) -> str:
    role = Role(user.role)
    if role == Role.holder and user.permit_no:
        return f"/cases/{user.permit_no}"
    if role == Role.department:
        return "/inbox"
    if role == Role.township:
        return "/township"
    return "/board"  # the office, the county, a viewer, a county leader (its own mines)


def local(target: str | None, fallback: str) -> str:
    """``target`` if it is a path on this site (no scheme, no other host), else ``fallback``."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return fallback


def back_to(request: Request, fallback: str) -> str:
    target = request.headers.get("referer") or ""
    prefix = f"{request.url.scheme}://{request.headers.get('host', '')}"
    if target.startswith(prefix + "/"):
        return local(target[len(prefix):], fallback)
    return fallback


router = APIRouter(include_in_schema=False, dependencies=[Depends(check_form_token)])


@router.get("/login")
def login_page(request: Request, next: str = "/") -> HTMLResponse:
    return render(request, "login.html", next=local(next, "/"))


@router.post("/login")
async def login(request: Request) -> Response:
    form = await request.form()
    name, password = str(form.get("name", "")), str(form.get("password", ""))
    target = str(form.get("next", "/"))
    state = request.app.state
    address = request.client.host if request.client else None
    try:
        user = await run_in_threadpool(
            session.sign_in, state.desk.engine, request.session, name, password, guard=state.sign_in_guard,
            address=address, lifetimes=state.session_lifetimes, lang=lang_of(request),
        ) if name and password else None
    except Throttled as error:
        page = render(request, "login.html", status_code=429, next=target, login_name=name, error=(error.zh, error.en))
        page.headers["Retry-After"] = str(error.retry_after)
        return page
    if user is None:
        return render(request, "login.html", status_code=401, next=target, login_name=name,
                      error=("用户名或密码错误", "wrong user name or password"))
    target = local(target, "/")
    return RedirectResponse(target if target not in ("/", "/login") else home_for(user), status_code=303)


@router.post("/logout")
def logout(request: Request) -> Response:
    session.sign_out(request.app.state.desk.engine, request.session, lang=lang_of(request))
    return RedirectResponse("/login", status_code=303)


@router.get("/lang/{lang}")
def switch_language(lang: str, request: Request) -> Response:
    request.session["lang"] = "en" if lang == "en" else "zh"
    return RedirectResponse(back_to(request, "/"), status_code=303)


@router.get("/")
def home(request: Request) -> Response:
    user = signed_in(request)
    return RedirectResponse(home_for(user) if user else "/login", status_code=303)


def _view_filters(request: Request) -> dict[str, str]:
    """The board's and the list's views: a township, a 挂点县领导, a department (cases with its open tasks), a county
    (the province's board: docs/province.md)."""
    q = request.query_params
    department = q.get("department") or ""
    return {"township": (q.get("township") or "")[:50], "leader": (q.get("leader") or "")[:50],
            "department": department if department in {d.value for d in Department} else "",
            "county": (q.get("county") or "")[:50]}


@router.get("/board")
def board_page(request: Request) -> HTMLResponse:
    user = need_user(request)
    desk: Desk = request.app.state.desk
    from operations.report_desk import campaign_phases

    view = _view_filters(request)
    board = desk.board(user, **{k: v or None for k, v in view.items()})
    kept = {k: v for k, v in view.items() if v}
    return render(request, "board.html", user=user, board=board, view=view, townships=desk.townships(user),
                  leaders=desk.leaders(user), departments=list(Department), view_query=urlencode(kept),
                  counties=desk.counties(user),
                  phases=campaign_phases(desk, user))


def _int_or_none(text: str | None, zh: str = "天数应为整数", en: str = "days must be a whole number") -> int | None:
    try:
        return int(text) if text not in (None, "") else None
    except ValueError:
        raise BadInput(zh, en) from None


LIST_PAGE_SIZE = 50
"""Cases per page of the desk's list."""


@router.get("/cases")
def cases_page(request: Request) -> HTMLResponse:
    user = need_user(request)
    desk: Desk = request.app.state.desk
    q = request.query_params
    overdue = {"yes": True, "no": False}.get(q.get("overdue", ""))
    stage = q.get("stage") if q.get("stage") in Stage.__members__ else None
    path = q.get("path") if q.get("path") in PATH_EN else None
    light = q.get("light") if q.get("light") in LIGHT_LABELS else None
    sort = q.get("sort") or None
    due_within = _int_or_none(q.get("due_within"))
    page = _int_or_none(q.get("page"), "页码应为整数", "page must be a whole number")
    page_size = _int_or_none(q.get("page_size"), "每页条数应为整数", "page size must be a whole number") or LIST_PAGE_SIZE
    text = (q.get("q") or "").strip()[:100]
    view = _view_filters(request)
    found = desk.search(user, stage=stage, township=view["township"] or None, path=path, overdue=overdue,
                        due_within=due_within, q=text or None, light=light, sort=sort, page=page or 1, page_size=page_size,
                        leader=view["leader"] or None, department=view["department"] or None, county=view["county"] or None)
    filters = {"q": text, "stage": stage or "", "township": view["township"], "path": path or "", "light": light or "",
               "overdue": q.get("overdue", ""), "due_within": q.get("due_within", ""), "sort": sort or "",
               "leader": view["leader"], "department": view["department"], "county": view["county"]}
    kept = {k: v for k, v in filters.items() if v}

    def page_url(number: int) -> str:
        return "/cases?" + urlencode({**kept, "page": number, **({"page_size": page_size} if page_size != LIST_PAGE_SIZE else {})})

    def sort_url(field: str) -> str:
        return "/cases?" + urlencode({**kept, "sort": f"-{field}" if sort == field else field})

    return render(request, "cases.html", user=user, rows=found["cases"], found=found, townships=desk.townships(user),
                  leaders=desk.leaders(user), departments=list(Department), filters=filters, page_url=page_url,
                  sort_url=sort_url)


@router.get("/cases/{permit_no}")
async def case_page(permit_no: str, request: Request) -> HTMLResponse:
    user = need_user(request)
    desk: Desk = request.app.state.desk
    case = await desk.case(user, permit_no)
    status = case["status"] or {}
    from operations.funds import funds_of

    if case["history"] is not None:  # evidence (issue 14): the case file's inspections and problems
        the_permit = case["history"]["case"]["permit_no"]
        case["inspections"] = desk.inspections(user, the_permit)
        case["problems"] = desk.problems(user, permit_no=the_permit)
    return render(request, "case.html", back_url=f"/cases/{quote(permit_no)}#problems", user=user, case=case, status=status,
                  history=case["history"], funds=funds_of(desk.engine, permit_no.strip().upper()),
                  facts=(case["history"] or {}).get("case") or status,
                  request_id=uuid.uuid4().hex, today=desk.today().isoformat(),
                  printed_at=short_time(dt.datetime.now(dt.UTC)))


FORM_FIELDS = {"path", "reason", "approve", "item", "title", "task_id", "approved", "kind", "new_last_day", "meeting",
               "comment", "request_id", "scope", "document_id", "method", "url", "on"}


@router.post("/cases/{permit_no}/act/{verb}")
async def act_from_form(permit_no: str, verb: str, request: Request) -> Response:
    user = need_user(request)
    desk: Desk = request.app.state.desk
    form = await request.form()
    data: dict[str, Any] = {k: str(v) for k, v in form.items() if k in FORM_FIELDS and str(v).strip() != ""}
    named = {k.removeprefix("deadline_"): str(v) for k, v in form.items() if k.startswith("deadline_") and str(v).strip()}
    task_id = data.get("task_id", "")
    codes = [c for c in str(form.get(f"checklist_items_{task_id}") or "").split(",") if c] if task_id else []
    if codes:  # a field acceptance's checklist (004 附件): an unticked item is sent as not met
        data["checklist"] = {code: form.get(f"check_{task_id}_{code}") == "true" for code in codes}
    if named:  # the dates a disposition names for the campaign's dates that have passed
        data["deadlines"] = named
    back = local(str(form.get("back") or ""), f"/cases/{quote(permit_no)}")
    try:
        files = await _form_files(form, "files")
        if files:  # evidence (issue 14): stored first (all checked before any is), then named by their refs
            data["attachments"] = desk.upload_attachments(user, permit_no, files)
        view = await desk.act(user, permit_no, verb, data)
    except CaseNotFound:
        raise
    except MinecaseError as error:
        flash(request, "error", error.zh, error.en)
        return RedirectResponse(back, status_code=303)
    zh, en = VERB_LABELS.get(verb, (verb, verb))
    stage = Stage(view.stage) if view.stage in Stage.__members__ else None
    what_zh, what_en = zh, en
    if "task_id" in data:  # name the task and its outcome
        outcome_zh, outcome_en = ("通过", "approved") if data.get("approved") == "true" else ("不通过", "rejected")
        what_zh, what_en = f"{zh}（任务 {data['task_id']}：{outcome_zh}）", f"{en} (task {data['task_id']}: {outcome_en})"
    elif "approve" in data:
        outcome_zh, outcome_en = ("同意", "approved") if data["approve"] == "true" else ("退回", "sent back")
        what_zh, what_en = f"{zh}（{outcome_zh}）", f"{en} ({outcome_en})"
    flash(request, "ok", f"{view.mine_name}（{view.permit_no}）：已{what_zh}。当前阶段：{stage.label_zh if stage else view.stage}",
          f"{view.mine_name} ({view.permit_no}): done: {what_en}. Stage now: {stage.label_en if stage else view.stage}")
    return RedirectResponse(back, status_code=303)


async def _form_files(form: Any, name: str) -> list[tuple[str | None, bytes]]:
    """The files a form's file input sent (an empty input sends one nameless, empty part: none)."""
    from models.attachments import MAX_ATTACHMENT_BYTES

    files = []
    for upload in form.getlist(name):
        if isinstance(upload, str) or not upload.filename:
            continue
        files.append((upload.filename, await upload.read(MAX_ATTACHMENT_BYTES + 1)))
    return files


# --- evidence (issue 14): uploads, inspections, the problem ledger --------------------------------------------


@router.post("/cases/{permit_no}/attachments")
async def upload_from_form(permit_no: str, request: Request) -> Response:
    user = need_user(request)
    desk: Desk = request.app.state.desk
    form = await request.form()
    back = f"/cases/{quote(permit_no)}#attachments"
    try:
        files = await _form_files(form, "files")
        if not files:
            raise MinecaseError("请选择要上传的文件", "choose a file to upload")
        refs = desk.upload_attachments(user, permit_no, files)
    except (CaseNotFound, Forbidden):
        raise
    except MinecaseError as error:
        flash(request, "error", error.zh, error.en)
        return RedirectResponse(back, status_code=303)
    names = "、".join(r["name"] for r in refs)
    flash(request, "ok", f"已上传：{names}", f"uploaded: {names}")
    return RedirectResponse(back, status_code=303)


def _split_people(text: str) -> list[str]:
    import re as _re

    return [p.strip() for p in _re.split(r"[、,，;；\s]+", text) if p.strip()]


@router.post("/cases/{permit_no}/inspections")
async def inspection_from_form(permit_no: str, request: Request) -> Response:
    user = need_user(request)
    desk: Desk = request.app.state.desk
    form = await request.form()
    back = f"/cases/{quote(permit_no)}#inspections"

    def text(name: str) -> str:
        value = form.get(name)
        return value.strip() if isinstance(value, str) else ""

    body: dict[str, Any] = {"permit_no": permit_no, "on": text("on"), "people": _split_people(text("people")),
                            "findings": text("findings"), "post_care": text("post_care") == "true", "photos": [], "problems": []}
    if text("problem"):
        body["problems"].append({k: text(k) for k in ("problem", "measures", "responsible_unit", "responsible_person", "due")})
    try:
        photo: dict[str, Any] = {}
        if text("lat") or text("lon"):
            try:
                photo = {"lat": float(text("lat")) if text("lat") else None, "lon": float(text("lon")) if text("lon") else None}
            except ValueError:
                raise MinecaseError("坐标应为数字（十进制度）", "coordinates are decimal degrees") from None
            if photo["lat"] is None or photo["lon"] is None or not (-90 <= photo["lat"] <= 90 and -180 <= photo["lon"] <= 180):
                raise MinecaseError("坐标超出范围：纬度 -90 至 90，经度 -180 至 180，且须同时填写",
                                    "coordinates out of bounds: latitude -90..90 and longitude -180..180, both given")
        files = await _form_files(form, "photo")
        if photo and not files:
            raise MinecaseError("填写了坐标但没有照片", "coordinates were given without a photo")
        if files:  # checked before anything is stored: a bad inspection stores no photo
            from operations.attachments import check_upload
            from operations.inspections import check_inspection

            media_type, _ = check_upload(*files[0])
            if not media_type.startswith("image/"):
                raise MinecaseError("照片应为图片文件", "a photo must be an image")
            check_inspection(desk.engine, user, {**body, "photos": []}, desk.today())
            ref = desk.upload_attachments(user, permit_no, files[:1])[0]
            body["photos"] = [{"ref": ref, **photo}]
        recorded = await desk.record_inspection(user, body)
    except (CaseNotFound, Forbidden):
        raise
    except MinecaseError as error:
        flash(request, "error", error.zh, error.en)
        return RedirectResponse(back, status_code=303)
    opened = len(recorded["problems"])
    flash(request, "ok", f"已记录检查 {recorded['inspection']['on']}" + (f"，列入问题台账 {opened} 项" if opened else ""),
          f"inspection of {recorded['inspection']['on']} recorded" + (f"; {opened} problem(s) in the ledger" if opened else ""))
    return RedirectResponse(back, status_code=303)


PROBLEM_FILTERS = ("status", "township", "unit", "permit_no")


def _problem_filters(request: Request) -> dict[str, Any]:
    params = request.query_params
    filters: dict[str, Any] = {k: params.get(k) or None for k in PROBLEM_FILTERS}
    if params.get("overdue") in ("true", "false"):
        filters["overdue"] = params.get("overdue") == "true"
    return filters


@router.get("/problems")
def problems_page(request: Request) -> HTMLResponse:
    user = need_user(request)
    desk: Desk = request.app.state.desk
    filters = _problem_filters(request)
    rows = desk.problems(user, **filters)
    export = "/api/problems.xlsx?" + urlencode({k: ("true" if v is True else "false" if v is False else v)
                                                for k, v in filters.items() if v is not None and k != "permit_no"})
    back_url = str(request.url.path) + ("?" + request.url.query if request.url.query else "")
    return render(request, "problems.html", user=user, problems=rows, filters=filters, export_url=export,
                  townships=desk.townships(user), show_mine=True, back_url=back_url)


@router.post("/problems/{problem_id}/close")
async def close_problem_from_form(problem_id: str, request: Request) -> Response:
    user = need_user(request)
    desk: Desk = request.app.state.desk
    form = await request.form()
    back = local(str(form.get("back") or ""), "/problems")
    note = form.get("note")
    try:
        from operations.inspections import problem_permit

        files = await _form_files(form, "files")
        if not files:
            raise MinecaseError("销号须附整改佐证材料（至少一个附件）", "closing a problem needs evidence: at least one file")
        permit_no = problem_permit(desk.engine, problem_id)
        from operations.inspections import REVIEW_ROLES

        if Role(user.role) not in REVIEW_ROLES:
            raise Forbidden("只有领导小组办公室、县政府或部门可以销号", "only the office, the county or a department closes a problem")
        refs = desk.upload_attachments(user, permit_no, files)
        closed = await desk.close_problem(user, problem_id, {"note": note if isinstance(note, str) else "", "evidence": refs})
    except (CaseNotFound, Forbidden):
        raise
    except MinecaseError as error:
        flash(request, "error", error.zh, error.en)
        return RedirectResponse(back, status_code=303)
    flash(request, "ok", f"问题 {closed['id']} 已销号", f"problem {closed['id']} closed")
    return RedirectResponse(back, status_code=303)


@router.get("/inbox")
async def inbox_page(request: Request) -> HTMLResponse:
    """The signed-in unit's to-do (待办), each row with its action in place; ``?done=1``: what it did (已办)."""
    user = need_user(request)
    desk: Desk = request.app.state.desk
    q = request.query_params
    department = q.get("department") or None
    township = q.get("township") or None
    showing_done = q.get("done") in ("1", "true", "yes")
    rows = desk.done(user) if showing_done else await desk.todo(user, department=department, township=township)
    return render(request, "inbox.html", user=user, rows=rows, done=showing_done, request_id=uuid.uuid4().hex,
                  may_review=Role(user.role) in (Role.department, Role.township, Role.county, Role.expert),
                  may_urge=Role(user.role) == Role.office, departments=list(Department), selected=department or "")


@router.post("/inbox/urge")
async def urge_from_inbox(request: Request) -> Response:
    """The office's 催办 from its to-do: the one row's button (``one``), or every checked row (``pick``)."""
    user = need_user(request)
    desk: Desk = request.app.state.desk
    form = await request.form()
    chosen = [str(form["one"])] if form.get("one") else [str(v) for v in form.getlist("pick")]
    picks = []
    for value in chosen:
        permit, _, rest = value.partition("|")
        task_id, _, kind = rest.partition("|")
        picks.append({"permit_no": permit, "task_id": task_id or None, "kind": kind or None})
    try:
        urged = desk.urge(user, picks, str(form.get("note") or ""))
    except Forbidden:
        raise
    except MinecaseError as error:
        flash(request, "error", error.zh, error.en)
        return RedirectResponse("/inbox", status_code=303)
    names = "、".join(f"{u['to_unit_zh']}（{u['label_zh']}）" for u in urged)
    flash(request, "ok", f"已催办 {len(urged)} 项：{names}", f"urged {len(urged)}: {names}")
    return RedirectResponse("/inbox", status_code=303)


@router.get("/township")
def township_page(request: Request) -> HTMLResponse:
    user = need_user(request)
    desk: Desk = request.app.state.desk
    name = user.township if Role(user.role) == Role.township else (request.query_params.get("name") or None)
    names = desk.townships(user)
    if name is None and names:
        name = names[0]
    if Role(user.role) in (Role.holder, Role.leader):
        raise Forbidden("无权查看乡镇页面", "you may not see the township view")
    board = desk.board(user) if Role(user.role) == Role.township else None
    rows = desk.find(user, township=name) if name else []
    tasks = desk.inbox(user, township=name) if name and Role(user.role) != Role.department else []
    tasks = [t for t in tasks if t.get("assignee_role") == "township"]
    to_act = [r for r in rows if r["stage"] in TOWNSHIP_MOVES]
    return render(request, "township.html", user=user, name=name, names=names, rows=rows, tasks=tasks, board=board,
                  to_act=to_act, TOWNSHIP_MOVES=TOWNSHIP_MOVES,
                  request_id=uuid.uuid4().hex)


def _ledger_user(request: Request) -> UserRecord:
    user = need_user(request)
    if Role(user.role) not in LEDGER_IMPORT_ROLES | LEDGER_EXPORT_ROLES:
        raise Forbidden("无权查看台账页面", "you may not see the ledger page")
    return user


@router.get("/ledger")
def ledger_page(request: Request) -> HTMLResponse:
    user = _ledger_user(request)
    return render(request, "ledger.html", user=user, report=None, filename=None)


@router.get("/ledger/template.xlsx")
def ledger_template(request: Request) -> Response:
    """The import template: the columns (with the approval items of the desk's campaign) and what each means."""
    _ledger_user(request)
    from operations.ledger import ledger_template as template

    desk: Desk = request.app.state.desk
    disposition = f"attachment; filename=\"ledger-template.xlsx\"; filename*=UTF-8''{quote('台账导入模板.xlsx')}"
    return Response(template(desk.campaign), headers={"Content-Disposition": disposition},
                    media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@router.post("/ledger")
async def ledger_upload(request: Request) -> HTMLResponse:
    """The office uploads a ledger; the page shows what was registered and which rows were rejected, and why.

    Rendered directly (not redirected): the report can be long. Posting it again is harmless.
    """
    user = _ledger_user(request)
    desk: Desk = request.app.state.desk
    form = await request.form()
    upload = form.get("file")
    if upload is None or isinstance(upload, str) or not upload.filename:
        return render(request, "ledger.html", status_code=422, user=user, report=None, filename=None,
                      error=("请选择台账文件（.xlsx 或 .csv）", "choose a ledger file (.xlsx or .csv)"))
    try:
        report: ImportReport = await desk.import_ledger(user, upload.file, upload.filename, check=bool(form.get("check")))
    except Forbidden:
        raise
    except MinecaseError as error:
        return render(request, "ledger.html", status_code=status_for(error), user=user, report=None, filename=upload.filename,
                      error=(error.zh, error.en))
    return render(request, "ledger.html", user=user, report=report, filename=upload.filename)


# --- users: the office's administration, and every user's own password -------------------------------


def _office(request: Request) -> UserRecord:
    user = need_user(request)
    if Role(user.role) != Role.office:
        raise Forbidden("只有领导小组办公室可以管理用户", "only the office manages users")
    return user


def _users_page(request: Request, user: UserRecord, status_code: int = 200, **context: Any) -> HTMLResponse:
    """The users the office manages: an office of one county (docs/province.md) its county's, and it adds no province
    user."""
    from casefile.users import USER_ROLES, list_users

    users = list_users(request.app.state.desk.engine)
    roles = [r.value for r in USER_ROLES]
    if user.county:
        users = [u for u in users if u.county == user.county]
        roles = [r for r in roles if r != Role.province.value]
    return render(request, "users.html", status_code=status_code, user=user, nav="users", users=users, roles=roles,
                  departments=list(Department), **context)


def _check_same_county(office: UserRecord, county: str | None) -> None:
    """An office of one county manages its county's users only (``county``: the user's)."""
    from casefile.users import UnknownUser

    if office.county and county != office.county:
        raise UnknownUser("没有此用户（或属于其他县）", "no such user (or another county's)")


@router.get("/users")
def users_page(request: Request) -> HTMLResponse:
    return _users_page(request, _office(request))


@router.post("/users")
async def add_user_from_form(request: Request) -> Response:
    """The office adds a user; with no password given, a random one is shown once on the page."""
    from casefile.users import UserError, add_user, new_password

    user = _office(request)
    form = await request.form()
    field = {k: str(form.get(k) or "").strip()[:200] for k in ("name", "role", "township", "department", "permit_no",
                                                                "display_name", "password", "county")}
    password = field["password"] or new_password()
    try:
        if user.county and field["role"] == Role.province.value:
            raise UserError("一个县的办公室不能添加省级用户", "the office of one county does not add province users")
        if user.county and field["county"] not in ("", user.county):
            raise UserError(f"只能添加本县（{user.county}）的用户", f"the office adds users of its own county ({user.county}) only")
        made = await run_in_threadpool(
            add_user, request.app.state.desk.engine, field["name"], password, field["role"],
            township=field["township"] or None, department=field["department"] or None,
            permit_no=field["permit_no"] or None, display_name=field["display_name"],
            county=user.county or field["county"] or None)
    except UserError as error:
        return _users_page(request, user, status_code=422, error=(error.zh, error.en))
    return _users_page(request, user, done=("已添加用户 " + made.name, "added user " + made.name),
                       shown=(made.name, None if field["password"] else password))


@router.post("/users/{name}/{change}")
async def change_user_from_form(name: str, change: str, request: Request) -> Response:
    """``disable`` (no sign-in; sessions end), ``enable``, or ``password`` (a new one; sessions end)."""
    from casefile.users import UnknownUser, UserError, new_password, set_active, set_password

    user = _office(request)
    engine = request.app.state.desk.engine
    form = await request.form()
    try:
        if user.county:  # an office of one county: its county's users only
            from casefile.users import get_any_user

            target = await run_in_threadpool(get_any_user, engine, name)
            _check_same_county(user, target.county if target else None)
        if change in ("disable", "enable"):
            if change == "disable" and name == user.name:
                raise UserError("不能停用自己", "you cannot disable yourself")
            changed = await run_in_threadpool(set_active, engine, name, change == "enable")
            done = (("已停用 " if change == "disable" else "已启用 ") + changed.name,
                    ("disabled " if change == "disable" else "enabled ") + changed.name)
            return _users_page(request, user, done=done)
        if change == "password":
            given = str(form.get("password") or "")[:200]
            password = given or new_password()
            changed = await run_in_threadpool(set_password, engine, name, password)
            if changed.name == user.name:  # the office reset its own: keep this session, under the new stamp
                session.reopen(engine, request.session, changed)
            return _users_page(request, user, done=("已重设密码 " + changed.name, "password reset for " + changed.name),
                               shown=(changed.name, None if given else password))
    except UserError as error:
        return _users_page(request, user, status_code=404 if isinstance(error, UnknownUser) else 422, error=(error.zh, error.en))
    raise CaseNotFound("没有此操作", "no such change")


@router.get("/account/password")
def password_page(request: Request) -> HTMLResponse:
    return render(request, "password.html", user=need_user(request), nav="password")


@router.post("/account/password")
async def change_password(request: Request) -> Response:
    """Every signed-in user changes their own password: the current one is checked (and throttled like a
    sign-in); every other session of the user ends, this one goes on."""
    from casefile.users import UserError, set_password

    user = need_user(request)
    form = await request.form()
    current, new, again = (str(form.get(k) or "")[:200] for k in ("current", "new", "again"))
    state = request.app.state
    address = request.client.host if request.client else None
    try:
        checked = await run_in_threadpool(session.check_password, state.desk.engine, user.name, current,
                                          guard=state.sign_in_guard, address=address)
    except Throttled as error:
        page = render(request, "password.html", status_code=429, user=user, nav="password", error=(error.zh, error.en))
        page.headers["Retry-After"] = str(error.retry_after)
        return page
    if not checked:
        return render(request, "password.html", status_code=403, user=user, nav="password",
                      error=("当前密码错误", "the current password is wrong"))
    if new != again:
        return render(request, "password.html", status_code=422, user=user, nav="password",
                      error=("两次输入的新密码不一致", "the two new passwords differ"))
    try:
        changed = await run_in_threadpool(set_password, state.desk.engine, user.name, new)
    except UserError as error:
        return render(request, "password.html", status_code=422, user=user, nav="password", error=(error.zh, error.en))
    session.reopen(state.desk.engine, request.session, changed)
    flash(request, "ok", "密码已更改；其他已登录的会话已结束", "password changed; your other sessions have ended")
    return RedirectResponse(home_for(changed), status_code=303)


def _oplog_filters(request: Request) -> tuple[oplog.Filters, dict[str, str]]:
    q = request.query_params
    kept = {k: (q.get(k) or "").strip()[:50] for k in ("user", "outcome", "since", "until")}
    filters = oplog.Filters(user=kept["user"] or None, outcome=kept["outcome"] or None,
                            since=oplog.parse_day(kept["since"], "起始 first day"),
                            until=oplog.parse_day(kept["until"], "截止 last day"))
    return filters, kept


@router.get("/oplog")
def oplog_page(request: Request) -> HTMLResponse:
    """The operation log (office): every sign-in and action, filtered by user, outcome and days, newest first."""
    user = need_user(request)
    oplog.check_may_read_oplog(user)
    desk: Desk = request.app.state.desk
    filters, kept = _oplog_filters(request)
    page = _int_or_none(request.query_params.get("page"), "页码应为整数", "page must be a whole number") or 1
    found = oplog.page_of(desk.engine, user, filters, page, oplog.PAGE_SIZE)
    chosen = {k: v for k, v in kept.items() if v}

    def page_url(number: int) -> str:
        return "/oplog?" + urlencode({**chosen, "page": number})

    return render(request, "oplog.html", user=user, found=found, filters=kept, page_url=page_url,
                  export_url="/oplog.xlsx" + ("?" + urlencode(chosen) if chosen else ""),
                  OUTCOMES=oplog.OUTCOMES, OUTCOME_LABELS=oplog.OUTCOME_LABELS, CHANNEL_LABELS=oplog.CHANNEL_LABELS)


@router.get("/oplog.xlsx")
def oplog_export(request: Request) -> Response:
    user = need_user(request)
    desk: Desk = request.app.state.desk
    filters, _ = _oplog_filters(request)
    data = oplog.export_xlsx(desk.engine, user, filters)
    day = desk.today().isoformat()
    disposition = f"attachment; filename=\"oplog-{day}.xlsx\"; filename*=UTF-8''{quote(f'操作日志-{day}.xlsx')}"
    return Response(data, headers={"Content-Disposition": disposition},
                    media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def html_error(request: Request, status: int, error: MinecaseError) -> Response:
    if isinstance(error, NotSignedIn):
        return RedirectResponse("/login?" + urlencode({"next": request.url.path}), status_code=303)
    page = render(request, "error.html", status_code=status, status=status, error=error)
    if isinstance(error, Throttled):
        page.headers["Retry-After"] = str(error.retry_after)
    return page


@router.get("/favicon.ico")
def favicon() -> Response:
    """The desk's icon (browsers ask for it on every page)."""
    return Response((HERE / "static" / "favicon.svg").read_bytes(), media_type="image/svg+xml",
                    headers={"Cache-Control": "public, max-age=86400"})


def install(app: FastAPI) -> None:
    app.state.html_error = html_error
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(router)
