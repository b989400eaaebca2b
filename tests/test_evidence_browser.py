"""Evidence on the desk, in Chromium (issue 14): a file uploaded and opened, an act carrying a file, an
inspection recorded with a located photo, a problem closed with evidence — and the refusals, which store nothing."""

from __future__ import annotations

import hashlib

from sqlmodel import Session as SqlSession
from sqlmodel import select

from casefile.tables import AttachmentRecord, InspectionRecord, ProblemRecord
from tests import test_web_browser
from tests.api_helpers import TOWNSHIP
from tests.evidence_files import pdf, png

# the browser fixtures (Chromium, the desk served on localhost, a signed-in page), shared with the desk's browser tests
chromium, live_desk, open_page = test_web_browser.chromium, test_web_browser.live_desk, test_web_browser.open_page
pytestmark = test_web_browser.pytestmark

FILE_TYPES = {".png": "image/png", ".pdf": "application/pdf", ".html": "text/html"}


def a_file(name: str, data: bytes) -> dict:
    return {"name": name, "mimeType": FILE_TYPES.get(name[name.rfind("."):], "application/octet-stream"), "buffer": data}


async def test_a_township_uploads_a_photo_and_a_pdf_and_opens_them_on_the_case_page(open_page, new_case, live_desk, engine):
    drill = await new_case(township=TOWNSHIP, mine_name="附件测试矿（虚构）")
    permit = drill.facts.permit_no
    page = await open_page("township")
    await page.goto(f"{live_desk}/cases/{permit}")
    photo, plan = png(), pdf("restoration plan")
    await page.set_input_files("form[data-testid=upload] input[type=file]", [a_file("现场.png", photo), a_file("方案.pdf", plan)])
    await page.click("form[data-testid=upload] button[type=submit]")
    await page.wait_for_selector(".flash.ok")

    image = page.locator(f"li[data-sha256='{hashlib.sha256(photo).hexdigest()}'] img.preview")
    await image.wait_for()
    assert await image.evaluate("img => img.complete && img.naturalWidth") == 8  # the bytes came back as an image
    frame = page.locator(f"li[data-sha256='{hashlib.sha256(plan).hexdigest()}'] iframe.preview")
    assert await frame.count() == 1
    opened = await page.request.get(f"{live_desk}{await frame.get_attribute('src')}")
    assert opened.status == 200 and await opened.body() == plan
    assert opened.headers["content-type"] == "application/pdf" and opened.headers["x-content-type-options"] == "nosniff"

    # a page disguised as a PDF: refused by its content, nothing stored
    await page.set_input_files("form[data-testid=upload] input[type=file]", [a_file("伪装.pdf", b"<html><body>x</body></html>")])
    await page.click("form[data-testid=upload] button[type=submit]")
    await page.wait_for_selector(".flash.error")
    with SqlSession(engine) as s:
        assert len(s.exec(select(AttachmentRecord).where(AttachmentRecord.permit_no == permit)).all()) == 2

    # an act carrying a file from its form's file input
    form = "form[data-verb=propose_disposition]"
    await page.check(f"{form} input[value=cancel]")
    await page.set_input_files(f"{form} input[name=files]", [a_file("会议纪要.pdf", pdf("minutes"))])
    await page.click(f"{form} button[type=submit]")
    await page.wait_for_selector(".flash.ok")
    assert (await drill.status()).stage == "disposition_review"
    used = page.locator(f"li[data-sha256='{hashlib.sha256(pdf('minutes')).hexdigest()}']")
    assert "乡镇" in await used.inner_text() or "处置" in await used.inner_text()


