"""A province of counties (issue 15, part 2; docs/province.md): several counties in one deployment, told apart by a
county key — the case's campaign's county, on its case-file row (``cases.county``), as its ``County`` search attribute
and on every user of a county (``users.county``). A county's users read and act on their county's cases only; a
``province`` user reads every county, on one board and one bulletin, and acts on none.

The second county is a test fixture: a fictional campaign file written into a temporary ``MINECASE_CAMPAIGNS_DIR``
(the shipped ``campaigns/`` name only 上高县). Its dictionary of townships has 泗溪镇 too, as 上高县's does."""

from __future__ import annotations

import asyncio
import io
import itertools
from pathlib import Path

import pytest
from alembic import command
from openpyxl import load_workbook
from sqlalchemy import inspect, text
from sqlmodel import Session as SqlSession
from sqlmodel import func, select
from temporalio.service import RPCError, RPCStatusCode

from casefile.db import alembic_config, make_engine, upgrade_database
from casefile.tables import CaseRecord
from casefile.users import add_user
from tests.api_helpers import PASSWORD, Session, in_case_file
from tests.conftest import TASK_QUEUE
from tests.drill import Drill, mine
from workflows import search_attributes as sa

ROOT = Path(__file__).resolve().parent.parent
HOME = "上高县"
OTHER = "虚构县（测试）"
OTHER_CAMPAIGN = "province-test-other"
_serial = itertools.count(1)


@pytest.fixture
def other_county(tmp_path, monkeypatch) -> str:
    """A campaign of another (fictional) county, in a campaigns directory beside the shipped one."""
    shipped = (ROOT / "campaigns" / "shanggao-2023.toml").read_text(encoding="utf-8")
    text_ = (shipped.replace('id = "shanggao-2023"', f'id = "{OTHER_CAMPAIGN}"')
             .replace('county = "上高县"', f'county = "{OTHER}"')
             .replace('name_zh = "上高县停产非煤矿山生态环境整治专项行动"', 'name_zh = "虚构县停产非煤矿山整治专项行动（测试）"'))
    assert f'county = "{OTHER}"' in text_ and f'id = "{OTHER_CAMPAIGN}"' in text_
    folder = tmp_path / "campaigns"
    folder.mkdir()
    (folder / f"{OTHER_CAMPAIGN}.toml").write_text(text_, encoding="utf-8")
    (folder / f"{OTHER_CAMPAIGN}.townships.txt").write_text("泗溪镇\n虚构乡\n", encoding="utf-8")
    monkeypatch.setenv("MINECASE_CAMPAIGNS_DIR", str(folder))
    return OTHER_CAMPAIGN


def county_user(engine, role: str, county: str | None, **unit: str) -> str:
    name = f"{role}-{next(_serial)}-{'home' if county == HOME else 'other' if county else 'none'}"
    add_user(engine, name, PASSWORD, role, county=county, **unit)
    return name


async def signed_in(app, name: str) -> Session:
    return await Session(app, name).sign_in()


async def one_case_per_county(client, engine, worker, other_county: str, township: str = "泗溪镇") -> tuple[str, str]:
    """A case of 上高县 (shanggao-2023) and one of the other county, both in a township named ``township``."""
    home, other = Drill(client, engine, TASK_QUEUE), Drill(client, engine, TASK_QUEUE, campaign=other_county)
    await home.register(mine(township=township))
    await other.register(mine(township=township))
    await in_case_file(engine, home.facts.permit_no)
    await in_case_file(engine, other.facts.permit_no)
    return home.facts.permit_no, other.facts.permit_no


def county_on_file(engine, permit_no: str) -> str | None:
    with SqlSession(engine) as session:
        case = session.get(CaseRecord, permit_no)
        return case.county if case else None


def cases_of(engine, county: str) -> int:
    with SqlSession(engine) as session:
        return session.exec(select(func.count()).select_from(CaseRecord).where(CaseRecord.county == county)).one()


