"""Case commands: run the product, register, read, act, simulate.

Every input is made as a user of the case file (``cli.identity``: ``--by NAME``, ``MINECASE_USER`` or
``minecase users use NAME``), never as the operating system's login: the actor's role and unit come from
the case file, as on the desk after sign-in, and the workflow checks that actor against the rule of the
step. A unit option (``--township``, ``--department``, ``--county``) must be the user's own.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
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
    """The role and unit a command's options ask for, checked as typed; ``_act`` puts the acting user (``--by``,
    ``MINECASE_USER`` or ``minecase users use``) in its place, and refuses options that are not the user's."""
    return Actor(role=role, name=by or "-", **unit)


def _casefile() -> Any:
    from casefile.db import open_casefile

    return open_casefile(Settings().resolved_database_url())


def _user(by: str | None) -> Any:
    """The case file's user this command acts as (refused in one line when none is configured)."""
    from cli.identity import check_name, signed_in

    if by is not None:
        check_name(by)  # a control character is refused before the case file is opened
    engine = _casefile()
    try:
        return signed_in(engine, Settings(), by)
    finally:
        engine.dispose()


def _as_user(permit_no: str, verb: str, message: Any, by: str | None, explicit_role: bool) -> Any:
    """``message`` with the acting user's actor in place of the options' (role and unit from the case file)."""
    from cli.identity import NoIdentity
    from models.verbs import VERBS_BY_NAME

    user = _user(by)
    actor, wanted = user.actor(), message.actor
    roles = VERBS_BY_NAME[verb].roles
    unit = user.township or user.department or ""
    who = f"用户「{user.name}」（{user.role}{' · ' + unit if unit else ''}）"
    if actor.role not in roles:
        allowed = "、".join(sorted(r.value for r in roles))
        raise NoIdentity(f"{who}不能办理此事项（应为 {allowed}）", f"user '{user.name}' ({user.role}) cannot do this: it is {allowed}'s")
    if explicit_role and wanted.role != actor.role:
        raise NoIdentity(f"{who}不能以 {wanted.role} 名义办理", f"user '{user.name}' is {user.role}, not {wanted.role}")
    if wanted.township and wanted.township != actor.township:
        raise NoIdentity(f"{who}不能以「{wanted.township}」名义办理", f"user '{user.name}' does not act for {wanted.township}")
    if wanted.department and wanted.department != actor.department:
        raise NoIdentity(f"{who}不能以 {wanted.department.label_zh} 名义办理",
                         f"user '{user.name}' does not act for {wanted.department.value}")
    if actor.role == Role.holder and (user.permit_no or "") != permit_no.strip().upper():
        raise NoIdentity(f"{who}是采矿权人，只能办理本矿 {user.permit_no} 的事项", f"user '{user.name}' holds {user.permit_no} only")
    if user.county:  # a user of one county acts on its county's cases only (docs/province.md)
        from operations.permissions import check_county
        from operations.reads import case_county

        engine = _casefile()
        try:
            check_county(user, case_county(engine, permit_no.strip().upper()))
        finally:
            engine.dispose()
    return message.model_copy(update={"actor": actor})


