"""Bounded input: the limits every string of every message obeys, and how rule messages quote input.

Every text a person sends is capped in length (``Field(max_length=...)`` on the field) and refuses C0
control characters: a one-line field (a name, a code, an id) refuses them all; a free text (a comment, a
reason) keeps tab and line breaks (browsers send a textarea's lines as CR LF). A NUL or a form feed in a
name broke the ledger export and PostgreSQL's case file (review finding 10).

A rule message never repeats more than ``ECHO_CHARS`` characters of what was sent (``echo``): a rejection
that quoted a megabyte twice went over Temporal's payload limit and froze the case (review finding 3).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any

from pydantic import AfterValidator, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue

ECHO_CHARS = 40
"""How many characters of a person's input a rule message may quote."""

CODE_CHARS = 64
"""A code or an id sent back to the case (a task id, an approval item, a deadline kind)."""

PERMIT_NO_PATTERN = r"^ *[Cc][0-9]{22} *$"
"""A permit number as the API documents and takes it: C and 22 ASCII digits; spaces around it and a lower-case c are
read as the same number (``models.messages.MineFacts`` also reads fullwidth digits as ASCII, which a JSON Schema
pattern cannot say). The OpenAPI document states it on every ``permit_no``."""

_C0 = re.compile(r"[\x00-\x1f]")
_C0_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def echo(value: object, limit: int = ECHO_CHARS) -> str:
    """``value`` as a rule message may quote it: its first ``limit`` characters, then "…" when there was more."""
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


class WithJsonSchemaPattern:
    """Put ``pattern`` into a string's JSON Schema without checking it (its validator checks, with a clearer
    message than a pattern's); a field's own ``pattern`` (a permit number's) wins."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        schema = handler(core_schema)
        schema.setdefault("pattern", self.pattern)
        return schema


def _refuse(match: re.Match[str]) -> None:
    code = f"U+{ord(match.group()):04X}"
    raise ValueError(f"文字中含有控制字符（{code}），请删除 / the text contains a control character ({code})")


def one_line(value: str) -> str:
    """A one-line text: no C0 control character at all (tab and line breaks included)."""
    if (match := _C0.search(value)) is not None:
        _refuse(match)
    return value


def free_text(value: str) -> str:
    """A free text (comment, reason): no C0 control character but tab, line feed and carriage return."""
    if (match := _C0_BUT_LINES.search(value)) is not None:
        _refuse(match)
    return value


LINE_PATTERN = r"^[^\x00-\x1f]*$"
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$"
"""What ``one_line`` and ``free_text`` take, as the OpenAPI document states it (the validators give the message)."""

Line = Annotated[str, AfterValidator(one_line), WithJsonSchemaPattern(LINE_PATTERN)]
"""A one-line string; give its length with ``Field(max_length=...)``."""

Text = Annotated[str, AfterValidator(free_text), WithJsonSchemaPattern(TEXT_PATTERN)]
"""A free text that may have several lines; give its length with ``Field(max_length=...)``."""


def nfkc(value: str) -> str:
    """The NFKC form: fullwidth digits and letters become ASCII, compatibility spaces plain spaces."""
    return unicodedata.normalize("NFKC", value)
