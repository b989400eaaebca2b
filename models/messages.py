"""One typed message per verb. Each is a Temporal update on the case workflow.

Every message carries its actor; ``request_id`` (optional) makes a resend harmless: it becomes
the update id, and Temporal returns the first result instead of acting twice.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, PrivateAttr, field_validator

from models.attachments import MAX_ATTACHMENTS, AttachmentRef
from models.bounds import CODE_CHARS, LINE_PATTERN, PERMIT_NO_PATTERN, Line, Text, nfkc
from models.policy import CampaignPolicy
from models.roles import Actor
from models.townships import normalise_township

PERMIT_NO = re.compile(r"^C[0-9]{22}$")
"""ASCII digits only: ``\\d`` would take fullwidth, Arabic-Indic or Devanagari digits (a second case for one mine)."""


class MineFacts(BaseModel):
    """What the ledger knows of a stopped mine (一矿一档 cover sheet)."""

    permit_no: Line = Field(max_length=64, description="采矿许可证号 mining permit number, C + 22 digits",
                            json_schema_extra={"pattern": PERMIT_NO_PATTERN})
    mine_name: Line = Field(min_length=1, max_length=100)
    holder: Line = Field(min_length=1, max_length=100, description="采矿权人")
    township: Line = Field(min_length=1, max_length=50, description="所属林场、乡镇")
    leader: Line = Field(default="", max_length=50, description="挂点县领导 county leader in charge")
    mineral: Line = Field(default="", max_length=50)
    bare_area_mu: float = Field(default=0.0, ge=0, le=100000, description="裸露区面积（亩）")
    unused_bare_area_mu: float = Field(default=0.0, ge=0, le=100000, description="延续矿山不使用区裸露区面积（亩）")
    resources_exhausted: bool = False
    never_produced: bool = False
    fictional: bool = False

    @field_validator("permit_no")
    @classmethod
    def _permit_no_format(cls, value: str) -> str:
        value = nfkc(value).strip().upper()  # fullwidth digits (common in office documents) are the ASCII ones
        if not value.isascii():
            other = next(c for c in value if not c.isascii())
            raise ValueError(f"采矿许可证号只能由 C 和阿拉伯数字 0-9 组成，不能含有「{other}」（U+{ord(other):04X}） / "
                             f"a permit number is C and the digits 0-9 only, not {other!r} (U+{ord(other):04X})")
        if not PERMIT_NO.match(value):
            raise ValueError("采矿许可证号应为 C 加 22 位数字 / a permit number is C followed by 22 digits")
        return value

    @field_validator("township")
    @classmethod
    def _township_as_compared(cls, value: str) -> str:
        """NFKC, without whitespace and zero-width characters (security review finding 18)."""
        value = normalise_township(value)
        if not value:
            raise ValueError("所属林场、乡镇不能为空 / the township is required")
        return value


class RegisterCase(BaseModel):
    facts: MineFacts
    policy: CampaignPolicy
    registered_by: Actor
    on: dt.date | None = None
    """The day the mine was registered in the campaign (taking in a campaign already running); default today."""
    _unsealed: bool = PrivateAttr(default=False)
    """Read from a payload that was not sealed (``runtime.payloads.UNSEALED``): never a new input."""


class Message(BaseModel):
    actor: Actor
    comment: Text = Field(default="", max_length=2000)
    request_id: Line | None = Field(default=None, max_length=100)
    _unsealed: bool = PrivateAttr(default=False)
    """Read from a payload that was not sealed (``runtime.payloads.UNSEALED``): refused as a new input."""
    on: dt.date | None = None
    """The day the act legally happened (the meeting, the filing, the signing, the service), China Standard
    Time; default the day it is recorded. Never in the future, before the case's previous act, or before the
    campaign's start. Periods count from it."""
    attachments: list[AttachmentRef] = Field(default_factory=list, max_length=MAX_ATTACHMENTS)
    """Evidence (issue 14): the files this act rests on, uploaded first (``POST /api/cases/{permit}/attachments``)
    and named here by their hash. The desk refuses a file not stored for the case before anything is sent."""


class ProposeDisposition(Message):
    """四.1 The township proposes cancel (注销) or continue (延续)."""

    path: Literal["continue", "cancel"]
    reason: Text = Field(default="", max_length=2000)


