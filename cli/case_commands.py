"""Case commands: run the product, register, read, act, simulate.

The command line is the office's console: it names the actor of each input (``--by`` and the
unit options) and the workflow checks that actor against the rule of the step, as it does for
the web, where the actor comes from the sign-in instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import getpass
import json
import signal
from collections.abc import Awaitable, Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from models.calendar import CST
from models.errors import MinecaseError
from models.messages import (
    ApplyCancellation,
    ApplyResumeProduction,
    DecideDisposition,
    DecideRenewal,
    MineFacts,
    MoveDeadline,
    ProposeDisposition,
    RecordReview,
    ReportWorksDone,
    ServeDocument,
    SubmitDocument,
)
from models.roles import Actor, Department, Role
from models.stages import Stage
from models.views import CaseView
from runtime.settings import Settings

console = Console()


class Proposal(StrEnum):
    continue_ = "continue"
    cancel = "cancel"


class WorksScope(StrEnum):
    """整治范围：rectification 整治任务（整体）/ unused_zones 延续矿山不使用区裸露区整治（四.2，单独验收）."""

    rectification = "rectification"
    unused_zones = "unused_zones"


def _run(body: Callable[..., Awaitable[Any]], *, start_server: bool = False) -> Any:
    """Open the runtime (settings → Temporal client → case file) and run ``body(runtime)``."""
    from runtime.resources import Runtime

    async def main() -> Any:
        settings = Settings()
        try:
            async with Runtime(settings, start_server=start_server) as runtime:
                return await body(runtime)
        except (ConnectionError, OSError, RuntimeError) as error:
            if isinstance(error, MinecaseError):
                raise
            raise MinecaseError(
                f"无法连接 Temporal 服务（{settings.temporal_address or f'127.0.0.1:{settings.temporal_port}'}），请先运行 minecase up",
                "cannot reach the Temporal server; start it with 'minecase up'",
            ) from None

    return asyncio.run(main())


def _actor(role: Role, by: str | None, **unit: Any) -> Actor:
    return Actor(role=role, name=by or getpass.getuser(), **unit)


def _print_view(view: CaseView, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(status_json(view), ensure_ascii=False, indent=2))
        return
    console.print(f"[bold]{view.permit_no}[/] {view.mine_name}  {view.township}")
    console.print(f"阶段 stage: [bold]{view.stage_label_zh}[/] ({view.stage})   路径 path: {view.path}"
                  + ("   [red]逾期 overdue[/]" if view.overdue else ""))
    if view.deadlines:
        table = Table("期限 deadline", "最后一日 last day", "状态 status", "")
        for d in view.deadlines:
            note = "暂定 provisional" if d.provisional else (f"由 {d.moved_from} 顺延" if d.moved_from else "")
            if d.awaiting_service:
                note = f"自 {d.awaiting_service} 送达之日起计算 counts from service"
            table.add_row(f"{d.label_zh} {d.kind}", str(d.due or "…"), d.status, note)
        console.print(table)
    if view.open_obligations:
        table = Table("待办 open", "责任方 who", "任务 task", "期限 due")
        for o in view.open_obligations:
            who = o.get("department") or o["responsible"]
            due = (o.get("due") or "") + (" 暂定" if o.get("provisional") else "")
            table.add_row(o["label_zh"], who, o.get("task_id") or o.get("item") or "", due)
        console.print(table)


def status_json(view: CaseView) -> dict[str, Any]:
    return {
        "permit_no": view.permit_no,
        "mine_name": view.mine_name,
        "township": view.township,
        "stage": view.stage,
        "stage_label_zh": view.stage_label_zh,
        "path": view.path,
        "overdue": view.overdue,
        "business_time": view.business_time.astimezone(CST).isoformat(),
        "deadlines": [
            {
                "kind": d.kind,
                "label_zh": d.label_zh,
                "due": d.due.isoformat() if d.due else None,
                "overdue_from": d.overdue_from.astimezone(CST).isoformat() if d.overdue_from else None,
                "provisional": d.provisional,
                "status": d.status,
                "moved_from": d.moved_from.isoformat() if d.moved_from else None,
                "moves": d.moves,
                "awaiting_service": d.awaiting_service,
            }
            for d in view.deadlines
        ],
        "open_obligations": _with_proposals(view),
    }


def _with_proposals(view: CaseView) -> list[dict[str, Any]]:
    """Open obligations; a consequence proposed to its competent body carries its proposal (due process)."""
    proposals = {t.id: t.proposal for t in view.tasks if t.proposal is not None}
    return [
        {**o, "proposal": proposals[o["task_id"]].model_dump(mode="json")} if o.get("task_id") in proposals else o
        for o in view.open_obligations
    ]


# --- running the product ------------------------------------------------------------------------


def up(
    seed: Annotated[bool, typer.Option(help="登记 40 个虚构样例矿山 / register the 40 fictional sample mines")] = True,
    web: Annotated[bool, typer.Option(help="同时提供网页 / serve the web desk too")] = True,
    host: Annotated[str, typer.Option(help="网页地址 / web host")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="网页端口 / web port")] = 8000,
) -> None:
    """启动服务（Temporal、worker、网页）并登记样例 / run server, worker and web, seeded with sample data."""
    from runtime.logging import configure_logging
    from runtime.resources import Runtime
    from starter import seed_demo
    from worker import build_worker

    settings, notice = demo_campaign(Settings())
    configure_logging(settings.log_format)
    if notice:
        console.print(notice, soft_wrap=True)

    async def main() -> None:
        async with (
            Runtime(settings, upgrade_schema=True) as runtime,  # the case file upgraded to the newest schema
            build_worker(runtime.client, runtime.engine, settings.task_queue),
        ):
            console.print(f"Temporal: {runtime.address}   Web UI: http://127.0.0.1:{settings.temporal_ui_port}"
                          if runtime.server else f"Temporal: {runtime.address}")
            console.print(f"案卷 case file: {settings.resolved_database_url()}")
            if seed:
                from models.policy import load_campaign

                policy = load_campaign("rolling-example").resolve(dt.datetime.now(CST).date())
                count = await seed_demo(runtime.client, runtime.engine, settings.task_queue, policy)
                console.print(f"样例 sample ledger: {count} 个新案件 new cases (campaign {policy.id})")
            serve = _web_server(runtime, host, port) if web else None
            if serve is not None:
                await serve
            else:
                console.print("运行中，Ctrl-C 退出 / running; Ctrl-C to stop")
                await asyncio.Event().wait()

    _stop_on_sigterm()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())


def demo_campaign(settings: Settings) -> tuple[Settings, str | None]:
    """``minecase up`` with no campaign chosen runs its demo on the rolling example, and says so in one line."""
    from operations.campaigns import DEMO_CAMPAIGN

    if settings.campaign:
        return settings, None
    return settings.model_copy(update={"campaign": DEMO_CAMPAIGN}), (
        f"未选择专项行动：演示使用 {DEMO_CAMPAIGN}；正式使用请设置 MINECASE_CAMPAIGN=shanggao-2023 或 campaigns/ 中的文件"
        f" / no campaign chosen: the demo runs on {DEMO_CAMPAIGN}; choose one with MINECASE_CAMPAIGN=shanggao-2023 or a file in campaigns/")


def _stop_on_sigterm() -> None:
    """SIGTERM (``kill``, ``timeout``, systemd) stops like Ctrl-C: the worker, the web and the embedded
    Temporal server are shut down in order instead of leaving the server running without its parent."""

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def _web_server(runtime: Any, host: str, port: int) -> Awaitable[None] | None:
    try:
        from api.serve import demo_users, serve_web
    except ImportError:
        return None
    console.print("演示账号 demo sign-ins（仅供演示 demo only）:")
    for user in demo_users(runtime.engine):
        console.print(f"  {user.name:10} {user.password:16} {user.role:10} {user.scope}")
    console.print(f"网页 web: http://{host}:{port}/")
    return serve_web(runtime, host, port, secret_key=runtime.settings.secret_key)


def worker() -> None:
    """只运行 worker（无地址时启动内嵌 Temporal）/ run the worker only."""
    import worker as worker_module

    _stop_on_sigterm()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(worker_module.main())


def seed() -> None:
    """向运行中的服务登记样例台账 / register the sample ledger with a running server."""
    from models.policy import load_campaign
    from starter import seed_demo

    async def body(runtime: Any) -> int:
        policy = load_campaign("rolling-example").resolve(dt.datetime.now(CST).date())
        return await seed_demo(runtime.client, runtime.engine, runtime.settings.task_queue, policy)

    console.print(f"样例 sample ledger: {_run(body)} 个新案件 new cases")


# --- registering and reading --------------------------------------------------------------------


def register(
    permit_no: Annotated[str, typer.Argument(help="采矿许可证号 permit number")],
    name: Annotated[str, typer.Option("--name", help="矿山名称 mine name")],
    holder: Annotated[str, typer.Option(help="采矿权人 holder")],
    township: Annotated[str, typer.Option(help="所属林场、乡镇 township")],
    leader: Annotated[str, typer.Option(help="挂点县领导 county leader in charge")] = "",
    mineral: Annotated[str, typer.Option(help="矿种 mineral")] = "",
    area: Annotated[float, typer.Option(help="裸露区面积（亩）bare area (mu)")] = 0.0,
    exhausted: Annotated[bool, typer.Option(help="资源枯竭 resources exhausted")] = False,
    never_produced: Annotated[bool, typer.Option(help="建矿至今未生产 never produced")] = False,
    campaign: Annotated[str | None, typer.Option(help="专项行动（默认 MINECASE_CAMPAIGN）campaign")] = None,
    by: Annotated[str | None, typer.Option(help="操作人 who")] = None,
    on: On = None,
) -> None:
    """登记一个停产矿山（接入已在进行的专项行动时用 --on 写明登记之日）/ register one stopped mine (--on: the day it
    was registered, when taking in a campaign already running)."""
    from operations import cases
    from operations.campaigns import campaign_policy

    facts = _facts(permit_no=permit_no, mine_name=name, holder=holder, township=township, leader=leader,
                   mineral=mineral, bare_area_mu=area, resources_exhausted=exhausted, never_produced=never_produced)
    registered_on = _day(on)
    policy = campaign_policy(campaign or Settings().campaign)  # none chosen: refused before connecting

    async def body(runtime: Any) -> cases.Registration:
        return await cases.register_case(runtime.client, runtime.engine, runtime.settings.task_queue, facts, policy,
                                         _actor(Role.office, by), on=registered_on)

    result = _run(body)
    if result.created:
        console.print(f"已登记 registered: {result.permit_no}")
    else:
        console.print(f"已有此案，未重复登记 / already registered: {result.permit_no}")


def _facts(**fields: Any) -> MineFacts:
    from pydantic import ValidationError

    try:
        return MineFacts(**fields)
    except ValidationError as error:
        first = error.errors()[0]
        raise MinecaseError(f"{first['loc'][0]}：{first['msg'].removeprefix('Value error, ')}", "invalid mine facts") from None


def status(
    permit_no: str,
    as_json: Annotated[bool, typer.Option("--json", help="JSON 输出")] = False,
) -> None:
    """案件当前阶段、期限和待办 / a case's stage, deadlines and open obligations."""
    from operations import cases

    view = _run(lambda runtime: cases.live_status(runtime.client, permit_no))
    _print_view(view, as_json)


