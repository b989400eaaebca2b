"""Replay the recorded histories of the main branches against today's workflow code.

Cases run for months: a change to ``MineCaseWorkflow`` or ``models.case`` that makes the workflow
issue different commands for the same history (another activity, a timer at another point, a
different order) would break every case already running. The histories in ``tests/histories/``
were recorded from real runs (``python -m tests.record_histories``); if one no longer replays, the
change needs ``workflow.patched`` — do not simply re-record to make this green.

No server is needed: the replayer feeds each history to the workflow code in the SDK's sandbox. The workers run
the case workflow outside it (``sandboxed=False``, issue 16), so the replayer is given the sandbox as its runner for
unsandboxed workflows: a clock read, a random number or an I/O call reached by a recorded case fails its replay here.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner

from workflows.case_workflow import MineCaseWorkflow

HISTORIES = sorted((Path(__file__).parent / "histories").glob("*.json"))


def test_the_main_branches_of_a_case_have_recorded_histories():
    names = {p.stem for p in HISTORIES}
    assert {"continue_path_to_production_resumed", "extension_deemed_abandoned_cancelled"} <= names  # the 2023 rules
    assert {"due_process_extension_deemed_abandoned", "due_process_cancel_notice_published_taken_over"} <= names
    assert {"lawful_extension_served_late_deemed_abandoned", "lawful_cancel_notice_published_taken_over"} <= names
    assert {"informed_extension_served_late_deemed_abandoned", "informed_cancel_notice_published_taken_over"} <= names
    assert "certified_cancel_path_accepted_with_checklist" in names  # the acceptance standard and its certificate


@pytest.mark.parametrize("path", HISTORIES, ids=[p.stem for p in HISTORIES])
async def test_a_recorded_case_replays_on_todays_workflow_code(path: Path):
    text = await asyncio.to_thread(path.read_text, encoding="utf-8")
    history = WorkflowHistory.from_json(f"replay-{path.stem}", text)
    replayer = Replayer(workflows=[MineCaseWorkflow], data_converter=pydantic_data_converter,
                        unsandboxed_workflow_runner=SandboxedWorkflowRunner())
    result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None, f"{path.name} no longer replays: {result.replay_failure!r}"
