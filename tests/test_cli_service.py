"""The console side of due process: ``minecase document --json`` lists a case's documents with their
service, ``minecase serve`` records that a document was served, ``minecase review`` decides a task as
its assignee in the case file (how the county decides a consequence proposed to it), and
``minecase status --json`` shows what each proposal asks.

The listing reads the case file; serving and reviewing run the command against the test session's
Temporal server and case file. (In process: as a process of its own, a command that talked to Temporal
sometimes aborts at interpreter exit, temporalio/sdk-python#300, after doing its work.)
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json

import pytest
from sqlmodel import Session
from typer.testing import CliRunner

from casefile.tables import DocumentRecord, TaskRecord
from casefile.times import to_db
from casefile.users import add_user
from cli.app import app
from models.messages import DecideDisposition, ProposeDisposition
from models.policy import load_campaign
from tests.conftest import TASK_QUEUE
from tests.drill import COUNTY, Drill, cst, new_permit_no, township

UTC = dt.UTC


# -- the listing, from the case file ----------------------------------------------------------------------


def issue(engine, permit_no: str, number: int, at: dt.datetime, kind: str, title: str, **service) -> str:
    document_id = f"{permit_no}-D{number:02d}"
    with Session(engine) as session:
        session.add(DocumentRecord(id=document_id, permit_no=permit_no, kind=kind, title_zh=title, clause="四.1",
                                   issued_at=to_db(at), fields={}, html=f"<html><body>{title}</body></html>", **service))
        session.commit()
    return document_id


def test_the_document_list_gives_each_documents_number_issue_date_addressee_and_service_null_until_served(
    engine, monkeypatch, tmp_path,
):
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("MINECASE_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    permit = new_permit_no()
    notice = issue(engine, permit, 1, dt.datetime(2030, 10, 9, 17, 0, tzinfo=UTC), "extension_notice", "整改通知书",
                   addressee="测试矿业有限公司（虚构）", served_on=dt.date(2030, 10, 12), service_method="post",
                   served_by="领导小组办公室·张三")
    decision = issue(engine, permit, 2, dt.datetime(2031, 1, 12, 2, 0, tzinfo=UTC), "deemed_abandonment_decision",
                     "视为自动放弃矿权决定书", addressee="测试矿业有限公司（虚构）")
    runner = CliRunner()

    listed = runner.invoke(app, ["document", permit, "--json"])
    assert listed.exit_code == 0, listed.output
    assert json.loads(listed.stdout) == [
        {"id": notice, "kind": "extension_notice", "title": "整改通知书", "number": None, "issued_on": "2030-10-10",
         "served_on": "2030-10-12", "addressee": "测试矿业有限公司（虚构）", "service_method": "post",
         "served_by": "领导小组办公室·张三", "url": None},  # issued at 01:00 on 10 October in China
        {"id": decision, "kind": "deemed_abandonment_decision", "title": "视为自动放弃矿权决定书", "number": None,
         "issued_on": "2031-01-12", "served_on": None, "addressee": "测试矿业有限公司（虚构）", "service_method": None,
         "served_by": None, "url": None},
    ]
    assert json.loads(runner.invoke(app, ["document", new_permit_no(), "--json"]).stdout) == []

    plain = [line for line in runner.invoke(app, ["document", permit]).stdout.splitlines() if line.strip()]
    assert plain == [f"{notice}  整改通知书  (四.1)  2030-10-10  已送达 served 2030-10-12",
                     f"{decision}  视为自动放弃矿权决定书  (四.1)  2031-01-12  未送达 not served"]


def test_a_rejection_without_its_reason_is_refused_by_the_command_in_one_line(engine, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MINECASE_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    refused = CliRunner().invoke(app, ["review", f"{new_permit_no()}-T01", "--reject", "--by", "县长"])
    assert refused.exit_code == 2
    assert refused.output.strip().splitlines() == ["错误 error: 不通过须说明理由 / a rejection needs its reason (--comment)"]


def test_reviewing_a_task_the_case_file_does_not_hold_without_a_unit_is_refused(engine, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MINECASE_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    task = f"{new_permit_no()}-T01"
    refused = CliRunner().invoke(app, ["review", task, "--approve", "--by", "县长"])
    assert refused.exit_code == 2 and f"no task {task} in the case file" in refused.output


# -- serving and reviewing, on the real server ------------------------------------------------------------


@pytest.fixture
async def drill(client, engine, worker) -> Drill:
    drill = Drill(client, engine, TASK_QUEUE)
    drill.policy = load_campaign("rolling-example").resolve(dt.date(2030, 3, 1))
    return drill


@pytest.fixture
def people(engine) -> None:
    """The case file's users the commands act as (``--by``): an office clerk, the county's, a township's."""
    for name, role, unit in (("张三", "office", {}), ("李四", "office", {}), ("县长", "county", {}),
                             ("泗溪镇干部", "township", {"township": "泗溪镇"})):
        add_user(engine, name, "minecase-test", role, replace=True, **unit)


