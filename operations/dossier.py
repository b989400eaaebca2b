"""The appeal-ready dossier (案卷, issue 17): a mine's whole record bound into one PDF, indexed and verifiable.

A dossier is: a cover sheet (一矿一档), a table of contents (卷内目录: number, date, title, issuer, pages,
SHA-256), then in date order every entry the case file holds — documents as issued (with their 文号),
proofs of service, filings, reviews, attachments — the timeline with its clauses, and a closing sheet
(备考表). Every page carries the county's name and its page number.

Entries come from **sources** (``DossierSource``: a callable taking the case file and a permit number and
returning ``Entry`` items). Today's sources read the case file's tables; attachments plug in through
``attachment_source`` (the hook: PDFs merged as they are, images placed on a page). Each entry's SHA-256
is over its ``source`` bytes — the stored HTML of a document, the canonical JSON of a record, an
attachment's own bytes — so ``verify`` can recompute it from the case file later.

The PDF carries its manifest (``minecase-dossier.json``, an embedded file): the entries with their hashes
and pages, and a hash of every page. The case file keeps the same manifest, the file's SHA-256, who bound
it and when (``dossiers``). ``verify`` compares a file with both and says what differs.

PDF work is pypdf's (merging, counting, stamping, the embedded file); HTML becomes PDF through the
Chromium printing documents already use. Nothing here writes PDF by hand.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html as html_lib
import io
import json
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from casefile.tables import CaseRecord, DocumentRecord, DossierRecord, TaskRecord, TimelineRecord
from casefile.times import from_db, to_db
from models.calendar import CST
from models.errors import MinecaseError

MANIFEST_NAME = "minecase-dossier.json"
FORMAT = "minecase-dossier/1"


class DossierError(MinecaseError):
    """A dossier cannot be bound as asked (no such case, a bad scope)."""


# --- entries and their sources ------------------------------------------------------------------


@dataclass
class Entry:
    """One item of the dossier (卷内文件): what the table of contents lists and the pages that print it."""

    key: str
    """Stable across bindings: ``document:<id>``, ``service:<id>``, ``filing:<seq>``, ``review:<task>``,
    ``attachment:<sha256>``, ``timeline``."""
    kind: str
    at: dt.datetime
    """When it happened (China's time): the order of the dossier."""
    title: str
    issuer: str
    source: bytes
    """What its SHA-256 is taken over: recomputed from the case file by ``verify``."""
    html: str | None = None
    """Its pages as HTML (printed by Chromium) …"""
    pdf: bytes | None = None
    """… or as a PDF merged as it is (an attachment)."""
    number: str | None = None
    concerns: frozenset[str] = field(default_factory=frozenset)
    """Document ids it concerns (a decision's scope: ``--decision``)."""

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.source).hexdigest()


class DossierSource(Protocol):
    """A section source: the entries of one case, as of now (``verify`` filters them to the binding's cut-off)."""

    def __call__(self, engine: Engine, permit_no: str) -> list[Entry]: ...


def canonical(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


def _cst(value: dt.datetime | None) -> dt.datetime:
    moment = from_db(value)
    assert moment is not None
    return moment.astimezone(CST)


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=CST)


def _esc(text: Any) -> str:
    return html_lib.escape("" if text is None else str(text))


def documents_source(engine: Engine, permit_no: str) -> list[Entry]:
    """Every document issued from the case, as its HTML is kept (its 文号, issuer)."""
    with Session(engine) as session:
        docs = session.exec(select(DocumentRecord).where(DocumentRecord.permit_no == permit_no)
                            .order_by(col(DocumentRecord.issued_at))).all()
    entries = []
    for d in docs:
        issuer = _issuer_zh(d)
        entries.append(Entry(key=f"document:{d.id}", kind="document", at=_cst(d.issued_at), title=d.title_zh,
                             issuer=issuer, number=d.number, source=d.html.encode(), html=d.html,
                             concerns=frozenset({d.id})))
    return entries


def _issuer_zh(d: DocumentRecord) -> str:
    """Who issued it (责任者): the county government, or the township for its referral (``ISSUER``)."""
    from models.case.documents import ISSUER
    from models.kinds import DocumentKind
    from models.roles import Role

    kind = DocumentKind(d.kind) if d.kind in set(DocumentKind) else None
    if kind is not None and ISSUER.get(kind) == Role.township:
        return f"{d.fields.get('township') or '乡镇'}人民政府"
    return "上高县人民政府"


