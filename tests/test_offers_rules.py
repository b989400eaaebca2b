"""Forms by stage on the pure domain model (issue 12, item 2): a person is offered the verbs the rules accept
now, and only those (``models.case.offers.allowed_verbs``).

Each stage of a case told under due process (``Story(due_process=True)``) is looked at by every role: what is
offered is accepted by the rules, what is not offered is refused and changes nothing.
"""

from __future__ import annotations

import datetime as dt

from models.case.offers import accepted, allowed_verbs, submittable_items, trial_inputs
from models.case.state import CaseState
from models.kinds import Consequence, TaskKind
from models.messages import (
    ApplyCancellation,
    DecideDisposition,
    DecideRenewal,
    MoveDeadline,
    ProposeDisposition,
    RecordReview,
    SubmitDocument,
)
from models.roles import Actor, Department, Role
from models.stages import Stage
from models.verbs import VERB_LIST
from tests.rules_helpers import refused
from tests.stories import COUNTY, EXPERT, HOLDER, OFFICE, TOWNSHIP, Story
from tests.test_due_process_rules import continue_mine, decide

OTHER_TOWNSHIP = Actor(role=Role.township, name="乡镇干部", township="敖阳街道")
NATRES = Actor(role=Role.department, name="审批员", department=Department.natural_resources)
FORESTRY = Actor(role=Role.department, name="审批员", department=Department.forestry)
VIEWER = Actor(role=Role.viewer, name="查阅人")
EVERYONE = {"office": OFFICE, "county": COUNTY, "township": TOWNSHIP, "other township": OTHER_TOWNSHIP, "holder": HOLDER,
            "expert": EXPERT, "natres": NATRES, "forestry": FORESTRY, "viewer": VIEWER}


def offers(story: Story) -> dict[str, list[str]]:
    """Who is offered what now (those offered nothing left out); asking changes nothing."""
    before = story.case.model_dump()
    offered = {name: verbs for name, actor in EVERYONE.items() if (verbs := allowed_verbs(story.case, actor, story.now))}
    assert story.case.model_dump() == before
    return offered


def check_offers_are_exact(story: Story) -> None:
    """Every offered verb is accepted with an input built from the state; every other verb of each person's role is
    refused, whatever the input, and the refusal changes nothing."""
    case = story.case
    for name, actor in EVERYONE.items():
        offered = allowed_verbs(case, actor, story.now)
        for verb in VERB_LIST:
            if actor.role not in verb.roles:
                assert verb.name not in offered
                continue
            inputs = list(trial_inputs(verb.name, case, actor, story.now))
            if verb.name in offered:
                trial = case.model_copy(deep=True)
                command = next(c for c in inputs if accepted(case, c, story.now))
                trial.handle(command, story.now)
                assert len(trial.timeline) > len(case.timeline) or trial.model_dump() != case.model_dump(), (name, verb.name)
            else:
                for command in inputs:
                    refused(case, case.handle, command, story.now)


def stages_of_a_continue_mine() -> list[Story]:
    """A continue mine at each of its stages, up to the renewal decision."""
    seen = []
    story = Story(due_process=True)
    seen.append(story.case.model_copy(deep=True))
    story.act(ProposeDisposition(actor=TOWNSHIP, path="continue", reason="资源储量尚可"))
    seen.append(story.case.model_copy(deep=True))
    story.act(DecideDisposition(actor=COUNTY, approve=True))
    seen.append(story.case.model_copy(deep=True))
    story.serve_all()
    seen.append(story.case.model_copy(deep=True))
    story.rectify_everything()
    seen.append(story.case.model_copy(deep=True))
    story.decide(TaskKind.joint_review)
    seen.append(story.case.model_copy(deep=True))
    stories = []
    for case in seen:
        at = Story(due_process=True)
        at.case, at.now = case, story.now
        stories.append(at)
    return stories


def test_a_just_registered_mine_offers_the_township_of_the_mine_its_proposal_and_nothing_else():
    story = Story(due_process=True)
    assert offers(story) == {"township": ["propose_disposition"]}
    refused(story.case, story.case.handle, ApplyCancellation(actor=TOWNSHIP), story.now)  # D2: no "apply to cancel" here
    check_offers_are_exact(story)


def test_the_county_is_offered_the_disposition_decision_only_while_a_proposal_awaits_it():
    story = Story(due_process=True)
    assert "decide_disposition" not in allowed_verbs(story.case, COUNTY, story.now)
    story.act(ProposeDisposition(actor=TOWNSHIP, path="cancel"))
    assert story.case.stage == Stage.disposition_review
    assert offers(story) == {"county": ["decide_disposition"]}
    check_offers_are_exact(story)


def test_the_county_and_the_office_are_offered_to_move_a_deadline_only_while_one_runs():
    story = Story(due_process=True)
    story.act(ProposeDisposition(actor=TOWNSHIP, path="continue", reason="资源储量尚可"))
    story.act(DecideDisposition(actor=COUNTY, approve=True))
    assert not story.case.open_deadlines()  # the six months count from service of the notice
    assert offers(story)["county"] == ["serve_document"] and offers(story)["office"] == ["serve_document"]
    story.serve_all()
    assert offers(story)["county"] == ["move_deadline"] and offers(story)["office"] == ["move_deadline"]
    running = story.case.open_deadlines()[0]
    assert running.deadline is not None
    trial = story.case.model_copy(deep=True)
    trial.handle(MoveDeadline(actor=COUNTY, kind=running.kind.value, new_last_day=running.deadline.last_day + dt.timedelta(days=30),
                              meeting="县政府专题会议纪要〔2030〕1号", reason="汛期"), story.now)
    check_offers_are_exact(story)


