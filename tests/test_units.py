"""A township acts in the name of its own body (legal audit E8): 乡镇人民政府, 街道办事处, 林场."""

from __future__ import annotations

import datetime as dt

import pytest

from models.case import Case
from models.messages import DecideDisposition, MineFacts, ProposeDisposition, RegisterCase
from models.policy import load_campaign
from models.roles import Actor, Role
from models.units import unit_name
from tests.rules_helpers import COUNTY, OFFICE, cst, settle


@pytest.mark.parametrize(("township", "body"), [
    ("泗溪镇", "泗溪镇人民政府"),
    ("芦洲乡", "芦洲乡人民政府"),
    ("敖阳街道", "敖阳街道办事处"),
    ("上高县林场", "上高县林场"),
    ("蒙山林场", "蒙山林场"),
])
def test_a_town_acts_as_its_peoples_government_a_subdistrict_as_its_office_and_a_forest_farm_in_its_own_name(township, body):
    assert unit_name(township) == body


@pytest.mark.parametrize("body", ["泗溪镇人民政府", "敖阳街道办事处", "上高县林场"])
def test_a_name_that_already_names_the_body_is_left_as_it_is(body):
    assert unit_name(body) == body
    assert unit_name(f" {body} ") == body


def test_a_name_of_no_known_kind_is_not_given_a_body_it_may_not_have():
    assert unit_name("某垦殖场") == "某垦殖场"


@pytest.mark.parametrize(("township", "body"), [("上高县林场", "上高县林场"), ("敖阳街道", "敖阳街道办事处"),
                                                ("泗溪镇", "泗溪镇人民政府")])
def test_the_closure_decision_names_the_townships_own_body_as_supervisor_and_post_care_party(township, body):
    """Not "上高县林场人民政府（林场）" nor "敖阳街道人民政府（林场）" (E8)."""
    facts = MineFacts(permit_no="C9999000000000000000001", mine_name="测试石灰岩矿（虚构）", holder="测试矿业有限公司（虚构）",
                      township=township, fictional=True)
    policy = load_campaign("rolling-example").resolve(dt.date(2030, 3, 1))
    case = settle(Case.register(RegisterCase(facts=facts, policy=policy, registered_by=OFFICE), cst(2030, 3, 1, 9, 0)))
    case.propose_disposition(ProposeDisposition(actor=Actor(role=Role.township, name="干部", township=township), path="cancel"),
                             cst(2030, 3, 15, 9, 0))
    case.decide_disposition(DecideDisposition(actor=COUNTY, approve=True), cst(2030, 4, 1, 10, 0))
    (decision,) = case.documents
    assert (decision.fields["supervisor"], decision.fields["post_care_party"]) == (body, body)