def _print_view(view: CaseView, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(status_json(view), ensure_ascii=False, indent=2))
        return
    console.print(f"[bold]{view.permit_no}[/] {view.mine_name}  {view.township}")
    console.print(f"阶段 stage: [bold]{view.stage_label_zh}[/] ({view.stage})   路径 path: {view.path}"
                  + ("   [red]逾期 overdue[/]" if view.overdue else ""))
    if view.deadlines:
        table = _table("期限 deadline", ("最后一日 due", 10), "状态 status", ("说明 note", 0))
        for d in view.deadlines:
            note = "暂定 provisional" if d.provisional else (f"由 {d.moved_from} 顺延" if d.moved_from else "")
            if d.awaiting_service:  # one line each: the document's id stays whole
                note = f"自\n{d.awaiting_service}\n送达之日起计算\ncounts from service"
            table.add_row(f"{d.label_zh} {d.kind}", str(d.due or "…"), d.status, note)
        console.print(table)
    if view.open_obligations:
        table = _table("待办 open", "责任方 who", ("任务 task", 27), ("期限 due", 10))  # unit names, never codes
        for o in view.open_obligations:
            who = _unit_zh(o.get("department"), o.get("township") if o.get("responsible") == "township" else None,
                           o.get("responsible"))
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
    demo: Annotated[bool, typer.Option(
        "--demo", help="演示：演练（--drill）+ 40 个虚构样例矿山 + 演示账号（随机密码，只显示一次）/ "
        "a demo: a drill, seeded with the 40 fictional sample mines, with demo sign-ins (random passwords, printed once)")] = False,
    drill: Annotated[bool, typer.Option(
        "--drill", help="演练：服务器可推进时间（minecase simulate advance）；案卷须为演练专用 / "
        "a drill: the server skips time (minecase simulate advance); the case file must be a drill's")] = False,
    seed: Annotated[bool | None, typer.Option(
        "--seed/--no-seed", help="登记 40 个虚构样例矿山（仅演练；--demo 默认登记）/ "
        "register the 40 fictional sample mines (drills only; on with --demo)")] = None,
    new_passwords: Annotated[bool, typer.Option(
        "--new-passwords", help="演示账号换新密码并显示 / give the demo sign-ins new passwords, printed once")] = False,
    web: Annotated[bool, typer.Option(help="同时提供网页 / serve the web desk too")] = True,
    host: Annotated[str, typer.Option(help="网页地址 / web host")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="网页端口 / web port")] = 8000,
    temporal_ui: Annotated[bool, typer.Option(
        "--temporal-ui", help="同时提供内嵌 Temporal 的 Web UI（仅本机）/ serve the embedded Temporal's Web UI (loopback only)")] = False,
) -> None:
    """启动服务（Temporal、worker、网页）；--demo 为演示 / run server, worker and web; --demo for a demo with sample data."""
    from runtime.logging import configure_logging
    from runtime.resources import Runtime
    from starter import seed_demo
    from worker import build_worker, ensure_all_bulletin_schedules, start_case_gauges, start_sweeper, worker_grace

    drill = drill or demo
    seed = demo if seed is None else seed
    check_up_options(drill=drill, demo=demo, seed=seed, new_passwords=new_passwords, web=web, host=host)
    settings, notice = demo_campaign(Settings()) if drill else (Settings(), None)  # production: the county's choice only
    if temporal_ui:
        # the UI decodes through the desk's /codec (the office, signed in to the desk in the same browser)
        ui = {"temporal_ui": True, "codec_cors_origin": settings.codec_cors_origin or f"http://127.0.0.1:{settings.temporal_ui_port}"}
        if web:
            ui["temporal_ui_codec_endpoint"] = settings.temporal_ui_codec_endpoint or f"http://{host}:{port}/codec"
        settings = settings.model_copy(update=ui)
    configure_logging(settings.log_format)
    if notice:
        console.print(notice, soft_wrap=True)
    command = "minecase up" + (" --demo" if demo else " --drill" if drill else "")

    async def main() -> None:
        from runtime.lifecycle import run_until_stopped

        async with Runtime(settings, upgrade_schema=True, drill=drill, command=command, metrics=True) as runtime:  # the case file upgraded
            worker = build_worker(runtime.client, runtime.engine, settings.task_queue, notify=settings.notify_config(),
                                  drain_seconds=settings.worker_drain_seconds,
                                  cached_cases=settings.worker_cached_cases)
            gauges = start_case_gauges(runtime)
            await start_sweeper(runtime.client, settings.task_queue, settings.notify_retry_seconds)  # notices never started (issue 13)
            kind = "演练 drill（可推进时间 time skipping on）" if drill else "正式 production"
            # weekly and monthly bulletins (issue 14) of the deployment's campaign and of every campaign on file
            await ensure_all_bulletin_schedules(runtime.client, runtime.engine, settings.task_queue, settings.campaign)
            console.print(f"Temporal: {runtime.address}   Web UI: http://127.0.0.1:{settings.temporal_ui_port}"
                          if runtime.server and settings.temporal_ui else f"Temporal: {runtime.address}")
            console.print(f"案卷 case file: {settings.resolved_database_url()}   部署 deployment: {kind}")

            async def prepare() -> Any:
                if seed:
                    from models.policy import load_campaign

                    policy = load_campaign("rolling-example").resolve(dt.datetime.now(CST).date())
                    count = await seed_demo(runtime.client, runtime.engine, settings.task_queue, policy)
                    console.print(f"样例 sample ledger: {count} 个新案件 new cases (campaign {policy.id})")
                server = _web_server(runtime, host, port, demo=demo, new_passwords=new_passwords) if web else None
                if server is None:
                    console.print("运行中，Ctrl-C 退出 / running; Ctrl-C to stop")
                return server

            try:
                await run_until_stopped(worker, prepare, worker_grace=worker_grace(settings))
            finally:
                if gauges is not None:
                    gauges.cancel()

    _stop_on_sigterm()  # until the run loop takes the signals over: starting up, SIGTERM still stops in order
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())


