"""Tables of the case file (一矿一档). Keys are natural (permit number, sequence, task id) so that a
retried write merges into the same rows instead of adding new ones."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint, event
from sqlmodel import Field, SQLModel


class CaseRecord(SQLModel, table=True):
    __tablename__ = "cases"

    permit_no: str = Field(primary_key=True)
    workflow_id: str
    campaign: str = Field(index=True)
    county: str | None = Field(default=None, index=True)
    """The county of the case (a province deployment, docs/province.md): its campaign file's ``county``, set when the
    row is first written (``_county_from_campaign``); null only in a case file not yet upgraded."""
    mine_name: str
    holder: str
    township: str = Field(index=True)
    leader: str = ""
    mineral: str = ""
    bare_area_mu: float = 0.0
    resources_exhausted: bool = False
    never_produced: bool = False
    fictional: bool = False
    stage: str = Field(index=True)
    path: str
    next_due: dt.date | None = Field(default=None, index=True)
    next_due_kind: str | None = None
    overdue: bool = False
    works: str = ""
    acceptance_date: dt.date | None = None
    registered_at: dt.datetime
    updated_at: dt.datetime
    last_seq: int = 0


@event.listens_for(CaseRecord, "before_insert")
def _county_from_campaign(_mapper: Any, _connection: Any, case: CaseRecord) -> None:
    """A new case's county is its campaign's (the file's ``county``; the plan's county when the file is unknown):
    whoever writes the row through the ORM — an import, a test — it always carries one."""
    assign_county(case)


def assign_county(case: CaseRecord) -> None:
    """Give a new case row its campaign's county, unless it has one: the ORM hook above, and the case's activity,
    which inserts with a Core ``INSERT … ON CONFLICT`` that ORM hooks do not see."""
    if not case.county:
        from models.policy import campaign_file, county_of_campaign

        if not campaign_file(case.campaign).is_file():  # a worker that does not see MINECASE_CAMPAIGNS_DIR (docs/province.md)
            logging.getLogger(__name__).warning("campaign %s has no file here: case %s is given the default county",
                                                case.campaign, case.permit_no)
        case.county = county_of_campaign(case.campaign)


class TimelineRecord(SQLModel, table=True):
    __tablename__ = "timeline"

    permit_no: str = Field(primary_key=True)
    seq: int = Field(primary_key=True)
    at: dt.datetime
    kind: str
    clause: str
    actor_role: str
    actor_name: str
    actor_unit: str | None = None
    stage_from: str
    stage_to: str
    summary_zh: str
    summary_en: str
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    effective_on: dt.date | None = None
    """The day the act legally happened (null on rows written before: the day of ``at``)."""
    recorded_at: dt.datetime | None = None
    """When it was recorded (null on rows written before: ``at``)."""


class DeadlineRecord(SQLModel, table=True):
    __tablename__ = "deadlines"

    permit_no: str = Field(primary_key=True)
    kind: str = Field(primary_key=True)
    label_zh: str
    label_en: str
    clause: str
    responsible: str
    start: dt.date | None = None
    last_day: dt.date | None = None
    overdue_from: dt.datetime | None = None
    provisional: bool = False
    status: str
    moves: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))


class TaskRecord(SQLModel, table=True):
    """A department's (or township's) inbox entry."""

    __tablename__ = "tasks"

    id: str = Field(primary_key=True)
    permit_no: str = Field(index=True)
    kind: str
    clause: str
    assignee_role: str
    department: str | None = Field(default=None, index=True)
    township: str | None = Field(default=None, index=True)
    subject_zh: str
    subject_en: str
    opened_at: dt.datetime
    due: dt.date | None = None
    due_provisional: bool = False
    status: str = Field(index=True)
    escalated: bool = False
    decided_at: dt.datetime | None = None
    decided_by: str | None = None
    comment: str = ""


class NoticeRecord(SQLModel, table=True):
    __tablename__ = "notices"

    id: str = Field(primary_key=True)
    permit_no: str = Field(index=True)
    at: dt.datetime
    kind: str
    recipients: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    text_zh: str
    text_en: str


class DocumentRecord(SQLModel, table=True):
    """A document issued from a case (closure decision, notices, decisions, referral), its HTML kept, and
    its service (送达) once recorded: written again when it is served, so the row and its HTML follow."""

    __tablename__ = "documents"

    id: str = Field(primary_key=True)
    permit_no: str = Field(index=True)
    kind: str = Field(index=True)
    title_zh: str
    clause: str
    issued_at: dt.datetime
    fields: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    html: str
    addressee: str = ""
    """Whom it is addressed to (the holder, the township, 县人民检察院); empty on documents issued before due process."""
    number: str | None = None
    """Its 文号. Null until documents are numbered from a register."""
    served_on: dt.date | None = None
    service_method: str | None = None
    """``direct``, ``post``, ``electronic`` or ``announcement`` (a notice published)."""
    served_by: str | None = None
    """Who served it (``Actor.describe()``)."""
    url: str | None = None
    """Where a notice was published."""


class DocumentNumber(SQLModel, table=True):
    """The per-issuer register of 文号: one row per numbered document, sequential per prefix and year.

    Allocating is idempotent on the document's id (a retried activity gets the same number); the
    unique (prefix, year, seq) makes two cases never share a number."""

    __tablename__ = "document_numbers"
    __table_args__ = (UniqueConstraint("prefix", "year", "seq"),)

    document_id: str = Field(primary_key=True)
    prefix: str = Field(index=True)
    year: int
    seq: int
    number: str


class UrgeRecord(SQLModel, table=True):
    """A 催办: the office's recorded reminder to the unit that owes an overdue item (a task, or an obligation
    of the case by its kind). The desk writes it; the case's workflow is not changed by it."""

    __tablename__ = "urges"

    id: str = Field(primary_key=True)
    permit_no: str = Field(index=True)
    task_id: str | None = None
    kind: str
    """The task's kind, or the obligation's (``propose_disposition``, a deadline's kind)."""
    to_unit: str
    """Whom it reminds: ``department:<code>``, ``township:<name>``, ``holder`` or a role."""
    to_unit_zh: str
    label_zh: str
    """What is owed, as the to-do named it."""
    by: str
    """Who urged (``Actor.describe()``)."""
    at: dt.datetime
    note: str = ""


