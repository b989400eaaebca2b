"""The running product's resources, opened at an entry point: settings → case file engine → dev server
(if no address is configured) → Temporal client.

The process that starts the embedded dev server decides what the deployment is (``drill``: time skipping
on; else production) and records it in the case file (``casefile.deployment``) before the server starts:
a drill is refused on a production case file and the other way round.

The case file is upgraded to the newest schema when ``upgrade_schema`` is set (``minecase up``, the
worker); every other entry point only checks it and stops with a SchemaError saying what to run."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import structlog
from sqlalchemy.engine import Engine
from temporalio.client import Client
from temporalio.runtime import Runtime as TemporalRuntime
from temporalio.service import TLSConfig

from casefile.db import make_engine, require_current_schema, upgrade_database
from casefile.deployment import DRILL, PRODUCTION, DeploymentError, record_deployment
from models.errors import MinecaseError
from runtime.payloads import KeyRing, data_converter, load_keyring, log_keyring
from runtime.settings import Settings, private_dir, private_file
from runtime.telemetry import temporal_runtime, tracing_interceptors
from runtime.temporal import DevServer, connect

log = structlog.get_logger("minecase.casefile")


class Runtime:
    def __init__(self, settings: Settings, *, start_server: bool = True, upgrade_schema: bool = False,
                 drill: bool = False, command: str = "", metrics: bool = False):
        self.settings = settings
        self.start_server = start_server
        self.upgrade_schema = upgrade_schema
        self.drill = drill
        self.command = command
        self.metrics = metrics
        """Serve metrics at ``MINECASE_METRICS_ADDRESS`` (the serving processes: ``up``, ``worker``, ``web``; a command
        never binds the port)."""
        self.server: DevServer | None = None
        self.client: Client | None = None
        self.engine: Engine | None = None
        self.temporal_runtime: TemporalRuntime | None = None
        """The Temporal runtime serving metrics (``MINECASE_METRICS_ADDRESS``; ``runtime.telemetry``), or the SDK's default."""

    @property
    def address(self) -> str:
        if self.settings.temporal_address:
            return self.settings.temporal_address
        return f"127.0.0.1:{self.settings.temporal_port}"

    async def __aenter__(self) -> Runtime:
        settings = self.settings
        self.engine = make_engine(settings.resolved_database_url(create=self.upgrade_schema))
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
        try:
            tls = temporal_tls(settings)
            ring = keyring(settings)
            if self.metrics and self.temporal_runtime is None:
                self.temporal_runtime = temporal_runtime(settings)
            interceptors = tracing_interceptors(settings)
        except BaseException:
            self.engine.dispose()
            raise
        if self.upgrade_schema:  # a service starting (up, the worker): its log says it; a command's output stays clean
            log_keyring(ring)
        if self.upgrade_schema and settings.data_dir.is_dir() and settings.data_dir.stat().st_mode & 0o077:
            log.warning("the data dir is open to other users of this host: chmod 700 it", data_dir=str(settings.data_dir),
                        mode=oct(settings.data_dir.stat().st_mode & 0o777))
        if starting:
            private_dir(settings.data_dir)
            self.server = DevServer(
                db_file=settings.data_dir / "temporal.db", port=settings.temporal_port,
                ui_port=settings.temporal_ui_port if settings.temporal_ui else None,
                log_file=private_file(settings.data_dir / "temporal-server.log"),
                ui_codec_endpoint=settings.temporal_ui_codec_endpoint, drill=self.drill,
            )
            try:
                await self.server.start()
            except BaseException:
                self.server.stop()
                self.engine.dispose()
                raise
        try:
            self.client = await connect(self.address, settings.namespace, data_converter=data_converter(ring), tls=tls,
                                        api_key=settings.temporal_api_key, runtime=self.temporal_runtime,
                                        interceptors=interceptors)
        except BaseException:
            if self.server:
                self.server.stop()
            self.engine.dispose()
            raise
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


class TemporalConnectionError(MinecaseError):
    """Settings for the Temporal connection that cannot be used safely (no TLS off loopback, a missing file)."""


def keyring(settings: Settings) -> KeyRing:
    """The deployment's payload key ring (``runtime.payloads``), from settings or the data dir's key file."""
    if not settings.payload_key and settings.payload_key_file is None:
        private_dir(settings.data_dir)
    return load_keyring(payload_key=settings.payload_key, payload_old_keys=settings.payload_old_keys,
                        payload_key_file=settings.payload_key_file, accept_plaintext=settings.payload_accept_plaintext,
                        data_dir=settings.data_dir, may_create=not settings.temporal_address)


def is_loopback(address: str) -> bool:
    """Whether ``host:port`` names this machine by a loopback address (``localhost``, 127.0.0.0/8, ``[::1]``)."""
    host = address.rsplit(":", 1)[0] if address.count(":") == 1 or address.startswith("[") else address
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _read(path: Path, what_zh: str, what_en: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise TemporalConnectionError(f"无法读取{what_zh} {path}：{error.strerror}",
                                      f"cannot read the {what_en} {path}: {error.strerror}") from None


def temporal_tls(settings: Settings) -> TLSConfig | bool:
    """The TLS of the Temporal connection. A non-loopback ``temporal_address`` without TLS is refused unless
    ``temporal_allow_insecure`` is set: the desk's, CLI's and worker's traffic (and an API key) would cross the
    network in clear, and the cluster could not ask for a client certificate."""
    s = settings
    wanted = s.temporal_tls or any(v is not None for v in (s.temporal_tls_ca_file, s.temporal_tls_cert_file,
                                                           s.temporal_tls_key_file, s.temporal_tls_server_name))
    if (s.temporal_tls_cert_file is None) != (s.temporal_tls_key_file is None):
        raise TemporalConnectionError("客户端证书与私钥须同时设置（MINECASE_TEMPORAL_TLS_CERT_FILE 和 MINECASE_TEMPORAL_TLS_KEY_FILE）",
                                      "a client certificate needs its key and the key its certificate "
                                      "(MINECASE_TEMPORAL_TLS_CERT_FILE and MINECASE_TEMPORAL_TLS_KEY_FILE)")
    address = s.temporal_address
    if not wanted:
        if address and not is_loopback(address) and not s.temporal_allow_insecure:
            raise TemporalConnectionError(
                f"Temporal 地址 {address} 不在本机，连接须使用 TLS：请设置 MINECASE_TEMPORAL_TLS=true（及证书），"
                "或明确允许不加密连接 MINECASE_TEMPORAL_ALLOW_INSECURE=true",
                f"the Temporal address {address} is not on this machine: connect with TLS (MINECASE_TEMPORAL_TLS=true and "
                "its certificates) or allow a plaintext connection explicitly (MINECASE_TEMPORAL_ALLOW_INSECURE=true)")
        return False
    return TLSConfig(
        server_root_ca_cert=_read(s.temporal_tls_ca_file, "Temporal 服务器 CA 证书", "Temporal server CA")
        if s.temporal_tls_ca_file else None,
        client_cert=_read(s.temporal_tls_cert_file, "客户端证书", "client certificate") if s.temporal_tls_cert_file else None,
        client_private_key=_read(s.temporal_tls_key_file, "客户端私钥", "client key") if s.temporal_tls_key_file else None,
        domain=s.temporal_tls_server_name,
    )
