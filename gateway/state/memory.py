"""Behaviour state in process memory: per account and shared across accounts.

Everything is bounded: a fixed number of accounts and egresses (least recently seen
dropped first), small fixed-size structures per account, and entries that expire on
the injected clock. Memory per tracked account is measured in bench/.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from gateway.signups import Signups

K = TypeVar("K")
V = TypeVar("V")


class LRU(Generic[K, V]):
    """Least-recently-used map with a fixed capacity."""

    __slots__ = ("_data", "capacity")

    def __init__(self, capacity: int) -> None:
        self._data: OrderedDict[K, V] = OrderedDict()
        self.capacity = capacity

    def get(self, key: K) -> V | None:
        value = self._data.get(key)
        if value is not None:
            self._data.move_to_end(key)
        return value

    def peek(self, key: K) -> V | None:
        return self._data.get(key)

    def put(self, key: K, value: V) -> None:
        self._data[key] = value
        self._data.move_to_end(key)
        if len(self._data) > self.capacity:
            self._data.popitem(last=False)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def items(self) -> list[tuple[K, V]]:
        return list(self._data.items())


def touch(seen: dict[str, float], key: str, now: float, cap: int) -> None:
    """Record `key` as seen now in a small dict bounded by size, kept in recency order
    (re-inserting moves a key to the end), so the oldest entry is dropped in O(1) and
    readers can walk from the newest and stop at their window's horizon."""
    seen.pop(key, None)
    seen[key] = now
    if len(seen) > cap:
        del seen[next(iter(seen))]


def count_recent(seen: dict[str, float], now: float, ttl: float) -> int:
    horizon = now - ttl
    return sum(1 for t in seen.values() if t >= horizon)


@dataclass(slots=True)
class AccountState:
    account: str
    org: str | None
    first_seen: float
    last_seen: float = 0.0
    requests: int = 0
    refused: int = 0
    first_refused: float | None = None
    # risk contributions by signal, decayed to `scored_at`
    contributions: dict[str, float] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)
    scored_at: float = 0.0
    # requests scored and those with strong evidence from an intent signal, decayed
    # with the contributions: intent is a habit of the account, not one odd prompt
    scored: float = 0.0
    intended: float = 0.0
    # timing: recent inter-arrival gaps and active hours of the last day
    gaps: list[float] = field(default_factory=list)
    hours: list[int] = field(default_factory=lambda: [-1] * 24)
    # volume: an exponentially decayed request rate per hour and tokens per hour
    rate: float = 0.0
    tokens: float = 0.0
    rate_at: float = 0.0
    # requests that continued a conversation of its own (earlier turns, tool results):
    # interactive use, not one-shot harvesting; the user turns it sent lately (hashes, 4
    # bytes each); and conversations continued that it never began (made-up history)
    followups: int = 0
    turns_sent: bytes = b""
    orphans: int = 0
    # network history
    ips: dict[str, float] = field(default_factory=dict)
    countries: dict[str, float] = field(default_factory=dict)
    asns: dict[str, float] = field(default_factory=dict)
    last_place: tuple[str, float] | None = None  # country, when last seen there
    travel_kmh: float = 0.0  # speed implied by the last change of country
    # focus: template fingerprints used, with the number of distinct fillings seen and
    # the last filling (a template is the account itself varying the filling)
    templates: dict[int, int] = field(default_factory=dict)
    fillings: dict[int, int] = field(default_factory=dict)
    templated: int = 0  # requests on a known template (any of them: paraphrases rotate)
    models: dict[str, float] = field(default_factory=dict)
    cluster: str | None = None
    banned_until: float = 0.0
    # the same whole prompt sent again and again: prompt hash -> (count, first seen)
    repeats: dict[int, tuple[int, float]] = field(default_factory=dict)
    # accounts registered in one batch with this one (signup_batch), asked once
    batch_mates: tuple[str, ...] | None = None
    # unrelated accounts that arrived at the same moments as this one: account -> count
    together: dict[str, int] | None = None  # made on the first arrival together

    GAPS = 32

    def decay(self, now: float, half_life: float) -> None:
        if now <= self.scored_at:
            return
        factor = math.exp2(-(now - self.scored_at) / half_life)
        self.scored *= factor
        self.intended *= factor
        if self.contributions:
            for name in list(self.contributions):
                value = self.contributions[name] * factor
                if value < 0.05:
                    del self.contributions[name]
                    self.evidence.pop(name, None)
                else:
                    self.contributions[name] = value
        self.scored_at = now

    @property
    def own_risk(self) -> float:
        return float(min(100.0, sum(self.contributions.values())))


@dataclass(slots=True)
class TemplateEntry:
    accounts: dict[str, float] = field(default_factory=dict)
    variants: dict[int, float] = field(default_factory=dict)  # distinct fillings, bounded
    refused_at: float | None = None  # last time an account using it was refused
    refused: dict[str, float] = field(default_factory=dict)  # refused accounts, bounded


