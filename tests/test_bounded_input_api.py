"""Bounded input at the desk (issue 18, item 5), over the real Temporal dev server: a body limit in front of the
app, an unknown task answered before it reaches the case, Temporal's payload limit as a 422, update ids per
user and verb (review findings 3, 4 and 13)."""

from __future__ import annotations

import httpx

from models.messages import ProposeDisposition
from models.roles import Actor, Role
from operations import cases
from operations.statuses import status_for
from tests.api_helpers import TOWNSHIP, Session, holder_of, timeline_length


async def test_a_json_body_over_64_kb_is_413_in_both_languages_and_changes_nothing(people, new_case):
    drill = await new_case()
    township = await people("township")
    before = await timeline_length(drill)
    answer = await township.act(drill.facts.permit_no, "propose_disposition",
                                {"path": "continue", "reason": "理" * 30_000})  # about 90 KB of UTF-8
    assert answer.status_code == 413
    assert answer.json()["detail"] == {"zh": "请求内容超过 64 KB", "en": "the request body is over 64 KB"}

    async def chunks():  # no Content-Length: counted as it arrives
        yield b'{"path": "continue", "reason": "'
        for _ in range(20):
            yield b"x" * 4096
        yield b'"}'

    chunked = await township.http.post(f"/api/cases/{drill.facts.permit_no}/propose_disposition", content=chunks(),
                                       headers={"content-type": "application/json"})
    assert chunked.status_code == 413 and chunked.json()["detail"]["en"] == "the request body is over 64 KB"
    assert await timeline_length(drill) == before and (await drill.status()).stage == "registered"


async def test_a_web_form_over_the_limit_is_413_too(app, staff):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://desk.test") as http:
        answer = await http.post("/login", data={"name": "office", "password": "p" * 70_000})
    assert answer.status_code == 413 and "请求内容超过 64 KB" in answer.text


async def test_a_ledger_upload_may_be_larger_than_a_json_body_and_its_report_lists_200_rejected_rows(people, worker):
    office = await people("office")
    rows = "".join(f"B{n},m,h,t,{'填' * 30}\n" for n in range(2, 3002))
    content = ("采矿许可证号,矿山名称,采矿权人,所属林场、乡镇,备注\n" + rows).encode()
    assert len(content) > 64 * 1024
    answer = await office.http.post("/api/ledger", params={"check": "true"},
                                    files={"file": ("big.csv", content, "text/csv")})
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert report["rejected_count"] == 3000 and len(report["rejected"]) == 200 and report["created"] == 0


async def test_a_review_of_a_task_the_case_never_had_is_404_and_never_reaches_the_case(people, new_case):
    drill = await new_case()
    permit = drill.facts.permit_no
    natres = await people("natres")
    before = await timeline_length(drill)
    unknown = await natres.act(permit, "record_review", {"task_id": "T" * 64, "approved": True})
    assert unknown.status_code == 404
    assert unknown.json()["detail"]["en"] == f"no task {'T' * 40}… on this case"
    too_long = await natres.act(permit, "record_review", {"task_id": "T" * 65, "approved": True})
    assert too_long.status_code == 422 and "task_id" in too_long.json()["detail"]["en"]
    huge = await natres.act(permit, "record_review", {"task_id": "x" * 1_000_000, "approved": True})
    assert huge.status_code == 413
    assert await timeline_length(drill) == before
    other = await people("other-township")  # out of scope stays 403, whatever the task
    assert (await other.act(permit, "record_review", {"task_id": "T01", "approved": True})).status_code == 403


async def test_a_task_already_decided_is_still_a_conflict_not_a_missing_task(people, new_case, engine):
    drill = await new_case()
    permit = drill.facts.permit_no
    township, county = await people("township"), await people("county")
    assert (await township.act(permit, "propose_disposition", {"path": "continue"})).status_code == 200
    assert (await county.act(permit, "decide_disposition", {"approve": True})).status_code == 200
    holder = Session(township.http._transport.app, holder_of(engine, permit))
    await holder.sign_in()
    item = drill.policy.approval_items[0]
    assert (await holder.act(permit, "submit_document", {"item": item.code})).status_code == 200
    reviewer = await people({"natural_resources": "natres", "ecology_environment": "ecology"}[item.department.value])
    task = next(t for t in (await reviewer.get("/api/inbox")).json() if t["permit_no"] == permit)
    assert (await reviewer.act(permit, "record_review", {"task_id": task["id"], "approved": True})).status_code == 200
    again = await reviewer.act(permit, "record_review", {"task_id": task["id"], "approved": False, "comment": "再审"})
    assert again.status_code == 409, again.text
    await holder.http.aclose()