def service_source(engine: Engine, permit_no: str) -> list[Entry]:
    """Each proof of service (送达回证): the document, to whom, how, when, by whom, where published."""
    from models.case.service import METHODS_ZH

    with Session(engine) as session:
        docs = session.exec(select(DocumentRecord).where(DocumentRecord.permit_no == permit_no,
                                                         col(DocumentRecord.served_on).is_not(None))).all()
    entries = []
    for d in docs:
        assert d.served_on is not None
        record = {"document_id": d.id, "title": d.title_zh, "number": d.number, "addressee": d.addressee,
                  "served_on": d.served_on.isoformat(), "method": d.service_method, "served_by": d.served_by, "url": d.url}
        rows = [("文书", f"{d.title_zh}（{d.id}）"), ("文号", d.number or "—"), ("受送达人", d.addressee or "—"),
                ("送达方式", METHODS_ZH.get(d.service_method or "", d.service_method or "")),
                ("送达日期", chinese_date(d.served_on)), ("送达人", d.served_by or "—")]
        if d.url:
            rows.append(("发布网址", d.url))
        body = _table(rows)
        # Served at the end of its day: after anything else that day (the act that issued it comes first).
        at = max(_day_start(d.served_on) + dt.timedelta(hours=23, minutes=59), _cst(d.issued_at))
        entries.append(Entry(key=f"service:{d.id}", kind="service", at=at, title=f"送达回证：{d.title_zh}",
                             issuer=_served_by_unit(d.served_by), source=canonical(record),
                             html=_page("送达回证", body), concerns=frozenset({d.id})))
    return entries


def _served_by_unit(served_by: str | None) -> str:
    return (served_by or "").split("·")[0] or "—"


FILING_KINDS = ("document_submitted", "restoration_plan_submitted", "works_reported_done", "takeover_works_reported_done",
                "unused_zone_works_reported_done", "cancellation_applied", "resumption_applied")


def filings_source(engine: Engine, permit_no: str) -> list[Entry]:
    """Each filing (材料、报告、申请) recorded on the timeline: who filed what, on which day, under which clause."""
    with Session(engine) as session:
        events = session.exec(select(TimelineRecord).where(TimelineRecord.permit_no == permit_no,
                                                           col(TimelineRecord.kind).in_(FILING_KINDS))).all()
    entries = []
    for e in events:
        on = e.effective_on or _cst(e.at).date()
        record = _event_record(e)
        rows = [("事项", e.summary_zh), ("依据", f"方案 {e.clause}"), ("提交人", f"{e.actor_unit or ''} {e.actor_name}".strip()),
                ("日期", chinese_date(on)), ("登记时间", _cst(e.recorded_at or e.at).strftime("%Y-%m-%d %H:%M"))]
        rows += [(str(k), _esc_value(v)) for k, v in sorted((e.data or {}).items())]
        entries.append(Entry(key=f"filing:{e.seq}", kind="filing", at=_cst(e.at), title=f"报送：{e.summary_zh}",
                             issuer=e.actor_unit or e.actor_name, source=canonical(record), html=_page("报送材料登记", _table(rows))))
    return entries


def _event_record(e: TimelineRecord) -> dict[str, Any]:
    return {"seq": e.seq, "kind": e.kind, "clause": e.clause, "actor": [e.actor_role, e.actor_name, e.actor_unit],
            "effective_on": (e.effective_on or _cst(e.at).date()).isoformat(), "summary_zh": e.summary_zh, "data": e.data,
            "stage": [e.stage_from, e.stage_to]}


def _esc_value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def reviews_source(engine: Engine, permit_no: str) -> list[Entry]:
    """Each review decided (审查、验收、决定): the task, who decided, when, approved or not, the comment."""
    with Session(engine) as session:
        tasks = session.exec(select(TaskRecord).where(TaskRecord.permit_no == permit_no,
                                                      col(TaskRecord.decided_at).is_not(None))).all()
    entries = []
    for t in tasks:
        record = {"id": t.id, "kind": t.kind, "clause": t.clause, "subject": t.subject_zh, "status": t.status,
                  "decided_by": t.decided_by, "decided_at": _cst(t.decided_at).isoformat(), "comment": t.comment,
                  "unit": t.department or t.township or t.assignee_role}
        rows = [("事项", t.subject_zh), ("编号", t.id), ("依据", f"方案 {t.clause}"), ("审查单位", _unit_zh(t)),
                ("结论", _status_zh(t.status)), ("审查人", t.decided_by or "—"),
                ("日期", chinese_date(_cst(t.decided_at))), ("意见", t.comment or "—")]
        entries.append(Entry(key=f"review:{t.id}", kind="review", at=_cst(t.decided_at), title=f"审查：{t.subject_zh}",
                             issuer=_unit_zh(t), source=canonical(record), html=_page("审查意见", _table(rows)),
                             concerns=frozenset({"consequence"} if t.kind == "consequence_decision" else ())))
    return entries


