"""五.2 生态公益诉讼: a holder that did not perform its restoration duty is referred, the township leading."""

from __future__ import annotations

import datetime as dt

from models.case.documents import issue_document
from models.case.state import CaseState
from models.case.timeline import notify, record
from models.clauses import Clause
from models.kinds import DeadlineKind, DocumentKind, EventKind, NoticeKind
from models.roles import SYSTEM, Actor


def refer_for_litigation(case: CaseState, at: dt.datetime, duty_zh: str, duty: DeadlineKind, last_day: dt.date, *,
                         actor: Actor = SYSTEM, due_process: bool = False) -> None:
    """The referral letter. Under due process the township decides it, in its own name, to the procuratorate
    alone (only the 检察院 brings 公益诉讼); the 2023 rules sent it on a timer to the procuratorate and court."""
    facts = case.facts
    referred_to = "县人民检察院" if due_process else "县人民检察院、县人民法院"
    referral = issue_document(case, at, DocumentKind.referral, "线索移送函（生态公益诉讼）", "referral for public-interest litigation",
                              Clause.litigation, {
                                  "mine_name": facts.mine_name, "permit_no": facts.permit_no, "holder": facts.holder,
                                  "township": facts.township, "referred_to": referred_to,
                                  "duty": duty_zh, "due": last_day.isoformat(),
                                  "bare_area_mu": facts.bare_area_mu,
                                  **({"issuer": facts.township} if due_process else {}),
                              }, addressee=referred_to if due_process else "")
    if due_process:
        record(case, at, EventKind.referred_for_litigation, actor,
               f"{facts.township}决定将未履行生态修复法定义务的线索移送县人民检察院（{duty_zh}，期限{last_day}）",
               "the township referred the failure to restore to the procuratorate",
               document_id=referral.id, referred_to=["procuratorate"], duty=duty.value)
    else:
        record(case, at, EventKind.referred_for_litigation, actor,
               f"{facts.township}牵头将未履行生态修复法定义务的线索移送县检察院、法院（{duty_zh}，期限{last_day}）",
               "referred to the procuratorate and court for public-interest litigation",
               document_id=referral.id, referred_to=["procuratorate", "court"], duty=duty.value)
    notify(case, at, NoticeKind.referral, ["township", "office", "procuratorate"],
           f"{facts.mine_name}：未履行生态修复法定义务，线索移送", "referral for public-interest litigation")
