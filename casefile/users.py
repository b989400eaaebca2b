"""Sign-ins: who may use the desk, in which role, and over what (a township, a department, a mine).

Passwords are hashed with Argon2 (``pwdlib``); only the hash is stored.

The desk's sessions are rows here too (``DeskSession``): the cookie carries a random id, the table
its SHA-256, the user, when it began and was last used, the user's stamp at sign-in (a digest of the
password hash, role and scope, so any change of either ends every session of the user) and the
session's pending flash messages.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets

from pwdlib import PasswordHash
from sqlalchemy import false
from sqlalchemy.engine import Engine
from sqlmodel import Field, Session, SQLModel, select

from models.errors import MinecaseError
from models.roles import Actor, Department, Role

_hasher = PasswordHash.recommended()

# Roles a person can sign in with (``system`` is the software itself).
USER_ROLES = (Role.office, Role.county, Role.township, Role.department, Role.holder, Role.expert, Role.viewer, Role.leader,
              Role.province)


class UserError(MinecaseError, ValueError):
    """Bad input about a user: unknown role, a missing township, a duplicate name."""


class UnknownUser(UserError):
    """No user of that name."""


class UserRecord(SQLModel, table=True):
    __tablename__ = "users"

    name: str = Field(primary_key=True, max_length=50)
    display_name: str = ""
    role: str = Field(index=True)
    township: str | None = None
    department: str | None = None
    permit_no: str | None = None
    leader: str | None = None
    """A ``leader`` user's scope: its name as the mines' 挂点县领导 field records it (it reads those mines)."""
    county: str | None = None
    """The county whose cases the user reads and acts on (a province deployment, docs/province.md). Null: the
    deployment's single county, as before — no county filter. Not used by a ``province`` user (it reads every county)."""
    password_hash: str
    active: bool = True
    demo: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    """A demo sign-in made by ``minecase up --demo`` (random password): the desk is not served off loopback
    while an active one exists."""
    created_at: dt.datetime = Field(default_factory=lambda: dt.datetime.now(dt.UTC))

    def actor(self) -> Actor:
        """The actor every input of this user carries: set by the server, never by the client."""
        return Actor(
            role=Role(self.role),
            name=self.display_name or self.name,
            department=Department(self.department) if self.department else None,
            township=self.township,
        )


class DeskSession(SQLModel, table=True):
    """One signed-in session of the desk: revoked by deleting the row."""

    __tablename__ = "desk_sessions"

    id_hash: str = Field(primary_key=True, max_length=64)
    """SHA-256 (hex) of the id the cookie carries: the table alone does not let anyone in."""
    user_name: str = Field(index=True, max_length=50)
    user_stamp: str = Field(max_length=64)
    created_at: dt.datetime
    last_seen_at: dt.datetime
    flashes: str = "[]"
    """Pending one-time messages (JSON list), shown and dropped by the next page."""


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _utc(instant: dt.datetime) -> dt.datetime:
    """An instant read back from the case file, in UTC (SQLite gives it back naive, PostgreSQL aware)."""
    return instant.replace(tzinfo=dt.UTC) if instant.tzinfo is None else instant.astimezone(dt.UTC)