async def test_a_new_case_is_given_its_campaigns_county_in_the_case_file(client, engine, worker, other_county):
    home, other = await one_case_per_county(client, engine, worker, other_county)
    assert county_on_file(engine, home) == HOME
    assert county_on_file(engine, other) == OTHER


async def test_a_county_office_sees_only_its_own_countys_cases(app, client, engine, worker, other_county):
    home, other = await one_case_per_county(client, engine, worker, other_county)
    office = await signed_in(app, county_user(engine, "office", HOME))
    try:
        assert (await office.get(f"/api/cases/{home}")).status_code == 200
        refused = await office.get(f"/api/cases/{other}")
        assert refused.status_code == 403, refused.text
        assert OTHER in refused.json()["detail"]["zh"]
        listed = await office.get("/api/cases", q=other)
        assert listed.status_code == 200 and listed.json() == []
        assert [r["permit_no"] for r in (await office.get("/api/cases", q=home)).json()] == [home]
        asked = await office.get("/api/cases", q=other, county=OTHER)  # asking for the other county reads nothing
        assert asked.json() == []
        board = (await office.get("/api/board")).json()
        assert [c["county"] for c in board["counties"]] == [HOME]
        assert board["total"] == cases_of(engine, HOME)
        export = await office.get("/api/ledger.xlsx")
        assert export.status_code == 200
        permits = {row[0] for row in load_workbook(io.BytesIO(export.content)).worksheets[0].iter_rows(values_only=True)}
        assert home in permits and other not in permits
        assert (await office.get(f"/api/cases/{other}/funds")).status_code == 403
    finally:
        await office.http.aclose()


async def test_a_township_of_one_county_cannot_open_a_case_of_another_county_with_the_same_township_name(
        app, client, engine, worker, other_county):
    home, other = await one_case_per_county(client, engine, worker, other_county, township="泗溪镇")
    township = await signed_in(app, county_user(engine, "township", HOME, township="泗溪镇"))
    try:
        assert (await township.get(f"/api/cases/{home}")).status_code == 200
        assert (await township.get(f"/api/cases/{other}")).status_code == 403
        before = (await client.get_workflow_handle(f"mine-{other}").describe()).history_length
        proposed = await township.act(other, "propose_disposition", {"path": "continue", "reason": "储量尚可"})
        assert proposed.status_code == 403, proposed.text
        assert county_on_file(engine, other) == OTHER
        after = (await client.get_workflow_handle(f"mine-{other}").describe()).history_length
        assert after == before, "nothing reached the other county's case"
        todo = (await township.get("/api/inbox")).json()
        owed = {item["permit_no"] for item in todo}
        assert home in owed and other not in owed  # its own 泗溪镇 case owes a proposal; the other county's is not its
        # its own county's case: the same act goes through
        assert (await township.act(home, "propose_disposition", {"path": "continue", "reason": "储量尚可"})).status_code == 200
    finally:
        await township.http.aclose()


async def test_a_county_office_cannot_register_into_another_countys_campaign(app, client, engine, worker, other_county):
    """The deployment registers into shanggao-2023 (上高县): the office of the other county is refused, nothing written."""
    office = await signed_in(app, county_user(engine, "office", OTHER))
    facts = mine(township="泗溪镇")
    try:
        refused = await office.http.post("/api/cases", json=facts.model_dump(mode="json"))
        assert refused.status_code == 403, refused.text
        assert HOME in refused.json()["detail"]["zh"] and OTHER in refused.json()["detail"]["zh"]
    finally:
        await office.http.aclose()
    await asyncio.sleep(0.5)
    assert county_on_file(engine, facts.permit_no) is None
    with pytest.raises(RPCError) as missing:
        await client.get_workflow_handle(f"mine-{facts.permit_no}").describe()
    assert missing.value.status == RPCStatusCode.NOT_FOUND
    home_office = await signed_in(app, county_user(engine, "office", HOME))
    try:
        made = await home_office.http.post("/api/cases", json=facts.model_dump(mode="json"))
        assert made.status_code == 201, made.text
    finally:
        await home_office.http.aclose()
    await in_case_file(engine, facts.permit_no)
    assert county_on_file(engine, facts.permit_no) == HOME
    # naming its own county's campaign, the other county's office registers there; another county's is refused
    office = await signed_in(app, county_user(engine, "office", OTHER))
    own = mine(township="泗溪镇")
    try:
        asked = await office.http.post("/api/cases", params={"campaign": "shanggao-2023"}, json=own.model_dump(mode="json"))
        assert asked.status_code == 403, asked.text
        unknown = await office.http.post("/api/cases", params={"campaign": "no-such-campaign"}, json=own.model_dump(mode="json"))
        assert unknown.status_code == 404, unknown.text
        assert county_on_file(engine, own.permit_no) is None
        made = await office.http.post("/api/cases", params={"campaign": other_county}, json=own.model_dump(mode="json"))
        assert made.status_code == 201, made.text
    finally:
        await office.http.aclose()
    await in_case_file(engine, own.permit_no)
    assert county_on_file(engine, own.permit_no) == OTHER