def _unit_zh(t: TaskRecord) -> str:
    from models.units import unit_name

    if t.department:
        try:
            return str(unit_name(f"department:{t.department}"))
        except Exception:  # noqa: BLE001 - an unknown code reads as itself
            return t.department
    if t.township:
        return t.township
    return {"county": "上高县人民政府", "expert": "专家组", "office": "领导小组办公室"}.get(t.assignee_role, t.assignee_role)


def _status_zh(status: str) -> str:
    return {"approved": "同意 approved", "rejected": "不同意 rejected", "done": "已办结 done"}.get(status, status)


def timeline_events(engine: Engine, permit_no: str, last_seq: int | None = None) -> list[TimelineRecord]:
    with Session(engine) as session:
        query = select(TimelineRecord).where(TimelineRecord.permit_no == permit_no)
        if last_seq is not None:
            query = query.where(TimelineRecord.seq <= last_seq)
        return list(session.exec(query.order_by(col(TimelineRecord.seq))).all())


def timeline_entry(events: Sequence[TimelineRecord], at: dt.datetime) -> Entry:
    """The timeline with the clause of each step (the last entry before the closing sheet)."""
    rows = "".join(
        f"<tr><td>{e.seq}</td><td class='nowrap'>{_esc(chinese_date(e.effective_on or _cst(e.at).date()))}</td>"
        f"<td>{_esc(e.summary_zh)}</td>"
        f"<td>{_esc(e.clause)}</td><td>{_esc((e.actor_unit or '') + ' ' + e.actor_name)}</td>"
        f"<td>{_esc(_label(e.stage_to, 'stage'))}</td></tr>" for e in events)
    body = ("<table class='list'><thead><tr><th>序号</th><th>日期</th><th>事项</th><th>依据条款</th><th>行为人</th>"
            f"<th>阶段</th></tr></thead><tbody>{rows}</tbody></table>")
    return Entry(key="timeline", kind="timeline", at=at, title="案件流程记录（含适用条款）", issuer="案件系统",
                 source=canonical([_event_record(e) for e in events]), html=_page("案件流程记录", body))


# --- the attachments hook -------------------------------------------------------------------------


@dataclass
class Attachment:
    """One attachment as the evidence listing gives it (issue 14): its bytes are fetched by ``read``."""

    sha256: str
    name: str
    media_type: str
    size: int
    by: str
    at: dt.datetime
    attached_to: str
    """What it is attached to (a document id, a task id, a timeline seq, ``case``)."""


def attachment_source(listing: Callable[[Engine, str], Iterable[Attachment]],
                      read: Callable[[str], bytes]) -> DossierSource:
    """**The hook where attachments plug in.** ``listing(engine, permit_no)`` gives a case's attachments and
    ``read(sha256)`` their bytes (content-addressed under ``<data_dir>/attachments/``). A PDF is merged as it is;
    an image is placed on a page of its own; anything else gets a page naming it (its hash still binds it).
    The lead wires the evidence branch's listing here (``DEFAULT_SOURCES`` + ``attachment_source(...)``)."""

    def source(engine: Engine, permit_no: str) -> list[Entry]:
        entries = []
        for a in listing(engine, permit_no):
            data = read(a.sha256)
            title = f"附件：{a.name}"
            entry = Entry(key=f"attachment:{a.sha256}", kind="attachment", at=a.at.astimezone(CST), title=title,
                          issuer=a.by, source=data, concerns=frozenset({a.attached_to}))
            caption = (f"<p class='caption'>{_esc(a.name)}（{_esc(a.media_type)}，{a.size} 字节）附于 {_esc(a.attached_to)}；"
                       f"{_esc(a.by)} {_esc(chinese_date(a.at))}<br>SHA-256 {a.sha256}</p>")
            if a.media_type == "application/pdf":
                entry.pdf = data
            elif a.media_type.startswith("image/"):
                uri = f"data:{a.media_type};base64,{base64.b64encode(data).decode()}"
                entry.html = _page("附件", f"{caption}<img class='attachment' src='{uri}' alt='{_esc(a.name)}'>")
            else:
                entry.html = _page("附件", f"{caption}<p>此类文件不能打印，以其哈希值入卷 / not printable: bound by its hash.</p>")
            entries.append(entry)
        return entries

    return source


DEFAULT_SOURCES: tuple[DossierSource, ...] = (documents_source, service_source, filings_source, reviews_source)
"""The sources held in the case file's own tables; ``sources_for(store)`` adds the evidence files."""