@pytest.fixture
def minecase(minecase, people):
    """``minecase ARGS…`` (the shared fixture) as its exit code, standard output and standard error."""

    async def run(*args: str) -> tuple[int, str, str]:
        result = await minecase(*args)
        return result.exit_code, result.stdout, result.stderr

    return run


async def listed(minecase, permit: str) -> list[dict]:
    code, out, err = await minecase("document", permit, "--json")
    assert code == 0, err
    return json.loads(out)


async def test_serving_a_decision_records_how_when_and_by_whom_in_the_case_file_and_on_the_document(drill, minecase):
    await drill.register()
    permit = drill.facts.permit_no
    await drill.act("propose_disposition", ProposeDisposition(actor=township(), path="cancel"))
    await drill.advance_to(cst(2030, 4, 1, 10, 0))
    await drill.act("decide_disposition", DecideDisposition(actor=COUNTY, approve=True))
    (decision,) = await listed(minecase, permit)
    assert (decision["kind"], decision["served_on"], decision["issued_on"]) == ("closure_decision", None, "2030-04-01")

    code, out, err = await minecase("serve", permit, decision["id"], "--method", "direct", "--by", "张三", "--json")
    assert code == 0, err
    assert json.loads(out)["stage"] == "closure_ordered"
    for _ in range(100):  # the workflow writes the served document to the case file
        (served,) = await listed(minecase, permit)
        if served["served_on"]:
            break
        await asyncio.sleep(0.1)
    assert (served["served_on"], served["service_method"], served["served_by"]) == ("2030-04-01", "direct", "领导小组办公室·张三")
    with Session(drill.engine) as session:
        html = session.get(DocumentRecord, decision["id"]).html
    assert "送达记录" in html and "直接送达" in html and "领导小组办公室·张三" in html
    served_event = await drill.event("document_served")
    assert (served_event.actor.role, served_event.data["document_id"]) == ("office", decision["id"])

    code, _, err = await minecase("serve", permit, decision["id"], "--method", "post", "--by", "李四")
    assert code == 2 and "was served on 2030-04-01" in err and len(err.strip().splitlines()) == 1
    code, _, err = await minecase("serve", permit, decision["id"], "--method", "post", "--by", "李四", "--county",
                                  "--township", "泗溪镇")
    assert code == 2 and "only one of --township or --county" in err


async def test_the_county_decides_the_consequence_proposed_to_it_with_review_and_no_unit(drill, minecase):
    await drill.approve_continuation()
    permit = drill.facts.permit_no
    await drill.advance_to(cst(2030, 12, 1, 10, 0))  # six months passed, nothing filed
    task = await drill.open_task(kind="consequence_decision")
    assert (task.assignee_role, task.proposal.consequence) == ("county", "grant_extension")

    code, out, err = await minecase("status", permit, "--json")
    assert code == 0, err
    (owed,) = [o for o in json.loads(out)["open_obligations"] if o.get("task_id") == task.id]
    assert owed["responsible"] == "county"
    proposal = owed["proposal"]
    assert (proposal["consequence"], proposal["last_day"], proposal["provisional"]) == (
        "grant_extension", task.proposal.last_day.isoformat(), False)
    assert proposal["duty"] == "rectification" and proposal["facts_zh"]

    code, _, err = await minecase("review", task.id, "--reject", "--by", "县长")
    assert code == 2 and "a rejection needs its reason" in err
    assert (await drill.open_task(kind="consequence_decision")).id == task.id  # nothing changed

    code, out, err = await minecase("review", task.id, "--approve", "--by", "县长", "--json")
    assert code == 0, err
    assert json.loads(out)["stage"] == "rectifying_extended"
    decided = await drill.event("extension_granted")
    assert (decided.actor.role, decided.actor.name) == ("county", "县长")
    for _ in range(100):
        documents = await listed(minecase, permit)
        with Session(drill.engine) as session:
            record = session.get(TaskRecord, task.id)
        if any(d["kind"] == "extension_notice" for d in documents) and record.status != "open":
            break
        await asyncio.sleep(0.1)
    continuation, notice = documents
    assert (continuation["kind"], continuation["served_on"]) == ("continuation_notice", "2030-04-01")  # the drill served it
    assert (notice["kind"], notice["addressee"], notice["served_on"]) == ("extension_notice", drill.facts.holder, None)
    assert (record.status, record.decided_by) == ("approved", "县政府·县长")


