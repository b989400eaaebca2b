"""The statute's path as a table: every event a case can record, from which stages, to which stage.

Each row is (event, from, to, trigger, guard, clause). ``record`` in ``models/case/timeline.py`` is
the only writer of ``case.stage``, and it refuses any change this table does not declare; a test
drives every row and checks none is unreachable. ``docs/stages.md`` (and the README's diagram) are
generated from this table: ``python -m models.transitions`` prints the Markdown.

A row whose ``to`` is ``None`` records an event without moving the case ("stays"); a row whose
``from_`` is ``None`` may happen at any stage. A row whose ``clause`` is ``None`` takes the clause
of its subject (the task's or the document's own clause, from the campaign file).
"""

from __future__ import annotations

from dataclasses import dataclass

from models.clauses import Clause
from models.errors import TransitionNotDeclared
from models.kinds import DeadlineKind, EventKind, TaskKind
from models.stages import Stage

E, S, C = EventKind, Stage, Clause


@dataclass(frozen=True)
class Transition:
    event: EventKind
    from_: frozenset[Stage] | None
    to: Stage | None
    trigger: str
    """What sets it off: ``verb:<update>``, ``alarm:<deadline kind>``, ``review:<task kind>``, or ``after:<event>``."""
    clause: Clause | None
    guard: str = ""
    """The rule that selects this row among the event's rows, named as the guard that checks it."""

    @property
    def moves(self) -> bool:
        return self.to is not None


def _verb(name: str) -> str:
    return f"verb:{name}"


def _alarm(kind: DeadlineKind) -> str:
    return f"alarm:{kind.value}"


def _review(*kinds: TaskKind) -> str:
    return "review:" + "|".join(k.value for k in kinds)


def _after(event: EventKind) -> str:
    return f"after:{event.value}"


RECTIFYING = frozenset({S.rectifying, S.rectifying_extended})
RESTORING = frozenset({S.closure_ordered, S.restoring, S.cancel_acceptance})

