"""The accounts directory's sign-up timeline: creation times in order, so a signal can
ask which unrelated accounts were registered around the same moment as this one, and
how surprising that many would be at the sign-up rate of the surrounding day."""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from gateway.identity import Account

SCAN = 4096  # most neighbours examined one by one; beyond that the count is extrapolated


def poisson_tail(k: int, mean: float) -> float:
    """P(X >= k) for X ~ Poisson(mean), from above: the first term over the ratio
    bound of the rest. Exact enough for the tiny probabilities compared here."""
    if k <= 0:
        return 1.0
    if mean <= 0:
        return 0.0
    if k <= mean:
        return 1.0
    log_term = -mean + k * math.log(mean) - math.lgamma(k + 1)
    return min(1.0, math.exp(log_term) / (1 - mean / (k + 1)))


class Signups:
    def __init__(self, accounts: Iterable[Account]) -> None:
        rows = sorted((a.created, a.id, a.org) for a in accounts if a.created is not None)
        self._times = array("d", (row[0] for row in rows))
        self._ids = [row[1] for row in rows]
        self._orgs = [row[2] for row in rows]

    def __len__(self) -> int:
        return len(self._ids)

    def batch(self, account: Account, window: float, background: float, max_p: float,
              min_size: int, limit: int) -> tuple[tuple[str, ...], float]:
        """The accounts of other organisations registered within `window` seconds of
        this one, nearest first (at most `limit`), and the chance of that many at the
        background rate; nothing unless they are at least `min_size - 1` and that chance
        is below `max_p`. The background rate leaves the window itself out, so a batch
        does not raise its own expectation."""
        created = account.created
        if created is None or not self._ids:
            return (), 1.0
        times = self._times
        lo, hi = bisect_left(times, created - window), bisect_right(times, created + window)
        around = bisect_right(times, created + background) - bisect_left(times, created - background)
        rate = max(around - (hi - lo), 1) / (2 * max(background - window, window))
        expected = rate * 2 * window
        if hi - lo - 1 < min_size - 1 or poisson_tail(hi - lo - 1, expected) > max_p:
            return (), 1.0  # even counting colleagues the window is unremarkable
        # Colleagues do not count. A huge window is sampled around this account (the
        # nearest in time) and the unrelated share of the sample extrapolated.
        here = bisect_left(times, created, lo, hi)
        first, last = max(lo, here - SCAN // 2), min(hi, here + SCAN // 2)
        org = account.org
        mates = sorted(
            (abs(times[i] - created), self._ids[i]) for i in range(first, last)
            if self._ids[i] != account.id and (org is None or self._orgs[i] != org)
        )
        unrelated = len(mates) * (hi - lo) // max(last - first, 1)
        chance = poisson_tail(unrelated, expected)
        if unrelated < min_size - 1 or chance > max_p:
            return (), chance
        return tuple(mate for _, mate in mates[:limit]), chance