async def test_a_province_user_sees_every_county_on_one_board(app, client, engine, worker, other_county):
    home, other = await one_case_per_county(client, engine, worker, other_county)
    province = await signed_in(app, county_user(engine, "province", None))
    try:
        board = (await province.get("/api/board")).json()
        counties = {c["county"]: c for c in board["counties"]}
        assert set(counties) >= {HOME, OTHER}
        assert counties[OTHER]["total"] == cases_of(engine, OTHER)
        assert counties[HOME]["total"] == cases_of(engine, HOME)
        assert all(c["red"] + c["yellow"] + c["green"] + c["none"] == c["total"] for c in counties.values())
        narrowed = (await province.get("/api/board", county=OTHER)).json()
        assert narrowed["total"] == cases_of(engine, OTHER) and [c["county"] for c in narrowed["counties"]] == [OTHER]
        assert (await province.get(f"/api/cases/{home}")).status_code == 200
        case = (await province.get(f"/api/cases/{other}")).json()
        assert case["allowed_actions"] == [] and case["actions"] == []
        acted = await province.act(other, "propose_disposition", {"path": "continue", "reason": "x"})
        assert acted.status_code == 403
        page = await province.http.get("/board")
        assert page.status_code == 200
        assert 'data-testid="counties"' in page.text and "/board?county=" in page.text and OTHER in page.text
        bulletin = await province.get("/api/reports/province", period="week")
        assert bulletin.status_code == 200, bulletin.text
        rows = {r["county"]: r for r in bulletin.json()["counties"]}
        assert set(rows) >= {HOME, OTHER}
        assert rows[OTHER]["total"] == cases_of(engine, OTHER)
        assert bulletin.json()["totals"]["total"] == sum(r["total"] for r in rows.values())
        assert f'data-county="{OTHER}"' in bulletin.json()["html"]
        printable = await province.http.get("/reports/province")
        assert printable.status_code == 200 and f'data-county="{OTHER}"' in printable.text
    finally:
        await province.http.aclose()
    office = await signed_in(app, county_user(engine, "office", HOME))
    try:
        assert (await office.get("/api/reports/province")).status_code == 403  # a county reads its own county's bulletin
    finally:
        await office.http.aclose()


async def test_a_user_without_a_county_reads_every_case_as_before(app, client, engine, worker, other_county):
    """A deployment of one county gives its users no county: nothing is filtered, as before the county key."""
    home, other = await one_case_per_county(client, engine, worker, other_county)
    viewer = await signed_in(app, county_user(engine, "viewer", None))
    try:
        assert (await viewer.get(f"/api/cases/{home}")).status_code == 200
        assert (await viewer.get(f"/api/cases/{other}")).status_code == 200
    finally:
        await viewer.http.aclose()


