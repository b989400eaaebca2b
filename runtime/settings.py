"""Settings, read from the environment (``MINECASE_*``) at an entry point, never at import."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MINECASE_", env_file=".env", extra="ignore")

    data_dir: Path = Path(".minecase")
    """Where the embedded default keeps its files (case file database, Temporal's SQLite file)."""

    attachments_url: str | None = None
    """Where evidence files are stored (issue 14): ``file:///path`` or ``s3://bucket/prefix?endpoint_url=…``
    (credentials from the AWS environment). Default: ``<data_dir>/attachments``."""

    database_url: str | None = None
    """SQLAlchemy URL of the case file. Default: a SQLite file in ``data_dir``.
    PostgreSQL: ``postgresql+psycopg://user:pass@host/db``."""

    temporal_address: str | None = None
    """host:port of a Temporal cluster. Unset: the worker starts the embedded dev server."""

    temporal_port: int = 7233
    temporal_ui_port: int = 8233
    namespace: str = "default"
    task_queue: str = "minecase-cases"

    campaign: str | None = None
    """The campaign policy new cases are registered under (a file in ``campaigns/``, e.g. ``shanggao-2023``).
    Unset: commands that register real cases refuse and ask for one; ``minecase up`` runs its demo on
    ``rolling-example`` and says so."""

    user: str | None = None
    """The case file's user the command line acts as (``MINECASE_USER``; or ``minecase users use NAME``). Its role
    and unit come from the case file; with none, commands that act refuse and say how to set one."""

    secret_key: str | None = None
    """Signs the desk's session cookies. Unset: a random key per process (sign-ins end at restart)."""

    cookie_secure: bool | None = None
    """Send the session cookie over HTTPS only. Unset: on when the desk serves off loopback (``--host``)."""

    session_idle_minutes: int = 120
    """A desk session unused this long ends."""

    session_hours: int = 12
    """A desk session ends this long after sign-in, however busy."""

    signin_failures_per_account: int = 10
    """Failed sign-ins of one account within ``signin_window_minutes`` before it answers 429."""

    signin_failures_per_address: int = 30
    """Failed sign-ins from one address within ``signin_window_minutes`` before it answers 429."""

    signin_window_minutes: int = 15

    password_hashing_slots: int = 2
    """Password checks (Argon2) running at once, at most; more wait, then answer 429."""

    payload_key: str | None = None
    """The key payloads sent to Temporal are sealed with (AES-256-GCM): 32 random bytes in base64
    (``openssl rand -base64 32``). Unset: the key file (``payload_key_file``)."""

    payload_old_keys: str | None = None
    """Earlier payload keys, comma-separated: they still open what they sealed, never seal (key rotation)."""

    payload_key_file: Path | None = None
    """A file of payload keys, one a line, the sealing key first. Unset: ``<data_dir>/payload.key``, created
    (mode 0600) with a new key at first run."""

    payload_accept_plaintext: bool | None = None
    """Accept unsealed payloads (cases started before the codec; the Temporal port can then forge inputs).
    Unset: on only for a data dir whose Temporal already held cases when its key was made (a warning at start)."""

    temporal_ui: bool = False
    """Serve the embedded Temporal server's Web UI (on 127.0.0.1, ``temporal_ui_port``). Off unless asked."""

    temporal_ui_codec_endpoint: str | None = None
    """The codec endpoint the embedded Web UI calls (``minecase up --temporal-ui`` sets the desk's ``/codec``)."""

    temporal_tls: bool = False
    """Connect to ``temporal_address`` over TLS (implied by any of the ``temporal_tls_*`` files)."""

    temporal_tls_ca_file: Path | None = None
    """The CA that signed the Temporal server's certificate (default: the system's CAs)."""

    temporal_tls_cert_file: Path | None = None
    """This client's certificate, for mTLS (with ``temporal_tls_key_file``)."""

    temporal_tls_key_file: Path | None = None

    temporal_tls_server_name: str | None = None
    """The name the server certificate must carry, when it is not the host of ``temporal_address``."""

    temporal_api_key: str | None = None
    """An API key for the Temporal cluster (sent as a bearer token; needs TLS)."""

    temporal_allow_insecure: bool = False
    """Allow a non-loopback ``temporal_address`` without TLS (payloads are still sealed, the connection is not)."""

    codec_token: str | None = None
    """A bearer token for the desk's codec endpoint (``/codec/decode``) besides an office sign-in."""

    codec_cors_origin: str | None = None
    """The origin of the Temporal Web UI allowed to call the codec endpoint, e.g. ``http://127.0.0.1:8233``."""

    log_format: str = "auto"
    """``auto`` (JSON when not a TTY), ``json`` or ``console``."""

    # -- operations (issue 15 item 3; docs/operations.md) --
    worker_drain_seconds: float = 8.0
    """On SIGTERM a worker stops taking tasks and lets its running activities finish for this long (the Temporal server
    gives whatever is still unfinished to another worker)."""
    worker_cached_cases: int = Field(default=1000, ge=10)
    """Cases a worker keeps in memory between their workflow tasks (the SDK's ``max_cached_workflows``; about 0.4 MB
    each; 1,000 is the SDK's default and fits a 1 GB worker). A case not kept is replayed from its history when its
    timer fires or an input comes: a county's cases all fit; a province's worker, or a storm of deadlines over more
    cases than this, is faster with more (issue 16)."""
    metrics_address: str | None = None
    """``host:port`` of the Prometheus endpoint (``http://host:port/metrics``): the Temporal SDK's metrics and the product's
    (``minecase_cases{stage}``, ``minecase_cases_overdue``, ``minecase_notices_delivered_total`` …). Unset: no metrics."""
    metrics_refresh_seconds: float = 15.0
    """How often a worker reads the case file for the ``minecase_cases`` gauges."""
    otel_endpoint: str | None = None
    """An OTLP/HTTP collector (e.g. ``http://127.0.0.1:4318``): workflows and activities are traced through the SDK's
    OpenTelemetry interceptor (needs ``pip install 'minecase[otel]'``). Unset: no tracing."""

    # -- notifications (issue 13; docs/notifications.md) --
    notify_webhook_url: str = ""
    """A generic JSON webhook: one POST per notice (``id``, ``permit_no``, ``kind``, ``text_zh``, ``recipients`` …)."""
    smtp_url: str = ""
    """``smtp://user:pass@host:port`` (STARTTLS when offered) or ``smtps://…`` (TLS): e-mail to users' addresses."""
    smtp_from: str = "minecase@localhost"
    dingtalk_url: str = ""
    """A 钉钉 group robot (``https://oapi.dingtalk.com/robot/send?access_token=…``) that gets every notice."""
    dingtalk_secret: str = ""
    """Its signing secret (加签), if the robot has one."""
    wecom_url: str = ""
    """A 企业微信 group robot (``https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…``) that gets every notice."""
    sms_url: str = ""
    """The SMS gateway's URL (``{phone}``, ``{text}``, ``{id}`` are filled in, URL-encoded)."""
    sms_method: str = "POST"
    sms_body: str = '{"phone": "{phone}", "text": "{text}", "id": "{id}"}'
    """The request body's template: JSON (placeholders in its strings), or ``a={phone}&b={text}`` with ``sms_format=form``."""
    sms_format: str = "json"
    notify_retry_seconds: float = 10.0
    """The first retry of a failed delivery waits this long, then twice as long each time, up to 10 minutes."""

    def notify_config(self):
        from runtime.channels import NotifyConfig

        return NotifyConfig(webhook_url=self.notify_webhook_url, dingtalk_url=self.dingtalk_url, dingtalk_secret=self.dingtalk_secret,
                            wecom_url=self.wecom_url, smtp_url=self.smtp_url, smtp_from=self.smtp_from, sms_url=self.sms_url,
                            sms_method=self.sms_method, sms_body=self.sms_body, sms_format=self.sms_format,
                            retry_seconds=self.notify_retry_seconds)

    def resolved_database_url(self, create: bool = False) -> str:
        """The case file's URL. ``create`` (where the product makes the case file: ``up``, the worker, ``db upgrade``):
        the default SQLite file is created 0600 first."""
        if self.database_url:
            return self.database_url
        private_dir(self.data_dir)
        if create:
            private_file(self.data_dir / "casefile.db")
        return f"sqlite:///{(self.data_dir / 'casefile.db').resolve()}"


def private_dir(path: Path) -> Path:
    """The data dir, created 0700 (its files hold every case, password hashes and the payload key)."""
    if not path.exists():
        path.mkdir(parents=True, mode=0o700, exist_ok=True)
        path.chmod(0o700)  # mkdir's mode goes through the umask
    return path


def private_file(path: Path) -> Path:
    """A file of the data dir, created empty with mode 0600 when missing (SQLite and logs then keep its mode)."""
    if not path.exists():
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    return path
