"""The engine closed and personal data sealed (issue 18, items 2 and 6; review 2026-11, findings 2, 11, 12, 14).

Against the session's real dev server and worker (whose payloads are sealed with the session key,
``tests/sealing.py``), a raw Temporal client without the key plays the attacker on the Temporal port."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import os
import socket
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.contrib.pydantic import pydantic_data_converter

from api import create_app
from casefile.db import open_casefile
from casefile.users import add_user
from models.messages import ProposeDisposition
from runtime.payloads import (
    KEY_ID,
    PLAINTEXT_MARKER,
    SEALED,
    KeyRing,
    SealedPayloadCodec,
    data_converter,
    key_id,
    load_keyring,
    new_key_text,
    parse_key,
)
from runtime.resources import Runtime, TemporalConnectionError, is_loopback, temporal_tls
from runtime.settings import Settings
from runtime.temporal import connect, free_port
from tests.api_helpers import PASSWORD
from tests.conftest import TASK_QUEUE
from tests.drill import Drill, mine, township
from tests.sealing import TEST_KEY, TEST_RING

REPO = Path(__file__).resolve().parent.parent
FORGED = "伪造的乡镇"
_serial = iter(range(1, 10_000))


def forged_proposal() -> dict:
    """The review's reproduction: a township's proposal under a made-up name, as JSON on the Temporal port."""
    return {"actor": {"role": "township", "name": FORGED, "department": None, "township": "泗溪镇"},
            "comment": "", "request_id": None, "path": "cancel", "reason": "forged"}


def history_bytes(history) -> bytes:
    return b"".join(event.SerializeToString() for event in history.events)


def in_clear(text: str, blob: bytes) -> bool:
    """Whether ``text`` appears in ``blob`` as UTF-8 or as JSON's \\u escapes."""
    escaped = "".join(f"\\u{ord(c):04x}" if ord(c) > 127 else c for c in text)
    return text.encode() in blob or escaped.encode() in blob


# -- the Temporal port: an update without the key (finding 2) ---------------------------------------


async def test_an_update_forged_on_the_temporal_port_without_the_key_is_refused_and_records_nothing(
        client, engine, worker, server):
    drill = Drill(client, engine, TASK_QUEUE)
    await drill.register(mine())
    before = await drill.status()
    raw = await Client.connect(server.address, data_converter=pydantic_data_converter)  # no key: plaintext JSON
    with pytest.raises(WorkflowUpdateFailedError):
        await raw.get_workflow_handle(drill.workflow_id).execute_update("propose_disposition", forged_proposal())
    # a key of its own is no better: sealed, but not with a key of the deployment's ring
    stranger = await Client.connect(server.address, data_converter=data_converter(KeyRing((parse_key(new_key_text()),))))
    with pytest.raises(WorkflowUpdateFailedError):
        await stranger.get_workflow_handle(drill.workflow_id).execute_update("propose_disposition", forged_proposal())

    after = await drill.status()
    assert after.stage == before.stage == "registered"
    assert all(e.actor.name != FORGED and "forged" not in e.summary_zh for e in await drill.timeline())
    assert all(row.actor_name != FORGED for row in drill.filed_timeline())
    history = await client.get_workflow_handle(drill.workflow_id).fetch_history()
    kinds = [e.event_type for e in history.events]
    assert EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED not in kinds
    assert EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED not in kinds  # the case was never stuck on the forgery

    # and the case still takes a proper input, at once
    view = await drill.act("propose_disposition", ProposeDisposition(actor=township(), path="continue"))
    assert view.stage == "disposition_review"
    assert [row.actor_name for row in drill.filed_timeline()][-1] == township().name
    assert all(row.actor_name != FORGED for row in drill.filed_timeline())


# -- personal data (finding 12) -------------------------------------------------------------------


