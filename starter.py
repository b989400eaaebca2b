"""The starter: registers one case, or a whole ledger (台账), and seeds the demo.

``python starter.py`` registers the sample ledger (40 fictional mines) against a running server.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from importlib import resources
from pathlib import Path

from sqlalchemy.engine import Engine
from temporalio.client import Client

from models.calendar import CST
from models.messages import DecideDisposition, ProposeDisposition, ServeDocument, SubmitDocument
from models.policy import CampaignPolicy
from models.roles import Actor, Role
from operations import cases
from operations.ledger import parse_ledger

OFFICE = Actor(role=Role.office, name="领导小组办公室")


def sample_ledger_path() -> Path:
    return Path(str(resources.files("campaigns") / "sample_ledger.csv"))


async def seed_demo(client: Client, engine: Engine, task_queue: str, policy: CampaignPolicy) -> int:
    """Register the sample ledger and move some cases along, so the board shows every early stage."""
    parsed = parse_ledger(sample_ledger_path())
    created = set()
    for row in parsed.rows:
        if (await cases.register_case(client, engine, task_queue, row.facts, policy, OFFICE)).created:
            created.add(row.facts.permit_no)
    county = Actor(role=Role.county, name="县政府（演示）")
    holder = Actor(role=Role.holder, name="采矿权人（演示）")
    for index, (facts, proposal) in enumerate((r.facts, r.proposal) for r in parsed.rows):
        if facts.permit_no not in created or proposal is None or index % 5 == 4:
            continue  # a fifth stays registered, awaiting the township
        township = Actor(role=Role.township, name="乡镇干部（演示）", township=facts.township)
        reason = "保留产业发展需要（演示）" if facts.resources_exhausted else ""
        await cases.act(client, facts.permit_no, "propose_disposition", ProposeDisposition(actor=township, path=proposal, reason=reason))
        if index % 5 == 3:
            continue  # awaiting the county
        decided = await cases.act(client, facts.permit_no, "decide_disposition", DecideDisposition(actor=county, approve=True))
        if index % 7 != 6:  # most decisions served the same day; a few left for the county to serve (送达)
            for document in decided.documents:
                await cases.act(client, facts.permit_no, "serve_document",
                                ServeDocument(actor=OFFICE, document_id=document.id, method="direct"))
        if proposal == "continue" and index % 2 == 0:
            for item in policy.approval_items[: 1 + index % 4]:
                await cases.act(client, facts.permit_no, "submit_document", SubmitDocument(actor=holder, item=item.code))
    return len(created)


async def _main() -> None:
    from models.policy import load_campaign
    from operations.campaigns import DEMO_CAMPAIGN
    from runtime.resources import Runtime
    from runtime.settings import Settings

    settings = Settings()
    async with Runtime(settings, start_server=False) as runtime:
        policy = load_campaign(settings.campaign or DEMO_CAMPAIGN).resolve(dt.datetime.now(CST).date())  # the sample: a demo
        count = await seed_demo(runtime.client, runtime.engine, settings.task_queue, policy)
        print(f"registered {count} sample cases")


if __name__ == "__main__":
    asyncio.run(_main())
