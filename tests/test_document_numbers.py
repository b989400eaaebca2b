"""文号: every decision of a case under due process gets the next number of its issuer's register.

Against the real server and a real case file: the register lives in the case file (one row per
document, sequential per prefix and year), the workflow asks it through an activity, and a retried
request gets the same number.
"""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from activities.casefile_activities import CaseFileActivities
from casefile.tables import DocumentNumber, DocumentRecord
from models.case.parts import NumberRequest
from models.messages import DecideDisposition, ProposeDisposition
from tests.conftest import TASK_QUEUE
from tests.drill import COUNTY, Drill, cst, township


@pytest.fixture
async def drill(client, engine, worker) -> Drill:
    return Drill(client, engine, TASK_QUEUE, campaign="rolling-example")


async def close(drill: Drill) -> str:
    await drill.register()
    await drill.act("propose_disposition", ProposeDisposition(actor=township(), path="cancel"))
    await drill.advance_to(cst(2030, 4, 1, 10, 0))
    await drill.act("decide_disposition", DecideDisposition(actor=COUNTY, approve=True))
    (decision,) = (await drill.status()).documents
    return decision.number or ""


async def test_two_closure_decisions_of_a_year_get_consecutive_numbers_of_the_countys_register(client, engine, worker):
    first = await close(Drill(client, engine, TASK_QUEUE, campaign="rolling-example"))
    second = await close(Drill(client, engine, TASK_QUEUE, campaign="rolling-example"))
    assert first.startswith("上府关字〔2030〕") and second.startswith("上府关字〔2030〕")
    seq = lambda number: int(number.split("〕")[1].removesuffix("号"))  # noqa: E731 - a one-line reading
    assert seq(second) == seq(first) + 1


async def test_the_number_is_in_the_case_file_and_printed_on_the_decision(drill, engine):
    number = await close(drill)
    with Session(engine) as session:
        (row,) = session.exec(select(DocumentRecord).where(DocumentRecord.permit_no == drill.facts.permit_no)).all()
    assert row.number == number and number in row.html


def test_asking_the_register_again_for_the_same_document_gives_the_same_number(engine):
    register = CaseFileActivities(engine)
    request = NumberRequest(document_id="C9999000000000000000999-D01", prefix="测试字", year=2031)
    (first,) = register.allocate_document_numbers([request])
    (again,) = register.allocate_document_numbers([request])
    other = NumberRequest(document_id="C9999000000000000000999-D02", prefix="测试字", year=2031)
    (second,) = register.allocate_document_numbers([other])
    assert first == again == "测试字〔2031〕1号" and second == "测试字〔2031〕2号"
    with Session(engine) as session:
        assert len(session.exec(select(DocumentNumber).where(DocumentNumber.prefix == "测试字")).all()) == 2
