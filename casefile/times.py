"""Instants are stored in UTC and shown in China Standard Time."""

from __future__ import annotations

import datetime as dt

CST = dt.timezone(dt.timedelta(hours=8), "CST")


def to_db(instant: dt.datetime) -> dt.datetime:
    return instant.astimezone(dt.UTC)


def from_db(stored: dt.datetime | None) -> dt.datetime | None:
    if stored is None:
        return None
    if stored.tzinfo is None:  # SQLite hands back what it was given, without the offset
        stored = stored.replace(tzinfo=dt.UTC)
    return stored.astimezone(CST)
