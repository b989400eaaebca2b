"""The JSON API under ``/api``. Sign in with ``POST /api/session``; the session cookie carries the user.

No ``from __future__ import annotations`` here: FastAPI reads the per-verb body types at runtime.
"""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from api.downloads import XLSX_TYPE, download_disposition
from casefile.users import UserRecord
from models.attachments import MEDIA_TYPES, AttachmentRef
from models.bounds import PERMIT_NO_PATTERN
from models.messages import MineFacts
from models.stages import Path as CasePath
from models.stages import Stage
from models.views import CaseView
from operations import cases, oplog, reads, session
from operations.desk import API_BODIES, Desk, RegisterBody
from operations.inspections import CloseProblem, NewInspection, Photo
from operations.permissions import VERB_LABELS, VERB_ROLES, NotSignedIn, verbs_for


def desk(request: Request) -> Desk:
    return request.app.state.desk


def current_user(request: Request) -> UserRecord:
    return session.need_user(request.app.state.desk.engine, request.session, request.app.state.session_lifetimes)


User = Annotated[UserRecord, Depends(current_user)]
TheDesk = Annotated[Desk, Depends(desk)]


class SignIn(BaseModel):
    name: str = Field(min_length=1, max_length=50)
    password: str = Field(min_length=1, max_length=200)


class Me(BaseModel):
    name: str
    display_name: str
    role: str
    township: str | None
    department: str | None
    permit_no: str | None
    leader: str | None = None
    county: str | None = Field(default=None, description="所属县 the user's county (docs/province.md); null: every case")
    actions: list[str]

    @classmethod
    def of(cls, user: UserRecord) -> "Me":
        return cls(name=user.name, display_name=user.display_name, role=user.role, township=user.township,
                   department=user.department, permit_no=user.permit_no, leader=user.leader, county=user.county,
                   actions=verbs_for(user))


class ErrorText(BaseModel):
    zh: str
    en: str


class FieldError(BaseModel):
    loc: list[str | int] = Field(description="where: body, query or path, then the field")
    msg: str
    type: str


class ErrorDetail(BaseModel):
    zh: str = Field(description="说明（中文）")
    en: str = Field(description="the same in English")
    errors: list[FieldError] | None = Field(default=None, description="422: each field that did not validate")


class ErrorBody(BaseModel):
    """Every refusal: ``{"detail": {"zh", "en"}}`` (a 422 of the fields also lists them in ``errors``)."""

    detail: ErrorDetail


