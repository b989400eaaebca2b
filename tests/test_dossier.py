"""Issue 17: the appeal-ready dossier (案卷). A case driven through closure, service, works overdue, the
township's takeover and the referral is bound into one PDF; its pages render, its table of contents matches
its pages, and ``dossier verify`` passes on it and fails on a tampered copy. Attachments plug in through
``attachment_source``: a PDF merged and an image placed, both made here.

Real parts: the Temporal dev server with time skipping, a SQLite case file, Chromium printing, pypdf, and
pypdfium2 rasterising each page."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import io
import json
import struct
import zlib
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ContentStream
from sqlmodel import Session, select
from typer.testing import CliRunner

from casefile.documents import html_to_pdf
from casefile.tables import DossierRecord
from casefile.users import add_user
from cli.app import app
from models.calendar import CST
from models.messages import SubmitDocument
from models.policy import load_campaign
from operations import dossier
from tests.api_helpers import TOWNSHIP, in_case_file
from tests.conftest import TASK_QUEUE
from tests.drill import HOLDER, Drill, cst, new_permit_no
from tests.test_cancel_path import decide, order_closure
from tests.test_web_browser import chromium, live_desk, open_page  # noqa: F401 - the browser fixtures


@pytest.fixture
async def drill(client, engine, worker) -> Drill:
    drill = Drill(client, engine, TASK_QUEUE)
    drill.policy = load_campaign("rolling-example").resolve(dt.date(2030, 3, 1))
    return drill


async def closure_overdue_takeover_referral(drill: Drill) -> None:
    """四.3 closure served; the plan filed and approved; the works overdue (四.2): the county's takeover, the
    township's referral (五.2), the cancellation notice published; every decision served."""
    await order_closure(drill)
    await drill.serve_all()
    await drill.act("submit_document", SubmitDocument(actor=HOLDER, item="restoration_plan"))
    await decide(drill, "plan_review")
    await drill.advance_to(cst(2030, 9, 2, 0, 0, 1))
    await drill.advance_to(cst(2030, 9, 5, 10, 0))
    await drill.decide("takeover")
    await drill.decide("referral")
    await drill.decide("cancellation_notice")
    await drill.publish_notice()
    await drill.serve_all()
    await drill.advance(days=1)


