"""Make the previous release's case file that ``tests/test_casefile_migrations.py`` upgrades.

    cd /work/main && timeout 600 python -m tests.make_casefile_fixture

Writes ``tests/data/casefile-2026-11-23.sql`` (a SQLite dump, ``sqlite3.Connection.iterdump``) and
``tests/data/casefile-2026-11-23.expected.json`` (what the project's read functions returned from it).

It was run once at commit 495a711 (2026-11-23), the last release whose ``make_engine`` created the
schema with ``SQLModel.metadata.create_all`` and kept no ``alembic_version``. The schema is created
here the same way, explicitly, so the file stands for a case file made by that release. Do not
regenerate it after a table change: the point of the fixture is that it is old. A new release that
needs an old case file of its own adds a new fixture beside this one.

The data comes from a real run of the product: its own dev server and worker in a temporary
directory, the five scenarios of ``tests/record_histories.py`` (continue path to production resumed;
extension missed, deemed abandoned, cancelled; a rejection, an escalation and a deadline moved by a
collective decision; the cancel path restored and cancelled; the cancel path with works overdue,
referral and cancellation notice), one case only registered, sign-ins of several roles, and the
fictional 2030/2031 holiday schedules.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import itertools
import json
import sqlite3
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
RELEASE = "2026-11-23"
DUMP = DATA / f"casefile-{RELEASE}.sql"
EXPECTED = DATA / f"casefile-{RELEASE}.expected.json"
QUEUE = "minecase-fixture"
TODAY = dt.date(2031, 6, 1)
"""The ``today`` the reads are asked with, so that days left and lights do not depend on the run."""

USERS = [
    {"name": "office", "role": "office"},
    {"name": "county", "role": "county", "display_name": "县政府"},
    {"name": "sixi", "role": "township", "township": "泗溪镇", "display_name": "泗溪镇干部"},
    {"name": "natres", "role": "department", "department": "natural_resources"},
    {"name": "holder1", "role": "holder", "permit_no": "C9999000000000000000001"},
    {"name": "expert", "role": "expert"},
    {"name": "viewer", "role": "viewer"},
]
PASSWORD = "fixture-pass"


def reads(engine) -> dict[str, Any]:
    """Everything the project's read functions give back from a case file, as JSON values."""
    from sqlmodel import Session, select

    from casefile.holidays import load_schedules
    from casefile.tables import CaseRecord
    from casefile.users import list_users
    from operations import cases
    from operations.reads import board, case_documents, document_html, find_cases, task_rows

    with Session(engine) as session:
        permits = list(session.exec(select(CaseRecord.permit_no).order_by(CaseRecord.permit_no)))
    out: dict[str, Any] = {"cases": {}}
    for permit in permits:
        documents = case_documents(engine, permit)
        out["cases"][permit] = {
            "history": cases.case_history(engine, permit),
            "row": find_cases(engine, today=TODAY, permit_no=permit),
            "documents": documents,
            "document_html_sha256": {
                d["id"]: hashlib.sha256(document_html(engine, permit, d["id"]).encode()).hexdigest() for d in documents
            },
        }
    out["board"] = board(engine, today=TODAY)
    out["inbox"] = task_rows(cases.inbox(engine), TODAY)
    out["schedules"] = [s.model_dump(mode="json") for s in load_schedules(engine)]
    out["users"] = [u.model_dump(mode="json", exclude={"password_hash", "created_at"}) for u in list_users(engine)]
    return out


async def make() -> None:
    from sqlmodel import SQLModel

    import tests.drill as drill_module
    from casefile import holidays, tables, users  # noqa: F401 - every table in the metadata
    from casefile.db import make_engine
    from casefile.holidays import parse_schedule_file, save_schedule
    from casefile.users import add_user
    from runtime.temporal import DevServer, connect, free_port
    from tests.drill import Drill
    from tests.record_histories import SCENARIOS
    from worker import build_worker

    serial = itertools.count(1)
    drill_module.new_permit_no = lambda: f"C9999{next(serial):018d}"  # the same permit numbers on every run

    with tempfile.TemporaryDirectory(prefix="minecase-fixture-") as tmp:
        work = Path(tmp)
        file = work / "casefile.db"
        engine = make_engine(f"sqlite:///{file}")
        SQLModel.metadata.create_all(engine)  # the previous release's schema, as its make_engine made it
        for year in (2030, 2031):
            save_schedule(engine, parse_schedule_file(DATA / f"holidays-{year}-test.json"))
        for user in USERS:
            add_user(engine, password=PASSWORD, **user)
        server = DevServer(db_file=work / "temporal.db", port=free_port(), log_file=work / "temporal.log", drill=True)
        await server.start()
        try:
            client = await connect(server.address)
            async with build_worker(client, engine, QUEUE, ThreadPoolExecutor(max_workers=8)):
                for name, scenario in SCENARIOS.items():
                    await scenario(Drill(client, engine, QUEUE))
                    print(f"{name}: done")
                drill = Drill(client, engine, QUEUE)
                await drill.register(drill_module.mine(township="南港镇", mine_name="只登记的矿山（虚构）"))
                from operations.cases import wait_settled

                await wait_settled(client, drill.workflow_id)
        finally:
            server.stop()
        expected = reads(engine)
        engine.dispose()

        connection = sqlite3.connect(file)
        DUMP.write_text("\n".join(connection.iterdump()) + "\n", encoding="utf-8")
        connection.close()
    EXPECTED.write_text(json.dumps(expected, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    counts = {permit: len(case["history"]["timeline"]) for permit, case in expected["cases"].items()}
    print(f"{DUMP}: {len(counts)} cases, timeline events {counts}")


if __name__ == "__main__":
    asyncio.run(make())
