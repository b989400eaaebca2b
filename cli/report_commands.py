"""``minecase report bulletin`` and ``minecase fund set|show`` (issue 14, items 4 and 5)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from casefile.db import open_casefile
from models.errors import MinecaseError
from runtime.settings import Settings

report_app = typer.Typer(help="报表与进展通报 / reports and bulletins", no_args_is_help=True)
fund_app = typer.Typer(help="治理恢复基金与保证金 / restoration fund and bond", no_args_is_help=True)
console = Console()


def _engine() -> Engine:
    return open_casefile(Settings().resolved_database_url())


def choose_campaign(engine: Engine, given: str | None) -> str:
    """``--campaign``, else ``MINECASE_CAMPAIGN``, else the one campaign the case file holds."""
    from casefile.tables import CaseRecord

    if given or Settings().campaign:
        return given or Settings().campaign  # type: ignore[return-value]
    with Session(engine) as session:
        found = sorted(set(session.exec(select(CaseRecord.campaign))))
    if len(found) == 1:
        return found[0]
    held_zh = f"（案卷中有：{'、'.join(found)}）" if found else "（案卷中还没有案件）"
    held_en = f" (the case file holds: {', '.join(found)})" if found else " (the case file has no cases yet)"
    raise MinecaseError("请用 --campaign 指定专项行动" + held_zh, "give --campaign" + held_en)


@report_app.command("bulletin")
def bulletin(
    period: Annotated[str, typer.Option("--period", help="week（周报）| month（月报）")],
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="写出 Excel / write an .xlsx")] = None,
    pdf: Annotated[Path | None, typer.Option("--pdf", help="写出 PDF（Chromium）/ write a PDF")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="截至日期 YYYY-MM-DD（默认今天）/ last day covered (default today)")] = None,
    campaign: Annotated[str | None, typer.Option("--campaign", help="专项行动 / campaign")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON 输出")] = False,
) -> None:
    """生成进展通报并存入案卷 / make the progress bulletin and keep it in the case file."""
    from cli.calendar_commands import parse_date
    from operations.bulletin import bulletin_policy, bulletin_xlsx, make_bulletin, period_start, today_cst

    day = parse_date(as_of, "截至日期", "as-of date") if as_of else today_cst()
    period_start(period, day)  # refuses a bad period before anything is written
    engine = _engine()
    try:
        policy = bulletin_policy(engine, choose_campaign(engine, campaign))
        record = make_bulletin(engine, policy, period, day, "cli")
    finally:
        engine.dispose()
    if xlsx:
        xlsx.write_bytes(bulletin_xlsx(record.data))
    if pdf:
        from casefile.documents import html_to_pdf

        pdf.write_bytes(html_to_pdf(record.html))
    if as_json:
        typer.echo(json.dumps({"id": record.id, **record.data}, ensure_ascii=False, indent=2))
        return
    d = record.data
    console.print(f"进展通报 bulletin {record.id}: {d['start']} — {d['end']}, {d['total']} 座矿山 mines")
    console.print(f"  按期 on time {d['timeliness']['all']['on_time']} · 逾期 late {d['timeliness']['all']['late']} · "
                  f"当前逾期事项 overdue now {len(d['overdue'])}")
    console.print(f"  已修复 restored {d['area']['restored_mu']} 亩 = {d['area']['restored_hm2']} 公顷 hm²; "
                  f"累计目标 target to date {d['area']['target_to_date_hm2']} 公顷 hm²")
    for r in d["townships"]:
        console.print(f"  {r['rank']:>2}. {r['township']}  {r['restored_mu']}/{r['area_mu']} 亩  逾期 overdue {r['overdue']}")
    for path in (xlsx, pdf):
        if path:
            console.print(f"  → {path}")


@fund_app.command("set")
def fund_set(
    permit_no: Annotated[str, typer.Argument(help="采矿许可证号 / permit number")],
    kind: Annotated[str, typer.Option("--kind", help="fund（治理恢复基金）| bond（保证金）")],
    due: Annotated[str, typer.Option("--due", help="应缴（元）/ due, yuan")] = "0",
    paid: Annotated[str, typer.Option("--paid", help="已缴 / paid")] = "0",
    used: Annotated[str, typer.Option("--used", help="已使用 / used")] = "0",
    released: Annotated[str, typer.Option("--released", help="已返还 / released")] = "0",
    note: Annotated[str, typer.Option("--note", help="备注 / note")] = "",
    by: Annotated[str, typer.Option("--by", help="记录人 / recorded by")] = "领导小组办公室",
) -> None:
    """记录矿山的治理恢复基金或保证金 / record a mine's fund or bond (amounts must add up)."""
    from operations.funds import check_amounts, record_fund

    values = {"due": due, "paid": paid, "used": used, "released": released}
    check_amounts(kind, values, note)  # bad input changes nothing, before the case file is opened
    engine = _engine()
    try:
        row = record_fund(engine, permit_no, kind, values, f"office:{by}", note)
    finally:
        engine.dispose()
    console.print(f"{row['permit_no']} {row['label_zh']}: 应缴 {row['due']:g} 已缴 {row['paid']:g} 已使用 {row['used']:g} "
                  f"已返还 {row['released']:g} 结存 held {row['held']:g}")


@fund_app.command("show")
def fund_show(permit_no: Annotated[str, typer.Argument(help="采矿许可证号 / permit number")],
              as_json: Annotated[bool, typer.Option("--json", help="JSON 输出")] = False) -> None:
    """查看矿山的基金与保证金 / show a mine's fund and bond."""
    from operations.funds import funds_of

    engine = _engine()
    try:
        rows = funds_of(engine, permit_no)
    finally:
        engine.dispose()
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        console.print(f"{row['label_zh']}: 应缴 {row['due']:g} 已缴 {row['paid']:g} 已使用 {row['used']:g} 已返还 {row['released']:g}")
