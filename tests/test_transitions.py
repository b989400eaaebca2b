"""The statute's path is one table (``models/transitions.py``), and the rules follow it exactly.

Pure stories drive a case down every branch of 004 — no server, no database — and collect every
(event, from, to) the timeline records. Each must be a row of the table (``record`` refuses any
other), and each row must be reached by some story: a row nobody can reach is a defect of the
table. The generated diagram in ``docs/stages.md`` and the README must be today's table, and every
clause must name an item of 004.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from models.case import HANDLERS
from models.clauses import Clause
from models.errors import TransitionNotDeclared
from models.kinds import DeadlineKind, EventKind, TaskKind
from models.messages import (
    ApplyCancellation,
    ApplyResumeProduction,
    DecideDisposition,
    DecideRenewal,
    ProposeDisposition,
    RecordReview,
    ReportWorksDone,
    ServeDocument,
    SubmitDocument,
)
from models.roles import Role
from models.stages import Stage
from models.transitions import (
    TRANSITIONS,
    Transition,
    markdown,
    mermaid,
    transition_for,
)
from models.verbs import VERB_LIST, VERBS
from tests.stories import COUNTY, HOLDER, POLICY, TOWNSHIP, Story
from workflows.case_workflow import MineCaseWorkflow

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
SEED_004 = ROOT.parent / "shared" / "seeds" / "004_570b7137c59999e4.txt"

# -- the stories: every branch of 004 ------------------------------------------------------------


def continue_path_to_production() -> Story:
    story = Story()
    story.act(ProposeDisposition(actor=TOWNSHIP, path="continue", reason="资源储量尚可"))
    story.act(DecideDisposition(actor=COUNTY, approve=False, comment="补充材料"))
    story.to_disposition("continue")
    story.rectify_everything()
    story.decide(TaskKind.joint_review, approved=False)
    story.decide(TaskKind.joint_review)
    story.act(DecideRenewal(actor=COUNTY, approve=False, comment="再议"))
    story.decide(TaskKind.joint_review)
    story.act(DecideRenewal(actor=COUNTY, approve=True))
    story.decide(TaskKind.permit_renewal, approved=False)
    story.decide(TaskKind.permit_renewal)
    story.act(ApplyResumeProduction(actor=HOLDER))
    story.decide(TaskKind.resume_review)
    story.decide(TaskKind.supply_restore)
    assert story.case.stage == Stage.production_resumed
    return story


def continue_path_done_in_the_extension() -> Story:
    story = Story()
    story.to_disposition("continue")
    story.until(Stage.rectifying_extended)
    story.rectify_everything()
    assert story.case.stage == Stage.joint_review
    return story


def continue_path_unused_zones_overdue() -> Story:
    story = Story(unused_bare_area_mu=2.0)
    story.to_disposition("continue")
    story.later(400)  # the unused zones' fixed date passes: taken over by the township and referred
    assert EventKind.works_taken_over in [e.kind for e in story.case.timeline]
    return story


def continue_path_deemed_abandoned() -> Story:
    story = Story()
    story.to_disposition("continue")
    story.until(Stage.deemed_abandoned)
    story.act(ApplyCancellation(actor=TOWNSHIP))
    story.decide(TaskKind.permit_cancellation)
    assert story.case.stage == Stage.closed
    return story


def cancel_path_restored_and_cancelled() -> Story:
    story = Story()
    story.to_disposition("cancel")
    story.act(ReportWorksDone(actor=HOLDER))  # works reported before the plan is approved
    story.act(SubmitDocument(actor=HOLDER, item="restoration_plan"))
    story.decide(TaskKind.plan_review)
    assert story.case.stage == Stage.cancel_acceptance
    story.decide(TaskKind.initial_inspection)
    story.decide(TaskKind.field_acceptance)
    story.decide(TaskKind.expert_certificate, approved=False)
    assert story.case.stage == Stage.restoring
    story.act(ReportWorksDone(actor=HOLDER))
    story.decide(TaskKind.initial_inspection)
    story.decide(TaskKind.field_acceptance)
    story.decide(TaskKind.expert_certificate)
    story.act(ApplyCancellation(actor=HOLDER))
    story.decide(TaskKind.permit_cancellation, approved=False)
    story.decide(TaskKind.permit_cancellation)
    story.until(Stage.closed)
    return story


def cancel_path_plan_first_then_acceptance_fails() -> Story:
    story = Story()
    story.to_disposition("cancel")
    story.act(SubmitDocument(actor=HOLDER, item="restoration_plan"))
    story.decide(TaskKind.plan_review)
    assert story.case.stage == Stage.restoring
    story.act(ReportWorksDone(actor=HOLDER))
    story.decide(TaskKind.initial_inspection)
    story.decide(TaskKind.field_acceptance)
    story.decide(TaskKind.expert_certificate)
    story.until(Stage.deemed_abandoned)  # no application within the window: notice, deemed abandoned
    return story


def cancel_path_no_plan_fails_acceptance() -> Story:
    story = Story()
    story.to_disposition("cancel")
    story.act(ReportWorksDone(actor=HOLDER))
    story.decide(TaskKind.initial_inspection)
    story.decide(TaskKind.field_acceptance)
    story.decide(TaskKind.expert_certificate, approved=False)
    assert story.case.stage == Stage.closure_ordered
    return story


def cancel_path_works_overdue_taken_over() -> Story:
    story = Story()
    story.to_disposition("cancel")
    story.until(Stage.deemed_abandoned)  # plan overdue, works overdue: takeover, referral, notice
    story.act(ReportWorksDone(actor=TOWNSHIP))
    story.decide(TaskKind.field_acceptance)
    story.decide(TaskKind.expert_certificate, approved=False)
    story.act(ApplyCancellation(actor=TOWNSHIP))
    story.decide(TaskKind.permit_cancellation)
    assert story.case.stage == Stage.cancelled
    story.act(ReportWorksDone(actor=TOWNSHIP))
    story.decide(TaskKind.field_acceptance)
    story.decide(TaskKind.expert_certificate)
    assert story.case.stage == Stage.post_care
    return story


def takeover_overdue_and_accepted_before_cancellation() -> Story:
    story = Story()
    story.to_disposition("cancel")
    story.until(Stage.deemed_abandoned)
    story.later(400)  # the township misses its own date too
    story.act(ReportWorksDone(actor=TOWNSHIP))
    story.decide(TaskKind.field_acceptance)
    story.decide(TaskKind.expert_certificate)
    story.act(ApplyCancellation(actor=TOWNSHIP))
    story.decide(TaskKind.permit_cancellation)
    assert story.case.stage == Stage.post_care
    return story


def never_produced_closed() -> Story:
    story = Story(never_produced=True)
    story.to_disposition("cancel")
    assert story.case.stage == Stage.awaiting_cancel_application
    story.act(ApplyCancellation(actor=HOLDER))
    story.decide(TaskKind.permit_cancellation)
    assert story.case.stage == Stage.closed
    return story


def reviews_overdue_and_recomputed() -> Story:
    story = Story()
    story.to_disposition("continue")
    story.act(SubmitDocument(actor=HOLDER, item=POLICY.approval_items[0].code))
    story.later(60)  # the department does not act: escalated
    tracked = story.case.deadlines["rectification"]
    assert tracked.deadline is not None
    story.case.recomputed("deadline:rectification", tracked.deadline.model_copy(update={"provisional": True}), story.now)
    from models.messages import MoveDeadline

    story.act(MoveDeadline(actor=COUNTY, kind="rectification", new_last_day=story.now.date() + dt.timedelta(days=400),
                           meeting="县政府专题会议纪要〔2030〕1号", reason="汛期"))
    return story


def _decide(story: Story, consequence: str, approved: bool = True) -> None:
    task = next(t for t in story.open(TaskKind.consequence_decision) if t.proposal and t.proposal.consequence == consequence)
    actor = COUNTY if task.assignee_role == Role.county else TOWNSHIP
    story.act(RecordReview(actor=actor, task_id=task.id, approved=approved, comment="" if approved else "未送达"))


def due_process_consequence_declined() -> Story:
    story = Story(due_process=True)
    story.to_disposition("continue")
    story.later(200)
    _decide(story, "grant_extension", approved=False)
    assert story.case.stage == Stage.rectifying
    return story


def due_process_extension_and_deemed_abandonment() -> Story:
    story = Story(due_process=True)
    story.to_disposition("continue")
    story.later(200)
    _decide(story, "grant_extension")
    notice = next(d for d in story.case.documents if d.kind == "extension_notice")
    story.act(ServeDocument(actor=COUNTY, document_id=notice.id, method="direct"))
    story.later(120)
    _decide(story, "deemed_abandonment")
    assert story.case.stage == Stage.deemed_abandoned
    return story


def due_process_filed_in_time_then_corrected() -> Story:
    story = Story(due_process=True)
    story.to_disposition("continue")
    for item in POLICY.approval_items:
        story.act(SubmitDocument(actor=HOLDER, item=item.code))
    story.act(ReportWorksDone(actor=HOLDER))
    story.later(200)
    story.decide(TaskKind.document_review, approved=False)
    story.decide(TaskKind.joint_determination, approved=False)
    for item in POLICY.approval_items:
        story.act(SubmitDocument(actor=HOLDER, item=item.code))
    return story


def due_process_joint_determination_rejected_by_the_county_then_approved() -> Story:
    story = Story(due_process=True)
    story.to_disposition("continue")
    story.act(SubmitDocument(actor=HOLDER, item="process_equipment"))
    story.decide(TaskKind.joint_determination)
    story.decide(TaskKind.determination_approval, approved=False)
    story.act(SubmitDocument(actor=HOLDER, item="process_equipment"))
    for item in POLICY.approval_items:
        if item.code != "process_equipment":
            story.act(SubmitDocument(actor=HOLDER, item=item.code))
    story.decide(TaskKind.document_review)
    story.act(ReportWorksDone(actor=HOLDER))
    story.decide(TaskKind.initial_inspection)
    story.decide(TaskKind.field_acceptance)
    story.decide(TaskKind.joint_determination)
    assert story.case.stage == Stage.rectifying  # the county has not yet approved the determination
    story.decide(TaskKind.determination_approval)
    assert story.case.stage == Stage.joint_review
    return story


def due_process_unused_zones_reported_then_taken_over_and_accepted() -> Story:
    story = Story(due_process=True, unused_bare_area_mu=2.0)
    story.to_disposition("continue")
    story.act(ReportWorksDone(actor=HOLDER, scope="unused_zones"))
    story.decide(TaskKind.unused_zone_inspection, approved=False)
    story.later(130)  # their date passes with the works rejected: takeover and referral proposed
    _decide(story, "takeover")
    story.act(ReportWorksDone(actor=TOWNSHIP, scope="unused_zones"))
    story.decide(TaskKind.unused_zone_acceptance)
    assert story.case.unused_zone_works == "accepted" and story.case.stage == Stage.rectifying
    return story


def due_process_cancel_notice_published() -> Story:
    story = Story(due_process=True)
    story.to_disposition("cancel")
    story.later(200)
    _decide(story, "cancellation_notice")
    notice = next(d for d in story.case.documents if d.kind == "cancellation_notice")
    story.act(ServeDocument(actor=COUNTY, document_id=notice.id, method="announcement", url="http://example.gov.cn/1"))
    assert story.case.stage == Stage.deemed_abandoned
    return story


def due_process_filing_recorded_late() -> Story:
    story = Story(due_process=True)
    story.to_disposition("continue")
    last_day = story.case.deadlines[DeadlineKind.rectification].deadline.last_day
    story.later(200)  # the six months ran out with nothing recorded: the 3 months are proposed
    filed_on = last_day - dt.timedelta(days=10)
    for item in POLICY.approval_items:
        story.record_late(SubmitDocument(actor=HOLDER, item=item.code, on=filed_on))
    story.record_late(ReportWorksDone(actor=HOLDER, on=filed_on))
    assert not story.open(TaskKind.consequence_decision)
    return story


STORIES: list[Callable[[], Story]] = [
    continue_path_to_production, continue_path_done_in_the_extension, continue_path_unused_zones_overdue,
    continue_path_deemed_abandoned,
    cancel_path_restored_and_cancelled, cancel_path_plan_first_then_acceptance_fails, cancel_path_no_plan_fails_acceptance,
    cancel_path_works_overdue_taken_over, takeover_overdue_and_accepted_before_cancellation, never_produced_closed,
    reviews_overdue_and_recomputed, due_process_consequence_declined, due_process_extension_and_deemed_abandonment,
    due_process_filed_in_time_then_corrected, due_process_cancel_notice_published,
    due_process_joint_determination_rejected_by_the_county_then_approved,
    due_process_unused_zones_reported_then_taken_over_and_accepted, due_process_filing_recorded_late,
]


@pytest.fixture(scope="module")
def recorded() -> set[tuple[EventKind, Stage, Stage]]:
    seen: set[tuple[EventKind, Stage, Stage]] = set()
    for story in STORIES:
        seen |= story().triples()
    return seen


def _matches(row: Transition, triple: tuple[EventKind, Stage, Stage]) -> bool:
    event, source, target = triple
    if event != row.event or (row.from_ is not None and source not in row.from_):
        return False
    return target == (row.to or source)


# -- the table -------------------------------------------------------------------------------------


def test_every_stage_change_the_rules_make_is_a_row_of_the_table(recorded):
    undeclared = [t for t in recorded if not any(_matches(row, t) for row in TRANSITIONS)]
    assert not undeclared


def test_every_row_of_the_table_is_reached_by_a_story_of_the_plan(recorded):
    unreached = [row for row in TRANSITIONS if not any(_matches(row, t) for t in recorded)]
    assert not unreached, "\n".join(f"{r.event.value}: {r.from_} -> {r.to}" for r in unreached)


def test_a_stage_change_the_table_does_not_declare_is_refused():
    with pytest.raises(TransitionNotDeclared):
        transition_for(EventKind.permit_renewed, Stage.registered, Stage.renewed)


def test_only_the_timeline_writes_a_cases_stage():
    """``record`` (models/case/timeline.py) is the only place that assigns ``.stage`` in the rules."""
    writers = []
    for path in sorted((ROOT / "models").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, ast.AugAssign | ast.AnnAssign):
                targets = [node.target]
            else:
                targets = []
            for target in targets:
                for leaf in ast.walk(target):
                    if isinstance(leaf, ast.Attribute) and leaf.attr == "stage":
                        writers.append(f"{path.relative_to(ROOT)}:{leaf.lineno}")
    assert writers == [w for w in writers if w.startswith("models/case/timeline.py:")] and len(writers) == 1


def test_each_event_has_rows_and_the_event_kinds_have_no_orphans():
    assert {row.event for row in TRANSITIONS} == set(EventKind)


def test_rows_of_one_event_never_overlap():
    """From one stage, one event leads to one stage: the table is deterministic."""
    for stage in Stage:
        for event in EventKind:
            targets = {row.to or stage for row in TRANSITIONS
                       if row.event == event and (row.from_ is None or stage in row.from_) and row.to is not None}
            stays = any(row.event == event and (row.from_ is None or stage in row.from_) and row.to is None for row in TRANSITIONS)
            assert len(targets) + stays <= 2 or event in (EventKind.closure_ordered, EventKind.acceptance_failed)


def test_the_stage_diagram_in_the_docs_is_generated_from_the_table():
    assert (ROOT / "docs" / "stages.md").read_text(encoding="utf-8") == markdown(), \
        "run: python -m models.transitions > docs/stages.md"


def test_the_readmes_stage_diagram_is_the_tables():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```mermaid\n(.*?)\n```", readme, re.S)
    assert block is not None and block.group(1) == mermaid()


# -- clauses and verbs -------------------------------------------------------------------------------

CHINESE_NUMERALS = "一二三四五六七八九十"


def _items_of_004() -> dict[str, set[int]]:
    """Section numeral → the item numbers it has (``1．`` or ``（一）`` at the start of a line)."""
    text = SEED_004.read_text(encoding="utf-8")
    sections: dict[str, set[int]] = {}
    current = None
    for line in text.splitlines():
        line = line.strip()
        if (heading := re.match(rf"^([{CHINESE_NUMERALS}])、", line)):
            current = heading.group(1)
            sections[current] = set()
        elif current and (item := re.match(r"^(?:\[bookmark: \w+\])?(\d+)[．.]", line)):
            sections[current].add(int(item.group(1)))
        elif current and (item := re.match(rf"^（([{CHINESE_NUMERALS}])）", line)):
            sections[current].add(CHINESE_NUMERALS.index(item.group(1)) + 1)
    return sections


@pytest.mark.skipif(not SEED_004.exists(), reason="the seeds are beside the project in ../shared")
def test_every_clause_names_a_section_and_item_of_the_plan():
    items = _items_of_004()
    for clause in Clause:
        if clause is Clause.calendar:
            continue
        assert clause.section in items, clause
        if clause.item is not None:
            assert clause.item in items[clause.section], clause


def test_every_verb_has_one_handler_and_one_workflow_update_of_its_name():
    assert set(HANDLERS) == set(VERBS)
    for verb in VERB_LIST:
        update = getattr(MineCaseWorkflow, verb.name)
        assert getattr(update, "__temporal_update_definition", None) is not None or callable(update)
        assert verb.roles and verb.label_zh and verb.label_en


def test_a_verb_sent_by_a_role_it_is_not_for_is_refused_before_its_rule():
    story = Story()
    before = story.case.model_dump()
    from models.errors import WrongRole

    with pytest.raises(WrongRole):
        story.case.handle(DecideDisposition(actor=HOLDER, approve=True), story.now)
    assert story.case.model_dump() == before