def test_the_holder_is_offered_to_submit_a_document_only_while_it_owes_one():
    story = continue_mine()
    owed = submittable_items(story.case, HOLDER, story.now)
    assert owed == [item.code for item in story.policy.approval_items]
    assert offers(story)["holder"] == ["submit_document", "report_works_done"]
    for code in owed:
        story.act(SubmitDocument(actor=HOLDER, item=code))
    assert "submit_document" not in allowed_verbs(story.case, HOLDER, story.now)
    for code in owed:
        refused(story.case, story.case.handle, SubmitDocument(actor=HOLDER, item=code), story.now)
    review = next(t for t in story.open(TaskKind.document_review))
    story.act(RecordReview(actor=Actor(role=Role.department, name="审批员", department=review.department), task_id=review.id,
                           approved=False, comment="材料不全"))
    assert "submit_document" in allowed_verbs(story.case, HOLDER, story.now)  # rejected: owed again
    assert submittable_items(story.case, HOLDER, story.now) == [review.item]
    check_offers_are_exact(story)


def test_a_department_is_offered_a_review_only_while_one_of_its_own_tasks_is_open():
    story = continue_mine()
    natres_item = next(i for i in story.policy.approval_items if i.department == Department.natural_resources)
    assert "natres" not in offers(story)
    story.act(SubmitDocument(actor=HOLDER, item=natres_item.code))
    assert offers(story)["natres"] == ["record_review"]
    assert "forestry" not in offers(story) or natres_item.department == Department.forestry
    check_offers_are_exact(story)


def test_a_service_task_is_offered_as_recording_the_service_never_as_a_review():
    story = Story(due_process=True)
    story.to_disposition("continue", serve=False)
    assert any(t.kind == TaskKind.document_service and t.assignee_role == Role.county for t in story.case.open_tasks())
    assert offers(story)["county"] == ["serve_document"]  # its service task is not offered as a review


def test_the_renewal_is_offered_to_the_county_only_at_the_renewal_decision():
    stories = stages_of_a_continue_mine()
    for story in stories:
        county = allowed_verbs(story.case, COUNTY, story.now)
        assert ("decide_renewal" in county) == (story.case.stage == Stage.renewal_decision), story.case.stage
        if story.case.stage != Stage.renewal_decision:
            refused(story.case, story.case.handle, DecideRenewal(actor=COUNTY, approve=True), story.now)
    assert [s.case.stage for s in stories][-1] == Stage.renewal_decision
    assert offers(stories[-1]) == {"county": ["decide_renewal"]}


def test_at_every_stage_of_a_continue_mine_what_is_offered_is_accepted_and_the_rest_refused():
    for story in stages_of_a_continue_mine():
        check_offers_are_exact(story)


def test_the_township_is_offered_to_apply_for_cancellation_only_once_the_right_is_deemed_abandoned():
    story = continue_mine()
    story.later(200)
    decide(story, Consequence.grant_extension)
    story.serve_all()
    assert "apply_cancellation" not in allowed_verbs(story.case, TOWNSHIP, story.now)
    story.later(140)
    decide(story, Consequence.deemed_abandonment)
    assert story.case.stage == Stage.deemed_abandoned
    township = allowed_verbs(story.case, TOWNSHIP, story.now)
    assert "apply_cancellation" in township and "record_review" in township  # and its referral proposal
    assert "apply_cancellation" not in allowed_verbs(story.case, OTHER_TOWNSHIP, story.now)
    assert "apply_cancellation" not in allowed_verbs(story.case, HOLDER, story.now)
    check_offers_are_exact(story)


def test_the_holder_is_offered_to_apply_for_cancellation_only_while_its_application_is_awaited():
    story = Story(due_process=True, never_produced=True)
    story.act(ProposeDisposition(actor=TOWNSHIP, path="cancel"))
    assert "apply_cancellation" not in allowed_verbs(story.case, HOLDER, story.now)
    story.act(DecideDisposition(actor=COUNTY, approve=True))
    story.serve_all()
    assert story.case.stage == Stage.awaiting_cancel_application
    assert offers(story)["holder"] == ["apply_cancellation"]
    assert "apply_cancellation" not in allowed_verbs(story.case, TOWNSHIP, story.now)
    check_offers_are_exact(story)


def test_a_township_is_offered_to_serve_only_the_referral_it_issued_on_its_own_mine():
    story = continue_mine()
    story.later(200)
    decide(story, Consequence.grant_extension)
    story.serve_all()
    story.later(140)
    decide(story, Consequence.deemed_abandonment)
    story.serve_all()
    assert "serve_document" not in allowed_verbs(story.case, TOWNSHIP, story.now)  # the county's decisions are not its own
    decide(story, Consequence.referral)
    referral = next(d for d in story.case.documents if d.kind == "referral")
    assert referral.served_on is None
    assert "serve_document" in allowed_verbs(story.case, TOWNSHIP, story.now)
    assert "serve_document" not in allowed_verbs(story.case, OTHER_TOWNSHIP, story.now)


def test_nothing_is_offered_on_a_closed_case():
    story = Story(due_process=True, never_produced=True)
    story.to_disposition("cancel")
    story.act(ApplyCancellation(actor=HOLDER))
    story.decide(TaskKind.permit_cancellation)
    assert story.case.is_closed
    assert offers(story) == {}


def test_the_state_of_a_case_is_offered_the_same_as_its_aggregate():
    story = Story(due_process=True)
    plain = CaseState.model_validate(story.case.model_dump())
    assert allowed_verbs(plain, TOWNSHIP, story.now) == ["propose_disposition"]
