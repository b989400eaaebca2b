"""Township names (所属林场、乡镇) as the case file keeps them, and the campaign's dictionary of them.

A name is compared as typed by people and office software: NFKC (fullwidth letters and the ideographic
space become the plain ones), then every whitespace and zero-width character removed, wherever it is
(``上高县林场`` + U+200B, ``上高县林场`` + U+3000 and `` 上高县林场`` are one township; security review
finding 18: the permission check is an exact match, so a stray character hid a mine from its township).

A campaign's dictionary (``campaigns/<id>.townships.txt``, edited by the office in the case file,
``operations.townships``) lists the county's townships, forest farms and sub-districts; registration and
the ledger's import refuse a name outside it and suggest the nearest (newcomer trial D11: ``泗西镇`` became
a new township).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

from models.bounds import echo
from models.errors import MinecaseError

_INVISIBLE = re.compile(r"[\s\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
"""Whitespace (after NFKC: the ideographic and no-break spaces too), soft hyphen, zero-width and direction marks."""


def normalise_township(value: str) -> str:
    """The township name as compared and kept: NFKC, without whitespace and zero-width characters."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", value))


class UnknownTownship(MinecaseError):
    """A township outside the campaign's dictionary: refused, with the nearest names suggested."""


def suggestions(name: str, known: Iterable[str], limit: int = 3) -> list[str]:
    """The dictionary's names nearest to ``name`` (``泗西镇`` → ``泗溪镇``), best first."""
    names = list(known)
    close = difflib.get_close_matches(name, names, n=limit, cutoff=0.5)
    if not close:  # one character of a two-character name off: also a near miss
        close = [n for n in names if len(n) == len(name) and sum(a != b for a, b in zip(n, name, strict=True)) == 1][:limit]
    return close


def unknown_township(name: str, known: Iterable[str], campaign: str) -> UnknownTownship:
    """The refusal of a township outside ``campaign``'s dictionary, saying the nearest names."""
    near = suggestions(name, known)
    hint_zh = f"，是否为「{'」或「'.join(near)}」？" if near else "。"  # noqa: RUF001 - a Chinese question
    hint_en = f"; did you mean {' or '.join(near)}?" if near else "."
    return UnknownTownship(
        f"乡镇「{echo(name)}」不在专项行动 {campaign} 的乡镇字典中{hint_zh}（新增乡镇请领导小组办公室运行 minecase townships add）",
        f"township '{echo(name)}' is not in the dictionary of campaign {campaign}{hint_en} "
        "(the office adds a township with 'minecase townships add')",
    )


def check_township(name: str, known: Iterable[str], campaign: str) -> str:
    """``name`` normalised, if the dictionary ``known`` holds it (an empty dictionary checks nothing)."""
    names = set(known)
    normal = normalise_township(name)
    if names and normal not in names:
        raise unknown_township(normal, sorted(names), campaign)
    return normal
