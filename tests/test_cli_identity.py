"""The command line acts as a user of the case file, never as the operating system's login (issue 12, item 6;
newcomer trial D16), and its tables keep identifiers whole at 80 columns and name units (D19).

Acting commands run in process against the test session's Temporal server and case file (as in
``test_cli_service.py``); the tables are read by a ``minecase`` process of its own at ``COLUMNS=80``."""

from __future__ import annotations

import asyncio
import datetime as dt
import getpass
import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from casefile.users import add_user
from cli.app import app
from models.messages import DecideDisposition, ProposeDisposition, SubmitDocument
from models.policy import load_campaign
from tests.conftest import TASK_QUEUE
from tests.drill import COUNTY, HOLDER, Drill, cst, township

PASSWORD = "minecase-test"


@pytest.fixture
def people(engine) -> None:
    add_user(engine, "zhao", PASSWORD, "township", township="泗溪镇", display_name="赵六", replace=True)
    add_user(engine, "qian", PASSWORD, "county", display_name="钱县长", replace=True)
    add_user(engine, "sun", PASSWORD, "department", department="natural_resources", display_name="孙科长", replace=True)


@pytest.fixture
def environment(server, engine, monkeypatch, tmp_path, people) -> dict[str, str]:
    monkeypatch.chdir(tmp_path)  # no stray .env
    env = {"MINECASE_TEMPORAL_ADDRESS": server.address, "MINECASE_TASK_QUEUE": TASK_QUEUE,
           "MINECASE_DATABASE_URL": engine.url.render_as_string(hide_password=False), "MINECASE_DATA_DIR": str(tmp_path / "data")}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("MINECASE_USER", raising=False)
    return env


@pytest.fixture
def minecase(environment):
    runner = CliRunner()

    async def run(*args: str, user: str | None = None) -> tuple[int, str, str]:
        env = {"MINECASE_USER": user} if user else {}
        result = await asyncio.wait_for(asyncio.to_thread(runner.invoke, app, list(args), env=env), timeout=120)
        return result.exit_code, result.stdout, result.stderr

    return run


@pytest.fixture
async def drill(client, engine, worker) -> Drill:
    drill = Drill(client, engine, TASK_QUEUE)
    drill.policy = load_campaign("rolling-example").resolve(dt.date(2030, 3, 1))
    return drill


async def test_an_act_typed_on_the_command_line_is_recorded_as_the_configured_user_and_never_as_the_os_login(
    drill, minecase, environment,
):
    await drill.register()
    permit = drill.facts.permit_no
    code, _, err = await minecase("propose", permit, "continue", "--reason", "储量尚可")
    assert code == 2 and "未设置操作人" in err and "MINECASE_USER" in err and "minecase users use" in err
    assert len(err.strip().splitlines()) == 1
    code, _, err = await minecase("propose", permit, "continue", "--reason", "储量尚可", user="nobody")
    assert code == 2 and "not an active user of the case file" in err
    code, _, err = await minecase("propose", permit, "continue", "--township", "南港镇", "--reason", "储量尚可", user="zhao")
    assert code == 2 and "does not act for 南港镇" in err
    code, _, err = await minecase("decide", permit, "--approve", user="zhao")
    assert code == 2 and "cannot do this" in err
    assert not await drill.events("disposition_proposed")  # nothing reached the case

    code, out, err = await minecase("users", "use", "zhao")
    assert code == 0 and "赵六（township · 泗溪镇）" in out
    code, _, err = await minecase("propose", permit, "continue", "--reason", "储量尚可")  # as the saved user
    assert code == 0, err
    proposed = await drill.event("disposition_proposed")
    assert (proposed.actor.role, proposed.actor.township, proposed.actor.name) == ("township", "泗溪镇", "赵六")
    code, _, err = await minecase("decide", permit, "--approve", "--by", "qian")  # --by names another user
    assert code == 0, err
    decided = await drill.event("continuation_approved")
    assert (decided.actor.role, decided.actor.name) == ("county", "钱县长")
    assert getpass.getuser() not in {e.actor.name for e in await drill.timeline()}  # no OS login anywhere


def minecase_process(environment: dict[str, str], *args: str, user: str) -> subprocess.CompletedProcess[str]:
    """``minecase ARGS…`` as a process of its own, its terminal 80 columns wide."""
    env = {**os.environ, **environment, "MINECASE_USER": user, "COLUMNS": "80", "TERM": "dumb", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-c", "from cli.app import main; main()", *args], env=env, capture_output=True,
                          text=True, timeout=120, check=False)


