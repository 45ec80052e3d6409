"""Limits shared by every gateway replica through Redis: one Lua script, one round trip
per request, checks and charges all of an account's windows and its concurrency
lease atomically.

The windows are sliding window counters with the same arithmetic as `limits`' (the
previous window weighted by how much of it still overlaps, plus the current one);
keys carry a `{account}` hash tag so every counter of an account lives on one Redis
Cluster slot, and they leave the amount out, so a tier change keeps the usage.
Time comes from the injected clock (replicas need synchronised clocks, as `limits`'
moving window does).

Failure: every call has a short timeout; after `trip_after` consecutive failures a
circuit breaker opens for `cool_off` seconds and calls are not attempted. While Redis
is unavailable each plan says what happens (`fail: open` uses a local in-memory
limiter, `fail: closed` refuses with 503); the breaker closes again when a probe
succeeds.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any
from urllib.parse import urlsplit

import redis.asyncio as aioredis
from redis.asyncio.cluster import ClusterNode, RedisCluster
from redis.asyncio.sentinel import Sentinel
from redis.exceptions import RedisError

from gateway.clock import Clock
from gateway.limits import Limiter, Verdict, Window, rate_headers, windows_of
from gateway.policy.model import LimitSet
from gateway.state.resp import ScriptClient

log = logging.getLogger("distillguard.redis")

CHECK = """
local now = tonumber(ARGV[1])
local n = tonumber(ARGV[2])
local used = {}
for i = 1, n do
  local base = 2 + (i - 1) * 4
  local expiry = tonumber(ARGV[base + 1])
  local limit = tonumber(ARGV[base + 2])
  local cost = tonumber(ARGV[base + 3])
  local prev = tonumber(redis.call('GET', KEYS[2 * i - 1]) or '0')
  local cur = tonumber(redis.call('GET', KEYS[2 * i]) or '0')
  local overlap = 1 - (now % expiry) / expiry
  local weighted = math.floor(prev * overlap + cur)
  if weighted + cost > limit then
    return {0, i, weighted}
  end
  used[i] = weighted
end
local lease_at = 3 + n * 4
local conc_limit = tonumber(ARGV[lease_at])
if conc_limit > 0 then
  local zset = KEYS[2 * n + 1]
  redis.call('ZREMRANGEBYSCORE', zset, '-inf', now)
  if redis.call('ZCARD', zset) >= conc_limit then
    return {0, -1, conc_limit}
  end
  redis.call('ZADD', zset, now + tonumber(ARGV[lease_at + 2]), ARGV[lease_at + 1])
  redis.call('EXPIRE', zset, math.ceil(tonumber(ARGV[lease_at + 2])) + 1)
end
for i = 1, n do
  local base = 2 + (i - 1) * 4
  if tonumber(ARGV[base + 4]) == 1 then
    local expiry = tonumber(ARGV[base + 1])
    redis.call('INCRBY', KEYS[2 * i], 1)
    redis.call('EXPIRE', KEYS[2 * i], 2 * expiry)
    used[i] = used[i] + 1
  end
