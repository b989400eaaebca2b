"""The case file's schema is made and changed by its migrations (``casefile/migrations``), never by
``create_all``: a case file of the 2026-11-23 release is upgraded in place, the migrations' head is the
models, and commands refuse a case file that does not fit the code.

The tests on a fresh database run on SQLite, or on PostgreSQL with ``MINECASE_TEST_DATABASE=postgresql``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, MetaData, String, create_engine, inspect, text
from sqlmodel import SQLModel
from typer.testing import CliRunner

from casefile import holidays, notices, tables, users  # noqa: F401 - every table in the metadata
from casefile.db import (
    BASELINE_TABLES,
    _scripts,
    alembic_config,
    first_revision,
    head_revision,
    make_engine,
    schema_status,
    upgrade_database,
)
from casefile.users import authenticate
from cli.app import app
from tests.make_casefile_fixture import DUMP, EXPECTED, PASSWORD, USERS, reads

ROOT = Path(__file__).resolve().parent.parent


# -- the 2026-11-23 release's case file ------------------------------------------------------------


def load_previous_release(url: str, tmp_path: Path) -> None:
    """Put the 2026-11-23 case file (schema and rows) into the empty database at ``url``.

    SQLite: the dump itself. PostgreSQL: that release's tables as its ``create_all`` made them there
    (the first revision makes the very same DDL; then no ``alembic_version``), and the dump's rows."""
    dump = DUMP.read_text(encoding="utf-8")
    if url.startswith("sqlite"):
        connection = sqlite3.connect(url.removeprefix("sqlite:///"))
        connection.executescript(dump)
        connection.close()
        return
    source_file = tmp_path / "previous-release.db"
    connection = sqlite3.connect(source_file)
    connection.executescript(dump)
    connection.close()
    target = make_engine(url)
    with target.begin() as conn:
        command.upgrade(alembic_config(conn), first_revision())
        conn.execute(text("DROP TABLE alembic_version"))
    source = create_engine(f"sqlite:///{source_file}")
    old, new = MetaData(), MetaData()
    old.reflect(source)
    new.reflect(target)
    with source.connect() as src, target.begin() as dst:
        for name in sorted(BASELINE_TABLES):
            rows = [{k: v.replace(tzinfo=dt.UTC) if isinstance(v, dt.datetime) and v.tzinfo is None else v
                     for k, v in row._mapping.items()} for row in src.execute(old.tables[name].select())]
            if rows:
                dst.execute(new.tables[name].insert(), rows)
    source.dispose()
    target.dispose()


