"""The JSON API under ``/api``. Sign in with ``POST /api/session``; the session cookie carries the user.

No ``from __future__ import annotations`` here: FastAPI reads the per-verb body types at runtime.
"""

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from api.permissions import NotSignedIn, VERB_LABELS, VERB_ROLES, verbs_for
from api.service import BODIES, Desk
from casefile.users import UserRecord, authenticate, get_user
from models.messages import MineFacts
from models.stages import Path, Stage
from models.views import CaseView
from operations import cases

SESSION_KEY = "user"


def desk(request: Request) -> Desk:
    return request.app.state.desk


def current_user(request: Request) -> UserRecord:
    name = request.session.get(SESSION_KEY)
    user = get_user(request.app.state.desk.engine, name) if name else None
    if user is None:
        raise NotSignedIn("请先登录", "please sign in")
    return user


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
    actions: list[str]

    @classmethod
    def of(cls, user: UserRecord) -> "Me":
        return cls(name=user.name, display_name=user.display_name, role=user.role, township=user.township,
                   department=user.department, permit_no=user.permit_no, actions=verbs_for(user))


class ErrorText(BaseModel):
    zh: str
    en: str


class ErrorBody(BaseModel):
    detail: ErrorText


ERRORS = {code: {"model": ErrorBody} for code in (401, 403, 404, 422)}

router = APIRouter(prefix="/api", responses=ERRORS)


@router.post("/session", tags=["session"], summary="登录 sign in")
def sign_in(form: SignIn, request: Request) -> Me:
    user = authenticate(request.app.state.desk.engine, form.name, form.password)
    if user is None:
        raise NotSignedIn("用户名或密码错误", "wrong user name or password")
    request.session.clear()
    request.session[SESSION_KEY] = user.name
    return Me.of(user)


@router.delete("/session", tags=["session"], summary="退出 sign out")
def sign_out(request: Request) -> dict[str, bool]:
    request.session.clear()
    return {"signed_out": True}


@router.get("/me", tags=["session"], summary="当前用户 the signed-in user")
def me(user: User) -> Me:
    return Me.of(user)


@router.get("/board", tags=["reads"], summary="看板 the board: counts per stage and township, lights, overdue first")
def get_board(user: User, d: TheDesk) -> dict[str, Any]:
    return d.board(user)


@router.get("/cases", tags=["reads"], summary="案件列表 cases, filtered")
def get_cases(
    user: User, d: TheDesk,
    stage: Stage | None = None,
    township: str | None = None,
    path: Path | None = None,
    overdue: bool | None = None,
    due_within: Annotated[int | None, Query(ge=0, le=3650, description="下一期限在 N 天内 next deadline within N days")] = None,
) -> list[dict[str, Any]]:
    return d.find(user, stage=stage.value if stage else None, township=township, path=path.value if path else None,
                  overdue=overdue, due_within=due_within)


@router.get("/cases/{permit_no}", tags=["reads"], summary="案件 live status, case-file history and what you may do")
async def get_case(permit_no: str, user: User, d: TheDesk) -> dict[str, Any]:
    return await d.case(user, permit_no)


DOCUMENT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@router.get("/cases/{permit_no}/documents/{document_id}", tags=["reads"], summary="文书 a document issued from the case (HTML)",
            response_class=HTMLResponse)
def get_document(permit_no: str, document_id: str, user: User, d: TheDesk) -> HTMLResponse:
    return HTMLResponse(d.document(user, permit_no, document_id), headers={"Content-Security-Policy": DOCUMENT_CSP})


@router.get("/inbox", tags=["reads"], summary="待办 a department's or township's open tasks")
def get_inbox(
    user: User, d: TheDesk, department: str | None = None, township: str | None = None, open_only: bool = True,
) -> list[dict[str, Any]]:
    return d.inbox(user, department=department, township=township, open_only=open_only)


@router.post("/cases", tags=["actions"], summary="登记案件 register a case (office)", status_code=201)
async def post_case(facts: MineFacts, user: User, d: TheDesk) -> cases.Registration:
    return await d.register(user, facts)


def _action_endpoint(verb: str):
    body_model = BODIES[verb]

    async def endpoint(permit_no: str, body: body_model, user: User, d: TheDesk) -> CaseView:  # type: ignore[valid-type]
        return await d.act(user, permit_no, verb, body)

    endpoint.__name__ = f"post_{verb}"
    return endpoint


for _verb in cases.VERBS:
    _zh, _en = VERB_LABELS.get(_verb, (_verb, _verb))
    _roles = ", ".join(sorted(r.value for r in VERB_ROLES.get(_verb, ())))
    router.add_api_route(
        f"/cases/{{permit_no}}/{_verb}", _action_endpoint(_verb), methods=["POST"], tags=["actions"],
        summary=f"{_zh} {_en}", description=f"Roles: {_roles or 'none'}. 409 when the case's stage or a rule of the plan refuses it.",
        responses={409: {"model": ErrorBody}},
    )
