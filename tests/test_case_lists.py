"""The lists that lead to the work (issue 12, item 3): search by name, holder or permit fragment on the API,
the desk and the CLI; pages and sorting; lights that count every open obligation, tasks included; the board's
tiles that filter; each row saying what is next or late and who owes it."""

from __future__ import annotations

import asyncio
import json
import re

import httpx
from typer.testing import CliRunner

from cli.app import app as cli_app
from models.messages import DecideDisposition, ProposeDisposition, SubmitDocument
from tests.api_helpers import PASSWORD, desk_browser, in_case_file
from tests.drill import COUNTY, HOLDER, new_permit_no, township


async def continued(drill) -> None:
    """The township proposes to continue, the county approves, the decision is served today: six months run."""
    await drill.act("propose_disposition", ProposeDisposition(actor=township(drill.facts.township), path="continue"))
    await drill.act("decide_disposition", DecideDisposition(actor=COUNTY, approve=True))
    await drill.serve_all()
    await in_case_file(drill.engine, drill.facts.permit_no)


async def settled(*drills) -> None:
    for drill in drills:
        await in_case_file(drill.engine, drill.facts.permit_no)
    await asyncio.sleep(0.5)  # the last sync of each case reaches the case file


async def test_a_case_is_found_by_a_fragment_of_its_mine_name_of_its_holder_or_of_its_permit_number(people, new_case):
    permit = new_permit_no()
    mine_name, holder = f"寻找{permit[-7:]}石灰岩矿（虚构）", f"寻主{permit[-7:]}矿业有限公司（虚构）"
    wanted = await new_case(permit_no=permit, mine_name=mine_name, holder=holder, township="芦洲乡")
    other = await new_case(township="芦洲乡")
    office = await people("office")

    def permits(answer: httpx.Response) -> list[str]:
        assert answer.status_code == 200, answer.text
        return [c["permit_no"] for c in answer.json()]

    assert permits(await office.get("/api/cases", q=f"寻找{permit[-7:]}")) == [permit]
    assert permits(await office.get("/api/cases", q=f"寻主{permit[-7:]}矿业")) == [permit]
    assert permits(await office.get("/api/cases", q=permit[-11:])) == [permit]
    assert permits(await office.get("/api/cases", q=permit.lower())) == [permit]  # the permit's letter in either case
    assert permits(await office.get("/api/cases", q=f" {permit} ")) == [permit]
    assert other.facts.permit_no not in permits(await office.get("/api/cases", q=permit[-11:]))
    assert permits(await office.get("/api/cases", q="没有这样的矿%")) == []  # % is a character, not a wildcard
    # a township searches only its own mines
    sixi = await people("township")
    assert permits(await sixi.get("/api/cases", q=permit)) == []
    assert wanted.facts.permit_no == permit