TRANSITIONS: tuple[Transition, ...] = (
    Transition(E.case_registered, frozenset({S.registered}), None, "register", C.scope),
    # -- 四.1 disposition ------------------------------------------------------------------------
    Transition(E.disposition_proposed, frozenset({S.registered}), S.disposition_review, _verb("propose_disposition"),
               C.disposition, "check_township_is_the_mines, check_resources_exhausted_rule"),
    Transition(E.disposition_returned, frozenset({S.disposition_review}), S.registered, _verb("decide_disposition"),
               C.disposition, "county does not approve"),
    Transition(E.continuation_approved, frozenset({S.disposition_review}), S.rectifying, _verb("decide_disposition"),
               C.disposition, "county approves a continue proposal"),
    Transition(E.closure_ordered, frozenset({S.disposition_review}), S.closure_ordered, _verb("decide_disposition"),
               C.cancellation, "county approves a cancel proposal"),
    Transition(E.closure_ordered, frozenset({S.disposition_review}), S.awaiting_cancel_application,
               _verb("decide_disposition"), C.cancellation, "county approves a cancel proposal; never produced"),
    # -- 四.1 the continue path --------------------------------------------------------------------
    Transition(E.document_submitted, RECTIFYING, None, _verb("submit_document"), None, "check_item_may_be_submitted"),
    Transition(E.rectification_period_expired, frozenset({S.rectifying}), S.rectifying_extended,
               _alarm(DeadlineKind.rectification), C.disposition),
    Transition(E.deemed_to_have_abandoned, frozenset({S.rectifying_extended}), S.deemed_abandoned,
               f"{_alarm(DeadlineKind.extension)} (2023 rules) | {_review(TaskKind.consequence_decision)}", C.disposition),
    Transition(E.rectification_completed, RECTIFYING, S.joint_review,
               _review(TaskKind.document_review, TaskKind.field_acceptance, TaskKind.determination_approval), C.disposition,
               "check_rectification_complete: every document approved and the works accepted"),
    Transition(E.joint_review_passed, frozenset({S.joint_review}), S.renewal_decision, _review(TaskKind.joint_review),
               C.disposition, "every joint-review department approved"),
    Transition(E.renewal_returned, frozenset({S.renewal_decision}), S.joint_review, _verb("decide_renewal"),
               C.disposition, "executive meeting does not agree"),
    Transition(E.renewal_agreed, frozenset({S.renewal_decision}), S.renewing_permit, _verb("decide_renewal"),
               C.disposition, "executive meeting agrees"),
    Transition(E.permit_renewed, frozenset({S.renewing_permit}), S.renewed, _review(TaskKind.permit_renewal),
               C.disposition, "natural resources renews the permit"),
    # -- 五.1 acceptance and resumption -----------------------------------------------------------
    Transition(E.works_reported_done, RECTIFYING | {S.cancel_acceptance}, None, _verb("report_works_done"),
               C.acceptance, "check_works_may_be_reported"),
    Transition(E.works_reported_done, frozenset({S.closure_ordered, S.restoring}), S.cancel_acceptance,
               _verb("report_works_done"), C.acceptance, "check_works_may_be_reported; cancel path"),
    Transition(E.works_accepted, None, None, _review(TaskKind.field_acceptance), C.acceptance,
               "every field-acceptance department approved; continue path"),
    Transition(E.acceptance_failed, frozenset({S.cancel_acceptance}), S.restoring, _review(TaskKind.expert_certificate),
               C.acceptance, "experts do not certify; restoration plan approved"),
    Transition(E.acceptance_failed, frozenset({S.cancel_acceptance}), S.closure_ordered,
               _review(TaskKind.expert_certificate), C.acceptance, "experts do not certify; plan not yet approved"),
    Transition(E.acceptance_failed, frozenset({S.deemed_abandoned, S.cancelled}), None,
               _review(TaskKind.expert_certificate), C.acceptance, "experts do not certify the works taken over"),
    Transition(E.restoration_accepted, frozenset({S.cancel_acceptance}), S.awaiting_cancel_application,
               _review(TaskKind.expert_certificate), C.acceptance, "experts certify the holder's works"),
    Transition(E.takeover_works_reported_done, frozenset({S.deemed_abandoned, S.cancelled}), None,
               _verb("report_works_done"), C.acceptance, "takeover_open"),
    Transition(E.takeover_works_accepted, frozenset({S.deemed_abandoned, S.cancelled}), None,
               _review(TaskKind.expert_certificate), C.acceptance, "experts certify the works taken over"),
    Transition(E.unused_zone_works_reported_done, None, None, _verb("report_works_done"), C.fixed_dates,
               "scope unused_zones: check_unused_zone_works_may_be_reported"),
    Transition(E.unused_zone_works_accepted, None, None, _review(TaskKind.unused_zone_acceptance), C.acceptance,
               "every unused-zone field-acceptance department approved"),
    Transition(E.resumption_applied, frozenset({S.renewed}), S.resuming_production, _verb("apply_resume_production"),
               C.acceptance),
    Transition(E.production_resumed, frozenset({S.resuming_production}), S.production_resumed,
               _review(TaskKind.resume_review, TaskKind.supply_restore), C.acceptance,
               "every resume review and supply restoration approved"),
    # -- 四.2 fixed dates, restoration and takeover ----------------------------------------------
    Transition(E.restoration_plan_submitted, RESTORING, None, _verb("submit_document"), C.fixed_dates,
               "check_restoration_plan_may_be_submitted"),
    Transition(E.restoration_plan_approved, frozenset({S.closure_ordered}), S.restoring, _review(TaskKind.plan_review),
               C.experts),
    Transition(E.restoration_plan_approved, frozenset({S.cancel_acceptance}), None, _review(TaskKind.plan_review),
               C.experts, "works already reported done"),
    Transition(E.restoration_plan_overdue, None, None, _alarm(DeadlineKind.restoration_plan), C.fixed_dates),
    Transition(E.works_taken_over, None, None,
               f"{_alarm(DeadlineKind.restoration_works)}|{DeadlineKind.unused_bare_area.value} (2023 rules) | "
               f"{_review(TaskKind.consequence_decision)}", C.fixed_dates),
    Transition(E.takeover_overdue, None, None, _alarm(DeadlineKind.township_takeover), C.fixed_dates),
    Transition(E.determination_referred_to_county, RECTIFYING, None, _review(TaskKind.joint_determination), C.fixed_dates,
               "every department of the joint determination agreed"),
    Transition(E.determination_approved, RECTIFYING, None, _review(TaskKind.determination_approval), C.fixed_dates,
               "the county approves the joint determination"),
    Transition(E.determination_rejected, RECTIFYING, None,
               _review(TaskKind.joint_determination, TaskKind.determination_approval), C.fixed_dates,
               "a department or the county rejects, with its reason"),
    # -- 五.2 referral ------------------------------------------------------------------------------
    Transition(E.referred_for_litigation, None, None,
               f"{_after(E.works_taken_over)} (2023 rules) | {_review(TaskKind.consequence_decision)}", C.litigation),
    # -- 四.3 closure and cancellation --------------------------------------------------------------
    Transition(E.cancellation_notice_published, RESTORING | {S.awaiting_cancel_application}, None,
               f"{_alarm(DeadlineKind.restoration_works)}|{DeadlineKind.cancel_application.value} (2023 rules) | "
               f"{_verb('serve_document')}: a person publishes it", C.cancellation),
    Transition(E.deemed_to_have_abandoned, RESTORING | {S.awaiting_cancel_application}, S.deemed_abandoned,
               _after(E.cancellation_notice_published), C.cancellation),
    Transition(E.cancellation_applied, frozenset({S.awaiting_cancel_application}), S.cancelling,
               _verb("apply_cancellation"), C.cancellation, "the holder applies within the window"),
    Transition(E.cancellation_applied, frozenset({S.deemed_abandoned}), S.cancelling, _verb("apply_cancellation"),
               C.cancellation, "check_township_is_the_mines"),
    Transition(E.permits_cancelled, frozenset({S.cancelling}), S.cancelled, _review(TaskKind.permit_cancellation),
               C.cancellation, "every cancel department cancelled"),
    # -- 六 post-care and closing -------------------------------------------------------------------
    Transition(E.post_care_started, frozenset({S.cancelled}), S.post_care,
               f"{_after(E.permits_cancelled)}|{E.takeover_works_accepted.value}", C.division_of_work,
               "the works are accepted"),
    Transition(E.case_closed, frozenset({S.cancelled}), S.closed, _after(E.permits_cancelled), C.division_of_work,
               "nothing left to restore, or no takeover running"),
    Transition(E.case_closed, frozenset({S.post_care}), S.closed, _alarm(DeadlineKind.post_care), C.division_of_work),
    # -- due process: the holder's own acts; sanctions decided and served ----------------------------
    Transition(E.duties_filed_in_time, None, None, "alarm:<the holder's period> | an input recorded late, dated by its last day",
               None, "holder_has_filed"),
    Transition(E.proposal_withdrawn, None, None, "an input recorded late, dated (on) by the holder's last day", None,
               "holder_has_filed"),
    Transition(E.correction_period_opened, None, None, "review: a rejection after the holder's last day", None),
    Transition(E.consequence_proposed, None, None, "alarm:<the holder's period> | after:deemed_to_have_abandoned", None,
               "not holder_has_filed"),
    Transition(E.consequence_declined, None, None, _review(TaskKind.consequence_decision), None,
               "check_a_rejection_gives_its_reason"),
    Transition(E.extension_granted, frozenset({S.rectifying}), S.rectifying_extended, _review(TaskKind.consequence_decision),
               C.disposition, "the county gives the 3-month period"),
    Transition(E.document_served, None, None, _verb("serve_document"), None, "check_document_may_be_served"),
    # -- any stage ----------------------------------------------------------------------------------
    Transition(E.review_recorded, None, None, _verb("record_review"), None, "check_task_is_theirs"),
    Transition(E.review_overdue_escalated, None, None, "alarm:task", None),
    Transition(E.deadline_moved, None, None, _verb("move_deadline"), C.collective, "check_deadline_may_move"),
    Transition(E.deadline_recomputed, None, None, "holiday schedule loaded", C.calendar),
)