def evidence_listing(engine: Engine, permit_no: str) -> list[Attachment]:
    """The case's files (issue 14, ``operations.attachments.case_attachments``), each once, attached to what it
    was first used for (``case`` when uploaded and never used)."""
    from operations.attachments import case_attachments

    listed = []
    for row in case_attachments(engine, permit_no):
        uses = row["attached_to"]
        listed.append(Attachment(sha256=row["sha256"], name=row["name"], media_type=row["media_type"], size=row["size"],
                                 by=row["uploaded_by"], at=_aware(dt.datetime.fromisoformat(row["uploaded_at"])),
                                 attached_to=uses[0]["attached_to"] if uses else "case"))
    return listed


def _aware(at: dt.datetime) -> dt.datetime:
    return at if at.tzinfo else at.replace(tzinfo=dt.UTC)  # the case file keeps UTC


def sources_for(store: Any) -> tuple[DossierSource, ...]:
    """Every source of a dossier: the case file's tables and the evidence files in ``store`` (an
    ``operations.attachments.AttachmentStore``) — what the desk and the CLI bind and verify with."""

    def read(sha256: str) -> bytes:
        data = store.get(sha256)
        if data is None:
            raise DossierError(f"附件 {sha256[:12]}… 不在附件库中", f"the file {sha256[:12]}… is missing from the attachment store")
        return data

    return (*DEFAULT_SOURCES, attachment_source(evidence_listing, read))


# --- scope ------------------------------------------------------------------------------------------


@dataclass
class Scope:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    decision: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"from": self.date_from.isoformat() if self.date_from else None,
                "to": self.date_to.isoformat() if self.date_to else None, "decision": self.decision}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Scope:
        return cls(date_from=dt.date.fromisoformat(data["from"]) if data.get("from") else None,
                   date_to=dt.date.fromisoformat(data["to"]) if data.get("to") else None, decision=data.get("decision"))


def select_entries(entries: list[Entry], scope: Scope) -> list[Entry]:
    """The entries in scope: by date, or a decision and what it rests on — the documents issued before it
    and their service (the periods it applies count from them), the filings and reviews up to it (the
    proposal it decides and what the holder did), its own service, and attachments to any of them."""
    chosen = entries
    if scope.date_from:
        chosen = [e for e in chosen if e.at.date() >= scope.date_from]
    if scope.date_to:
        chosen = [e for e in chosen if e.at.date() <= scope.date_to]
    if scope.decision:
        decision = next((e for e in entries if e.key == f"document:{scope.decision}"), None)
        if decision is None:
            raise DossierError(f"本案没有文书 {scope.decision}", f"no document {scope.decision} on this case")
        kept = [e for e in chosen if e.at <= decision.at or scope.decision in e.concerns]
        ids = set().union(*(e.concerns for e in kept if e.kind in ("document", "service", "review")))
        chosen = [e for e in kept if e.kind != "attachment" or e.concerns & (ids | {"case"})]
    return chosen


# --- pages --------------------------------------------------------------------------------------------

STYLE = """
@page { size: A4; margin: 25mm 22mm 22mm 25mm; }
body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", "WenQuanYi Micro Hei", serif;
       font-size: 12pt; line-height: 1.6; color: #000; background: #fff; }
h1 { font-size: 20pt; text-align: center; letter-spacing: .2em; margin: 0 0 .8em; }
h2 { font-size: 15pt; margin: .6em 0; }
table { border-collapse: collapse; width: 100%; margin: .5em 0; }
td, th { border: 1px solid #000; padding: .2em .4em; text-align: left; vertical-align: top; word-break: break-all; }
th { font-weight: bold; white-space: nowrap; background: #fff; }
td.nowrap { white-space: nowrap; }
table.list { font-size: 9.5pt; }
.hash { font-family: "DejaVu Sans Mono", monospace; font-size: 7pt; }
.caption { font-size: 10pt; }
img.attachment { display: block; width: 100%; max-height: 210mm; object-fit: contain; margin: 1em auto; }
.cover td, .cover th { font-size: 14pt; padding: .5em; }
.cover h1 { font-size: 28pt; margin-top: 30mm; }
.cover .sub { text-align: center; font-size: 16pt; margin-bottom: 20mm; }
"""


def _page(heading: str, body: str) -> str:
    return (f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><style>{STYLE}</style></head>"
            f"<body><h1>{_esc(heading)}</h1>{body}</body></html>")


def _table(rows: Iterable[tuple[str, Any]]) -> str:
    return "<table>" + "".join(f"<tr><th>{_esc(k)}</th><td>{_esc(v)}</td></tr>" for k, v in rows) + "</table>"


