"""The clock locked (issue 18, item 3): time skipping is a property of the deployment, decided where its
server starts. A production server does not skip time, whatever the caller's environment says; the case
file records what the deployment is; ``minecase simulate advance`` against production exits non-zero and
moves nothing; the desk of a drill shows the drill's simulated date.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import pytest_asyncio
from sqlmodel import Session
from temporalio.service import RPCError, RPCStatusCode

from casefile.db import open_casefile
from casefile.deployment import DRILL, PRODUCTION, DeploymentError, deployment_kind, record_deployment
from casefile.tables import CaseRecord, DeploymentRecord
from casefile.users import add_user
from models.policy import load_campaign
from operations import cases
from runtime.temporal import DevServer, connect, fast_forward, free_port, time_skipping_enabled
from tests.api_helpers import desk_browser, make_runtime
from tests.drill import OFFICE, mine
from tests.sealing import sealed

ROOT = Path(__file__).parent.parent
POLICY = load_campaign("shanggao-2023").resolve()
QUEUE = "minecase-tests-production"


def minecase(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from cli.app import main; main()", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MINECASE_") or k == "MINECASE_PAYLOAD_KEY"}
    return {**env, "MINECASE_LOG_FORMAT": "json", **extra}


@pytest_asyncio.fixture
async def production(tmp_path):
    """A production deployment: its server started without time skipping, its case file marked production,
    a worker beside them, and one registered case."""
    from worker import build_worker

    url = f"sqlite:///{tmp_path / 'casefile.db'}"
    engine = open_casefile(url, upgrade=True)
    record_deployment(engine, PRODUCTION, "test")
    server = DevServer(db_file=tmp_path / "temporal.db", port=free_port(), log_file=tmp_path / "temporal.log")
    await server.start()
    client = await connect(server.address, data_converter=sealed())  # the product's sealed payloads, the session's key
    worker = build_worker(client, engine, QUEUE, ThreadPoolExecutor(max_workers=4))
    task = asyncio.create_task(worker.run())
    facts = mine()
    await cases.register_case(client, engine, QUEUE, facts, POLICY, OFFICE)
    await cases.wait_settled(client, f"mine-{facts.permit_no}")
    try:
        yield {"server": server, "client": client, "engine": engine, "url": url, "facts": facts}
    finally:
        await worker.shutdown()
        await asyncio.gather(task, return_exceptions=True)
        server.stop()
        engine.dispose()


async def test_a_production_server_refuses_to_skip_time_and_a_drill_server_allows_it(production, client):
    assert await time_skipping_enabled(production["client"]) is False
    with pytest.raises(RPCError) as refused:
        await fast_forward(production["client"], f"mine-{production['facts'].permit_no}", dt.timedelta(days=200))
    assert refused.value.status == RPCStatusCode.UNIMPLEMENTED
    assert await time_skipping_enabled(client) is True  # the test session's server is started with drill=True


async def test_simulate_advance_against_production_exits_non_zero_and_moves_nothing_even_with_the_old_variable_set(production):
    client, permit = production["client"], production["facts"].permit_no
    before = await cases.live_status(client, permit)
    env = clean_env(MINECASE_SIMULATION="true", MINECASE_TEMPORAL_ADDRESS=production["server"].address,
                    MINECASE_DATABASE_URL=production["url"])

    refused = await asyncio.to_thread(minecase, "simulate", "advance", "--days", "200", "--case", permit, env=env)
    assert refused.returncode == 2, refused.stderr
    assert "time can be advanced in a drill only" in refused.stderr
    assert "MINECASE_SIMULATION is retired" in refused.stderr

    # A case file tampered to say "drill" does not move production's clock either: the server refuses.
    with Session(production["engine"]) as session:
        row = session.get(DeploymentRecord, 1)
        row.kind = DRILL
        session.add(row)
        session.commit()
    refused = await asyncio.to_thread(minecase, "simulate", "advance", "--days", "200", "--case", permit, env=env)
    assert refused.returncode == 2, refused.stderr
    assert "time can be advanced in a drill only" in refused.stderr

    after = await cases.live_status(client, permit)
    assert after.business_time == before.business_time
    assert after.stage == before.stage and after.deadlines == before.deadlines


async def test_simulate_advance_moves_a_case_of_a_drill(client, engine, worker, new_case, tmp_path):
    drill = await new_case()
    drill_casefile = f"sqlite:///{tmp_path / 'drill.db'}"
    drill_engine = open_casefile(drill_casefile, upgrade=True)
    record_deployment(drill_engine, DRILL, "test")
    drill_engine.dispose()
    before = await drill.clock()
    env = clean_env(MINECASE_TEMPORAL_ADDRESS=client.service_client.config.target_host,
                    MINECASE_DATABASE_URL=drill_casefile)
    moved = await asyncio.to_thread(minecase, "simulate", "advance", "--days", "30", "--case", drill.facts.permit_no, env=env)
    assert moved.returncode == 0, moved.stderr
    assert await drill.clock() - before >= dt.timedelta(days=30)


def test_the_deployment_kind_is_recorded_once_and_a_drill_is_refused_on_production_and_the_other_way_round(tmp_path):
    production = open_casefile(f"sqlite:///{tmp_path / 'production.db'}", upgrade=True)
    assert deployment_kind(production) is None
    assert record_deployment(production, PRODUCTION) == PRODUCTION
    assert record_deployment(production, PRODUCTION) == PRODUCTION
    with pytest.raises(DeploymentError, match="cannot run a drill"):
        record_deployment(production, DRILL)
    assert deployment_kind(production) == PRODUCTION

    drill = open_casefile(f"sqlite:///{tmp_path / 'drill.db'}", upgrade=True)
    record_deployment(drill, DRILL)
    with pytest.raises(DeploymentError, match="belongs to a drill"):
        record_deployment(drill, PRODUCTION)
    assert deployment_kind(drill) == DRILL

    earlier = open_casefile(f"sqlite:///{tmp_path / 'earlier.db'}", upgrade=True)  # an earlier release's, with cases
    now = dt.datetime.now(dt.UTC)
    with Session(earlier) as session:
        session.add(CaseRecord(permit_no="C3609230000000000000001", workflow_id="mine-C3609230000000000000001",
                               campaign="shanggao-2023", mine_name="矿", holder="人", township="泗溪镇", stage="registered",
                               path="undecided", registered_at=now, updated_at=now))
        session.commit()
    with pytest.raises(DeploymentError, match="not marked as a drill"):
        record_deployment(earlier, DRILL)
    assert deployment_kind(earlier) is None
    for engine in (production, drill, earlier):
        engine.dispose()


def test_minecase_up_refuses_a_drill_on_a_production_case_file_and_the_retired_variable_before_starting_anything(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    engine = open_casefile(f"sqlite:///{data / 'casefile.db'}", upgrade=True)
    record_deployment(engine, PRODUCTION, "test")
    engine.dispose()
    env = clean_env(MINECASE_DATA_DIR=str(data), MINECASE_TEMPORAL_PORT=str(free_port()))

    drill = minecase("up", "--demo", "--no-web", env=env, timeout=60)
    assert drill.returncode == 2 and "cannot run a drill" in drill.stderr, drill.stderr
    retired = minecase("up", "--no-web", env={**env, "MINECASE_SIMULATION": "true"}, timeout=60)
    assert retired.returncode == 2 and "MINECASE_SIMULATION is retired" in retired.stderr, retired.stderr
    seeded = minecase("up", "--seed", "--no-web", env=env, timeout=60)
    assert seeded.returncode == 2 and "drills only" in seeded.stderr, seeded.stderr
    assert not (data / "temporal.db").exists(), "no server was started"


async def test_the_desk_of_a_drill_shows_the_drills_simulated_date_and_production_shows_none(client, tmp_path):
    for kind in (DRILL, PRODUCTION):
        engine = open_casefile(f"sqlite:///{tmp_path / f'{kind}.db'}", upgrade=True)
        record_deployment(engine, kind, "test")
        ahead = dt.datetime(2031, 5, 20, 4, 0, tzinfo=dt.UTC)  # a case whose clock a drill has moved on
        with Session(engine) as session:
            session.add(CaseRecord(permit_no="C3609230000000000000002", workflow_id="mine-C3609230000000000000002",
                                   campaign="shanggao-2023", mine_name="矿", holder="人", township="泗溪镇", stage="rectifying",
                                   path="continue", registered_at=ahead, updated_at=ahead))
            session.commit()
        add_user(engine, "office", "correct-horse-9", "office")
        from api import create_app

        app = create_app(make_runtime(client, engine), secret_key="test-secret")
        async with desk_browser(app) as browser:
            assert (await browser.post("/login", data={"name": "office", "password": "correct-horse-9"})).status_code == 303
            board = await browser.get("/board")
        assert board.status_code == 200
        if kind == DRILL:
            assert "演练 drill · 模拟日期 2031-05-20" in board.text
        else:
            assert "演练 drill" not in board.text
        engine.dispose()