ERROR_MEANINGS = {
    400: "没有选择专项行动 no campaign chosen for this deployment (MINECASE_CAMPAIGN)",
    401: "未登录，或会话已结束 not signed in, or the session has ended",
    403: "角色或范围不允许，或请求来自其他网站 not your role or scope, or a request from another site",
    404: "没有这个案件、文书或任务 no such case, document or task",
    409: "案件所处阶段或整治方案的规则不接受此输入，案件未变 the case's stage or a rule of the plan refuses it; nothing changed",
    413: "请求内容过大 the request body is over the limit (64 KB; a ledger upload 20 MB)",
    422: "输入有误（字段、格式、长度、无法解析的请求内容或文件）bad input: a field, format or length, a body that is not "
         "JSON in UTF-8, or a file that is not a readable ledger",
    429: "登录失败次数过多，稍后再试 too many failed sign-ins: try again after Retry-After seconds",
    503: "案件服务（Temporal）或 PDF 打印暂时不可用 the case service (Temporal) or PDF printing is unavailable",
}
RETRY_AFTER = {"Retry-After": {"description": "秒 seconds to wait", "schema": {"type": "integer"}}}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The refusals a route can answer, each in the error contract (``ErrorBody``, application/json)."""
    return {code: {"model": ErrorBody, "description": ERROR_MEANINGS[code], **({"headers": RETRY_AFTER} if code == 429 else {})}
            for code in codes}


WRITE = (403, 413, 422)
"""What any unsafe request can be refused with before its route runs: another site (DeskGuard), a body over the
limit (BodyLimit), a body that cannot be parsed or does not validate."""

PermitNo = Annotated[str, Path(pattern=PERMIT_NO_PATTERN, max_length=64,
                               description="采矿许可证号 permit number: C and 22 digits (surrounding spaces and a lower-case c "
                               "are read as the same number)")]
DocumentId = Annotated[str, Path(max_length=100, description="文书编号 the document's id, e.g. C…-D01")]

router = APIRouter(prefix="/api")


@router.post("/session", tags=["session"], summary="登录 sign in", responses=errors(401, *WRITE, 429))
def sign_in(form: SignIn, request: Request) -> Me:
    state = request.app.state
    user = session.sign_in(state.desk.engine, request.session, form.name, form.password, guard=state.sign_in_guard,
                           address=request.client.host if request.client else None, lifetimes=state.session_lifetimes)
    if user is None:
        raise NotSignedIn("用户名或密码错误", "wrong user name or password")
    return Me.of(user)


@router.delete("/session", tags=["session"], summary="退出 sign out", responses=errors(403, 413))
def sign_out(request: Request) -> dict[str, bool]:
    session.sign_out(request.app.state.desk.engine, request.session)
    return {"signed_out": True}


@router.get("/me", tags=["session"], summary="当前用户 the signed-in user", responses=errors(401))
def me(user: User) -> Me:
    return Me.of(user)


VIEW_QUERIES = {
    "township": "乡镇 a township's cases",
    "leader": "挂点县领导 the mines of that county leader (as the ledger's 挂点县领导 column names them)",
    "department": "部门代码 the cases with that department's open tasks, e.g. natural_resources",
    "county": "县 the cases of that county (a province deployment: a county's user reads its own county whatever it asks)",
}


@router.get("/board", tags=["reads"], summary="看板 the board: counts per stage, township and leader, lights, overdue first",
            description="`township`, `leader` and `department` narrow the board to one view (a leader's sign-in sees only "
            "its own mines, a township's only its own, whatever they ask).", responses=errors(401, 422))
def get_board(
    user: User, d: TheDesk,
    township: Annotated[str | None, Query(max_length=50, description=VIEW_QUERIES["township"])] = None,
    leader: Annotated[str | None, Query(max_length=50, description=VIEW_QUERIES["leader"])] = None,
    department: Annotated[str | None, Query(max_length=40, description=VIEW_QUERIES["department"])] = None,
    county: Annotated[str | None, Query(max_length=50, description=VIEW_QUERIES["county"])] = None,
) -> dict[str, Any]:
    return d.board(user, township=township, leader=leader, department=department, county=county)


PAGE_MAX = 1_000_000
SortField = Literal[(*reads.SORTS, *(f"-{field}" for field in reads.SORTS))]  # type: ignore[valid-type]

PAGING_HEADERS = {
    "X-Total-Count": {"description": "符合条件的案件总数 cases matching", "schema": {"type": "integer"}},
    "X-Page": {"description": "本页页码 this page (from 1)", "schema": {"type": "integer"}},
    "X-Page-Size": {"description": "每页条数 page size", "schema": {"type": "integer"}},
    "X-Pages": {"description": "总页数 pages", "schema": {"type": "integer"}},
    "Link": {"description": "RFC 8288: rel=next / prev / first / last", "schema": {"type": "string"}},
}


@router.get("/cases", tags=["reads"], summary="案件列表 cases: filtered, searched, sorted, paged",
            description="The body is the page's cases (a list); the headers say the total and the page: `X-Total-Count`, "
            "`X-Page`, `X-Page-Size`, `X-Pages` and a `Link` to the next and previous pages. Without `page` and `page_size` "
            f"the page is the whole list; `page_size` is at most {reads.PAGE_SIZE_MAX}. Default order (`sort=due`): overdue "
            "first, then red, then the nearest due date of every open obligation (deadlines and tasks). `-field` sorts "
            "descending. A bad `page`, `page_size`, `sort` or `light` is a 422.",
            responses={200: {"headers": PAGING_HEADERS}, **errors(401, 422)})
def get_cases(
    request: Request, response: Response, user: User, d: TheDesk,
    stage: Stage | None = None,
    township: Annotated[str | None, Query(max_length=50)] = None,
    path: CasePath | None = None,
    overdue: bool | None = None,
    due_within: Annotated[int | None, Query(ge=0, le=3650, description="最近的待办期限（期限或任务）在 N 天内 the nearest open "
                                            "deadline or task within N days")] = None,
    q: Annotated[str | None, Query(max_length=100, description="矿山名称、采矿权人或采矿许可证号片段 mine name, holder "
                                   "or part of the permit number")] = None,
    light: Annotated[Literal["red", "yellow", "green", "none"] | None, Query(description="灯色 light")] = None,
    page: Annotated[int | None, Query(ge=1, le=PAGE_MAX, description="页码，从 1 起 page, from 1")] = None,
    page_size: Annotated[int | None, Query(ge=1, le=reads.PAGE_SIZE_MAX,
                                           description=f"每页条数 page size, 1–{reads.PAGE_SIZE_MAX}")] = None,
    sort: Annotated[SortField | None, Query(description=f"排序 sort: {', '.join(reads.SORTS)}; -field descending")] = None,
    leader: Annotated[str | None, Query(max_length=50, description=VIEW_QUERIES["leader"])] = None,
    department: Annotated[str | None, Query(max_length=40, description=VIEW_QUERIES["department"])] = None,
    county: Annotated[str | None, Query(max_length=50, description=VIEW_QUERIES["county"])] = None,
) -> list[dict[str, Any]]:
    found = d.search(user, stage=stage.value if stage else None, township=township, path=path.value if path else None,
                     overdue=overdue, due_within=due_within, q=q, light=light, page=page, page_size=page_size, sort=sort,
                     leader=leader or None, department=department or None, county=county or None)
    response.headers.update({"X-Total-Count": str(found["total"]), "X-Page": str(found["page"]),
                             "X-Page-Size": str(found["page_size"]), "X-Pages": str(found["pages"])})
    if page is not None or page_size is not None:
        def at(number: int) -> str:
            return f'<{request.url.include_query_params(page=number, page_size=found["page_size"])}>'
        links = [f'{at(1)}; rel="first"', f'{at(found["pages"])}; rel="last"']
        if found["page"] > 1:
            links.append(f'{at(min(found["page"] - 1, found["pages"]))}; rel="prev"')
        if found["page"] < found["pages"]:
            links.append(f'{at(found["page"] + 1)}; rel="next"')
        response.headers["Link"] = ", ".join(links)
    return found["cases"]


@router.get("/cases/{permit_no}", tags=["reads"], summary="案件 live status, case-file history and what you may do",
            responses=errors(401, 403, 404, 422, 503))
async def get_case(permit_no: PermitNo, user: User, d: TheDesk) -> dict[str, Any]:
    return await d.case(user, permit_no)


DOCUMENT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@router.get("/cases/{permit_no}/documents/{document_id}.pdf", tags=["reads"],
            summary="文书 PDF a document issued from the case, printed to PDF",
            response_class=Response,
            responses={200: {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
                             "description": "PDF"}, **errors(401, 403, 404, 422, 503)})
async def get_document_pdf(permit_no: PermitNo, document_id: DocumentId, user: User, d: TheDesk) -> Response:
    pdf, filename = await d.document_pdf(user, permit_no, document_id)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": download_disposition(filename, f"{document_id}.pdf")})


@router.get("/cases/{permit_no}/dossier.pdf", tags=["reads"],
            summary="案卷 the case's dossier bound now: cover, contents, documents, service, filings, reviews, timeline (office, county)",
            response_class=Response,
            responses={200: {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
                             "description": "PDF"}, **errors(401, 403, 404, 422, 503)})
async def get_dossier_pdf(permit_no: PermitNo, user: User, d: TheDesk) -> Response:
    pdf, filename = await d.dossier_pdf(user, permit_no)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": download_disposition(filename, "dossier.pdf"), "Cache-Control": "no-store"})


@router.get("/cases/{permit_no}/documents/{document_id}", tags=["reads"], summary="文书 a document issued from the case (HTML)",
            response_class=Response,  # not HTMLResponse: FastAPI would document the refusals as text/html too
            responses={200: {"content": {"text/html": {"schema": {"type": "string"}}}, "description": "HTML"},
                       **errors(401, 403, 404, 422)})
def get_document(
    permit_no: PermitNo, document_id: DocumentId, user: User, d: TheDesk,
    download: Annotated[bool, Query(description="作为附件下载 as an attachment (.html)")] = False,
) -> HTMLResponse:
    html, stem = d.document_info(user, permit_no, document_id)
    headers = {"Content-Security-Policy": DOCUMENT_CSP}
    if download:
        headers["Content-Disposition"] = download_disposition(f"{stem}.html", f"{document_id}.html")
    return HTMLResponse(html, headers=headers)


# -- evidence: attachments (issue 14) -------------------------------------------------------------------

ATTACHMENT_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
"""For a file served to view: nothing in it may run. PDFs are left to the browser's viewer (a sandbox blocks it)."""


