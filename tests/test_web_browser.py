"""Browser tests: Debian's Chromium, headless, driven by Playwright against the desk served on
localhost beside the real Temporal dev server. Screenshots of the main pages go to a temporary
folder, or to ``MINECASE_SCREENSHOTS`` when set (``MINECASE_SCREENSHOTS=docs/screenshots pytest
tests/test_web_browser.py`` refreshes the README's pictures); a test run never rewrites the repository.

Needs ``pip install playwright`` and ``apt-get install chromium fonts-wqy-microhei`` (no
``playwright install``: it downloads a browser). Skipped when Chromium is missing.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from pathlib import Path

import pytest
import pytest_asyncio

from models.messages import DecideDisposition, ProposeDisposition, RecordReview, ReportWorksDone, SubmitDocument
from models.roles import Department
from tests.api_helpers import OTHER_TOWNSHIP, PASSWORD, TOWNSHIP, desk_served, in_case_file, make_runtime
from tests.drill import COUNTY, HOLDER, department, township

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
SCREENSHOTS = Path(os.environ.get("MINECASE_SCREENSHOTS") or Path(tempfile.gettempdir()) / "minecase-screenshots").resolve()

playwright_api = pytest.importorskip("playwright.async_api")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed")


@pytest_asyncio.fixture(scope="session")
async def live_desk(client, engine, worker, staff):
    async with desk_served(make_runtime(client, engine), "browser-test") as url:
        yield url


@pytest_asyncio.fixture(scope="session")
async def chromium():
    async with playwright_api.async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        await browser.close()


@pytest_asyncio.fixture
async def open_page(chromium, live_desk):
    contexts = []

    async def signed_in(name: str, *, phone: bool = False, lang: str = "zh"):
        viewport = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
        context = await chromium.new_context(viewport=viewport, locale="zh-CN", device_scale_factor=1)
        contexts.append(context)
        page = await context.new_page()
        page.set_default_timeout(15000)
        if lang == "en":
            await page.goto(f"{live_desk}/lang/en")
        await page.goto(f"{live_desk}/login")
        await page.fill("input[name=name]", name)
        await page.fill("input[name=password]", PASSWORD)
        await page.click("button[type=submit]")
        await page.wait_for_load_state()
        return page

    yield signed_in
    for context in contexts:
        await context.close()


async def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # the README's pictures are whole pages; in a test run (a shared case file: a to-do of hundreds of rows) the
    # window is enough, and a whole page of that length can take Chromium longer than a test should wait
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=bool(os.environ.get("MINECASE_SCREENSHOTS")),
                          timeout=60_000)


async def continue_case(drill) -> None:
    await drill.act("propose_disposition", ProposeDisposition(actor=township(drill.facts.township), path="continue"))
    await drill.act("decide_disposition", DecideDisposition(actor=COUNTY, approve=True))
    await drill.serve_all()  # served the same day: the six months count from today


async def test_the_office_signs_in_and_sees_the_board(open_page, new_case, live_desk):
    calm = await new_case(township="泗溪镇", mine_name="泗溪石灰岩矿（虚构）")
    await continue_case(calm)
    soon = await new_case(township="上甘山林场", mine_name="上甘山瓷土矿（虚构）")
    await continue_case(soon)
    await soon.advance(days=160)
    urgent = await new_case(township="上甘山林场", mine_name="上甘山石英砂矿（虚构）")
    await continue_case(urgent)
    await urgent.advance(days=178)
    late = await new_case(township="新界埠镇", mine_name="新界埠花岗岩矿（虚构）")
    await continue_case(late)
    await late.advance(days=200)
    waiting = await new_case(township="泗溪镇", mine_name="泗溪砂岩矿（虚构）")
    await waiting.act("propose_disposition", ProposeDisposition(actor=township("泗溪镇"), path="cancel"))
    for drill in (calm, soon, urgent, late, waiting):
        await in_case_file(drill.engine, drill.facts.permit_no)
    await asyncio.sleep(0.5)

    page = await open_page("office")
    assert page.url.endswith("/board")
    assert "整治看板" in await page.inner_text("h1")
    townships = await page.inner_text("[data-testid=townships]")
    assert "泗溪镇" in townships and "新界埠镇" in townships
    row = page.locator(f"tr[data-permit='{late.facts.permit_no}']")
    assert await row.count() == 1
    await shot(page, "board")

    phone = await open_page("office", phone=True)
    assert phone.url.endswith("/board")
    await shot(phone, "board-phone")

    english = await open_page("office", lang="en")
    assert "Rectification board" in await english.inner_text("h1")
    await shot(english, "board-en")

    await page.goto(f"{live_desk}/cases?overdue=no")
    await shot(page, "cases")
    assert await page.locator(f"tr.red[data-permit='{urgent.facts.permit_no}']").count() == 1
    await page.goto(f"{live_desk}/cases/{late.facts.permit_no}")
    assert "整改中" in await page.inner_text("[data-testid=stage]")  # six months missed: the county decides (due process)
    assert "研究决定：给予3个月整改期限" in await page.inner_text("body")
    await shot(page, "case")
    await phone.goto(f"{live_desk}/cases/{late.facts.permit_no}")
    await shot(phone, "case-phone")


async def test_a_township_user_sees_only_its_own_mines(open_page, new_case, live_desk):
    here = await new_case(township=TOWNSHIP, mine_name="本镇砂石矿（虚构）")
    there = await new_case(township=OTHER_TOWNSHIP, mine_name="外镇砂石矿（虚构）")
    page = await open_page("township")
    assert page.url.endswith("/township")
    # searched by the name both mines share (the township finds only its own); the session's other cases of the
    # township could fill the first page
    await page.goto(f"{live_desk}/cases?q=砂石矿&page_size=200")
    listed = await page.inner_text("[data-testid=cases]")
    assert here.facts.permit_no in listed and there.facts.permit_no not in listed
    assert OTHER_TOWNSHIP not in listed
    await page.goto(f"{live_desk}/board")
    assert OTHER_TOWNSHIP not in await page.inner_text("[data-testid=townships]")
    await page.goto(f"{live_desk}/township")
    assert here.facts.permit_no in await page.inner_text("[data-testid=to-act]")
    await shot(page, "township")
    answer = await page.goto(f"{live_desk}/cases/{there.facts.permit_no}")
    assert answer.status == 403

    await page.goto(f"{live_desk}/cases/{here.facts.permit_no}")
    forms = page.locator("form.act")
    offered = sorted([await f.get_attribute("data-verb") for f in await forms.all()])
    assert offered == ["propose_disposition"]  # forms by stage: a just-registered mine owes only the proposal
    await page.check("form[data-verb=propose_disposition] input[value=cancel]")
    await page.fill("form[data-verb=propose_disposition] textarea[name=reason]", "资源枯竭，建议注销")
    await page.click("form[data-verb=propose_disposition] button[type=submit]")
    await page.wait_for_selector(".flash.ok")
    assert "处置意见审批中" in await page.inner_text("[data-testid=stage]")
    assert (await here.status()).stage == "disposition_review"


async def test_a_department_approves_a_task_and_the_case_moves_on(open_page, new_case, live_desk, engine):
    drill = await new_case(township=TOWNSHIP, mine_name="联审测试石灰岩矿（虚构）")
    await continue_case(drill)
    for item in drill.policy.approval_items:
        await drill.act("submit_document", SubmitDocument(actor=HOLDER, item=item.code))
    for task in [t for t in (await drill.status()).tasks if t.kind == "document_review"]:
        await drill.act("record_review", RecordReview(actor=department(task.department), task_id=task.id, approved=True))
    await drill.approve_determination()  # 四.2: the process and equipment, determined jointly, approved by the county
    await drill.act("report_works_done", ReportWorksDone(actor=HOLDER))
    inspection = await drill.open_task(kind="initial_inspection")
    await drill.act("record_review", RecordReview(actor=township(TOWNSHIP), task_id=inspection.id, approved=True))
    for task in [t for t in (await drill.status()).tasks if t.kind == "field_acceptance" and t.department != Department.natural_resources]:
        await drill.act("record_review", RecordReview(actor=department(task.department), task_id=task.id, approved=True))
    last = await drill.open_task(department=Department.natural_resources, kind="field_acceptance")
    assert (await drill.status()).stage == "rectifying"

    page = await open_page("natres")
    assert page.url.endswith("/inbox")
    row = page.locator(f"tr[data-task='{last.id}']")
    await row.wait_for()
    await shot(page, "inbox")
    await row.locator("input[name=comment]").fill("现场验收合格")
    await row.locator("button.approve").click()
    await page.wait_for_selector(".flash.ok")
    assert await page.locator(f"tr[data-task='{last.id}']").count() == 0
    assert "联审联批" in await page.inner_text(".flash.ok")

    status = await drill.status()
    assert status.stage == "joint_review"
    await page.goto(f"{live_desk}/cases/{drill.facts.permit_no}")
    assert "联审联批" in await page.inner_text("[data-testid=stage]")
    assert "现场验收合格" in await page.inner_text("[data-testid=timeline]")
    await shot(page, "case-joint-review")
    forms = page.locator("form.act[data-verb=record_review] option")
    assert await forms.count() == 1  # natural resources' own joint-review task, nobody else's


async def test_an_import_with_a_bad_row_reports_it_and_registers_the_good_rows(open_page, live_desk, engine, tmp_path):
    from openpyxl import Workbook

    from tests.drill import new_permit_no

    good = [new_permit_no() for _ in range(3)]
    book = Workbook()
    book.active.append(["采矿许可证号", "矿山名称", "采矿权人", "所属林场、乡镇", "挂点县领导", "矿种", "裸露区面积（亩）", "资源枯竭",
                        "建矿至今未生产"])
    book.active.append([good[0], "上甘山高岭土矿（虚构）", "甘山示例矿业有限公司（虚构）", "上甘山林场", "县领导甲（虚构）", "高岭土",
                        21.5, "否", "否"])
    book.active.append([good[1], "锦江镇河沙场（虚构）", "锦江示例砂业有限公司（虚构）", "锦江镇", "县领导乙（虚构）", "建筑用砂",
                        8.2, "否", "是"])
    book.active.append(["C36092399990000000", "许可证号缺位矿（虚构）", "缺位示例公司（虚构）", "泗溪镇", "", "石灰岩",
                        5, "否", "否"])
    book.active.append([good[2], "芦洲乡花岗岩矿（虚构）", "芦洲示例石材有限公司（虚构）", "芦洲乡", "县领导丙（虚构）", "花岗岩",
                        "约十亩", "否", "否"])
    book.active.append([new_permit_no(), "", "无名示例公司（虚构）", "芦洲乡", "", "", 3, "否", "否"])
    path = tmp_path / "台账-第二批.xlsx"
    book.save(path)

    page = await open_page("office")
    await page.click("header nav a[href='/ledger']")
    await page.wait_for_selector("[data-testid=ledger-form]")
    await page.set_input_files("[data-testid=ledger-form] input[type=file]", str(path))
    await page.click("[data-testid=ledger-form] button[type=submit]")
    await page.wait_for_selector("[data-testid=ledger-report]")
    assert await page.inner_text("[data-testid=created]") == "2"
    assert await page.inner_text("[data-testid=rejected-count]") == "3"
    bad = await page.inner_text("tr[data-row='4']")
    assert "第4行" in bad and "C 加 22 位数字" in bad
    assert "应为数字" in await page.inner_text("tr[data-row='5']")
    assert "矿山名称不能为空" in await page.inner_text("tr[data-row='6']")
    registered = await page.inner_text("[data-testid=registered]")
    assert "上甘山高岭土矿（虚构）" in registered and "锦江镇河沙场（虚构）" in registered and good[2] not in registered
    await shot(page, "ledger-import")
    for permit in good[:2]:
        await in_case_file(engine, permit)
    await page.click(f"[data-testid=registered] a[href='/cases/{good[0]}']")
    assert "已登记" in await page.inner_text("[data-testid=stage]")


async def test_a_leader_signs_in_sees_only_its_mines_and_is_offered_no_form(open_page, new_case, live_desk, engine):
    from casefile.users import add_user

    name = "县领导乙（虚构，浏览器）"
    add_user(engine, "leader-browser", PASSWORD, "leader", leader=name, replace=True)
    ours = await new_case(township=TOWNSHIP, mine_name="挂点石灰岩矿（虚构）", leader=name)
    await continue_case(ours)
    theirs = await new_case(township=TOWNSHIP, mine_name="他人挂点砂石矿（虚构）", leader="县领导丙（虚构）")
    page = await open_page("leader-browser")
    assert page.url.endswith("/board")
    assert name in await page.inner_text("[data-testid=leader-scope]")
    board = await page.inner_text("[data-testid=cases]")
    assert ours.facts.permit_no in board and theirs.facts.permit_no not in board
    assert await page.locator("header nav a[href='/inbox']").count() == 0
    await page.goto(f"{live_desk}/cases?q=矿")
    assert theirs.facts.permit_no not in await page.inner_text("[data-testid=cases]")
    await page.goto(f"{live_desk}/cases/{ours.facts.permit_no}")
    assert await page.locator("form.act").count() == 0 and await page.locator("[data-testid=actions]").count() == 0
    assert "已" in await page.inner_text("[data-testid=stage-age]")
    await shot(page, "leader-case")
    answer = await page.goto(f"{live_desk}/cases/{theirs.facts.permit_no}")
    assert answer.status == 403


async def test_the_township_and_the_county_act_from_their_todo_and_the_decision_reaches_the_township(
        open_page, new_case, live_desk):
    drill = await new_case(township=TOWNSHIP, mine_name="待办演示石灰岩矿（虚构）", leader="县领导甲（虚构）")
    permit = drill.facts.permit_no
    town = await open_page("township")
    await town.goto(f"{live_desk}/inbox")
    row = town.locator(f"tr[data-permit='{permit}'][data-verb=propose_disposition]")
    await row.wait_for()
    await shot(town, "todo-township")
    await row.locator("a[data-testid=act-link]").click()
    await town.check("form[data-verb=propose_disposition] input[value=continue]")
    await town.fill("form[data-verb=propose_disposition] textarea[name=reason]", "资源储量尚可，具备整改条件")
    await town.click("form[data-verb=propose_disposition] button[type=submit]")
    await town.wait_for_selector(".flash.ok")

    county = await open_page("county")
    await county.goto(f"{live_desk}/inbox")
    decide = county.locator(f"tr[data-permit='{permit}'][data-verb=decide_disposition]")
    await decide.wait_for()
    await shot(county, "todo-county")
    await decide.locator("a[data-testid=act-link]").click()
    assert "资源储量尚可" in await county.inner_text("[data-testid=proposal-reason]")
    await county.check("form[data-verb=decide_disposition] input[name=approve][value=false]")
    await county.click("form[data-verb=decide_disposition] button[type=submit]")  # sent back without a reason: refused
    await county.wait_for_selector(".flash.error")
    assert "理由" in await county.inner_text(".flash.error")
    await county.check("form[data-verb=decide_disposition] input[name=approve][value=true]")
    await county.click("form[data-verb=decide_disposition] button[type=submit]")
    await county.wait_for_selector(".flash.ok")
    assert "整改中" in await county.inner_text("[data-testid=stage]")

    for _ in range(100):  # the case file syncs shortly after
        await town.goto(f"{live_desk}/inbox")
        if await town.locator(f"tr[data-permit='{permit}'][data-info=decision_notified]").count():
            break
        await asyncio.sleep(0.1)
    info = town.locator(f"tr[data-permit='{permit}'][data-info=decision_notified]")
    assert await info.count() >= 1 and "县政府" in await info.first.inner_text()
    assert await info.first.locator("form").count() == 0  # for information: nothing to do
    await town.goto(f"{live_desk}/cases/{permit}")
    notices = await town.inner_text("[data-testid=notices]")
    assert "采矿权人" in notices and TOWNSHIP in notices
    assert "UTC" not in await town.inner_text("body")
    await shot(town, "case-notified")


async def test_the_case_page_prints_a_one_mine_one_file_cover_sheet_without_the_forms(open_page, new_case, live_desk):
    drill = await new_case(township=TOWNSHIP, mine_name="封面打印石灰岩矿（虚构）", leader="县领导甲（虚构）")
    await continue_case(drill)
    page = await open_page("county")
    await page.goto(f"{live_desk}/cases/{drill.facts.permit_no}")
    assert not await page.locator("[data-testid=cover]").is_visible()  # on screen: the case, not its cover
    await page.emulate_media(media="print")
    assert await page.locator("[data-testid=cover]").is_visible()
    cover = await page.inner_text("[data-testid=cover]")
    assert drill.facts.permit_no in cover and drill.facts.holder in cover and "整改中" in cover
    assert "延续整改通知书" in cover or "通知书" in cover
    assert not await page.locator("header.top").is_visible()
    assert await page.locator("form.act").count() == 0 or not await page.locator("form.act").first.is_visible()
    await shot(page, "case-print")
    pdf = await page.pdf(format="A4")
    assert pdf[:4] == b"%PDF"
