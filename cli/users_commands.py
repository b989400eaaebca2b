"""``minecase users add|list``: sign-ins for the web desk and the API."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from casefile.db import open_casefile
from casefile.users import UserError, add_user, get_user, list_users
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
    table = Table("name", "role", "township", "department", "permit")
    for u in users:
        table.add_row(u.name, u.role, u.township or "", u.department or "", u.permit_no or "")
    Console().print(table)


# --- the command line's own identity (issue 12, D16) -------------------------------------------------------


@users_app.command("use")
def use(
    name: Annotated[str | None, typer.Argument(help="用户名 / user name")] = None,
    clear: Annotated[bool, typer.Option("--clear", help="不再以任何用户操作 / forget the saved user")] = False,
) -> None:
    """命令行以此用户操作（角色和单位取自案卷）/ act as this user on the command line (role and unit from the case file).

    保存于 MINECASE_DATA_DIR/cli-user；MINECASE_USER 或 --by 优先 / saved in MINECASE_DATA_DIR/cli-user;
    MINECASE_USER and --by come first."""
    from cli.identity import NoIdentity, check_name, describe, identity_file

    settings = Settings()
    path = identity_file(settings)
    if clear:
        path.unlink(missing_ok=True)
        typer.echo(f"已清除命令行操作人 cleared: {path.resolve()}")
        return
    if name is None:
        raise NoIdentity("请给出用户名，或用 --clear 清除", "give a user name, or --clear")
    engine = open_casefile(settings.resolved_database_url())
    try:
        user = get_user(engine, check_name(name))
    finally:
        engine.dispose()
    if user is None:
        raise NoIdentity(f"「{name[:50]}」不是案卷中的有效用户（见 minecase users list）",
                         f"'{name[:50]}' is not an active user of the case file (see 'minecase users list')")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(user.name + "\n", encoding="utf-8")
    typer.echo(f"命令行操作人 acting user: {describe(user)}；已写入 written to {path.resolve()}")
    if settings.user and settings.user != user.name:
        typer.echo(f"注意：MINECASE_USER={settings.user} 优先 / note: MINECASE_USER={settings.user} comes first", err=True)


__all__ = ["UserError", "users_app"]
