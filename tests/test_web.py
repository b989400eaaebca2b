"""The web pages, rendered in-process: sign-in, board, lists, case page, forms by role, language."""

from __future__ import annotations

import datetime as dt
import re

import httpx

from tests.api_helpers import PASSWORD, TOWNSHIP, closure_dates, desk_browser, holder_of


def browser(app) -> httpx.AsyncClient:
    """A browser of the desk: it sends each form's token back, as the pages' forms do."""
    return desk_browser(app)


async def sign_in(http: httpx.AsyncClient, name: str) -> httpx.Response:
    return await http.post("/login", data={"name": name, "password": PASSWORD, "next": "/"})


def verbs_offered(html: str) -> set[str]:
    return set(re.findall(r'data-verb="([a-z_]+)"', html))


async def test_a_page_without_sign_in_goes_to_the_sign_in_page(app):
    async with browser(app) as http:
        answer = await http.get("/board")
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
        page = await http.get("/login")
        assert "登录" in page.text and 'lang="zh-CN"' in page.text


async def test_a_wrong_password_shows_the_sign_in_page_again_with_a_message(app):
    async with browser(app) as http:
        answer = await http.post("/login", data={"name": "office", "password": "nope"})
        assert answer.status_code == 401 and "用户名或密码错误" in answer.text


async def test_each_role_lands_on_its_own_page_after_sign_in(app, staff):
    for name, home in (("office", "/board"), ("natres", "/inbox"), ("township", "/township"), ("viewer", "/board")):
        async with browser(app) as http:
            answer = await sign_in(http, name)
            assert answer.status_code == 303 and answer.headers["location"] == home, name
            assert (await http.get(home)).status_code == 200


async def test_the_board_shows_lights_stages_and_townships(app, new_case):
    drill = await new_case(township="芦洲乡")
    async with browser(app) as http:
        await sign_in(http, "office")
        page = (await http.get("/board")).text
        assert "整治看板" in page and "芦洲乡" in page
        if drill.facts.permit_no not in page:  # a full board (the session's case file holds hundreds) links to the rest
            assert re.search(r'<a href="([^"]+)" data-testid="rest">', page)
            listed = (await http.get("/cases", params={"township": "芦洲乡"})).text  # its township's row leads there
            assert drill.facts.permit_no in listed
        assert 'data-testid="townships"' in page and 'data-testid="stages"' in page


async def test_the_english_toggle_switches_the_pages_and_back(app):
    async with browser(app) as http:
        await sign_in(http, "office")
        await http.get("/lang/en", headers={"referer": "http://desk.test/board"})
        page = (await http.get("/board")).text
        assert "Rectification board" in page and 'lang="en"' in page
        await http.get("/lang/zh")
        assert "整治看板" in (await http.get("/board")).text


async def test_the_list_filters_by_township_stage_and_due_date(app, new_case):
    drill = await new_case(township="塔下乡")
    async with browser(app) as http:
        await sign_in(http, "office")
        page = (await http.get("/cases", params={"township": "塔下乡", "stage": "registered"})).text
        assert drill.facts.permit_no in page
        page = (await http.get("/cases", params={"township": "塔下乡", "due_within": "10"})).text
        assert drill.facts.permit_no not in page
        assert (await http.get("/cases", params={"due_within": "ten"})).status_code == 422


async def test_the_case_page_offers_only_the_forms_of_the_signed_in_role(app, new_case, engine):
    drill = await new_case(township=TOWNSHIP)
    url = f"/cases/{drill.facts.permit_no}"
    # a just-registered mine: only the township of the mine has something to do (D2: no "apply to cancel")
    expected = {"township": {"propose_disposition"}, "county": set(), "office": set(), "viewer": set(), "expert": set(),
                "natres": set(), "other-township": None, holder_of(engine, drill.facts.permit_no): set()}
    for name, verbs in expected.items():
        async with browser(app) as http:
            await sign_in(http, name)
            page = await http.get(url)
            if verbs is None:
                assert page.status_code == 403 and "无权" in page.text
                continue
            assert page.status_code == 200
            assert verbs_offered(page.text) == verbs, name
            assert 'data-testid="timeline"' in page.text and "登记停产矿山" in page.text


async def test_the_countys_decision_form_shows_the_townships_proposal_and_its_reason(app, new_case):
    drill = await new_case(township=TOWNSHIP)
    url = f"/cases/{drill.facts.permit_no}"
    async with browser(app) as http:
        await sign_in(http, "township")
        await http.post(f"{url}/act/propose_disposition", data={"path": "cancel", "reason": "资源已枯竭，无开采价值", "request_id": "p1"})
        assert verbs_offered((await http.get(url)).text) == set()  # proposed: nothing more for the township now
    async with browser(app) as http:
        await sign_in(http, "county")
        page = (await http.get(url)).text
        assert verbs_offered(page) == {"decide_disposition"}  # no deadline form with an empty drop-down
        form = page[page.index('data-verb="decide_disposition"'):]
        form = form[:form.index("</form>")]
        assert 'data-testid="proposal"' in form and 'data-path="cancel"' in form and "注销关闭" in form
        assert "资源已枯竭，无开采价值" in form