class AttachmentRefBody(BaseModel):
    sha256: str
    name: str
    media_type: str
    size: int


Sha256 = Annotated[str, Path(pattern=r"^[0-9a-fA-F]{64}$", description="附件的 SHA-256 the file's SHA-256, 64 hex digits")]
BINARY = {"schema": {"type": "string", "format": "binary"}}


@router.post("/cases/{permit_no}/attachments", tags=["evidence"], status_code=201,
             summary="上传附件 upload a file to a case (multipart `file`): its ref",
             description="PDF, images (JPEG, PNG, GIF, WebP) and Office documents, judged by their content; at most "
             "20 MB. Stored content-addressed by SHA-256; the answer is the ref (`sha256`, `name`, `media_type`, `size`) "
             "that an act then names in its `attachments`. 413 over the limit, 422 an empty file or a file of another kind "
             "(judged by its content, which a schema cannot say): nothing stored.",
             responses=errors(401, *WRITE, 404))
async def post_attachment(permit_no: PermitNo, user: User, d: TheDesk,
                          file: Annotated[UploadFile, File(description="附件 the file (not empty; at most 20 MB)",
                                                           json_schema_extra={"minLength": 1})]) -> AttachmentRefBody:
    from fastapi.concurrency import run_in_threadpool

    from models.attachments import MAX_ATTACHMENT_BYTES

    data = await file.read(MAX_ATTACHMENT_BYTES + 1)
    ref = await run_in_threadpool(d.upload_attachment, user, permit_no, file.filename, data)
    return AttachmentRefBody.model_validate(ref)


