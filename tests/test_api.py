"""The HTTP API over the real Temporal dev server: reads, actions and errors."""

from __future__ import annotations

import datetime as dt

import httpx

from operations.cases import VERBS
from tests.api_helpers import OTHER_TOWNSHIP, TOWNSHIP, Session, closure_dates, holder_of, timeline_length


async def test_the_openapi_document_lists_every_action_as_a_post_endpoint(app):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
        spec = (await http.get("/api/openapi.json")).json()
    for verb in VERBS:
        operation = spec["paths"][f"/api/cases/{{permit_no}}/{verb}"]["post"]
        assert "409" in operation["responses"]
    assert "/api/board" in spec["paths"] and "/api/inbox" in spec["paths"]


async def test_a_wrong_password_is_refused_with_a_bilingual_401(app):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
        answer = await http.post("/api/session", json={"name": "office", "password": "nope-nope"})
        assert answer.status_code == 401
        assert set(answer.json()["detail"]) >= {"zh", "en"}
        unknown = await http.post("/api/session", json={"name": "nobody", "password": "nope-nope"})
        assert unknown.status_code == 401 and unknown.json() == answer.json()


async def test_reads_need_a_signed_in_user(app):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
        for url in ("/api/board", "/api/cases", "/api/inbox", "/api/me"):
            answer = await http.get(url)
            assert answer.status_code == 401, url
            assert answer.json()["detail"]["en"] == "please sign in"


async def test_signing_out_ends_the_session(people):
    office = await people("office")
    assert (await office.get("/api/me")).json()["role"] == "office"
    await office.http.delete("/api/session")
    assert (await office.get("/api/me")).status_code == 401


async def test_the_board_counts_cases_per_stage_and_township_with_lights(people, new_case):
    drill = await new_case(township="上甘山林场")
    office = await people("office")
    board = (await office.get("/api/board")).json()
    assert board["total"] >= 1
    registered = next(s for s in board["stages"] if s["stage"] == "registered")
    assert registered["count"] >= 1 and registered["label_zh"] == "已登记"
    town = next(t for t in board["townships"] if t["township"] == "上甘山林场")
    assert town["total"] >= 1 and set(town) >= {"red", "yellow", "green", "none"}
    row = next(c for c in board["cases"] if c["permit_no"] == drill.facts.permit_no)
    assert row["light"] == "none"  # nothing runs against a merely registered case


async def test_the_case_list_filters_by_stage_township_and_path(people, new_case):
    drill = await new_case(township="敖山镇")
    office = await people("office")
    found = (await office.get("/api/cases", township="敖山镇", stage="registered", path="undecided")).json()
    assert drill.facts.permit_no in [c["permit_no"] for c in found]
    assert (await office.get("/api/cases", township="敖山镇", stage="rectifying")).json() == []
    assert (await office.get("/api/cases", township="敖山镇", due_within=30)).json() == []
    assert (await office.get("/api/cases", stage="no-such-stage")).status_code == 422


async def test_the_case_shows_live_status_history_and_the_actions_the_user_may_take(people, new_case):
    drill = await new_case(township=TOWNSHIP)
    township = await people("township")
    case = (await township.get(f"/api/cases/{drill.facts.permit_no}")).json()
    assert case["status"]["stage"] == "registered"
    assert case["history"]["timeline"][0]["kind"] == "case_registered"
    assert case["allowed_actions"] == ["propose_disposition"]  # what the rules accept now, not all its role may ever send
    assert [a["verb"] for a in case["actions"]] == ["propose_disposition"]
    viewer = await people("viewer")
    seen = (await viewer.get(f"/api/cases/{drill.facts.permit_no}")).json()
    assert seen["actions"] == [] and seen["allowed_actions"] == []


