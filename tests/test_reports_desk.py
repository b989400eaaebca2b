"""The desk's reports (issue 14, items 4–6): a mine's restoration fund and 保证金 recorded by the office and refused
when it does not add up; bulletins through the API; and, in Chromium, the reports page with its charts and
deadline calendar, and a bulletin made on the page and read."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from sqlmodel import Session as DbSession
from sqlmodel import select

from casefile.tables import CaseRecord, DeadlineRecord, FundRecord, TimelineRecord
from models.calendar import CST
from tests.api_helpers import PASSWORD, TOWNSHIP, desk_browser
from tests.test_web_browser import chromium, continue_case, live_desk, open_page, shot  # noqa: F401 - fixtures

FUND = {"kind": "fund", "due": 200000, "paid": 150000, "used": 100000, "released": 20000, "note": ""}


def funds_in_file(engine, permit_no: str) -> list[FundRecord]:
    with DbSession(engine) as session:
        return list(session.exec(select(FundRecord).where(FundRecord.permit_no == permit_no)))


@pytest.mark.parametrize(("change", "words"), [
    ({"used": 140000, "released": 20000}, "已使用"),  # 160 000 used and released of 150 000 paid
    ({"paid": 250000}, "超过应缴"),  # overpaid without a note
    ({"due": -1}, "due"),  # the API's schema refuses it (minimum 0), naming the field
    ({"kind": "loan"}, "kind"),  # not fund or bond: the schema's enum
])
async def test_a_fund_amount_that_does_not_add_up_is_refused_and_nothing_is_stored(people, new_case, engine, change, words):
    drill = await new_case(township=TOWNSHIP)
    permit = drill.facts.permit_no
    office = await people("office")

    answer = await office.http.post(f"/api/cases/{permit}/funds", json={**FUND, **change})

    assert answer.status_code == 422, answer.text
    assert words in answer.json()["detail"]["zh"] and answer.json()["detail"]["en"]
    assert funds_in_file(engine, permit) == []


async def test_the_board_shows_the_campaigns_phases_with_the_current_one_marked(app):
    async with desk_browser(app) as browser:
        await browser.post("/login", data={"name": "viewer", "password": PASSWORD, "next": "/"})
        board = (await browser.get("/board")).text
    assert 'data-testid="phases"' in board and "集中整治阶段" in board and "2024-01-01 — 2024-03-31" in board
    phases = board.split('data-testid="phases"', 1)[1].split("</section>", 1)[0]
    current = phases.split('<li class="on">', 1)[1].split("</li>", 1)[0]
    assert "规范提升阶段" in current  # Shanggao's last phase began 2024-06-01 and goes on


async def test_the_office_records_a_mines_fund_and_bond_and_the_case_and_ledger_show_them(people, new_case, engine, app):
    drill = await new_case(township=TOWNSHIP)
    permit = drill.facts.permit_no
    office = await people("office")

    fund = await office.http.post(f"/api/cases/{permit}/funds", json=FUND)
    assert fund.status_code == 200, fund.text
    assert (fund.json()["held"], fund.json()["owed"]) == (30000, 50000)
    overpaid = await office.http.post(f"/api/cases/{permit}/funds",
                                      json={"kind": "bond", "due": 50000, "paid": 60000, "note": "多缴部分下年抵扣"})
    assert overpaid.status_code == 200, overpaid.text  # paid over due, with its reason
    assert {f.kind: f.paid for f in funds_in_file(engine, permit)} == {"fund": 150000, "bond": 60000}

    county = await people("county")
    assert (await county.http.post(f"/api/cases/{permit}/funds", json=FUND)).status_code == 403  # the office records
    shown = await county.get(f"/api/cases/{permit}/funds")
    assert [(f["kind"], f["paid"]) for f in shown.json()] == [("fund", 150000), ("bond", 60000)]

    async with desk_browser(app) as browser:
        signed = await browser.post("/login", data={"name": "office", "password": PASSWORD, "next": "/"})
        assert signed.status_code == 303, signed.text
        page = await browser.get(f"/cases/{permit}")
        assert page.status_code == 200, page.headers
        assert 'data-testid="funds"' in page.text and "150000.00" in page.text and "多缴部分下年抵扣" in page.text
        refused = await browser.post(f"/cases/{permit}/funds", data={"kind": "fund", "due": "1", "paid": "1", "used": "2"})
        assert refused.status_code == 303
        assert "超过已缴" in (await browser.get(f"/cases/{permit}")).text
    assert {f.kind: f.used for f in funds_in_file(engine, permit)}["fund"] == 100000  # the refused form changed nothing

    ledger = load_workbook(io.BytesIO((await office.get("/api/ledger.xlsx")).content))["台账"]
    heads = [c.value for c in ledger[1]]
    row = next(r for r in ledger.iter_rows(min_row=2, values_only=True) if r[0] == permit)
    assert row[heads.index("治理恢复基金已缴（元）")] == 150000 and row[heads.index("保证金已缴（元）")] == 60000


async def test_the_office_makes_a_bulletin_through_the_api_and_others_read_it_but_a_township_may_not(people, new_case):
    await new_case(township=TOWNSHIP)
    office = await people("office")
    made = await office.http.post("/api/reports/bulletins", json={"period": "week"})
    assert made.status_code == 201, made.text
    bulletin = made.json()
    assert bulletin["id"].startswith("shanggao-2023:week:") and bulletin["data"]["total"] >= 1
    assert (await office.http.post("/api/reports/bulletins", json={"period": "year"})).status_code == 422

    county = await people("county")
    assert bulletin["id"] in [b["id"] for b in (await county.get("/api/reports/bulletins")).json()]
    assert (await county.http.post("/api/reports/bulletins", json={"period": "week"})).status_code == 403
    xlsx = await county.get(f"/api/reports/bulletins/{bulletin['id']}/xlsx")
    assert xlsx.status_code == 200 and load_workbook(io.BytesIO(xlsx.content)).sheetnames[0] == "概况"
    pdf = await county.get(f"/api/reports/bulletins/{bulletin['id']}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    township = await people("township")
    assert (await township.get("/api/reports/bulletins")).status_code == 403
    assert (await township.get("/api/reports/calendar")).status_code == 403
    assert (await township.get(f"/api/reports/bulletins/{bulletin['id']}")).status_code == 403


def restored_examples(engine) -> None:
    """Three fictional mines of a township of their own, accepted this year, with a timeline (for the charts)."""
    today = dt.datetime.now(CST).date()
    with DbSession(engine) as session:
        if session.get(CaseRecord, "REPORTS-1") is not None:
            return
        for n, (mu, weeks_ago) in enumerate([(45.0, 3), (30.0, 6), (60.0, None)], start=1):
            permit = f"REPORTS-{n}"
            registered = dt.datetime.combine(today - dt.timedelta(weeks=10), dt.time(9), CST)
            accepted = today - dt.timedelta(weeks=weeks_ago) if weeks_ago else None
            session.add(CaseRecord(permit_no=permit, workflow_id=f"mine-{permit}", campaign="shanggao-2023",
                                   mine_name=f"报表示例矿{n}（虚构）",
                                   holder="示例公司（虚构）", township="报表示例镇", bare_area_mu=mu, fictional=True,
                                   stage="post_care" if accepted else "rectifying", path="cancel" if n != 3 else "continue",
                                   acceptance_date=accepted, works="accepted" if accepted else "",
                                   registered_at=registered, updated_at=registered))
            session.add(TimelineRecord(permit_no=permit, seq=1, at=registered, kind="registered", clause="四.1", actor_role="office",
                                       actor_name="办公室", stage_from="registered", stage_to="registered", summary_zh="登记",
                                       summary_en="registered", effective_on=registered.date()))
            if accepted:
                session.add(TimelineRecord(permit_no=permit, seq=2, at=registered, kind="accepted", clause="五.1", actor_role="expert",
                                           actor_name="专家组", stage_from="restoring", stage_to="post_care", summary_zh="验收合格",
                                           summary_en="accepted", effective_on=accepted))
        session.commit()


async def test_the_office_opens_the_reports_page_with_charts_and_a_calendar_and_reads_a_bulletin(
        open_page, new_case, live_desk, engine):  # noqa: F811 - the browser fixtures, imported above
    restored_examples(engine)
    drill = await new_case(township="泗溪镇", mine_name="泗溪日历石灰岩矿（虚构）")
    await continue_case(drill)
    with DbSession(engine) as session:
        due = session.get(DeadlineRecord, (drill.facts.permit_no, "rectification"))
    assert due is not None and due.last_day is not None

    page = await open_page("office")
    await page.click("[data-testid=nav-reports]")
    await page.wait_for_load_state()
    assert page.url.endswith("/reports")
    for kind in ("stages", "townships", "on-time", "area"):
        assert await page.locator(f"svg.chart[data-chart='{kind}']").count() == 1
    assert await page.locator("svg[data-chart='stages'] rect.bar").count() > 0
    restored = [float(v) for v in await page.locator("svg[data-chart='area'] rect.restored").evaluate_all(
        "els => els.map(e => e.dataset.value)")]
    assert restored and max(restored) >= 5.0  # 75 亩 accepted = 5 hm², at least
    assert "报表示例镇" in await page.inner_text("[data-testid=chart-townships]")
    assert await page.locator("[data-testid=phases] li").count() == 4

    await page.goto(f"{live_desk}/reports?view=month&on={due.last_day.isoformat()}#calendar")
    day = page.locator(f"[data-testid=calendar] .day[data-date='{due.last_day.isoformat()}']")
    assert await day.locator(f"a.due[href='/cases/{drill.facts.permit_no}']").count() == 1
    await shot(page, "reports")  # the charts, and the calendar of the month the case's six months end
    await page.click("[data-testid=calendar-switch]")
    await page.wait_for_load_state()
    assert await page.get_attribute("[data-testid=calendar]", "data-view") == "week"
    assert await page.locator("[data-testid=calendar] .day").count() == 7

    await page.goto(f"{live_desk}/reports")
    await page.select_option("[data-testid=make-bulletin] select[name=period]", "month")
    await page.click("[data-testid=make-bulletin] button[type=submit]")
    await page.wait_for_load_state()
    assert "/reports/bulletins/" in page.url
    assert "进展通报" in await page.inner_text("[data-testid=bulletin-title]")
    ranking = await page.inner_text("[data-testid=ranking]")
    assert "报表示例镇" in ranking and "泗溪镇" in ranking
    await shot(page, "bulletin")