class DeploymentRecord(SQLModel, table=True):
    """What this case file (and the Temporal server started beside it) is: a ``production`` deployment or
    a ``drill`` (demos, training, tests; the only kind whose server skips time). One row, written by the
    process that first starts the server on the case file (``minecase up``, ``minecase worker``) and never
    changed after; clients read it here instead of trusting their own environment."""

    __tablename__ = "deployment"

    id: int = Field(default=1, primary_key=True)
    kind: str
    """``production`` or ``drill``."""
    recorded_at: dt.datetime
    recorded_by: str = ""
    """The command that recorded it (``minecase up --demo``)."""


class TownshipEdit(SQLModel, table=True):
    """The office's change to a campaign's dictionary of townships (``campaigns/<id>.townships.txt``): a name
    added (``active``) or removed (not). The dictionary is the file's names with these applied; each row keeps
    who changed it and when."""

    __tablename__ = "township_edits"

    campaign: str = Field(primary_key=True)
    name: str = Field(primary_key=True)
    active: bool
    by: str
    at: dt.datetime


class DossierRecord(SQLModel, table=True):
    """A dossier (案卷) bound from a case (issue 17): the PDF's SHA-256, who bound it and when, and its manifest
    (the entries with their hashes and pages, a hash of every page) — what ``minecase dossier verify`` checks."""

    __tablename__ = "dossiers"

    id: str = Field(primary_key=True)
    permit_no: str = Field(index=True)
    sha256: str = Field(index=True)
    pages: int
    entries: int
    produced_by: str
    produced_at: dt.datetime
    scope: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    manifest: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))


class AttachmentRecord(SQLModel, table=True):
    """A file uploaded to a case (issue 14): its bytes are in the attachment store under ``sha256``; the row
    says whose case, its name, type (sniffed), size, who uploaded it and when. Natural key: a second upload
    of the same bytes to the same case is the same row."""

    __tablename__ = "attachments"

    permit_no: str = Field(primary_key=True)
    sha256: str = Field(primary_key=True)
    name: str
    media_type: str
    size: int
    uploaded_by: str
    uploaded_at: dt.datetime


