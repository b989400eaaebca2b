"""The desk's views and what it tells (issue 12, items 3, 4 and 6): a county leader's read-only sign-in over its
own mines; the board and list per township, department and 挂点县领导 within each role's scope; the age in stage;
every decision and service told to the holder and the township, in the case's notices and in their feeds; a
refusal that says why; China time on every page; the moved deadline's meeting and reason; the favicon and the
case page's print cover sheet."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import re

from casefile.users import add_user
from models.calendar import CST
from models.messages import DecideDisposition, ProposeDisposition, RecordReview, SubmitDocument
from models.roles import Department
from tests.api_helpers import OTHER_TOWNSHIP, PASSWORD, TOWNSHIP, Session, holder_of, in_case_file
from tests.conftest import TASK_QUEUE
from tests.drill import COUNTY, HOLDER, Drill, department, mine, township
from tests.test_todo import todo_of, until
from tests.test_web import browser, sign_in, verbs_offered
from web.pages import short_time

_serial = itertools.count(1)


def a_leader_name() -> str:
    return f"县领导{next(_serial)}号{dt.datetime.now().strftime('%H%M%S%f')}（虚构）"


def leader_user(engine, leader: str) -> str:
    name = f"leader-{next(_serial)}-{dt.datetime.now().strftime('%H%M%S%f')}"
    add_user(engine, name, PASSWORD, "leader", leader=leader)
    return name


async def case_json(session: Session, permit: str) -> dict:
    answer = await session.get(f"/api/cases/{permit}")
    assert answer.status_code == 200, answer.text
    return answer.json()


async def listed(session: Session, **params) -> list[str]:
    answer = await session.get("/api/cases", **params)
    assert answer.status_code == 200, answer.text
    return [row["permit_no"] for row in answer.json()]


# -- a county leader's sign-in -----------------------------------------------------------------------


async def test_a_leader_reads_the_board_list_and_pages_of_its_own_mines_only_and_may_act_on_none(app, engine, new_case):
    mine_of_mine = a_leader_name()
    ours = await new_case(township=TOWNSHIP, leader=mine_of_mine)
    also_ours = await new_case(township=OTHER_TOWNSHIP, leader=mine_of_mine)
    theirs = await new_case(township=TOWNSHIP, leader=a_leader_name())
    leader = await Session(app, leader_user(engine, mine_of_mine)).sign_in()

    me = (await leader.get("/api/me")).json()
    assert me["role"] == "leader" and me["leader"] == mine_of_mine and me["actions"] == []
    assert sorted(await listed(leader)) == sorted([ours.facts.permit_no, also_ours.facts.permit_no])
    board = (await leader.get("/api/board")).json()
    assert board["total"] == 2 and {r["permit_no"] for r in board["cases"]} == {ours.facts.permit_no, also_ours.facts.permit_no}
    assert await listed(leader, leader=theirs.facts.leader) == []  # another leader's view: nothing, not their mines
    assert await listed(leader, township=TOWNSHIP) == [ours.facts.permit_no]

    seen = await case_json(leader, ours.facts.permit_no)
    assert seen["allowed_actions"] == [] and seen["actions"] == []
    assert (await leader.get(f"/api/cases/{theirs.facts.permit_no}")).status_code == 403
    refused = await leader.act(ours.facts.permit_no, "propose_disposition", {"path": "cancel"})
    assert refused.status_code == 403
    assert (await ours.status()).stage == "registered"
    assert await todo_of(leader) == []
    await leader.http.aclose()


async def test_a_leaders_pages_show_its_mines_and_no_form_and_refuse_the_township_view(app, engine, new_case):
    name = a_leader_name()
    ours = await new_case(township=TOWNSHIP, leader=name)
    theirs = await new_case(township=TOWNSHIP, leader=a_leader_name())
    async with browser(app) as http:
        await http.post("/login", data={"name": leader_user(engine, name), "password": PASSWORD, "next": "/"})
        board = await http.get("/board")
        assert board.status_code == 200 and ours.facts.permit_no in board.text and theirs.facts.permit_no not in board.text
        assert name in board.text and 'data-testid="views"' not in board.text
        case = await http.get(f"/cases/{ours.facts.permit_no}")
        assert case.status_code == 200 and verbs_offered(case.text) == set() and "form class=\"act\"" not in case.text
        assert (await http.get(f"/cases/{theirs.facts.permit_no}")).status_code == 403
        assert (await http.get("/township")).status_code == 403
        await http.post(f"/cases/{ours.facts.permit_no}/act/propose_disposition", data={"path": "cancel"})
        after = (await http.get(f"/cases/{ours.facts.permit_no}")).text
        assert "flash error" in after and "挂点县领导不能" in after  # refused, with the reason, as a message
    assert (await ours.status()).stage == "registered"


def test_a_leader_user_needs_its_name_as_the_mines_record_it(engine):
    from casefile.users import UserError

    try:
        add_user(engine, f"leader-noname-{next(_serial)}", PASSWORD, "leader")
    except UserError as error:
        assert "--scope" in error.en
    else:
        raise AssertionError("a leader without a name was added")


def test_minecase_users_add_makes_a_leader_with_its_scope(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from casefile.db import open_casefile
    from casefile.users import get_user
    from cli.app import app as cli

    url = f"sqlite:///{tmp_path / 'users.db'}"
    open_casefile(url, upgrade=True).dispose()
    monkeypatch.setenv("MINECASE_DATABASE_URL", url)
    answer = CliRunner().invoke(cli, ["users", "add", "lead1", "--role", "leader", "--scope", "某副县长", "--password", PASSWORD])
    assert answer.exit_code == 0, answer.output
    engine = open_casefile(url)
    user = get_user(engine, "lead1")
    engine.dispose()
    assert user is not None and user.role == "leader" and user.leader == "某副县长"


# -- views per township, department and leader, within each role's scope -----------------------------------


async def test_the_office_views_the_board_and_list_per_township_department_and_leader_and_a_township_only_its_own(
        app, people, new_case):
    name = a_leader_name()
    registered = await new_case(township=TOWNSHIP, leader=name)
    reviewing = await new_case(township=OTHER_TOWNSHIP, leader=name)
    await reviewing.act("propose_disposition", ProposeDisposition(actor=township(OTHER_TOWNSHIP), path="continue", reason="储量尚可"))
    await reviewing.act("decide_disposition", DecideDisposition(actor=COUNTY, approve=True))
    await reviewing.serve_all()
    item = next(i for i in reviewing.policy.approval_items if i.department == Department.natural_resources)
    await reviewing.act("submit_document", SubmitDocument(actor=HOLDER, item=item.code))
    office = await people("office")

    await until(lambda: listed(office, department="natural_resources", leader=name), lambda got: got == [reviewing.facts.permit_no])
    assert sorted(await listed(office, leader=name)) == sorted([registered.facts.permit_no, reviewing.facts.permit_no])
    assert await listed(office, leader=name, township=TOWNSHIP) == [registered.facts.permit_no]
    assert await listed(office, leader=name, department="water") == []
    board = (await office.get("/api/board", leader=name)).json()
    assert board["total"] == 2 and board["filters"]["leader"] == name
    assert [row["leader"] for row in board["leaders"]] == [name]
    assert (await office.get("/api/board", leader=name, department="natural_resources")).json()["total"] == 1

    mine_here = await people("township")
    assert await listed(mine_here, leader=name) == [registered.facts.permit_no]  # its own township's, whatever it asks
    assert await listed(mine_here, leader=name, township=OTHER_TOWNSHIP) == []
    assert (await mine_here.get("/api/board", leader=name)).json()["total"] == 1

    async with browser(app) as http:
        await sign_in(http, "office")
        page = (await http.get("/board", params={"leader": name})).text
        assert 'data-testid="views"' in page and registered.facts.permit_no in page and reviewing.facts.permit_no in page
        listing = (await http.get("/cases", params={"department": "natural_resources", "leader": name})).text
        assert reviewing.facts.permit_no in listing and registered.facts.permit_no not in listing


# -- age in stage -----------------------------------------------------------------------------------------


async def test_every_list_row_and_the_case_page_say_how_long_the_case_has_been_in_its_stage(app, client, engine, worker, people):
    today = dt.datetime.now(CST).date()
    drill = Drill(client, engine, TASK_QUEUE)
    await drill.register(mine(township=TOWNSHIP, leader=a_leader_name()), on=today - dt.timedelta(days=12))
    await in_case_file(engine, drill.facts.permit_no)
    permit = drill.facts.permit_no
    office = await people("office")
    (row,) = (await office.get("/api/cases", q=permit)).json()
    assert row["stage"] == "registered" and row["stage_since"] == (today - dt.timedelta(days=12)).isoformat()
    assert row["stage_age_days"] == 12
    (owed,) = [i for i in await todo_of(await people("township")) if i["permit_no"] == permit]
    assert owed["verb"] == "propose_disposition" and owed["waiting_days"] == 12  # no due date: how long it has waited
    async with browser(app) as http:
        await sign_in(http, "office")
        board = (await http.get("/board", params={"leader": drill.facts.leader})).text
        line = board[board.index(f'data-permit="{permit}"'):]
        line = line[:line.index("</tr>")]
        assert "已 12 天" in line and "已等待 12 天" in line  # waiting at registration: its age, not "—"
        assert "已 12 天" in (await http.get(f"/cases/{permit}")).text

    await drill.act("propose_disposition", ProposeDisposition(actor=township(TOWNSHIP), path="cancel", reason="资源枯竭"))
    (row,) = await until(lambda: _rows(office, permit), lambda rows: rows[0]["stage"] == "disposition_review")
    assert row["stage_age_days"] == 0 and row["stage_since"] == today.isoformat()
    assert (await case_json(office, permit))["stage_age_days"] == 0


async def _rows(session: Session, permit: str) -> list[dict]:
    return (await session.get("/api/cases", q=permit)).json()


# -- every decision told to the holder and the township ------------------------------------------------


async def test_the_countys_decision_and_each_service_are_told_to_the_holder_and_the_township_in_notices_and_feeds(
        app, engine, people, new_case):
    drill = await new_case(township=TOWNSHIP)
    permit = drill.facts.permit_no
    county, town = await people("county"), await people("township")
    await drill.act("propose_disposition", ProposeDisposition(actor=township(TOWNSHIP), path="continue", reason="储量尚可"))
    decided = await county.act(permit, "decide_disposition", {"approve": True})
    assert decided.status_code == 200, decided.text
    await drill.serve_all()

    def told(case: dict) -> list[dict]:
        return [n for n in case["history"]["notices"] if n["kind"] == "decision_notified"]

    office = await people("office")
    case = await until(lambda: case_json(office, permit), lambda c: len(told(c)) >= 2)
    decision, service = told(case)[0], told(case)[-1]
    assert set(decision["recipients"]) == {"holder", "township"} and "县政府" in decision["text_zh"]
    assert "送达" in service["text_zh"] and set(service["recipients"]) == {"holder", "township"}
    assert not any(n["text_zh"].rstrip().endswith(("：", ":")) for n in case["history"]["notices"])

    holder = await Session(app, holder_of(engine, permit)).sign_in()
    for session in (holder, town):
        feed = [i for i in await todo_of(session) if i["permit_no"] == permit and i.get("info")]
        assert {i["id"] for i in feed} >= {decision["id"], service["id"]}
        assert all(i["verb"] is None and i["due"] is None and not i["overdue"] for i in feed)
        done = [i for i in await todo_of(session, done="true", permit_no=permit) if i.get("info")]
        assert decision["id"] in {i["id"] for i in done}
    county_feed = await todo_of(county)
    assert not any(i.get("info") for i in county_feed)  # the county decided it: no notice of its own decision
    async with browser(app) as http:
        await http.post("/login", data={"name": holder.name, "password": PASSWORD, "next": "/"})
        page = (await http.get("/inbox")).text
        assert f'data-notice="{decision["id"]}"' in page and "知悉" in page and ">None<" not in page
    await holder.http.aclose()


async def test_a_departments_approval_is_told_to_the_holder_and_the_township(app, engine, people, new_case):
    drill = await new_case(township=TOWNSHIP)
    await drill.act("propose_disposition", ProposeDisposition(actor=township(TOWNSHIP), path="continue", reason="储量尚可"))
    await drill.act("decide_disposition", DecideDisposition(actor=COUNTY, approve=True))
    await drill.serve_all()
    item = next(i for i in drill.policy.approval_items if i.department == Department.natural_resources)
    await drill.act("submit_document", SubmitDocument(actor=HOLDER, item=item.code))
    task = await drill.open_task(department=Department.natural_resources, kind="document_review")
    await drill.act("record_review", RecordReview(actor=department(Department.natural_resources), task_id=task.id, approved=True))
    status = await drill.status()
    office = await people("office")
    case = await until(lambda: case_json(office, drill.facts.permit_no),
                       lambda c: any(task.subject_zh in n["text_zh"] for n in c["history"]["notices"]))
    (notice,) = [n for n in case["history"]["notices"] if task.subject_zh in n["text_zh"] and n["kind"] == "decision_notified"]
    assert set(notice["recipients"]) == {"holder", "township"} and "通过" in notice["text_zh"]
    assert status.stage == "rectifying"


async def test_a_refusal_without_its_reason_is_refused_by_the_api_and_the_forms_and_with_it_reaches_the_holder(
        app, engine, people, new_case):
    drill = await new_case(township=TOWNSHIP)
    permit = drill.facts.permit_no
    await drill.act("propose_disposition", ProposeDisposition(actor=township(TOWNSHIP), path="cancel", reason="资源枯竭"))
    county = await people("county")
    silent = await county.act(permit, "decide_disposition", {"approve": False})
    assert silent.status_code == 409 and "理由" in silent.json()["detail"]["zh"]
    assert (await drill.status()).stage == "disposition_review"
    async with browser(app) as http:
        await sign_in(http, "county")
        await http.post(f"/cases/{permit}/act/decide_disposition", data={"approve": "false", "comment": "  "})
        page = (await http.get(f"/cases/{permit}")).text
        assert "flash error" in page and "理由" in page
        assert (await drill.status()).stage == "disposition_review"
        await http.post(f"/cases/{permit}/act/decide_disposition", data={"approve": "false", "comment": "请补充资源储量核实报告"})
    assert (await drill.status()).stage == "registered"
    case = await until(lambda: case_json(county, permit),
                       lambda c: any(n["kind"] == "decision_notified" for n in c["history"]["notices"]))
    (told,) = [n for n in case["history"]["notices"] if n["kind"] == "decision_notified"]
    assert "holder" in told["recipients"] and told["text_zh"].endswith("请补充资源储量核实报告")

    await drill.act("propose_disposition", ProposeDisposition(actor=township(TOWNSHIP), path="continue", reason="储量尚可"))
    await drill.act("decide_disposition", DecideDisposition(actor=COUNTY, approve=True))
    await drill.serve_all()
    item = drill.policy.approval_items[0]
    await drill.act("submit_document", SubmitDocument(actor=HOLDER, item=item.code))
    task = next(t for t in (await drill.status()).tasks if t.kind == "document_review")
    reviewer = await people("natres") if task.department == Department.natural_resources else None
    if reviewer is not None:
        bare = await reviewer.act(permit, "record_review", {"task_id": task.id, "approved": False})
        assert bare.status_code == 409 and "理由" in bare.json()["detail"]["zh"]


# -- China time, wording, moves, favicon, print ---------------------------------------------------------------


def test_an_instant_is_shown_on_chinas_wall_clock_whatever_its_zone():
    assert short_time("2026-11-27T01:47:00+00:00") == "2026-11-27 09:47"
    assert short_time("2026-11-27T01:47:00") == "2026-11-27 09:47"  # naive: UTC, as the case file stores it
    assert short_time("2026-11-27T09:47:00+08:00") == "2026-11-27 09:47"
    assert short_time(dt.datetime(2026, 11, 26, 20, 5, tzinfo=dt.UTC)) == "2026-11-27 04:05"


async def test_no_page_of_the_desk_shows_utc(app, engine, new_case):
    drill = await new_case(township=TOWNSHIP)
    await drill.act("propose_disposition", ProposeDisposition(actor=township(TOWNSHIP), path="continue", reason="储量尚可"))
    await drill.act("decide_disposition", DecideDisposition(actor=COUNTY, approve=True))
    permit = drill.facts.permit_no
    await asyncio.sleep(0.3)
    for name in ("office", "county", "township", holder_of(engine, permit)):
        async with browser(app) as http:
            await sign_in(http, name)
            for url in ("/board", "/cases", f"/cases/{permit}", "/inbox", "/inbox?done=1", "/township"):
                page = await http.get(url)
                if page.status_code != 200:
                    continue
                text = re.sub(r"<script.*?</script>", "", page.text, flags=re.S)
                assert "UTC" not in text and "+00:00" not in text, f"{name} {url}"
                assert "计算中" not in text


async def test_a_moved_deadline_shows_its_old_date_the_meeting_and_the_reason_on_the_case_page(app, new_case):
    drill = await new_case(township=TOWNSHIP)
    await drill.act("propose_disposition", ProposeDisposition(actor=township(TOWNSHIP), path="continue", reason="储量尚可"))
    await drill.act("decide_disposition", DecideDisposition(actor=COUNTY, approve=True))
    await drill.serve_all()
    running = next(d for d in (await drill.status()).deadlines if d.status == "open" and d.due)
    new_day = running.due + dt.timedelta(days=45)
    async with browser(app) as http:
        await sign_in(http, "county")
        await http.post(f"/cases/{drill.facts.permit_no}/act/move_deadline",
                        data={"kind": running.kind, "new_last_day": new_day.isoformat(), "meeting": "县政府专题会议纪要〔2027〕3号",
                              "reason": "汛期无法施工"})
        page = (await http.get(f"/cases/{drill.facts.permit_no}")).text
    cards = page[page.index('data-testid="deadlines"'):]
    cards = cards[:cards.index("</table>")]
    move = re.search(r'data-testid="deadline-move">(.*?)</span>', cards, re.S)
    assert move is not None
    assert running.due.isoformat() in move.group(1) and new_day.isoformat() in move.group(1)
    assert "县政府专题会议纪要〔2027〕3号" in move.group(1) and "汛期无法施工" in move.group(1)
    assert "进行中" in cards and "计算中" not in cards


async def test_the_desk_has_a_favicon_and_the_case_page_prints_a_cover_sheet(app, new_case):
    drill = await new_case(township=TOWNSHIP)
    async with browser(app) as http:
        icon = await http.get("/favicon.ico")
        assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
        css = (await http.get("/static/desk.css")).text
        assert "@media print" in css and ".cover" in css and ".print-only" in css
        await sign_in(http, "office")
        page = (await http.get(f"/cases/{drill.facts.permit_no}")).text
    assert 'rel="icon"' in page
    cover = page[page.index('data-testid="cover"'):]
    cover = cover[:cover.index("</section>")]
    for fact in (drill.facts.permit_no, drill.facts.mine_name, drill.facts.holder, drill.facts.township, "已登记", "期限", "文书"):
        assert fact in cover


async def test_a_leader_reads_the_inspections_and_problems_of_its_own_mines_only(app, engine, people, new_case):
    name = a_leader_name()
    ours = await new_case(township=TOWNSHIP, leader=name)
    theirs = await new_case(township=TOWNSHIP, leader=a_leader_name())
    town = await people("township")
    day = dt.datetime.now(CST).date()
    for drill in (ours, theirs):
        await in_case_file(engine, drill.facts.permit_no)
        recorded = await town.http.post("/api/inspections", json={
            "permit_no": drill.facts.permit_no, "on": day.isoformat(), "people": ["王五"], "findings": "渣堆未清",
            "problems": [{"problem": "渣堆未清", "measures": "清运", "responsible_unit": TOWNSHIP, "responsible_person": "王五",
                          "due": (day + dt.timedelta(days=20)).isoformat()}]})
        assert recorded.status_code == 201, recorded.text
    leader = await Session(app, leader_user(engine, name)).sign_in()
    assert {i["permit_no"] for i in (await leader.get("/api/inspections")).json()} == {ours.facts.permit_no}
    assert {p["permit_no"] for p in (await leader.get("/api/problems")).json()} == {ours.facts.permit_no}
    assert (await leader.get("/api/inspections", permit_no=theirs.facts.permit_no)).status_code == 403


async def test_the_case_page_names_the_campaign_not_its_file(app, engine, people, new_case):
    from models.policy import load_campaign

    drill = await new_case(township=TOWNSHIP)
    await in_case_file(engine, drill.facts.permit_no)
    page = (await (await people("office")).get(f"/cases/{drill.facts.permit_no}")).text
    shown = re.search(r'<dd data-testid="campaign" title="([^"]+)">([^<]+)</dd>', page)
    assert shown is not None
    assert shown.group(2) == load_campaign(shown.group(1)).name_zh != shown.group(1)


async def test_a_problem_past_its_time_limit_is_in_the_townships_todo_and_the_offices_supervision_until_closed(
        app, engine, people, new_case):
    """问题台账 (issue 14): a problem's time limit is enforced like every deadline: the responsible township owes it in
    its to-do, and once past it is red there and in the office's supervision; closed (销号) it leaves both."""
    from tests.evidence_files import pdf

    drill = await new_case(township=TOWNSHIP)
    permit = drill.facts.permit_no
    await in_case_file(engine, permit)
    town, office = await people("township"), await people("office")
    day = dt.datetime.now(CST).date()
    recorded = await town.http.post("/api/inspections", json={
        "permit_no": permit, "on": (day - dt.timedelta(days=10)).isoformat(), "people": ["王五"], "findings": "渣堆未清",
        "problems": [{"problem": "渣堆未清", "measures": "清运", "responsible_unit": TOWNSHIP, "responsible_person": "王五",
                      "due": (day - dt.timedelta(days=2)).isoformat()}]})
    assert recorded.status_code == 201, recorded.text
    problem_id = recorded.json()["problems"][0]["id"]

    (owed,) = [i for i in await todo_of(town) if i["id"] == problem_id]
    assert owed["verb"] == "close_problem" and owed["overdue"] and owed["light"] == "red" and owed["owner_zh"] == TOWNSHIP
    (supervised,) = [i for i in await todo_of(office) if i["id"] == problem_id]
    assert supervised["supervision"] == "overdue" and supervised["permit_no"] == permit

    evidence = await town.http.post(f"/api/cases/{permit}/attachments", files={"file": ("清运照片说明.pdf", pdf("done"),
                                                                                       "application/pdf")})
    closed = await office.http.post(f"/api/problems/{problem_id}/close",
                                    json={"note": "已清运", "evidence": [evidence.json()]})
    assert closed.status_code == 200, closed.text
    assert problem_id not in {i["id"] for i in await todo_of(town)} | {i["id"] for i in await todo_of(office)}