@router.get("/cases/{permit_no}/attachments", tags=["evidence"], summary="附件列表 the case's files and what they are attached to",
            responses=errors(401, 403, 404, 422))
async def get_attachments(permit_no: PermitNo, user: User, d: TheDesk) -> list[dict[str, Any]]:
    from fastapi.concurrency import run_in_threadpool

    return await run_in_threadpool(d.list_attachments, user, permit_no)


@router.get("/cases/{permit_no}/attachments/{sha256}", tags=["evidence"], summary="下载附件 one file of the case",
            response_class=Response,
            responses={200: {"content": dict.fromkeys(MEDIA_TYPES, BINARY), "description": "the file"},
                       **errors(401, 403, 404, 422)})
async def get_attachment(
    permit_no: PermitNo, sha256: Sha256, user: User, d: TheDesk,
    download: Annotated[bool, Query(description="作为附件下载 as a download rather than inline")] = False,
) -> Response:
    from fastapi.concurrency import run_in_threadpool

    data, info = await run_in_threadpool(d.attachment, user, permit_no, sha256)
    inline = not download and (info["media_type"].startswith("image/") or info["media_type"] == "application/pdf")
    from operations.attachments import EXTENSIONS

    disposition = download_disposition(info["name"], f"{sha256[:12]}{EXTENSIONS.get(info['media_type'], '')}", inline=inline)
    headers = {"Content-Disposition": disposition, "X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=3600"}
    if info["media_type"] != "application/pdf":
        headers["Content-Security-Policy"] = ATTACHMENT_CSP
    return Response(data, media_type=info["media_type"], headers=headers)


# -- evidence: inspections and the problem ledger (issue 14) -----------------------------------------------


class PhotoRefBody(AttachmentRef):
    media_type: str = Field(max_length=100, description="类型 an image type, found by content sniffing",
                            json_schema_extra={"enum": [t for t in MEDIA_TYPES if t.startswith("image/")]})


class PhotoBody(Photo):
    """A photo and, optionally, where it was taken: both coordinates or neither."""

    model_config = ConfigDict(json_schema_extra={"dependentRequired": {"lat": ["lon"], "lon": ["lat"]}})

    ref: PhotoRefBody
    lat: float = Field(default=None, ge=-90, le=90, description="纬度 WGS84 latitude (with `lon`)")  # type: ignore[assignment]
    lon: float = Field(default=None, ge=-180, le=180, description="经度 WGS84 longitude (with `lat`)")  # type: ignore[assignment]