def chinese_date(value: dt.date | dt.datetime | str | None) -> str:
    from casefile.documents import chinese_date as zh

    return zh(value)


def cover_html(case: CaseRecord, county: str, scope: Scope, bound_at: dt.datetime) -> str:
    rows = [("采矿许可证号", case.permit_no), ("矿山名称", case.mine_name), ("采矿权人", case.holder),
            ("所在乡镇", case.township), ("挂点县领导", case.leader or "—"), ("矿种", case.mineral or "—"),
            ("裸露面积（亩）", case.bare_area_mu), ("专项行动", case.campaign), ("处置路径", _label(case.path, "path")),
            ("当前阶段", _label(case.stage, "stage")), ("立卷日期", chinese_date(bound_at))]
    if scope.date_from or scope.date_to or scope.decision:
        rows.append(("立卷范围", _scope_zh(scope)))
    body = (f"<div class='cover'><h1>{_esc(county)}停产非煤矿山<br>生态环境整治案卷</h1><div class='sub'>一矿一档</div>"
            f"{_table(rows)}</div>")
    return _page("", body).replace("<h1></h1>", "", 1)


def _label(code: str, of: str) -> str:
    """A stage's or path's Chinese label (the code itself when unknown)."""
    from models.stages import Path, Stage

    kind: Any = Stage if of == "stage" else Path
    return str(kind(code).label_zh) if code in set(kind) else code


def _scope_zh(scope: Scope) -> str:
    parts = []
    if scope.date_from or scope.date_to:
        parts.append(f"{chinese_date(scope.date_from) or '立案'}至{chinese_date(scope.date_to) or '立卷'}")
    if scope.decision:
        parts.append(f"文书 {scope.decision} 及其依据")
    return "；".join(parts)


def toc_html(rows: list[dict[str, Any]]) -> str:
    body = "".join(
        f"<tr><td>{r['no']}</td><td class='nowrap'>{_esc(chinese_date(dt.date.fromisoformat(r['on'])))}</td><td>{_esc(r['title'])}"
        f"{'<br>' + _esc(r['number']) if r.get('number') else ''}<br><span class='hash'>SHA-256 {r['sha256']}</span></td>"
        f"<td>{_esc(r['issuer'])}</td><td class='nowrap'>{r['first_page']}–{r['last_page']}</td></tr>" for r in rows)
    return _page("卷内目录", "<table class='list'><thead><tr><th>序号</th><th>日期</th><th>题名 / 文号 / 哈希</th>"
                          f"<th>责任者</th><th>页号</th></tr></thead><tbody>{body}</tbody></table>")


def closing_html(total_pages: int, entries: int, by: str, bound_at: dt.datetime) -> str:
    rows = [("本卷共", f"{entries} 件，{total_pages} 页"), ("立卷人", by), ("立卷时间", f"{chinese_date(bound_at)} {bound_at:%H:%M}"),
            ("说明", "本卷由案件系统依一矿一档记录自动组卷；各件 SHA-256 见卷内目录，"
                   "本卷文件哈希登记于案卷库，可用 minecase dossier verify 核验。")]
    return _page("备考表", _table(rows))


def overlay_html(count: int, header: str) -> str:
    pages = "".join(
        f"<div class='p'><div class='h'>{_esc(header)}</div><div class='f'>第 {k} 页 共 {count} 页</div></div>"
        for k in range(1, count + 1))
    return ("<!doctype html><html><head><meta charset='utf-8'><style>@page{size:A4;margin:0}"
            "html,body{margin:0;background:transparent}"
            ".p{position:relative;width:210mm;height:297mm;page-break-after:always;overflow:hidden}"
            ".h,.f{position:absolute;left:0;right:0;text-align:center;font-size:9pt;color:#000;"
            "font-family:'Noto Serif CJK SC','WenQuanYi Micro Hei',serif}"
            ".h{top:8mm}.f{bottom:8mm}</style></head><body>" + pages + "</body></html>")


# --- binding -------------------------------------------------------------------------------------


@dataclass
class Bound:
    pdf: bytes
    sha256: str
    manifest: dict[str, Any]


def _print(htmls: list[str]) -> list[bytes]:
    from casefile.documents import html_to_pdf

    if not htmls:
        return []
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(html_to_pdf, htmls))


def _reader(data: bytes) -> Any:
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(data))


