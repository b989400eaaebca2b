"""``minecase users add|list|disable|enable|remove|password``: sign-ins for the web desk and the API."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from casefile.db import open_casefile
from casefile.users import UserError, add_user, list_users, new_password, remove_user, set_active, set_password
from runtime.settings import Settings

users_app = typer.Typer(help="用户与角色 / users and roles", no_args_is_help=True)


@users_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="用户名 / user name")],
    role: Annotated[str, typer.Option("--role", help="office|county|township|department|holder|expert|viewer")],
    township: Annotated[str | None, typer.Option("--township", help="乡镇（township 角色）/ the township")] = None,
    department: Annotated[str | None, typer.Option(
        "--department", help="部门代码（department 角色）/ department code, e.g. natural_resources")] = None,
    permit: Annotated[str | None, typer.Option("--permit", help="采矿许可证号（holder 角色）/ permit number")] = None,
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
                        display_name=display_name, replace=replace)
    finally:
        engine.dispose()
    scope = user.township or user.department or user.permit_no or ""
    typer.echo(f"已添加用户 added: {user.name} ({user.role}{' · ' + scope if scope else ''})")


@users_app.command("list")
def list_command() -> None:
    """列出用户 / list users."""
    engine = open_casefile(Settings().resolved_database_url())
    try:
        users = list_users(engine)
    finally:
        engine.dispose()
    table = Table("name", "role", "township", "department", "permit", "status")
    for u in users:
        status = ("active" if u.active else "disabled") + (" · demo" if u.demo else "")
        table.add_row(u.name, u.role, u.township or "", u.department or "", u.permit_no or "", status)
    Console().print(table)


@users_app.command("disable")
def disable(name: Annotated[str, typer.Argument(help="用户名 / user name")]) -> None:
    """停用用户：不能再登录，已登录的会话立即结束 / disable a user: no sign-in, open sessions end now."""
    engine = open_casefile(Settings().resolved_database_url())
    try:
        user = set_active(engine, name, False)
    finally:
        engine.dispose()
    typer.echo(f"已停用 disabled: {user.name}")


@users_app.command("enable")
def enable(name: Annotated[str, typer.Argument(help="用户名 / user name")]) -> None:
    """重新启用用户 / enable a disabled user again."""
    engine = open_casefile(Settings().resolved_database_url())
    try:
        user = set_active(engine, name, True)
    finally:
        engine.dispose()
    typer.echo(f"已启用 enabled: {user.name}")


@users_app.command("remove")
def remove(name: Annotated[str, typer.Argument(help="用户名 / user name")]) -> None:
    """删除用户（案卷中的记录保留其姓名）/ remove a user (the case file keeps what they did)."""
    engine = open_casefile(Settings().resolved_database_url())
    try:
        remove_user(engine, name)
    finally:
        engine.dispose()
    typer.echo(f"已删除 removed: {name.strip()}")


@users_app.command("password")
def password_command(
    name: Annotated[str, typer.Argument(help="用户名 / user name")],
    password: Annotated[str | None, typer.Option(
        "--password", help="新密码（不给则随机生成并显示一次）/ new password (random, printed once, if absent)")] = None,
) -> None:
    """重设密码，其所有会话结束 / reset a password; every session of the user ends."""
    chosen = password or new_password()
    engine = open_casefile(Settings().resolved_database_url())
    try:
        user = set_password(engine, name, chosen)
    finally:
        engine.dispose()
    typer.echo(f"已重设密码 password reset: {user.name}" + ("" if password else f"   新密码 new password: {chosen}"))


__all__ = ["UserError", "users_app"]