class InspectionBody(NewInspection):
    permit_no: str = Field(pattern=PERMIT_NO_PATTERN, max_length=64, description="采矿许可证号 permit number")  # type: ignore[assignment]
    photos: list[PhotoBody] = Field(default_factory=list, max_length=20)  # type: ignore[assignment]


PermitQuery = Annotated[str | None, Query(pattern=PERMIT_NO_PATTERN, max_length=64, description="采矿许可证号 one case's")]
UnitQuery = Annotated[str | None, Query(max_length=100, description="责任单位 responsible unit")]
ProblemStatus = Annotated[Literal["open", "closed"] | None, Query(description="open 整改中 | closed 已销号")]
ProblemId = Annotated[str, Path(max_length=40, description="问题编号 the problem's id, e.g. P…")]


@router.post("/inspections", tags=["evidence"], status_code=201,
             summary="记录检查 record an inspection (township, department, office) and the problems it finds",
             description="JSON: `permit_no`, `on`, `people`, `findings`, `photos` (each `ref` — an uploaded image's ref — "
             "and optional WGS84 `lat`/`lon`, both or neither), `post_care`, `problems` (each `problem`, `measures`, "
             "`responsible_unit`, `responsible_person`, `due`). A bad field or coordinates out of bounds: 422; a date after "
             "today, a time limit before the inspection or a photo not uploaded to the case (what a schema cannot say): "
             "422 too. Nothing is stored.",
             responses=errors(401, *WRITE, 404, 503))
async def post_inspection(body: InspectionBody, user: User, d: TheDesk) -> dict[str, Any]:
    return await d.record_inspection(user, body)


@router.get("/inspections", tags=["evidence"], summary="检查记录 inspections the signed-in user may read",
            responses=errors(401, 403, 404, 422))
async def get_inspections(user: User, d: TheDesk, permit_no: PermitQuery = None) -> list[dict[str, Any]]:
    from fastapi.concurrency import run_in_threadpool

    return await run_in_threadpool(d.inspections, user, permit_no)


@router.get("/problems", tags=["evidence"], summary="问题台账 the problem ledger, overdue first",
            responses=errors(401, 403, 404, 422))
async def get_problems(
    user: User, d: TheDesk, permit_no: PermitQuery = None, status: ProblemStatus = None,
    township: Annotated[str | None, Query(max_length=50)] = None, unit: UnitQuery = None,
    overdue: bool | None = None,
) -> list[dict[str, Any]]:
    from fastapi.concurrency import run_in_threadpool

    return await run_in_threadpool(lambda: d.problems(user, permit_no=permit_no, status=status, township=township,
                                                      unit=unit, overdue=overdue))


class CloseProblemBody(CloseProblem):
    evidence: list[AttachmentRef] = Field(min_length=1, max_length=20,  # type: ignore[assignment]
                                          description="整改佐证 at least one file of the case")


@router.post("/problems/{problem_id}/close", tags=["evidence"], summary="销号 close a problem with evidence (reviewer)",
             description="Closing needs at least one file uploaded to the case as evidence: without it, 422 and nothing "
             "changes; a problem already closed, or evidence not uploaded to its case, is a 422 too.",
             responses=errors(401, *WRITE, 404))
async def post_problem_close(problem_id: ProblemId, body: CloseProblemBody, user: User, d: TheDesk) -> dict[str, Any]:
    return await d.close_problem(user, problem_id, body.model_dump())


@router.get("/problems.xlsx", tags=["evidence"], summary="导出问题台账 the problem ledger (.xlsx)",
            response_class=Response,
            responses={200: {"content": {XLSX_TYPE: BINARY}, "description": "问题台账 .xlsx"}, **errors(401, 403, 422)})
async def get_problems_xlsx(
    user: User, d: TheDesk, status: ProblemStatus = None, township: Annotated[str | None, Query(max_length=50)] = None,
    unit: UnitQuery = None, overdue: bool | None = None,
) -> Response:
    from fastapi.concurrency import run_in_threadpool

    from operations.inspections import export_problems

    rows = await run_in_threadpool(lambda: d.problems(user, status=status, township=township, unit=unit, overdue=overdue))
    day = d.today().isoformat()
    return Response(export_problems(rows), media_type=XLSX_TYPE,
                    headers={"Content-Disposition": download_disposition(f"问题台账-{day}.xlsx", f"problems-{day}.xlsx")})


