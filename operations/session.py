"""Who is signed in at the desk, for the API and the web pages alike.

The session is the mapping a signed cookie carries (Starlette's ``request.session``). It holds a
random session id under ``SESSION_KEY``, the form token under ``CSRF_KEY`` and the language; the
session itself is a row of the case file (``casefile.users.DeskSession``), looked up with the user on
every request. So signing out, a password, role or scope change, a disabled user, and idle and
absolute lifetimes end a session at once, whatever copies of the cookie exist. Flash messages live
in the row, not in the cookie. No HTTP here: callers pass the mapping.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine

from casefile.users import (
    UserRecord,
    authenticate,
    close_session,
    drop_stale_sessions,
    open_session,
    pop_flashes,
    push_flash,
    resume_session,
)
from operations import oplog
from operations.permissions import NotSignedIn
from operations.throttle import SignInGuard, Throttled

SESSION_KEY = "sid"
CSRF_KEY = "csrf"
FLASH_CHARS = 300
"""A flash message is cut to this many characters."""


@dataclass(frozen=True)
class Lifetimes:
    idle: dt.timedelta = dt.timedelta(hours=2)
    """A session unused this long has ended."""
    absolute: dt.timedelta = dt.timedelta(hours=12)
    """A session this old has ended, however busy."""


DEFAULT_LIFETIMES = Lifetimes()


def signed_in(engine: Engine, session: MutableMapping[str, Any], lifetimes: Lifetimes = DEFAULT_LIFETIMES) -> UserRecord | None:
    """The signed-in user, or ``None`` (also when the session was revoked or has run out: its id is
    then dropped from the cookie)."""
    session_id = session.get(SESSION_KEY)
    if not isinstance(session_id, str) or not session_id:
        return None
    user = resume_session(engine, session_id, idle=lifetimes.idle, absolute=lifetimes.absolute)
    if user is None:
        session.pop(SESSION_KEY, None)
    else:
        oplog.note_user(user)
    return user


def need_user(engine: Engine, session: MutableMapping[str, Any], lifetimes: Lifetimes = DEFAULT_LIFETIMES) -> UserRecord:
    """The signed-in user; ``NotSignedIn`` when there is none."""
    user = signed_in(engine, session, lifetimes)
    if user is None:
        raise NotSignedIn("请先登录", "please sign in")
    return user


def sign_in(engine: Engine, session: MutableMapping[str, Any], name: str, password: str, *,
            guard: SignInGuard | None = None, address: str | None = None,
            lifetimes: Lifetimes = DEFAULT_LIFETIMES, **keep: Any) -> UserRecord | None:
    """Check the password; on success start a new session for the user (the old one's entries are
    dropped, except ``keep``; the form token is new). ``None`` when the name or password is wrong (the
    session is untouched). With a ``guard``: ``Throttled`` when the account or address has failed too
    often, and the password check waits for a hashing slot. Blocking: call it off the event loop."""
    oplog.note_attempt(name)
    if guard is None:
        user = authenticate(engine, name, password)
    else:
        try:
            guard.check(name, address)
            with guard.hashing():
                user = authenticate(engine, name, password)
        except Throttled as error:
            oplog.note_refusal(error)
            raise
        if user is None:
            guard.failed(name, address)
        else:
            guard.succeeded(name)
    if user is None:
        entry = oplog.current()
        if entry is not None:
            entry.refuse("用户名或密码错误", "wrong user name or password")
    else:
        oplog.note_signed_in(user)
        drop_stale_sessions(engine, idle=lifetimes.idle, absolute=lifetimes.absolute)
        old = session.get(SESSION_KEY)
        if isinstance(old, str) and old:
            close_session(engine, old)
        session.clear()
        session[SESSION_KEY] = open_session(engine, user)
        session[CSRF_KEY] = secrets.token_urlsafe(32)
        session.update(keep)
    return user


def check_password(engine: Engine, name: str, password: str, *, guard: SignInGuard | None = None,
                   address: str | None = None) -> bool:
    """Whether ``password`` is ``name``'s, counted and throttled like a sign-in. Blocking."""
    if guard is None:
        return authenticate(engine, name, password) is not None
    guard.check(name, address)
    with guard.hashing():
        user = authenticate(engine, name, password)
    if user is None:
        guard.failed(name, address)
        return False
    guard.succeeded(name)
    return True


def reopen(engine: Engine, session: MutableMapping[str, Any], user: UserRecord) -> None:
    """After the user's own password change (which ended all their sessions): this one goes on, as a new
    session under the new stamp (same form token and language)."""
    old = session.get(SESSION_KEY)
    if isinstance(old, str) and old:
        close_session(engine, old)
    session[SESSION_KEY] = open_session(engine, user)


def sign_out(engine: Engine, session: MutableMapping[str, Any], **keep: Any) -> None:
    """End the session (its row is deleted: copies of the cookie are worthless), keeping only ``keep``."""
    session_id = session.get(SESSION_KEY)
    if isinstance(session_id, str) and session_id:
        oplog.note_session(engine, session_id)
        close_session(engine, session_id)
    session.clear()
    session[CSRF_KEY] = secrets.token_urlsafe(32)
    session.update(keep)


def csrf_token(session: MutableMapping[str, Any]) -> str:
    """The session's form token (made on first use: a visitor gets one before signing in)."""
    token = session.get(CSRF_KEY)
    if not isinstance(token, str) or not token:
        token = session[CSRF_KEY] = secrets.token_urlsafe(32)
    return token


def csrf_valid(session: Mapping[str, Any], sent: str | None) -> bool:
    token = session.get(CSRF_KEY)
    return isinstance(token, str) and bool(token) and bool(sent) and hmac.compare_digest(token, str(sent))


def flash(engine: Engine, session: Mapping[str, Any], kind: str, zh: str, en: str) -> None:
    """A one-time message for the session's next page (kept server-side; dropped without a session)."""
    session_id = session.get(SESSION_KEY)
    if isinstance(session_id, str) and session_id:
        push_flash(engine, session_id, {"kind": kind, "zh": zh[:FLASH_CHARS], "en": en[:FLASH_CHARS]})


def flashes(engine: Engine, session: Mapping[str, Any]) -> list[dict[str, str]]:
    session_id = session.get(SESSION_KEY)
    return pop_flashes(engine, session_id) if isinstance(session_id, str) and session_id else []
