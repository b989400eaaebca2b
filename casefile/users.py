"""Sign-ins: who may use the desk, in which role, and over what (a township, a department, a mine).

Passwords are hashed with Argon2 (``pwdlib``); only the hash is stored.
"""

from __future__ import annotations

import datetime as dt

from pwdlib import PasswordHash
from sqlalchemy.engine import Engine
from sqlmodel import Field, Session, SQLModel, select

from models.errors import MinecaseError
from models.roles import Actor, Department, Role

_hasher = PasswordHash.recommended()

# Roles a person can sign in with (``system`` is the software itself).
USER_ROLES = (Role.office, Role.county, Role.township, Role.department, Role.holder, Role.expert, Role.viewer)


class UserError(MinecaseError, ValueError):
    """Bad input about a user: unknown role, a missing township, a duplicate name."""


class UserRecord(SQLModel, table=True):
    __tablename__ = "users"

    name: str = Field(primary_key=True, max_length=50)
    display_name: str = ""
    role: str = Field(index=True)
    township: str | None = None
    department: str | None = None
    permit_no: str | None = None
    password_hash: str
    active: bool = True
    created_at: dt.datetime = Field(default_factory=lambda: dt.datetime.now(dt.UTC))

    def actor(self) -> Actor:
        """The actor every input of this user carries: set by the server, never by the client."""
        return Actor(
            role=Role(self.role),
            name=self.display_name or self.name,
            department=Department(self.department) if self.department else None,
            township=self.township,
        )


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_user_fields(role: str, township: str | None, department: str | None, permit_no: str | None) -> Role:
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
    return parsed


def add_user(
    engine: Engine, name: str, password: str, role: str, *, township: str | None = None, department: str | None = None,
    permit_no: str | None = None, display_name: str = "", replace: bool = False,
) -> UserRecord:
    name = name.strip()
    if not name or len(name) > 50:
        raise UserError("用户名应为 1 到 50 个字符", "a user name is 1 to 50 characters")
    if len(password) < 8:
        raise UserError("密码至少 8 个字符", "a password has at least 8 characters")
    parsed = check_user_fields(role, township, department, permit_no)
    user = UserRecord(
        name=name, display_name=display_name or name, role=parsed.value,
        township=township if parsed == Role.township else None,
        department=department if parsed == Role.department else None,
        permit_no=permit_no.strip().upper() if parsed == Role.holder and permit_no else None,
        password_hash=hash_password(password),
    )
    with Session(engine) as session:
        existing = session.get(UserRecord, name)
        if existing is not None and not replace:
            raise UserError(f"用户「{name}」已存在", f"user '{name}' already exists")
        if existing is not None:
            session.delete(existing)
            session.flush()
        session.add(user)
        session.commit()
        session.refresh(user)
        return user


def get_user(engine: Engine, name: str) -> UserRecord | None:
    with Session(engine) as session:
        user = session.get(UserRecord, name)
        return user if user is not None and user.active else None


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
