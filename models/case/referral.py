"""五.2 生态公益诉讼: a holder that did not perform its restoration duty is referred, the township leading."""

from __future__ import annotations

import datetime as dt

from models.case.parts import TrackedDeadline
from models.case.state import CaseState
from models.case.timeline import issue_document, notify, record
from models.clauses import Clause
from models.kinds import DocumentKind, EventKind, NoticeKind
from models.roles import SYSTEM


def refer_for_litigation(case: CaseState, tracked: TrackedDeadline, at: dt.datetime) -> None:
    assert tracked.deadline is not None
    facts = case.facts
    referral = issue_document(case, at, DocumentKind.referral, "线索移送函（生态公益诉讼）", "referral for public-interest litigation",
                              Clause.litigation, {
                                  "mine_name": facts.mine_name, "permit_no": facts.permit_no, "holder": facts.holder,
                                  "township": facts.township, "referred_to": "县人民检察院、县人民法院",
                                  "duty": tracked.label_zh, "due": tracked.deadline.last_day.isoformat(),
                                  "bare_area_mu": facts.bare_area_mu,
                              })
    record(case, at, EventKind.referred_for_litigation, SYSTEM,
           f"{facts.township}牵头将未履行生态修复法定义务的线索移送县检察院、法院（{tracked.label_zh}，期限{tracked.deadline.last_day}）",
           "referred to the procuratorate and court for public-interest litigation",
           document_id=referral.id, referred_to=["procuratorate", "court"], duty=tracked.kind.value)
    notify(case, at, NoticeKind.referral, ["township", "office", "procuratorate"],
           f"{facts.mine_name}：未履行生态修复法定义务，线索移送", "referral for public-interest litigation")