async def test_a_department_of_one_county_gets_no_task_of_another_county(app, client, engine, worker, other_county):
    home, other = await one_case_per_county(client, engine, worker, other_county)
    department = await signed_in(app, county_user(engine, "department", OTHER, department="natural_resources"))
    try:
        rows = (await department.get("/api/inbox")).json()
        with SqlSession(engine) as session:
            county_of = dict(session.exec(select(CaseRecord.permit_no, CaseRecord.county)).all())
        assert all(county_of.get(r["permit_no"]) == OTHER for r in rows)
        assert (await department.get(f"/api/cases/{home}")).status_code == 403
        assert (await department.get(f"/api/cases/{other}")).status_code == 200
    finally:
        await department.http.aclose()


async def test_a_case_carries_its_county_as_a_search_attribute(client, engine, worker, other_county):
    home, other = await one_case_per_county(client, engine, worker, other_county)
    described = await client.get_workflow_handle(f"mine-{other}").describe()
    assert described.typed_search_attributes.get(sa.COUNTY) == OTHER
    assert (await client.get_workflow_handle(f"mine-{home}").describe()).typed_search_attributes.get(sa.COUNTY) == HOME
    found: list[str] = []
    for _ in range(100):  # the visibility store follows the start shortly
        found = [e.id async for e in client.list_workflows(f"County = '{OTHER}' AND WorkflowType = 'MineCase'")]
        if f"mine-{other}" in found:
            break
        await asyncio.sleep(0.1)
    assert f"mine-{other}" in found and f"mine-{home}" not in found


def test_existing_cases_are_given_their_campaigns_county_by_the_migration(new_database_url, other_county):
    engine = make_engine(new_database_url())
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "7d2b9e4c1a60")
    rows = [("C9999000000000000000101", "shanggao-2023"), ("C9999000000000000000102", other_county),
            ("C9999000000000000000103", "a-campaign-whose-file-is-gone")]
    with engine.begin() as connection:
        for permit, campaign in rows:
            connection.execute(text(
                "INSERT INTO cases (permit_no, workflow_id, campaign, mine_name, holder, township, leader, mineral, "
                "bare_area_mu, resources_exhausted, never_produced, fictional, stage, path, overdue, works, registered_at, "
                "updated_at, last_seq) VALUES (:p, :w, :c, '矿', '人', '泗溪镇', '', '', 0, false, false, true, 'registered', "
                "'undecided', false, '', '2030-01-01 00:00:00', '2030-01-01 00:00:00', 0)"),
                {"p": permit, "w": f"mine-{permit}", "c": campaign})
    upgrade_database(engine)
    with engine.connect() as connection:
        found = dict(connection.execute(text("SELECT permit_no, county FROM cases")).all())
    assert found == {"C9999000000000000000101": HOME, "C9999000000000000000102": OTHER,
                     "C9999000000000000000103": HOME}  # the file gone: the plan's county
    assert "county" in {c["name"] for c in inspect(engine).get_columns("users")}
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "7d2b9e4c1a60")
    assert "county" not in {c["name"] for c in inspect(engine).get_columns("cases")}
    assert "county" not in {c["name"] for c in inspect(engine).get_columns("users")}
    engine.dispose()


def test_a_province_user_is_added_without_a_county_and_a_county_user_keeps_its_county(engine):
    from casefile.users import get_user

    province = county_user(engine, "province", HOME)  # a province reads every county: a county given is not kept
    assert get_user(engine, province).county is None
    office = county_user(engine, "office", OTHER)
    assert get_user(engine, office).county == OTHER


async def test_the_command_line_adds_a_county_user_and_refuses_its_office_another_countys_campaign(
        minecase, engine, worker, other_county):
    from casefile.users import get_user

    name = f"cli-office-{next(_serial)}"
    added = await minecase("users", "add", name, "--role", "office", "--county", OTHER, "--password", PASSWORD)
    assert added.exit_code == 0, added.output
    assert get_user(engine, name).county == OTHER
    facts = mine(township="泗溪镇")
    refused = await minecase("register", facts.permit_no, "--name", facts.mine_name, "--holder", facts.holder,
                             "--township", "泗溪镇", "--campaign", "shanggao-2023", "--by", name)
    assert refused.exit_code == 2, refused.output
    assert HOME in refused.output and OTHER in refused.output
    assert county_on_file(engine, facts.permit_no) is None
    made = await minecase("register", facts.permit_no, "--name", facts.mine_name, "--holder", facts.holder,
                          "--township", "泗溪镇", "--campaign", other_county, "--by", name)
    assert made.exit_code == 0, made.output
    await in_case_file(engine, facts.permit_no)
    assert county_on_file(engine, facts.permit_no) == OTHER


