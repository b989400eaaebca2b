"""One real Temporal dev server (SQLite file, started as a drill: time skipping enabled) and one worker for the test
session; one SQLite case file. Each test opens its own cases, and each case has its own virtual
clock, so tests do not disturb each other."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import pytest_asyncio

from casefile.db import open_casefile
from casefile.holidays import parse_schedule_file, save_schedule
from runtime.temporal import DevServer, connect, free_port
from tests.databases import BACKEND, PostgresCluster
from tests.sealing import sealed

# The desk's fixtures (staff, app, people, new_case) for the API, role and web tests.
pytest_plugins = ["tests.api_helpers"]

DATA = Path(__file__).parent / "data"
TASK_QUEUE = "minecase-tests"


@pytest.fixture(scope="session")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("minecase")


@pytest.fixture(scope="session")
def postgres():
    if BACKEND != "postgresql":
        yield None
        return
    cluster = PostgresCluster()
    cluster.start()
    yield cluster
    cluster.remove()


@pytest.fixture
def new_database_url(postgres, tmp_path):
    """A fresh, empty case file: a SQLite file, or a new database in the test PostgreSQL cluster."""
    counter = iter(range(1000))
    return lambda: postgres.new_database() if postgres else f"sqlite:///{tmp_path / f'casefile-{next(counter)}.db'}"


@pytest.fixture(scope="session")
def engine(workdir, postgres):
    # The schema comes from the migrations, as in the product (minecase up, the worker).
    engine = open_casefile(postgres.new_database() if postgres else f"sqlite:///{workdir / 'casefile.db'}", upgrade=True)
    for name in ("holidays-2030-test.json", "holidays-2031-test.json"):
        save_schedule(engine, parse_schedule_file(DATA / name))
    yield engine
    engine.dispose()


@pytest_asyncio.fixture(scope="session")
async def server(workdir):
    server = DevServer(db_file=workdir / "temporal.db", port=free_port(), log_file=workdir / "temporal.log", drill=True)
    await server.start()
    yield server
    server.stop()


@pytest_asyncio.fixture(scope="session")
async def client(server):
    return await connect(server.address, data_converter=sealed())


@pytest_asyncio.fixture(scope="session")
async def worker(client, engine):
    from worker import build_worker

    worker = build_worker(client, engine, TASK_QUEUE, ThreadPoolExecutor(max_workers=8))
    task = asyncio.create_task(worker.run())
    yield worker
    await worker.shutdown()
    await asyncio.gather(task, return_exceptions=True)


@pytest.fixture
def minecase(server, engine, monkeypatch, tmp_path):
    """``await minecase(ARGS…)``: run the ``minecase`` command against the session's server and case file, in a thread
    of its own (the command runs its own event loop while the test's keeps the worker running); the runner's result."""
    from typer.testing import CliRunner

    from cli.app import app as cli_app

    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("MINECASE_TEMPORAL_ADDRESS", server.address)
    monkeypatch.setenv("MINECASE_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("MINECASE_TASK_QUEUE", TASK_QUEUE)
    monkeypatch.delenv("MINECASE_USER", raising=False)
    runner = CliRunner()

    async def run(*args: str):
        return await asyncio.wait_for(asyncio.to_thread(runner.invoke, cli_app, list(args)), timeout=120)

    return run