def check_up_options(*, drill: bool, demo: bool, seed: bool, new_passwords: bool, web: bool, host: str) -> None:
    """What ``minecase up`` refuses before it starts anything."""
    import os

    from api.serve import is_loopback
    from casefile.deployment import DeploymentError

    if not drill and os.environ.get("MINECASE_SIMULATION", "").strip().lower() in ("1", "true", "yes", "on"):
        raise DeploymentError(
            "MINECASE_SIMULATION 已停用：演练请运行 minecase up --drill（或 --demo，带样例与演示账号）",
            "MINECASE_SIMULATION is retired: start a drill with 'minecase up --drill' (or --demo, with samples and demo sign-ins)")
    if seed and not drill:
        raise DeploymentError(
            "样例矿山是虚构的，只登记在演练中（--drill 或 --demo）",
            "the sample mines are fictional: they are registered in drills only (--drill or --demo)")
    if new_passwords and not demo:
        raise DeploymentError("--new-passwords 只用于 --demo", "--new-passwords goes with --demo only")
    if demo and web and not is_loopback(host):
        raise DeploymentError(
            "演示账号只在本机地址（127.0.0.1）提供网页；--demo 不能使用其他 --host",
            "a demo serves the desk on loopback (127.0.0.1) only: --demo refuses another --host")


def demo_campaign(settings: Settings) -> tuple[Settings, str | None]:
    """A drill (``minecase up --demo``/``--drill``) with no campaign chosen runs on the rolling example, and says so
    in one line; production never assumes one."""
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


def _web_server(runtime: Any, host: str, port: int, *, demo: bool = False, new_passwords: bool = False) -> Any:
    """The desk's server, not yet serving; a demo makes (and prints) its sign-ins first. Refuses to serve
    off loopback while a demo sign-in or a published password is active."""
    try:
        from api.serve import demo_users, make_server, refuse_exposed_sign_ins
    except ImportError:
        return None
    if demo:
        console.print("演示账号 demo sign-ins（仅供演示 demo only；新密码只显示这一次 new passwords are shown this once）:")
        for user in demo_users(runtime.engine, new_passwords=new_passwords):
            console.print(f"  {user.name:10} {user.password:24} {user.role:10} {user.scope}")
        console.print("  已有演示账号保留原密码；换新密码：minecase up --demo --new-passwords"
                      " / existing demo sign-ins keep their passwords; new ones: minecase up --demo --new-passwords")
    refuse_exposed_sign_ins(runtime.engine, host)
    console.print(f"网页 web: http://{host}:{port}/")
    return make_server(runtime, host, port, secret_key=runtime.settings.secret_key)