async def test_a_county_township_cannot_act_from_the_command_line_on_another_countys_mine(
        minecase, client, engine, worker, other_county):
    home, other = await one_case_per_county(client, engine, worker, other_county)
    name = county_user(engine, "township", HOME, township="泗溪镇")
    refused = await minecase("propose", other, "continue", "--reason", "储量尚可", "--by", name)
    assert refused.exit_code == 2, refused.output
    assert OTHER in refused.output
    done = await minecase("propose", home, "continue", "--reason", "储量尚可", "--by", name)
    assert done.exit_code == 0, done.output


async def test_the_office_of_one_county_manages_only_its_countys_users_on_the_desk(app, engine):
    from casefile.users import get_user
    from tests.api_helpers import desk_browser

    office_name = county_user(engine, "office", HOME)
    stranger = county_user(engine, "viewer", OTHER)
    browser = desk_browser(app)
    try:
        assert (await browser.post("/login", data={"name": office_name, "password": PASSWORD})).status_code == 303
        listed = await browser.get("/users")
        assert listed.status_code == 200
        assert f'data-user="{office_name}"' in listed.text and f'data-user="{stranger}"' not in listed.text
        assert '<option value="province">' not in listed.text
        clerk = f"clerk-{next(_serial)}"
        added = await browser.post("/users", data={"name": clerk, "role": "viewer", "password": ""})
        assert added.status_code == 200, added.text
        assert get_user(engine, clerk).county == HOME  # the office's own county
        for data in ({"name": f"p-{next(_serial)}", "role": "province", "password": ""},
                     {"name": f"o-{next(_serial)}", "role": "viewer", "county": OTHER, "password": ""}):
            refused = await browser.post("/users", data=data)
            assert refused.status_code == 422, refused.text
            assert get_user(engine, data["name"]) is None
        disabled = await browser.post(f"/users/{stranger}/disable")
        assert disabled.status_code == 404
        assert get_user(engine, stranger) is not None, "the other county's user is still active"
    finally:
        await browser.aclose()


async def test_a_countys_bulletins_are_of_its_own_campaign_and_another_county_cannot_read_them(
        app, client, engine, worker, other_county):
    await one_case_per_county(client, engine, worker, other_county)
    other_office = await signed_in(app, county_user(engine, "office", OTHER))
    home_office = await signed_in(app, county_user(engine, "office", HOME))
    province = await signed_in(app, county_user(engine, "province", None))
    try:
        made = await other_office.http.post("/api/reports/bulletins", json={"period": "week"})
        assert made.status_code == 201, made.text
        bulletin = made.json()
        assert bulletin["campaign"] == other_county and bulletin["data"]["county"] == OTHER
        assert bulletin["data"]["total"] == cases_of(engine, OTHER)
        assert (await home_office.get(f"/api/reports/bulletins/{bulletin['id']}")).status_code == 403
        assert bulletin["id"] not in {b["id"] for b in (await home_office.get("/api/reports/bulletins")).json()}
        assert bulletin["id"] in {b["id"] for b in (await other_office.get("/api/reports/bulletins")).json()}
        assert (await province.get(f"/api/reports/bulletins/{bulletin['id']}")).status_code == 200
        calendar = (await other_office.get("/api/reports/calendar", view="month")).json()
        permits = {d["permit_no"] for day in calendar["days"] for d in day["dues"]}
        with SqlSession(engine) as session:
            county_of = dict(session.exec(select(CaseRecord.permit_no, CaseRecord.county)).all())
        assert all(county_of.get(p) == OTHER for p in permits)
        assert (await other_office.http.get("/reports")).status_code == 200
    finally:
        for person in (other_office, home_office, province):
            await person.http.aclose()
