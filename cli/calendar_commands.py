"""``minecase deadline`` and ``minecase calendar load|show``: the statutory calendar on the command line."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import Engine

from casefile.db import open_casefile
from casefile.holidays import load_schedules, parse_schedule_file, save_schedule
from models.calendar import Deadline, Period, StatutoryCalendar, weekday_label
from models.errors import CalendarError, MinecaseError
from runtime.settings import Settings

calendar_app = typer.Typer(
    help="节假日安排：载入与查看 / holiday schedules: load and show",
    no_args_is_help=True,
)


def _engine() -> Engine:
    """The case file, at the newest schema (or a SchemaError saying to run minecase up / db upgrade)."""
    return open_casefile(Settings().resolved_database_url())


def parse_date(text: str, zh: str, en: str) -> date:
    """``YYYY-MM-DD`` → date; anything else is a CalendarError naming the field (``zh``/``en``)."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        try:
            return date.fromisoformat(text.strip())
        except ValueError:
            pass
    raise CalendarError(
        f"{zh}“{text}”不是有效日期（格式 YYYY-MM-DD）", f"{en} '{text}' is not a valid date (use YYYY-MM-DD)"
    )


def deadline(
    start: Annotated[
        str | None,
        typer.Argument(metavar="START", help="起算日（不计入期间）/ start date, not counted (YYYY-MM-DD)"),
    ] = None,
    months: Annotated[int | None, typer.Option("--months", help="期间：月 / period in months")] = None,
    days: Annotated[int | None, typer.Option("--days", help="期间：日 / period in days")] = None,
    working_days: Annotated[
        int | None, typer.Option("--working-days", help="期间：工作日 / period in working days")
    ] = None,
    fixed: Annotated[
        str | None, typer.Option("--fixed", metavar="DATE", help="固定日期 / a fixed date (YYYY-MM-DD)")
    ] = None,
    roll_fixed: Annotated[
        bool,
        typer.Option("--roll-fixed", help="固定日期遇休息日顺延 / move a fixed date off a rest day"),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON / print JSON")] = False,
) -> None:
    """期间的最后一日（民法典第二百零一至二百零三条）/ the last day of a period (Civil Code arts. 201–203)."""
    given = {
        u: v
        for u, v in (("months", months), ("days", days), ("working_days", working_days), ("fixed", fixed))
        if v is not None
    }
    if len(given) != 1:
        raise CalendarError(
            "须且只须给出 --months、--days、--working-days、--fixed 之一",
            "give exactly one of --months, --days, --working-days, --fixed",
        )
    [(unit, value)] = given.items()
    if roll_fixed and unit != "fixed":
        raise CalendarError("--roll-fixed 只能与 --fixed 一起使用", "--roll-fixed only goes with --fixed")
    start_date = parse_date(start, "起算日", "start date") if start is not None else None
    if unit == "fixed":
        fixed_date = parse_date(value, "固定日期", "fixed date")
        period = Period(unit="fixed", fixed_date=fixed_date, roll_fixed=roll_fixed)
        start_date = None  # a fixed date does not depend on a start date
    elif start_date is None:
        raise CalendarError("缺少起算日 START", "missing the START date")
    else:
        period = Period(unit=unit, amount=value)

    result = StatutoryCalendar(load_schedules(_engine())).compute(start_date, period)
    if as_json:
        typer.echo(json.dumps(result.model_dump(mode="json"), ensure_ascii=False))
    else:
        _print_deadline(result)


def _print_deadline(d: Deadline) -> None:
    typer.echo(d.last_day.isoformat())
    if d.moved_from:
        typer.echo(f"由 {d.moved_from} 顺延 / moved from {d.moved_from} because: {d.move_reason}")
    typer.echo(f"逾期起算 / overdue from: {d.overdue_from:%Y-%m-%d %H:%M %z}")
    if d.provisional:
        typer.echo(f"暂定 / provisional: {d.provisional_reason}")


@calendar_app.command("load")
def load(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="节假日安排文件 / schedule file (.json or .toml), see docs/holiday-schedule.md")
    ],
) -> None:
    """载入（或替换）某年的节假日安排 / load (or replace) a year's holiday schedule."""
    schedule = parse_schedule_file(file)
    engine = _engine()
    replaced = any(s.year == schedule.year for s in load_schedules(engine))
    save_schedule(engine, schedule)
    y, n, m = schedule.year, len(schedule.holidays), len(schedule.workdays)
    zh, en = ("已替换", "replaced") if replaced else ("已载入", "loaded")
    typer.echo(
        f"{zh} {y} 年节假日安排：假日 {n} 天，调休上班日 {m} 天"
        f" / {en} the {y} holiday schedule: {n} holiday days, {m} make-up working days"
    )
    if schedule.source:
        typer.echo(f"来源 / source: {schedule.source}")
    _recompute_running_cases()