async def test_pages_of_a_list_are_disjoint_and_together_are_the_whole_list(people, new_case):
    town = "双峰林场"
    drills = [await new_case(township=town) for _ in range(5)]
    await settled(*drills)
    office = await people("office")
    whole = (await office.get("/api/cases", township=town)).json()
    assert len(whole) >= 5
    seen: list[str] = []
    pages = -(-len(whole) // 2)
    for number in range(1, pages + 1):
        answer = await office.get("/api/cases", township=town, page=number, page_size=2)
        assert answer.status_code == 200
        assert answer.headers["X-Total-Count"] == str(len(whole)) and answer.headers["X-Pages"] == str(pages)
        assert answer.headers["X-Page"] == str(number) and answer.headers["X-Page-Size"] == "2"
        rows = [c["permit_no"] for c in answer.json()]
        assert 1 <= len(rows) <= 2 and not set(rows) & set(seen)
        seen += rows
        if number < pages:
            assert 'rel="next"' in answer.headers["Link"]
    assert seen == [c["permit_no"] for c in whole]  # the pages, in order, are the default order
    past = await office.get("/api/cases", township=town, page=pages + 1, page_size=2)
    assert past.status_code == 200 and past.json() == []

    by_name = [c["mine_name"] for c in (await office.get("/api/cases", township=town, sort="name")).json()]
    assert by_name == sorted(by_name)
    by_permit = [c["permit_no"] for c in (await office.get("/api/cases", township=town, sort="-permit_no")).json()]
    assert by_permit == sorted(by_permit, reverse=True)


async def test_a_page_size_a_page_or_a_sort_field_that_does_not_exist_is_refused_in_both_languages(people):
    office = await people("office")
    for params in ({"page": 0}, {"page": -1}, {"page_size": 0}, {"page_size": 201}, {"sort": "colour"},
                   {"light": "purple"}, {"page": "two"}):
        answer = await office.get("/api/cases", **params)
        assert answer.status_code == 422, params
        detail = answer.json()["detail"]
        assert detail["zh"] and detail["en"] and detail["zh"] != detail["en"], params
    assert (await office.get("/api/cases", page_size=200)).status_code == 200


async def test_a_case_whose_only_near_date_is_a_departments_task_is_yellow_and_says_who_owes_it(people, new_case):
    drill = await new_case(township="泗溪镇")
    await continued(drill)
    office = await people("office")
    permit = drill.facts.permit_no
    (row,) = (await office.get("/api/cases", q=permit)).json()
    assert row["light"] == "green"  # six months to rectify, nothing else open
    item = drill.policy.approval_items[0]
    await drill.act("submit_document", SubmitDocument(actor=HOLDER, item=item.code))
    await settled(drill)

    (row,) = (await office.get("/api/cases", q=permit)).json()
    assert row["days_left"] > 30  # the stage deadline is still far
    assert row["light"] == "yellow"  # ... but the department's review is due within 30 days
    assert row["next_item"]["source"] == "task" and row["next_item"]["owner"] == f"department:{item.department.value}"
    assert row["next_item"]["days_left"] <= 30 and not row["next_item"]["late"]
    assert permit in [c["permit_no"] for c in (await office.get("/api/cases", due_within=30, q=permit)).json()]
    assert permit in [c["permit_no"] for c in (await office.get("/api/cases", light="yellow", q=permit)).json()]
    assert (await office.get("/api/cases", light="green", q=permit)).json() == []


async def test_the_red_tile_of_the_board_links_to_a_list_of_red_cases_only(app, new_case):
    late = await new_case(township="新界埠镇")
    await continued(late)
    await late.advance(days=200)  # the six months have passed
    waiting = await new_case(township="新界埠镇")
    await settled(late, waiting)
    async with desk_browser(app) as http:
        await http.post("/login", data={"name": "office", "password": PASSWORD, "next": "/"})
        board = (await http.get("/board")).text
        red = re.search(r'<a class="tile red[^"]*" href="([^"]+)"', board)
        assert red is not None and red.group(1) == "/cases?light=red"
        listed = (await http.get(f"{red.group(1)}&page_size=200")).text
        rows = re.findall(r'<tr class="(\w+)" data-permit="(\w+)"', listed)
        assert rows and {light for light, _ in rows} == {"red"}
        assert late.facts.permit_no in {p for _, p in rows} and waiting.facts.permit_no not in listed
        row = listed[listed.index(f'data-permit="{late.facts.permit_no}"'):]
        row = row[:row.index("</tr>")]
        cell = re.search(r'data-testid="next-item">(.*?)</td>', row, re.S)
        # what is late and who owes it: six months missed, the county must decide the three-month period
        assert cell is not None and "逾期" in cell.group(1) and "县政府" in cell.group(1)


async def test_the_desk_list_searches_and_pages(app, new_case):
    drill = await new_case(township="塔下乡", mine_name="塔下搜索专用矿（虚构）")
    await settled(drill)
    async with desk_browser(app) as http:
        await http.post("/login", data={"name": "viewer", "password": PASSWORD, "next": "/"})
        page = (await http.get("/cases", params={"q": drill.facts.permit_no[-9:]})).text
        assert 'name="q"' in page and drill.facts.permit_no in page
        assert len(re.findall(r'data-permit="', page)) == 1 and "共 1 件" in page
        first = (await http.get("/cases", params={"page_size": 1})).text
        assert len(re.findall(r'data-permit="', first)) == 1 and 'rel="next"' in first
        assert (await http.get("/cases", params={"page": "x"})).status_code == 422
        assert (await http.get("/cases", params={"page_size": "500"})).status_code == 422


async def test_the_list_command_searches_by_query_and_pages(engine, new_case, monkeypatch, tmp_path):
    drill = await new_case(township="敖山镇", holder="命令行查找矿业（虚构）")
    await settled(drill)
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("MINECASE_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    runner = CliRunner()
    found = await asyncio.to_thread(runner.invoke, cli_app, ["list", "--query", "命令行查找", "--json"])
    assert found.exit_code == 0, found.output
    assert drill.facts.permit_no in [c["permit_no"] for c in json.loads(found.stdout)]
    table = await asyncio.to_thread(runner.invoke, cli_app, ["list", "--query", drill.facts.permit_no.lower()],
                                    env={"COLUMNS": "200"})
    assert table.exit_code == 0 and drill.facts.permit_no in table.stdout and "共 1 件" in table.stdout
    paged = await asyncio.to_thread(runner.invoke, cli_app, ["list", "--page-size", "1", "--json"])
    assert paged.exit_code == 0 and len(json.loads(paged.stdout)) == 1
    refused = await asyncio.to_thread(runner.invoke, cli_app, ["list", "--page-size", "0"])
    assert refused.exit_code == 2 and "page_size" in refused.output


async def test_the_board_shows_the_cases_most_in_need_and_its_link_to_the_rest_lists_exactly_the_others(engine, new_case):
    from operations.reads import board, search_cases

    await settled(await new_case(township="泗溪镇"), await new_case(township="泗溪镇"), await new_case(township="泗溪镇"))
    shown = board(engine, limit=2)
    assert shown["cases_shown"] == 2 < shown["total"]  # the board says it shows fewer than there are
    whole = [c["permit_no"] for c in search_cases(engine)["cases"]]
    rest = search_cases(engine, page=2, page_size=2)  # the board's link: /cases?page=2&page_size=<shown>
    assert [c["permit_no"] for c in shown["cases"]] == whole[:2]
    assert [c["permit_no"] for c in rest["cases"]] == whole[2:4] and rest["total"] == shown["total"] == len(whole)