def web(
    host: Annotated[str, typer.Option(help="网页地址 / web host")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="网页端口 / web port")] = 8000,
) -> None:
    """只提供网页与 API，连接 MINECASE_TEMPORAL_ADDRESS 的 Temporal（不启动服务器和 worker）/ serve the desk and the HTTP
    API only, on the Temporal cluster at MINECASE_TEMPORAL_ADDRESS (no embedded server, no worker)."""
    from runtime.logging import configure_logging
    from runtime.resources import Runtime, TemporalConnectionError

    settings = Settings()
    if not settings.temporal_address:
        raise TemporalConnectionError(
            "minecase web 只连接已有的 Temporal：请设置 MINECASE_TEMPORAL_ADDRESS（单机运行请用 minecase up）",
            "minecase web connects to a running Temporal only: set MINECASE_TEMPORAL_ADDRESS (or run everything with minecase up)")
    configure_logging(settings.log_format)

    async def main() -> None:
        try:
            await serve()
        except RuntimeError as error:  # the SDK's "Failed client connect": one line, not a traceback
            if isinstance(error, MinecaseError):
                raise
            raise TemporalConnectionError(f"无法连接 Temporal（{settings.temporal_address}）：{error}",
                                          f"cannot reach Temporal at {settings.temporal_address}: {error}") from None

    async def serve() -> None:
        import structlog

        async with Runtime(settings, start_server=False, metrics=True, command="minecase web") as runtime:
            server = _web_server(runtime, host, port)
            if server is None:
                raise MinecaseError("网页组件未安装", "the web desk is not installed")
            loop = asyncio.get_running_loop()

            def stop() -> None:
                server.should_exit = True

            for number in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(number, stop)
            structlog.get_logger("minecase.web").info("web running", address=runtime.address, web=f"http://{host}:{port}/",
                                                      metrics=f"http://{settings.metrics_address}/metrics"
                                                      if settings.metrics_address else None)
            await server.serve()

    _stop_on_sigterm()  # until the server takes the signals over
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())


def worker(
    drill: Annotated[bool, typer.Option(
        "--drill", help="内嵌服务器为演练（可推进时间）；案卷须为演练专用 / the embedded server is a drill's (time skipping on)")] = False,
) -> None:
    """只运行 worker（无地址时启动内嵌 Temporal）/ run the worker only."""
    import worker as worker_module

    _stop_on_sigterm()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(worker_module.main(drill=drill))


def seed() -> None:
    """向运行中的演练登记样例台账 / register the sample ledger with a running drill."""
    from casefile.deployment import is_drill
    from models.policy import load_campaign
    from starter import seed_demo

    async def body(runtime: Any) -> int:
        if not is_drill(runtime.engine):
            from casefile.deployment import DeploymentError

            raise DeploymentError("样例矿山是虚构的，只登记在演练中（minecase up --drill 或 --demo）",
                                  "the sample mines are fictional: they are registered in drills only (minecase up --drill or --demo)")
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
    by: Annotated[str | None, typer.Option(help="操作人：案卷中的用户名 the acting user (default: MINECASE_USER)")] = None,
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
    from cli.identity import require_role
    from operations.townships import checked_facts

    user = _user(by)
    require_role(user, Role.office, what_zh="登记案件（只有领导小组办公室可以登记）", what_en="register cases (the office does)")
    from operations.permissions import check_may_register_into

    check_may_register_into(user, policy.county, policy.id)  # another county's campaign: refused, nothing written
    engine = _casefile()
    try:
        facts = checked_facts(engine, policy.id, facts)  # a township of the campaign's dictionary, or refused
    finally:
        engine.dispose()

    async def body(runtime: Any) -> cases.Registration:
        return await cases.register_case(runtime.client, runtime.engine, runtime.settings.task_queue, facts, policy,
                                         user.actor(), on=registered_on)

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
    console.print(f"[bold]{case['permit_no']}[/] {case['mine_name']}  {case['township']}  阶段 {_stage_zh(case['stage'])}",
                  soft_wrap=True)
    table = _table("#", ("发生/登记 on/at", 16), "条款 clause", "操作人 actor", "事项 what", "阶段 stage")
    for event in record["timeline"]:
        unit, role = event["actor_unit"], event["actor_role"]
        departments = {d.value for d in Department}
        actor = f"{_unit_zh(unit if unit in departments else None, unit if unit not in departments else None, role)}·{event['actor_name']}"
        moved = event["stage_from"] != event["stage_to"]
        table.add_row(str(event["seq"]), f"{event['effective_on']}\n{event['recorded_at'][:16].replace('T', ' ')}", event["clause"], actor,
                      event["summary_zh"], f"{_stage_zh(event['stage_from'])}→{_stage_zh(event['stage_to'])}" if moved else "")
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
    table = _table(("许可证号 permit", 23), "矿山 · 乡镇 mine", "阶段 stage", ("期限 due", 10), "待办 next or late · who")
    for r in rows:
        item = r["next_item"]
        days = "" if item is None else str(item["days_left"])
        style = colour.get(r["light"])
        what = f"{'逾期 ' if item['late'] else ''}{item['label_zh']} · {item['owner_zh']}" if item else ""
        left = f"剩 {days} 天" if days and not days.startswith("-") else f"逾期 {days[1:]} 天" if days else ""
        due = f"{item['due'] or '—'}\n" + (f"[{style}]{left}[/]" if style and left else left) if item else ""
        table.add_row(r["permit_no"], f"{r['mine_name']} · {r['township']}", r["stage_label_zh"], due, what)
    console.print(table)
    if len(rows) < found["total"]:
        console.print(f"共 {found['total']} 件，第 {found['page']}/{found['pages']} 页 / {found['total']} cases, "
                      f"page {found['page']} of {found['pages']}")
    else:
        console.print(f"共 {found['total']} 件 / {found['total']} cases")