def history(
    permit_no: str,
    as_json: Annotated[bool, typer.Option("--json", help="JSON 输出")] = False,
) -> None:
    """一矿一档：案件全部记录（来自案卷数据库）/ the full record of a case, from the case file."""
    from casefile.db import open_casefile
    from operations import cases

    record = cases.case_history(open_casefile(Settings().resolved_database_url()), permit_no)
    if as_json:
        typer.echo(json.dumps(record, ensure_ascii=False, indent=2))
        return
    case = record["case"]
    console.print(f"[bold]{case['permit_no']}[/] {case['mine_name']}  {case['township']}  阶段 {case['stage']}")
    table = Table("#", "发生 happened", "登记 recorded (CST)", "条款 clause", "操作人 actor", "事项 what", "阶段 stage")
    for event in record["timeline"]:
        actor = f"{event['actor_unit'] or event['actor_role']}·{event['actor_name']}"
        table.add_row(str(event["seq"]), event["effective_on"], event["recorded_at"][:16].replace("T", " "), event["clause"], actor,
                      event["summary_zh"], f"{event['stage_from']}→{event['stage_to']}")
    console.print(table)


def list_(
    stage: Annotated[Stage | None, typer.Option(help="阶段 stage")] = None,
    township: Annotated[str | None, typer.Option(help="乡镇 township")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="只看逾期 overdue only")] = False,
    query: Annotated[str | None, typer.Option(
        "--query", "-q", help="矿山名称、采矿权人或许可证号片段 mine name, holder or part of the permit number")] = None,
    light: Annotated[str | None, typer.Option(help="灯色 red / yellow / green / none")] = None,
    sort: Annotated[str | None, typer.Option(
        help="排序 due（默认）, name, holder, township, stage, permit_no；前加 - 倒序 / sort, -field descending")] = None,
    page: Annotated[int | None, typer.Option(help="页码，从 1 起 page, from 1")] = None,
    page_size: Annotated[int | None, typer.Option("--page-size", help="每页条数 page size (1–200)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON 输出（本页的案件）/ the page's cases as JSON")] = False,
) -> None:
    """案件列表（逾期在前，按最近期限排序）/ cases, overdue first, nearest deadline first."""
    from casefile.db import open_casefile
    from operations.reads import search_cases

    found = search_cases(open_casefile(Settings().resolved_database_url()), stage=stage.value if stage else None,
                         township=township, overdue=True if overdue else None, q=query, light=light, sort=sort,
                         page=page, page_size=page_size)
    rows = found["cases"]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    colour = {"red": "red", "yellow": "yellow", "green": "green"}
    table = Table("许可证号 permit", "矿山 mine", "乡镇 township", "阶段 stage", "下一期限 next due", "剩余天数 days left",
                  "待办 next or late · 单位 who")
    for r in rows:
        item = r["next_item"]
        days = "" if item is None else str(item["days_left"])
        style = colour.get(r["light"])
        what = f"{'逾期 ' if item['late'] else ''}{item['label_zh']} · {item['owner_zh']}" if item else ""
        table.add_row(r["permit_no"], r["mine_name"], r["township"], r["stage_label_zh"], item["due"] if item else "",
                      f"[{style}]{days}[/]" if style and days else days, what)
    console.print(table)
    if len(rows) < found["total"]:
        console.print(f"共 {found['total']} 件，第 {found['page']}/{found['pages']} 页 / {found['total']} cases, "
                      f"page {found['page']} of {found['pages']}")
    else:
        console.print(f"共 {found['total']} 件 / {found['total']} cases")