async def test_at_80_columns_the_lists_and_the_inbox_show_whole_permit_numbers_and_task_ids_and_name_the_units(
    drill, environment,
):
    await drill.register()
    permit = drill.facts.permit_no
    await drill.act("propose_disposition", ProposeDisposition(actor=township(), path="continue", reason="资源储量尚可"))
    await drill.advance_to(cst(2030, 4, 1, 10, 0))
    await drill.act("decide_disposition", DecideDisposition(actor=COUNTY, approve=True))
    await drill.act("submit_document", SubmitDocument(actor=HOLDER, item="development_plan"))
    task = await drill.open_task(kind="document_review")
    for _ in range(100):  # the case file follows the workflow
        inbox = await asyncio.to_thread(minecase_process, environment, "inbox", "--json", user="sun")
        if task.id in {i.get("task_id") for i in json.loads(inbox.stdout or "[]")}:
            break
        await asyncio.sleep(0.1)

    runs = {
        "inbox": await asyncio.to_thread(minecase_process, environment, "inbox", user="sun"),
        "county inbox": await asyncio.to_thread(minecase_process, environment, "inbox", user="qian"),
        "list": await asyncio.to_thread(minecase_process, environment, "list", "--township", "泗溪镇", "--page-size", "200", user="qian"),
        "status": await asyncio.to_thread(minecase_process, environment, "status", permit, user="qian"),
        "history": await asyncio.to_thread(minecase_process, environment, "history", permit, user="qian"),
    }
    for name, run in runs.items():
        assert run.returncode == 0, (name, run.stderr)
        assert max(len(line) for line in run.stdout.splitlines()) <= 80, (name, run.stdout)
    assert task.id in runs["inbox"].stdout  # the whole task id, on one line
    assert any("县自然资源局" in text for text in columns(runs["inbox"].stdout))  # who owes it, by its name
    assert "孙科长（department · natural_resources）" in runs["inbox"].stdout
    assert permit in runs["list"].stdout and permit in runs["status"].stdout and permit in runs["history"].stdout
    assert task.id in runs["status"].stdout and f"{permit}-D01" in runs["status"].stdout  # the notice the period awaits
    status_cells = columns(runs["status"].stdout)
    assert any("县自然资源局" in text for text in status_cells) and any("县政府" in text for text in status_cells)
    assert not any("natural_resources" in text or "government_office" in text for text in status_cells)  # names, not codes
    assert any("县政府" in text for text in columns(runs["list"].stdout))  # who owes the next item
    assert any("泗溪镇·乡镇干部" in text for text in columns(runs["history"].stdout))
    assert task.id.replace("-T03", "-T02") in runs["county inbox"].stdout  # the county's own: serving the notice


def columns(table: str) -> list[str]:
    """The text of each column of the tables printed, its wrapped lines joined (a cell's text reads whole again)."""
    texts: list[str] = []
    for line in table.splitlines():
        if not line.startswith("│"):
            continue
        for index, cell in enumerate(line.strip("│").split("│")):
            if index == len(texts):
                texts.append("")
            texts[index] += cell.strip()
    return texts


def test_an_acting_command_with_no_user_configured_is_refused_before_it_connects_and_says_how_to_set_one(
    engine, monkeypatch, tmp_path,
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MINECASE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MINECASE_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("MINECASE_TEMPORAL_ADDRESS", "127.0.0.1:1")
    monkeypatch.delenv("MINECASE_USER", raising=False)
    runner = CliRunner()
    for args in (["renewal", "C3609239999000000000001", "--approve"], ["inbox"],
                 ["serve", "C3609239999000000000001", "C3609239999000000000001-D01", "--method", "direct"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        (line,) = result.stderr.splitlines()
        assert "MINECASE_USER" in line and "minecase users use" in line and "cannot reach" not in line


async def test_advancing_a_drill_reports_its_progress_case_by_case(drill, minecase, monkeypatch, tmp_path):
    from casefile.db import open_casefile
    from casefile.deployment import DRILL, record_deployment
    from operations import cases

    await drill.register()
    permit = drill.facts.permit_no
    seen: list[tuple[int, int]] = []
    moved = await cases.simulate_advance(drill.client, True, 1, permit, progress=lambda done, total: seen.append((done, total)))
    assert moved == [f"mine-{permit}"] and seen == [(1, 1)]
    drill_casefile = f"sqlite:///{tmp_path / 'drill.db'}"  # the command reads the deployment's kind from its case file
    drill_engine = open_casefile(drill_casefile, upgrade=True)
    record_deployment(drill_engine, DRILL, "test")
    drill_engine.dispose()
    monkeypatch.setenv("MINECASE_DATABASE_URL", drill_casefile)
    code, out, err = await minecase("simulate", "advance", "--days", "1", "--case", permit)
    assert code == 0, err
    assert "moved 1 case(s) forward by 1 days" in out


async def test_a_ledger_imported_from_the_command_line_is_registered_by_the_office_user_configured(
    drill, minecase, engine, tmp_path,
):
    from sqlmodel import Session, select

    from casefile.tables import TimelineRecord
    from tests.api_helpers import in_case_file
    from tests.drill import new_permit_no

    add_user(engine, "clerk", PASSWORD, "office", display_name="周文书", replace=True)
    permits = [new_permit_no(), new_permit_no()]
    path = tmp_path / "台账.csv"
    path.write_text("采矿许可证号,矿山名称,采矿权人,所属林场、乡镇\n"
                    + "".join(f"{p},命令行导入矿{i}（虚构）,导入公司（虚构）,芦洲乡\n" for i, p in enumerate(permits)), encoding="utf-8")
    code, _, err = await minecase("ledger", "import", str(path), "--campaign", "rolling-example")
    assert code == 2 and "未设置操作人" in err  # no user: nothing registered
    code, _, err = await minecase("ledger", "import", str(path), "--campaign", "rolling-example", user="zhao")
    assert code == 2 and "import a ledger (the office does)" in err
    code, out, err = await minecase("ledger", "import", str(path), "--campaign", "rolling-example", user="clerk")
    assert code == 0, err
    assert "2 rows taken in" in err or "2 rows taken in" in out
    for permit in permits:
        await in_case_file(engine, permit)
        with Session(engine) as session:
            registered = session.exec(select(TimelineRecord).where(TimelineRecord.permit_no == permit,
                                                                   TimelineRecord.kind == "case_registered")).one()
        assert (registered.actor_role, registered.actor_name) == ("office", "周文书")