def inbox(
    department: Annotated[Department | None, typer.Option(
        help="部门（领导小组办公室、县政府查看某单位所欠）/ narrow the office's or county's list to a department")] = None,
    township: Annotated[str | None, typer.Option(help="乡镇（同上）/ narrow it to a township")] = None,
    done: Annotated[bool, typer.Option("--done", help="已办：本单位办过的事项 / what the unit did")] = False,
    by: By = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON 输出（与 GET /api/inbox 相同）/ as GET /api/inbox")] = False,
) -> None:
    """待办：操作人所在单位现在应办的全部事项（与网页、GET /api/inbox 相同），逾期在前 / the acting user's unit's whole
    to-do, as on the desk and GET /api/inbox, overdue first."""
    from operations import todo

    user = _user(by)
    engine = _casefile()
    try:
        if done:
            rows = todo.done(engine, user)
        else:
            narrow = Role(user.role) in (Role.office, Role.county)
            rows = todo.todo(engine, user, dt.datetime.now(CST).date(), department=department.value if department and narrow else None,
                             township=township if narrow else None)
    finally:
        engine.dispose()
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    from cli.identity import describe

    console.print(f"{'已办 done' if done else '待办 to-do'}：{describe(user)}")
    if not rows:
        console.print("没有事项 / nothing" + ("" if done else " to do"))
        return
    if done:
        table = _table(("时间 at", 16), ("许可证号 permit", 23), "矿山 mine", "事项 what")  # 已办: the unit's acts
        for r in rows:
            at = dt.datetime.fromisoformat(r["at"]).astimezone(CST).strftime("%Y-%m-%d %H:%M") if r.get("at") else ""
            table.add_row(at, r.get("permit_no", ""), r.get("mine_name", ""),
                          r.get("label_zh") or r.get("summary_zh") or "")
    else:
        table = _table(("任务 task / 许可证 permit", 27), "矿山 mine", "事项 what", "承办 who", ("期限 due", 10))
        for r in rows:
            days = r["days_left"]
            left = "" if days is None else f"剩 {days} 天" if days >= 0 else f"逾期 {-days} 天"
            due = (r["due"] or "—") + (" 暂定" if r.get("provisional") else "") + (f"\n{left}" if left else "")
            table.add_row(r.get("task_id") or r["permit_no"], r["mine_name"], r["label_zh"], r.get("owner_zh") or "",
                          f"[red]{due}[/]" if r["overdue"] else due)
    console.print(table)
    console.print(f"共 {len(rows)} 项 / {len(rows)} items")


def _table(*columns: str | tuple[str, int]) -> Table:
    """A table that wraps its text at the terminal's width and never cuts an identifier: a column given as
    ``(heading, width)`` (a permit number, a task id, a date) is never wrapped or narrowed, each of its lines
    kept whole; the other columns wrap, character by character if need be (newcomer trial D19)."""
    from rich.table import Column

    def column(spec: str | tuple[str, int]) -> Column:
        if isinstance(spec, str):
            return Column(spec, overflow="fold")
        return Column(spec[0], no_wrap=True, min_width=spec[1])

    return Table(*[column(c) for c in columns])


