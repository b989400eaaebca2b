"""``minecase deadline`` and ``minecase calendar`` run for real, each test on its own database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "docs" / "examples" / "holidays-2027-example.json"


@pytest.fixture
def minecase(tmp_path, monkeypatch):
    """Run ``minecase ARGS…`` with its data in a fresh directory."""
    monkeypatch.setenv("MINECASE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("MINECASE_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0  # the case file, as 'minecase up' makes it
    return lambda *args: runner.invoke(app, [str(a) for a in args])


def deadline_json(minecase, *args) -> dict:
    result = minecase("deadline", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_six_months_from_1_april_2024_end_after_national_day_on_8_october(minecase):
    out = deadline_json(minecase, "2024-04-01", "--months", "6")
    assert out == {
        "start": "2024-04-01",
        "period": {"unit": "months", "amount": 6, "fixed_date": None, "roll_fixed": False},
        "last_day": "2024-10-08",
        "overdue_from": "2024-10-09T00:00:00+08:00",
        "provisional": False,
        "provisional_reason": None,
        "moved_from": "2024-10-01",
        "move_reason": "2024-10-01 国庆节 National Day (法定休假日 statutory rest day)",
    }


def test_six_months_from_31_august_2023_end_on_the_last_day_of_february_2024(minecase):
    out = deadline_json(minecase, "2023-08-31", "--months", "6")
    assert (out["last_day"], out["moved_from"], out["provisional"]) == ("2024-02-29", None, False)
    assert out["overdue_from"] == "2024-03-01T00:00:00+08:00"


def test_the_human_output_gives_the_date_then_why_it_moved_and_that_it_is_provisional(minecase):
    result = minecase("deadline", "2026-08-06", "--months", "6")
    lines = result.stdout.splitlines()
    assert result.exit_code == 0
    assert lines[0] == "2027-02-09"  # Sat 6 Feb 2027 is 正月初一; 除夕 to 初三 (5–8 Feb) are statutory holidays
    assert any("moved from 2027-02-06" in line and "春节 Spring Festival" in line for line in lines)
    assert any(line.startswith("暂定 / provisional:") and "2027" in line for line in lines)


def test_a_fixed_date_is_given_back_unmoved_unless_rolled(minecase):
    assert deadline_json(minecase, "--fixed", "2024-03-31")["last_day"] == "2024-03-31"
    rolled = deadline_json(minecase, "--fixed", "2024-03-31", "--roll-fixed")
    assert (rolled["start"], rolled["last_day"], rolled["moved_from"]) == (None, "2024-04-01", "2024-03-31")


def test_a_loaded_schedule_is_shown_and_used_for_deadlines(minecase):
    before = minecase("calendar", "show", "2027")
    assert before.exit_code == 0 and "provisional" in before.stdout and "暂定" in before.stdout
    assert deadline_json(minecase, "2026-08-06", "--months", "6")["provisional"] is True

    loaded = minecase("calendar", "load", EXAMPLE)
    assert loaded.exit_code == 0, loaded.output
    assert "2027" in loaded.stdout and "28" in loaded.stdout and "5 make-up working days" in loaded.stdout
    assert "ILLUSTRATIVE EXAMPLE" in loaded.stdout

    shown = minecase("calendar", "show", "2027")
    assert shown.exit_code == 0
    for text in ("loaded into the database", "春节 Spring Festival", "2027-02-05", "2027-10-09"):
        assert text in shown.stdout
    assert "ILLUSTRATIVE EXAMPLE, not the official State Council schedule" in shown.stdout

    out = deadline_json(minecase, "2026-08-06", "--months", "6")  # Sat 6 Feb 2027: example Spring Festival
    assert (out["last_day"], out["provisional"]) == ("2027-02-15", False)
    assert "春节 Spring Festival" in out["move_reason"]

    again = minecase("calendar", "load", EXAMPLE)
    assert again.exit_code == 0 and "replaced" in again.stdout


def test_a_year_not_loaded_is_shown_from_the_package(minecase):
    result = minecase("calendar", "show", "2024")
    assert result.exit_code == 0
    assert "chinese-calendar" in result.stdout and "国庆节 National Day" in result.stdout
    assert "2024-09-29" in result.stdout  # a make-up Sunday


BAD_SCHEDULE = {
    "year": 2027,
    "holidays": [
        {"name": "春节 Spring Festival", "from": "2027-02-05", "to": "2027-02-12", "workdays": ["2027-02-17"]}
    ],
}


@pytest.mark.parametrize(
    "args",
    [
        ["deadline", "2024-02-30", "--months", "6"],
        ["deadline", "2024/04/01", "--days", "3"],
        ["deadline", "2024-04-01", "--months", "-1"],
        ["deadline", "2024-04-01", "--months", "six"],
        ["deadline", "2024-04-01"],
        ["deadline", "2024-04-01", "--months", "6", "--days", "3"],
        ["deadline", "--months", "6"],
        ["deadline", "--fixed", "31 March"],
        ["calendar", "load", "missing.json"],
        ["calendar", "load", "bad.json"],
        ["calendar", "show", "twenty"],
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_code_2(minecase, tmp_path, args):
    (tmp_path / "bad.json").write_text(json.dumps(BAD_SCHEDULE), encoding="utf-8")
    result = minecase(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("错误 error:") and "Traceback" not in result.stderr


def test_a_bad_schedule_file_names_the_wrong_day_and_stores_nothing(minecase, tmp_path):
    (tmp_path / "bad.json").write_text(json.dumps(BAD_SCHEDULE), encoding="utf-8")
    result = minecase("calendar", "load", "bad.json")
    assert "2027-02-17" in result.stderr and "Saturday or Sunday" in result.stderr
    assert "provisional" in minecase("calendar", "show", "2027").stdout


def test_the_installed_entry_point_gives_the_same_answers(tmp_path):
    env = {**os.environ, "MINECASE_DATA_DIR": str(tmp_path)}
    env.pop("MINECASE_DATABASE_URL", None)

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "cli.app", *args], cwd=ROOT, env=env, capture_output=True, text=True
        )

    assert run("db", "upgrade").returncode == 0
    ok = run("deadline", "2024-04-01", "--months", "6")
    assert ok.returncode == 0 and ok.stdout.splitlines()[0] == "2024-10-08"
    bad = run("deadline", "2024-04-31", "--months", "6")
    assert bad.returncode == 2 and bad.stdout == "" and len(bad.stderr.splitlines()) == 1