end
local out = {1, 0}
for i = 1, n do out[#out + 1] = used[i] end
return out
"""

# The end of a request in one round trip: charge the token counters (KEYS[1..n]) and,
# when ARGV[1] names a lease, give back the concurrency slot (KEYS[n + 1]).
CHARGE = """
local n = #KEYS
if ARGV[1] ~= '' then
  n = n - 1
  redis.call('ZREM', KEYS[n + 1], ARGV[1])
end
for i = 1, n do
  redis.call('INCRBY', KEYS[i], tonumber(ARGV[2 * i]))
  redis.call('EXPIRE', KEYS[i], tonumber(ARGV[2 * i + 1]))
end
return 1
"""


def _hosts(netloc: str) -> list[tuple[str, int]]:
    out = []
    for part in netloc.split(","):
        host, _, port = part.rpartition(":") if ":" in part else (part, "", "")
        out.append((host or "127.0.0.1", int(port) if port else 26379))
    return out


def connect(url: str, timeout: float, max_connections: int) -> Any:
    """A client for `redis://` and `rediss://`, `redis+sentinel://h1:26379,h2:26379/service[/db]`
    or `redis+cluster://h1:7000,h2:7001`. The Lua script touches one account's keys only,
    all under one `{account}` hash tag, so it runs on one cluster slot."""
    parts = urlsplit(url)
    if parts.scheme == "redis+sentinel":
        path = [p for p in parts.path.split("/") if p]
        if not path:
            raise ValueError(f"{url}: a Sentinel URL names the service: redis+sentinel://host:port/service")
        sentinel = Sentinel(  # type: ignore[no-untyped-call, unused-ignore]  # typed from redis 8
            _hosts(parts.netloc), socket_timeout=timeout, socket_connect_timeout=timeout)
        db = int(path[1]) if len(path) > 1 else 0
        return sentinel.master_for(path[0], socket_timeout=timeout, socket_connect_timeout=timeout, db=db)
    if parts.scheme == "redis+cluster":
        nodes = [ClusterNode(host, port) for host, port in _hosts(parts.netloc)]
        return RedisCluster(startup_nodes=nodes, socket_timeout=timeout, socket_connect_timeout=timeout,
                            max_connections=max_connections)
    # A blocking pool: a burst waits (up to the timeout) for a free connection instead
    # of failing at once when every connection is busy.
    pool = aioredis.BlockingConnectionPool.from_url(
        url, max_connections=max_connections, timeout=timeout, socket_timeout=timeout,
        socket_connect_timeout=timeout, health_check_interval=0, retry_on_timeout=False)
    return aioredis.Redis(connection_pool=pool)


class Breaker:
    def __init__(self, trip_after: int = 3, cool_off: float = 5.0) -> None:
        self.trip_after = trip_after
        self.cool_off = cool_off
        self.failures = 0
        self.open_until = 0.0

    @property
    def open(self) -> bool:
        return time.monotonic() < self.open_until

    def failed(self) -> None:
        self.failures += 1
        if self.failures >= self.trip_after:
            self.open_until = time.monotonic() + self.cool_off

    def succeeded(self) -> None:
        self.failures = 0
        self.open_until = 0.0


class RedisLimiter:
    """The shared limiter; `Limiter` (in memory) is its fallback. Every call is bounded
    by the client's socket, connect and pool-wait timeouts (`timeout`), not by an
    asyncio timer per call: those timers cost more CPU than the call's own Python."""

    def __init__(self, url: str, clock: Clock, prefix: str = "dg", timeout: float = 0.25,
                 lease_ttl: float = 900.0, breaker: Breaker | None = None,
                 on_error: Any = None, max_connections: int = 64) -> None:
        self.client = connect(url, timeout, max_connections)
        self.clock = clock
        self.prefix = prefix
        self.timeout = timeout
        self.lease_ttl = lease_ttl
        self.breaker = breaker or Breaker()
        self.fallback = Limiter(clock)
        self.on_error = on_error
        self._check = self.client.register_script(CHECK)
        self._charge = self.client.register_script(CHARGE)
        # Plain redis:// URLs run the two hot-path scripts on the pipelined client.
        self._fast = ScriptClient(url, timeout) if urlsplit(url).scheme == "redis" else None
        self._leases: dict[str, list[str]] = {}
        # Leases given back in this loop turn: a charge in the same turn takes its
        # subject's lease into its own round trip; the rest are released on their own.
        self._returned: dict[str, list[str]] = {}
        self._lease_seq = 0
        self._tasks: set[asyncio.Task[None]] = set()

    def _keys(self, subject: str, window: Window, now: float) -> tuple[str, str, int]:
        expiry = int(window.item.get_expiry())
        bucket = int(now // expiry)
        base = f"{self.prefix}:{{{subject}}}:{window.kind}:{window.item.multiples}{window.item.GRANULARITY.name}"
        return f"{base}:{bucket - 1}", f"{base}:{bucket}", expiry

    def _failed(self, exc: BaseException) -> None:
        self.breaker.failed()
        if self.on_error is not None:
            self.on_error()
        log.warning("redis limiter unavailable (%s); breaker %s", type(exc).__name__,
                    "open" if self.breaker.open else "counting")

    async def check(self, subject: str, limits: LimitSet, factor: float, input_estimate: int,
                    output_estimate: int) -> Verdict:
        if self.breaker.open:
            return await self._degraded(subject, limits, factor, input_estimate, output_estimate)
        now = self.clock.now()
        windows = windows_of(limits, factor)
        costs = {"requests": 1, "input_tokens": input_estimate, "output_tokens": output_estimate}
        keys: list[str] = []
        args: list[Any] = [repr(now), len(windows)]
        for window in windows:
            prev, cur, expiry = self._keys(subject, window, now)
            keys += [prev, cur]
            args += [expiry, window.limit, min(costs[window.kind], window.limit),
                     1 if window.kind == "requests" else 0]
        lease = ""
        if limits.concurrency is not None:
            self._lease_seq += 1
            lease = f"{id(self)}-{self._lease_seq}"
            keys.append(f"{self.prefix}:{{{subject}}}:inflight")
            args += [max(1, int(limits.concurrency * factor)), lease, self.lease_ttl]
        else:
            args += [0, "", 0]
        try:
            result = await self._script(self._check, CHECK, keys, args)
        except (RedisError, OSError, TimeoutError) as exc:
            self._failed(exc)
            return await self._degraded(subject, limits, factor, input_estimate, output_estimate)
        self.breaker.succeeded()
        ok, which = int(result[0]), int(result[1])
        if not ok:
            if which == -1:
                return Verdict(False, f"concurrency {int(result[2])}", 1.0)
            window = windows[which - 1]
            verdict = Verdict(False, window.label, max(1.0, window.expiry - now % window.expiry))
            verdict.headers = rate_headers(windows, [], now)
            return verdict
        if lease:
            self._leases.setdefault(subject, []).append(lease)
        return Verdict(True, headers=rate_headers(windows, [float(v) for v in result[2:]], now))

    async def _degraded(self, subject: str, limits: LimitSet, factor: float, input_estimate: int,
                        output_estimate: int) -> Verdict:
        if limits.fail == "closed":
            return Verdict(False, "store unavailable", 5.0)
        return await self.fallback.check(subject, limits, factor, input_estimate, output_estimate)

    def charge(self, subject: str, limits: LimitSet, factor: float, input_tokens: int,
               output_tokens: int) -> None:
        returned = self._returned.get(subject)
        lease = returned.pop() if returned else ""
        self._spawn(self._charge_now(subject, limits, factor, input_tokens, output_tokens, lease))

    async def _charge_now(self, subject: str, limits: LimitSet, factor: float, input_tokens: int,
                          output_tokens: int, lease: str = "") -> None:
        now = self.clock.now()
        keys: list[str] = []
        args: list[Any] = [lease]
        for window in windows_of(limits, factor):
            cost = {"input_tokens": input_tokens, "output_tokens": output_tokens}.get(window.kind, 0)
            if cost <= 0:
                continue
            _, cur, expiry = self._keys(subject, window, now)
            keys.append(cur)
            args += [min(cost, window.limit), 2 * expiry]
        if lease:
            keys.append(f"{self.prefix}:{{{subject}}}:inflight")
        if not keys:
            return
        if self.breaker.open:
            self.fallback.charge(subject, limits, factor, input_tokens, output_tokens)
            if lease:  # the slot is still given back, as a release on its own would
                await self._release_now(subject, lease)
            return
        try:
            await self._script(self._charge, CHARGE, keys, args)
        except (RedisError, OSError, TimeoutError) as exc:
            self._failed(exc)
            self.fallback.charge(subject, limits, factor, input_tokens, output_tokens)

    def release(self, subject: str) -> None:
        self.fallback.release(subject)
        leases = self._leases.get(subject)
        if not leases:
            return
        lease = leases.pop()
        if not leases:
            del self._leases[subject]
        if not self._returned:
            asyncio.get_running_loop().call_soon(self._release_returned)
        self._returned.setdefault(subject, []).append(lease)

    def _release_returned(self) -> None:
        returned, self._returned = self._returned, {}
        for subject, leases in returned.items():
            for lease in leases:
                self._spawn(self._release_now(subject, lease))

    async def _release_now(self, subject: str, lease: str) -> None:
        try:
            await self.client.zrem(f"{self.prefix}:{{{subject}}}:inflight", lease)
        except (RedisError, OSError, TimeoutError) as exc:
            # The lease expires by itself after lease_ttl: a dead Redis leaks nothing forever.
            self._failed(exc)

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        if self._returned:
            self._release_returned()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def ping(self) -> bool:
        try:
            return bool(await self.client.ping())
        except (RedisError, OSError, TimeoutError):
            return False

    async def _script(self, script: Any, source: str, keys: list[str], args: list[Any]) -> Any:
        if self._fast is not None:
            return await self._fast.evalsha(script.sha, source, keys, args)
        return await script(keys=keys, args=args)

    async def aclose(self) -> None:
        await self.drain()
        if self._fast is not None:
            await self._fast.aclose()
        await self.client.aclose()

