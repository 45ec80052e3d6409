"""Per-account limits over `limits`: request, input-token and output-token rates on
sliding window counters, plus in-flight concurrency; values from the account's plan
scaled by its risk tier.

Counter keys leave the amount out (`StableItem`), so an account that changes tier
keeps its usage. The in-memory store is `limits`' synchronous MemoryStorage driven by
the injected clock (replay runs on virtual time); see state/redis.py for the shared one.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Protocol

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage

from gateway.clock import Clock
from gateway.policy.model import LimitSet

_STABLE: dict[type[RateLimitItem], type[RateLimitItem]] = {}


class StableItem:
    """A RateLimitItem whose storage key leaves the amount out, so a tier change (a
    new amount on the same window) keeps the account's usage."""

    @staticmethod
    def of(rate: str) -> RateLimitItem:
        item = parse(rate)
        base = type(item)
        stable = _STABLE.get(base)
        if stable is None:

            def key_for(self: RateLimitItem, *ids: bytes | str | int | float) -> str:
                parts = [str(i) for i in ids]
                return "/".join(["dg", *parts, f"{self.multiples}{self.GRANULARITY.name}"])

            stable = type(f"Stable{base.__name__}", (base,), {"key_for": key_for, "__slots__": ()})
            _STABLE[base] = stable
        return stable(item.amount, item.multiples, item.namespace)


class ClockedMemoryStorage(MemoryStorage):
    """limits' MemoryStorage on an injected clock and without its expiry thread:
    expired keys are swept on the clock every `sweep_every` increments."""

    def __init__(self, clock: Clock, sweep_every: int = 10_000) -> None:
        self.clock = clock
        self.storage: Counter[str] = Counter()
        self.expirations: dict[str, float] = {}
        self.events: dict[str, list[Any]] = {}
        self._ops = 0
        self._sweep_every = sweep_every

    def _sweep(self) -> None:
        now = self.clock.now()
        for key in [k for k, t in self.expirations.items() if t <= now]:
            self.storage.pop(key, None)
            self.expirations.pop(key, None)

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        self._ops += 1
        if self._ops % self._sweep_every == 0:
            self._sweep()
        value = self.get(key) + amount
        self.storage[key] = value
        if value == amount:
            self.expirations[key] = self.clock.now() + expiry
        return value

    def decr(self, key: str, amount: int = 1) -> int:
        value = max(self.get(key) - amount, 0)
        self.storage[key] = value
        return value

    def get(self, key: str) -> int:
        if self.expirations.get(key, 0) <= self.clock.now():
            self.storage.pop(key, None)
            self.expirations.pop(key, None)
            return 0
        return int(self.storage.get(key, 0))

    def clear(self, key: str) -> None:
        self.storage.pop(key, None)
        self.expirations.pop(key, None)

    def acquire_sliding_window_entry(
        self, key: str, limit: int, expiry: int, amount: int = 1
    ) -> bool:
        if amount > limit:
            return False
        now = self.clock.now()
        previous_key, current_key = self.sliding_window_keys(key, expiry, now)
        prev, prev_ttl, cur, _ = self._get_sliding_window_info(previous_key, current_key, expiry, now)
        if math.floor(prev * prev_ttl / expiry + cur) + amount > limit:
            return False
        self.incr(current_key, 2 * expiry, amount=amount)
        return True

    def get_sliding_window(self, key: str, expiry: int) -> tuple[int, float, int, float]:
        now = self.clock.now()
        previous_key, current_key = self.sliding_window_keys(key, expiry, now)
        return self._get_sliding_window_info(previous_key, current_key, expiry, now)

    def reset(self) -> int | None:
        count = len(self.storage)
        self.storage.clear()
        self.expirations.clear()
        return count


@dataclass(frozen=True, slots=True)
class Window:
    kind: str  # requests | input_tokens | output_tokens
    item: RateLimitItem
    limit: int  # after the risk factor
    expiry: int = 0
    label: str = ""  # e.g. "requests 60/1minute", for refusals


@dataclass(slots=True)
class Verdict:
    allowed: bool
    refused_by: str | None = None  # e.g. requests 60/1minute
    retry_after: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


_ITEMS: dict[str, RateLimitItem] = {}


def item_of(rate: str) -> RateLimitItem:
    item = _ITEMS.get(rate)
    if item is None:
        item = _ITEMS[rate] = StableItem.of(rate)
    return item


# (id of the limit set, factor) -> (the limit set, its windows); the set is kept so an
# id reused after garbage collection is never mistaken for it.
_WINDOWS: dict[tuple[int, float], tuple[LimitSet, list[Window]]] = {}


def rate_headers(windows: list[Window], used: list[float], now: float) -> dict[str, str]:
    """Remaining allowance of the first request window and first output-token window
    (what the API's rate-limit headers report), from the counts just read."""
    out: dict[str, str] = {}
    for kind, name in (("requests", "requests"), ("output_tokens", "tokens")):
        for i, window in enumerate(windows):
            if window.kind != kind:
                continue
            spent = math.floor(used[i]) if i < len(used) else window.limit
            out[f"limit-{name}"] = str(window.limit)
            out[f"remaining-{name}"] = str(max(0, window.limit - spent))
            out[f"reset-{name}"] = f"{window.expiry - now % window.expiry:.0f}s"
            break
    return out


