"""The running product's resources, opened at an entry point: settings → dev server (if no
address is configured) → Temporal client → case file engine."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from temporalio.client import Client

from casefile.db import make_engine
from runtime.settings import Settings
from runtime.temporal import DevServer, connect


class Runtime:
    def __init__(self, settings: Settings, *, start_server: bool = True):
        self.settings = settings
        self.start_server = start_server
        self.server: DevServer | None = None
        self.client: Client | None = None
        self.engine: Engine | None = None

    @property
    def address(self) -> str:
        if self.settings.temporal_address:
            return self.settings.temporal_address
        return f"127.0.0.1:{self.settings.temporal_port}"

    async def __aenter__(self) -> "Runtime":
        settings = self.settings
        self.engine = make_engine(settings.resolved_database_url())
        if not settings.temporal_address and self.start_server:
            settings.data_dir.mkdir(parents=True, exist_ok=True)
            self.server = DevServer(
                db_file=settings.data_dir / "temporal.db", port=settings.temporal_port,
                ui_port=settings.temporal_ui_port, log_file=settings.data_dir / "temporal-server.log",
            )
            await self.server.start()
        self.client = await connect(self.address, settings.namespace)
        return self

    async def __aexit__(self, *exc) -> None:
        if self.server:
            self.server.stop()
        if self.engine:
            self.engine.dispose()