async def test_a_case_history_holds_no_mine_name_holder_or_comment_in_clear(client, engine, worker, server):
    n = next(_serial)
    facts = mine(mine_name=f"密封测试矿{n}号（虚构）", holder=f"张某某{n}（虚构自然人）", leader=f"县领导{n}（虚构）")
    drill = Drill(client, engine, TASK_QUEUE)
    await drill.register(facts)
    comment = f"联系电话 13800{n:06d}"
    await drill.act("propose_disposition", ProposeDisposition(actor=township(), path="continue", comment=comment))

    raw = await Client.connect(server.address, data_converter=pydantic_data_converter)
    blob = history_bytes(await raw.get_workflow_handle(drill.workflow_id).fetch_history())
    for secret in (facts.mine_name, facts.holder, facts.leader, comment, township().name):
        assert not in_clear(secret, blob), f"{secret} is in the history in clear"
    assert SEALED in blob and key_id(TEST_KEY).encode() in blob
    # the product's client, with the key, reads the same history: the data is there, sealed
    started = (await client.get_workflow_handle(drill.workflow_id).fetch_history()).events[0]
    opened = await SealedPayloadCodec(TEST_RING).decode(started.workflow_execution_started_event_attributes.input.payloads)
    assert facts.holder.encode() in opened[0].data


# -- key rotation -----------------------------------------------------------------------------------


def test_a_rotated_ring_seals_with_the_new_key_and_still_opens_what_the_old_key_sealed():
    old, new = parse_key(new_key_text()), parse_key(new_key_text())
    payload = pydantic_data_converter.payload_converter.to_payloads(["采矿权人 张某"])[0]
    sealed_old = KeyRing((old,)).seal(payload)
    rotated = KeyRing((new, old))
    assert rotated.open(sealed_old) == payload
    sealed_new = rotated.seal(payload)
    assert sealed_new.metadata[KEY_ID] == key_id(new).encode() != sealed_old.metadata[KEY_ID]
    assert KeyRing((new,)).open(sealed_old) is None  # the old key retired: what it sealed no longer opens
    tampered = type(sealed_new)()
    tampered.CopyFrom(sealed_new)
    tampered.data = tampered.data[:-1] + bytes([tampered.data[-1] ^ 1])
    assert rotated.open(tampered) is None


async def test_a_worker_on_a_rotated_ring_carries_on_a_case_sealed_under_the_old_key(server, engine):
    from worker import build_worker

    old, new = parse_key(new_key_text()), parse_key(new_key_text())
    queue = f"{TASK_QUEUE}-rotation"
    before = await connect(server.address, data_converter=data_converter(KeyRing((old,))))
    drill = Drill(before, engine, queue)
    async with build_worker(before, engine, queue, ThreadPoolExecutor(max_workers=4)):
        await drill.register(mine())
    # a new worker (nothing cached: it replays the old-key history) and clients on the rotated ring
    after = await connect(server.address, data_converter=data_converter(KeyRing((new, old))))
    drill.client = after
    async with build_worker(after, engine, queue, ThreadPoolExecutor(max_workers=4)):
        view = await drill.act("propose_disposition", ProposeDisposition(actor=township(), path="continue"))
        assert view.stage == "disposition_review"
    history = await after.get_workflow_handle(drill.workflow_id).fetch_history()
    accepted = [e for e in history.events if e.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED]
    sent = accepted[-1].workflow_execution_update_accepted_event_attributes.accepted_request.input.args.payloads[0]
    assert sent.metadata[KEY_ID] == key_id(new).encode()
    assert history.events[0].workflow_execution_started_event_attributes.input.payloads[0].metadata[KEY_ID] == key_id(old).encode()


# -- where plaintext is still read ------------------------------------------------------------------


def test_a_new_data_dir_gets_a_private_key_and_refuses_plaintext(tmp_path):
    ring = load_keyring(payload_key=None, payload_old_keys=None, payload_key_file=None, accept_plaintext=None,
                        data_dir=tmp_path / "data")
    key_file = tmp_path / "data" / "payload.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert not ring.accept_plaintext
    again = load_keyring(payload_key=None, payload_old_keys=None, payload_key_file=None, accept_plaintext=None,
                         data_dir=tmp_path / "data")
    assert again.keys == ring.keys  # made once, then read


def test_a_remote_temporal_without_a_payload_key_is_refused_rather_than_given_a_key_of_its_own(tmp_path, monkeypatch):
    from runtime.payloads import PayloadKeyError
    from runtime.resources import keyring

    monkeypatch.delenv("MINECASE_PAYLOAD_KEY", raising=False)
    with pytest.raises(PayloadKeyError) as refused:
        keyring(Settings(data_dir=tmp_path / "d", temporal_address="127.0.0.1:7233"))
    assert "MINECASE_PAYLOAD_KEY" in refused.value.zh and "same" in refused.value.en
    assert not (tmp_path / "d" / "payload.key").exists()


