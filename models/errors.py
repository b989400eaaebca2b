"""Errors a user (or a data file) can cause. Each carries a bilingual message: Chinese first, then English.

The CLI prints ``message`` on one line and exits with code 2 for any ``MinecaseError``; add subclasses
here for new kinds of bad input.
"""

from __future__ import annotations


class MinecaseError(Exception):
    """Base of minecase's domain errors. ``message`` is ``"<中文> / <English>"``."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh, en)  # both in args, so the error pickles and round-trips
        self.zh = zh
        self.en = en

    @property
    def message(self) -> str:
        return f"{self.zh} / {self.en}"

    def __str__(self) -> str:
        return self.message


class CalendarError(MinecaseError, ValueError):
    """Bad input to the statutory calendar: a bad date, period or holiday schedule."""
