"""``minecase db upgrade|current``: the case file's schema (Alembic migrations in ``casefile/migrations``).

``minecase up`` and ``minecase worker`` upgrade the case file when they start; every other command
refuses a case file that is not at the newest schema, and says to run one of these.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from casefile.db import make_engine, schema_status, upgrade_database
from runtime.settings import Settings

db_app = typer.Typer(help="案卷数据库结构 / the case file's schema", no_args_is_help=True)

STATES = {
    "current": ("最新", "up to date"),
    "missing": ("尚未建立（运行 minecase db upgrade）", "no tables yet (run 'minecase db upgrade')"),
    "unversioned": ("2026-11-23 版本，待升级（运行 minecase db upgrade）", "made by the 2026-11-23 release; run 'minecase db upgrade'"),
    "behind": ("较旧，待升级（运行 minecase db upgrade）", "older; run 'minecase db upgrade'"),
    "ahead": ("比本程序新（请升级 minecase）", "newer than this minecase (upgrade minecase)"),
    "partial": ("只有部分案卷表，无法升级", "only some of the case file's tables; cannot be upgraded"),
}


@db_app.command("upgrade")
def upgrade() -> None:
    """把案卷数据库升级到最新结构 / upgrade the case file to the newest schema."""
    engine = make_engine(Settings().resolved_database_url(create=True))
    try:
        done = upgrade_database(engine)
        where = engine.url.render_as_string(hide_password=True)
    finally:
        engine.dispose()
    if done.before == done.after and not done.adopted:
        typer.echo(f"案卷数据库已是最新 / the case file is up to date: {done.after}  ({where})")
        return
    before = done.before or ("2026-11-23" if done.adopted else "空 empty")
    typer.echo(f"案卷数据库已升级 / the case file was upgraded: {before} → {done.after}  ({where})")


@db_app.command("current")
def current(as_json: Annotated[bool, typer.Option("--json", help="JSON 输出")] = False) -> None:
    """案卷数据库的结构版本 / the case file's schema revision, and the newest this minecase knows."""
    engine = make_engine(Settings().resolved_database_url())
    try:
        status = schema_status(engine)
    finally:
        engine.dispose()
    if as_json:
        typer.echo(json.dumps({"database": status.where, "revision": status.revision, "head": status.head,
                               "state": status.state}, ensure_ascii=False, indent=2))
        return
    zh, en = STATES[status.state]
    typer.echo(f"案卷 case file: {status.where}")
    typer.echo(f"版本 revision: {status.revision or '—'}   最新 head: {status.head}")
    typer.echo(f"状态 state: {zh} / {en}")