@router.get("/inbox", tags=["reads"], summary="待办 the signed-in unit's to-do (已办 with done=true)",
            description="What the signed-in unit owes now, overdue first: each item names its `verb` (the action's code: "
            "`propose_disposition`, `decide_disposition`, `decide_renewal`, `record_review`, `serve_document`, "
            "`submit_document`, `report_works_done`, `apply_cancellation`, …), `permit_no`, `mine_name`, `task_id` (a task) "
            "or null, `due`, `days_left` (negative: overdue), `overdue`, and who owes it (`owner`, `owner_zh`). A task's item "
            "keeps the task's fields (`id`, `kind`, `subject_zh`, `department`, `township`, …). The office's holds its "
            "supervision (`supervision`: `overdue` anywhere, `unserved` documents). `department`/`township` narrow the "
            "office's and the county's list to what that unit owes. `done=true`: what the unit did (已办), newest first.",
            responses=errors(401, 422, 503))
async def get_inbox(
    user: User, d: TheDesk, department: Annotated[str | None, Query(max_length=50)] = None,
    township: Annotated[str | None, Query(max_length=50)] = None,
    done: Annotated[bool, Query(description="已办 what the unit did")] = False,
    permit_no: Annotated[str | None, Query(pattern=PERMIT_NO_PATTERN, max_length=64,
                                           description="已办：只看这座矿山 done: on this mine only")] = None,
) -> list[dict[str, Any]]:
    if done:
        return d.done(user, permit_no)
    return await d.todo(user, department=department, township=township)


class UrgePick(BaseModel):
    permit_no: str = Field(min_length=1, max_length=40)
    task_id: str | None = Field(default=None, max_length=60, description="the overdue task's id")
    kind: str | None = Field(default=None, max_length=60, description="or the overdue obligation's kind (a period's kind)")


class UrgeBody(BaseModel):
    items: list[UrgePick] = Field(min_length=1, max_length=200)
    note: str = Field(default="", max_length=500)


@router.post("/urges", tags=["actions"], summary="催办 urge the units owing overdue items (office)", status_code=201,
             description="One 催办 per item, recorded to the unit the office's to-do names as owing it, and shown on the "
             "case page. Every item must be overdue in the office's to-do now, or nothing is recorded (409).",
             responses=errors(401, *WRITE, 409))
def post_urges(body: UrgeBody, user: User, d: TheDesk) -> list[dict[str, Any]]:
    return d.urge(user, [p.model_dump() for p in body.items], body.note)


class ProposalRow(BaseModel):
    task_id: str
    consequence: str
    subject_zh: str
    subject_en: str
    assignee_role: str


class RegisteredRow(BaseModel):
    row: int
    permit_no: str
    mine_name: str
    township: str
    created: bool = Field(description="新登记 true; 已有此案件 false (already registered)")
    status: str = Field(default="taken_in", description="taken_in 已导入 | existing 已登记 | checked 可导入（只检查）| partial 部分导入")
    stage: str | None = Field(default=None, description="按台账记载的历史到达的阶段 the stage its history reached")
    stage_label_zh: str | None = None
    acts: int = Field(default=0, description="记入的行为数 acts recorded from its dates")
    proposals: list[ProposalRow] = Field(default_factory=list, description="待决定的处理建议 consequences awaiting a decision")
    notes: list[ErrorText] = Field(default_factory=list)


class RejectedRow(BaseModel):
    row: int = Field(description="行号（表头为第1行）row number, the heading is row 1")
    permit_no: str
    reasons: list[ErrorText]


class LedgerReport(BaseModel):
    created: int = Field(description="新登记 cases created")
    existing: int = Field(description="已有 already registered (no second case)")
    rejected_count: int = Field(description="未导入 rows rejected (all of them, listed or not)")
    check: bool = Field(default=False, description="只检查，未登记 checked only: nothing registered")
    checked: int = Field(default=0, description="通过全部检查（只检查时）rows that passed every check")
    registered: list[RegisteredRow]
    rejected: list[RejectedRow] = Field(description="前200行未导入的行及原因 the first 200 rejected rows with their reasons")


@router.post("/ledger", tags=["ledger"], summary="导入台账 import a ledger (.xlsx or .csv; office)",
             description="Every row is checked (its dates too, and its history tried on the rules); rejected rows come back "
             "with all their reasons and are not registered; good rows are registered one case each, with their history. "
             "Registering is idempotent by permit number: uploading the same ledger again creates nothing new. "
             "`check=true`: nothing is registered. Columns: docs/ledger-import.md.",
             responses=errors(400, 401, *WRITE, 503))