async def test_forms_move_the_case_and_a_refused_input_is_shown_as_a_message(app, new_case):
    drill = await new_case(township=TOWNSHIP)
    url = f"/cases/{drill.facts.permit_no}"
    async with browser(app) as http:
        await sign_in(http, "county")
        refused = await http.post(f"{url}/act/decide_disposition", data={"approve": "true"})
        assert refused.status_code == 303
        page = (await http.get(url)).text
        assert "flash error" in page and "阶段" in page
    async with browser(app) as http:
        await sign_in(http, "township")
        await http.post(f"{url}/act/propose_disposition", data={"path": "continue", "reason": "", "comment": "", "request_id": "r1"})
        page = (await http.get(url)).text
        assert "flash ok" in page and "处置意见审批中" in page
        flash_ok = re.search(r'class="flash ok"[^>]*>(.*?)<', page, re.S)
        assert flash_ok and drill.facts.permit_no in flash_ok.group(1) and drill.facts.mine_name in flash_ok.group(1)
        assert (await drill.status()).stage == "disposition_review"
        blocked = await http.post(f"{url}/act/decide_disposition", data={"approve": "true"})
        assert "flash error" in (await http.get(url)).text and blocked.status_code == 303
    assert (await drill.status()).stage == "disposition_review"


async def test_an_unknown_case_page_is_404(app):
    async with browser(app) as http:
        await sign_in(http, "office")
        answer = await http.get("/cases/C0000000000000000000000")
        assert answer.status_code == 404 and "C0000000000000000000000" in answer.text


async def test_sign_in_never_redirects_to_another_site(app):
    async with browser(app) as http:
        answer = await http.post("/login", data={"name": "office", "password": PASSWORD, "next": "//evil.example/x"})
        assert answer.headers["location"] == "/board"
        answer = await http.post("/login", data={"name": "office", "password": PASSWORD, "next": "/cases"})
        assert answer.headers["location"] == "/cases"


def ledger_csv(rows: list[list]) -> bytes:
    headings = ["采矿许可证号", "矿山名称", "采矿权人", "所属林场、乡镇", "裸露区面积（亩）"]
    return ("\n".join(",".join(str(v) for v in row) for row in [headings, *rows]) + "\n").encode("utf-8")


async def test_the_office_uploads_a_ledger_on_the_ledger_page_and_sees_each_bad_row_with_its_reason(app, worker, engine):
    from tests.api_helpers import in_case_file
    from tests.drill import new_permit_no

    good = [new_permit_no(), new_permit_no()]
    content = ledger_csv([[good[0], "网页导入砂场（虚构）", "某公司（虚构）", "锦江镇", 3],
                          ["C12345", "许可证号错矿（虚构）", "某公司（虚构）", "锦江镇", 3],
                          [good[1], "网页导入石场（虚构）", "某公司（虚构）", "锦江镇", 4]])
    async with browser(app) as http:
        await sign_in(http, "office")
        page = (await http.get("/ledger")).text
        assert 'href="/ledger"' in page and 'data-testid="ledger-form"' in page and "/api/ledger.xlsx" in page
        answer = await http.post("/ledger", files={"file": ("台账.csv", content, "text/csv")})
        assert answer.status_code == 200
        report = answer.text
        row = re.search(r'<tr class="red" data-row="3">.*?</tr>', report, re.S).group(0)
        assert "第3行" in row and "C12345" in row and "C 加 22 位数字" in row
        assert all(f'data-permit="{p}"' in report for p in good) and report.count("新登记") >= 2
        assert re.search(r'data-testid="created">2<', report) and re.search(r'data-testid="rejected-count">1<', report)
        for permit in good:  # both in the case file: uploading again finds nothing left to take in, and says so
            await in_case_file(engine, permit)
        again = (await http.post("/ledger", files={"file": ("台账.csv", content, "text/csv")})).text
        tiles = dict(re.findall(r'data-testid="([a-z_-]+)">([^<]*)<', again))
        assert (tiles.get("created"), tiles.get("existing")) == ("0", "2"), (tiles, re.findall(r'class="flash[^"]*">([^<]*)<', again))
        await http.get("/lang/en")
        english = (await http.post("/ledger", files={"file": ("台账.csv", content, "text/csv")})).text
        assert "row 3" in english and "C followed by 22 digits" in english and "Rejected rows" in english
        bad = await http.post("/ledger", files={"file": ("notes.txt", b"hello", "text/plain")})
        assert bad.status_code == 422 and "ledger-error" in bad.text


async def test_the_ledger_page_is_for_the_office_and_export_only_for_the_others(app):
    for name in ("county", "viewer", "natres"):
        async with browser(app) as http:
            await sign_in(http, name)
            page = await http.get("/ledger")
            assert page.status_code == 200 and "/api/ledger.xlsx" in page.text and 'data-testid="ledger-form"' not in page.text
            answer = await http.post("/ledger", files={"file": ("a.csv", ledger_csv([]), "text/csv")})
            assert answer.status_code == 403
    for name in ("township", "expert"):
        async with browser(app) as http:
            await sign_in(http, name)
            assert (await http.get("/ledger")).status_code == 403
            assert 'href="/ledger"' not in (await http.get("/cases")).text