def windows_of(limits: LimitSet, factor: float) -> list[Window]:
    """The windows of a limit set at a risk factor, each with its scaled item (whose
    key is the unscaled item's: same counter, smaller allowance). Cached."""
    key = (id(limits), factor)
    cached = _WINDOWS.get(key)
    if cached is not None and cached[0] is limits:
        return cached[1]
    out = []
    for kind in ("requests", "input_tokens", "output_tokens"):
        for rate in getattr(limits, kind):
            item = item_of(rate)
            limit = max(1, int(item.amount * factor))
            scaled = item if limit == item.amount else StableItem.of(
                f"{limit}/{item.multiples} {item.GRANULARITY.name}")
            out.append(Window(kind, scaled, limit, int(scaled.get_expiry()),
                              f"{kind} {limit}/{scaled.multiples}{scaled.GRANULARITY.name}"))
    if len(_WINDOWS) > 4096:
        _WINDOWS.clear()
    _WINDOWS[key] = (limits, out)
    return out


class LimiterProtocol(Protocol):
    async def check(self, subject: str, limits: LimitSet, factor: float, input_estimate: int,
                    output_estimate: int) -> Verdict: ...

    def charge(self, subject: str, limits: LimitSet, factor: float, input_tokens: int,
               output_tokens: int) -> None: ...

    def release(self, subject: str) -> None: ...


class Limiter:
    """Checks and charges an account's (or an egress's) windows, in process memory."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.storage = ClockedMemoryStorage(clock)
        self.inflight: Counter[str] = Counter()
        # (subject, kind, expiry) -> [base key, bucket, current key, previous key]
        self._keys: dict[tuple[str, str, int], list[Any]] = {}


    async def check(self, subject: str, limits: LimitSet, factor: float, input_estimate: int,
                    output_estimate: int) -> Verdict:
        return self.check_now(subject, limits, factor, input_estimate, output_estimate)

    def check_now(self, subject: str, limits: LimitSet, factor: float, input_estimate: int,
                  output_estimate: int) -> Verdict:
        """Admit one request: hit the request windows, test the token windows against
        the estimate, take a concurrency slot. Nothing is charged when it is refused."""
        windows = windows_of(limits, factor)
        if limits.concurrency is not None:
            allowed = max(1, int(limits.concurrency * factor))
            if self.inflight[subject] >= allowed:
                return Verdict(False, f"concurrency {allowed}", 1.0)
        now = self.clock.now()
        counts, expirations = self.storage.storage, self.storage.expirations
        used: list[float] = []
        currents: list[str] = []
        # Test everything first so a refusal by a later window charges nothing. The
        # arithmetic is limits' sliding window counter, on limits' storage keys.
        for window in windows:
            expiry = window.expiry
            current, previous = self._keys_at(subject, window, int(now / expiry))
            # Counters read in place (expired ones count as zero; the sweep drops them).
            prev = counts.get(previous, 0) if expirations.get(previous, 0) > now else 0
            cur = counts.get(current, 0) if expirations.get(current, 0) > now else 0
            weighted = prev * (1 - (now % expiry) / expiry) + cur
            cost = 1 if window.kind == "requests" else (
                input_estimate if window.kind == "input_tokens" else output_estimate)
            if math.floor(weighted) + min(cost, window.limit) > window.limit:
                verdict = Verdict(False, window.label, max(1.0, expiry - now % expiry))
                verdict.headers = rate_headers(windows, used, now)
                return verdict
            used.append(weighted)
            currents.append(current)
        for i, window in enumerate(windows):
            if window.kind == "requests":
                self.storage.incr(currents[i], 2 * window.expiry, amount=1)
                used[i] += 1
        if limits.concurrency is not None:
            self.inflight[subject] += 1
        return Verdict(True, headers=rate_headers(windows, used, now))

    def _keys_at(self, subject: str, window: Window, bucket: int) -> tuple[str, str]:
        """limits' storage keys of the window's current and previous bucket, formatted
        once per bucket rather than on every request."""
        key = (subject, window.kind, window.expiry)
        entry = self._keys.get(key)
        if entry is None:
            if len(self._keys) > 200_000:
                self._keys.clear()
            entry = self._keys[key] = [window.item.key_for(subject, window.kind), None, "", ""]
        if entry[1] != bucket:
            base = entry[0]
            entry[1:] = [bucket, f"{base}/{bucket}", f"{base}/{bucket - 1}"]
        return entry[2], entry[3]


    def charge(self, subject: str, limits: LimitSet, factor: float, input_tokens: int,
               output_tokens: int) -> None:
        """Charge the actual usage once known (streams included); over-limit usage still
        counts, up to the window's size, so the next request waits."""
        now = self.clock.now()
        for window in windows_of(limits, factor):
            cost = {"input_tokens": input_tokens, "output_tokens": output_tokens}.get(window.kind, 0)
            if cost <= 0:
                continue
            current, _ = self._keys_at(subject, window, int(now / window.expiry))
            self.storage.incr(current, 2 * window.expiry, amount=min(cost, window.limit))

    def release(self, subject: str) -> None:
        if self.inflight[subject] > 0:
            self.inflight[subject] -= 1
            if self.inflight[subject] == 0:
                del self.inflight[subject]