async def post_ledger(
    user: User, d: TheDesk,
    file: Annotated[UploadFile, File(description="台账 .xlsx / .csv（文件名须以 .xlsx 或 .csv 结尾 the name ends in .xlsx or .csv; "
                                     "not empty; at most 20 MB)", json_schema_extra={"minLength": 1})],
    check: Annotated[bool, Query(description="只检查，不登记 check only, register nothing")] = False,
) -> LedgerReport:
    report = await d.import_ledger(user, file.file, file.filename, check=check)
    return LedgerReport.model_validate(report.as_dict())


@router.get("/ledger.xlsx", tags=["ledger"], summary="导出台账 the ledger and per-township statistics (.xlsx)",
            response_class=Response,
            responses={200: {"content": {XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}}}, "description": "台账 .xlsx"},
                       **errors(401, 403)})
def get_ledger_xlsx(user: User, d: TheDesk) -> Response:
    data = d.export_ledger(user)
    day = d.today().isoformat()
    return Response(data, media_type=XLSX_TYPE,
                    headers={"Content-Disposition": download_disposition(f"台账-{day}.xlsx", f"ledger-{day}.xlsx")})


@router.post("/cases", tags=["actions"], summary="登记案件 register a case (office)", status_code=201,
             description="Registering is idempotent by permit number: `created` is false when the case exists.",
             responses=errors(400, 401, 404, *WRITE, 503))
async def post_case(
    facts: RegisterBody, user: User, d: TheDesk,  # type: ignore[valid-type]
    campaign: Annotated[str | None, Query(max_length=64, description="专项行动（默认本部署的 MINECASE_CAMPAIGN）the campaign "
                                          "to register under; an office of one county registers into its county's only")] = None,
) -> cases.Registration:
    return await d.register(user, MineFacts.model_validate(facts.model_dump()), campaign)


def _action_endpoint(verb: str):
    body_model = API_BODIES[verb]

    async def endpoint(permit_no: PermitNo, body: body_model, user: User, d: TheDesk) -> CaseView:  # type: ignore[valid-type]
        return await d.act(user, permit_no, verb, body)

    endpoint.__name__ = f"post_{verb}"
    return endpoint


for _verb in cases.VERBS:
    _zh, _en = VERB_LABELS.get(_verb, (_verb, _verb))
    _roles = ", ".join(sorted(r.value for r in VERB_ROLES.get(_verb, ())))
    router.add_api_route(
        f"/cases/{{permit_no}}/{_verb}", _action_endpoint(_verb), methods=["POST"], tags=["actions"],
        summary=f"{_zh} {_en}", description=f"Roles: {_roles or 'none'}. 409 when the case's stage or a rule of the plan refuses it.",
        responses=errors(401, *WRITE, 404, 409, 503),
    )


# -- notices (issue 13) -------------------------------------------------------------------------------------


@router.get("/notices", tags=["reads"], summary="通知 the signed-in person's notices across cases, with their deliveries",
            description="Newest first: `id`, `permit_no`, `mine_name`, `at`, `kind`, `text_zh`, `text_en`, `recipients`, `read`, and "
            "`deliveries` (one per recipient and channel: `channel`, `status` queued|sent|failed, `attempts`, `reason`). "
            "`undelivered=true` (the office only): every delivery still queued or failed, across cases.",
            responses=errors(401, 403, 422))
async def get_notices(
    user: User, d: TheDesk, undelivered: Annotated[bool, Query(description="未送达 the office's view")] = False,
) -> list[dict[str, Any]]:
    from fastapi.concurrency import run_in_threadpool

    from operations import notices

    if undelivered:
        return await run_in_threadpool(notices.undelivered, d.engine, user)
    return await run_in_threadpool(notices.my_notices, d.engine, user)


NoticeId = Annotated[str, Path(max_length=100, description="通知编号 the notice's id")]


@router.post("/notices/{notice_id}/read", tags=["reads"], summary="标为已读 mark one of the person's notices read",
             description="A notice that is not the person's (or no notice at all) is a 403.", responses=errors(401, *WRITE))