def _one_line_keys(schema: dict[str, Any]) -> None:
    """The OpenAPI document of a mapping with one-line keys: every key is a one-line code and every value a date (pydantic
    states the key's pattern as ``patternProperties``, which leaves other keys open)."""
    values = schema.pop("patternProperties", {}).get(LINE_PATTERN)
    if values is not None:
        schema["additionalProperties"] = values
    schema.setdefault("propertyNames", {})["pattern"] = LINE_PATTERN


class DecideDisposition(Message):
    """四.1 The county government approves the proposal (县政府研究同意) or sends it back."""

    approve: bool
    deadlines: dict[Annotated[Line, Field(max_length=CODE_CHARS)], dt.date] = Field(
        default_factory=dict, max_length=20, json_schema_extra=_one_line_keys,
        description="期限种类 → 最后一日（今天起 10 年内）deadline kind → last day (at most 10 years from today)")
    """Dates the decision names for periods whose campaign date has passed (deadline kind → last day), e.g.
    ``{"restoration_plan": 2027-03-31}``: a decision after the campaign's fixed dates must name them."""


class SubmitDocument(Message):
    """四.1 The holder submits an approval document (or the compliance file) to its department."""

    item: Line = Field(max_length=CODE_CHARS)
    title: Line = Field(default="", max_length=200)


def _keys_are_lines(schema: dict[str, Any]) -> None:
    """A dict keyed by ``Line``s: pydantic states the key's pattern as ``patternProperties``, which leaves a key outside
    the pattern unconstrained; say instead that every key is a line and every value a boolean."""
    schema.pop("patternProperties", None)
    schema["propertyNames"] = {**schema.get("propertyNames", {}), "pattern": LINE_PATTERN}
    schema["additionalProperties"] = {"type": "boolean"}


class RecordReview(Message):
    """A department's (or the township's) decision on one of its tasks."""

    task_id: Line = Field(max_length=CODE_CHARS)
    approved: bool
    checklist: dict[Annotated[Line, Field(max_length=CODE_CHARS)], bool] = Field(
        default_factory=dict, max_length=50, json_schema_extra=lambda schema: _keys_are_lines(schema))
    """A field acceptance (实地验收): the department's answers to its items of the acceptance standard (达标验收表, the
    campaign's ``acceptance_checklist``), code → passed. When given it must answer every item of the department, and
    an approval needs every item passed."""


class ReportWorksDone(Message):
    """五.1 The holder reports the rectification works finished: the township inspects first.

    ``scope`` ``unused_zones``: a continue mine's works on the bare areas of the zones it no longer uses, its own
    duty with its own acceptance (四.2; cases since patch ``lawful-enforcement-2026-11-27``). The default is the
    whole rectification, as before."""

    scope: Literal["rectification", "unused_zones"] = "rectification"


class DecideRenewal(Message):
    """四.1 The county executive meeting (县政府常务会议) on the joint review's result."""

    approve: bool


class ApplyResumeProduction(Message):
    """五.1 last sentence: resuming production goes through one more joint review."""


class ApplyCancellation(Message):
    """四.1/四.3 The township applies to cancel the right of a holder deemed to have abandoned it."""


class MoveDeadline(Message):
    """五.3 A collective decision (一事一议) moves a running deadline."""

    kind: Line = Field(max_length=CODE_CHARS)
    new_last_day: dt.date = Field(description="新的最后一日，今天起 10 年内 the new last day, at most 10 years from today")
    meeting: Line = Field(min_length=1, max_length=200, description="会议及纪要文号 the meeting and its minutes")
    reason: Text = Field(min_length=1, max_length=2000)


class ServeDocument(Message):
    """送达: a decision addressed to the holder was served, or a notice published (method ``announcement``)."""

    document_id: Line = Field(min_length=1, max_length=100)
    method: Literal["direct", "post", "electronic", "announcement"]
    url: Line | None = Field(default=None, max_length=500, description="where a notice was published")


class RecomputeDeadlines(BaseModel):
    """A holiday schedule was loaded: recompute provisional deadlines (the timers follow)."""

    actor: Actor
    request_id: Line | None = Field(default=None, max_length=100)
    _unsealed: bool = PrivateAttr(default=False)