def test_a_data_dir_whose_temporal_held_cases_before_the_key_accepts_their_plaintext(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "temporal.db").write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    ring = load_keyring(payload_key=None, payload_old_keys=None, payload_key_file=None, accept_plaintext=None, data_dir=data)
    assert ring.accept_plaintext and (data / PLAINTEXT_MARKER).exists()
    refused = load_keyring(payload_key=None, payload_old_keys=None, payload_key_file=None, accept_plaintext=False,
                           data_dir=data)
    assert not refused.accept_plaintext  # the operator ends it once those cases are done


def test_a_payload_key_that_is_not_32_bytes_of_base64_is_refused_in_both_languages():
    from runtime.payloads import PayloadKeyError

    for bad in ("minecase-demo", "c2hvcnQ=", ""):
        with pytest.raises(PayloadKeyError) as refused:
            parse_key(bad)
        assert "负载密钥" in refused.value.zh and "payload key" in refused.value.en


# -- a remote Temporal: TLS or an explicit choice (finding 11) --------------------------------------


def test_only_loopback_addresses_count_as_this_machine():
    assert all(is_loopback(a) for a in ("127.0.0.1:7233", "localhost:7233", "[::1]:7233", "127.0.0.2:1"))
    assert not any(is_loopback(a) for a in ("10.0.0.5:7233", "temporal.county.gov.cn:7233", "0.0.0.0:7233",
                                            "[2001:db8::1]:7233", "127.0.0.1.nip.io:7233"))


def test_a_remote_temporal_without_tls_is_refused_unless_explicitly_allowed(tmp_path):
    with pytest.raises(TemporalConnectionError) as refused:
        temporal_tls(Settings(temporal_address="10.0.0.5:7233"))
    assert "TLS" in refused.value.zh and "MINECASE_TEMPORAL_ALLOW_INSECURE" in refused.value.en
    assert temporal_tls(Settings(temporal_address="10.0.0.5:7233", temporal_allow_insecure=True)) is False
    assert temporal_tls(Settings(temporal_address="127.0.0.1:7233")) is False
    ca = tmp_path / "ca.pem"
    ca.write_bytes(b"-----BEGIN CERTIFICATE-----\n")
    tls = temporal_tls(Settings(temporal_address="10.0.0.5:7233", temporal_tls_ca_file=ca, temporal_tls_server_name="t"))
    assert tls.server_root_ca_cert == ca.read_bytes() and tls.domain == "t"
    with pytest.raises(TemporalConnectionError):  # a certificate without its key
        temporal_tls(Settings(temporal_address="10.0.0.5:7233", temporal_tls_cert_file=ca))
    with pytest.raises(TemporalConnectionError):  # a file that is not there
        temporal_tls(Settings(temporal_address="10.0.0.5:7233", temporal_tls_ca_file=tmp_path / "missing.pem"))


