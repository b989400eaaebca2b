"""台账 and 文书 through the API: a ledger uploaded by the office (bad rows reported, good rows
registered once), the ledger exported as .xlsx, and documents printed to PDF, each for the roles
that may."""

from __future__ import annotations

import io
import shutil
from urllib.parse import unquote

import pytest
from openpyxl import Workbook, load_workbook

from tests.api_helpers import TOWNSHIP, closure_dates, holder_of, in_case_file
from tests.drill import new_permit_no

HEADINGS = ["采矿许可证号", "矿山名称", "采矿权人", "所属林场、乡镇", "挂点县领导", "矿种", "裸露区面积（亩）", "资源枯竭",
            "建矿至今未生产"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def good_row(permit_no: str, township: str = "芦洲乡", name: str = "台账导入砂场（虚构）") -> list:
    return [permit_no, name, "台账测试公司（虚构）", township, "县领导甲（虚构）", "建筑用砂", 6.5, "否", "否"]


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    book.active.append(HEADINGS)
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "台账.xlsx", kind: str = XLSX) -> dict:
    return {"file": (name, content, kind)}


async def test_the_office_imports_a_ledger_bad_rows_are_reported_and_good_rows_registered_once(people, worker, engine):
    permits = [new_permit_no() for _ in range(3)]
    content = xlsx([good_row(permits[0]), good_row(permits[1]),
                    [new_permit_no(), "面积填错矿（虚构）", "某公司（虚构）", "芦洲乡", "", "", "十亩", "否", "否"],
                    good_row(permits[2])])
    office = await people("office")
    answer = await office.http.post("/api/ledger", files=upload(content))
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert (report["created"], report["existing"], report["rejected_count"]) == (3, 0, 1)
    (bad,) = report["rejected"]
    assert bad["row"] == 4 and "应为数字" in bad["reasons"][0]["zh"] and "number" in bad["reasons"][0]["en"]
    assert {r["permit_no"] for r in report["registered"]} == set(permits)
    for permit in permits:
        await in_case_file(engine, permit)
        assert (await office.get(f"/api/cases/{permit}")).json()["status"]["stage"] == "registered"

    again = (await office.http.post("/api/ledger", files=upload(content))).json()
    assert (again["created"], again["existing"], again["rejected_count"]) == (0, 3, 1)
    listed = [c["permit_no"] for c in (await office.get("/api/cases", township="芦洲乡")).json()]
    assert all(listed.count(p) == 1 for p in permits)


async def test_a_csv_ledger_in_gbk_as_excel_saves_it_is_read(people, worker, engine):
    permit = new_permit_no()
    text = ",".join(HEADINGS) + "\n" + ",".join(str(v) for v in good_row(permit, name="国标编码砂场（虚构）")) + "\n"
    office = await people("office")
    answer = await office.http.post("/api/ledger", files=upload(text.encode("gbk"), "台账.csv", "text/csv"))
    assert answer.status_code == 200, answer.text
    assert answer.json()["created"] == 1 and answer.json()["registered"][0]["mine_name"] == "国标编码砂场（虚构）"


async def test_a_file_that_is_no_ledger_is_refused_whole_with_a_reason(people):
    office = await people("office")
    missing = await office.http.post("/api/ledger", files=upload("名称,乡镇\n某矿,泗溪镇\n".encode(), "a.csv", "text/csv"))
    assert missing.status_code == 422 and "采矿许可证号" in missing.json()["detail"]["zh"]
    wrong = await office.http.post("/api/ledger", files=upload(b"hello", "notes.txt", "text/plain"))
    assert wrong.status_code == 422 and ".xlsx" in wrong.json()["detail"]["zh"]
    broken = await office.http.post("/api/ledger", files=upload(b"PK\x03\x04 not really a workbook", "bad.xlsx"))
    assert broken.status_code == 422 and "Excel" in broken.json()["detail"]["zh"]
    empty = await office.http.post("/api/ledger", files=upload(b"", "empty.csv", "text/csv"))
    assert empty.status_code == 422
    nothing = await office.http.post("/api/ledger")
    assert nothing.status_code == 422


async def test_only_the_office_imports_a_ledger(people):
    content = xlsx([good_row(new_permit_no())])
    for name in ("county", "township", "natres", "expert", "viewer"):
        answer = await (await people(name)).http.post("/api/ledger", files=upload(content))
        assert answer.status_code == 403, name
        assert "办公室" in answer.json()["detail"]["zh"]


