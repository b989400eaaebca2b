"""The API keeps the contract its OpenAPI document states (issue 18, item 8).

Schemathesis reads ``/api/openapi.json`` from a real uvicorn on a free port (the desk of the test session:
real Temporal dev server, worker, SQLite case file) and sends what the document allows and what it
forbids, in every phase that fits a test (examples, coverage, fuzzing, stateful), once signed in as the
office and once anonymous. Every answer must be a status the document names for that route, with the
content type and the body schema it names; schema-valid input is never refused as invalid, and
invalid input is never taken.
"""

from __future__ import annotations

import asyncio
import json
import os
from dataclasses import dataclass, field

import httpx
import pytest
import uvicorn

from api import create_app
from api.downloads import XLSX_TYPE
from models.bounds import PERMIT_NO_PATTERN
from operations.cases import YEARS_AHEAD
from runtime.temporal import free_port
from tests.api_helpers import PASSWORD, make_runtime

pytestmark = pytest.mark.timeout(600)

EXAMPLES = int(os.environ.get("MINECASE_CONTRACT_EXAMPLES", "4"))
"""Examples per operation and phase: bounded so that both passes run in about two minutes on two cores."""
SECONDS = int(os.environ.get("MINECASE_CONTRACT_SECONDS", "50"))
"""Each pass stops after this long (schemathesis's ``max-time``), wherever it is; every operation has been tried by then
(the examples and coverage phases go first), fuzzing and stateful testing get the rest."""

CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance", "response_schema_conformance",
          "response_headers_conformance", "negative_data_rejection", "positive_data_acceptance", "unsupported_method",
          "allow_header_conformance", "missing_required_header")


@dataclass
class Findings:
    failures: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    operations: set[str] = field(default_factory=set)
    requests: int = 0
    allowed: int = 0
    stop_reason: str = ""
    seconds: float = 0.0


BEYOND_THE_SCHEMA = {
    "POST /api/cases": ("is not in the dictionary of campaign",),
    "POST /api/cases/{permit_no}/attachments": ("is not accepted (judged by its content)",),
    "POST /api/inspections": ("cannot be in the future", "cannot be before the inspection", "was not uploaded to this case",
                              "differs in type or size from its upload"),
    "POST /api/problems/{problem_id}/close": ("already closed", "was not uploaded to this case",
                                              "differs in type or size from its upload"),
    # amounts that do not add up: a rule across fields (used + released ≤ paid; paid > due needs a note)
    "POST /api/cases/{permit_no}/funds": ("exceed paid", "explain it in the note"),
}
"""Per operation, the refusals (by their English text) that depend on the case file rather than on the request, or
on several fields together (which a JSON Schema cannot state)."""
ACT_BEYOND_THE_SCHEMA = ("was not uploaded to this case", "differs in type or size from its upload")
"""An act's ``attachments`` that name a file not uploaded to that case (or unlike its upload)."""


def beyond_the_schema(operation: str, interaction) -> bool:
    """A schema-valid request refused with a 422 that the document states in words because a JSON Schema cannot:
    - a last day more than ten years from today (review finding 19), a bound relative to today; once schemathesis has
      registered a case of its own, a schema-valid date far ahead meets it;
    - a ledger upload whose file is not a readable .xlsx or .csv ledger (random bytes are not);
    - what the case file, not the request, decides (``BEYOND_THE_SCHEMA``): a township outside the campaign's
      dictionary (the office edits it: a document cannot list it), an uploaded file that is not a PDF, an image or an
      Office document by its content, an inspection dated after today or a time limit before its date, a problem
      already closed, and a file named as evidence that was not uploaded to that case.
    Only that refusal: a 422 about the request's fields (``errors``) is never allowed."""
    response = getattr(interaction, "response", None)
    if response is None or response.status_code != 422:
        return False
    try:
        detail = json.loads(response.content)["detail"]
    except (ValueError, KeyError, TypeError):
        return False
    if detail.get("errors"):
        return False
    en = detail.get("en", "")
    if f"at most {YEARS_AHEAD} years from today" in en:
        return True
    if operation.startswith("POST /api/cases/{permit_no}/") and any(text in en for text in ACT_BEYOND_THE_SCHEMA):
        return True
    if any(text in en for text in BEYOND_THE_SCHEMA.get(operation, ())):
        return True
    return operation == "POST /api/ledger"