async def test_a_holders_period_shows_no_due_date_until_its_notice_is_served_and_counts_from_service(drill, minecase):
    await drill.register()
    permit = drill.facts.permit_no
    await drill.act("propose_disposition", ProposeDisposition(actor=township(), path="continue", reason="资源储量尚可"))
    await drill.advance_to(cst(2030, 4, 1, 10, 0))
    await drill.act("decide_disposition", DecideDisposition(actor=COUNTY, approve=True))

    code, out, err = await minecase("status", permit, "--json")
    assert code == 0, err
    status = json.loads(out)
    (period,) = [d for d in status["deadlines"] if d["kind"] == "rectification"]
    (serve,) = [o for o in status["open_obligations"] if o["kind"] == "document_service"]
    assert (period["due"], period["status"]) == (None, "open")  # not counting yet
    assert serve["responsible"] == "county" and serve["due"] == "2030-04-08"  # the issuer's: 7 days from the decision
    notice = period["awaiting_service"]
    assert notice.startswith(permit)

    await drill.advance_to(cst(2030, 4, 15, 10, 0))  # served late: the issuer's delay, not the holder's
    code, out, err = await minecase("serve", permit, notice, "--method", "post", "--by", "张三", "--json")
    assert code == 0, err
    code, out, err = await minecase("status", permit, "--json")
    status = json.loads(out)
    (period,) = [d for d in status["deadlines"] if d["kind"] == "rectification"]
    assert (period["due"], period["awaiting_service"]) == ("2030-10-15", None)  # six months from service
    assert not [o for o in status["open_obligations"] if o["kind"] == "document_service"]
    assert [e for e in await drill.events("review_overdue_escalated") if e.data["task_id"] == serve["task_id"]]


async def test_acts_typed_in_late_carry_their_own_day_and_a_malformed_date_is_refused_in_one_line(drill, minecase):
    await drill.register()
    permit = drill.facts.permit_no
    await drill.advance_to(cst(2030, 4, 1, 10, 0))
    held = dt.date(2030, 3, 28)
    code, _, err = await minecase("propose", permit, "continue", "--township", "泗溪镇", "--reason", "储量尚可", "--on", "2030-02-30",
                                  "--by", "泗溪镇干部")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "is not a date" in err
    code, _, err = await minecase("propose", permit, "continue", "--township", "泗溪镇", "--reason", "储量尚可",
                                  "--on", (held - dt.timedelta(days=1)).isoformat(), "--by", "泗溪镇干部")
    assert code == 0, err
    code, _, err = await minecase("decide", permit, "--approve", "--deadline", "restoration_plan", "--by", "县长")
    assert code == 2 and "KIND=YYYY-MM-DD" in err
    code, _, err = await minecase("decide", permit, "--approve", "--on", held.isoformat(), "--by", "县长")
    assert code == 0, err
    code, out, err = await minecase("history", permit, "--json")
    for _ in range(100):  # the case file follows the workflow shortly
        events = {e["kind"]: e for e in json.loads(out)["timeline"]}
        if "continuation_approved" in events:
            break
        await asyncio.sleep(0.1)
        code, out, err = await minecase("history", permit, "--json")
    approved = events["continuation_approved"]
    assert approved["effective_on"] == held.isoformat() and approved["recorded_at"][:10] > held.isoformat()
