"""A campaign's dictionary of townships, forest farms and sub-districts (乡镇字典), and its check.

The dictionary is the campaign's data file ``campaigns/<id>.townships.txt`` (one name a line, ``#`` comments)
with the office's edits applied (``casefile.tables.TownshipEdit``: ``minecase townships add|remove``).
Registration (API, desk, CLI) and the ledger's import refuse a township outside it, with the nearest names
("did you mean 泗溪镇?"). A campaign with no file and no edits has an empty dictionary, which checks nothing.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from casefile.tables import TownshipEdit
from models.errors import MinecaseError
from models.messages import MineFacts
from models.policy import load_campaign
from models.townships import check_township, normalise_township


class TownshipEditRefused(MinecaseError):
    """An edit of the dictionary that cannot be: an empty name, a name already (not) there."""


def file_townships(campaign: str) -> list[str]:
    """The names of ``campaigns/<campaign>.townships.txt``, in the file's order (none without a file)."""
    from models.policy import campaign_file

    path = campaign_file(campaign, ".townships.txt")
    if not path.is_file():
        return []
    names: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        name = normalise_township(line.split("#", 1)[0])
        if name and name not in names:
            names.append(name)
    return names


def townships(engine: Engine, campaign: str) -> list[str]:
    """The campaign's dictionary: the file's names with the office's edits applied (added names at the end)."""
    names = file_townships(campaign)
    with Session(engine) as session:
        edits = list(session.exec(select(TownshipEdit).where(TownshipEdit.campaign == campaign).order_by(col(TownshipEdit.at))))
    for edit in edits:
        if edit.active and edit.name not in names:
            names.append(edit.name)
        elif not edit.active and edit.name in names:
            names.remove(edit.name)
    return names


def checked_facts(engine: Engine, campaign: str, facts: MineFacts) -> MineFacts:
    """``facts`` if their township is in the campaign's dictionary; refused (``UnknownTownship``) otherwise."""
    check_township(facts.township, townships(engine, campaign), campaign)
    return facts


def _edit(engine: Engine, campaign: str, name: str, active: bool, by: str) -> str:
    load_campaign(campaign)  # an unknown campaign is refused
    normal = normalise_township(name)
    if not normal or len(normal) > 50:
        raise TownshipEditRefused("乡镇名称应为 1 到 50 个字", "a township's name is 1 to 50 characters")
    present = normal in townships(engine, campaign)
    if active and present:
        raise TownshipEditRefused(f"「{normal}」已在乡镇字典中", f"'{normal}' is in the dictionary already")
    if not active and not present:
        raise TownshipEditRefused(f"乡镇字典中没有「{normal}」", f"'{normal}' is not in the dictionary")
    with Session(engine) as session:
        row = session.get(TownshipEdit, (campaign, normal)) or TownshipEdit(campaign=campaign, name=normal, active=active,
                                                                            by=by, at=dt.datetime.now(dt.UTC))
        row.active, row.by, row.at = active, by, dt.datetime.now(dt.UTC)
        session.add(row)
        session.commit()
    return normal


def add_township(engine: Engine, campaign: str, name: str, by: str) -> str:
    """Add ``name`` (normalised) to the campaign's dictionary; the name as kept."""
    return _edit(engine, campaign, name, True, by)


def remove_township(engine: Engine, campaign: str, name: str, by: str) -> str:
    """Remove ``name`` from the campaign's dictionary (cases already registered there keep it)."""
    return _edit(engine, campaign, name, False, by)
