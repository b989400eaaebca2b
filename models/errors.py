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


class RuleViolation(MinecaseError):
    """An input the plan does not allow at this point. Nothing was changed."""


class WrongStage(RuleViolation):
    """The case is not at a stage where this input is allowed."""


class WrongRole(RuleViolation):
    """The input is for another role, township or department."""


class NotYourTask(RuleViolation):
    """The task does not exist on this case or belongs to someone else."""


class AlreadyDecided(RuleViolation):
    """The task, document or works were already decided or are under review."""


class UnknownDeadline(RuleViolation):
    """No such running deadline on this case."""


class UnknownItem(RuleViolation):
    """No such approval document in the campaign."""


class NothingToDo(RuleViolation):
    """The input asks for something that has nothing left to do (a same date, works not required)."""


class TransitionNotDeclared(RuleViolation):
    """A stage change that the transition table does not declare: a defect of the rules, never an input's."""