def page_hashes(reader: Any) -> list[str]:
    """A hash of each page as printed: its content streams and the images and forms it draws."""
    hashes = []
    for page in reader.pages:
        digest = hashlib.sha256()
        contents = page.get_contents()
        digest.update(contents.get_data() if contents is not None else b"")
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources is not None else None
        if xobjects is not None:
            for name, ref in sorted(xobjects.get_object().items()):
                digest.update(name.encode())
                digest.update(ref.get_object().get_data())
        hashes.append(digest.hexdigest())
    return hashes


_BODY = re.compile(r"<body>(.*)</body>", re.S)
_MARK = re.compile(r"No\.(\d{4})")


def print_entries(entries: Sequence[Entry]) -> list[bytes]:
    """Each entry as a PDF of its own pages. Documents print alone (their own page style, as issued); the pages
    this module writes print in one Chromium run, each entry from a new page under its 件号 mark
    (``卷内第 n 件 No.nnnn``), and are split where the marks are."""
    from pypdf import PdfWriter

    alone = [i for i, e in enumerate(entries) if e.pdf is None and e.kind == "document"]
    batched = [i for i, e in enumerate(entries) if e.pdf is None and e.kind != "document"]
    sections = []
    for i in batched:
        found = _BODY.search(entries[i].html or "")
        body = found.group(1) if found else _esc(entries[i].html)
        sections.append(f"<section class='entry'><div class='mark'>卷内第 {i + 1} 件 No.{i + 1:04d}</div>{body}</section>")
    html = _page("", "".join(sections)).replace("<h1></h1>", "", 1).replace(
        "</style>", ".entry{break-before:page}.entry:first-child{break-before:auto}"
                    ".mark{text-align:right;font-size:8pt}</style>", 1)
    printed = _print([entries[i].html or "" for i in alone] + ([html] if batched else []))
    parts: dict[int, bytes] = {i: printed[k] for k, i in enumerate(alone)}
    if batched:
        reader = _reader(printed[-1])
        starts: dict[int, int] = {}
        for number, page in enumerate(reader.pages):
            for mark in _MARK.findall(page.extract_text() or ""):
                starts.setdefault(int(mark) - 1, number)
        if sorted(starts) != batched or starts[batched[0]] != 0:
            raise MinecaseError("案卷分页失败", f"binding: entry marks not found on the pages ({sorted(starts)} vs {batched})")
        bounds = [starts[i] for i in batched] + [len(reader.pages)]
        for k, i in enumerate(batched):
            writer = PdfWriter()
            for number in range(bounds[k], bounds[k + 1]):
                writer.add_page(reader.pages[number])
            out = io.BytesIO()
            writer.write(out)
            parts[i] = out.getvalue()
    return [e.pdf if e.pdf is not None else parts[i] for i, e in enumerate(entries)]


def case_record(engine: Engine, permit_no: str) -> CaseRecord:
    with Session(engine) as session:
        case = session.get(CaseRecord, permit_no)
    if case is None:
        raise DossierError(f"没有采矿许可证号为 {permit_no} 的案件", f"no case for permit {permit_no}")
    return case


def county_of(case: CaseRecord) -> str:
    try:
        from models.policy import load_campaign

        return str(load_campaign(case.campaign).county)
    except Exception:  # noqa: BLE001 - a campaign file gone since: the plan's county
        return "上高县"


def gather(engine: Engine, permit_no: str, sources: Sequence[DossierSource], *, last_seq: int | None,
           scope: Scope) -> list[Entry]:
    """The entries of a case in scope, in date order, then its timeline (to ``last_seq``, the binding's)."""
    entries = select_entries([e for source in sources for e in source(engine, permit_no)], scope)
    entries.sort(key=lambda e: (e.at, e.key))
    events = timeline_events(engine, permit_no, last_seq)
    if scope.date_from:
        events = [e for e in events if (e.effective_on or _cst(e.at).date()) >= scope.date_from]
    if scope.date_to:
        events = [e for e in events if (e.effective_on or _cst(e.at).date()) <= scope.date_to]
    decision = next((e for e in entries if e.key == f"document:{scope.decision}"), None) if scope.decision else None
    if decision is not None:
        events = [e for e in events if _cst(e.at) <= decision.at]
    last = _cst(events[-1].at) if events else (entries[-1].at if entries else dt.datetime.now(CST))
    entries.append(timeline_entry(events, last))
    return entries


