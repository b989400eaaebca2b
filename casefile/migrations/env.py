"""Alembic environment of the case file.

At run time ``casefile.db.upgrade_database`` builds the configuration itself and hands over a
connection that already holds the migration lock (``config.attributes["connection"]``). From the
repository, ``alembic`` reads ``alembic.ini`` and connects to ``sqlalchemy.url`` if set there, else to
the configured case file (``MINECASE_DATABASE_URL``, default ``.minecase/casefile.db``), taking the
same lock.
"""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from casefile import holidays, notices, tables, users  # noqa: F401 - every table in the metadata

config = context.config
target_metadata = SQLModel.metadata

OPTIONS = {
    "target_metadata": target_metadata,
    # Batch operations (copy and move a table) on SQLite, which cannot ALTER most things; on PostgreSQL
    # the same scripts become plain ALTERs. Always on, so one script serves both databases.
    "render_as_batch": True,
    "compare_type": True,
    "compare_server_default": True,
}


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    from runtime.settings import Settings

    return Settings().resolved_database_url()


def run_offline() -> None:
    """``alembic upgrade --sql``: the SQL is written out, nothing is connected."""
    context.configure(url=_url(), literal_binds=True, dialect_opts={"paramstyle": "named"}, **OPTIONS)
    with context.begin_transaction():
        context.run_migrations()


def run_on(connection) -> None:
    context.configure(connection=connection, **OPTIONS)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_on(connection)
        return
    if config.config_file_name is not None:
        from logging.config import fileConfig

        fileConfig(config.config_file_name, disable_existing_loggers=False)
    from casefile.db import make_engine, migration_connection

    engine = make_engine(_url())
    try:
        with migration_connection(engine) as connection:
            run_on(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