def test_the_cli_refuses_a_remote_temporal_without_tls_in_one_bilingual_line_and_exits_non_zero(engine):
    env = {**os.environ, "MINECASE_TEMPORAL_ADDRESS": "10.0.0.5:7233", "PYTHONPATH": str(REPO),
           "MINECASE_DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    env.pop("MINECASE_TEMPORAL_ALLOW_INSECURE", None)
    done = subprocess.run([sys.executable, "-m", "cli.app", "status", "C3609239999000000000003"], env=env,
                          capture_output=True, text=True, timeout=60, cwd=REPO)
    assert done.returncode != 0
    assert "不在本机" in done.stderr and "not on this machine" in done.stderr and "Traceback" not in done.stderr


# -- the embedded server: UI off, files private (findings 2 and 14) ---------------------------------


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


async def test_the_embedded_server_has_no_web_ui_unless_asked_and_its_data_dir_is_private(tmp_path, monkeypatch):
    monkeypatch.delenv("MINECASE_PAYLOAD_KEY", raising=False)
    data = tmp_path / "data"
    settings = Settings(data_dir=data, temporal_port=free_port(), temporal_ui_port=free_port(), database_url=None,
                        temporal_address=None)
    async with Runtime(settings, upgrade_schema=True) as runtime:
        assert "--headless" in runtime.server.command() and "--ui-port" not in runtime.server.command()
        await asyncio.sleep(1)
        assert not _listening(settings.temporal_ui_port)
        assert runtime.client.data_converter.payload_codec is not None  # the product's client seals
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    for name in ("casefile.db", "temporal.db", "payload.key", "temporal-server.log"):
        assert stat.S_IMODE((data / name).stat().st_mode) == 0o600, name
    asked = Settings(data_dir=data, temporal_ui=True)
    assert asked.temporal_ui and not Settings(data_dir=data).temporal_ui


# -- the codec endpoint (finding 12) ----------------------------------------------------------------


UI_ORIGIN = "http://127.0.0.1:8233"


@pytest.fixture(scope="module")
def codec_app(client, engine, staff):
    runtime = SimpleNamespace(settings=Settings(task_queue=TASK_QUEUE, campaign="shanggao-2023", codec_token="codec-test-token",
                                                codec_cors_origin=UI_ORIGIN), client=client, engine=engine)
    return create_app(runtime, secret_key="codec-secret")


def sealed_body(text: str) -> dict:
    payload = TEST_RING.seal(pydantic_data_converter.payload_converter.to_payloads([text])[0])
    from google.protobuf import json_format
    from temporalio.api.common.v1 import Payloads

    return json_format.MessageToDict(Payloads(payloads=[payload]))


async def _as(app, name: str | None) -> httpx.AsyncClient:
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://desk.test")
    if name:
        answer = await http.post("/api/session", json={"name": name, "password": PASSWORD})
        assert answer.status_code == 200
    return http


async def test_the_codec_endpoint_opens_payloads_for_the_office_only(codec_app, engine):
    body = sealed_body("采矿权人 李某")
    holder = f"codec-holder-{next(_serial)}"
    add_user(engine, holder, PASSWORD, "holder", permit_no="C0000000000000000000001")
    for name, status in ((None, 401), ("viewer", 403), ("county", 403), ("township", 403), (holder, 403)):
        http = await _as(codec_app, name)
        answer = await http.post("/codec/decode", json=body)
        assert answer.status_code == status, (name, answer.text)
        assert "zh" in answer.json()["detail"] and "李某" not in answer.text
        await http.aclose()
    office = await _as(codec_app, "office")
    opened = await office.post("/codec/decode", json=body)
    assert opened.status_code == 200

    assert "李某" in base64.b64decode(opened.json()["payloads"][0]["data"]).decode()
    again = await office.post("/codec/encode", json=opened.json())
    assert again.json()["payloads"][0]["metadata"]["encoding"] == base64.b64encode(SEALED).decode()
    bad = await office.post("/codec/decode", content=b"not json", headers={"content-type": "application/json"})
    assert bad.status_code == 422
    await office.aclose()
    token = httpx.AsyncClient(transport=httpx.ASGITransport(app=codec_app), base_url="http://desk.test")
    assert (await token.post("/codec/decode", json=body, headers={"authorization": "Bearer codec-test-token"})).status_code == 200
    assert (await token.post("/codec/decode", json=body, headers={"authorization": "Bearer guessed"})).status_code == 401
    await token.aclose()


async def test_the_codec_endpoint_answers_the_temporal_ui_origin_and_no_other(codec_app):
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=codec_app), base_url="http://desk.test")
    preflight = await http.options("/codec/decode", headers={"origin": UI_ORIGIN, "access-control-request-method": "POST"})
    assert preflight.status_code == 204 and preflight.headers["access-control-allow-origin"] == UI_ORIGIN
    other = await http.options("/codec/decode", headers={"origin": "http://evil.test", "access-control-request-method": "POST"})
    assert other.status_code == 403 and "access-control-allow-origin" not in other.headers
    auth = {"authorization": "Bearer codec-test-token"}
    from_ui = await http.post("/codec/decode", json=sealed_body("x"), headers={"origin": UI_ORIGIN, **auth})
    assert from_ui.status_code == 200 and from_ui.headers["access-control-allow-origin"] == UI_ORIGIN
    from_elsewhere = await http.post("/codec/decode", json=sealed_body("x"), headers={"origin": "http://evil.test", **auth})
    assert from_elsewhere.status_code == 403 and "access-control-allow-origin" not in from_elsewhere.headers
    await http.aclose()


