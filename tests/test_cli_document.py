"""``minecase document`` reads a case's documents as the desk does (``operations.reads``), from the case file."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session
from typer.testing import CliRunner

from casefile.tables import DocumentRecord
from casefile.times import to_db
from cli.app import app
from tests.drill import new_permit_no

UTC = dt.UTC


def issue(engine, permit_no: str, number: int, at: dt.datetime, title: str) -> str:
    document_id = f"{permit_no}-D{number:02d}"
    with Session(engine) as session:
        session.add(DocumentRecord(id=document_id, permit_no=permit_no, kind="closure_decision", title_zh=title, clause="四.3",
                                   issued_at=to_db(at), fields={}, html=f"<html><body>{title} {document_id}</body></html>"))
        session.commit()
    return document_id


def test_the_document_command_lists_a_cases_documents_in_issue_order_dated_in_china_and_prints_only_its_own(
    engine, monkeypatch, tmp_path,
):
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("MINECASE_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    permit, other = new_permit_no(), new_permit_no()
    first = issue(engine, permit, 1, dt.datetime(2030, 3, 1, 17, 0, tzinfo=UTC), "关闭决定书")  # 2 March, 01:00 in China
    second = issue(engine, permit, 2, dt.datetime(2030, 3, 5, 2, 0, tzinfo=UTC), "注销公告")
    elsewhere = issue(engine, other, 1, dt.datetime(2030, 3, 1, 2, 0, tzinfo=UTC), "线索移送函")
    runner = CliRunner()

    listed = runner.invoke(app, ["document", permit.lower()])
    assert listed.exit_code == 0, listed.output
    lines = [line for line in listed.stdout.splitlines() if line.strip()]
    assert lines == [f"{first}  关闭决定书  (四.3)  2030-03-02  未送达 not served",
                     f"{second}  注销公告  (四.3)  2030-03-05  未送达 not served"]

    shown = runner.invoke(app, ["document", permit, first])
    assert shown.exit_code == 0 and f"关闭决定书 {first}" in shown.stdout
    saved = tmp_path / "decision.html"
    assert runner.invoke(app, ["document", permit, second, "--html", str(saved)]).exit_code == 0
    assert saved.read_text(encoding="utf-8") == f"<html><body>注销公告 {second}</body></html>"

    refused = runner.invoke(app, ["document", permit, elsewhere])
    assert refused.exit_code == 2 and "no document" in refused.output
    assert "本案暂无文书" in runner.invoke(app, ["document", new_permit_no()]).stdout


def test_printing_a_document_to_pdf_writes_the_file_and_says_where(engine, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("MINECASE_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    permit = new_permit_no()
    decision = issue(engine, permit, 1, dt.datetime(2030, 3, 1, 2, 0, tzinfo=UTC), "关闭决定书")
    written = CliRunner().invoke(app, ["document", permit, decision, "--pdf", "关闭决定书.pdf"])
    assert written.exit_code == 0, written.output
    pdf = tmp_path / "关闭决定书.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert f"已写出 PDF written: {pdf}" in written.stdout and "bytes" in written.stdout