@calendar_app.command("recompute")
def recompute_cases() -> None:
    """运行中的案件按已载入的节假日安排重算暂定期限 / running cases recompute their provisional deadlines."""
    if not _recompute_running_cases():
        raise MinecaseError("无法连接 Temporal 服务，请先运行 minecase up", "cannot reach the Temporal server; run 'minecase up' first")


def _recompute_running_cases() -> bool:
    """Tell every running case to recompute its provisional deadlines; their timers follow."""
    import asyncio

    from models.roles import SYSTEM
    from operations.cases import recompute_all
    from runtime.resources import Runtime

    async def run() -> int:
        async with Runtime(Settings(), start_server=False) as runtime:
            return await recompute_all(runtime.client, SYSTEM)

    try:
        count = asyncio.run(run())
    except MinecaseError:  # e.g. the case file is older than the code: say that, not "no server"
        raise
    except (ConnectionError, OSError, RuntimeError):  # no server running (temporalio says so with RuntimeError):
        # the cases are told when someone runs `calendar recompute`
        typer.echo("未连接到 Temporal：运行中的案件将在执行 minecase calendar recompute 后重算"
                   " / Temporal not reachable: run 'minecase calendar recompute' once it is up")
        return False
    typer.echo(f"已通知 {count} 个运行中的案件重算暂定期限 / {count} running case(s) recomputed their provisional deadlines")
    return True


@calendar_app.command("show")
def show(year: Annotated[int, typer.Argument(metavar="YEAR", help="年份 / year")]) -> None:
    """查看某年的节假日和调休上班日 / show a year's holidays and make-up working days."""
    if not 1 <= year <= 9999:
        raise CalendarError(f"年份 {year} 不合理", f"year {year} is out of range")
    loaded = load_schedules(_engine())
    schedule = StatutoryCalendar(loaded).schedule(year)
    if schedule is None:
        typer.echo(
            f"{year} 年没有已知的节假日安排：该年的日期按法定节日和周末暂定计算（用 minecase calendar load 载入）"
            f" / no holiday schedule known for {year}: dates in that year are provisional, statutory holidays and weekends only"
            " (load one with minecase calendar load)"
        )
        return
    origin = (
        ("已载入数据库", "loaded into the database")
        if any(s.year == year for s in loaded)
        else ("chinese-calendar 软件包", "chinese-calendar package")
    )
    console = Console(highlight=False, soft_wrap=True)
    console.print(f"{year} 年节假日安排 / {year} holiday schedule")
    console.print(f"数据 / data: {origin[0]} / {origin[1]}")
    if schedule.source:
        console.print(f"来源 / source: {schedule.source}")

    holidays = Table("假日 holiday", "日期 dates", "天数 days")
    for name, first, last in _runs(schedule.holidays):
        span = f"{first}" if first == last else f"{first} – {last}"
        holidays.add_row(name, span, str((last - first).days + 1))
    console.print(holidays)
    workdays = Table("调休上班日 make-up working day", "星期 weekday")
    for d in schedule.workdays:
        workdays.add_row(d.isoformat(), weekday_label(d))
    console.print(workdays)


def _runs(holidays: dict[date, str]) -> list[tuple[str, date, date]]:
    """Consecutive days with the same holiday name, as (name, first, last)."""
    runs: list[tuple[str, date, date]] = []
    for d, name in sorted(holidays.items()):
        if runs and runs[-1][0] == name and (d - runs[-1][2]).days == 1:
            runs[-1] = (name, runs[-1][1], d)
        else:
            runs.append((name, d, d))
    return runs