def test_the_product_creates_its_data_dir_0700_and_the_case_file_0600(tmp_path):
    settings = Settings(data_dir=tmp_path / "d", database_url=None)
    open_casefile(settings.resolved_database_url(create=True), upgrade=True).dispose()
    assert stat.S_IMODE((tmp_path / "d").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "d" / "casefile.db").stat().st_mode) == 0o600


# -- cases started before the codec (plaintext histories) ------------------------------------------


async def test_where_plaintext_is_accepted_for_old_cases_a_new_plaintext_input_is_still_refused(server, engine):
    """A deployment upgraded with running cases reads their plaintext histories; a plaintext update or start sent
    on the Temporal port now is refused all the same (the validators and a new run refuse what was not sealed)."""
    from temporalio.client import WorkflowFailureError

    from models.policy import load_campaign
    from worker import build_worker
    from workflows.case_workflow import CaseInput

    queue = f"{TASK_QUEUE}-legacy"
    lenient = await connect(server.address, data_converter=data_converter(KeyRing((TEST_KEY,), accept_plaintext=True)))
    raw = await Client.connect(server.address, data_converter=pydantic_data_converter)
    drill = Drill(lenient, engine, queue)
    async with build_worker(lenient, engine, queue, ThreadPoolExecutor(max_workers=4)):
        # a case started now in plaintext on the port (a forged registration)
        forged = mine()
        policy = load_campaign("shanggao-2023").resolve(dt.date(2030, 1, 1))
        await raw.start_workflow("MineCase", CaseInput(facts=forged, policy=policy, registered_by=township(FORGED)),
                                 id=f"mine-{forged.permit_no}", task_queue=queue)
        await drill.register(mine())
        # refused (the raw client cannot even read why: the refusal is sealed, and reading it fails)
        with pytest.raises((WorkflowUpdateFailedError, KeyError)):
            await raw.get_workflow_handle(drill.workflow_id).execute_update("propose_disposition", forged_proposal())
        assert (await drill.status()).stage == "registered"
        history = await lenient.get_workflow_handle(drill.workflow_id).fetch_history()
        assert EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED not in [e.event_type for e in history.events]
        assert all(row.actor_name != FORGED for row in drill.filed_timeline())
        view = await drill.act("propose_disposition", ProposeDisposition(actor=township(), path="continue"))
        assert view.stage == "disposition_review"
        # the plaintext start was refused as a new case: it failed and wrote nothing
        with pytest.raises(WorkflowFailureError):
            await lenient.get_workflow_handle(f"mine-{forged.permit_no}").result()
        never = Drill(lenient, engine, queue)
        never.facts = forged
        assert never.filed_case_rows() == [] and never.filed_timeline() == []


async def test_a_case_started_before_the_codec_replays_only_where_plaintext_is_accepted():
    from temporalio.client import WorkflowHistory
    from temporalio.worker import Replayer

    from workflows.case_workflow import MineCaseWorkflow

    path = REPO / "tests" / "histories" / "continue_path_to_production_resumed.json"
    history = WorkflowHistory.from_json("before-the-codec", path.read_text(encoding="utf-8"))
    results = {}
    for accept in (True, False):
        replayer = Replayer(workflows=[MineCaseWorkflow], data_converter=data_converter(KeyRing((TEST_KEY,), accept_plaintext=accept)))
        results[accept] = (await replayer.replay_workflow(history, raise_on_replay_failure=False)).replay_failure
    assert results[True] is None, results[True]
    assert results[False] is not None  # why MINECASE_PAYLOAD_ACCEPT_PLAINTEXT exists for such a deployment


async def test_the_codec_endpoint_opens_a_payload_larger_than_an_ordinary_request_body(codec_app):
    """A case's carried state is tens of KB in base64, above the desk's 64 KB limit for a form or an action."""
    big = sealed_body("整治记录" * 20_000)  # 240 KB of UTF-8, sealed and in base64
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=codec_app), base_url="http://desk.test")
    answer = await http.post("/codec/decode", json=big, headers={"authorization": "Bearer codec-test-token"})
    assert answer.status_code == 200
    assert base64.b64decode(answer.json()["payloads"][0]["data"]).decode().count("整治记录") == 20_000
    await http.aclose()
