"""A small pipelined Redis client for the hot path's two script calls (the admission
check and the end of a request), on plain `redis://` URLs.

Why not redis-py's asyncio client there: per call it builds a retry wrapper, takes a
pooled connection, arms an asyncio timer and packs the command in Python; on this
machine that was about a third of the gateway's CPU with Redis limits. Here commands
are written to a few long-lived connections without waiting (pipelining; Redis
answers in order), replies are parsed by hiredis (C), and one watchdog tick per
client fails calls that wait longer than the timeout. Everything else (ping, lease
release, Sentinel and Cluster URLs) stays on redis-py.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from typing import Any
from urllib.parse import unquote, urlsplit

import hiredis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError


def encode(*parts: Any) -> bytes:
    """One command in RESP: an array of bulk strings."""
    out = [b"*%d\r\n" % len(parts)]
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(out)


class _Connection(asyncio.Protocol):
    def __init__(self) -> None:
        self.reader = hiredis.Reader()
        self.waiting: deque[tuple[asyncio.Future[Any], float]] = deque()
        self.transport: asyncio.Transport | None = None
        self.closed = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.reader.feed(data)
        while (reply := self.reader.gets()) is not False:
            if not self.waiting:
                continue  # a reply to a call that already timed out and was failed
            future, _ = self.waiting.popleft()
            if future.done():
                continue
            if isinstance(reply, hiredis.ReplyError):
                future.set_exception(ResponseError(str(reply)))
            else:
                future.set_result(reply)

    def connection_lost(self, exc: Exception | None) -> None:
        self.fail(RedisConnectionError(f"redis connection lost: {exc!r}"))

    def fail(self, exc: Exception) -> None:
        self.closed = True
        while self.waiting:
            future, _ = self.waiting.popleft()
            if not future.done():
                future.set_exception(exc)
        if self.transport is not None:
            self.transport.close()

    def call(self, command: bytes, now: float) -> asyncio.Future[Any]:
        assert self.transport is not None
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.waiting.append((future, now))
        self.transport.write(command)
        return future


class ScriptClient:
    """EVALSHA over pipelined connections; a script unknown to the server (after a
    restart or a flush) is sent once in full with EVAL, which also caches it."""

    def __init__(self, url: str, timeout: float, connections: int = 4) -> None:
        parts = urlsplit(url)
        if parts.scheme != "redis":
            raise ValueError(f"the script client speaks plain redis:// only, not {parts.scheme}")
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 6379
        path = parts.path.strip("/")
        self.db = int(path) if path else 0
        self.password = unquote(parts.password) if parts.password else None
        self.username = unquote(parts.username) if parts.username else None
        self.timeout = timeout
        self.slots: list[_Connection | None] = [None] * connections
        self._next = itertools.count()
        self._connecting: list[asyncio.Future[_Connection] | None] = [None] * connections
        self._watching: asyncio.TimerHandle | None = None

    async def _connect(self) -> _Connection:
        loop = asyncio.get_running_loop()
        try:
            _, conn = await asyncio.wait_for(
                loop.create_connection(_Connection, self.host, self.port), self.timeout)
        except TimeoutError as exc:
            raise RedisTimeoutError(f"connecting to redis {self.host}:{self.port} timed out") from exc
        except OSError as exc:
            raise RedisConnectionError(f"redis {self.host}:{self.port} unreachable: {exc!r}") from exc
        setup = []
        if self.password is not None:
            auth = (self.username, self.password) if self.username else (self.password,)
            setup.append(conn.call(encode("AUTH", *auth), loop.time()))
        if self.db:
            setup.append(conn.call(encode("SELECT", self.db), loop.time()))
        self._watch()
        try:
            for reply in setup:
                await reply
        except BaseException:
            conn.fail(RedisConnectionError("redis refused the connection's AUTH or SELECT"))
            raise
        return conn

    async def _connection(self) -> _Connection:
        i = next(self._next) % len(self.slots)
        conn = self.slots[i]
        if conn is not None and not conn.closed:
            return conn
        pending = self._connecting[i]
        if pending is None:  # one connect per slot at a time, shared by its callers
            pending = self._connecting[i] = asyncio.ensure_future(self._connect())
            pending.add_done_callback(lambda _: self._connecting.__setitem__(i, None))
        conn = await asyncio.shield(pending)
        self.slots[i] = conn
        return conn

    async def evalsha(self, sha: str, script: str, keys: list[str], args: list[Any]) -> Any:
        conn = await self._connection()
        now = asyncio.get_running_loop().time()
        self._watch()
        try:
            return await conn.call(encode("EVALSHA", sha, len(keys), *keys, *args), now)
        except ResponseError as exc:
            if not str(exc).startswith("NOSCRIPT"):
                raise
        conn = await self._connection()  # the first may have failed meanwhile
        return await conn.call(encode("EVAL", script, len(keys), *keys, *args), now)

    def _watch(self) -> None:
        """One tick: fail (and drop) a connection whose oldest call has waited longer
        than the timeout; keep ticking while calls are outstanding."""
        if self._watching is not None:
            return
        loop = asyncio.get_running_loop()

        def tick() -> None:
            self._watching = None
            now = loop.time()
            busy = False
            for conn in self.slots:
                if conn is None or conn.closed or not conn.waiting:
                    continue
                if now - conn.waiting[0][1] > self.timeout:
                    conn.fail(RedisTimeoutError("redis did not answer within the timeout"))
                else:
                    busy = True
            if busy:
                self._watching = loop.call_later(tick_seconds, tick)

        tick_seconds = max(0.01, self.timeout / 4)
        self._watching = loop.call_later(tick_seconds, tick)

    async def aclose(self) -> None:
        if self._watching is not None:
            self._watching.cancel()
            self._watching = None
        for conn in self.slots:
            if conn is not None and conn.transport is not None:
                conn.transport.close()
        self.slots = [None] * len(self.slots)
