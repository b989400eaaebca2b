"""Who the command line acts as: a user of the case file, never the operating system's login.

The identity is, first found: ``--by NAME`` on the command, ``MINECASE_USER``, or the name saved by
``minecase users use NAME`` (the file ``cli-user`` in ``MINECASE_DATA_DIR``). It must name an active user of
the case file (``minecase users add``); the actor of every input is that user's — role, unit (township or
department) and shown name all from the case file, as on the desk after sign-in. With none configured, a
command that acts or reads a unit's to-do refuses and says how to set one (newcomer trial D16: actions
were recorded as the OS login ``root``).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine

from casefile.users import UserRecord, get_user
from models.bounds import one_line
from models.errors import MinecaseError
from models.roles import Role
from runtime.settings import Settings

IDENTITY_FILE = "cli-user"
"""The file in the data directory that ``minecase users use NAME`` writes: the name, one line."""

HOW_TO = ("请设置 MINECASE_USER=用户名，或运行 minecase users use 用户名（用户见 minecase users list，新增用 minecase users add）",
          "set MINECASE_USER=NAME or run 'minecase users use NAME' (see 'minecase users list'; add one with 'minecase users add')")


class NoIdentity(MinecaseError):
    """The command needs to know who acts, and no user is configured, or the one named is not a user."""


def identity_file(settings: Settings) -> Path:
    return settings.data_dir / IDENTITY_FILE


def configured_name(settings: Settings, by: str | None = None) -> str | None:
    """The name the command acts as: ``--by``, ``MINECASE_USER`` or the saved one (``None``: none configured)."""
    for name in (by, settings.user):
        if name and name.strip():
            return name.strip()
    path = identity_file(settings)
    if path.is_file():
        saved = path.read_text(encoding="utf-8").strip()
        return saved or None
    return None


def check_name(name: str) -> str:
    """A user name as typed: one line (a control character is refused in one bilingual line)."""
    try:
        return one_line(name.strip())
    except ValueError as error:
        zh, _, en = str(error).partition(" / ")
        raise NoIdentity(f"操作人 {zh}", f"the acting user: {en}") from None


def signed_in(engine: Engine, settings: Settings, by: str | None = None) -> UserRecord:
    """The case file's user the command acts as; refused in one line when none is configured or it is unknown."""
    name = configured_name(settings, by)
    if name is None:
        raise NoIdentity("未设置操作人：" + HOW_TO[0], "no acting user configured: " + HOW_TO[1])
    user = get_user(engine, check_name(name))
    if user is None:
        raise NoIdentity(f"操作人「{name[:50]}」不是案卷中的有效用户：" + HOW_TO[0],
                         f"'{name[:50]}' is not an active user of the case file: " + HOW_TO[1])
    return user


def require_role(user: UserRecord, *roles: Role, what_zh: str, what_en: str) -> None:
    """Refuse a user whose role is not one of ``roles`` (e.g. only the office registers cases)."""
    if Role(user.role) not in roles:
        raise NoIdentity(f"用户「{user.name}」（{user.role}）不能{what_zh}", f"user '{user.name}' ({user.role}) cannot {what_en}")


def describe(user: UserRecord) -> str:
    """``张三（township · 泗溪镇）``: who the command acts as."""
    unit = user.township or user.department or user.permit_no or ""
    return f"{user.display_name or user.name}（{user.role}{' · ' + unit if unit else ''}）"
