"""A small HTTP/1.1 client for the one thing the hot path needs: keep-alive requests
to one configured upstream, bodies buffered or streamed chunk by chunk.

Why not aiohttp's client: per request it builds request, response, timer, trace and
cookie objects the gateway never uses; on this machine that was about a third of the
gateway's CPU per request (bench/proxy.py). This client parses responses with
httptools (the C parser uvicorn uses) and keeps a LIFO pool of idle connections.
It is only ever pointed at the configured upstream, never at a client-chosen URL.

Timeouts are enforced by one watchdog tick per transport, not by a timer per request
and per chunk: the per-await timers were about a tenth of the proxy's CPU. A request
fails within a tick (at most a quarter of the timeout, and at most a second) of its
read or total deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import httptools

from gateway.settings import UpstreamSettings
from gateway.upstream import UpstreamResponse, UpstreamTimeout, UpstreamUnavailable

_END = object()


class _Inbox:
    """What the parser delivered and the reader has not taken: body chunks, then the
    end marker or an error. Cheaper than asyncio.Queue (no loop binding, one waiter),
    and the reader takes every chunk that has arrived in one go."""

    __slots__ = ("items", "waiter")

    def __init__(self) -> None:
        self.items: deque[Any] = deque()
        self.waiter: asyncio.Future[None] | None = None

    def put(self, item: Any) -> None:
        self.items.append(item)
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def take(self) -> Any:
        """Every body chunk that has arrived, joined; or the end marker or an error
        when nothing precedes it."""
        items = self.items
        while not items:
            self.waiter = asyncio.get_running_loop().create_future()
            try:
                await self.waiter
            finally:
                self.waiter = None
        first = items.popleft()
        if not isinstance(first, bytes) or not items or not isinstance(items[0], bytes):
            return first
        parts = [first]
        while items and isinstance(items[0], bytes):
            parts.append(items.popleft())
        return b"".join(parts)


class _Connection(asyncio.Protocol):
    """One upstream connection; parses one response at a time."""

    def __init__(self, pool: Http1Transport) -> None:
        self.pool = pool
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.headers: list[tuple[str, str]] = []
        self.status = 0
        self.headers_done: asyncio.Future[None] | None = None
        self.chunks = _Inbox()
        self.content_type = ""
        self.complete = False
        self.closed = False
        self.keep_alive = True
        self.paused = False
        self.active = False  # data arrived since the watchdog last looked
        self.quiet_since = 0.0
        self.deadline: float | None = None  # until the response is handed over
        self.failed = False

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.active = True
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(UpstreamUnavailable(f"bad response from upstream: {exc}"))
        if len(self.chunks.items) > 64 and self.transport is not None and not self.paused:
            self.paused = True  # back-pressure: the client reads slower than upstream sends
            self.transport.pause_reading()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.pool.busy.discard(self)
        if not self.complete and not self.failed:
            self._fail(UpstreamUnavailable(f"upstream closed the connection: {exc!r}"))

    # httptools callbacks
    def on_header(self, name: bytes, value: bytes) -> None:
        text = name.decode("latin-1")
        if text.lower() == "content-type":
            self.content_type = value.decode("latin-1")
        self.headers.append((text, value.decode("latin-1")))

    def on_headers_complete(self) -> None:
        self.status = self.parser.get_status_code()
        self.keep_alive = self.parser.should_keep_alive()
        if self.headers_done is not None and not self.headers_done.done():
            self.headers_done.set_result(None)

    def on_body(self, body: bytes) -> None:
        self.chunks.put(body)

    def on_message_complete(self) -> None:
        self.complete = True
        self.chunks.put(_END)

    def _fail(self, exc: Exception) -> None:
        if self.headers_done is not None and not self.headers_done.done():
            self.headers_done.set_exception(exc)
        self.chunks.put(exc)

    def time_out(self, why: str) -> None:
        """Called by the watchdog: fail the waiting request and drop the connection."""
        self.failed = True
        self._fail(UpstreamTimeout(why))
        self.close()

    # use
    def start(self, data: bytes, now: float, total: float) -> None:
        self.headers = []
        self.status = 0
        self.complete = False
        self.content_type = ""
        if self.chunks.items:
            self.chunks = _Inbox()
        self.headers_done = asyncio.get_running_loop().create_future()
        self.active, self.quiet_since, self.deadline = False, now, now + total
        assert self.transport is not None
        self.transport.write(data)

    async def next_chunk(self) -> bytes | None:
        if self.paused and len(self.chunks.items) < 16 and self.transport is not None:
            self.paused = False
            self.transport.resume_reading()
        item = await self.chunks.take()
        if item is _END:
            return None
        if isinstance(item, Exception):
            raise item
        return item  # type: ignore[no-any-return]

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()


class Http1Transport:
    """The gateway's upstream transport (see upstream.Transport)."""

    def __init__(self, base_url: str, settings: UpstreamSettings) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https"):
            raise ValueError(f"upstream URL must be http or https: {base_url!r}")
        self.ssl = parts.scheme == "https"
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or (443 if self.ssl else 80)
        self.prefix = parts.path.rstrip("/")
        self.host_header = parts.netloc
        self.settings = settings
        self.idle: deque[_Connection] = deque()
        self.busy: set[_Connection] = set()
        self.open = 0
        self._slots = asyncio.Semaphore(settings.max_connections)
        self._tick = min(1.0, settings.read_timeout / 4, settings.total_timeout / 4)
        self._watching: asyncio.TimerHandle | None = None

    def _watch(self) -> None:
        """One tick: time out the connections silent for longer than the read timeout
        or past their total deadline; keep ticking while any request is in flight."""
        loop = asyncio.get_running_loop()
        now = loop.time()
        read_timeout = self.settings.read_timeout
        for conn in list(self.busy):
            if conn.active or conn.paused:  # paused: we hold it back, not the upstream
                conn.active, conn.quiet_since = False, now
            elif now - conn.quiet_since > read_timeout:
                self.busy.discard(conn)
                conn.time_out("upstream sent nothing within the read timeout")
                continue
            if conn.deadline is not None and now > conn.deadline:
                self.busy.discard(conn)
                conn.time_out("upstream did not answer within the total timeout")
        self._watching = loop.call_later(self._tick, self._watch) if self.busy else None

    def _begin(self, conn: _Connection, data: bytes) -> None:
        loop = asyncio.get_running_loop()
        conn.start(data, loop.time(), self.settings.total_timeout)
        self.busy.add(conn)
        if self._watching is None:
            self._watching = loop.call_later(self._tick, self._watch)

    async def _connect(self) -> _Connection:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(self.settings.connect_timeout):
                _, protocol = await loop.create_connection(
                    lambda: _Connection(self), self.host, self.port, ssl=self.ssl or None)
        except TimeoutError as exc:
            raise UpstreamTimeout(f"connecting to {self.host}:{self.port} timed out") from exc
        except OSError as exc:
            raise UpstreamUnavailable(f"upstream unreachable: {exc!r}") from exc
        self.open += 1
        return protocol

    def _release(self, conn: _Connection, reusable: bool) -> None:
        self._slots.release()
        self.busy.discard(conn)
        if reusable and conn.keep_alive and conn.complete and not conn.closed:
            self.idle.append(conn)
        else:
            conn.close()
            self.open -= 1

    def _request_bytes(self, method: str, path: str, headers: list[tuple[str, str]],
                       body: bytes) -> bytes:
        lines = [f"{method} {self.prefix}{path} HTTP/1.1", f"host: {self.host_header}"]
        for name, value in headers:
            if "\r" in value or "\n" in value or "\r" in name or "\n" in name:
                continue  # never let a header value split the request
            lines.append(f"{name}: {value}")
        if body or method in ("POST", "PUT", "PATCH"):
            lines.append(f"content-length: {len(body)}")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")
        return head + body

    async def send(self, method: str, path: str, headers: list[tuple[str, str]],
                   body: bytes) -> UpstreamResponse:
        await self._slots.acquire()
        data = self._request_bytes(method, path, headers, body)
        conn: _Connection | None = None
        # A pooled connection may have been closed by the upstream while idle: one retry
        # on a fresh connection, only when nothing of the response arrived.
        for attempt in range(2):
            conn = None
            while self.idle and conn is None:
                candidate = self.idle.pop()
                if candidate.closed:
                    self.open -= 1
                else:
                    conn = candidate
            fresh = conn is None
            try:
                if conn is None:
                    conn = await self._connect()
                self._begin(conn, data)
                assert conn.headers_done is not None
                await conn.headers_done
                break
            except UpstreamUnavailable:
                self._drop(conn)
                if fresh or attempt == 1:
                    raise
                await self._slots.acquire()
            except BaseException:
                self._drop(conn)
                raise
        assert conn is not None
        ctype = conn.content_type
        if "text/event-stream" in ctype or "ndjson" in ctype:
            conn.deadline = None  # a stream is bounded by its read timeout only
            return UpstreamResponse(conn.status, conn.headers, chunks=self._stream(conn),
                                    close=self._closer(conn))
        parts: list[bytes] = []
        try:
            while (chunk := await conn.next_chunk()) is not None:
                parts.append(chunk)
        except BaseException:
            self._drop(conn)
            raise
        self._release(conn, reusable=True)
        headers = [(k, v) for k, v in conn.headers if k.lower() != "transfer-encoding"]
        return UpstreamResponse(conn.status, headers, body=b"".join(parts))

    def _drop(self, conn: _Connection | None) -> None:
        if conn is not None:
            self.busy.discard(conn)
            conn.close()
            self.open -= 1
        self._slots.release()

    def _closer(self, conn: _Connection) -> Any:
        done = {"released": False}

        async def close() -> None:
            if not done["released"]:
                done["released"] = True
                # A stream read to its end goes back to the pool; one cut short is closed,
                # which tells the upstream to stop generating.
                self._release(conn, reusable=conn.complete and not conn.chunks.items)

        return close

    async def _stream(self, conn: _Connection) -> AsyncIterator[bytes]:
        while (chunk := await conn.next_chunk()) is not None:
            yield chunk

    async def aclose(self) -> None:
        if self._watching is not None:
            self._watching.cancel()
            self._watching = None
        while self.idle:
            self.idle.pop().close()
        with contextlib.suppress(Exception):
            await asyncio.sleep(0)