async def test_allowed_actions_follow_the_stage_of_the_case_for_each_signed_in_user(people, new_case, engine):
    drill = await new_case(township=TOWNSHIP)
    url = f"/api/cases/{drill.facts.permit_no}"
    township, county, office = await people("township"), await people("county"), await people("office")
    holder = await people(holder_of(engine, drill.facts.permit_no))
    assert (await county.get(url)).json()["allowed_actions"] == []  # nothing to decide yet
    assert (await holder.get(url)).json()["allowed_actions"] == []
    proposed = await township.act(drill.facts.permit_no, "propose_disposition", {"path": "cancel", "reason": "资源枯竭"})
    assert proposed.status_code == 200, proposed.text
    assert (await township.get(url)).json()["allowed_actions"] == []
    case = (await county.get(url)).json()
    assert case["allowed_actions"] == ["decide_disposition"]
    decision = next(a for a in case["actions"] if a["verb"] == "decide_disposition")
    assert decision["proposal"]["path"] == "cancel" and decision["proposal"]["reason"] == "资源枯竭"
    decided = await county.act(drill.facts.permit_no, "decide_disposition", {"approve": True, "deadlines": closure_dates()})
    assert decided.status_code == 200, decided.text
    # the closure decision's dates run (they are fixed dates), and the decision is the county's to serve
    assert (await county.get(url)).json()["allowed_actions"] == ["move_deadline", "serve_document"]
    assert (await office.get(url)).json()["allowed_actions"] == ["move_deadline", "serve_document"]
    assert (await holder.get(url)).json()["allowed_actions"] == ["submit_document", "report_works_done"]
    holder_case = (await holder.get(url)).json()
    items = next(a for a in holder_case["actions"] if a["verb"] == "submit_document")["items"]
    assert [i["item"] for i in items] == ["restoration_plan"]  # on the cancel path: the restoration plan
    assert (await township.get(url)).json()["allowed_actions"] == []


async def test_an_unknown_case_is_404(people):
    office = await people("county")
    missing = "C0000000000000000000000"
    assert (await office.get(f"/api/cases/{missing}")).status_code == 404
    answer = await office.act(missing, "decide_disposition", {"approve": True})
    assert answer.status_code == 404
    assert missing in answer.json()["detail"]["en"]


async def test_a_stage_conflict_is_409_and_changes_nothing(people, new_case):
    drill = await new_case()
    county = await people("county")
    before = await timeline_length(drill)
    answer = await county.act(drill.facts.permit_no, "decide_disposition", {"approve": True})
    assert answer.status_code == 409
    assert "阶段" in answer.json()["detail"]["zh"]
    assert await timeline_length(drill) == before


async def test_bad_fields_are_422_and_the_actor_cannot_be_chosen_by_the_client(people, new_case):
    drill = await new_case()
    township = await people("township")
    bad = await township.act(drill.facts.permit_no, "propose_disposition", {"path": "maybe"})
    assert bad.status_code == 422 and "path" in bad.json()["detail"]["en"]
    forged = await township.act(drill.facts.permit_no, "propose_disposition",
                                {"path": "continue", "actor": {"role": "county", "name": "x"}})
    assert forged.status_code == 422
    not_json = await township.http.post(f"/api/cases/{drill.facts.permit_no}/propose_disposition", content=b"{oops",
                                        headers={"content-type": "application/json"})
    assert not_json.status_code == 422
    assert (await drill.status()).stage == "registered"