async def test_overdue_notices_are_marked_red_and_documents_link_to_html_and_pdf(app, new_case):
    import asyncio

    from models.messages import DecideDisposition, ProposeDisposition
    from tests.drill import COUNTY, township

    late = await new_case(township=TOWNSHIP)
    await late.act("propose_disposition", ProposeDisposition(actor=township(TOWNSHIP), path="continue"))
    await late.act("decide_disposition", DecideDisposition(actor=COUNTY, approve=True))
    await late.serve_all()  # the six months count from service of the notice
    await late.advance(days=200)
    closing = await new_case(township=TOWNSHIP)
    await closing.act("propose_disposition", ProposeDisposition(actor=township(TOWNSHIP), path="cancel"))
    await closing.act("decide_disposition", DecideDisposition(actor=COUNTY, approve=True, deadlines={
        kind: dt.date.fromisoformat(day) for kind, day in closure_dates().items()}))
    async with browser(app) as http:
        await sign_in(http, "office")
        for _ in range(100):  # the case file syncs shortly after the workflow moves
            page = (await http.get(f"/cases/{late.facts.permit_no}")).text
            if 'data-kind="consequence_proposed"' in page:
                break
            await asyncio.sleep(0.1)
        notice = re.search(r'<li class="overdue" data-kind="consequence_proposed">.*?</li>', page, re.S)
        assert notice and 'tag bad' in notice.group(0) and "逾期" in notice.group(0)
        assert not re.search(r'<li class="overdue" data-kind="(decision_requested|task_opened)"', page)
        for _ in range(100):
            page = (await http.get(f"/cases/{closing.facts.permit_no}")).text
            if 'data-kind="closure_decision"' in page:
                break
            await asyncio.sleep(0.1)
        doc = re.search(r'<li data-document="([^"]+)" data-kind="closure_decision">.*?</li>', page, re.S)
        assert doc, page
        base = f"/api/cases/{closing.facts.permit_no}/documents/{doc.group(1)}"
        assert f'href="{base}.pdf"' in doc.group(0) and f'href="{base}?download=true"' in doc.group(0)


async def test_the_county_records_on_the_case_page_a_meeting_held_days_ago_and_serves_its_notice_dated_the_day_served(app, new_case):
    from models.messages import ProposeDisposition
    from tests.drill import township

    drill = await new_case(township=TOWNSHIP)
    await drill.act("propose_disposition", ProposeDisposition(actor=township(TOWNSHIP), path="continue"))
    await drill.advance(days=6)
    today = (await drill.clock()).date()
    held, served = today - dt.timedelta(days=4), today - dt.timedelta(days=2)
    url = f"/cases/{drill.facts.permit_no}"
    async with browser(app) as http:
        await sign_in(http, "county")
        page = (await http.get(url)).text
        assert 'type="date" name="on"' in page
        await http.post(f"{url}/act/decide_disposition", data={"approve": "true", "on": held.isoformat(), "request_id": "d1"})
        assert (await drill.status()).disposition_date == held
        page = (await http.get(url)).text
        form = re.search(r'<form class="act"[^>]*data-verb="serve_document">.*?</form>', page, re.S)
        assert form and "延续整改通知书" in form.group(0)
        notice = re.search(r'<option value="([^"]+-D01)"', form.group(0)).group(1)
        await http.post(f"{url}/act/serve_document", data={"document_id": notice, "method": "post", "on": served.isoformat(),
                                                           "request_id": "s1"})
    status = await drill.status()
    (period,) = [d for d in status.deadlines if d.kind == "rectification"]
    assert period.due is not None and period.awaiting_service is None
    assert next(d for d in status.documents if d.id == notice).served_on == served


async def test_the_county_names_on_its_form_the_dates_of_a_closure_decided_after_the_campaigns(app, new_case):
    from models.messages import ProposeDisposition
    from tests.drill import township

    drill = await new_case(township=TOWNSHIP)
    await drill.act("propose_disposition", ProposeDisposition(actor=township(TOWNSHIP), path="cancel"))
    url = f"/cases/{drill.facts.permit_no}"
    dates = closure_dates()
    async with browser(app) as http:
        await sign_in(http, "county")
        page = (await http.get(url)).text
        assert 'name="deadline_restoration_plan"' in page and 'name="deadline_restoration_works"' in page
        await http.post(f"{url}/act/decide_disposition", data={"approve": "true", "request_id": "late1"})
        assert "专项行动确定的期限已过" in (await http.get(url)).text  # refused: the campaign's 2023–2024 dates have passed
        assert (await drill.status()).stage == "disposition_review"
        await http.post(f"{url}/act/decide_disposition", data={
            "approve": "true", "request_id": "late2", "deadline_restoration_plan": dates["restoration_plan"],
            "deadline_restoration_works": dates["restoration_works"]})
    status = await drill.status()
    assert status.stage == "closure_ordered"
    assert {d.kind: d.due.isoformat() for d in status.deadlines if d.due} == dates