async def test_the_ledger_exports_as_xlsx_with_the_cases_for_those_who_may(people, new_case, engine):
    drill = await new_case(township="塔下乡", mine_name="导出测试矿（虚构）")
    for name in ("office", "county", "viewer", "natres"):
        answer = await (await people(name)).get("/api/ledger.xlsx")
        assert answer.status_code == 200, name
        assert answer.headers["content-type"] == XLSX
        assert "filename*=UTF-8''" in answer.headers["content-disposition"]
        assert unquote(answer.headers["content-disposition"].split("''")[1]).startswith("台账-")
        book = load_workbook(io.BytesIO(answer.content))
        rows = {row[0]: row for row in book["台账"].iter_rows(min_row=2, values_only=True)}
        assert rows[drill.facts.permit_no][1] == "导出测试矿（虚构）" and rows[drill.facts.permit_no][3] == "塔下乡"
        assert "分乡镇统计" in book.sheetnames
    holder = await people(holder_of(engine, drill.facts.permit_no))
    for session in (holder, await people("township"), await people("expert")):
        answer = await session.get("/api/ledger.xlsx")
        assert answer.status_code == 403 and answer.json()["detail"]["zh"]


@pytest.mark.skipif(not (shutil.which("chromium") or shutil.which("chromium-browser")), reason="PDF needs Chromium")
async def test_a_document_downloads_as_pdf_and_html_for_those_who_may_read_the_case(people, new_case, engine):
    drill = await new_case(township=TOWNSHIP)
    permit = drill.facts.permit_no
    township, county = await people("township"), await people("county")
    assert (await township.act(permit, "propose_disposition", {"path": "cancel"})).status_code == 200
    assert (await county.act(permit, "decide_disposition", {"approve": True, "deadlines": closure_dates()})).status_code == 200
    (decision,) = [d for d in (await county.get(f"/api/cases/{permit}")).json()["documents"] if d["kind"] == "closure_decision"]
    url = f"/api/cases/{permit}/documents/{decision['id']}"

    holder = await people(holder_of(engine, permit))
    pdf = await holder.get(f"{url}.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    disposition = pdf.headers["content-disposition"]
    assert disposition.startswith("attachment;") and f'filename="{decision["id"]}.pdf"' in disposition
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == f"关闭决定书-{decision['id']}.pdf"

    html = await township.get(url, download="true")
    assert html.status_code == 200 and "关闭决定书" in html.text
    assert unquote(html.headers["content-disposition"].split("''")[1]) == f"关闭决定书-{decision['id']}.html"

    other_holder = await people(holder_of(engine, (await new_case(township=TOWNSHIP)).facts.permit_no))
    for outsider in (other_holder, await people("other-township")):
        assert (await outsider.get(f"{url}.pdf")).status_code == 403
    assert (await county.get(f"/api/cases/{permit}/documents/nope.pdf")).status_code == 404


async def test_a_ledger_with_its_history_checked_only_at_the_desk_registers_nothing_and_says_what_it_would_do(people, worker, engine):
    from sqlmodel import Session

    from casefile.tables import CaseRecord

    permit, late = new_permit_no(), new_permit_no()
    headings = [*HEADINGS, "处置建议", "登记日期", "建议日期", "县政府决定日期", "送达日期"]
    rows = [[*good_row(permit), "延续", "2023-10-20", "2023-10-26", "2023-11-10", "2023-11-13"],
            [*good_row(late), "延续", "2023-10-20", "2023-11-26", "2023-11-10", "2030-01-01"]]
    text = "\n".join(",".join(str(v) for v in row) for row in [headings, *rows]) + "\n"
    office = await people("office")
    answer = await office.http.post("/api/ledger", params={"check": "true"}, files=upload(text.encode(), "台账.csv", "text/csv"))
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert (report["check"], report["checked"], report["created"], report["rejected_count"]) == (True, 1, 0, 1)
    (would,) = report["registered"]
    assert (would["permit_no"], would["status"], would["stage"], would["acts"]) == (permit, "checked", "rectifying", 3)
    (bad,) = report["rejected"]
    reasons = " ".join(r["zh"] for r in bad["reasons"])
    assert "县政府决定日期（2023-11-10）早于建议日期（2023-11-26）" in reasons and "晚于今天" in reasons
    with Session(engine) as session:
        assert session.get(CaseRecord, permit) is None and session.get(CaseRecord, late) is None


async def test_the_ledger_page_links_the_import_template(people):
    office = await people("office")
    page = (await office.http.get("/ledger")).text
    assert 'href="/ledger/template.xlsx"' in page and 'name="check"' in page
    answer = await office.http.get("/ledger/template.xlsx")
    assert answer.status_code == 200 and answer.headers["content-type"] == XLSX
    headings = [c.value for c in load_workbook(io.BytesIO(answer.content))["台账"][1]]
    assert headings[:4] == HEADINGS[:4] and "县政府决定日期" in headings and "环评报告批准日期" in headings
    assert (await (await people("township")).http.get("/ledger/template.xlsx")).status_code == 403  # the ledger page's roles only
