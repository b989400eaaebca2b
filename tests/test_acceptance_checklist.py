"""Acceptance with substance (五.1, 七.2, 004 附件; issue 14 item 3): each department fills its items of the acceptance
standard (达标验收表, the campaign's ``acceptance_checklist``) in its field acceptance, and the expert panel's
acceptance issues the 验收合格意见书 as a numbered document of the case. Real Temporal, real SQLite."""

from __future__ import annotations

import datetime as dt

from models.messages import DecideDisposition, ProposeDisposition, RecordReview, ReportWorksDone, SubmitDocument
from models.policy import load_campaign
from tests.api_helpers import TOWNSHIP, in_case_file
from tests.conftest import TASK_QUEUE
from tests.drill import COUNTY, HOLDER, Drill, cst, department, mine, township


def test_the_campaign_file_gives_every_acceptance_department_its_items_and_the_panel_three_disciplines():
    for campaign in ("shanggao-2023", "rolling-example"):
        policy = load_campaign(campaign)
        assert all(policy.checklist_for(d) for d in policy.acceptance_departments), campaign
        assert len({i.code for i in policy.acceptance_checklist}) == len(policy.acceptance_checklist)
        assert len(policy.expert_disciplines) == 3


async def to_field_acceptance(client, engine) -> Drill:
    drill = Drill(client, engine, TASK_QUEUE)
    drill.policy = load_campaign("rolling-example").resolve(dt.date(2030, 3, 1))
    await drill.register(mine(township=TOWNSHIP))
    await in_case_file(engine, drill.facts.permit_no)
    await drill.act("propose_disposition", ProposeDisposition(actor=township(TOWNSHIP), path="cancel"))
    await drill.advance_to(cst(2030, 4, 1, 10, 0))
    await drill.act("decide_disposition", DecideDisposition(actor=COUNTY, approve=True))
    await drill.serve_all()
    await drill.act("submit_document", SubmitDocument(actor=HOLDER, item="restoration_plan"))
    await drill.approve_all_open("plan_review")
    await drill.act("report_works_done", ReportWorksDone(actor=HOLDER))
    inspection = await drill.open_task(kind="initial_inspection")
    await drill.act("record_review", RecordReview(actor=township(TOWNSHIP), task_id=inspection.id, approved=True))
    return drill


async def test_each_department_fills_its_items_and_the_panel_issues_a_numbered_certificate(client, engine, worker, people):
    drill = await to_field_acceptance(client, engine)
    permit = drill.facts.permit_no
    status = await drill.status()
    assert {i.code for i in status.acceptance_checklist} >= {"geo_hazard", "drainage", "revegetation"}
    natres_task = next(t for t in status.tasks if t.kind == "field_acceptance" and t.department == "natural_resources")

    natres = await people("natres")
    form = next(a for a in (await natres.get(f"/api/cases/{permit}")).json()["actions"] if a["verb"] == "record_review")
    (offered,) = [t for t in form["tasks"] if t["id"] == natres_task.id]
    assert [i["code"] for i in offered["checklist"]] == ["geo_hazard"]

    missing = await natres.act(permit, "record_review", {"task_id": natres_task.id, "approved": True, "checklist": {"safety": True}})
    assert missing.status_code == 409 and "geo_hazard" in missing.json()["detail"]["en"]
    not_met = await natres.act(permit, "record_review", {"task_id": natres_task.id, "approved": True,
                                                        "checklist": {"geo_hazard": False}})
    assert not_met.status_code == 409 and "not met" in not_met.json()["detail"]["en"]
    assert next(t for t in (await drill.status()).tasks if t.id == natres_task.id).status == "open"

    passed = await natres.act(permit, "record_review", {"task_id": natres_task.id, "approved": True,
                                                       "checklist": {"geo_hazard": True}, "comment": "现场核查达标"})
    assert passed.status_code == 200, passed.text
    event = [e for e in await drill.timeline() if e.kind == "review_recorded"][-1]
    assert event.data["checklist"] == {"geo_hazard": True}

    for task in [t for t in (await drill.status()).tasks if t.kind == "field_acceptance"]:
        answers = {i.code: True for i in drill.policy.checklist_for(task.department)}
        await drill.act("record_review", RecordReview(actor=department(task.department), task_id=task.id, approved=True,
                                                      checklist=answers))
    certificate_task = await drill.open_task(kind="expert_certificate")
    expert = await people("expert")
    done = await expert.act(permit, "record_review", {"task_id": certificate_task.id, "approved": True,
                                                      "comment": "整治工程达到验收标准"})
    assert done.status_code == 200, done.text

    (certificate,) = [d for d in (await drill.status()).documents if d.kind == "acceptance_certificate"]
    assert certificate.title_zh == "验收合格意见书"
    assert certificate.fields["disciplines"] == ["水工环地质", "环境保护", "林业"]
    by_department = {d["department"]: d["items"] for d in certificate.fields["departments"]}
    assert by_department["natural_resources"] == [{"code": "geo_hazard", "text_zh": drill.policy.checklist_for(
        "natural_resources")[0].text_zh, "passed": True}]
    assert set(by_department) == {d.value for d in drill.policy.acceptance_departments}

    for _ in range(100):  # numbered by the register's activity, then written to the case file
        listed = {d["id"]: d for d in (await expert.get(f"/api/cases/{permit}")).json()["documents"]}
        if listed.get(certificate.id, {}).get("number"):
            break
        import asyncio

        await asyncio.sleep(0.1)
    assert listed[certificate.id]["number"].startswith("上矿整验字")
    html = (await expert.get(f"/api/cases/{permit}/documents/{certificate.id}")).text
    assert "验收合格意见书" in html and "截排水沟" in html and "达标" in html and "整治工程达到验收标准" in html
    assert "水工环地质、环境保护、林业" in html
    assert (await drill.status()).stage == "awaiting_cancel_application"
