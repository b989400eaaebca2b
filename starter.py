"""The starter: registers one case, or a whole ledger (台账), and seeds the demo.

``python starter.py`` registers the sample ledger (40 fictional mines) against a running server.
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
from importlib import resources
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy.engine import Engine
from temporalio.client import Client

from models.calendar import CST
from models.errors import MinecaseError
from models.messages import DecideDisposition, MineFacts, ProposeDisposition, SubmitDocument
from models.policy import CampaignPolicy
from models.roles import Actor, Role
from operations import cases

TRUE = {"是", "yes", "y", "true", "1", "√", "x"}
FALSE = {"否", "no", "n", "false", "0", ""}

OFFICE = Actor(role=Role.office, name="领导小组办公室")


class LedgerError(MinecaseError):
    """A ledger with bad rows: nothing was registered."""


def sample_ledger_path() -> Path:
    return Path(str(resources.files("campaigns") / "sample_ledger.csv"))


def read_ledger(path: Path) -> list[tuple[MineFacts, str | None]]:
    """Rows of a ledger CSV as (facts, proposed path). Every row is checked before anything is
    registered; a file with bad rows raises ``LedgerError`` naming each row and reason."""
    rows, problems = [], []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            try:
                flags = {}
                for key in ("resources_exhausted", "never_produced", "fictional"):
                    value = (row.get(key) or "").strip().lower()
                    if value not in TRUE | FALSE:
                        raise ValueError(f"{key}：应填“是”或“否” / {key}: yes or no")
                    flags[key] = value in TRUE
                facts = MineFacts(
                    permit_no=row.get("permit_no", ""), mine_name=row.get("mine_name", ""), holder=row.get("holder", ""),
                    township=row.get("township", ""), leader=row.get("leader", ""), mineral=row.get("mineral", ""),
                    bare_area_mu=float(row.get("bare_area_mu") or 0), **flags,
                )
                proposal = (row.get("proposal") or "").strip() or None
                if proposal not in (None, "continue", "cancel"):
                    raise ValueError("proposal：应为 continue 或 cancel / proposal: continue or cancel")
                rows.append((facts, proposal))
            except (ValidationError, ValueError) as error:
                problems.append(f"第{number}行 row {number}: {_reason(error)}")
    if problems:
        raise LedgerError("台账有误，未登记任何案件：" + "；".join(problems), f"{len(problems)} bad row(s); nothing registered")
    return rows


def _reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "；".join(f"{'.'.join(map(str, e['loc']))}: {e['msg'].removeprefix('Value error, ')}" for e in error.errors())
    return str(error)


async def register_ledger(
    client: Client, engine: Engine, task_queue: str, rows: list[tuple[MineFacts, str | None]], policy: CampaignPolicy,
) -> list[cases.Registration]:
    registrations = []
    for facts, _ in rows:
        registrations.append(await cases.register_case(client, engine, task_queue, facts, policy, OFFICE))
    return registrations


async def seed_demo(client: Client, engine: Engine, task_queue: str, policy: CampaignPolicy) -> int:
    """Register the sample ledger and move some cases along, so the board shows every early stage."""
    rows = read_ledger(sample_ledger_path())
    registrations = await register_ledger(client, engine, task_queue, rows, policy)
    created = {r.permit_no for r in registrations if r.created}
    county = Actor(role=Role.county, name="县政府（演示）")
    holder = Actor(role=Role.holder, name="采矿权人（演示）")
    for index, (facts, proposal) in enumerate(rows):
        if facts.permit_no not in created or proposal is None or index % 5 == 4:
            continue  # a fifth stays registered, awaiting the township
        township = Actor(role=Role.township, name="乡镇干部（演示）", township=facts.township)
        reason = "保留产业发展需要（演示）" if facts.resources_exhausted else ""
        await cases.act(client, facts.permit_no, "propose_disposition", ProposeDisposition(actor=township, path=proposal, reason=reason))
        if index % 5 == 3:
            continue  # awaiting the county
        await cases.act(client, facts.permit_no, "decide_disposition", DecideDisposition(actor=county, approve=True))
        if proposal == "continue" and index % 2 == 0:
            for item in policy.approval_items[: 1 + index % 4]:
                await cases.act(client, facts.permit_no, "submit_document", SubmitDocument(actor=holder, item=item.code))
    return len(created)


async def _main() -> None:
    from models.policy import load_campaign
    from runtime.resources import Runtime
    from runtime.settings import Settings

    settings = Settings()
    async with Runtime(settings, start_server=False) as runtime:
        policy = load_campaign(settings.campaign).resolve(dt.datetime.now(CST).date())
        count = await seed_demo(runtime.client, runtime.engine, settings.task_queue, policy)
        print(f"registered {count} sample cases")


if __name__ == "__main__":
    asyncio.run(_main())
