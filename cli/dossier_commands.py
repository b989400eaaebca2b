"""``minecase dossier``: bind a case's dossier (案卷) into one PDF, and verify one against the case file (issue 17)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer

from models.errors import MinecaseError
from runtime.settings import Settings


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise MinecaseError(f"{option} 应为日期 YYYY-MM-DD：{value[:40]}", f"{option} must be a date YYYY-MM-DD: {value[:40]}") from None


def dossier(
    target: Annotated[str, typer.Argument(help="采矿许可证号，或 verify / a permit number, or verify")],
    file: Annotated[Path | None, typer.Argument(help="verify 时：要核验的案卷 PDF / with verify: the dossier to check")] = None,
    pdf: Annotated[Path | None, typer.Option(help="案卷 PDF 写到 / write the dossier to")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="起始日期 YYYY-MM-DD / from")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="截止日期 YYYY-MM-DD / to")] = None,
    decision: Annotated[str | None, typer.Option(help="只收此决定及其依据 / one decision and what it rests on")] = None,
    by: Annotated[str | None, typer.Option("--by", help="立卷人（案卷用户）/ who binds it (a user)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON 输出")] = False,
) -> None:
    """案卷：一矿一档装订成册（封面、卷内目录、文书、送达、报送、审查、流程、备考表），或核验 / bind or verify a dossier.

    ``minecase dossier PERMIT --pdf FILE`` binds; ``minecase dossier verify FILE`` re-checks a dossier against
    the case file and exits 1 on any difference."""
    from casefile.db import open_casefile
    from operations import dossier as dossiers

    settings = Settings()
    engine = open_casefile(settings.resolved_database_url())
    if target == "verify":
        if file is None:
            raise MinecaseError("请给出要核验的案卷文件：minecase dossier verify FILE", "give the file: minecase dossier verify FILE")
        if not file.is_file():
            raise MinecaseError(f"找不到文件 {file}", f"no such file: {file}")
        verdict = dossiers.verify(engine, file.read_bytes(), sources=dossiers.sources_for(_store(settings)))
        if as_json:
            typer.echo(json.dumps(verdict.as_json(), ensure_ascii=False, indent=2))
        else:
            for zh, en in verdict.differences:
                typer.echo(f"不符 differs: {zh} / {en}")
            for zh, en in verdict.notes:
                typer.echo(f"说明 note: {zh} / {en}")
            if verdict.ok:
                typer.echo(f"核验通过 verified: {file} 即 {verdict.permit_no} 的案卷 {verdict.dossier_id}，"
                           "与案卷库一致 / matches the case file")
        if not verdict.ok:
            raise typer.Exit(1)
        return
    if file is not None:
        raise MinecaseError(f"多余的参数 {file}（立卷用 --pdf FILE）", f"unexpected argument {file} (bind with --pdf FILE)")
    if pdf is None:
        raise MinecaseError("请用 --pdf FILE 指定案卷文件", "give --pdf FILE")
    scope = dossiers.Scope(date_from=_date(date_from, "--from"), date_to=_date(date_to, "--to"), decision=decision)
    from cli.identity import require_role, signed_in
    from models.roles import Role

    binder = signed_in(engine, settings, by)  # a user of the case file, never the OS login (issue 12, D16)
    require_role(binder, Role.office, Role.county, what_zh="立卷", what_en="bind a dossier")
    bound = dossiers.bind(engine, target, by=binder.actor().describe(), scope=scope, sources=dossiers.sources_for(_store(settings)))
    pdf.write_bytes(bound.pdf)
    summary = {"file": str(pdf), "id": bound.manifest["id"], "permit_no": bound.manifest["permit_no"], "pages": bound.manifest["pages"],
               "entries": len(bound.manifest["entries"]), "sha256": bound.sha256, "bound_by": bound.manifest["bound_by"],
               "bound_at": bound.manifest["bound_at"]}
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        typer.echo(f"已立卷 bound: {pdf}  {summary['entries']} 件 entries, {summary['pages']} 页 pages, SHA-256 {bound.sha256}")


def _store(settings: Settings):
    """The evidence files' store (issue 14): the dossier binds them and verify re-reads them."""
    from operations.attachments import open_store

    return open_store(settings.data_dir, settings.attachments_url)
