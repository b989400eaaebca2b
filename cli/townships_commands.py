"""``minecase townships list|add|remove``: the campaign's dictionary of townships, forest farms and sub-districts
(乡镇字典), which registration and the ledger's import check a mine's township against (``operations.townships``).

The dictionary starts as ``campaigns/<campaign>.townships.txt``; the office's additions and removals are kept in
the case file with who made them and when."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console

from runtime.settings import Settings

townships_app = typer.Typer(help="乡镇字典：林场、乡镇、街道 / the campaign's townships, forest farms and sub-districts",
                            no_args_is_help=True)

Campaign = Annotated[str | None, typer.Option("--campaign", help="专项行动（默认 MINECASE_CAMPAIGN）/ campaign")]
By = Annotated[str | None, typer.Option("--by", help="操作人：案卷中的用户名（默认 MINECASE_USER）/ the acting user")]


def _campaign(campaign: str | None) -> str:
    from models.policy import load_campaign
    from operations.campaigns import no_campaign

    chosen = campaign or Settings().campaign
    if not chosen:
        raise no_campaign()
    return load_campaign(chosen).id


@townships_app.command("list")
def list_townships(campaign: Campaign = None,
                   as_json: Annotated[bool, typer.Option("--json", help="JSON 输出")] = False) -> None:
    """列出乡镇字典 / list the dictionary."""
    from casefile.db import open_casefile
    from operations.townships import file_townships, townships

    chosen = _campaign(campaign)
    engine = open_casefile(Settings().resolved_database_url())
    try:
        names = townships(engine, chosen)
    finally:
        engine.dispose()
    if as_json:
        typer.echo(json.dumps(names, ensure_ascii=False))
        return
    from_file = set(file_townships(chosen))
    console = Console()
    for name in names:
        console.print(name if name in from_file else f"{name}  （办公室新增 added by the office）")
    console.print(f"专项行动 {chosen}：{len(names)} 个林场、乡镇、街道 / {len(names)} townships")


def _edit(name: str, campaign: str | None, by: str | None, add: bool) -> None:
    from casefile.db import open_casefile
    from cli.identity import require_role, signed_in
    from models.roles import Role
    from operations.townships import add_township, remove_township

    chosen = _campaign(campaign)
    settings = Settings()
    engine = open_casefile(settings.resolved_database_url())
    try:
        user = signed_in(engine, settings, by)
        require_role(user, Role.office, what_zh="修改乡镇字典（只有领导小组办公室可以）", what_en="edit the dictionary (the office does)")
        kept = (add_township if add else remove_township)(engine, chosen, name, user.actor().describe())
    finally:
        engine.dispose()
    typer.echo(f"{'已加入' if add else '已移出'}乡镇字典 {'added to' if add else 'removed from'} the dictionary of {chosen}: {kept}")


@townships_app.command("add")
def add(name: Annotated[str, typer.Argument(help="林场、乡镇或街道名称 / the name")], campaign: Campaign = None,
        by: By = None) -> None:
    """加入乡镇字典（领导小组办公室）/ add a township (the office)."""
    _edit(name, campaign, by, add=True)


@townships_app.command("remove")
def remove(name: Annotated[str, typer.Argument(help="林场、乡镇或街道名称 / the name")], campaign: Campaign = None,
           by: By = None) -> None:
    """移出乡镇字典（已登记的案件不变）/ remove a township (cases registered there keep it)."""
    _edit(name, campaign, by, add=False)
