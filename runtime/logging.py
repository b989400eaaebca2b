"""structlog: contextvars first, JSON when not a TTY (or when asked), console otherwise."""

from __future__ import annotations

import logging
import sys

import structlog


def configure_logging(log_format: str = "auto", level: int = logging.INFO) -> None:
    as_json = log_format == "json" or (log_format == "auto" and not sys.stderr.isatty())
    shared = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _case_fields,
    ]
    renderer = structlog.processors.JSONRenderer(ensure_ascii=False) if as_json else structlog.dev.ConsoleRenderer()
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(structlog.stdlib.ProcessorFormatter(foreign_pre_chain=shared, processors=[
        structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer]))
    # Temporal's loggers put workflow/activity info in the record's extras, not in the message.
    from temporalio import activity, workflow

    workflow.logger.workflow_info_on_message = False
    activity.logger.activity_info_on_message = False
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


_CASE_KEYS = ("permit_no", "stage", "event", "clause", "workflow_id")


def _case_fields(logger, method_name, event_dict):
    """Lift the case fields of stdlib records (Temporal's workflow/activity loggers) to the top."""
    record = event_dict.get("_record")
    if record is not None:
        for key in _CASE_KEYS:
            if hasattr(record, key) and key not in event_dict:
                event_dict[key] = getattr(record, key)
        details = getattr(record, "temporal_workflow", None) or getattr(record, "temporal_activity", None)
        if isinstance(details, dict) and "workflow_id" in details:
            event_dict.setdefault("workflow_id", details["workflow_id"])
    return event_dict