def _stage_zh(code: str | None) -> str:
    try:
        return Stage(code).label_zh if code else ""
    except ValueError:
        return code or ""


def _unit_zh(department: str | None, township: str | None, role: str | None) -> str:
    """A unit as people name it: the department's name, the township, or the role's (never a code)."""
    from models.roles import ROLE_LABELS

    if department:
        try:
            return Department(department).label_zh
        except ValueError:
            return department
    if township:
        return township
    try:
        return ROLE_LABELS[Role(role)][0] if role else ""
    except ValueError:
        return role or ""


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
        typer.echo(f"已写出 HTML written: {html.resolve()}")
    if pdf:
        pdf.write_bytes(html_to_pdf(text))
        typer.echo(f"已写出 PDF written: {pdf.resolve()} ({pdf.stat().st_size} 字节 bytes)")
    if not (html or pdf):
        typer.echo(text)


# --- acting ----------------------------------------------------------------------------------------

By = Annotated[str | None, typer.Option(
    "--by", help="操作人：案卷中的用户名（默认 MINECASE_USER 或 minecase users use 所设）/ the acting user of the case file "
                 "(default: MINECASE_USER or 'minecase users use')")]
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


def _act(permit_no: str, verb: str, message: Any, as_json: bool, by: str | None = None, explicit_role: bool = False) -> None:
    """Send ``message`` as the acting user (``_as_user``; ``explicit_role``: the role was chosen by an option)."""
    from operations import cases, oplog

    message = _as_user(permit_no, verb, message, by, explicit_role)

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


def propose(permit_no: str, path: Proposal,
            township: Annotated[str | None, typer.Option(help="乡镇（默认为操作人所在乡镇）township, default: the user's")] = None,
            reason: Annotated[str, typer.Option(help="理由 reason")] = "", by: By = None, on: On = None, as_json: Json = False) -> None:
    """四.1 乡镇提出处置意见（延续/注销）/ the township proposes continue or cancel."""
    _act(permit_no, "propose_disposition",
         ProposeDisposition(actor=_actor(Role.township, by, township=township), path=path.value, reason=reason, on=_day(on)), as_json, by)


def decide(permit_no: str, approve: Annotated[bool, typer.Option("--approve/--reject")], comment: Comment = "",
           by: By = None, on: On = None,
           deadline: Annotated[list[str] | None, typer.Option(
               "--deadline", help="专项行动期限已过时另行明确：期限=YYYY-MM-DD（可多次）/ KIND=YYYY-MM-DD for a passed campaign date")]
           = None,
           as_json: Json = False) -> None:
    """四.1 县政府研究处置意见 / the county decides the disposition."""
    _act(permit_no, "decide_disposition", DecideDisposition(actor=_actor(Role.county, by), approve=approve, comment=comment,
                                                            on=_day(on), deadlines=_named_deadlines(deadline)), as_json, by)


def submit(permit_no: str, item: Annotated[str, typer.Argument(help="材料 document code, e.g. eia_report")],
           title: Annotated[str, typer.Option(help="标题 title")] = "", by: By = None, on: On = None, as_json: Json = False) -> None:
    """四.1 采矿权人提交审批材料 / the holder submits a document."""
    _act(permit_no, "submit_document", SubmitDocument(actor=_actor(Role.holder, by), item=item, title=title, on=_day(on)), as_json, by)


