"""The default campaign is a choice (issue 11, item 4): the Shanggao plan's dates are all past, so no campaign is
assumed. Registering real cases without one is refused in one line that says how to choose; ``minecase up`` runs
its demo on the rolling example and says so; the Shanggao file stays exact to 004."""

from __future__ import annotations

import datetime as dt

from typer.testing import CliRunner

from cli.app import app
from cli.case_commands import demo_campaign
from models.policy import load_campaign
from runtime.settings import Settings


def test_no_campaign_is_configured_unless_one_is_chosen(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.delenv("MINECASE_CAMPAIGN", raising=False)
    assert Settings().campaign is None
    monkeypatch.setenv("MINECASE_CAMPAIGN", "shanggao-2023")
    assert Settings().campaign == "shanggao-2023"


def test_registering_a_mine_with_no_campaign_chosen_is_refused_in_one_line_saying_how_to_choose(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MINECASE_CAMPAIGN", raising=False)
    monkeypatch.setenv("MINECASE_TEMPORAL_ADDRESS", "127.0.0.1:1")  # refused before it would connect
    result = CliRunner().invoke(app, ["register", "C3609239999000000000999", "--name", "某矿（虚构）", "--holder", "某公司（虚构）",
                                      "--township", "泗溪镇"])
    assert result.exit_code == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert "未选择专项行动" in line and "--campaign" in line and "MINECASE_CAMPAIGN" in line and "shanggao-2023" in line


def test_the_demo_runs_on_the_rolling_example_when_no_campaign_is_chosen_and_says_so_in_one_line(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MINECASE_CAMPAIGN", raising=False)
    settings, notice = demo_campaign(Settings())
    assert settings.campaign == "rolling-example"
    assert notice is not None and "\n" not in notice
    assert "rolling-example" in notice and "MINECASE_CAMPAIGN=shanggao-2023" in notice and "campaigns/" in notice
    chosen, quiet = demo_campaign(Settings(campaign="shanggao-2023"))
    assert (chosen.campaign, quiet) == ("shanggao-2023", None)


def test_the_shanggao_campaign_keeps_the_dates_of_004():
    shanggao = load_campaign("shanggao-2023")
    assert shanggao.start == dt.date(2023, 10, 11) and shanggao.document_no == "上府办发〔2023〕35号"
    assert {f.code: f.date for f in shanggao.fixed_dates} == {
        "restoration_plan_due": dt.date(2023, 12, 31), "cancel_works_due": dt.date(2024, 3, 31),
        "unused_bare_area_due": dt.date(2024, 3, 31), "township_takeover_due": dt.date(2024, 5, 31)}


def test_a_campaign_with_its_own_start_keeps_it_and_a_rolling_one_starts_today():
    from operations.campaigns import campaign_policy

    today = dt.date(2026, 11, 27)
    assert campaign_policy("shanggao-2023", today).start == dt.date(2023, 10, 11)  # not the day of registration
    rolling = campaign_policy("rolling-example", today)
    assert rolling.start == today and rolling.fixed_day("restoration_plan_due") == dt.date(2027, 2, 27)