async def post_notice_read(notice_id: NoticeId, user: User, d: TheDesk) -> dict[str, str]:
    from fastapi.concurrency import run_in_threadpool

    from operations import notices

    permit_no = await run_in_threadpool(notices.open_notice, d.engine, user, notice_id)
    return {"id": notice_id, "permit_no": permit_no}


class OplogReason(BaseModel):
    zh: str
    en: str


class OplogEntry(BaseModel):
    id: int
    at: str = Field(description="时间（北京时间，ISO 8601）when, China Standard Time")
    channel: Literal["api", "desk", "cli"]
    action: str = Field(description="sign_in, sign_out, register, ledger_import, ledger_check, urge, users, a verb, or request")
    method: str
    path: str
    user: str | None = Field(description="用户，或登录时所用的名字 the user, or the name a sign-in tried")
    role: str | None
    unit: str | None = Field(description="乡镇、部门或采矿许可证号 township, department or permit (holder)")
    address: str | None = Field(description="客户端地址 the client's address (cli: user@host)")
    permit_no: str | None
    outcome: Literal["ok", "refused", "error"]
    status: int | None = Field(description="HTTP 状态码（命令行：退出码）the HTTP status (cli: exit code)")
    reason: OplogReason


class OplogPage(BaseModel):
    total: int
    page: int
    page_size: int
    pages: int
    entries: list[OplogEntry] = Field(description="最新的在前 newest first")


OplogUser = Annotated[str | None, Query(max_length=50, description="用户名 a user's name")]
OplogOutcome = Annotated[Literal["ok", "refused", "error"] | None, Query(description="结果 outcome")]
DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
OplogSince = Annotated[str | None, Query(pattern=DAY, json_schema_extra={"format": "date"},
                                         description="起始日（北京时间，含）first day, China Standard Time, YYYY-MM-DD")]
OplogUntil = Annotated[str | None, Query(pattern=DAY, json_schema_extra={"format": "date"},
                                         description="截止日（北京时间，含）last day, China Standard Time, YYYY-MM-DD")]


def oplog_filters(user_name: str | None, outcome: str | None, since: str | None, until: str | None) -> oplog.Filters:
    return oplog.Filters(user=user_name or None, outcome=outcome, since=oplog.parse_day(since, "起始 first day"),
                         until=oplog.parse_day(until, "截止 last day"))


@router.get("/oplog", tags=["oplog"], summary="操作日志 the operation log (office)",
            description="Every sign-in (success, failure, throttled) and every action (actions on cases, registrations, "
            "ledger imports, urges, changes of users; the command line's actions too), newest first: who (user, role, "
            "unit), from where (address), when (China Standard Time), what (action, method, path, permit) and how it "
            "ended (`ok`, `refused` with the reason, or `error`). A first day after the last day finds nothing.",
            responses=errors(401, 403, 422))
def get_oplog(user: User, d: TheDesk, user_name: Annotated[str | None, Query(alias="user", max_length=50,
                                                                              description="用户名 a user's name")] = None,
              outcome: OplogOutcome = None, since: OplogSince = None, until: OplogUntil = None,
              page: Annotated[int, Query(ge=1, le=PAGE_MAX)] = 1,
              page_size: Annotated[int, Query(ge=1, le=oplog.PAGE_SIZE_MAX)] = oplog.PAGE_SIZE) -> OplogPage:
    filters = oplog_filters(user_name, outcome, since, until)
    return OplogPage.model_validate(oplog.page_of(d.engine, user, filters, page, page_size))


@router.get("/oplog.xlsx", tags=["oplog"], summary="导出操作日志 the operation log as .xlsx (office)",
            response_class=Response,
            responses={200: {"content": {XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}}},
                             "description": "操作日志 .xlsx"}, **errors(401, 403, 422)})
def get_oplog_xlsx(user: User, d: TheDesk, user_name: Annotated[str | None, Query(alias="user", max_length=50)] = None,
                   outcome: OplogOutcome = None, since: OplogSince = None, until: OplogUntil = None) -> Response:
    filters = oplog_filters(user_name, outcome, since, until)
    data = oplog.export_xlsx(d.engine, user, filters)
    day = d.today().isoformat()
    return Response(data, media_type=XLSX_TYPE,
                    headers={"Content-Disposition": download_disposition(f"操作日志-{day}.xlsx", f"oplog-{day}.xlsx")})
