"""The only place that reads the wall clock.

Everything else takes a `Clock`, so replay can run a day of traffic on virtual
time in seconds, deterministically.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since the Unix epoch."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back (for durations)."""
        ...


class SystemClock:
    def now(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        return time.perf_counter()


class ManualClock:
    """A clock that moves only when told to: replay sets it to each record's ts."""

    def __init__(self, start: float = 0.0) -> None:
        self._now = start

    def now(self) -> float:
        return self._now

    def monotonic(self) -> float:
        return self._now

    def set(self, ts: float) -> None:
        # Time never runs backwards, even for ties or slightly unsorted input.
        if ts > self._now:
            self._now = ts

    def advance(self, seconds: float) -> None:
        self._now += seconds