def run_schemathesis(base_url: str, headers: dict[str, str], skip: tuple[str, ...] = ()) -> Findings:
    """Run every phase of schemathesis against the desk at ``base_url``; what broke, by check and operation."""
    import schemathesis
    from schemathesis.engine import events, from_schema

    config = schemathesis.Config.from_dict({
        "seed": 18,
        "headers": headers,
        "workers": 1,
        "request-timeout": 60,
        "generation": {"max-examples": EXAMPLES, "mode": "all", "database": "none"},
        "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
        "phases": {"examples": {"enabled": True}, "coverage": {"enabled": True}, "fuzzing": {"enabled": True},
                   "stateful": {"enabled": True, "max-steps": 6}},
        "max-time": SECONDS,
        "operations": [{"include-name": name, "enabled": False} for name in skip],
    })
    schema = schemathesis.openapi.from_url(f"{base_url}/api/openapi.json", config=config)
    found = Findings()
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            found.operations.add(event.recorder.label)
            found.requests += len(event.recorder.interactions)
            for case_id, checks in event.recorder.checks.items():
                for check in checks:
                    if check.failure_info is not None:
                        interaction = event.recorder.interactions.get(case_id)
                        operation = event.recorder.cases[case_id].value.operation.label  # the stateful phase's too
                        if check.name == "positive_data_acceptance" and beyond_the_schema(operation, interaction):
                            found.allowed += 1
                            continue
                        case = event.recorder.cases[case_id].value
                        failure = check.failure_info.failure
                        found.failures.append(f"[{event.phase.value}] {event.recorder.label}: {check.name}: "
                                              f"{failure.title} — {failure.message[:600]} — {case.media_type} {case.method} "
                                              f"{case.formatted_path} query={case.query} body={str(case.body)[:200]}")
        elif isinstance(event, events.NonFatalError):
            found.errors.append(f"{event.label}: {event.info.title}: {event.info.message[:300]}")
        elif isinstance(event, events.FatalError):
            found.errors.append(f"fatal: {event.exception!r}")
        elif isinstance(event, events.EngineFinished):
            found.stop_reason = event.stop_reason.value
            found.seconds = event.running_time
    return found


@pytest.fixture
async def desk_url(client, engine, staff, worker):
    """A desk over the test session's Temporal and case file (its own sign-in throttle: the anonymous pass fails
    many sign-ins from 127.0.0.1), served by uvicorn on a free loopback port, in this event loop."""
    app = create_app(make_runtime(client, engine), secret_key="contract-secret")
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off",
                                           access_log=False))
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn says it has started with this flag only
        await asyncio.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task


async def office_cookie(base_url: str) -> str:
    async with httpx.AsyncClient(base_url=base_url) as http:
        answer = await http.post("/api/session", json={"name": "office", "password": PASSWORD})
        assert answer.status_code == 200, answer.text
        return f"minecase_session={answer.cookies['minecase_session']}"


def report(found: Findings) -> str:
    """The problems grouped by operation, check and kind, each with its count and first example."""
    groups: dict[str, list[str]] = {}
    for line in found.failures:
        key = " — ".join(line.split(" — ")[:2]).split("\n")[0]
        key = key.split("] ", 1)[-1]
        groups.setdefault(key, []).append(line)
    lines = [f"{len(v)}× {k}\n    e.g. {v[0][:1200]}" for k, v in sorted(groups.items())] + found.errors
    return f"{len(found.failures)} failures ({len(groups)} kinds) in {found.requests} requests:\n" + "\n".join(lines)


def operations_of(document: dict) -> set[str]:
    return {f"{method.upper()} {path}" for path, item in document["paths"].items() for method in item}


