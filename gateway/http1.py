"""A small HTTP/1.1 client for the one thing the hot path needs: keep-alive requests
to one configured upstream, bodies buffered or streamed chunk by chunk.

Why not aiohttp's client: per request it builds request, response, timer, trace and
cookie objects the gateway never uses; on this machine that was about a third of the
gateway's CPU per request (bench/proxy.py). This client parses responses with
httptools (the C parser uvicorn uses) and keeps a LIFO pool of idle connections.
It is only ever pointed at the configured upstream, never at a client-chosen URL.
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


class _Connection(asyncio.Protocol):
    """One upstream connection; parses one response at a time."""

    def __init__(self, pool: Http1Transport) -> None:
        self.pool = pool
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.headers: list[tuple[str, str]] = []
        self.status = 0
        self.headers_done: asyncio.Future[None] | None = None
        self.chunks: asyncio.Queue[Any] = asyncio.Queue()
        self.complete = False
        self.closed = False
        self.keep_alive = True
        self.paused = False

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(UpstreamUnavailable(f"bad response from upstream: {exc}"))
        if self.chunks.qsize() > 64 and self.transport is not None and not self.paused:
            self.paused = True  # back-pressure: the client reads slower than upstream sends
            self.transport.pause_reading()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if not self.complete:
            self._fail(UpstreamUnavailable(f"upstream closed the connection: {exc!r}"))

    # httptools callbacks
    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name.decode("latin-1"), value.decode("latin-1")))

    def on_headers_complete(self) -> None:
        self.status = self.parser.get_status_code()
        self.keep_alive = self.parser.should_keep_alive()
        if self.headers_done is not None and not self.headers_done.done():
            self.headers_done.set_result(None)

    def on_body(self, body: bytes) -> None:
        self.chunks.put_nowait(body)

    def on_message_complete(self) -> None:
        self.complete = True
        self.chunks.put_nowait(_END)

    def _fail(self, exc: Exception) -> None:
        if self.headers_done is not None and not self.headers_done.done():
            self.headers_done.set_exception(exc)
        self.chunks.put_nowait(exc)

    # use
    def start(self, data: bytes) -> None:
        self.headers = []
        self.status = 0
        self.complete = False
        self.chunks = asyncio.Queue()
        self.headers_done = asyncio.get_running_loop().create_future()
        assert self.transport is not None
        self.transport.write(data)

    async def next_chunk(self, idle_seconds: float) -> bytes | None:
        if self.paused and self.chunks.qsize() < 16 and self.transport is not None:
            self.paused = False
            self.transport.resume_reading()
        try:
            async with asyncio.timeout(idle_seconds):
                item = await self.chunks.get()
        except TimeoutError as exc:
            raise UpstreamTimeout("upstream sent nothing within the read timeout") from exc
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
        self.open = 0
        self._slots = asyncio.Semaphore(settings.max_connections)

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
                conn.start(data)
                assert conn.headers_done is not None
                async with asyncio.timeout(self.settings.read_timeout):
                    await conn.headers_done
                break
            except TimeoutError as exc:
                self._drop(conn)
                raise UpstreamTimeout("upstream did not answer within the read timeout") from exc
            except UpstreamUnavailable:
                self._drop(conn)
                if fresh or attempt == 1:
                    raise
                await self._slots.acquire()
            except BaseException:
                self._drop(conn)
                raise
        assert conn is not None
        ctype = next((v for k, v in conn.headers if k.lower() == "content-type"), "")
        if "text/event-stream" in ctype or "ndjson" in ctype:
            return UpstreamResponse(conn.status, conn.headers, chunks=self._stream(conn),
                                    close=self._closer(conn))
        parts: list[bytes] = []
        try:
            while (chunk := await conn.next_chunk(self.settings.read_timeout)) is not None:
                parts.append(chunk)
        except BaseException:
            self._drop(conn)
            raise
        self._release(conn, reusable=True)
        headers = [(k, v) for k, v in conn.headers if k.lower() != "transfer-encoding"]
        return UpstreamResponse(conn.status, headers, body=b"".join(parts))

    def _drop(self, conn: _Connection | None) -> None:
        if conn is not None:
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
                self._release(conn, reusable=conn.complete and conn.chunks.empty())

        return close

    async def _stream(self, conn: _Connection) -> AsyncIterator[bytes]:
        while (chunk := await conn.next_chunk(self.settings.read_timeout)) is not None:
            yield chunk

    async def aclose(self) -> None:
        while self.idle:
            self.idle.pop().close()
        with contextlib.suppress(Exception):
            await asyncio.sleep(0)