def transition_for(event: EventKind, stage: Stage, to: Stage) -> Transition:
    """The declared row for ``event`` taking a case at ``stage`` to ``to``; refuses any other."""
    for row in TRANSITIONS:
        if row.event != event or (row.from_ is not None and stage not in row.from_):
            continue
        if (row.to or stage) == to:
            return row
    raise TransitionNotDeclared(
        f"规则表未规定：{event.value}（{stage.label_zh} → {to.label_zh}）",
        f"the transition table has no row for {event.value} from {stage.value} to {to.value}",
    )


def stage_changes() -> list[Transition]:
    return [row for row in TRANSITIONS if row.moves]


def mermaid() -> str:
    """The stage diagram: one arrow per stage-changing row, labelled with its event and clause."""
    lines = ["stateDiagram-v2", f"    [*] --> {S.registered.value}"]
    for row in stage_changes():
        assert row.from_ is not None and row.to is not None
        for source in sorted(row.from_, key=list(Stage).index):
            lines.append(f"    {source.value} --> {row.to.value}: {row.event.value} ({row.clause})")
    for final in (S.production_resumed, S.closed):
        lines.append(f"    {final.value} --> [*]")
    return "\n".join(lines)


def markdown() -> str:
    """``docs/stages.md``: the diagram, then the whole table."""
    out = [
        "# The stages of a case",
        "",
        "Generated from `models/transitions.py` by `python -m models.transitions > docs/stages.md`;",
        "a test fails when this file and the table differ. Clauses are those of 004 (上府办发〔2023〕35号).",
        "",
        "```mermaid",
        mermaid(),
        "```",
        "",
        "| event | from | to | trigger | guard | clause |",
        "|---|---|---|---|---|---|",
    ]
    for row in TRANSITIONS:
        source = "any" if row.from_ is None else ", ".join(s.value for s in sorted(row.from_, key=list(Stage).index))
        target = "(stays)" if row.to is None else row.to.value
        clause = row.clause.value if row.clause else "the task's or document's own"
        out.append(f"| `{row.event.value}` | {source} | {target} | `{row.trigger}` | {row.guard or '—'} | {clause} |")
    out.append("")
    out.append("Stage codes and their labels: `models/stages.py`; the README lists them.")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
