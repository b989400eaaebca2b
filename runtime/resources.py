"""The running product's resources, opened at an entry point: settings → case file engine → dev server
(if no address is configured) → Temporal client.

The process that starts the embedded dev server decides what the deployment is (``drill``: time skipping
on; else production) and records it in the case file (``casefile.deployment``) before the server starts:
a drill is refused on a production case file and the other way round.

The case file is upgraded to the newest schema when ``upgrade_schema`` is set (``minecase up``, the
worker); every other entry point only checks it and stops with a SchemaError saying what to run."""

from __future__ import annotations

import structlog
from sqlalchemy.engine import Engine
from temporalio.client import Client

from casefile.db import make_engine, require_current_schema, upgrade_database
from casefile.deployment import DRILL, PRODUCTION, DeploymentError, record_deployment
from runtime.settings import Settings
from runtime.temporal import DevServer, connect

log = structlog.get_logger("minecase.casefile")


class Runtime:
    def __init__(self, settings: Settings, *, start_server: bool = True, upgrade_schema: bool = False,
                 drill: bool = False, command: str = ""):
        self.settings = settings
        self.start_server = start_server
        self.upgrade_schema = upgrade_schema
        self.drill = drill
        self.command = command
        self.server: DevServer | None = None
        self.client: Client | None = None
        self.engine: Engine | None = None

    @property
    def address(self) -> str:
        if self.settings.temporal_address:
            return self.settings.temporal_address
        return f"127.0.0.1:{self.settings.temporal_port}"

    async def __aenter__(self) -> Runtime:
        settings = self.settings
        self.engine = make_engine(settings.resolved_database_url())
        try:
            self._schema(self.engine)
            starting = not settings.temporal_address and self.start_server
            if self.drill and not starting:
                raise DeploymentError(
                    "演练只在内嵌 Temporal 服务上进行（不要设置 MINECASE_TEMPORAL_ADDRESS）",
                    "a drill runs on the embedded Temporal server only (leave MINECASE_TEMPORAL_ADDRESS unset)")
            if starting:
                record_deployment(self.engine, DRILL if self.drill else PRODUCTION, self.command)
        except BaseException:
            self.engine.dispose()
            raise
        if starting:
            settings.data_dir.mkdir(parents=True, exist_ok=True)
            self.server = DevServer(
                db_file=settings.data_dir / "temporal.db", port=settings.temporal_port,
                ui_port=settings.temporal_ui_port, log_file=settings.data_dir / "temporal-server.log",
                drill=self.drill,
            )
            try:
                await self.server.start()
            except BaseException:
                self.server.stop()
                self.engine.dispose()
                raise
        self.client = await connect(self.address, settings.namespace)
        return self

    def _schema(self, engine: Engine) -> None:
        if not self.upgrade_schema:
            require_current_schema(engine)
            return
        done = upgrade_database(engine)
        if done.adopted or done.before != done.after:
            log.info("case file upgraded", before=done.before, after=done.after, adopted=done.adopted,
                     database=engine.url.render_as_string(hide_password=True))

    async def __aexit__(self, *exc) -> None:
        if self.server:
            self.server.stop()
        if self.engine:
            self.engine.dispose()
