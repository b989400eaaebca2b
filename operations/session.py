"""Who is signed in at the desk, for the API and the web pages alike.

The session is the mapping a signed cookie carries (Starlette's ``request.session``); it holds the
user's name under ``SESSION_KEY``, and the user row is looked up on every request, so a deleted
user or a changed role takes effect at once. No HTTP here: callers pass the mapping.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any

from sqlalchemy.engine import Engine

from casefile.users import UserRecord, authenticate, get_user
from operations.permissions import NotSignedIn

SESSION_KEY = "user"


def signed_in(engine: Engine, session: Mapping[str, Any]) -> UserRecord | None:
    """The signed-in user, or ``None``."""
    name = session.get(SESSION_KEY)
    return get_user(engine, name) if name else None


def need_user(engine: Engine, session: Mapping[str, Any]) -> UserRecord:
    """The signed-in user; ``NotSignedIn`` when there is none."""
    user = signed_in(engine, session)
    if user is None:
        raise NotSignedIn("请先登录", "please sign in")
    return user


def sign_in(engine: Engine, session: MutableMapping[str, Any], name: str, password: str, **keep: Any) -> UserRecord | None:
    """Check the password; on success start a new session for the user (the old one's entries are
    dropped, except ``keep``). ``None`` when the name or password is wrong (the session is untouched)."""
    user = authenticate(engine, name, password)
    if user is not None:
        session.clear()
        session[SESSION_KEY] = user.name
        session.update(keep)
    return user


def sign_out(session: MutableMapping[str, Any], **keep: Any) -> None:
    """End the session, keeping only ``keep``."""
    session.clear()
    session.update(keep)
