"""The desk: what the API (``api/``) and the web pages (``web/``) do for a signed-in user — the same
role checks (``operations.permissions``), the same operations, the same reads. No HTTP here: both
front ends import this module, and neither imports the other (``api.app.create_app`` alone mounts
the web pages)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import re
import subprocess
from collections.abc import Callable
from typing import Any, BinaryIO, TypedDict

from pydantic import BaseModel, ConfigDict, StrictBool, StrictFloat, StrictInt, ValidationError, create_model
from sqlalchemy.engine import Engine
from sqlmodel import Session as SqlSession
from temporalio.client import Client

from casefile.users import UserRecord
from models.bounds import echo
from models.case.documents import ISSUER
from models.errors import MinecaseError
from models.kinds import TaskKind
from models.messages import Message, MineFacts
from models.roles import Role
from models.verbs import VERBS_BY_NAME
from models.views import CaseView
from operations import attachments, cases, oplog, reads, todo
from operations.ledger_upload import ImportReport, parse_upload
from operations.permissions import (
    REGISTER_ROLES,
    VERB_LABELS,
    VERB_ROLES,
    Forbidden,
    check_may_act,
    check_may_export_ledger,
    check_may_import_ledger,
    check_may_read,
    check_may_register_into,
    user_county,
)
from runtime.resources import Runtime

ACTING_ROLES = frozenset(role for roles in VERB_ROLES.values() for role in roles)
"""The roles that may send some verb: only for them is the case asked what it accepts."""


class BadInput(MinecaseError):
    """A request's fields did not validate (422)."""

    def __init__(self, zh: str, en: str, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(zh, en)
        self.errors = errors or []


def message_class(verb: str) -> type[Message]:
    """The message a verb sends (models/verbs.py)."""
    return VERBS_BY_NAME[verb].message


STRICT_SCALARS: dict[Any, Any] = {bool: StrictBool, float: StrictFloat, int: StrictInt}


def strict_scalars(annotation: Any) -> Any:
    """A JSON body's yes/no and numbers as the OpenAPI document types them: ``"yes"`` or ``1`` is not a boolean, ``"3"``
    not a number (a form's ``"true"`` is read by the lax model the web pages use)."""
    return STRICT_SCALARS.get(annotation, annotation)


def _body_model(verb: str, *, strict: bool = False) -> type[BaseModel]:
    cls = message_class(verb)
    # name -> (annotation, FieldInfo), as create_model takes its fields (Any: not its __base__ etc.)
    fields: dict[str, Any] = {name: (strict_scalars(f.annotation) if strict else f.annotation, f)
                              for name, f in cls.model_fields.items() if name != "actor"}
    name = "".join(part.capitalize() for part in verb.split("_")) + "Body"
    return create_model(name, __config__=ConfigDict(extra="forbid"), __doc__=cls.__doc__, **fields)


BODIES: dict[str, type[BaseModel]] = {verb: _body_model(verb) for verb in cases.VERBS}
"""For each verb, the request body: the message without ``actor`` (the server sets it). A web form's strings
(``"true"``) are read as their types."""

API_BODIES: dict[str, type[BaseModel]] = {verb: _body_model(verb, strict=True) for verb in cases.VERBS}
"""The same bodies as the JSON API takes them: booleans and numbers are JSON's own, as its OpenAPI document says."""

_STRICT_FACTS: dict[str, Any] = {name: (strict_scalars(f.annotation), f) for name, f in MineFacts.model_fields.items()
                                  if strict_scalars(f.annotation) is not f.annotation}
RegisterBody: type[MineFacts] = create_model("RegisterBody", __base__=MineFacts, __doc__=MineFacts.__doc__, **_STRICT_FACTS)
"""``POST /api/cases``: the mine's facts, booleans and numbers strictly JSON's."""


def validation_error(error: ValidationError) -> BadInput:
    details = [{"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in error.errors(include_url=False)]
    fields = "、".join(".".join(str(p) for p in d["loc"]) or "?" for d in details)
    return BadInput(f"输入有误：{fields}", f"invalid input: {fields}", details)


def parse_body(verb: str, data: dict[str, Any]) -> BaseModel:
    try:
        return BODIES[verb].model_validate(data)
    except ValidationError as error:
        raise validation_error(error) from None


class UnknownCampaign(cases.CaseNotFound):
    """A campaign asked for by name that has no file (404)."""


class Unavailable(MinecaseError):
    """A service the request needs (Chromium for a PDF) failed (503)."""


def document_filename(title_zh: str, document_id: str, suffix: str) -> str:
    """A document's file name: its Chinese title (without characters file systems refuse) and its id."""
    title = re.sub(r'[\\/:*?"<>|\s]+', "", title_zh) or "文书"
    return f"{title}-{document_id}{suffix}"


DOSSIER_ROLES = frozenset({Role.office, Role.county})
"""Who binds a case's dossier (案卷) on the desk."""


class Scope(TypedDict, total=False):
    """The cases a user may read: a township's, a holder's one mine, or a county leader's mines (its name as
    their 挂点县领导 field records it); empty for all of them."""

    township: str | None
    permit_no: str | None
    leader: str | None
    county: str | None


class Desk:
    """The runtime's client and case file, seen through one user's role.

    ``runtime`` is an entered ``Runtime`` (client and engine open).
    """

    def __init__(self, runtime: Runtime, today: Callable[[], dt.date], *, task_queue: str, campaign: str | None):
        self.runtime, self.today = runtime, today
        self.task_queue, self.campaign = task_queue, campaign

    @property
    def client(self) -> Client:
        if self.runtime.client is None:
            raise RuntimeError("the desk's runtime is not open (enter it with 'async with' first)")
        return self.runtime.client

    @property
    def engine(self) -> Engine:
        if self.runtime.engine is None:
            raise RuntimeError("the desk's runtime is not open (enter it with 'async with' first)")
        return self.runtime.engine

    @property
    def attachment_store(self) -> attachments.AttachmentStore:
        store = getattr(self, "_attachment_store", None)
        if store is None:
            settings = self.runtime.settings
            store = attachments.open_store(settings.data_dir, getattr(settings, "attachments_url", None))
            self._attachment_store = store
        return store

    # --- reads ---------------------------------------------------------------------------------

    @staticmethod
    def scope(user: UserRecord) -> Scope:
        """The user's unit, and its county when it has one (a province deployment: docs/province.md)."""
        role = Role(user.role)
        scope: Scope = {}
        if role == Role.township:
            scope = {"township": user.township}
        elif role == Role.holder:
            scope = {"permit_no": user.permit_no}
        elif role == Role.leader:
            scope = {"leader": user.leader or ""}
        county = user_county(user)
        if county:
            scope["county"] = county
        return scope

    def case_county(self, permit_no: str, campaign: str | None = None) -> str | None:
        """A case's county: the case file's, else (a case not yet written there) its campaign file's."""
        from casefile.tables import CaseRecord
        from models.policy import county_of_campaign

        with SqlSession(self.engine) as session:
            case = session.get(CaseRecord, permit_no)
        if case is not None and case.county:
            return case.county
        return county_of_campaign(campaign) if campaign else None

    def board(self, user: UserRecord, *, township: str | None = None, leader: str | None = None,
              department: str | None = None, county: str | None = None) -> dict[str, Any]:
        """The board of the cases this user may read, narrowed (office, county, …) to a township, a 挂点县领导 or the
        cases with a department's open tasks; ``county`` (the province): to one county."""
        filters = self._scoped({"township": township or None, "leader": leader or None, "department": department or None,
                                "county": county or None}, user)
        return reads.board(self.engine, today=self.today(), **filters)

    def _scoped(self, filters: dict[str, Any], user: UserRecord) -> dict[str, Any]:
        """``filters`` within the user's scope: a filter outside it reads nothing, never another unit's cases."""
        scope = self.scope(user)
        if "township" in scope:
            if filters.get("township") not in (None, "", scope["township"]):
                filters["township"], filters["permit_no"] = scope["township"], ""  # another township's: nothing
            else:
                filters["township"] = scope["township"]
        if "permit_no" in scope:
            filters["permit_no"] = scope["permit_no"] or ""
        if "leader" in scope:
            if filters.get("leader") not in (None, "", scope["leader"]):
                filters["permit_no"] = ""  # another leader's mines: nothing
            filters["leader"] = scope["leader"]
        if "county" in scope:
            if filters.get("county") not in (None, "", scope["county"]):
                filters["permit_no"] = ""  # another county's: nothing
            filters["county"] = scope["county"]
        return filters

    def find(self, user: UserRecord, **filters: Any) -> list[dict[str, Any]]:
        """The whole list of the cases this user may read that match the filters (``search`` pages it)."""
        filters.pop("page", None), filters.pop("page_size", None)
        return self.search(user, **filters)["cases"]

    def search(self, user: UserRecord, **filters: Any) -> dict[str, Any]:
        """One page of the cases this user may read that match ``q`` and the filters (``reads.search_cases``):
        ``{"total", "page", "page_size", "pages", "sort", "cases"}``."""
        return reads.search_cases(self.engine, today=self.today(), **self._scoped(filters, user))

    def townships(self, user: UserRecord) -> list[str]:
        """The townships this user may filter by: a township its own; a holder none (its one mine needs no filter, and
        the list of every township with a case is not a holder's to see: review finding 20); everyone else all."""
        role = Role(user.role)
        if role == Role.township:
            return [user.township or ""]
        if role == Role.holder:
            return []
        if Role(user.role) == Role.leader:
            return sorted({r["township"] for r in self.find(user)})
        return reads.townships(self.engine, user_county(user))

    def leaders(self, user: UserRecord) -> list[str]:
        """The 挂点县领导 this user may filter by (a leader: itself; a township or a holder: none)."""
        role = Role(user.role)
        if role == Role.leader:
            return [user.leader or ""]
        if role in (Role.township, Role.holder):
            return []
        return reads.leaders(self.engine, user_county(user))

    def counties(self, user: UserRecord) -> list[str]:
        """The counties this user may filter by: every county with a case for the province; its own for a user of a
        county; none for a user of a single-county deployment (no county)."""
        if Role(user.role) == Role.province:
            return reads.counties(self.engine)
        county = user_county(user)
        return [county] if county else []

    async def case(self, user: UserRecord, permit_no: str) -> dict[str, Any]:
        permit_no = permit_no.strip().upper()
        history = self._history(permit_no)
        status: CaseView | None = None
        if history is None:
            status = await cases.live_status(self.client, permit_no)  # CaseNotFound when there is none
            # a leader reads it once it is in the case file
            check_may_read(user, status.township, permit_no, county=self.case_county(permit_no, status.campaign))
        else:
            check_may_read(user, history["case"]["township"], permit_no, history["case"].get("leader"),
                           _county(history))
            try:
                status = await cases.live_status(self.client, permit_no)
            except cases.CaseNotFound:
                status = None  # past Temporal's retention: the case file still has it all
        allowed = await self.allowed_actions(user, status)
        return {
            "status": status.model_dump(mode="json") if status else None,
            "history": history,
            "documents": reads.case_documents(self.engine, permit_no),
            "allowed_actions": allowed,
            "actions": self.actions_on(user, status, allowed, history),
            "urges": todo.case_urges(self.engine, permit_no) if history is not None else [],
            **self._stage_age(history),
            "attachments": attachments.case_attachments(self.engine, permit_no),
        }

    def _stage_age(self, history: dict[str, Any] | None) -> dict[str, Any]:
        """``stage_since`` (the day the case entered its current stage) and ``stage_age_days``."""
        if history is None:
            return {"stage_since": None, "stage_age_days": None}
        row = next((r for r in reads.find_cases(self.engine, today=self.today(), permit_no=history["case"]["permit_no"])), None)
        return {"stage_since": row["stage_since"] if row else None, "stage_age_days": row["stage_age_days"] if row else None}

    async def allowed_actions(self, user: UserRecord, status: CaseView | None) -> list[str]:
        """The verb codes this user may send to this case now: the case's rules accept them (its
        ``allowed_actions`` query) and the user's role and scope cover them."""
        if status is None or Role(user.role) not in ACTING_ROLES:
            return []
        accepted = await cases.allowed_actions(self.client, status.permit_no, user.actor())
        allowed = []
        county = self.case_county(status.permit_no, status.campaign)
        for verb in accepted:
            try:
                check_may_act(user, verb, status.township, status.permit_no, county=county)
            except Forbidden:
                continue
            allowed.append(verb)
        return allowed

    def document(self, user: UserRecord, permit_no: str, document_id: str) -> str:
        permit_no = permit_no.strip().upper()
        history = self._history(permit_no)
        if history is None:
            raise cases.CaseNotFound(f"没有采矿许可证号为 {permit_no} 的案件", f"no case for permit {permit_no}")
        check_may_read(user, history["case"]["township"], permit_no, history["case"].get("leader"), _county(history))
        html = reads.document_html(self.engine, permit_no, document_id)
        if html is None:
            raise cases.CaseNotFound(f"没有文书 {echo(document_id)}", f"no document {echo(document_id)}")
        return html

    def document_info(self, user: UserRecord, permit_no: str, document_id: str) -> tuple[str, str]:
        """(HTML, file name stem) of a document this user may read."""
        permit_no = permit_no.strip().upper()
        html = self.document(user, permit_no, document_id)
        title = next((d["title_zh"] for d in reads.case_documents(self.engine, permit_no) if d["id"] == document_id), "文书")
        return html, document_filename(title, document_id, "")

    async def document_pdf(self, user: UserRecord, permit_no: str, document_id: str) -> tuple[bytes, str]:
        """(PDF, file name) of a document this user may read, printed by headless Chromium."""
        from casefile.documents import html_to_pdf

        html, stem = self.document_info(user, permit_no, document_id)
        try:
            pdf = await asyncio.to_thread(html_to_pdf, html)
        except MinecaseError as error:
            raise Unavailable(error.zh, error.en) from None
        except (subprocess.SubprocessError, OSError) as error:
            raise Unavailable("PDF 生成失败，请稍后再试", f"printing the PDF failed: {type(error).__name__}") from None
        return pdf, f"{stem}.pdf"

    async def dossier_pdf(self, user: UserRecord, permit_no: str) -> tuple[bytes, str]:
        """(PDF, file name) of the case's dossier (案卷, issue 17), bound now by this user and recorded in the
        case file: the office and the county only."""
        from operations import dossier

        if Role(user.role) not in DOSSIER_ROLES:
            raise Forbidden("只有领导小组办公室和县政府可以立卷", "only the office and the county bind a dossier")
        permit_no = self._readable_case(user, permit_no)  # none, or another county's: refused
        try:
            bound = await asyncio.to_thread(dossier.bind, self.engine, permit_no, by=user.actor().describe(),
                                            sources=dossier.sources_for(self.attachment_store))
        except dossier.DossierError:
            raise
        except MinecaseError as error:
            raise Unavailable(error.zh, error.en) from None
        except (subprocess.SubprocessError, OSError) as error:
            raise Unavailable("案卷生成失败，请稍后再试", f"binding the dossier failed: {type(error).__name__}") from None
        return bound.pdf, f"{permit_no}-案卷.pdf"

    def _history(self, permit_no: str) -> dict[str, Any] | None:
        try:
            return cases.case_history(self.engine, permit_no)
        except cases.CaseNotFound:
            return None

    def actions_on(self, user: UserRecord, status: CaseView | None, allowed: list[str] | None = None,
                   history: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """The forms to offer this user on this case now: one per verb of ``allowed`` (``allowed_actions``; by
        role alone when not given), with what each form chooses from — the user's own open tasks, the documents
        still owed or to serve, the running deadlines — and, for the county's decision, the township's proposal."""
        if status is None:
            return []
        offered = []
        county = self.case_county(status.permit_no, status.campaign)
        for verb in VERB_ROLES:
            if verb not in cases.VERBS or (allowed is not None and verb not in allowed):
                continue
            try:
                check_may_act(user, verb, status.township, status.permit_no, county=county)
            except Forbidden:
                continue
            choices = _choices(user, verb, status, history)
            if choices is None:
                continue
            offered.append({"verb": verb, **choices})
        return offered

    def inbox(self, user: UserRecord, *, department: str | None = None, township: str | None = None,
              open_only: bool = True) -> list[dict[str, Any]]:
        role = Role(user.role)
        if role == Role.department:
            department, township = user.department, None
        elif role == Role.township:
            department, township = None, user.township
        elif role == Role.holder:
            raise Forbidden("采矿权人没有待办任务箱", "a holder has no inbox")
        elif role == Role.leader:
            raise Forbidden("挂点县领导只能查阅其联系的矿山", "a county leader reads its own mines only")
        tasks = cases.inbox(self.engine, department=department, township=township, open_only=open_only)
        if role == Role.township:
            tasks = [t for t in tasks if t.assignee_role == Role.township.value]
        county = user_county(user)
        names = {r["permit_no"]: r for r in reads.find_cases(self.engine, today=self.today(), county=county)}
        if county:  # a unit of one county: its county's tasks only
            tasks = [t for t in tasks if t.permit_no in names]
        rows = reads.task_rows(tasks, self.today())
        for row in rows:
            case = names.get(row["permit_no"])
            row["mine_name"] = case["mine_name"] if case else ""
            row["case_township"] = case["township"] if case else ""
        return rows

    async def todo(self, user: UserRecord, *, department: str | None = None,
                   township: str | None = None) -> list[dict[str, Any]]:
        """What the signed-in user's unit owes now (``operations.todo``): the holder's duties on its mine are
        asked of the case live; the rest is read from the case file. ``department``/``township`` narrow the
        office's and the county's list to what that unit owes."""
        role = Role(user.role)
        obligations = None
        if role == Role.holder and user.permit_no:
            try:
                status = await cases.live_status(self.client, user.permit_no)
                obligations = {status.permit_no: status.open_obligations}
            except cases.CaseNotFound:
                obligations = None  # past Temporal's retention: read off the case file
        if role not in (Role.office, Role.county):
            department = township = None
        return todo.todo(self.engine, user, self.today(), obligations=obligations, department=department, township=township)

    def done(self, user: UserRecord, permit_no: str | None = None) -> list[dict[str, Any]]:
        """What the signed-in user's unit did (已办): tasks it decided and its acts, newest first (``permit_no``: on
        that mine only)."""
        return todo.done(self.engine, user, permit_no=permit_no.strip().upper() if permit_no else None)

    @oplog.noting_refusals
    def urge(self, user: UserRecord, picks: list[dict[str, str | None]], note: str = "") -> list[dict[str, Any]]:
        """The office's 催办 of overdue items (``operations.todo.urge``)."""
        return todo.urge(self.engine, user, self.today(), picks, note)

    # --- actions -------------------------------------------------------------------------------

    @oplog.noting_refusals
    async def act(self, user: UserRecord, permit_no: str, verb: str, body: BaseModel | dict[str, Any]) -> CaseView:
        permit_no = permit_no.strip().upper()
        if verb not in cases.VERBS:
            raise cases.CaseNotFound(f"未知操作 {echo(verb)}", f"unknown action {echo(verb)}")
        if isinstance(body, dict):
            body = parse_body(verb, body)
        if Role(user.role) not in VERB_ROLES.get(verb, ()):
            check_may_act(user, verb, "", "")  # a role that may never send this verb: 403 before any look-up
        status = await cases.live_status(self.client, permit_no)
        county = self.case_county(permit_no, status.campaign)
        task = None
        if verb == "record_review":
            task_id = getattr(body, "task_id", None)
            task = next((_task_dict(t) for t in status.tasks if t.id == task_id), None)
            if task is None:
                check_may_act(user, verb, status.township, status.permit_no, county=county)  # out of scope: 403 as before
                if not cases.task_on_file(self.engine, permit_no, str(task_id)):
                    # never sent to the case: its rejection would quote the id back through Temporal
                    raise cases.CaseNotFound(f"本案没有任务 {echo(task_id)}", f"no task {echo(task_id)} on this case")
        check_may_act(user, verb, status.township, status.permit_no, task, county=county)
        message = message_class(verb)(actor=user.actor(), **body.model_dump())
        if message.attachments:  # the workflow cannot look: refuse a file not stored for the case before sending
            await asyncio.to_thread(attachments.check_refs, self.engine, self.attachment_store, permit_no, message.attachments)
        view = await cases.act(self.client, permit_no, verb, message)
        if message.attachments:
            task_id = getattr(message, "task_id", None)
            label = VERB_LABELS.get(verb, (verb,))[0] + (f"（{task_id}）" if task_id else "")
            on = message.on or self.today()
            await asyncio.to_thread(attachments.link, self.engine, permit_no, message.attachments,
                                    f"act:{verb}:{task_id or ''}:{on.isoformat()}", label, user.actor().describe())
        return view

    # --- evidence (issue 14) ---------------------------------------------------------------------

    def _readable_case(self, user: UserRecord, permit_no: str) -> str:
        permit_no = permit_no.strip().upper()
        history = self._history(permit_no)
        if history is None:
            raise cases.CaseNotFound(f"没有采矿许可证号为 {echo(permit_no)} 的案件", f"no case for permit {echo(permit_no)}")
        check_may_read(user, history["case"]["township"], permit_no, history["case"].get("leader"), _county(history))
        return permit_no

    def upload_attachment(self, user: UserRecord, permit_no: str, filename: str | None, data: bytes) -> dict[str, Any]:
        """Store one file for a case this user may read and act on (not the read-only viewer); its ref."""
        return self.upload_attachments(user, permit_no, [(filename, data)])[0]

    def upload_attachments(self, user: UserRecord, permit_no: str, files: list[tuple[str | None, bytes]]) -> list[dict[str, Any]]:
        """Store files for a case (all checked before any is stored); their refs."""
        permit_no = self._readable_case(user, permit_no)
        if Role(user.role) in (Role.viewer, Role.province):
            raise Forbidden("查阅用户不能上传附件", "a read-only user may not upload files")
        refs = attachments.store_uploads(self.engine, self.attachment_store, permit_no, files, user.actor().describe())
        return [ref.model_dump() for ref in refs]

    def list_attachments(self, user: UserRecord, permit_no: str) -> list[dict[str, Any]]:
        return attachments.case_attachments(self.engine, self._readable_case(user, permit_no))

    def attachment(self, user: UserRecord, permit_no: str, sha256: str) -> tuple[bytes, dict[str, Any]]:
        return attachments.read_attachment(self.engine, self.attachment_store, self._readable_case(user, permit_no), sha256)

    async def record_inspection(self, user: UserRecord, body: Any) -> dict[str, Any]:
        """An inspection and the problems its findings open (``operations.inspections``); each problem's time limit
        then runs as a ``ProblemDeadline`` workflow."""
        from operations import inspections

        recorded = await asyncio.to_thread(inspections.record_inspection, self.engine, self.attachment_store, user, body,
                                           self.today())
        for problem in recorded["problems"]:
            await self.start_problem_deadline(problem["id"], dt.date.fromisoformat(problem["due"]))
        return recorded

    async def start_problem_deadline(self, problem_id: str, due: dt.date) -> None:
        from temporalio.common import WorkflowIDConflictPolicy

        from workflows.problem_workflow import ProblemDeadlineInput

        await self.client.start_workflow("ProblemDeadline", ProblemDeadlineInput(problem_id=problem_id, due=due),
                                         id=f"problem-{problem_id}", task_queue=self.task_queue,
                                         id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING)

    async def close_problem(self, user: UserRecord, problem_id: str, body: Any) -> dict[str, Any]:
        from temporalio.service import RPCError

        from operations import inspections

        closed = await asyncio.to_thread(inspections.close_problem, self.engine, self.attachment_store, user, problem_id,
                                         body, self.today())
        with contextlib.suppress(RPCError):  # already ended: its activity reads the ledger, a closed one is never marked
            await self.client.get_workflow_handle(f"problem-{problem_id}").signal("close")
        return closed

    def inspections(self, user: UserRecord, permit_no: str | None = None) -> list[dict[str, Any]]:
        from operations import inspections

        if permit_no:
            self._readable_case(user, permit_no)
        return inspections.inspections(self.engine, user, permit_no)

    def problems(self, user: UserRecord, **filters: Any) -> list[dict[str, Any]]:
        from operations import inspections

        if filters.get("permit_no"):
            self._readable_case(user, filters["permit_no"])
        return inspections.problems(self.engine, user, self.today(), **filters)

    @oplog.noting_refusals
    async def register(self, user: UserRecord, facts: MineFacts, campaign: str | None = None) -> cases.Registration:
        """Open a mine's case under the deployment's campaign, or ``campaign`` (a county of a province deployment
        registers into its own: docs/province.md)."""
        if Role(user.role) not in REGISTER_ROLES:
            raise Forbidden("只有领导小组办公室可以登记案件", "only the office registers cases")
        from models.policy import available_campaigns
        from operations.campaigns import campaign_policy
        from operations.townships import checked_facts

        if campaign is not None and campaign not in available_campaigns():
            raise UnknownCampaign(f"没有专项行动 {echo(campaign)}", f"no campaign {echo(campaign)}")
        policy = campaign_policy(campaign or self.campaign)  # none chosen: refused
        check_may_register_into(user, policy.county, policy.id)  # another county's campaign: refused, nothing written
        facts = await asyncio.to_thread(checked_facts, self.engine, policy.id, facts)  # a township of the dictionary
        return await cases.register_case(self.client, self.engine, self.task_queue, facts, policy, user.actor())

    # --- the ledger ----------------------------------------------------------------------------

    @oplog.noting_refusals
    async def import_ledger(self, user: UserRecord, source: BinaryIO, filename: str | None, *, check: bool = False) -> ImportReport:
        """Check every row of an uploaded ledger and (unless ``check``) register the good ones, one case each, with
        the history the ledger gives them (``operations.ledger_history``).

        Registering is idempotent by permit number: uploading the same ledger again (or after an
        interruption) makes no second case, it only finishes what is missing.
        """
        check_may_import_ledger(user)
        from operations.campaigns import campaign_policy, no_campaign
        from operations.ledger_history import take_in

        if not self.campaign and not check:
            raise no_campaign()
        from operations.townships import townships

        policy = campaign_policy(self.campaign) if self.campaign else None
        if policy is not None:
            check_may_register_into(user, policy.county, policy.id)  # another county's campaign: refused
        known = await asyncio.to_thread(townships, self.engine, policy.id) if policy is not None else []
        parsed = await asyncio.to_thread(parse_upload, source, filename, policy, known)
        taken = await take_in(parsed, self.client, self.engine, self.task_queue, policy, user.actor().name, check=check)
        return ImportReport.of(taken)

    def export_ledger(self, user: UserRecord) -> bytes:
        check_may_export_ledger(user)
        from operations.ledger import export_ledger

        return export_ledger(self.engine, today=self.today(), county=user_county(user))


def _county(history: dict[str, Any]) -> str | None:
    """The county of a case as the case file has it (``case_history``)."""
    return history["case"].get("county")


def _choices(user: UserRecord, verb: str, status: CaseView, history: dict[str, Any] | None) -> dict[str, Any] | None:
    """What a verb's form chooses from for this user (``None``: nothing to choose, no form)."""
    if verb == "record_review":
        mine = []
        for task in status.tasks:
            if task.kind == TaskKind.document_service:  # done by recording the service, not by a review
                continue
            try:
                check_may_act(user, verb, status.township, status.permit_no, _task_dict(task))
            except Forbidden:
                continue
            entry = _task_dict(task)
            if task.kind == TaskKind.field_acceptance:  # 004 附件: the department's items of the acceptance standard
                entry["checklist"] = [i.model_dump(mode="json") for i in status.acceptance_checklist
                                      if i.department == task.department]
            mine.append(entry)
        return {"tasks": mine} if mine else None
    if verb == "submit_document":
        return {"items": [{"item": o["item"], "label_zh": o["label_zh"], "label_en": o["label_en"]}
                          for o in status.open_obligations
                          if o.get("kind") in ("submit_document", "submit_restoration_plan") and o.get("item")]}
    if verb == "serve_document":
        township = Role(user.role) == Role.township
        return {"documents": [d.model_dump(mode="json") for d in status.documents
                              if d.served_on is None and (not township or ISSUER[d.kind] == Role.township)]}
    if verb == "move_deadline":
        return {"deadlines": [d.model_dump(mode="json") for d in status.deadlines if d.status == "open" and d.due]}
    if verb == "decide_disposition":
        return {"proposal": _proposal(history)}
    return {}


def _proposal(history: dict[str, Any] | None) -> dict[str, Any] | None:
    """The township's latest disposition proposal (path and reason), from the case file's timeline."""
    events = [e for e in (history or {}).get("timeline", []) if e.get("kind") == "disposition_proposed"]
    if not events:
        return None
    last = events[-1]
    data = last.get("data") or {}
    return {"path": data.get("path"), "reason": data.get("reason") or "", "by": last.get("actor_unit") or last.get("actor_name"),
            "at": last.get("at"), "effective_on": last.get("effective_on")}


def _task_dict(task: Any) -> dict[str, Any]:
    data = task.model_dump(mode="json") if isinstance(task, BaseModel) else dict(task)
    due = data.get("due")
    if isinstance(due, dict):
        data["due_last_day"] = due.get("last_day")
        data["due_provisional"] = due.get("provisional", False)
    return data