def works_done(permit_no: str, by: By = None, on: On = None, as_json: Json = False,
               scope: Annotated[WorksScope, typer.Option(
                   help="范围：rectification 整治任务 / unused_zones 不使用区裸露区整治（四.2，单独验收）"
                        " / what is done: the rectification works, or a continue mine's unused-zone works")]
               = WorksScope.rectification) -> None:
    """五.1 采矿权人报告整治完成（或不使用区裸露区整治完成）/ the holder reports the works (or the unused-zone works) finished."""
    _act(permit_no, "report_works_done", ReportWorksDone(actor=_actor(Role.holder, by), scope=scope.value, on=_day(on)), as_json, by)


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
    _act(permit_no, "record_review", RecordReview(actor=actor, task_id=task_id, approved=approve, comment=comment, on=_day(on)), as_json,
         by, explicit_role=department is not None or township is not None)


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
          by: By = None,
          url: Annotated[str | None, typer.Option(help="公告的发布网址 / where a notice was published")] = None,
          township: Annotated[str | None, typer.Option(help="以乡镇名义 as this township (default: the user's own unit)")] = None,
          county: Annotated[bool, typer.Option("--county", help="以县政府名义 as the county (default: the user's own unit)")] = False,
          on: On = None, as_json: Json = False) -> None:
    """登记送达：决定书、通知书送达采矿权人，或在县政府网站发布注销公告（公告送达，填网址）/ record that a
    document was served, or that a cancellation notice was published (announcement, with its URL)."""
    if township is not None and county:
        raise MinecaseError("请只指定 --township 或 --county 之一", "give only one of --township or --county")
    role = Role.township if township is not None else Role.county if county else Role.office
    actor = _actor(role, by, township=township)
    _act(permit_no.strip().upper(), "serve_document",
         ServeDocument(actor=actor, document_id=document_id.strip(), method=method.value, url=url, on=_day(on)), as_json, by,
         explicit_role=township is not None or county)


def renewal(permit_no: str, approve: Annotated[bool, typer.Option("--approve/--reject")], comment: Comment = "",
            by: By = None, on: On = None, as_json: Json = False) -> None:
    """四.1 县政府常务会议研究延续 / the executive meeting decides the renewal."""
    _act(permit_no, "decide_renewal", DecideRenewal(actor=_actor(Role.county, by), approve=approve, comment=comment, on=_day(on)),
         as_json, by)


def resume(permit_no: str, by: By = None, on: On = None, as_json: Json = False) -> None:
    """五.1 采矿权人申请恢复生产 / the holder applies to resume production."""
    _act(permit_no, "apply_resume_production", ApplyResumeProduction(actor=_actor(Role.holder, by), on=_day(on)), as_json, by)


def apply_cancel(permit_no: str, township: Annotated[str | None, typer.Option(
                     help="乡镇（视为放弃矿权后由乡镇申请）township, for an abandoned right; omit when the holder applies")] = None,
                 by: By = None, on: On = None, as_json: Json = False) -> None:
    """四.3 注销申请：采矿权人完成整治后申请，或视为放弃矿权后由乡镇申请 / apply to cancel: the holder after its
    works, or the township for an abandoned right."""
    actor = _actor(Role.township, by, township=township) if township else _actor(Role.holder, by)
    _act(permit_no, "apply_cancellation", ApplyCancellation(actor=actor, on=_day(on)), as_json, by, explicit_role=township is not None)


def move_deadline(permit_no: str, kind: Annotated[str, typer.Argument(help="期限 deadline kind, e.g. rectification")],
                  new_last_day: Annotated[str, typer.Argument(help="新的最后一日 YYYY-MM-DD")],
                  meeting: Annotated[str, typer.Option(help="会议及纪要 the meeting and its minutes")],
                  reason: Annotated[str, typer.Option(help="理由 reason")],
                  county: Annotated[bool, typer.Option(
                      "--county", help="以县政府名义 as the county (default: the user's own unit)")] = False,
                  by: By = None, on: On = None, as_json: Json = False) -> None:
    """五.3 一事一议：集体研究调整期限 / a collective decision moves a deadline."""
    try:
        day = dt.date.fromisoformat(new_last_day)
    except ValueError:
        raise MinecaseError(f"日期“{new_last_day}”无效（YYYY-MM-DD）", f"'{new_last_day}' is not a date (YYYY-MM-DD)") from None
    actor = _actor(Role.county if county else Role.office, by)
    _act(permit_no, "move_deadline", MoveDeadline(actor=actor, kind=kind, new_last_day=day, meeting=meeting, reason=reason,
                                                     on=_day(on)), as_json, by, explicit_role=county)


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
    from cli.identity import NoIdentity, require_role
    from operations.campaigns import campaign_policy, no_campaign
    from operations.ledger import parse_ledger
    from operations.ledger_history import Taken, check_rows, take_in
    from operations.townships import townships

    settings = Settings()
    chosen = campaign or settings.campaign
    if not chosen and not check:
        raise no_campaign()
    policy = campaign_policy(chosen) if chosen else None
    try:
        user = _user(by)
    except NoIdentity:
        if not check:
            raise
        user = None  # checking registers nothing: no acting user needed
    if user is not None and not check:
        require_role(user, Role.office, what_zh="导入台账（只有领导小组办公室可以导入）", what_en="import a ledger (the office does)")
        if policy is not None:
            from operations.permissions import check_may_register_into

            check_may_register_into(user, policy.county, policy.id)  # another county's campaign: refused
    name = user.actor().name if user is not None else "-"
    engine = open_casefile(settings.resolved_database_url())
    try:
        parsed = parse_ledger(file, policy, townships=townships(engine, policy.id) if policy is not None else ())
        if check:
            taken, _ = check_rows(parsed, engine, policy, name)
    finally:
        engine.dispose()

    async def body(runtime: Any) -> Taken:
        with Progress(console=console, transient=True) as progress:
            bar = progress.add_task("登记 registering", total=len(parsed.rows))
            return await take_in(parsed, runtime.client, runtime.engine, runtime.settings.task_queue, policy, name,
                                 progress=lambda done, total: progress.update(bar, completed=done, total=total))

    if not check:
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
    console.print(f"已写出模板 template written: {file.resolve()}", soft_wrap=True)


