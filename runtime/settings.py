"""Settings, read from the environment (``MINECASE_*``) at an entry point, never at import."""

from __future__ import annotations

from pathlib import Path

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

    simulation: bool = False
    """Drills and demos: allows ``minecase simulate advance`` (server-side time skipping)."""

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

    log_format: str = "auto"
    """``auto`` (JSON when not a TTY), ``json`` or ``console``."""

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

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{(self.data_dir / 'casefile.db').resolve()}"