async def test_an_input_too_large_for_the_case_is_422_and_never_reaches_it(client, new_case):
    """Temporal's server takes a 3 MB update, but the worker then cannot complete the case's workflow task (its
    answer repeats the input, over the 2 MB payload limit) and the case is frozen: so it is never sent."""
    drill = await new_case()
    before = await timeline_length(drill)
    township = Actor(role=Role.township, name="乡镇干部", township=TOWNSHIP)
    # past every check of the desk (model_construct skips the messages' limits)
    for size in (3_000_000, cases.MAX_MESSAGE_BYTES):
        oversized = ProposeDisposition.model_construct(actor=township, path="continue", reason="", comment="x" * size,
                                                       request_id=None, on=None)
        try:
            await cases.act(client, drill.facts.permit_no, "propose_disposition", oversized)
        except cases.TooLargeForCase as refusal:
            assert status_for(refusal) == 422 and "输入内容过大" in refusal.zh and "larger" in refusal.en
        else:
            raise AssertionError("an input too large for the case was sent")
    assert await timeline_length(drill) == before and (await drill.status()).stage == "registered"
    proposed = ProposeDisposition(actor=township, path="continue", comment="x" * 2000)  # the largest a person may send
    assert (await cases.act(client, drill.facts.permit_no, "propose_disposition", proposed)).stage == "disposition_review"


async def test_one_users_request_id_never_answers_another_users_action(people, new_case):
    drill = await new_case()
    permit = drill.facts.permit_no
    township, county = await people("township"), await people("county")
    proposed = await township.act(permit, "propose_disposition", {"path": "continue", "request_id": "shared-id-1"})
    assert proposed.status_code == 200 and proposed.json()["stage"] == "disposition_review"
    decided = await county.act(permit, "decide_disposition", {"approve": True, "request_id": "shared-id-1"})
    assert decided.status_code == 200 and decided.json()["stage"] == "rectifying"
    assert (await drill.status()).stage == "rectifying"
    # the same person's resend of the same verb is still answered once, without acting again
    length = await timeline_length(drill)
    resent = await county.act(permit, "decide_disposition", {"approve": True, "request_id": "shared-id-1"})
    assert resent.status_code == 200 and await timeline_length(drill) == length


def test_the_update_id_names_the_sender_the_verb_and_the_request():
    township = Actor(role=Role.township, name="乡镇干部", township=TOWNSHIP)
    message = ProposeDisposition(actor=township, path="continue", request_id="r-1")
    assert cases.update_id_for(message, "propose_disposition") == f"township/{TOWNSHIP}/乡镇干部:propose_disposition:r-1"
    assert cases.update_id_for(message, "apply_cancellation") != cases.update_id_for(message, "propose_disposition")
    fresh = ProposeDisposition(actor=township, path="continue")
    assert cases.update_id_for(fresh, "propose_disposition") != cases.update_id_for(fresh, "propose_disposition")


async def test_a_megabyte_task_id_sent_straight_to_temporal_is_refused_and_the_case_stays_readable(client, new_case):
    """Review finding 3 without the desk: the message's own limit refuses it, and the rejection quotes little."""
    drill = await new_case()
    handle = client.get_workflow_handle(f"mine-{drill.facts.permit_no}")
    actor = {"role": "department", "name": "x", "department": "natural_resources"}
    try:
        await handle.execute_update("record_review", {"actor": actor, "task_id": "x" * 1_000_000, "approved": True})
    except Exception as refusal:  # noqa: BLE001 - Temporal's update failure or RPC error
        assert len(str(refusal)) + len(str(refusal.__cause__ or "")) < 10_000
    else:
        raise AssertionError("a megabyte task id was accepted")
    assert (await cases.live_status(client, drill.facts.permit_no)).stage == "registered"
