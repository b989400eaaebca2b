"""Which campaign new cases are registered under: a choice the county makes (``--campaign`` or
``MINECASE_CAMPAIGN``), never a default. The demo (``minecase up``) runs on the rolling example."""

from __future__ import annotations

import datetime as dt

from models.calendar import CST
from models.errors import MinecaseError
from models.policy import CampaignPolicy, available_campaigns, load_campaign

DEMO_CAMPAIGN = "rolling-example"
"""The campaign the demo runs on when none is chosen: its fixed dates count from the day it starts."""


class NoCampaign(MinecaseError):
    """Registering real cases needs a campaign, and none was chosen."""


def no_campaign() -> NoCampaign:
    known = "、".join(available_campaigns())
    return NoCampaign(
        f"未选择专项行动：请用 --campaign 指定，或设置 MINECASE_CAMPAIGN（campaigns/ 中的文件：{known}）",
        f"no campaign chosen: give --campaign or set MINECASE_CAMPAIGN (a file in campaigns/: {', '.join(available_campaigns())})",
    )


def campaign_policy(campaign: str | None, today: dt.date | None = None) -> CampaignPolicy:
    """The resolved policy of ``campaign``: a campaign with a start of its own (Shanggao: 2023-10-11) keeps it;
    one whose dates count from its start (the rolling example) starts ``today``. ``None``: refused."""
    if not campaign:
        raise no_campaign()
    policy = load_campaign(campaign)
    return policy.resolve(policy.start or today or dt.datetime.now(CST).date())
