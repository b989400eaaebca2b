"""``minecase users add|list|disable|enable|remove|password``: sign-ins for the web desk and the API."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from casefile.db import open_casefile
from casefile.users import UserError, add_user, get_user, list_users, new_password, remove_user, set_active, set_password
from runtime.settings import Settings

users_app = typer.Typer(help="用户与角色 / users and roles", no_args_is_help=True)


@users_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="用户名 / user name")],
    role: Annotated[str, typer.Option("--role", help="office|county|township|department|holder|expert|viewer|leader|province")],
    township: Annotated[str | None, typer.Option("--township", help="乡镇（township 角色）/ the township")] = None,
    department: Annotated[str | None, typer.Option(
        "--department", help="部门代码（department 角色）/ department code, e.g. natural_resources")] = None,
    permit: Annotated[str | None, typer.Option("--permit", help="采矿许可证号（holder 角色）/ permit number")] = None,
    scope: Annotated[str | None, typer.Option(
        "--scope", help="挂点县领导姓名，同台账「挂点县领导」栏（leader 角色）/ the leader's name as the ledger records it")] = None,
    county: Annotated[str | None, typer.Option(
        "--county", help="所属县（省级部署中多个县共用时）/ the user's county in a province deployment (docs/province.md)")] = None,
    display_name: Annotated[str, typer.Option("--display-name", help="显示名 / shown name")] = "",
    password: Annotated[str | None, typer.Option("--password", help="密码（不给则提示输入）/ password (prompted if absent)")] = None,
    replace: Annotated[bool, typer.Option("--replace", help="覆盖同名用户 / replace an existing user")] = False,
    email: Annotated[str | None, typer.Option("--email", help="通知邮箱 / e-mail for notices (issue 13)")] = None,
    phone: Annotated[str | None, typer.Option("--phone", help="通知短信手机号 / mobile for SMS notices")] = None,
) -> None:
    """添加用户 / add a user."""
    contacts = check_contacts(email, phone)  # bad input changes nothing
    if password is None:
        password = typer.prompt("密码 password", hide_input=True, confirmation_prompt=True)
    engine = open_casefile(Settings().resolved_database_url())
    try:
        user = add_user(engine, name, password, role, township=township, department=department, permit_no=permit,
                        leader=scope, display_name=display_name, replace=replace, county=county)
    finally:
        engine.dispose()
    shown = " · ".join(x for x in (user.county, user.township or user.department or user.permit_no or user.leader) if x)
    typer.echo(f"已添加用户 added: {user.name} ({user.role}{' · ' + shown if shown else ''})")
    add_contacts(user.name, contacts)


@users_app.command("list")
def list_command() -> None:
    """列出用户 / list users."""
    engine = open_casefile(Settings().resolved_database_url())
    try:
        users = list_users(engine)
    finally:
        engine.dispose()
    table = Table("name", "role", "county", "township", "department", "permit", "leader", "status")
    for u in users:
        status = ("active" if u.active else "disabled") + (" · demo" if u.demo else "")
        table.add_row(u.name, u.role, u.county or "", u.township or "", u.department or "", u.permit_no or "", u.leader or "", status)
    Console().print(table)


# -- notices: contact points and subscriptions (issue 13) ---------------------------------------------------


def check_contacts(email: str | None, phone: str | None) -> list[tuple[str, str]]:
    from casefile.notices import check_address

    found = []
    if email:
        found.append(("email", check_address("email", email)))
    if phone:
        found.append(("sms", check_address("sms", phone)))
    return found


def add_contacts(name: str, contacts: list[tuple[str, str]]) -> None:
    if not contacts:
        return
    from casefile.notices import set_subscription

    engine = open_casefile(Settings().resolved_database_url())
    try:
        for channel, address in contacts:
            set_subscription(engine, f"user:{name}", channel, address)
            typer.echo(f"通知 notices: {channel} → {address}")
    finally:
        engine.dispose()


@users_app.command("subscribe")
def subscribe_command(
    owner: Annotated[str, typer.Argument(help="用户名，或单位：office、county、township:<乡镇>、department:<代码>、leader:<姓名>、"
                                              "holder:<许可证号>、procuratorate / a user name, or a unit")],
    channel: Annotated[str, typer.Option("--channel", help="email|sms|dingtalk|wecom|webhook")],
    address: Annotated[str, typer.Option("--address", help="邮箱、手机号或机器人地址 / e-mail, phone, or the robot's URL")],
    secret: Annotated[str, typer.Option("--secret", help="钉钉机器人加签密钥 / the DingTalk robot's signing secret")] = "",
    kinds: Annotated[str, typer.Option(
        "--kinds", help="通知类型，逗号分隔（空为全部；reminder、overdue 为一组）/ notice kinds, comma-separated")] = "",
    digest_hour: Annotated[int | None, typer.Option(
        "--digest-hour", help="每日汇总的钟点（北京时间 0–23）；不给则即时发送 / daily digest hour")] = None,
    remove: Annotated[bool, typer.Option("--remove", help="取消该渠道的订阅 / remove this subscription")] = False,
) -> None:
    """设置通知订阅 / set who gets which notices on which channel, immediately or in a daily digest."""
    from casefile.notices import remove_subscription, set_subscription

    engine = open_casefile(Settings().resolved_database_url())
    try:
        if remove:
            removed = remove_subscription(engine, owner, channel)
            typer.echo(f"已取消 removed: {removed}")
            return
        row = set_subscription(engine, owner, channel, address, secret=secret,
                               kinds=[k.strip() for k in kinds.split(",") if k.strip()], digest_hour=digest_hour)
    finally:
        engine.dispose()
    when = f"每日 {row.digest_hour}:00 汇总 daily digest" if row.digest_hour is not None else "即时 immediately"
    typer.echo(f"已订阅 subscribed: {row.owner} · {row.channel} · {when} · {', '.join(row.kinds) or '全部 all kinds'}")


@users_app.command("subscriptions")
def subscriptions_command() -> None:
    """列出通知订阅 / list subscriptions (robot keys hidden)."""
    from casefile.notices import list_subscriptions
    from models.notify import redact

    engine = open_casefile(Settings().resolved_database_url())
    try:
        rows = list_subscriptions(engine)
    finally:
        engine.dispose()
    table = Table("owner", "channel", "address", "kinds", "digest")
    for r in rows:
        table.add_row(r.owner, r.channel, redact(r.address) if "://" in r.address else r.address, ",".join(r.kinds) or "*",
                      "" if r.digest_hour is None else f"{r.digest_hour}:00")
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
