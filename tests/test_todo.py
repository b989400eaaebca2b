"""One to-do for every unit and person (issue 12, item 1): what each role owes now, with its verb, mine, due date
and who owes it; what the unit did (已办); and the office's 催办 of what is overdue, recorded and shown."""

from __future__ import annotations

import asyncio
import re

from models.messages import DecideDisposition, ProposeDisposition, RecordReview, SubmitDocument
from models.roles import Department
from tests.api_helpers import TOWNSHIP, Session, holder_of
from tests.drill import COUNTY, HOLDER, department, township
from tests.test_web import browser, sign_in


async def until(fetch, found, timeout: float = 15.0):
    """Ask ``fetch`` until ``found`` holds of its answer (the case file syncs shortly after a case moves)."""
    loop = asyncio.get_running_loop()
    give_up = loop.time() + timeout
    while True:
        answer = await fetch()
        if found(answer):
            return answer
        assert loop.time() < give_up, f"never found: {answer}"
        await asyncio.sleep(0.1)


async def todo_of(session: Session, **params) -> list[dict]:
    answer = await session.get("/api/inbox", **params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def on(items: list[dict], permit: str) -> list[dict]:
    return [i for i in items if i["permit_no"] == permit]


async def decided_to_continue(drill) -> None:
    await drill.act("propose_disposition", ProposeDisposition(actor=township(TOWNSHIP), path="continue", reason="资源储量尚可"))
    await drill.act("decide_disposition", DecideDisposition(actor=COUNTY, approve=True))


async def late_case(new_case):
    """A continue mine whose six months ran out with one document filed and never reviewed: the natural resources
    bureau's review is overdue, and the county is proposed the three-month period."""
    drill = await new_case(township=TOWNSHIP)
    await decided_to_continue(drill)
    await drill.serve_all()
    item = next(i for i in drill.policy.approval_items if i.department == Department.natural_resources)
    await drill.act("submit_document", SubmitDocument(actor=HOLDER, item=item.code))
    await drill.advance(days=200)
    assert await drill.proposals() == {"grant_extension": "county"}
    return drill


async def test_a_townships_todo_holds_the_proposal_it_owes_on_a_registered_mine(people, new_case):
    drill = await new_case(township=TOWNSHIP)
    permit = drill.facts.permit_no
    (item,) = on(await todo_of(await people("township")), permit)
    assert item["verb"] == "propose_disposition" and item["task_id"] is None
    assert item["mine_name"] == drill.facts.mine_name and item["owner_zh"] == TOWNSHIP
    assert item["href"] == f"/cases/{permit}#act"
    assert not on(await todo_of(await people("other-township")), permit)  # not its mine
    assert not on(await todo_of(await people("county")), permit)  # the county owes nothing yet


async def test_the_countys_todo_holds_a_disposition_to_decide_and_a_consequence_proposed_to_it_and_not_other_units_tasks(
        people, new_case):
    proposed = await new_case(township=TOWNSHIP)
    await proposed.act("propose_disposition", ProposeDisposition(actor=township(TOWNSHIP), path="cancel", reason="资源枯竭"))
    late = await late_case(new_case)
    county = await people("county")
    items = await until(lambda: todo_of(county), lambda items: any(i["kind"] == "consequence_decision"
                                                                      for i in on(items, late.facts.permit_no)))
    assert [i["verb"] for i in on(items, proposed.facts.permit_no)] == ["decide_disposition"]
    (consequence,) = [i for i in on(items, late.facts.permit_no) if i["kind"] == "consequence_decision"]
    assert consequence["verb"] == "record_review" and consequence["task_id"] and consequence["due"]
    assert consequence["owner"] == "county" and consequence["days_left"] is not None
    assert {i["owner"] for i in items} == {"county"}  # none of the departments' or the townships' tasks
    natres = await todo_of(await people("natres"))
    assert any(i["kind"] == "document_review" for i in on(natres, late.facts.permit_no))
    assert not any(i["kind"] == "document_review" for i in items)


async def test_the_holders_todo_holds_its_documents_to_submit(new_case, app, engine):
    drill = await new_case(township=TOWNSHIP)
    await decided_to_continue(drill)
    await drill.serve_all()  # the six months count from service
    holder = await Session(app, holder_of(engine, drill.facts.permit_no)).sign_in()
    items = await todo_of(holder)
    submit = [i for i in items if i["verb"] == "submit_document"]
    assert {i["item"] for i in submit} == {i.code for i in drill.policy.approval_items}
    assert all(i["permit_no"] == drill.facts.permit_no and i["due"] and i["owner"] == "holder" for i in submit)
    assert any(i["verb"] == "report_works_done" for i in items)
    first = drill.policy.approval_items[0].code
    await drill.act("submit_document", SubmitDocument(actor=HOLDER, item=first))
    assert first not in {i.get("item") for i in await todo_of(holder)}
    await holder.http.aclose()


async def test_the_offices_todo_holds_overdue_items_and_unserved_documents(people, new_case):
    unserved = await new_case(township=TOWNSHIP)
    await decided_to_continue(unserved)
    late = await late_case(new_case)
    office = await people("office")
    items = await until(lambda: todo_of(office), lambda items: any(i["overdue"] for i in on(items, late.facts.permit_no)))
    (service,) = on(items, unserved.facts.permit_no)
    assert service["verb"] == "serve_document" and service["supervision"] == "unserved" and service["owner"] == "county"
    overdue = on(items, late.facts.permit_no)
    review = next(i for i in overdue if i["kind"] == "document_review")
    assert review["overdue"] and review["supervision"] == "overdue" and review["days_left"] < 0
    assert review["owner"] == "department:natural_resources" and review["owner_zh"] == "县自然资源局"
    period = next(i for i in overdue if i["kind"] == "rectification")
    assert period["overdue"] and period["owner"] == "holder" and period["verb"] == "submit_document"
    assert items.index(review) < items.index(service)  # overdue first
    county = await todo_of(await people("county"), department="natural_resources")
    assert county == []  # the county owes nothing of the bureau's


async def test_the_office_urges_an_overdue_task_and_the_urge_is_recorded_and_shown(people, new_case, app):
    late = await late_case(new_case)
    permit = late.facts.permit_no
    office = await people("office")
    items = await until(lambda: todo_of(office), lambda items: any(i["overdue"] and i["task_id"] for i in on(items, permit)))
    review = next(i for i in on(items, permit) if i["kind"] == "document_review")
    period = next(i for i in on(items, permit) if i["kind"] == "rectification")

    refused = await office.http.post("/api/urges", json={"items": [{"permit_no": permit, "kind": "post_care"}]})
    assert refused.status_code == 409
    assert (await (await people("county")).http.post("/api/urges", json={
        "items": [{"permit_no": permit, "task_id": review["task_id"]}]})).status_code == 403
    answer = await office.http.post("/api/urges", json={"items": [{"permit_no": permit, "task_id": review["task_id"]},
                                                                   {"permit_no": permit, "kind": "rectification"}],
                                                         "note": "请三日内办结"})
    assert answer.status_code == 201, answer.text
    urged = answer.json()
    assert [(u["to_unit"], u["task_id"]) for u in urged] == [("department:natural_resources", review["task_id"]),
                                                            ("holder", None)]
    assert urged[1]["kind"] == period["kind"] and all(u["note"] == "请三日内办结" for u in urged)

    mine = on(await todo_of(await people("natres")), permit)
    assert next(i for i in mine if i["task_id"] == review["task_id"])["urged"] == 1
    case = (await office.get(f"/api/cases/{permit}")).json()
    assert [u["to_unit_zh"] for u in case["urges"]] == ["县自然资源局", late.facts.holder]
    async with browser(app) as http:
        await sign_in(http, "office")
        page = (await http.get(f"/cases/{permit}")).text
        notices = re.search(r'data-testid="notices">(.*?)</ul>', page, re.S).group(1)
        assert notices.count('data-kind="urge"') == 2 and "催办" in notices and "请三日内办结" in notices
        # from the desk: the row's own button
        await http.post("/inbox/urge", data={"one": f"{permit}|{review['task_id']}|", "note": ""})
        inbox = (await http.get("/inbox")).text
        assert "已催办 1 项" in inbox
        row = re.search(rf'<tr [^>]*data-task="{review["task_id"]}".*?</tr>', inbox, re.S).group(0)
        assert "已催办 2 次" in row and 'data-testid="urge-one"' in row


async def test_the_done_list_lists_what_a_department_decided(people, new_case, app):
    drill = await new_case(township=TOWNSHIP)
    await decided_to_continue(drill)
    await drill.serve_all()
    item = next(i for i in drill.policy.approval_items if i.department == Department.ecology_environment)
    await drill.act("submit_document", SubmitDocument(actor=HOLDER, item=item.code))
    task = await drill.open_task(department=Department.ecology_environment, kind="document_review")
    await drill.act("record_review", RecordReview(actor=department(Department.ecology_environment), task_id=task.id,
                                                  approved=False, comment="缺少水土保持方案批复"))
    ecology = await people("ecology")
    done = await until(lambda: todo_of(ecology, done="true"), lambda rows: any(r["task_id"] == task.id for r in rows))
    row = next(r for r in done if r["task_id"] == task.id)
    assert row["outcome"] == "rejected" and row["comment"] == "缺少水土保持方案批复" and row["by"] == "县生态环境局·审批员"
    assert row["permit_no"] == drill.facts.permit_no and row["at"]
    assert not any(r["task_id"] == task.id for r in await todo_of(await people("natres"), done="true"))
    assert not any(i.get("task_id") == task.id for i in await todo_of(ecology))  # no longer to do
    async with browser(app) as http:
        await sign_in(http, "ecology")
        page = (await http.get("/inbox?done=1")).text
        assert task.id in page and "缺少水土保持方案批复" in page and "不通过" in page


async def test_each_role_has_a_todo_link_and_rows_act_in_place_without_none_labels(people, new_case, app):
    drill = await new_case(township=TOWNSHIP)
    permit = drill.facts.permit_no
    async with browser(app) as http:
        await sign_in(http, "township")
        page = (await http.get("/inbox")).text
        row = re.search(rf'<tr [^>]*data-verb="propose_disposition" data-permit="{permit}".*?</tr>', page, re.S).group(0)
        assert f'href="/cases/{permit}#act"' in row and TOWNSHIP in row
        assert "None" not in page and "没有待办" not in page
    for name in ("expert", "county", "office", "natres", "township"):
        async with browser(app) as http:
            await sign_in(http, name)
            page = (await http.get("/board" if name != "natres" else "/inbox")).text
            assert 'data-testid="nav-inbox"' in page, name
            assert "None" not in (await http.get("/inbox")).text, name
    async with browser(app) as http:
        await sign_in(http, "other-township")
        assert permit not in (await http.get("/inbox")).text
    await drill.act("propose_disposition", ProposeDisposition(actor=township(TOWNSHIP), path="continue"))
    async with browser(app) as http:
        await sign_in(http, "county")
        page = await until(lambda: http.get("/inbox"), lambda p: f'data-verb="decide_disposition" data-permit="{permit}"' in p.text)
        assert "去办理" in re.search(rf'data-permit="{permit}".*?</tr>', page.text, re.S).group(0)


def test_a_task_escalated_as_overdue_is_red_whatever_days_its_due_date_leaves():
    """Newcomer trial D18: a task tagged 已逾期上报 showed a yellow light. Escalated and open, it is red; decided, or
    not escalated, it is lit by the days left."""
    import datetime as dt

    from casefile.tables import TaskRecord
    from operations.reads import task_rows

    today = dt.date(2030, 5, 1)

    def task(escalated: bool, status: str = "open") -> TaskRecord:
        return TaskRecord(id=f"C1-T{int(escalated)}{status}", permit_no="C1", kind="plan_review", clause="四.1",
                          assignee_role="department", department="natural_resources", subject_zh="审查", subject_en="review",
                          opened_at=dt.datetime(2030, 4, 1), due=today + dt.timedelta(days=20), status=status,
                          escalated=escalated)

    escalated, plain, decided = task_rows([task(True), task(False), task(True, "approved")], today)
    assert escalated["light"] == "red"
    assert plain["light"] == "yellow" and decided["light"] == "yellow"
