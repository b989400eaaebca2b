"""Sign-in throttling: failures counted per account and per address, and a bound on concurrent hashing.

Argon2 is meant to be slow: without a bound, a flood of sign-ins takes every core and slows everyone
(review 2026-11, finding 7). ``SignInGuard`` refuses a sign-in with ``Throttled`` (HTTP 429 with
``Retry-After``) once an account or an address has failed too often within the window, and lets at
most ``hashing_slots`` password checks run at once; a check that waits longer than ``hashing_wait``
for a slot is refused the same way. The counts live in the process (one desk process per deployment):
a restart forgets them.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from models.errors import MinecaseError


class Throttled(MinecaseError):
    """Too many sign-ins: try again after ``retry_after`` seconds."""

    def __init__(self, zh: str, en: str, retry_after: int = 60) -> None:
        super().__init__(zh, en)
        self.retry_after = max(1, retry_after)


MAX_KEYS = 10_000
"""Accounts and addresses remembered at most; the oldest are forgotten first."""


@dataclass
class SignInGuard:
    per_account: int = 10
    """Failed sign-ins of one account within ``window`` before it is refused (whatever the address)."""
    per_address: int = 30
    """Failed sign-ins from one address within ``window`` before it is refused (whatever the account)."""
    window: float = 15 * 60
    hashing_slots: int = 2
    hashing_wait: float = 10.0
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _slots: threading.BoundedSemaphore = field(init=False)

    def __post_init__(self) -> None:
        self._slots = threading.BoundedSemaphore(self.hashing_slots)

    @staticmethod
    def _keys(name: str, address: str | None) -> tuple[str, str | None]:
        return "account:" + name.strip().casefold(), ("address:" + address) if address else None

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.get(key)
        if times is None:
            return deque()
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self._failures[key]
        return times

    def check(self, name: str, address: str | None) -> None:
        """Refuse (``Throttled``) when the account or the address has used up its failures."""
        now = self.clock()
        account, place = self._keys(name, address)
        with self._lock:
            waits = []
            for key, limit in ((account, self.per_account), (place, self.per_address)):
                if key is None:
                    continue
                times = self._recent(key, now)
                if len(times) >= limit:
                    waits.append(times[len(times) - limit] + self.window - now)
        if waits:
            seconds = math.ceil(max(waits))
            minutes = max(1, math.ceil(seconds / 60))
            raise Throttled(f"登录失败次数过多，请 {minutes} 分钟后再试",
                            f"too many failed sign-ins; try again in {minutes} minute{'s' if minutes > 1 else ''}",
                            retry_after=seconds)

    def failed(self, name: str, address: str | None) -> None:
        now = self.clock()
        with self._lock:
            for key in self._keys(name, address):
                if key is None:
                    continue
                if key not in self._failures and len(self._failures) >= MAX_KEYS:
                    del self._failures[next(iter(self._failures))]
                self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, name: str) -> None:
        """A right password clears the account's failures (not the address's)."""
        with self._lock:
            self._failures.pop(self._keys(name, None)[0], None)

    @contextmanager
    def hashing(self) -> Iterator[None]:
        """Hold one of the password-hashing slots (blocking: call it off the event loop)."""
        if not self._slots.acquire(timeout=self.hashing_wait):
            raise Throttled("登录人数过多，请稍后再试", "too many sign-ins at once; try again shortly", retry_after=5)
        try:
            yield
        finally:
            self._slots.release()