@dataclass(slots=True)
class Cluster:
    id: str
    members: dict[str, float] = field(default_factory=dict)
    risk: float = 0.0
    risk_at: float = 0.0
    evidence: list[str] = field(default_factory=list)
    models: dict[str, float] = field(default_factory=dict)


class SharedState:
    """Cross-account state: egress fan-in, template index, resampled prompts, clusters."""

    def __init__(self, max_accounts: int = 1_000_000, max_egresses: int = 1_000_000) -> None:
        self.accounts: LRU[str, AccountState] = LRU(max_accounts)
        self.egress: LRU[str, dict[str, float]] = LRU(max_egresses)
        self.templates: LRU[int, TemplateEntry] = LRU(max_egresses)
        # prompt hash -> accounts that sent it more than once within the hour
        self.resampled: LRU[int, dict[str, float]] = LRU(max_egresses)
        # client persona -> accounts using it; hour -> distinct accounts active in it
        self.personas: LRU[int, dict[str, float]] = LRU(max_egresses)
        self.active_by_hour: dict[int, int] = {}
        self.clusters: LRU[str, Cluster] = LRU(max(1024, max_accounts // 4))
        self.models: dict[str, float] = {}  # model -> first seen, bounded
        self.started: float | None = None
        self.signups: Signups | None = None  # the accounts directory's sign-up timeline
        # moment (arrival time in short slots) -> client persona -> accounts that arrived
        # in it (at most one more than are compared: more means crowded); recent only
        self.moments: dict[int, dict[int, list[str]]] = {}

    def account(self, account: str, org: str | None, now: float) -> AccountState:
        state = self.accounts.get(account)
        if state is None:
            state = AccountState(account=account, org=org, first_seen=now, scored_at=now)
            self.accounts.put(account, state)
        return state

    def template(self, fingerprint: int) -> TemplateEntry:
        entry = self.templates.get(fingerprint)
        if entry is None:
            entry = TemplateEntry()
            self.templates.put(fingerprint, entry)
        return entry

    def resamplers(self, prompt: int) -> dict[str, float]:
        return _accounts_of(self.resampled, prompt)

    def persona_accounts(self, persona: int) -> dict[str, float]:
        return _accounts_of(self.personas, persona)

    def count_active(self, hour: int) -> None:
        """One more distinct account active in this hour (the population that the
        share of a persona is measured against); only recent hours are kept."""
        self.active_by_hour[hour] = self.active_by_hour.get(hour, 0) + 1
        if len(self.active_by_hour) > 3:
            del self.active_by_hour[min(self.active_by_hour)]

    def active_accounts(self, hour: int) -> int:
        return max(self.active_by_hour.get(hour, 0), self.active_by_hour.get(hour - 1, 0))

    def egress_accounts(self, key: str) -> dict[str, float]:
        return _accounts_of(self.egress, key)

    def others(self, seen: dict[str, float], account: AccountState, horizon: float,
               limit: int, skip: Callable[[AccountState], bool] | None = None,
               ) -> tuple[list[str], int]:
        """The accounts of an index (account -> last seen, oldest first) seen since
        `horizon`, newest first, leaving out `account`, its organisation's (colleagues
        share a NAT, templates and tools) and those `skip` says: at most `limit` of them.
        Also how many accounts in all were seen since `horizon`, as far as the scan went."""
        out: list[str] = []
        scanned = 0
        org = account.org
        for other, ts in reversed(seen.items()):
            if ts < horizon:
                break
            scanned += 1
            if other == account.account:
                continue
            if org is not None or skip is not None:
                state = self.accounts.peek(other)
                if state is not None and (
                        (org is not None and state.org == org) or (skip is not None and skip(state))):
                    continue
            out.append(other)
            if len(out) >= limit:
                break
        return out, scanned

    def cluster_of(self, state: AccountState) -> Cluster | None:
        if state.cluster is None:
            return None
        return self.clusters.get(state.cluster)

    def link(self, a: AccountState, b: AccountState, now: float, why: str) -> Cluster:
        """Put two accounts in one cluster (merging clusters), bounded in members."""
        ca, cb = self.cluster_of(a), self.cluster_of(b)
        if ca is None and cb is None:
            ca = Cluster(id=f"c-{a.account}")
            self.clusters.put(ca.id, ca)
        elif ca is None:
            ca, cb = cb, None
        assert ca is not None
        if cb is not None and cb is not ca:
            small, large = (ca, cb) if len(ca.members) < len(cb.members) else (cb, ca)
            for member in small.members:
                moved = self.accounts.peek(member)
                if moved is not None:
                    moved.cluster = large.id
            large.members.update(small.members)
            large.risk = max(large.risk, small.risk)
            ca = large
        for state in (a, b):
            state.cluster = ca.id
            touch(ca.members, state.account, now, 4096)
        if len(ca.evidence) < 8 and why not in ca.evidence:
            ca.evidence.append(why)
        return ca


def _accounts_of(index: LRU[Any, dict[str, float]], key: Any) -> dict[str, float]:
    """The accounts (account -> last seen) an index holds under a key, created empty."""
    seen = index.get(key)
    if seen is None:
        seen = {}
        index.put(key, seen)
    return seen