async def test_a_department_approves_its_task_from_the_inbox_and_the_case_moves_on(people, new_case, engine):
    drill = await new_case()
    permit = drill.facts.permit_no
    township, county = await people("township"), await people("county")
    assert (await township.act(permit, "propose_disposition", {"path": "continue"})).status_code == 200
    decided = await county.act(permit, "decide_disposition", {"approve": True})
    assert decided.status_code == 200 and decided.json()["stage"] == "rectifying"

    holder = Session(township.http._transport.app, holder_of(engine, permit))
    await holder.sign_in()
    submitted = await holder.act(permit, "submit_document", {"item": drill.policy.approval_items[0].code, "title": "开发利用方案"})
    assert submitted.status_code == 200, submitted.text
    department = drill.policy.approval_items[0].department.value
    reviewer = await people({"natural_resources": "natres", "ecology_environment": "ecology"}[department])
    inbox = (await reviewer.get("/api/inbox")).json()
    task = next(t for t in inbox if t["permit_no"] == permit)
    assert task["department"] == department and task["status"] == "open" and task["due"]

    approved = await reviewer.act(permit, "record_review", {"task_id": task["id"], "approved": True, "comment": "同意"})
    assert approved.status_code == 200, approved.text
    assert all(t["id"] != task["id"] for t in approved.json()["tasks"])
    assert all(t["permit_no"] != permit or t["id"] != task["id"] for t in (await reviewer.get("/api/inbox")).json())
    history = (await reviewer.get(f"/api/cases/{permit}")).json()["history"]
    review = [e for e in history["timeline"] if e["kind"] == "review_recorded"][-1]
    assert review["actor_role"] == "department" and review["data"]["approved"] is True
    await holder.http.aclose()


async def test_the_office_registers_a_case_and_nobody_else_can(people):
    from tests.drill import new_permit_no

    facts = {"permit_no": new_permit_no(), "mine_name": "API登记测试矿（虚构）", "holder": "测试公司（虚构）",
             "township": TOWNSHIP, "fictional": True}
    county = await people("county")
    assert (await county.http.post("/api/cases", json=facts)).status_code == 403
    office = await people("office")
    created = await office.http.post("/api/cases", json=facts)
    assert created.status_code == 201 and created.json()["created"] is True
    again = await office.http.post("/api/cases", json=facts)
    assert again.status_code == 201 and again.json()["workflow_id"] == created.json()["workflow_id"]
    listed = (await office.get("/api/cases", township=TOWNSHIP)).json()
    assert [c["permit_no"] for c in listed].count(facts["permit_no"]) <= 1
    bad = await office.http.post("/api/cases", json={**facts, "permit_no": "123"})
    assert bad.status_code == 422


async def test_a_township_sees_only_its_own_mines(people, new_case):
    mine_here = await new_case(township=TOWNSHIP)
    mine_there = await new_case(township=OTHER_TOWNSHIP)
    township = await people("township")
    listed = {c["permit_no"] for c in (await township.get("/api/cases")).json()}
    assert mine_here.facts.permit_no in listed and mine_there.facts.permit_no not in listed
    assert (await township.get("/api/cases", township=OTHER_TOWNSHIP)).json() == []
    board = (await township.get("/api/board")).json()
    assert {t["township"] for t in board["townships"]} == {TOWNSHIP}
    assert (await township.get(f"/api/cases/{mine_there.facts.permit_no}")).status_code == 403


async def test_a_closure_decision_is_listed_on_the_case_and_served_as_html_to_those_who_may_read_it(people, new_case):
    drill = await new_case(township=TOWNSHIP)
    permit = drill.facts.permit_no
    township, county = await people("township"), await people("county")
    assert (await township.act(permit, "propose_disposition", {"path": "cancel"})).status_code == 200
    assert (await county.act(permit, "decide_disposition", {"approve": True, "deadlines": closure_dates()})).status_code == 200
    documents = (await county.get(f"/api/cases/{permit}")).json()["documents"]
    assert documents, "the closure decision is issued when the county approves closure"
    url = f"/api/cases/{permit}/documents/{documents[0]['id']}"
    page = await township.get(url)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert (await (await people("other-township")).get(url)).status_code == 403
    assert (await county.get(f"/api/cases/{permit}/documents/nope")).status_code == 404


async def test_serve_web_answers_on_its_port_until_cancelled(client, engine, staff):
    import asyncio

    from api.serve import serve_web
    from runtime.temporal import free_port
    from tests.api_helpers import make_runtime

    port = free_port()
    task = asyncio.create_task(serve_web(make_runtime(client, engine), "127.0.0.1", port, secret_key="k"))
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
        for _ in range(100):
            try:
                answer = await http.get("/api/openapi.json")
                break
            except httpx.ConnectError:
                await asyncio.sleep(0.05)
        assert answer.status_code == 200
        assert (await http.get("/login")).status_code == 200
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