@ledger_app.command("export")
def ledger_export(file: Annotated[Path, typer.Argument(help="导出 .xlsx / output file")]) -> None:
    """导出台账及分乡镇统计 / export the ledger and per-township statistics (.xlsx)."""
    from casefile.db import open_casefile
    from operations.ledger import export_ledger

    if file.suffix.lower() != ".xlsx":
        raise MinecaseError("导出文件应为 .xlsx", "the export is a .xlsx file")
    file.write_bytes(export_ledger(open_casefile(Settings().resolved_database_url())))
    console.print(f"已导出 exported: {file.resolve()}", soft_wrap=True)


# --- simulation ------------------------------------------------------------------------------------

simulate_app = typer.Typer(help="模拟演练：推进虚拟时间 / drills: move virtual time", no_args_is_help=True)


@simulate_app.command("advance")
def simulate_advance(
    days: Annotated[int, typer.Option("--days", help="天数 days")],
    case: Annotated[str | None, typer.Option("--case", help="只推进此案 one case only")] = None,
) -> None:
    """推进一个或全部案件的时间（仅演练）/ move one or every case forward (drills only).

    Allowed only when the deployment itself is a drill: its case file says so (written by the process
    that started the server) and its server skips time. The caller's environment decides nothing."""
    import os

    from casefile.deployment import is_drill
    from operations import cases

    if os.environ.get("MINECASE_SIMULATION"):
        typer.echo("注意 note: MINECASE_SIMULATION 已停用，不起作用：演练由 minecase up --drill/--demo 决定"
                   " / MINECASE_SIMULATION is retired and has no effect: a drill is started with minecase up --drill or --demo",
                   err=True)

    async def body(runtime: Any) -> list[str]:
        from rich.progress import Progress

        with Progress(console=console, transient=True) as progress:
            bar = progress.add_task(f"推进 {days} 天 advancing", total=None)
            return await cases.simulate_advance(runtime.client, is_drill(runtime.engine), days, case,
                                                progress=lambda done, total: progress.update(bar, completed=done, total=total))

    moved = _run(body)
    console.print(f"已推进 {days} 天：{len(moved)} 件 / moved {len(moved)} case(s) forward by {days} days")


def register_commands(app: typer.Typer) -> None:
    for name, command in [
        ("up", up), ("web", web), ("worker", worker), ("seed", seed), ("register", register), ("status", status),
        ("history", history), ("document", document), ("list", list_), ("inbox", inbox), ("propose", propose), ("decide", decide),
        ("submit", submit), ("works-done", works_done), ("review", review), ("serve", serve), ("renewal", renewal),
        ("resume", resume), ("apply-cancel", apply_cancel), ("move-deadline", move_deadline),
    ]:
        app.command(name)(command)
    app.add_typer(simulate_app, name="simulate")
    app.add_typer(ledger_app, name="ledger")
