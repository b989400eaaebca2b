"""The campaign policy: periods, fixed dates and departments, as data (campaigns/*.toml).

A new campaign is a new file, not new code. Fixed dates are either absolute (``date``) or
relative to the campaign's start (``after_start``); ``CampaignPolicy.resolve`` turns the file
into concrete dates, and the resolved policy is what a case workflow receives (and keeps in its
history), so a case never changes rules under its feet.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from models.errors import MinecaseError
from models.roles import Department


class ApprovalItem(BaseModel):
    """A document or determination the holder submits and one department approves."""

    code: str
    name_zh: str
    name_en: str
    department: Department
    clause: str = "四.1"
    joint_determination: bool = False
    """A determination (认定), not a document: its department leads, the campaign's ``joint_determination_departments``
    decide with it, and the county approves the result (四.2 last sentence)."""


class ChecklistItem(BaseModel):
    """One line of the acceptance standard (达标验收表, 004 附件): what one department checks in its field acceptance."""

    code: str = Field(min_length=1, max_length=64)
    department: Department
    text_zh: str
    text_en: str = ""
    clause: str = "六"


class FixedDate(BaseModel):
    code: str
    name_zh: str
    name_en: str
    clause: str
    date: dt.date | None = None
    after_start_months: int | None = None
    after_start_days: int = 0


class Phase(BaseModel):
    """A phase of the campaign (seed 002's 动员部署/集中整治/规范提升 pattern), absolute or counted from the start."""

    code: str
    name_zh: str
    name_en: str
    start: dt.date | None = None
    end: dt.date | None = None
    """Its last day; none: it goes on (长期坚持)."""
    start_after_months: int | None = None
    end_after_months: int | None = None
    note_zh: str = ""


class AreaTarget(BaseModel):
    """Area to restore in a year (seed 003 gives its targets in hectares, 公顷; 1 hm² = 15 亩)."""

    year: int | None = None
    year_after_start: int | None = None
    """For a rolling campaign: the year of its start plus this."""
    hectares: float = Field(ge=0)
    source: str = ""


MINE_CATEGORIES = {
    "continue": ("持证矿山停产整治", "licensed mines rectified to resume"),
    "cancel": ("关闭注销矿山", "mines closed and cancelled"),
    "deemed_abandoned": ("视为放弃矿权", "rights deemed abandoned"),
    "undecided": ("待定处置", "disposition pending"),
}
"""Seed 001's categories (停产整治 / 取缔关闭 …), read onto this campaign's paths: a mine's category is its path."""


DOCUMENT_PREFIXES = {
    "closure_decision": "上府关字", "continuation_notice": "上府整改", "extension_notice": "上府整改",
    "deemed_abandonment_decision": "上府决字",
    "takeover_decision": "上府代字", "substitute_performance_decision": "上府代字", "cancellation_notice": "上府注告",
    "referral": "{township}移字",
    "acceptance_certificate": "上矿整验字",
}
"""[default] The county government (上高县人民政府, 上府) numbers its decisions; a township numbers its referrals."""


class CampaignPolicy(BaseModel):
    id: str
    version: int
    name_zh: str
    name_en: str
    document_no: str = ""
    county: str
    start: dt.date | None = None
    """The campaign's start; fixed dates given ``after_start`` count from it."""

    rectify_months: int = 6
    extension_months: int = 3
    extension_counted_from: Literal["end_of_first_period", "service"] = "end_of_first_period"
    """[default] The 3-month period counts from the last day of the first, or from service of its notice."""
    service_days: int = 7
    """[default] Days the issuer has to serve a decision it issued (行政处罚法 art. 61 by analogy: 7 days)."""
    cancel_application_days: int = 30
    review_working_days: int = 20
    document_prefixes: dict[str, str] = Field(default_factory=lambda: dict(DOCUMENT_PREFIXES))
    """[default] Each numbered document's 发文字号 prefix (``{township}``: the issuing township's name)."""
    decision_working_days: int = 10
    """[default] Working days the competent body has to decide a proposed consequence (due process)."""
    correction_days: int = 15
    """[default] 补正: days the holder has after a rejection that came after its last day."""
    filing_cutoff: dt.time | None = None
    """[default] None: a holder's filing counts until 24:00 of the last day (Civil Code art. 203(1)). A campaign
    that takes filings on paper at an office may set its close of business (e.g. 17:30, art. 203(2): 停止业务活动的时间)."""
    takeover_months_when_date_passed: int = 2
    """[default] When the campaign's takeover date has passed at the decision: months from the decision
    (the plan gives the township two months, 2024-03-31 → 2024-05-31)."""
    reminder_offsets_days: list[int] = Field(default_factory=lambda: [30, 7, 1])
    post_care_years: int = 3
    post_care_inspection_months: int = 6
    roll_fixed_dates: bool = False

    approval_items: list[ApprovalItem]
    acceptance_departments: list[Department]
    joint_review_departments: list[Department]
    resume_review_departments: list[Department]
    supply_restore_departments: list[Department]
    cancel_departments: list[Department]
    joint_determination_departments: list[Department] = Field(
        default_factory=lambda: [Department.natural_resources, Department.ecology_environment, Department.emergency])
    """四.2 自然资源、生态环境、应急管理等部门联合审批认定: the departments that determine a ``joint_determination``
    item with its lead department (工信局). [default] only the three the plan names before its 等."""
    fixed_dates: list[FixedDate] = Field(default_factory=list)
    phases: list[Phase] = Field(default_factory=list)
    area_targets: list[AreaTarget] = Field(default_factory=list)

    acceptance_checklist: list[ChecklistItem] = Field(default_factory=list)
    """五.1 and 004 附件 (达标验收表): the items each acceptance department fills in its field acceptance. Empty: the
    acceptance is a yes or no, as before."""
    expert_disciplines: list[str] = Field(default_factory=lambda: ["水工环地质", "环境保护", "林业"])
    """七.2 the expert panel (省级专家库) that issues the 验收合格意见书: its three disciplines."""

    def checklist_for(self, department: Department | str | None) -> list[ChecklistItem]:
        return [item for item in self.acceptance_checklist if item.department == department]

    def resolve(self, start: dt.date | None = None) -> CampaignPolicy:
        """Concrete fixed dates, relative ones counted from the file's start — or, for a rolling campaign whose
        file gives none, from ``start``. A campaign with its own start keeps it (its acts date from it)."""
        start = self.start or start
        resolved = []
        for fixed in self.fixed_dates:
            if fixed.date is None:
                if start is None:
                    raise ValueError(f"campaign {self.id}: {fixed.code} is relative and no start is known")
                fixed = fixed.model_copy(
                    update={"date": _add_months(start, fixed.after_start_months or 0, fixed.after_start_days)}
                )
            resolved.append(fixed)
        return self.model_copy(update={"fixed_dates": resolved, "start": start})

    def fixed(self, code: str) -> FixedDate | None:
        return next((f for f in self.fixed_dates if f.code == code), None)

    def fixed_day(self, code: str) -> dt.date:
        """The date of fixed date ``code``, for a rule that needs it: the campaign must give it, and
        the policy must be resolved (a case always runs under a resolved policy)."""
        fixed = self.fixed(code)
        if fixed is None or fixed.date is None:
            raise MinecaseError(
                f"专项行动 {self.id} 未确定固定日期 {code}", f"campaign {self.id} has no resolved fixed date {code}"
            )
        return fixed.date

    def dated_phases(self, start: dt.date | None = None) -> list[Phase]:
        """The phases with concrete dates (relative ones counted from the campaign's start, or ``start``)."""
        origin = self.start or start
        out = []
        for phase in self.phases:
            update: dict[str, dt.date] = {}
            if phase.start is None and phase.start_after_months is not None and origin is not None:
                update["start"] = _add_months(origin, phase.start_after_months, 0)
            if phase.end is None and phase.end_after_months is not None and origin is not None:
                update["end"] = _add_months(origin, phase.end_after_months, -1)
            out.append(phase.model_copy(update=update))
        return out

    def yearly_targets(self, start: dt.date | None = None) -> dict[int, float]:
        """Hectares to restore per calendar year."""
        origin = self.start or start
        out: dict[int, float] = {}
        for target in self.area_targets:
            year = target.year if target.year is not None else (
                origin.year + target.year_after_start if origin is not None and target.year_after_start is not None else None)
            if year is not None:
                out[year] = out.get(year, 0.0) + target.hectares
        return dict(sorted(out.items()))

    def item(self, code: str) -> ApprovalItem | None:
        return next((i for i in self.approval_items if i.code == code), None)


def _add_months(start: dt.date, months: int, days: int) -> dt.date:
    import calendar as _cal

    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, _cal.monthrange(year, month)[1])
    return dt.date(year, month, day) + dt.timedelta(days=days)