def inbox(
    department: Annotated[Department | None, typer.Option(help="部门 department")] = None,
    township: Annotated[str | None, typer.Option(help="乡镇 township")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON 输出")] = False,
) -> None:
    """部门或乡镇的待办任务 / open tasks of a department or township."""
    from casefile.db import open_casefile
    from operations import cases

    rows = cases.inbox(open_casefile(Settings().resolved_database_url()), department=department.value if department else None,
                       township=township)
    if as_json:
        typer.echo(json.dumps([r.model_dump(mode="json") for r in rows], ensure_ascii=False, indent=2))
        return
    table = Table("任务 task", "事项 subject", "部门/乡镇 unit", "期限 due")
    for r in rows:
        table.add_row(r.id, r.subject_zh, r.department or r.township or r.assignee_role,
                      f"{r.due or ''}{' 暂定' if r.due_provisional else ''}{' [red]已逾期上报[/]' if r.escalated else ''}")
    console.print(table)


DOCUMENT_FIELDS = ("id", "kind", "title", "number", "issued_on", "served_on", "addressee", "service_method", "served_by", "url")
"""What ``minecase document PERMIT --json`` gives of each document."""


def document(
    permit_no: str,
    document_id: Annotated[str | None, typer.Argument(help="文书编号；不填则列出 document id; omit to list")] = None,
    pdf: Annotated[Path | None, typer.Option(help="另存为 PDF / write a PDF")] = None,
    html: Annotated[Path | None, typer.Option(help="另存为 HTML / write the HTML")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON 输出（列出文书）/ list as JSON")] = False,
) -> None:
    """案件文书：决定书、通知书、公告、移送函及其送达 / a case's documents and their service, as HTML or PDF."""
    from casefile.db import open_casefile
    from casefile.documents import html_to_pdf
    from operations import reads

    permit_no = permit_no.strip().upper()
    engine = open_casefile(Settings().resolved_database_url())
    if document_id is None:
        documents = reads.case_documents(engine, permit_no)  # the desk's list of a case's documents
        if as_json:
            typer.echo(json.dumps([{k: d[k] for k in DOCUMENT_FIELDS} for d in documents], ensure_ascii=False, indent=2))
            return
        if not documents:
            console.print("本案暂无文书 / no documents on this case")
        for doc in documents:
            served = f"已送达 served {doc['served_on']}" if doc["served_on"] else "未送达 not served"
            typer.echo(f"{doc['id']}  {doc['title']}  ({doc['clause']})  {doc['issued_on'] or ''}  {served}")  # one line each
        return
    text = reads.document_html(engine, permit_no, document_id)
    if text is None:
        raise MinecaseError(f"本案没有文书 {document_id}", f"no document {document_id} on this case")
    if html:
        html.write_text(text, encoding="utf-8")
    if pdf:
        pdf.write_bytes(html_to_pdf(text))
    if not (html or pdf):
        typer.echo(text)


# --- acting ----------------------------------------------------------------------------------------

By = Annotated[str | None, typer.Option("--by", help="操作人姓名 who acts")]
On = Annotated[str | None, typer.Option(
    "--on", help="行为发生之日 YYYY-MM-DD（会议、提交、签发、送达之日；默认今天）/ the day it legally happened")]


def _day(value: str | None, option: str = "--on") -> dt.date | None:
    """A date typed on the command line (YYYY-MM-DD); a malformed one is refused in one line."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise MinecaseError(f"{option} 日期“{value}”无效，应为 YYYY-MM-DD", f"{option}: '{value}' is not a date (YYYY-MM-DD)") from None


def _named_deadlines(values: list[str] | None) -> dict[str, dt.date]:
    """``--deadline KIND=YYYY-MM-DD`` (repeatable): the dates a decision names for passed campaign dates."""
    named: dict[str, dt.date] = {}
    for value in values or []:
        kind, sep, day = value.partition("=")
        if not sep or not kind.strip():
            raise MinecaseError(f"--deadline “{value}”应为 期限=YYYY-MM-DD", f"--deadline '{value}' must be KIND=YYYY-MM-DD")
        parsed = _day(day, f"--deadline {kind.strip()}")
        assert parsed is not None
        named[kind.strip()] = parsed
    return named
Comment = Annotated[str, typer.Option(help="意见 comment")]
Json = Annotated[bool, typer.Option("--json", help="JSON 输出")]


def _act(permit_no: str, verb: str, message: Any, as_json: bool) -> None:
    from operations import cases, oplog

    async def send(runtime: Any) -> CaseView:
        """The input, and its line in the operation log (issue 18 item 7): the actor named here, its outcome."""
        entry = oplog.cli_entry(message.actor, verb, permit_no)
        try:
            view = await cases.act(runtime.client, permit_no, verb, message)
        except MinecaseError as error:
            entry.refuse(error.zh, error.en)
            entry.finish(2)  # the exit code of a refusal
            oplog.record(runtime.engine, entry)
            raise
        except Exception as error:
            entry.refuse("出错", f"{type(error).__name__}", outcome="error")
            entry.finish(1)
            oplog.record(runtime.engine, entry)
            raise
        entry.finish(0)
        oplog.record(runtime.engine, entry)
        return view

    view = _run(send)
    _print_view(view, as_json)


def propose(permit_no: str, path: Proposal, township: Annotated[str, typer.Option(help="乡镇 township")],
            reason: Annotated[str, typer.Option(help="理由 reason")] = "", by: By = None, on: On = None, as_json: Json = False) -> None:
    """四.1 乡镇提出处置意见（延续/注销）/ the township proposes continue or cancel."""
    _act(permit_no, "propose_disposition",
         ProposeDisposition(actor=_actor(Role.township, by, township=township), path=path.value, reason=reason, on=_day(on)), as_json)


def decide(permit_no: str, approve: Annotated[bool, typer.Option("--approve/--reject")], comment: Comment = "",
           by: By = None, on: On = None,
           deadline: Annotated[list[str] | None, typer.Option(
               "--deadline", help="专项行动期限已过时另行明确：期限=YYYY-MM-DD（可多次）/ KIND=YYYY-MM-DD for a passed campaign date")]
           = None,
           as_json: Json = False) -> None:
    """四.1 县政府研究处置意见 / the county decides the disposition."""
    _act(permit_no, "decide_disposition", DecideDisposition(actor=_actor(Role.county, by), approve=approve, comment=comment,
                                                            on=_day(on), deadlines=_named_deadlines(deadline)), as_json)


def submit(permit_no: str, item: Annotated[str, typer.Argument(help="材料 document code, e.g. eia_report")],
           title: Annotated[str, typer.Option(help="标题 title")] = "", by: By = None, on: On = None, as_json: Json = False) -> None:
    """四.1 采矿权人提交审批材料 / the holder submits a document."""
    _act(permit_no, "submit_document", SubmitDocument(actor=_actor(Role.holder, by), item=item, title=title, on=_day(on)), as_json)


def works_done(permit_no: str, by: By = None, on: On = None, as_json: Json = False,
               scope: Annotated[WorksScope, typer.Option(
                   help="范围：rectification 整治任务 / unused_zones 不使用区裸露区整治（四.2，单独验收）"
                        " / what is done: the rectification works, or a continue mine's unused-zone works")]
               = WorksScope.rectification) -> None:
    """五.1 采矿权人报告整治完成（或不使用区裸露区整治完成）/ the holder reports the works (or the unused-zone works) finished."""
    _act(permit_no, "report_works_done", ReportWorksDone(actor=_actor(Role.holder, by), scope=scope.value, on=_day(on)), as_json)


def review(task_id: str, approve: Annotated[bool, typer.Option("--approve/--reject")],
           department: Annotated[Department | None, typer.Option(help="部门 department")] = None,
           township: Annotated[str | None, typer.Option(help="乡镇（初验）township, for inspections")] = None,
           comment: Comment = "", by: By = None, on: On = None, as_json: Json = False) -> None:
    """办理任务：部门、乡镇、专家，或县政府研究提请的处理决定；不指定单位则按任务的承办方 / decide a task
    (a department's, a township's, the experts', or a consequence proposed to the county); without a unit,
    as the task's assignee in the case file."""
    if department is not None and township is not None:
        raise MinecaseError("请只指定 --department 或 --township 之一", "give only one of --department or --township")
    if not approve and not comment.strip():
        raise MinecaseError("不通过须说明理由", "a rejection needs its reason (--comment)")
    permit_no = task_id.rsplit("-", 1)[0]
    if department is not None:
        actor = _actor(Role.department, by, department=department)
    elif township is not None:
        actor = _actor(Role.township, by, township=township)
    else:
        permit_no, actor = _assignee(task_id, by)
    _act(permit_no, "record_review", RecordReview(actor=actor, task_id=task_id, approved=approve, comment=comment, on=_day(on)), as_json)


def _assignee(task_id: str, by: str | None) -> tuple[str, Actor]:
    """The case and the assignee of a task, as the case file holds them: the actor the task is for."""
    from sqlmodel import Session

    from casefile.db import open_casefile
    from casefile.tables import TaskRecord

    with Session(open_casefile(Settings().resolved_database_url())) as session:
        task = session.get(TaskRecord, task_id.strip())
    if task is None:
        raise MinecaseError(f"案卷中没有任务 {task_id}", f"no task {task_id} in the case file")
    role = Role(task.assignee_role)
    department = Department(task.department) if task.department else None
    return task.permit_no, _actor(role, by, department=department, township=task.township)


class ServiceMethod(StrEnum):
    direct = "direct"
    post = "post"
    electronic = "electronic"
    announcement = "announcement"


def serve(permit_no: str, document_id: Annotated[str, typer.Argument(help="文书编号 document id")],
          method: Annotated[ServiceMethod, typer.Option(help="送达方式：直接、邮寄、电子、公告 / how it was served")],
          by: Annotated[str, typer.Option("--by", help="送达人 who served it")],
          url: Annotated[str | None, typer.Option(help="公告的发布网址 / where a notice was published")] = None,
          township: Annotated[str | None, typer.Option(help="以乡镇名义 as this township (default: office)")] = None,
          county: Annotated[bool, typer.Option("--county", help="以县政府名义 as the county (default: office)")] = False,
          on: On = None, as_json: Json = False) -> None:
    """登记送达：决定书、通知书送达采矿权人，或在县政府网站发布注销公告（公告送达，填网址）/ record that a
    document was served, or that a cancellation notice was published (announcement, with its URL)."""
    if township is not None and county:
        raise MinecaseError("请只指定 --township 或 --county 之一", "give only one of --township or --county")
    role = Role.township if township is not None else Role.county if county else Role.office
    actor = _actor(role, by, township=township)
    _act(permit_no.strip().upper(), "serve_document",
         ServeDocument(actor=actor, document_id=document_id.strip(), method=method.value, url=url, on=_day(on)), as_json)


def renewal(permit_no: str, approve: Annotated[bool, typer.Option("--approve/--reject")], comment: Comment = "",
            by: By = None, on: On = None, as_json: Json = False) -> None:
    """四.1 县政府常务会议研究延续 / the executive meeting decides the renewal."""
    _act(permit_no, "decide_renewal", DecideRenewal(actor=_actor(Role.county, by), approve=approve, comment=comment, on=_day(on)),
         as_json)


def resume(permit_no: str, by: By = None, on: On = None, as_json: Json = False) -> None:
    """五.1 采矿权人申请恢复生产 / the holder applies to resume production."""
    _act(permit_no, "apply_resume_production", ApplyResumeProduction(actor=_actor(Role.holder, by), on=_day(on)), as_json)


def apply_cancel(permit_no: str, township: Annotated[str | None, typer.Option(
                     help="乡镇（视为放弃矿权后由乡镇申请）township, for an abandoned right; omit when the holder applies")] = None,
                 by: By = None, on: On = None, as_json: Json = False) -> None:
    """四.3 注销申请：采矿权人完成整治后申请，或视为放弃矿权后由乡镇申请 / apply to cancel: the holder after its
    works, or the township for an abandoned right."""
    actor = _actor(Role.township, by, township=township) if township else _actor(Role.holder, by)
    _act(permit_no, "apply_cancellation", ApplyCancellation(actor=actor, on=_day(on)), as_json)


def move_deadline(permit_no: str, kind: Annotated[str, typer.Argument(help="期限 deadline kind, e.g. rectification")],
                  new_last_day: Annotated[str, typer.Argument(help="新的最后一日 YYYY-MM-DD")],
                  meeting: Annotated[str, typer.Option(help="会议及纪要 the meeting and its minutes")],
                  reason: Annotated[str, typer.Option(help="理由 reason")],
                  county: Annotated[bool, typer.Option("--county", help="以县政府名义 as the county (default: office)")] = False,
                  by: By = None, on: On = None, as_json: Json = False) -> None:
    """五.3 一事一议：集体研究调整期限 / a collective decision moves a deadline."""
    try:
        day = dt.date.fromisoformat(new_last_day)
    except ValueError:
        raise MinecaseError(f"日期“{new_last_day}”无效（YYYY-MM-DD）", f"'{new_last_day}' is not a date (YYYY-MM-DD)") from None
    actor = _actor(Role.county if county else Role.office, by)
    _act(permit_no, "move_deadline", MoveDeadline(actor=actor, kind=kind, new_last_day=day, meeting=meeting, reason=reason,
                                                     on=_day(on)), as_json)


# --- the ledger (台账) -------------------------------------------------------------------------------

ledger_app = typer.Typer(help="台账：导入与导出 / the ledger: import and export", no_args_is_help=True)


@ledger_app.command("import")
def ledger_import(
    file: Annotated[Path, typer.Argument(help="台账 .xlsx 或 .csv / ledger file")],
    campaign: Annotated[str | None, typer.Option(help="专项行动（默认 MINECASE_CAMPAIGN）/ campaign")] = None,
    check: Annotated[bool, typer.Option("--check", help="只检查，不登记 / check every row, register nothing")] = False,
    by: By = None,
    as_json: Json = False,
) -> None:
    """导入台账（可含各环节日期）：逐行校验并按规则试运行，报告不合格行，登记合格行并补录其历史 / import a ledger
    (with the dates of the acts on paper): every row checked and tried on the rules; good rows registered with their history."""
    from rich.progress import Progress

    from casefile.db import open_casefile
    from operations.campaigns import campaign_policy, no_campaign
    from operations.ledger import parse_ledger
    from operations.ledger_history import Taken, check_rows, take_in

    settings = Settings()
    chosen = campaign or settings.campaign
    if not chosen and not check:
        raise no_campaign()
    policy = campaign_policy(chosen) if chosen else None
    parsed = parse_ledger(file, policy)
    name = by or getpass.getuser()

    async def body(runtime: Any) -> Taken:
        with Progress(console=console, transient=True) as progress:
            bar = progress.add_task("登记 registering", total=len(parsed.rows))
            return await take_in(parsed, runtime.client, runtime.engine, runtime.settings.task_queue, policy, name,
                                 progress=lambda done, total: progress.update(bar, completed=done, total=total))

    if check:
        taken, _ = check_rows(parsed, open_casefile(settings.resolved_database_url()), policy, name)
    else:
        taken = _run(body)
    _print_taken(taken, as_json, note="" if policy else (
        "未选择专项行动：只检查了格式和日期先后，未按规则试运行（--campaign 或 MINECASE_CAMPAIGN） / no campaign chosen: "
        "the format and the dates' order were checked, not the rules (--campaign or MINECASE_CAMPAIGN)"))
    if taken.refused:
        raise typer.Exit(USAGE_ERROR)


USAGE_ERROR = 2

TAKEN_ZH = {"taken_in": "已导入", "checked": "可导入", "existing": "已登记", "refused": "未导入", "partial": "部分导入"}


def _print_taken(taken: Any, as_json: bool, note: str = "") -> None:
    """Each row's outcome, then one line: what was (or, checked, would be) taken in, and what was refused."""
    if as_json:
        typer.echo(json.dumps({"check": taken.check, "rows": [r.model_dump(mode="json") for r in taken.rows]},
                              ensure_ascii=False, indent=2))
    else:
        for r in taken.rows:
            where = f"第{r.row}行 row {r.row}（{r.permit_no or '无许可证号'}）"
            if r.status == "refused":
                console.print(f"[red]未导入 refused[/] {where}：" + "；".join(r.reasons), soft_wrap=True)
                continue
            line = f"{TAKEN_ZH[r.status]} {r.status} {where}" + (f" 阶段 stage: {r.stage_label_zh} ({r.stage})" if r.stage else "")
            if r.proposals:
                line += "；待决定 awaiting decision: " + "、".join(f"{p.task_id} {p.subject_zh}" for p in r.proposals)
            if r.reasons:
                line += "；" + "；".join(r.reasons)
            console.print(line, soft_wrap=True)
    if note:
        typer.echo(note, err=as_json)
    done = taken.count("checked") if taken.check else taken.count("taken_in")
    refused, existing = len(taken.refused), taken.count("existing")
    verb_zh, verb_en = ("可导入", "would be taken in") if taken.check else ("已导入", "taken in")
    summary = (f"{verb_zh} {done} 行，已登记 {existing} 行，未导入 {refused} 行" + ("（只检查，未登记）" if taken.check else "")
               + f" / {done} rows {verb_en}, {existing} already registered, {refused} refused"
               + (" (check only: nothing registered)" if taken.check else ""))
    typer.echo(summary, err=as_json)


@ledger_app.command("template")
def ledger_template(file: Annotated[Path, typer.Argument(help="模板 .xlsx / output file")],
                    campaign: Annotated[str | None, typer.Option(help="专项行动（审批材料列）/ campaign")] = None) -> None:
    """写出台账导入模板（含各列说明）/ write the ledger template (.xlsx, with a sheet explaining each column)."""
    from operations.ledger import ledger_template as template

    if file.suffix.lower() != ".xlsx":
        raise MinecaseError("模板文件应为 .xlsx", "the template is a .xlsx file")
    file.write_bytes(template(campaign or Settings().campaign))
    console.print(f"已写出模板 template written: {file}")


@ledger_app.command("export")
def ledger_export(file: Annotated[Path, typer.Argument(help="导出 .xlsx / output file")]) -> None:
    """导出台账及分乡镇统计 / export the ledger and per-township statistics (.xlsx)."""
    from casefile.db import open_casefile
    from operations.ledger import export_ledger

    if file.suffix.lower() != ".xlsx":
        raise MinecaseError("导出文件应为 .xlsx", "the export is a .xlsx file")
    file.write_bytes(export_ledger(open_casefile(Settings().resolved_database_url())))
    console.print(f"已导出 exported: {file}")


# --- simulation ------------------------------------------------------------------------------------

simulate_app = typer.Typer(help="模拟演练：推进虚拟时间 / drills: move virtual time", no_args_is_help=True)


@simulate_app.command("advance")
def simulate_advance(
    days: Annotated[int, typer.Option("--days", help="天数 days")],
    case: Annotated[str | None, typer.Option("--case", help="只推进此案 one case only")] = None,
) -> None:
    """推进一个或全部案件的时间（仅模拟模式）/ move one or every case forward (simulation mode only)."""
    from operations import cases

    async def body(runtime: Any) -> list[str]:
        return await cases.simulate_advance(runtime.client, runtime.settings.simulation, days, case)

    if not Settings().simulation:  # refuse before connecting
        raise cases.SimulationOnly(
            "仅在模拟模式下可推进时间（设置 MINECASE_SIMULATION=true）",
            "time can be advanced only in simulation mode (set MINECASE_SIMULATION=true)",
        )
    moved = _run(body)
    console.print(f"已推进 {days} 天：{len(moved)} 件 / moved {len(moved)} case(s) forward by {days} days")


def register_commands(app: typer.Typer) -> None:
    for name, command in [
        ("up", up), ("worker", worker), ("seed", seed), ("register", register), ("status", status),
        ("history", history), ("document", document), ("list", list_), ("inbox", inbox), ("propose", propose), ("decide", decide),
        ("submit", submit), ("works-done", works_done), ("review", review), ("serve", serve), ("renewal", renewal),
        ("resume", resume), ("apply-cancel", apply_cancel), ("move-deadline", move_deadline),
    ]:
        app.command(name)(command)
    app.add_typer(simulate_app, name="simulate")
    app.add_typer(ledger_app, name="ledger")