def test_demo_users_make_one_sign_in_per_role_each_with_its_own_random_password_and_leave_existing_users_alone(tmp_path):
    from api.serve import demo_users
    from casefile.db import open_casefile
    from casefile.users import PUBLISHED_PASSWORDS, authenticate

    engine = open_casefile(f"sqlite:///{tmp_path / 'demo.db'}", upgrade=True)
    made = demo_users(engine, township=TOWNSHIP, permit_no="C1234567890123456789012")
    assert {u.role for u in made} == {"office", "county", "township", "department", "holder", "expert", "viewer"}
    office = next(u for u in made if u.name == "office")
    assert authenticate(engine, "office", office.password) is not None
    assert len({u.password for u in made}) == len(made), "every demo sign-in has its own password"
    assert not {u.password for u in made} & set(PUBLISHED_PASSWORDS)
    assert authenticate(engine, "office", "minecase-demo") is None
    again = demo_users(engine, township=TOWNSHIP, permit_no="C1234567890123456789012")
    assert all(u.password == "(unchanged)" for u in again)
    assert authenticate(engine, "office", office.password) is not None
    engine.dispose()


async def test_an_act_dated_in_the_future_or_malformed_is_refused_by_the_api_and_changes_nothing(people, new_case):
    drill = await new_case()
    permit = drill.facts.permit_no
    township, county = await people("township"), await people("county")
    assert (await township.act(permit, "propose_disposition", {"path": "continue"})).status_code == 200
    tomorrow = ((await drill.now()).date() + dt.timedelta(days=1)).isoformat()
    future = await county.act(permit, "decide_disposition", {"approve": True, "on": tomorrow})
    assert future.status_code == 409 and "in the future" in future.json()["detail"]["en"]
    malformed = await county.act(permit, "decide_disposition", {"approve": True, "on": "2030-02-30"})
    assert malformed.status_code == 422 and "on" in malformed.json()["detail"]["en"]
    assert (await drill.status()).stage == "disposition_review"
    today = (await drill.now()).date()
    decided = await county.act(permit, "decide_disposition", {"approve": True, "on": today.isoformat()})
    assert decided.status_code == 200 and decided.json()["disposition_date"] == today.isoformat()


async def test_a_deadline_moved_more_than_ten_years_ahead_is_a_bilingual_422_and_changes_nothing(people, new_case):
    """Review finding 19: 9999-12-31 reached the case and came back as a 409 with Python's "date value out of range"."""
    drill = await new_case()
    permit = drill.facts.permit_no
    county = await people("county")
    before = await timeline_length(drill)
    for day in ("9999-12-31", (dt.date.today() + dt.timedelta(days=3700)).isoformat()):
        answer = await county.act(permit, "move_deadline", {"kind": "rectification", "new_last_day": day,
                                                            "meeting": "县政府专题会议", "reason": "测试"})
        assert answer.status_code == 422, answer.text
        detail = answer.json()["detail"]
        assert "10 年" in detail["zh"] and "10 years" in detail["en"] and "out of range" not in detail["en"]
    within = await county.act(permit, "move_deadline", {"kind": "rectification", "meeting": "县政府专题会议", "reason": "测试",
                                                        "new_last_day": (dt.date.today() + dt.timedelta(days=3000)).isoformat()})
    assert within.status_code == 409  # within the bound it reaches the case, whose rule answers (no such running deadline)
    missing = await county.act("C0000000000000000000000", "move_deadline", {"kind": "rectification", "new_last_day": "9999-12-31",
                                                                            "meeting": "m", "reason": "r"})
    assert missing.status_code == 404  # an unknown case is still a 404
    assert await timeline_length(drill) == before
