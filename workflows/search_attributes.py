"""Typed search attributes of a case. No personal data: stage, place, path and dates only."""

from temporalio.common import SearchAttributeKey

MINE_STAGE = SearchAttributeKey.for_keyword("MineStage")
TOWNSHIP = SearchAttributeKey.for_keyword("Township")
CASE_PATH = SearchAttributeKey.for_keyword("CasePath")
CAMPAIGN = SearchAttributeKey.for_keyword("Campaign")
NEXT_DEADLINE = SearchAttributeKey.for_datetime("NextDeadline")
OVERDUE = SearchAttributeKey.for_bool("Overdue")
COUNTY = SearchAttributeKey.for_keyword("County")
"""The case's county (a province deployment, docs/province.md): set once by the starter from its campaign's file."""

ALL = (MINE_STAGE, TOWNSHIP, CASE_PATH, CAMPAIGN, NEXT_DEADLINE, OVERDUE, COUNTY)

# Server-side types, for registering them on a cluster (``temporal server start-dev --search-attribute``).
SERVER_TYPES = {
    "MineStage": "Keyword",
    "Township": "Keyword",
    "CasePath": "Keyword",
    "Campaign": "Keyword",
    "NextDeadline": "Datetime",
    "Overdue": "Bool",
    "County": "Keyword",
}