def contains(actual: Any, expected: Any, where: str = "") -> None:
    """``actual`` holds everything ``expected`` does (a later release may add columns, so keys)."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), where
        for key, value in expected.items():
            assert key in actual, f"{where}.{key} is gone"
            contains(actual[key], value, f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{where}: {len(expected)} items expected"
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            contains(a, e, f"{where}[{i}]")
    else:
        assert actual == expected, f"{where}: {actual!r} != {expected!r}"


def in_stable_order(found: dict[str, Any]) -> dict[str, Any]:
    """The orders SQL leaves open (no ORDER BY; NULLs first or last) made the same on every database."""
    for case in found["cases"].values():
        case["history"]["deadlines"].sort(key=lambda d: d["kind"])
    found["inbox"].sort(key=lambda t: t["id"])
    return found


def with_lights_counting_tasks(expected: dict[str, Any]) -> dict[str, Any]:
    """The 2026-11-23 release lit a case by its stage deadline alone; since issue 12 every open obligation counts,
    tasks included. Case 5 (joint review) has six review tasks overdue since 2030-12-27: red now, not ``none``,
    and so second on the board (after the overdue case 2) and one more red in 泗溪镇."""
    late = "C9999000000000000000005"
    expected["cases"][late]["row"][0]["light"] = "red"
    board = expected["board"]
    board["lights"]["red"] += 1
    board["lights"]["none"] -= 1
    town = next(t for t in board["townships"] if t["township"] == "泗溪镇")
    town["red"] += 1
    town["none"] -= 1
    row = next(c for c in board["cases"] if c["permit_no"] == late)
    row["light"] = "red"
    board["cases"] = [board["cases"][0], row, *(c for c in board["cases"][1:] if c is not row)]
    return expected


def test_a_case_file_of_the_2026_11_23_release_is_upgraded_in_place_and_every_case_reads_back(new_database_url, tmp_path):
    url = new_database_url()
    load_previous_release(url, tmp_path)
    engine = make_engine(url)
    assert schema_status(engine).state == "unversioned"

    done = upgrade_database(engine)

    assert (done.before, done.after, done.adopted) == (None, head_revision(), True)
    assert schema_status(engine).state == "current"
    expected = with_lights_counting_tasks(in_stable_order(json.loads(EXPECTED.read_text(encoding="utf-8"))))
    found = in_stable_order(reads(engine))
    assert sorted(found["cases"]) == sorted(expected["cases"]) and len(found["cases"]) == 6
    contains(found, expected)
    kinds = {d["kind"] for case in found["cases"].values() for d in case["documents"]}
    assert {"closure_decision", "referral", "cancellation_notice"} <= kinds
    assert sum(len(case["history"]["timeline"]) for case in found["cases"].values()) == 145
    assert [s["year"] for s in found["schedules"]] == [2030, 2031]
    for user in USERS:  # the Argon2 hashes came through: every sign-in still works
        assert authenticate(engine, user["name"], PASSWORD) is not None
    engine.dispose()


def test_the_first_revision_creates_the_schema_the_2026_11_23_release_made(tmp_path):
    """SQLite keeps each table's and index's CREATE statement: they are the same, to the character."""
    def schema(file: Path) -> list[tuple]:
        connection = sqlite3.connect(file)
        rows = sorted(connection.execute("SELECT type, name, tbl_name, sql FROM sqlite_master "
                                         "WHERE name NOT LIKE '%alembic_version%'"))
        connection.close()
        return rows

    released = tmp_path / "released.db"
    load_previous_release(f"sqlite:///{released}", tmp_path)
    migrated = tmp_path / "migrated.db"
    engine = make_engine(f"sqlite:///{migrated}")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), first_revision())
    engine.dispose()
    assert schema(migrated) == schema(released)
    assert {row[1] for row in schema(released) if row[0] == "table"} == BASELINE_TABLES


# -- the migrations and the models -----------------------------------------------------------------


def differences(engine, metadata: MetaData) -> list:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
        return compare_metadata(context, metadata)


def test_the_migrations_at_head_make_exactly_the_tables_of_the_models(new_database_url):
    """The guard that every table change ships with its migration: autogenerate finds nothing to do
    between a case file upgraded to head and ``casefile/tables.py``, ``holidays.py`` and ``users.py``.
    If it fails, write the migration: ``alembic revision --autogenerate -m ...`` (see README)."""
    engine = make_engine(new_database_url())
    upgrade_database(engine)
    assert differences(engine, SQLModel.metadata) == []
    engine.dispose()


def test_the_guard_sees_a_column_the_migrations_do_not_make(new_database_url):
    engine = make_engine(new_database_url())
    upgrade_database(engine)
    models = MetaData()
    for table in SQLModel.metadata.tables.values():
        table.to_metadata(models)
    models.tables["cases"].append_column(Column("village", String(), nullable=True))
    found = differences(engine, models)
    assert [(d[0], d[2], d[3].name) for d in found] == [("add_column", "cases", "village")]
    engine.dispose()


def test_the_migrations_form_one_line_with_one_head():
    """Two migrations written at the same time on the same parent would give two heads: merge them."""
    scripts = _scripts()
    assert len(scripts.get_heads()) == 1
    assert len(scripts.get_bases()) == 1 and scripts.get_base() == first_revision()


def test_an_empty_database_is_created_by_the_migrations(new_database_url):
    engine = make_engine(new_database_url())
    assert schema_status(engine).state == "missing"

    done = upgrade_database(engine)

    assert (done.before, done.after, done.adopted) == (None, head_revision(), False)
    assert set(inspect(engine).get_table_names()) == BASELINE_TABLES | {"alembic_version", "document_numbers", "urges",
                                                                        "desk_sessions", "notice_deliveries", "notice_reads",
                                                                        "notice_subscriptions", "deployment", "township_edits",
                                                                        "dossiers", "attachments", "attachment_links",
                                                                        "inspections", "problems", "bulletins", "funds", "oplog"}
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [head_revision()]
    engine.dispose()


def test_upgrading_twice_is_harmless(new_database_url):
    from casefile.users import add_user, list_users

    engine = make_engine(new_database_url())
    upgrade_database(engine)
    add_user(engine, "li", "s3cret-pass", "viewer")
    def columns() -> dict[str, list[tuple]]:
        found = inspect(engine)
        return {name: [(c["name"], repr(c["type"]), c["nullable"]) for c in found.get_columns(name)] for name in BASELINE_TABLES}

    tables_before = columns()

    again = upgrade_database(engine)

    assert (again.before, again.after, again.adopted) == (head_revision(), head_revision(), False)
    assert columns() == tables_before
    assert [u.name for u in list_users(engine)] == ["li"]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
    engine.dispose()


def test_processes_starting_together_upgrade_the_case_file_once(new_database_url):
    """The worker and the web start at the same time: one creates the tables, the others wait and find
    them at head (SQLite's write lock, PostgreSQL's advisory lock)."""
    url = new_database_url()
    script = ("import sys; from casefile.db import make_engine, upgrade_database; "
              "done = upgrade_database(make_engine(sys.argv[1])); print(done.before, done.after)")
    processes = [subprocess.Popen([sys.executable, "-c", script, url], cwd=ROOT, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(4)]
    results = [p.communicate(timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0] * 4, [err for _, err in results]
    lines = sorted(out.strip() for out, _ in results)
    head = head_revision()
    assert lines == sorted([f"None {head}"] + [f"{head} {head}"] * 3)
    engine = make_engine(url)
    assert schema_status(engine).state == "current"
    engine.dispose()


# -- entry points ------------------------------------------------------------------------------------


@pytest.fixture
def minecase(tmp_path, monkeypatch):
    """``minecase ARGS…`` with its case file at ``tmp_path/data/casefile.db``."""
    monkeypatch.setenv("MINECASE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("MINECASE_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env
    (tmp_path / "data").mkdir()
    runner = CliRunner()
    return lambda *args: runner.invoke(app, [str(a) for a in args])


def refused_in_one_line(result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stdout == "" and len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith("错误 error:") and "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


def test_a_command_on_a_case_file_older_than_the_code_says_so_until_it_is_upgraded(minecase, tmp_path):
    load_previous_release(f"sqlite:///{tmp_path / 'data' / 'casefile.db'}", tmp_path)
    for args in (["list"], ["history", "C9999000000000000000003"], ["inbox"], ["users", "list"],
                 ["calendar", "show", "2030"], ["deadline", "2030-04-01", "--months", "6"]):
        refused_in_one_line(minecase(*args), "较旧", "older than this minecase", "minecase db upgrade", "minecase up")
    assert "2026-11-23" in minecase("db", "current").stdout

    upgraded = minecase("db", "upgrade")
    assert upgraded.exit_code == 0 and f"2026-11-23 → {head_revision()}" in upgraded.stdout

    listed = minecase("list", "--json")
    assert listed.exit_code == 0 and len(json.loads(listed.stdout)) == 6
    history = json.loads(minecase("history", "C9999000000000000000003", "--json").stdout)
    assert history["case"]["stage"] == "production_resumed" and len(history["timeline"]) == 41
    assert json.loads(minecase("db", "current", "--json").stdout)["state"] == "current"


def test_a_command_on_a_missing_case_file_says_so_and_creates_nothing(minecase, tmp_path):
    refused_in_one_line(minecase("list"), "尚未建立", "no tables yet", "minecase db upgrade")
    refused_in_one_line(minecase("users", "add", "li", "--role", "viewer", "--password", "s3cret-pass"), "no tables yet")
    assert not (tmp_path / "data" / "casefile.db").exists()
    assert json.loads(minecase("db", "current", "--json").stdout)["state"] == "missing"


def test_a_case_file_newer_than_the_code_is_refused_by_commands_and_left_alone_by_upgrade(minecase, tmp_path):
    file = tmp_path / "data" / "casefile.db"
    assert minecase("db", "upgrade").exit_code == 0
    connection = sqlite3.connect(file)
    connection.execute("UPDATE alembic_version SET version_num = 'f00dfeed0001'")
    connection.commit()
    connection.close()
    refused_in_one_line(minecase("list"), "f00dfeed0001", "newer than this minecase")
    refused_in_one_line(minecase("db", "upgrade"), "f00dfeed0001", "upgrade minecase")
    connection = sqlite3.connect(file)
    assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [("f00dfeed0001",)]
    connection.close()


def test_the_worker_upgrades_the_case_file_when_it_starts(server, tmp_path):
    """``python worker.py`` (as ``minecase worker`` and ``minecase up``) on a 2026-11-23 case file."""
    file = tmp_path / "casefile.db"
    load_previous_release(f"sqlite:///{file}", tmp_path)
    env = {**os.environ, "MINECASE_TEMPORAL_ADDRESS": server.address, "MINECASE_DATABASE_URL": f"sqlite:///{file}",
           "MINECASE_TASK_QUEUE": "minecase-tests-migrations", "MINECASE_LOG_FORMAT": "json"}
    log = tmp_path / "worker.log"
    with open(log, "wb") as out:
        worker = subprocess.Popen([sys.executable, str(ROOT / "worker.py")], cwd=ROOT, env=env,
                                  stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
    engine = make_engine(f"sqlite:///{file}")
    try:
        give_up = time.monotonic() + 60
        while "worker running" not in log.read_text() and worker.poll() is None and time.monotonic() < give_up:
            time.sleep(0.1)
        assert worker.poll() is None and "worker running" in log.read_text(), log.read_text()
        assert schema_status(engine).state == "current"
        assert "case file upgraded" in log.read_text()
    finally:
        worker.kill()
        worker.wait(timeout=10)
        engine.dispose()


def test_the_operation_log_migration_adds_its_table_and_takes_it_away_again(new_database_url):
    """Issue 18 item 7: revision 7d2b9e4c1a60 makes ``oplog`` on the desk sessions' revision and its downgrade drops it."""
    engine = make_engine(new_database_url())
    upgrade_database(engine)
    columns = {c["name"] for c in inspect(engine).get_columns("oplog")}
    assert {"at", "channel", "action", "method", "path", "user_name", "role", "unit", "address", "permit_no", "outcome",
            "status", "reason_zh", "reason_en"} <= columns
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "e3a7c51d0b92")
    assert "oplog" not in inspect(engine).get_table_names()
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    assert "oplog" in inspect(engine).get_table_names()
    engine.dispose()