async def test_an_inspection_with_a_located_photo_opens_a_problem_the_office_closes_with_evidence(open_page, new_case, live_desk, engine):
    drill = await new_case(township=TOWNSHIP, mine_name="巡查测试矿（虚构）")
    permit = drill.facts.permit_no
    page = await open_page("township")
    await page.goto(f"{live_desk}/cases/{permit}")
    form = "form[data-testid=inspection-form]"

    async def fill(lat: str, lon: str) -> None:
        await page.fill(f"{form} input[name=people]", "王五、赵六")
        await page.fill(f"{form} textarea[name=findings]", "边坡未复绿")
        await page.set_input_files(f"{form} input[name=photo]", [a_file("边坡.png", png(rgb=(10, 120, 10)))])
        await page.fill(f"{form} input[name=lat]", lat)
        await page.fill(f"{form} input[name=lon]", lon)
        await page.fill(f"{form} textarea[name=problem]", "边坡裸露")
        await page.fill(f"{form} textarea[name=measures]", "覆土植草")
        await page.fill(f"{form} input[name=responsible_unit]", TOWNSHIP)
        await page.fill(f"{form} input[name=responsible_person]", "王五")
        await page.fill(f"{form} input[name=due]", "2099-12-31")

    await fill("128.2", "114.9")  # latitude out of bounds: refused, nothing stored
    await page.click(f"{form} button[type=submit]")
    await page.wait_for_selector(".flash.error")
    with SqlSession(engine) as s:
        assert s.exec(select(InspectionRecord).where(InspectionRecord.permit_no == permit)).all() == []
        assert s.exec(select(AttachmentRecord).where(AttachmentRecord.permit_no == permit)).all() == []

    await fill("28.2301", "114.9202")
    await page.click(f"{form} button[type=submit]")
    await page.wait_for_selector(".flash.ok")
    row = page.locator("[data-testid=inspections] tr[data-inspection]")
    assert "28.2301, 114.9202" in await row.inner_text()
    assert await row.locator("img").evaluate("img => img.complete && img.naturalWidth") == 8
    with SqlSession(engine) as s:
        (problem,) = s.exec(select(ProblemRecord).where(ProblemRecord.permit_no == permit)).all()

    office = await open_page("office")
    await office.goto(f"{live_desk}/problems?permit_no={permit}")
    line = office.locator(f"tr[data-problem='{problem.id}']")
    await line.locator("button[type=submit]").click()  # no evidence: refused
    await office.wait_for_selector(".flash.error")
    assert "佐证" in await office.inner_text(".flash.error")
    assert await office.locator(f"tr[data-problem='{problem.id}']").get_attribute("data-status") == "open"

    line = office.locator(f"tr[data-problem='{problem.id}']")
    await line.locator("input[name=note]").fill("已覆土植草")
    await line.locator("input[name=files]").set_input_files([a_file("复绿后.png", png(rgb=(0, 200, 0)))])
    await line.locator("button[type=submit]").click()
    await office.wait_for_selector(".flash.ok")
    closed = office.locator(f"tr[data-problem='{problem.id}']")
    assert await closed.get_attribute("data-status") == "closed"
    assert "复绿后.png" in await closed.inner_text()
    export = await office.request.get(f"{live_desk}{await office.get_attribute('[data-testid=export]', 'href')}")
    assert export.status == 200 and export.headers["content-type"].startswith("application/vnd.openxmlformats")


async def test_a_department_ticks_its_items_of_the_acceptance_standard_on_the_case_page(open_page, live_desk, client, engine):
    from tests.test_acceptance_checklist import to_field_acceptance

    drill = await to_field_acceptance(client, engine)
    permit = drill.facts.permit_no
    task = await drill.open_task(department="natural_resources", kind="field_acceptance")
    page = await open_page("natres")
    await page.goto(f"{live_desk}/cases/{permit}")
    form = page.locator("form.act[data-verb=record_review]")
    await form.locator("select[name=task_id]").select_option(task.id)
    box = form.locator(f"fieldset.checklist[data-task='{task.id}'] input[data-item=geo_hazard]")
    assert "地质" in await form.locator(f"fieldset.checklist[data-task='{task.id}']").inner_text()

    await form.locator("button.approve").click()  # unticked: not met, so it cannot be approved
    await page.wait_for_selector(".flash.error")
    assert (await drill.open_task(department="natural_resources", kind="field_acceptance")).status == "open"

    form = page.locator("form.act[data-verb=record_review]")
    await form.locator("select[name=task_id]").select_option(task.id)
    await form.locator(f"fieldset.checklist[data-task='{task.id}'] input[data-item=geo_hazard]").check()
    await form.locator("button.approve").click()
    await page.wait_for_selector(".flash.ok")
    event = [e for e in await drill.timeline() if e.kind == "review_recorded"][-1]
    assert event.data["checklist"] == {"geo_hazard": True}
    assert box is not None
