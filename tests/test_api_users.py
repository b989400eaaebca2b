"""Users: hashed passwords, role fields, and ``minecase users add``."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from casefile.db import open_casefile
from casefile.users import UserError, add_user, authenticate, get_user
from cli.db_commands import db_app
from cli.users_commands import users_app


@pytest.fixture
def fresh_engine(tmp_path):
    engine = open_casefile(f"sqlite:///{tmp_path / 'users.db'}", upgrade=True)
    yield engine
    engine.dispose()


def test_a_password_is_stored_only_as_an_argon2_hash(fresh_engine):
    user = add_user(fresh_engine, "li", "s3cret-pass", "viewer")
    assert user.password_hash.startswith("$argon2") and "s3cret-pass" not in user.password_hash
    assert authenticate(fresh_engine, "li", "s3cret-pass").name == "li"
    assert authenticate(fresh_engine, "li", "wrong-pass") is None
    assert authenticate(fresh_engine, "nobody", "s3cret-pass") is None


def test_the_actor_comes_from_the_user_row(fresh_engine):
    add_user(fresh_engine, "wang", "s3cret-pass", "department", department="water", display_name="王审批")
    actor = get_user(fresh_engine, "wang").actor()
    assert (actor.role, actor.department, actor.name) == ("department", "water", "王审批")


@pytest.mark.parametrize(
    "role, scope, fragment",
    [
        ("mayor", {}, "unknown role"),
        ("system", {}, "unknown role"),
        ("township", {}, "--township"),
        ("department", {}, "--department"),
        ("department", {"department": "tax"}, "unknown department"),
        ("holder", {}, "--permit"),
    ],
)
def test_a_user_without_the_scope_of_its_role_is_refused(fresh_engine, role, scope, fragment):
    with pytest.raises(UserError) as error:
        add_user(fresh_engine, "x", "s3cret-pass", role, **scope)
    assert fragment in error.value.en


def test_a_user_name_is_taken_only_once_unless_replaced(fresh_engine):
    add_user(fresh_engine, "zhao", "s3cret-pass", "viewer")
    with pytest.raises(UserError):
        add_user(fresh_engine, "zhao", "other-pass1", "viewer")
    add_user(fresh_engine, "zhao", "other-pass1", "office", replace=True)
    assert get_user(fresh_engine, "zhao").role == "office"


def test_minecase_users_add_creates_a_township_user(tmp_path, monkeypatch):
    monkeypatch.setenv("MINECASE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("MINECASE_DATABASE_URL", raising=False)
    assert CliRunner().invoke(db_app, ["upgrade"]).exit_code == 0
    result = CliRunner().invoke(users_app, ["add", "sixi", "--role", "township", "--township", "泗溪镇", "--password", "s3cret-pass"])
    assert result.exit_code == 0, result.output
    assert "sixi" in result.output
    engine = open_casefile(f"sqlite:///{tmp_path / 'casefile.db'}")
    assert get_user(engine, "sixi").township == "泗溪镇"
    engine.dispose()
    refused = CliRunner().invoke(users_app, ["add", "bad", "--role", "township", "--password", "s3cret-pass"])
    assert isinstance(refused.exception, UserError)
