"""Engine and schema for the case file database.

The schema is made and changed only by the Alembic migrations in ``casefile/migrations/versions``:
``upgrade_database`` brings a case file to the newest one (``minecase up``, ``minecase worker`` and
``minecase db upgrade`` call it); every other entry point checks with ``require_current_schema`` and
refuses a case file that is missing, older or newer than the code. ``make_engine`` only connects.
"""

from __future__ import annotations

import threading
import weakref
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import create_engine

from models.errors import MinecaseError

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=10000",
)

MIGRATIONS = Path(__file__).parent / "migrations"

BASELINE_TABLES = frozenset({"cases", "timeline", "deadlines", "tasks", "notices", "documents", "holiday_year", "users"})
"""The tables of the last release without migrations (2026-11-23), made by ``create_all``: a case file
that has them and no ``alembic_version`` is that release's, and is stamped at the first revision."""

_PG_LOCK = zlib.crc32(b"minecase case file migrations")
"""Key of the PostgreSQL advisory lock that serialises upgrades (the worker and the web start together)."""


class SchemaError(MinecaseError):
    """The case file's schema does not fit this code: missing, older, newer, or not a case file."""


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get WAL and a busy timeout. It does not touch the schema:
    see ``upgrade_database`` and ``require_current_schema``."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):  # pragma: no cover - trivial
            cursor = dbapi_connection.cursor()
            for pragma in SQLITE_PRAGMAS:
                cursor.execute(pragma)
            cursor.close()
    else:
        engine = create_engine(url, pool_pre_ping=True)
    return engine


_WRITERS: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()
_WRITERS_GUARD = threading.Lock()


@contextmanager
def one_writer(engine: Engine) -> Iterator[None]:
    """Hold this process's write turn on a SQLite case file for the block (PostgreSQL: no turn, rows lock themselves).

    SQLite lets one transaction write at a time. A writer that finds the file locked sleeps in SQLite's busy handler
    and tries again after a growing pause (up to 100 ms), so eight activity threads of one worker contending for the
    lock spend their time asleep while the file is free (issue 16: the case-file write was a fifth of a lifecycle's
    samples, two thirds of it waiting in ``BEGIN IMMEDIATE``). In one process the writers queue on a lock instead and
    each starts as soon as the previous one commits; another process (the desk, a second worker) still meets the busy
    timeout, as before."""
    if engine.dialect.name != "sqlite":
        yield
        return
    with _WRITERS_GUARD:
        lock = _WRITERS.get(engine)
        if lock is None:
            lock = _WRITERS[engine] = threading.Lock()
    with lock:
        yield


# -- migrations --------------------------------------------------------------------------------------


def alembic_config(connection: Connection | None = None):
    """Alembic's configuration, built here (no alembic.ini at run time). With ``connection``, the
    migrations run on it (``env.py`` takes it from ``attributes``)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    config.set_main_option("path_separator", "os")
    config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def _scripts():
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest revision this code knows (one head: two would be a merge to make)."""
    return _scripts().get_current_head()


def first_revision() -> str:
    """The revision that creates the 2026-11-23 schema."""
    return _scripts().get_base()


SchemaState = Literal["current", "missing", "unversioned", "behind", "ahead", "partial"]


@dataclass(frozen=True)
class SchemaStatus:
    state: SchemaState
    """``current``: at head. ``missing``: no case file tables (or no file). ``unversioned``: the
    2026-11-23 release's tables, no version yet. ``behind``: an older revision. ``ahead``: a revision
    this code does not know (a newer minecase made it). ``partial``: some of the tables, no version."""
    revision: str | None
    head: str
    where: str