class AttachmentLinkRecord(SQLModel, table=True):
    """What a case's file is attached to: an act (``act:<verb>``, its task or date), an inspection's photo
    (``inspection:<id>``) or a problem's closing evidence (``problem:<id>``)."""

    __tablename__ = "attachment_links"

    permit_no: str = Field(primary_key=True)
    sha256: str = Field(primary_key=True)
    attached_to: str = Field(primary_key=True)
    label_zh: str = ""
    by: str
    at: dt.datetime


class InspectionRecord(SQLModel, table=True):
    """An inspection (检查/巡查) of a mine by a township or a department: date, people, findings, photos
    (attachment refs with optional WGS84 coordinates). ``post_care``: a 管护 inspection after acceptance."""

    __tablename__ = "inspections"

    id: str = Field(primary_key=True)
    permit_no: str = Field(index=True)
    on: dt.date
    unit: str
    people: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    findings: str = ""
    photos: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    post_care: bool = False
    recorded_by: str
    recorded_at: dt.datetime


class ProblemRecord(SQLModel, table=True):
    """One row of the problem ledger (问题台账, seed 002): the problem, its measures, the responsible unit and
    person, the time limit, and its closing (销号) by a reviewer with evidence."""

    __tablename__ = "problems"

    id: str = Field(primary_key=True)
    permit_no: str = Field(index=True)
    inspection_id: str | None = None
    problem: str
    measures: str = ""
    responsible_unit: str
    responsible_person: str
    due: dt.date = Field(index=True)
    status: str = Field(default="open", index=True)
    """``open`` or ``closed`` (销号)."""
    reminded: bool = False
    overdue: bool = False
    opened_by: str
    opened_at: dt.datetime
    closed_by: str | None = None
    closed_at: dt.datetime | None = None
    closing_note: str = ""
    evidence: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))


class BulletinRecord(SQLModel, table=True):
    """A 进展通报 of the campaign (weekly or monthly): its numbers as data and its page as HTML, kept as a
    document of the campaign. One per campaign, period and first day: made again, it is replaced."""

    __tablename__ = "bulletins"

    id: str = Field(primary_key=True)
    """``<campaign>:<week|month>:<first day>``."""
    campaign: str = Field(index=True)
    period: str
    start: dt.date
    end: dt.date
    made_at: dt.datetime
    made_by: str
    """``schedule`` (the Temporal Schedule or its clock), or who asked for it."""
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    html: str


class FundRecord(SQLModel, table=True):
    """A mine's restoration fund (矿山地质环境治理恢复基金) or 保证金: amounts due, paid, used and released, in yuan,
    as the office records them (seed 000). Each write replaces the amounts and says who wrote them."""

    __tablename__ = "funds"

    permit_no: str = Field(primary_key=True)
    kind: str = Field(primary_key=True)
    """``fund`` (治理恢复基金) or ``bond`` (保证金)."""
    due: float = 0.0
    paid: float = 0.0
    used: float = 0.0
    released: float = 0.0
    note: str = ""
    updated_at: dt.datetime
    updated_by: str


class OpLogRecord(SQLModel, table=True):
    """The operation log (操作日志): one row per sign-in (success or failure, throttled included) and per action
    sent to the desk, its API or the command line — who, from where, when, what and how it ended. Written by
    ``operations.oplog``; read by the office (``/oplog``, ``GET /api/oplog``). Never changed once written."""

    __tablename__ = "oplog"

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(index=True)
    """When (UTC; shown in China Standard Time)."""
    channel: str
    """``api``, ``desk`` (the web pages) or ``cli``."""
    action: str = Field(index=True)
    """``sign_in``, ``sign_out``, a verb (``move_deadline``…), ``register``, ``ledger_import``, ``urge``, ``users``…"""
    method: str
    path: str
    """The request's path (``cli``: the command), cut to 300 characters."""
    user_name: str | None = Field(default=None, index=True)
    """The signed-in user, or the name a sign-in tried; null when no one was signed in."""
    role: str | None = None
    unit: str | None = None
    """The user's township, department or permit (holder)."""
    address: str | None = None
    """The client's address (``cli``: the operating-system user and host)."""
    permit_no: str | None = Field(default=None, index=True)
    outcome: str = Field(index=True)
    """``ok``, ``refused`` or ``error``."""
    status: int | None = None
    """The HTTP status (``cli``: the exit code)."""
    reason_zh: str = ""
    reason_en: str = ""
    """Why it was refused or failed, short."""