def user_stamp(user: UserRecord) -> str:
    """A digest of what a session was granted under: the password hash, the role and the scope."""
    parts = (user.password_hash, user.role, user.township or "", user.department or "", user.permit_no or "",
             "active" if user.active else "disabled") + ((user.leader,) if user.leader else ()) \
        + ((f"county:{user.county}",) if user.county else ())
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _hash_id(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def open_session(engine: Engine, user: UserRecord, *, now: dt.datetime | None = None) -> str:
    """A new session for ``user``; the id for the cookie."""
    session_id = secrets.token_urlsafe(32)
    now = now or utc_now()
    with Session(engine) as db:
        db.add(DeskSession(id_hash=_hash_id(session_id), user_name=user.name, user_stamp=user_stamp(user),
                           created_at=now, last_seen_at=now))
        db.commit()
    return session_id


def resume_session(engine: Engine, session_id: str, *, idle: dt.timedelta, absolute: dt.timedelta,
                   now: dt.datetime | None = None, touch_after: dt.timedelta = dt.timedelta(seconds=60)) -> UserRecord | None:
    """The user of a live session, or ``None`` (and the row is deleted) when the session is unknown, idle
    too long, too old, or the user is gone, disabled, or changed password, role or scope since."""
    now = now or utc_now()
    with Session(engine) as db:
        row = db.get(DeskSession, _hash_id(session_id))
        if row is None:
            return None
        user = db.get(UserRecord, row.user_name)
        if (user is None or not user.active or row.user_stamp != user_stamp(user)
                or now - _utc(row.created_at) >= absolute or now - _utc(row.last_seen_at) >= idle):
            db.delete(row)
            db.commit()
            return None
        if now - _utc(row.last_seen_at) >= touch_after:
            row.last_seen_at = now
            db.add(row)
            db.commit()
            db.refresh(user)
        return user


def close_session(engine: Engine, session_id: str) -> None:
    """Revoke one session (sign-out)."""
    with Session(engine) as db:
        row = db.get(DeskSession, _hash_id(session_id))
        if row is not None:
            db.delete(row)
            db.commit()


def close_sessions_of(engine: Engine, name: str) -> int:
    """Revoke every session of a user (password or role change, disabling); how many were open."""
    with Session(engine) as db:
        rows = list(db.exec(select(DeskSession).where(DeskSession.user_name == name)))
        for row in rows:
            db.delete(row)
        db.commit()
        return len(rows)


def drop_stale_sessions(engine: Engine, *, idle: dt.timedelta, absolute: dt.timedelta, now: dt.datetime | None = None) -> None:
    """Delete the rows of sessions that can no longer be resumed."""
    now = now or utc_now()
    with Session(engine) as db:
        stale = db.exec(select(DeskSession).where(
            (DeskSession.created_at <= now - absolute) | (DeskSession.last_seen_at <= now - idle)))
        for row in stale:
            db.delete(row)
        db.commit()


def push_flash(engine: Engine, session_id: str, message: dict[str, str]) -> None:
    with Session(engine) as db:
        row = db.get(DeskSession, _hash_id(session_id))
        if row is None:
            return
        row.flashes = json.dumps([*json.loads(row.flashes or "[]"), message][-5:], ensure_ascii=False)
        db.add(row)
        db.commit()


def pop_flashes(engine: Engine, session_id: str) -> list[dict[str, str]]:
    with Session(engine) as db:
        row = db.get(DeskSession, _hash_id(session_id))
        if row is None or not row.flashes or row.flashes == "[]":
            return []
        messages = json.loads(row.flashes)
        row.flashes = "[]"
        db.add(row)
        db.commit()
        return messages


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_user_fields(role: str, township: str | None, department: str | None, permit_no: str | None,
                      leader: str | None = None) -> Role:
    try:
        parsed = Role(role)
    except ValueError:
        parsed = None
    if parsed not in USER_ROLES:
        allowed = ", ".join(r.value for r in USER_ROLES)
        raise UserError(f"未知角色「{role}」，可选：{allowed}", f"unknown role '{role}'; choose one of {allowed}")
    if parsed == Role.township and not township:
        raise UserError("乡镇用户须指明乡镇（--township）", "a township user needs --township")
    if parsed == Role.department:
        if not department:
            raise UserError("部门用户须指明部门（--department）", "a department user needs --department")
        if department not in {d.value for d in Department}:
            allowed = ", ".join(d.value for d in Department)
            raise UserError(f"未知部门「{department}」，可选：{allowed}", f"unknown department '{department}'; choose one of {allowed}")
    if parsed == Role.holder and not permit_no:
        raise UserError("采矿权人用户须指明采矿许可证号（--permit）", "a holder user needs --permit")
    if parsed == Role.leader and not (leader or "").strip():
        raise UserError("挂点县领导用户须指明其在台账「挂点县领导」栏中的姓名（--scope）",
                        "a leader user needs --scope: its name as the ledger's 挂点县领导 column records it")
    if parsed == Role.leader and len(leader or "") > 50:
        raise UserError("挂点县领导姓名至多 50 个字符", "a leader's name is at most 50 characters")
    return parsed


def check_county(county: str | None) -> str | None:
    """A user's county as kept (trimmed; empty: none, the deployment's single county)."""
    county = (county or "").strip()
    if len(county) > 50:
        raise UserError("县名至多 50 个字符", "a county's name is at most 50 characters")
    return county or None


def add_user(
    engine: Engine, name: str, password: str, role: str, *, township: str | None = None, department: str | None = None,
    permit_no: str | None = None, leader: str | None = None, display_name: str = "", replace: bool = False, demo: bool = False,
    county: str | None = None,
) -> UserRecord:
    name = name.strip()
    if not name or len(name) > 50:
        raise UserError("用户名应为 1 到 50 个字符", "a user name is 1 to 50 characters")
    check_password(password)
    parsed = check_user_fields(role, township, department, permit_no, leader)
    user = UserRecord(
        name=name, display_name=display_name or name, role=parsed.value,
        township=township if parsed == Role.township else None,
        department=department if parsed == Role.department else None,
        permit_no=permit_no.strip().upper() if parsed == Role.holder and permit_no else None,
        leader=leader.strip() if parsed == Role.leader and leader else None,
        county=check_county(county) if parsed != Role.province else None,
        password_hash=hash_password(password), demo=demo,
    )
    with Session(engine) as session:
        existing = session.get(UserRecord, name)
        if existing is not None and not replace:
            raise UserError(f"用户「{name}」已存在", f"user '{name}' already exists")
        if existing is not None:
            session.delete(existing)
            for open_one in session.exec(select(DeskSession).where(DeskSession.user_name == name)):
                session.delete(open_one)  # a replaced user signs in again
            session.flush()
        session.add(user)
        session.commit()
        session.refresh(user)
        return user


def get_user(engine: Engine, name: str) -> UserRecord | None:
    with Session(engine) as session:
        user = session.get(UserRecord, name)
        return user if user is not None and user.active else None


def get_any_user(engine: Engine, name: str) -> UserRecord | None:
    """The user of that name, active or not."""
    with Session(engine) as session:
        return session.get(UserRecord, name)


def authenticate(engine: Engine, name: str, password: str) -> UserRecord | None:
    """The user if the password is right; None otherwise (same answer for an unknown name)."""
    with Session(engine) as session:
        user = session.get(UserRecord, name.strip())
        if user is None or not user.active:
            _hasher.hash(password)  # spend the same time as a real check
            return None
        valid, new_hash = _hasher.verify_and_update(password, user.password_hash)
        if not valid:
            return None
        if new_hash:
            user.password_hash = new_hash
            session.add(user)
            session.commit()
            session.refresh(user)
        return user


def list_users(engine: Engine) -> list[UserRecord]:
    with Session(engine) as session:
        return list(session.exec(select(UserRecord).order_by(UserRecord.role, UserRecord.name)))


PUBLISHED_PASSWORDS = ("minecase-demo",)
"""Passwords printed in earlier READMEs (every demo sign-in once had the first): never served off loopback."""


def check_password(password: str) -> None:
    if len(password) < 8:
        raise UserError("密码至少 8 个字符", "a password has at least 8 characters")
    if len(password) > 200:
        raise UserError("密码至多 200 个字符", "a password has at most 200 characters")
    if password in PUBLISHED_PASSWORDS:
        raise UserError("此密码已公开，不能使用", "this password is published and cannot be used")


def new_password() -> str:
    """A random password to print once (about 72 bits)."""
    return secrets.token_urlsafe(9)


def _existing(session: Session, name: str) -> UserRecord:
    user = session.get(UserRecord, name.strip())
    if user is None:
        raise UnknownUser(f"没有用户「{name.strip()[:50]}」", f"no user '{name.strip()[:50]}'")
    return user


def set_password(engine: Engine, name: str, password: str) -> UserRecord:
    """A new password for ``name``; every session of the user ends (its stamp changes)."""
    check_password(password)
    with Session(engine) as session:
        user = _existing(session, name)
        user.password_hash = hash_password(password)
        session.add(user)
        for open_one in session.exec(select(DeskSession).where(DeskSession.user_name == user.name)):
            session.delete(open_one)
        session.commit()
        session.refresh(user)
        return user


def set_active(engine: Engine, name: str, active: bool) -> UserRecord:
    """Disable (``active=False``: the user cannot sign in and every session of theirs ends) or enable a user."""
    with Session(engine) as session:
        user = _existing(session, name)
        user.active = active
        session.add(user)
        if not active:
            for open_one in session.exec(select(DeskSession).where(DeskSession.user_name == user.name)):
                session.delete(open_one)
        session.commit()
        session.refresh(user)
        return user


def remove_user(engine: Engine, name: str) -> None:
    """Delete a user and every session of theirs (the case file keeps what they did, under their name)."""
    with Session(engine) as session:
        user = _existing(session, name)
        for open_one in session.exec(select(DeskSession).where(DeskSession.user_name == user.name)):
            session.delete(open_one)
        session.delete(user)
        session.commit()


def exposed_users(engine: Engine) -> list[str]:
    """Active users that must not be served off loopback: demo sign-ins, and users whose password is a
    published one. Checks every active user's hash (Argon2): call it once, when the desk starts."""
    exposed = []
    with Session(engine) as session:
        for user in session.exec(select(UserRecord).where(UserRecord.active == True).order_by(UserRecord.name)):  # noqa: E712
            if user.demo or any(_hasher.verify(p, user.password_hash) for p in PUBLISHED_PASSWORDS):
                exposed.append(user.name)
    return exposed