def bind(engine: Engine, permit_no: str, *, by: str, scope: Scope | None = None,
         sources: Sequence[DossierSource] = DEFAULT_SOURCES, now: dt.datetime | None = None) -> Bound:
    """Bind a case's dossier and record it in the case file (``dossiers``): its hash, who, when, its manifest."""
    from pypdf import PdfWriter

    permit_no = permit_no.strip().upper()
    scope = scope or Scope()
    case = case_record(engine, permit_no)
    bound_at = (now or dt.datetime.now(CST)).astimezone(CST)
    county = county_of(case)
    entries = gather(engine, permit_no, sources, last_seq=case.last_seq, scope=scope)

    parts = print_entries(entries)
    counts = [len(_reader(p).pages) for p in parts]
    (cover,) = _print([cover_html(case, county, scope, bound_at)])
    cover_pages = len(_reader(cover).pages)

    toc_pages, toc, rows = 1, b"", list[dict[str, Any]]()
    for _ in range(4):  # the contents' own length moves the numbers after it: settle it
        first = cover_pages + toc_pages + 1
        rows = []
        for number, (entry, count) in enumerate(zip(entries, counts, strict=True), start=1):
            rows.append({"no": number, "key": entry.key, "kind": entry.kind, "on": entry.at.date().isoformat(),
                         "title": entry.title, "number": entry.number, "issuer": entry.issuer, "sha256": entry.sha256,
                         "first_page": first, "last_page": first + count - 1, "pages": count})
            first += count
        (toc,) = _print([toc_html(rows)])
        if len(_reader(toc).pages) == toc_pages:
            break
        toc_pages = len(_reader(toc).pages)
    body_pages = cover_pages + toc_pages + sum(counts)
    (closing,) = _print([closing_html(body_pages + 1, len(entries), by, bound_at)])
    closing_pages = len(_reader(closing).pages)
    if closing_pages != 1:
        (closing,) = _print([closing_html(body_pages + closing_pages, len(entries), by, bound_at)])
    total = body_pages + closing_pages

    writer = PdfWriter()
    for part in [cover, toc, *parts, closing]:
        writer.append(_reader(part))
    header = f"{county}人民政府 · 停产非煤矿山整治案卷 · {case.permit_no} {case.mine_name}"
    (overlay,) = _print([overlay_html(total, header)])
    stamps = _reader(overlay).pages
    for page, stamp in zip(writer.pages, stamps, strict=True):
        page.merge_page(stamp)
    stamped = io.BytesIO()
    writer.write(stamped)

    reader = _reader(stamped.getvalue())
    dossier_id = uuid.uuid4().hex
    manifest = {
        "format": FORMAT, "id": dossier_id, "permit_no": permit_no, "county": county, "bound_by": by,
        "bound_at": bound_at.isoformat(), "last_seq": case.last_seq, "scope": scope.as_json(), "pages": total,
        "sections": {"cover": [1, cover_pages], "contents": [cover_pages + 1, cover_pages + toc_pages],
                     "closing": [body_pages + 1, total]},
        "entries": rows, "page_sha256": page_hashes(reader),
    }
    final = PdfWriter(clone_from=reader)
    final.add_metadata({"/Title": f"{case.mine_name} 案卷 {permit_no}", "/Author": by, "/Subject": "一矿一档 案卷",
                        "/Creator": "minecase dossier", "/MinecaseDossier": dossier_id})
    final.add_attachment(MANIFEST_NAME, canonical(manifest))
    out = io.BytesIO()
    final.write(out)
    pdf = out.getvalue()
    sha = hashlib.sha256(pdf).hexdigest()
    with Session(engine) as session:
        session.add(DossierRecord(id=dossier_id, permit_no=permit_no, sha256=sha, pages=total, entries=len(rows),
                                  produced_by=by, produced_at=to_db(bound_at), scope=scope.as_json(), manifest=manifest))
        session.commit()
    return Bound(pdf=pdf, sha256=sha, manifest=manifest)


# --- verifying ------------------------------------------------------------------------------------


@dataclass
class Verdict:
    dossier_id: str | None = None
    permit_no: str | None = None
    differences: list[tuple[str, str]] = field(default_factory=list)
    """(zh, en) of each difference: any makes the verdict fail."""
    notes: list[tuple[str, str]] = field(default_factory=list)
    """What the case file holds since the binding (not a difference: the dossier is as of its date)."""

    @property
    def ok(self) -> bool:
        return not self.differences

    def differ(self, zh: str, en: str) -> None:
        self.differences.append((zh, en))

    def as_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "dossier_id": self.dossier_id, "permit_no": self.permit_no,
                "differences": [{"zh": zh, "en": en} for zh, en in self.differences],
                "notes": [{"zh": zh, "en": en} for zh, en in self.notes]}


def read_manifest(data: bytes) -> dict[str, Any]:
    reader = _reader(data)
    found = reader.attachments.get(MANIFEST_NAME)
    if not found:
        raise ValueError("no manifest")
    return dict(json.loads(found[0]))