def png(width: int = 120, height: int = 80) -> bytes:
    """A black-and-white PNG (a checkerboard), written with zlib: an image attachment made by the test."""
    rows = b"".join(b"\x00" + bytes(0 if ((x // 10) + (y // 10)) % 2 else 255 for x in range(width)) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def attachments_of(permit_no: str, decision_id: str) -> tuple[list[dossier.Attachment], dict[str, bytes]]:
    """What the evidence listing will give: a PDF (a site report) and a photo, each attached to the closure decision."""
    report = html_to_pdf("<html><body><h1>现场核查报告</h1><p>Site inspection report: ATTACHED-REPORT</p></body></html>")
    photo = png()
    store = {hashlib.sha256(b).hexdigest(): b for b in (report, photo)}
    at = dt.datetime(2030, 4, 2, 9, 0, tzinfo=CST)
    listing = [dossier.Attachment(sha256=hashlib.sha256(report).hexdigest(), name="现场核查报告.pdf", media_type="application/pdf",
                                  size=len(report), by="泗溪镇·乡镇干部", at=at, attached_to=decision_id),
               dossier.Attachment(sha256=hashlib.sha256(photo).hexdigest(), name="现场照片.png", media_type="image/png",
                                  size=len(photo), by="泗溪镇·乡镇干部", at=at, attached_to=decision_id)]
    return listing, store


def page_text(document: pdfium.PdfDocument, index: int) -> str:
    """A page's text with every space and line break taken out (titles are letter-spaced, hashes wrap)."""
    return "".join(document[index].get_textpage().get_text_range().split())


def ink(document: pdfium.PdfDocument, index: int) -> float:
    """The share of dark pixels on a page rasterised at 50 dpi."""
    bitmap = document[index].render(scale=50 / 72, grayscale=True)
    pixels = bytes(bitmap.buffer)
    return sum(1 for p in pixels if p < 128) / len(pixels)


def drop_page(pdf: bytes, index: int) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    del writer.pages[index]
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def change_one_byte_on_page(pdf: bytes, index: int) -> bytes:
    """One byte of a page's content changed (a drawing operator's number), the file otherwise intact."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    page = writer.pages[index]
    data = bytearray(page.get_contents().get_data())
    spot = data.index(b" ")
    data[spot - 1] = ord("7") if data[spot - 1] != ord("7") else ord("3")
    content = ContentStream(None, None)
    content.set_data(bytes(data))
    page.replace_contents(content)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def check_dossier(pdf: bytes, holder: str) -> dict:
    """The dossier opens, every page renders with ink on it and carries the county and its number, the cover is
    the mine's, the table of contents lists every entry's SHA-256 and the page it starts on shows that entry, and
    the closing sheet counts the pages. Returns the manifest it carries."""
    manifest = dossier.read_manifest(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == manifest["pages"]
    kinds = [row["kind"] for row in manifest["entries"]]
    assert kinds[-1] == "timeline"
    dates = [row["on"] for row in manifest["entries"][:-1]]
    assert dates == sorted(dates)  # in date order

    pages = pdfium.PdfDocument(pdf)
    try:
        assert len(pages) == manifest["pages"]
        for index in range(len(pages)):
            assert ink(pages, index) > 0.001, f"page {index + 1} is blank"
            text = page_text(pages, index)
            assert f"第{index + 1}页共{len(pages)}页" in text
            assert "上高县" in text
        assert "一矿一档" in page_text(pages, 0) and holder in page_text(pages, 0)
        first, last = manifest["sections"]["contents"]
        contents = "".join(page_text(pages, i) for i in range(first - 1, last))
        assert "卷内目录" in contents
        previous_last = last
        for row in manifest["entries"]:  # the table of contents matches the pages
            assert row["sha256"] in contents
            assert f"{row['first_page']}–{row['last_page']}" in contents
            assert row["first_page"] == previous_last + 1
            previous_last = row["last_page"]
            start = page_text(pages, row["first_page"] - 1)
            expected = {"document": row["number"] or row["title"][:4], "service": "送达回证", "filing": "报送材料登记",
                        "review": "审查意见", "timeline": "案件流程记录"}.get(row["kind"])
            if row["kind"] == "attachment":
                expected = "ATTACHED-REPORT" if row["title"].endswith(".pdf") else row["sha256"]
            assert expected in start, (row, start[:200])
        closing = page_text(pages, len(pages) - 1)
        assert manifest["sections"]["closing"] == [previous_last + 1, len(pages)]
        assert "备考表" in closing and f"{len(pages)}页" in closing and "立卷人" in closing
        if any(row["title"].endswith(".png") for row in manifest["entries"]):
            photo = next(row for row in manifest["entries"] if row["title"].endswith(".png"))
            assert ink(pages, photo["first_page"] - 1) > 0.05  # the checkerboard is placed on its page
    finally:
        pages.close()
    return manifest


def tampered_copies(pdf: bytes, manifest: dict, key: str) -> dict[str, bytes]:
    row = next(row for row in manifest["entries"] if row["key"] == key)
    flipped = bytearray(pdf)
    flipped[len(flipped) // 2] ^= 0x01
    return {"one byte of an entry's page": change_one_byte_on_page(pdf, row["first_page"] - 1),
            "a page removed": drop_page(pdf, row["first_page"] - 1), "one byte of the file": bytes(flipped)}


async def test_the_office_binds_from_the_case_page_the_dossier_of_a_case_through_closure_takeover_and_referral_and_it_verifies(
    drill, engine, open_page, live_desk, monkeypatch, tmp_path,  # noqa: F811 - the browser fixtures
):
    await closure_overdue_takeover_referral(drill)
    permit = drill.facts.permit_no
    await in_case_file(engine, permit)

    page = await open_page("office")
    await page.goto(f"{live_desk}/cases/{permit}")
    button = page.locator("[data-testid=dossier] a.dossier-pdf")
    assert await button.count() == 1
    async with page.expect_download(timeout=300_000) as download_info:  # bound now: tens of seconds on a busy machine
        await button.click()
    download = await download_info.value
    pdf = await asyncio.to_thread(Path(await download.path()).read_bytes)

    manifest = check_dossier(pdf, drill.facts.holder)
    kinds = {row["kind"] for row in manifest["entries"]}
    assert {"document", "service", "filing", "review", "timeline"} <= kinds
    titles = " ".join(row["title"] for row in manifest["entries"])
    for title in ("关闭决定书", "接手整治决定书", "代履行决定书", "线索移送函", "注销公告", "送达回证：线索移送函"):
        assert title in titles, title
    timeline = page_text(pdfium.PdfDocument(pdf), next(r for r in manifest["entries"] if r["kind"] == "timeline")["first_page"] - 1)
    assert "五.2" in timeline and "四.3" in timeline  # the clauses of the referral and the closure

    with Session(engine) as session:
        records = session.exec(select(DossierRecord).where(DossierRecord.permit_no == permit)).all()
    record = next(r for r in records if r.id == manifest["id"])
    assert record.sha256 == hashlib.sha256(pdf).hexdigest() and record.pages == manifest["pages"]
    assert record.produced_by.startswith("领导小组办公室") and record.manifest == manifest

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MINECASE_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    runner = CliRunner()
    original = tmp_path / "案卷.pdf"
    original.write_bytes(pdf)
    passed = runner.invoke(app, ["dossier", "verify", str(original)])
    assert passed.exit_code == 0 and "核验通过" in passed.stdout, passed.output
    decision = next(r["key"] for r in manifest["entries"] if r["title"] == "关闭决定书")
    for what, copy in tampered_copies(pdf, manifest, decision).items():
        path = tmp_path / "tampered.pdf"
        path.write_bytes(copy)
        failed = runner.invoke(app, ["dossier", "verify", str(path), "--json"])
        assert failed.exit_code == 1, (what, failed.output)
        verdict = json.loads(failed.stdout)
        assert not verdict["ok"] and verdict["differences"], what
        if what == "one byte of an entry's page":
            assert any(decision in d["en"] and "differs" in d["en"] for d in verdict["differences"]), verdict
        if what == "a page removed":
            assert any("page count differs" in d["en"] for d in verdict["differences"]), verdict


async def test_attachments_plug_in_through_the_hook_a_pdf_merged_and_an_image_placed_and_both_bound_by_their_hash(drill, engine):
    await order_closure(drill)
    await drill.serve_all()
    permit = drill.facts.permit_no
    await in_case_file(engine, permit)
    decision_id = next(d.id for d in (await drill.status()).documents if d.kind == "closure_decision")
    listing, store = attachments_of(permit, decision_id)
    sources = (*dossier.DEFAULT_SOURCES, dossier.attachment_source(lambda _engine, _permit: listing, store.__getitem__))

    bound = dossier.bind(engine, permit, by="领导小组办公室·立卷人", sources=sources)

    manifest = check_dossier(bound.pdf, drill.facts.holder)
    attached = [row for row in manifest["entries"] if row["kind"] == "attachment"]
    assert sorted(row["sha256"] for row in attached) == sorted(store)
    report = next(row for row in attached if row["title"].endswith(".pdf"))
    assert report["pages"] == len(PdfReader(io.BytesIO(store[report["sha256"]])).pages)  # merged as it is
    assert dossier.verify(engine, bound.pdf, sources).ok

    store[report["sha256"]] = store[report["sha256"]] + b"%"  # the stored bytes no longer what was bound
    changed = dossier.verify(engine, bound.pdf, sources)
    assert not changed.ok and any(f"attachment:{report['sha256']}" in en for _, en in changed.differences)


async def test_a_dossier_of_one_decision_holds_it_and_what_it_rests_on_and_nothing_after(drill, engine, monkeypatch, tmp_path):
    await closure_overdue_takeover_referral(drill)
    permit = drill.facts.permit_no
    await in_case_file(engine, permit)
    documents = (await drill.status()).documents
    takeover = next(d for d in documents if d.kind == "takeover_decision")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MINECASE_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    runner = CliRunner()
    add_user(engine, "dossier-clerk", "correct-horse-9", "county", display_name="立卷人", replace=True)  # the CLI acts as a user

    file = tmp_path / "接手整治.pdf"
    made = runner.invoke(app, ["dossier", permit, "--pdf", str(file), "--decision", takeover.id, "--by", "dossier-clerk", "--json"])

    assert made.exit_code == 0, made.output
    summary = json.loads(made.stdout)
    pdf = file.read_bytes()
    assert summary["sha256"] == hashlib.sha256(pdf).hexdigest() and summary["bound_by"] == "县政府·立卷人"
    manifest = check_dossier(pdf, drill.facts.holder)
    assert manifest["scope"]["decision"] == takeover.id
    keys = [row["key"] for row in manifest["entries"]]
    assert f"document:{takeover.id}" in keys and f"service:{takeover.id}" in keys
    closure = next(d for d in documents if d.kind == "closure_decision")
    assert f"document:{closure.id}" in keys and f"service:{closure.id}" in keys  # the period it applies counts from it
    notice = next(d for d in documents if d.kind == "cancellation_notice")
    assert f"service:{notice.id}" not in keys  # published after the takeover: not what it rests on
    assert any(row["kind"] == "review" for row in manifest["entries"])  # the proposal decided
    assert runner.invoke(app, ["dossier", "verify", str(file)]).exit_code == 0


def test_the_dossier_command_refuses_a_bad_date_an_unknown_case_and_a_missing_file_in_one_line(engine, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MINECASE_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    add_user(engine, "dossier-office", "correct-horse-9", "office", replace=True)
    monkeypatch.setenv("MINECASE_USER", "dossier-office")
    runner = CliRunner()
    bad_date = runner.invoke(app, ["dossier", "C0000", "--pdf", str(tmp_path / "x.pdf"), "--from", "2030-13-01"])
    assert bad_date.exit_code == 2 and "--from" in bad_date.output
    unknown = runner.invoke(app, ["dossier", new_permit_no(), "--pdf", str(tmp_path / "x.pdf")])
    assert unknown.exit_code == 2 and "no case" in unknown.output and not (tmp_path / "x.pdf").exists()
    missing = runner.invoke(app, ["dossier", "verify", str(tmp_path / "nothing.pdf")])
    assert missing.exit_code == 2 and "no such file" in missing.output
    monkeypatch.setenv("MINECASE_USER", "dossier-nobody")
    nobody = runner.invoke(app, ["dossier", new_permit_no(), "--pdf", str(tmp_path / "x.pdf")])
    assert nobody.exit_code == 2 and "not an active user" in nobody.output and not (tmp_path / "x.pdf").exists()
    not_a_dossier = tmp_path / "plain.pdf"
    not_a_dossier.write_bytes(html_to_pdf("<p>plain</p>"))
    refused = runner.invoke(app, ["dossier", "verify", str(not_a_dossier)])
    assert refused.exit_code == 1 and "manifest" in refused.output


async def test_only_the_office_and_the_county_bind_a_dossier_on_the_desk(new_case, people):
    drill = await new_case()
    permit = drill.facts.permit_no
    for name in ("township", "viewer", "natres"):
        answer = await (await people(name)).get(f"/api/cases/{permit}/dossier.pdf")
        assert answer.status_code == 403, (name, answer.text)
    county = await (await people("county")).get(f"/api/cases/{permit}/dossier.pdf")
    assert county.status_code == 200 and county.headers["cache-control"] == "no-store"
    assert dossier.read_manifest(county.content)["permit_no"] == permit
    assert (await (await people("office")).get("/api/cases/C0000000000000000000000/dossier.pdf")).status_code == 404


async def test_a_file_uploaded_to_the_case_is_bound_into_its_dossier_by_its_hash_and_verified(new_case, people, app, engine,
                                                                                              monkeypatch, tmp_path):
    """The evidence files (issue 14) are entries of the dossier: a PDF merged with its hash in the contents, and
    ``dossier verify`` re-reads it from the attachment store."""
    from cli.app import app as cli
    from tests.evidence_files import pdf

    drill = await new_case(township=TOWNSHIP)
    permit = drill.facts.permit_no
    data = pdf("现场照片说明")
    uploaded = await (await people("township")).http.post(f"/api/cases/{permit}/attachments",
                                                         files={"file": ("现场说明.pdf", data, "application/pdf")})
    assert uploaded.status_code in (200, 201), uploaded.text
    sha = hashlib.sha256(data).hexdigest()

    bound = await (await people("county")).get(f"/api/cases/{permit}/dossier.pdf")
    assert bound.status_code == 200, bound.text
    (entry,) = [e for e in dossier.read_manifest(bound.content)["entries"] if e["key"] == f"attachment:{sha}"]
    assert entry["sha256"] == sha

    file = tmp_path / "案卷.pdf"
    file.write_bytes(bound.content)
    monkeypatch.setenv("MINECASE_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("MINECASE_DATA_DIR", str(app.state.desk.runtime.settings.data_dir))
    verified = CliRunner().invoke(cli, ["dossier", "verify", str(file)])
    assert verified.exit_code == 0, verified.output
