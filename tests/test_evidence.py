"""Evidence (issue 14): attachments stored by their SHA-256 and named by ref in the acts, inspections with photos,
the problem ledger with its time limit and its closing (销号) with evidence. Real Temporal, real SQLite."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import stat
import zipfile
from pathlib import Path

import openpyxl
from sqlmodel import Session as SqlSession
from sqlmodel import select

from casefile.tables import AttachmentRecord, InspectionRecord, ProblemRecord
from models.attachments import MAX_ATTACHMENT_BYTES
from models.calendar import CST
from operations.attachments import sniff
from runtime.temporal import fast_forward
from tests.api_helpers import OTHER_TOWNSHIP, TOWNSHIP, timeline_length
from tests.evidence_files import pdf, png


def store_root(app) -> Path:
    return Path(app.state.desk.runtime.settings.data_dir) / "attachments"


def stored_files(app) -> set[str]:
    root = store_root(app)
    return {p.parent.name + p.name for p in root.rglob("*") if p.is_file()} if root.exists() else set()


async def upload(session, permit_no: str, name: str, data: bytes, media_type: str = "application/octet-stream"):
    return await session.http.post(f"/api/cases/{permit_no}/attachments", files={"file": (name, data, media_type)})


def today() -> dt.date:
    return dt.datetime.now(CST).date()


async def test_an_uploaded_pdf_is_stored_by_its_sha256_readable_only_by_the_owner_and_served_inline(app, people, new_case):
    drill = await new_case(township=TOWNSHIP)
    permit = drill.facts.permit_no
    town = await people("township")
    data = pdf("plan")
    answer = await upload(town, permit, "复绿方案.pdf", data)
    assert answer.status_code == 201, answer.text
    ref = answer.json()
    sha = hashlib.sha256(data).hexdigest()
    assert ref == {"sha256": sha, "name": "复绿方案.pdf", "media_type": "application/pdf", "size": len(data)}
    path = store_root(app) / sha[:2] / sha[2:]
    assert path.read_bytes() == data
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

    listed = (await town.get(f"/api/cases/{permit}/attachments")).json()
    assert [(f["sha256"], f["name"], f["attached_to"]) for f in listed] == [(sha, "复绿方案.pdf", [])]
    served = await town.get(f"/api/cases/{permit}/attachments/{sha}")
    assert served.status_code == 200 and served.content == data
    assert served.headers["content-type"] == "application/pdf"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.headers["content-disposition"].startswith("inline;")
    downloaded = await town.get(f"/api/cases/{permit}/attachments/{sha}", download="true")
    assert downloaded.headers["content-disposition"].startswith("attachment;")

    other = await people("other-township")
    assert (await other.get(f"/api/cases/{permit}/attachments")).status_code == 403
    assert (await other.get(f"/api/cases/{permit}/attachments/{sha}")).status_code == 403
    viewer = await people("viewer")
    assert (await viewer.get(f"/api/cases/{permit}/attachments/{sha}")).status_code == 200
    assert (await upload(viewer, permit, "x.pdf", pdf("viewer"))).status_code == 403
    assert (await town.get(f"/api/cases/{permit}/attachments/{'0' * 64}")).status_code == 404


async def test_a_file_over_the_limit_or_not_a_document_by_its_content_is_refused_and_nothing_is_stored(app, people, new_case):
    drill = await new_case(township=TOWNSHIP)
    permit = drill.facts.permit_no
    town = await people("township")
    before = stored_files(app)

    too_big = b"%PDF-1.4\n" + b"0" * MAX_ATTACHMENT_BYTES
    answer = await upload(town, permit, "big.pdf", too_big)
    assert answer.status_code == 413 and answer.json()["detail"]["en"]
    disguised = await upload(town, permit, "report.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")
    assert disguised.status_code == 422
    assert "content" in disguised.json()["detail"]["en"]
    renamed_exe = await upload(town, permit, "photo.png", b"MZ\x90\x00" + b"\x00" * 100, "image/png")
    assert renamed_exe.status_code == 422
    empty = await upload(town, permit, "empty.pdf", b"")
    assert empty.status_code == 422

    assert stored_files(app) == before
    assert (await town.get(f"/api/cases/{permit}/attachments")).json() == []


def test_office_documents_are_known_by_their_content_and_a_plain_zip_is_not():
    def zipped(*names: str) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name in names:
                archive.writestr(name, "x")
        return buffer.getvalue()

    assert sniff(zipped("[Content_Types].xml", "word/document.xml")).endswith("wordprocessingml.document")
    assert sniff(zipped("[Content_Types].xml", "xl/workbook.xml")).endswith("spreadsheetml.sheet")
    assert sniff(zipped("notes.txt")) is None
    assert sniff(b"\xff\xd8\xff\xe0" + b"\x00" * 20) == "image/jpeg"
    assert sniff(b"GIF89a" + b"\x00" * 10) == "image/gif"
    assert sniff(b"hello") is None


async def test_an_act_names_its_evidence_by_ref_and_the_case_lists_what_it_is_attached_to(app, people, new_case):
    drill = await new_case(township=TOWNSHIP)
    permit = drill.facts.permit_no
    town = await people("township")
    ref = (await upload(town, permit, "现场照片.png", png())).json()

    answer = await town.act(permit, "propose_disposition", {"path": "cancel", "attachments": [ref]})
    assert answer.status_code == 200, answer.text

    listed = (await town.get(f"/api/cases/{permit}/attachments")).json()
    (used,) = [f for f in listed if f["sha256"] == ref["sha256"]]
    assert [u["label_zh"] for u in used["attached_to"]] == ["乡镇提出处置意见"] or used["attached_to"][0]["attached_to"].startswith(
        "act:propose_disposition:")
    assert used["uploaded_by"].startswith(TOWNSHIP) and used["is_image"]
    case = (await town.get(f"/api/cases/{permit}")).json()
    assert [a["sha256"] for a in case["attachments"]] == [ref["sha256"]]


async def test_an_act_naming_a_file_not_stored_for_the_case_is_refused_before_it_reaches_the_case(app, people, new_case):
    drill = await new_case(township=TOWNSHIP)
    other_case = await new_case(township=TOWNSHIP)
    permit = drill.facts.permit_no
    town = await people("township")
    elsewhere = (await upload(town, other_case.facts.permit_no, "别案.pdf", pdf("other"))).json()
    invented = {"sha256": "ab" * 32, "name": "伪造.pdf", "media_type": "application/pdf", "size": 10}
    length = await timeline_length(drill)

    for ref in (invented, elsewhere):
        answer = await town.act(permit, "propose_disposition", {"path": "cancel", "attachments": [ref]})
        assert answer.status_code == 422, answer.text
        assert "upload" in answer.json()["detail"]["en"]
    bad_type = await town.act(permit, "propose_disposition",
                              {"path": "cancel", "attachments": [{**invented, "media_type": "text/html"}]})
    assert bad_type.status_code == 422
    assert await timeline_length(drill) == length
    assert (await drill.status()).stage == "registered"


async def test_an_inspection_with_a_located_photo_opens_a_problem_and_bad_coordinates_store_nothing(app, people, new_case, engine):
    drill = await new_case(township=TOWNSHIP)
    permit = drill.facts.permit_no
    town = await people("township")
    photo = (await upload(town, permit, "边坡.png", png())).json()
    day = today()
    body = {"permit_no": permit, "on": day.isoformat(), "people": ["王五", "赵六"], "findings": "边坡未复绿",
            "photos": [{"ref": photo, "lat": 28.23, "lon": 114.92}],
            "problems": [{"problem": "边坡裸露", "measures": "覆土植草", "responsible_unit": "泗溪镇",
                          "responsible_person": "王五", "due": (day + dt.timedelta(days=30)).isoformat()}]}

    for lat, lon in ((91, 114.9), (28.2, 181), (28.2, None)):
        bad = await town.http.post("/api/inspections", json={**body, "photos": [{"ref": photo, "lat": lat, "lon": lon}]})
        assert bad.status_code == 422, (lat, lon, bad.text)
    future = await town.http.post("/api/inspections", json={**body, "on": (day + dt.timedelta(days=1)).isoformat()})
    assert future.status_code == 422
    with SqlSession(engine) as s:
        assert s.exec(select(InspectionRecord).where(InspectionRecord.permit_no == permit)).all() == []
        assert s.exec(select(ProblemRecord).where(ProblemRecord.permit_no == permit)).all() == []

    answer = await town.http.post("/api/inspections", json=body)
    assert answer.status_code == 201, answer.text
    recorded = answer.json()
    assert recorded["inspection"]["photos"][0]["lat"] == 28.23
    (problem,) = recorded["problems"]
    assert problem["status"] == "open" and problem["responsible_person"] == "王五"

    listed = (await town.get("/api/inspections", permit_no=permit)).json()
    assert [i["id"] for i in listed] == [recorded["inspection"]["id"]]
    ledger = (await town.get("/api/problems", permit_no=permit)).json()
    assert [p["id"] for p in ledger] == [problem["id"]]
    other = await people("other-township")
    assert (await other.http.post("/api/inspections", json=body)).status_code == 403
    assert [p for p in (await other.get("/api/problems")).json() if p["permit_no"] == permit] == []
    files = (await town.get(f"/api/cases/{permit}/attachments")).json()
    assert files[0]["attached_to"][0]["attached_to"] == f"inspection:{recorded['inspection']['id']}"


async def test_a_problem_is_closed_only_by_a_reviewer_with_evidence(app, people, new_case, engine):
    drill = await new_case(township=TOWNSHIP)
    permit = drill.facts.permit_no
    town, office = await people("township"), await people("office")
    day = today()
    recorded = (await town.http.post("/api/inspections", json={
        "permit_no": permit, "on": day.isoformat(), "people": ["王五"], "findings": "=HYPERLINK(\"http://x\")",
        "problems": [{"problem": "=1+1 渣堆未清", "measures": "清运", "responsible_unit": "泗溪镇", "responsible_person": "王五",
                      "due": (day + dt.timedelta(days=20)).isoformat()}]})).json()
    problem_id = recorded["problems"][0]["id"]

    bare = await office.http.post(f"/api/problems/{problem_id}/close", json={"note": "已清运"})
    assert bare.status_code == 422 and "evidence" in bare.json()["detail"]["en"]
    invented = {"sha256": "cd" * 32, "name": "x.png", "media_type": "image/png", "size": 5}
    assert (await office.http.post(f"/api/problems/{problem_id}/close", json={"evidence": [invented]})).status_code == 422
    evidence = (await upload(town, permit, "清运后.png", png(rgb=(40, 160, 40)))).json()
    assert (await town.http.post(f"/api/problems/{problem_id}/close", json={"evidence": [evidence]})).status_code == 403
    with SqlSession(engine) as s:
        assert s.get(ProblemRecord, problem_id).status == "open"

    closed = await office.http.post(f"/api/problems/{problem_id}/close", json={"note": "已清运", "evidence": [evidence]})
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "closed" and closed.json()["evidence"][0]["sha256"] == evidence["sha256"]
    again = await office.http.post(f"/api/problems/{problem_id}/close", json={"evidence": [evidence]})
    assert again.status_code == 422

    sheet = openpyxl.load_workbook(io.BytesIO((await office.get("/api/problems.xlsx")).content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    row = next(r for r in rows if r[1] == problem_id)
    assert row[5] == "'=1+1 渣堆未清" and row[10] == "已销号"


async def test_a_problem_past_its_time_limit_is_reminded_then_overdue_and_a_closed_one_is_not(app, people, new_case, engine, client):
    drill = await new_case(township=TOWNSHIP)
    permit = drill.facts.permit_no
    town, office = await people("township"), await people("office")
    day = today()
    due = day + dt.timedelta(days=10)
    problems = (await town.http.post("/api/inspections", json={
        "permit_no": permit, "on": day.isoformat(), "people": ["王五"], "post_care": True,
        "problems": [{"problem": p, "responsible_unit": "泗溪镇", "responsible_person": "王五", "due": due.isoformat()}
                     for p in ("排水沟堵塞", "围栏损坏")]})).json()["problems"]
    late, fixed = problems[0]["id"], problems[1]["id"]
    evidence = (await upload(town, permit, "围栏.png", png(rgb=(1, 2, 3)))).json()
    assert (await office.http.post(f"/api/problems/{fixed}/close", json={"evidence": [evidence]})).status_code == 200

    def row(problem_id: str) -> ProblemRecord:
        with SqlSession(engine) as s:
            return s.get(ProblemRecord, problem_id)

    await fast_forward(client, f"problem-{late}", dt.timedelta(days=8))
    assert row(late).reminded and not row(late).overdue
    await fast_forward(client, f"problem-{late}", dt.timedelta(days=3, hours=1))
    assert row(late).overdue
    result = await client.get_workflow_handle(f"problem-{late}").result()
    assert result == "overdue"
    assert (await client.get_workflow_handle(f"problem-{fixed}").result()) == "closed"
    assert not row(fixed).overdue and not row(fixed).reminded
    overdue = (await office.get("/api/problems", overdue="true")).json()
    assert late in [p["id"] for p in overdue] and fixed not in [p["id"] for p in overdue]


async def test_the_attachments_of_a_case_survive_in_the_case_file_whatever_the_workflow(app, people, new_case, engine):
    """The refs live in the case file's rows, not in the workflow's state: continuing as new cannot lose them."""
    drill = await new_case(township=TOWNSHIP)
    permit = drill.facts.permit_no
    town = await people("township")
    ref = (await upload(town, permit, "a.pdf", pdf("keep"))).json()
    await town.act(permit, "propose_disposition", {"path": "cancel", "attachments": [ref]})
    from operations.attachments import case_attachments

    with SqlSession(engine) as s:
        assert s.get(AttachmentRecord, (permit, ref["sha256"])) is not None
    (listed,) = case_attachments(engine, permit)
    assert set(listed) >= {"sha256", "name", "media_type", "size", "uploaded_by", "uploaded_at", "attached_to"}
    assert OTHER_TOWNSHIP != TOWNSHIP