async def test_the_api_answers_as_its_openapi_document_says_to_a_signed_in_office(desk_url):
    cookie = await office_cookie(desk_url)
    # signing in or out would end the office's session for the rest of the run: the anonymous pass does those
    skipped = ("POST /api/session", "DELETE /api/session")
    found = await asyncio.to_thread(run_schemathesis, desk_url, {"Cookie": cookie}, skipped)
    assert not found.failures and not found.errors, report(found)
    async with httpx.AsyncClient(base_url=desk_url) as http:
        document = (await http.get("/api/openapi.json")).json()
    assert operations_of(document) - set(skipped) <= found.operations, (found.stop_reason, found.seconds)
    assert found.requests > 300


async def test_the_api_answers_as_its_openapi_document_says_to_someone_not_signed_in(desk_url):
    found = await asyncio.to_thread(run_schemathesis, desk_url, {})
    assert not found.failures and not found.errors, report(found)
    async with httpx.AsyncClient(base_url=desk_url) as http:
        document = (await http.get("/api/openapi.json")).json()
    assert operations_of(document) <= found.operations, (found.stop_reason, found.seconds)
    assert found.requests > 300


async def test_the_document_states_the_permit_number_pattern_the_error_body_and_the_file_types(app):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://desk.test") as http:
        document = (await http.get("/api/openapi.json")).json()
    paths, schemas = document["paths"], document["components"]["schemas"]
    assert schemas["RegisterBody"]["properties"]["permit_no"]["pattern"] == PERMIT_NO_PATTERN
    action = paths["/api/cases/{permit_no}/move_deadline"]["post"]
    permit = next(p for p in action["parameters"] if p["name"] == "permit_no")
    assert permit["schema"]["pattern"] == PERMIT_NO_PATTERN
    assert set(action["responses"]) == {"200", "401", "403", "404", "409", "413", "422", "503"}
    assert action["responses"]["422"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorBody"}
    assert set(paths["/api/session"]["post"]["responses"]) == {"200", "401", "403", "413", "422", "429"}
    assert "Retry-After" in paths["/api/session"]["post"]["responses"]["429"]["headers"]
    assert "application/pdf" in paths["/api/cases/{permit_no}/documents/{document_id}.pdf"]["get"]["responses"]["200"]["content"]
    html = paths["/api/cases/{permit_no}/documents/{document_id}"]["get"]["responses"]
    assert list(html["200"]["content"]) == ["text/html"] and list(html["404"]["content"]) == ["application/json"]
    assert XLSX_TYPE in paths["/api/ledger.xlsx"]["get"]["responses"]["200"]["content"]
    upload = paths["/api/ledger"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]["$ref"].split("/")[-1]
    assert schemas[upload]["properties"]["file"]["minLength"] == 1
    assert schemas["MoveDeadlineBody"]["properties"]["kind"]["maxLength"] == 64


@pytest.mark.parametrize("body", [b'{"path": "cancel", "reason": "\xff\xfe"}', b'{"a":' * 10_000 + b"1" + b"}" * 10_000,
                                  b"\xff\xfe{}"], ids=["invalid UTF-8 in a string", "10,000-deep JSON", "invalid UTF-8"])
async def test_a_body_that_cannot_be_parsed_is_a_documented_422_in_the_error_contract(people, body):
    township = await people("township")
    answer = await township.http.post("/api/cases/C0000000000000000000000/propose_disposition", content=body,
                                      headers={"content-type": "application/json"})
    assert answer.status_code == 422, answer.text
    detail = answer.json()["detail"]
    assert detail["zh"] and detail["en"] and detail["errors"][0]["loc"][0] == "body"


async def test_a_method_a_path_does_not_take_is_405_allowing_every_method_of_the_path(people):
    office = await people("office")
    for method in ("OPTIONS", "PUT"):
        answer = await office.http.request(method, "/api/cases")
        assert answer.status_code == 405
        assert set(answer.headers["allow"].replace(" ", "").split(",")) >= {"GET", "POST"}
        assert answer.json()["detail"]["en"] == "method not allowed"
    session = await office.http.request("OPTIONS", "/api/session")
    assert set(session.headers["allow"].replace(" ", "").split(",")) == {"POST", "DELETE"}
