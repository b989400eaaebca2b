"""``minecase users add|list``: sign-ins for the web desk and the API."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from casefile.db import open_casefile
from casefile.users import UserError, add_user, list_users
from runtime.settings import Settings

users_app = typer.Typer(help="用户与角色 / users and roles", no_args_is_help=True)


@users_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="用户名 / user name")],
    role: Annotated[str, typer.Option("--role", help="office|county|township|department|holder|expert|viewer|leader")],
    township: Annotated[str | None, typer.Option("--township", help="乡镇（township 角色）/ the township")] = None,
    department: Annotated[str | None, typer.Option(
        "--department", help="部门代码（department 角色）/ department code, e.g. natural_resources")] = None,
    permit: Annotated[str | None, typer.Option("--permit", help="采矿许可证号（holder 角色）/ permit number")] = None,
    scope: Annotated[str | None, typer.Option(
        "--scope", help="挂点县领导姓名，同台账「挂点县领导」栏（leader 角色）/ the leader's name as the ledger records it")] = None,
    display_name: Annotated[str, typer.Option("--display-name", help="显示名 / shown name")] = "",
    password: Annotated[str | None, typer.Option("--password", help="密码（不给则提示输入）/ password (prompted if absent)")] = None,
    replace: Annotated[bool, typer.Option("--replace", help="覆盖同名用户 / replace an existing user")] = False,
) -> None:
    """添加用户 / add a user."""
    if password is None:
        password = typer.prompt("密码 password", hide_input=True, confirmation_prompt=True)
    engine = open_casefile(Settings().resolved_database_url())
    try:
        user = add_user(engine, name, password, role, township=township, department=department, permit_no=permit,
                        leader=scope, display_name=display_name, replace=replace)
    finally:
        engine.dispose()
    shown = user.township or user.department or user.permit_no or user.leader or ""
    typer.echo(f"已添加用户 added: {user.name} ({user.role}{' · ' + shown if shown else ''})")


@users_app.command("list")
def list_command() -> None:
    """列出用户 / list users."""
    engine = open_casefile(Settings().resolved_database_url())
    try:
        users = list_users(engine)
    finally:
        engine.dispose()
    table = Table("name", "role", "township", "department", "permit", "leader")
    for u in users:
        table.add_row(u.name, u.role, u.township or "", u.department or "", u.permit_no or "", u.leader or "")
    Console().print(table)


__all__ = ["UserError", "users_app"]