def _where(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _sqlite_file(engine: Engine) -> Path | None:
    url = engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        return None
    return Path(url.database)


def _status(connection: Connection, where: str) -> SchemaStatus:
    from alembic.runtime.migration import MigrationContext

    scripts = _scripts()
    head = scripts.get_current_head()
    tables = set(inspect(connection).get_table_names())
    revision = MigrationContext.configure(connection).get_current_revision() if "alembic_version" in tables else None
    state: SchemaState
    if revision is None:
        present = tables & BASELINE_TABLES
        state = "missing" if not present else "unversioned" if present == BASELINE_TABLES else "partial"
    elif revision == head:
        state = "current"
    else:
        from alembic.script.revision import RevisionError
        from alembic.util import CommandError

        try:
            known = scripts.get_revision(revision) is not None
        except (CommandError, RevisionError):  # not one of ours
            known = False
        state = "behind" if known else "ahead"
    return SchemaStatus(state, revision, head, where)


def schema_status(engine: Engine) -> SchemaStatus:
    """Where the case file stands against the migrations; a missing SQLite file is not created."""
    file = _sqlite_file(engine)
    if file is not None and not file.exists():
        return SchemaStatus("missing", None, head_revision(), _where(engine))
    with engine.connect() as connection:
        return _status(connection, _where(engine))


def _refusal(status: SchemaStatus) -> SchemaError:
    where, head, rev = status.where, status.head, status.revision
    fix_zh, fix_en = "请先运行 minecase up 或 minecase db upgrade", "run 'minecase up' or 'minecase db upgrade' first"
    if status.state == "missing":
        return SchemaError(f"案卷数据库 {where} 尚未建立，{fix_zh}", f"the case file {where} has no tables yet; {fix_en}")
    if status.state in ("unversioned", "behind"):
        return SchemaError(f"案卷数据库 {where} 的结构较旧（{rev or '2026-11-23 版'}，本程序需要 {head}），{fix_zh}",
                           f"the case file {where} is older than this minecase ({rev or '2026-11-23 release'}, needs {head}); {fix_en}")
    if status.state == "ahead":
        return SchemaError(f"案卷数据库 {where} 的结构版本 {rev} 比本程序新，请升级 minecase",
                           f"the case file {where} has schema revision {rev}, newer than this minecase knows; upgrade minecase")
    return SchemaError(f"数据库 {where} 只有部分案卷表，不能自动升级，请检查数据库地址",
                       f"{where} holds only some of the case file's tables and cannot be upgraded; check the database URL")


def require_current_schema(engine: Engine) -> Engine:
    """``engine`` if its case file is at head; otherwise a SchemaError saying what to run."""
    status = schema_status(engine)
    if status.state != "current":
        raise _refusal(status)
    return engine


def open_casefile(url: str, *, upgrade: bool = False) -> Engine:
    """An engine for the case file at ``url``, at head: upgraded to it (``upgrade``: ``minecase up``, the
    worker, the tests), or checked and refused with a SchemaError if it is not (every other command)."""
    engine = make_engine(url)
    try:
        if upgrade:
            upgrade_database(engine)
            return engine
        return require_current_schema(engine)
    except BaseException:
        engine.dispose()
        raise


@contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction that only one process at a time holds: SQLite ``BEGIN IMMEDIATE``
    (the write lock of the file), PostgreSQL an advisory transaction lock. Committed on leaving."""
    with engine.connect() as connection:
        dialect = connection.dialect.name
        if dialect == "sqlite":
            # pysqlite opens no transaction before DDL by itself: open one, and take the write lock now.
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        elif dialect == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
        try:
            yield connection
        except BaseException:
            connection.rollback()
            raise
        connection.commit()


@dataclass(frozen=True)
class Upgraded:
    before: str | None
    """The revision found (None: an empty database, or the 2026-11-23 release's, see ``adopted``)."""
    after: str
    adopted: bool
    """The case file was the 2026-11-23 release's and was stamped at the first revision."""


def upgrade_database(engine: Engine) -> Upgraded:
    """Bring the case file to the newest revision, in one transaction: an empty database is created by
    the migrations; the 2026-11-23 release's (its tables, no ``alembic_version``) is stamped at the
    first revision, then upgraded. Serialised between processes; at head already, it changes nothing."""
    from alembic import command

    with engine.connect() as connection:  # the usual case, a second process included: at head, no lock needed
        status = _status(connection, _where(engine))
    if status.state == "current":
        return Upgraded(status.revision, status.head, False)
    with migration_connection(engine) as connection:  # then look again, holding the lock
        status = _status(connection, _where(engine))
        if status.state == "current":
            return Upgraded(status.revision, status.head, False)
        if status.state in ("ahead", "partial"):
            raise _refusal(status)
        config = alembic_config(connection)
        adopted = status.state == "unversioned"
        if adopted:
            command.stamp(config, first_revision())
        command.upgrade(config, "head")
        return Upgraded(status.revision, status.head, adopted)