def verify(engine: Engine, data: bytes, sources: Sequence[DossierSource] = DEFAULT_SOURCES) -> Verdict:
    """Re-check a dossier file against the case file: the file as bound, every page, every entry."""
    verdict = Verdict()
    try:
        reader = _reader(data)
        embedded = read_manifest(data)
    except Exception as error:  # noqa: BLE001 - whatever pypdf says of a broken file, it is a difference
        verdict.differ(f"无法读取案卷或其清单：{type(error).__name__}", f"the dossier or its manifest cannot be read: {error}")
        return verdict
    verdict.dossier_id, verdict.permit_no = embedded.get("id"), embedded.get("permit_no")
    with Session(engine) as session:
        record = session.get(DossierRecord, str(embedded.get("id")))
    if record is None:
        verdict.differ("案卷库中没有此案卷的登记", f"the case file has no dossier {embedded.get('id')}")
        return verdict
    manifest = record.manifest
    sha = hashlib.sha256(data).hexdigest()
    if sha != record.sha256:
        verdict.differ(f"文件哈希与登记不符（登记 {record.sha256[:16]}…，此文件 {sha[:16]}…）",
                       f"the file's SHA-256 differs from the one recorded ({record.sha256[:16]}… vs {sha[:16]}…)")
    if canonical(embedded) != canonical(manifest):
        verdict.differ("文件内嵌清单与登记不符", "the manifest in the file differs from the one recorded")
    pages = _safe_page_hashes(reader)
    recorded = manifest["page_sha256"]
    if len(pages) != len(recorded):
        verdict.differ(f"页数不符：登记 {len(recorded)} 页，此文件 {len(pages)} 页",
                       f"page count differs: {len(recorded)} recorded, {len(pages)} in the file")
    for number, (now, then) in enumerate(zip(pages, recorded, strict=False), start=1):
        if now != then:
            where = _page_owner(manifest, number)
            verdict.differ(f"第 {number} 页内容与登记不符（{where[0]}）", f"page {number} differs ({where[1]})")
            if len(pages) != len(recorded):
                break  # pages shifted: the first is enough to say where
    _check_entries(engine, manifest, sources, verdict)
    return verdict


def _safe_page_hashes(reader: Any) -> list[str]:
    try:
        return page_hashes(reader)
    except Exception:  # noqa: BLE001 - a page pypdf cannot read differs from the one bound
        return []


def _page_owner(manifest: dict[str, Any], number: int) -> tuple[str, str]:
    for row in manifest["entries"]:
        if row["first_page"] <= number <= row["last_page"]:
            return f"卷内第 {row['no']} 件 {row['title']}", f"entry {row['no']} {row['key']}"
    for name, (first, last) in manifest["sections"].items():
        if first <= number <= last:
            zh = {"cover": "封面", "contents": "卷内目录", "closing": "备考表"}[name]
            return zh, name
    return "", ""


def _check_entries(engine: Engine, manifest: dict[str, Any], sources: Sequence[DossierSource], verdict: Verdict) -> None:
    permit_no = manifest["permit_no"]
    scope = Scope.from_json(manifest["scope"])
    try:
        entries = gather(engine, permit_no, sources, last_seq=manifest["last_seq"], scope=scope)
    except DossierError as error:
        verdict.differ(error.zh, error.en)
        return
    now = {e.key: e for e in entries}
    for row in manifest["entries"]:
        entry = now.pop(row["key"], None)
        if entry is None:
            verdict.differ(f"卷内第 {row['no']} 件（{row['title']}）在案卷库中已不存在",
                           f"entry {row['no']} ({row['key']}) is no longer in the case file")
        elif entry.sha256 != row["sha256"]:
            verdict.differ(f"卷内第 {row['no']} 件（{row['title']}）与案卷库现存内容不符",
                           f"entry {row['no']} ({row['key']}) differs from the case file now")
    if now:  # recorded since the binding: the dossier is as of its date
        verdict.notes.append((f"立卷后案卷库又有 {len(now)} 件记录（可重新立卷）：" + "、".join(e.title for e in now.values()),
                              f"{len(now)} entries recorded since the binding (bind again to include them): " + ", ".join(now)))


def dossiers_of(engine: Engine, permit_no: str) -> list[DossierRecord]:
    with Session(engine) as session:
        return list(session.exec(select(DossierRecord).where(DossierRecord.permit_no == permit_no)
                                 .order_by(col(DossierRecord.produced_at))).all())


def file_name(case: CaseRecord, bound_at: dt.datetime) -> str:
    return re.sub(r'[\\/:*?"<>|]', "_", f"{case.mine_name}-案卷-{bound_at:%Y%m%d}.pdf")