CAMPAIGNS_DIR_ENV = "MINECASE_CAMPAIGNS_DIR"
"""A directory of further campaign files (``<id>.toml``, ``<id>.townships.txt``) beside the shipped ``campaigns/``:
a province deployment's counties keep their own files there (docs/province.md). A shipped id wins."""

DEFAULT_COUNTY = "上高县"
"""The county of a case whose campaign file is gone (the plan's county: every shipped campaign names it)."""


def campaign_file(campaign_id: str, suffix: str = ".toml") -> Any:
    """The campaign's file (``.toml`` or ``.townships.txt``): the shipped one, else the one in ``MINECASE_CAMPAIGNS_DIR``
    (a path-like object; ``is_file()`` false when neither exists)."""
    shipped = resources.files("campaigns") / f"{campaign_id}{suffix}"
    if shipped.is_file():
        return shipped
    extra = os.environ.get(CAMPAIGNS_DIR_ENV)
    if extra and "/" not in campaign_id and "\\" not in campaign_id and not campaign_id.startswith("."):
        return Path(extra) / f"{campaign_id}{suffix}"
    return shipped


def available_campaigns() -> list[str]:
    names = {p.name.removesuffix(".toml") for p in resources.files("campaigns").iterdir() if p.name.endswith(".toml")}
    extra = os.environ.get(CAMPAIGNS_DIR_ENV)
    if extra and Path(extra).is_dir():
        names |= {p.name.removesuffix(".toml") for p in Path(extra).iterdir() if p.name.endswith(".toml")}
    return sorted(names)


def load_campaign(campaign_id: str) -> CampaignPolicy:
    """The campaign file ``campaigns/<id>.toml`` (or ``MINECASE_CAMPAIGNS_DIR/<id>.toml``), unresolved."""
    path = campaign_file(campaign_id)
    if not path.is_file():
        from models.errors import MinecaseError

        known = ", ".join(available_campaigns())
        raise MinecaseError(f"未知的专项行动 {campaign_id!r}（可用：{known}）", f"unknown campaign {campaign_id!r} (available: {known})")
    return CampaignPolicy.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))


def county_of_campaign(campaign_id: str, default: str = DEFAULT_COUNTY) -> str:
    """The county a campaign's file names (``county = "…"``); ``default`` when the file is unknown or unreadable."""
    try:
        return load_campaign(campaign_id).county or default
    except Exception:  # noqa: BLE001 - a campaign file gone or broken since: the default county
        return default
