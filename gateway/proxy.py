"""The proxy path, pure ASGI: read the body (bounded), ask the engine, forward,
stream the answer back event by event, account the usage, record the decision.

A client that hangs up mid-stream closes the upstream stream; upstream failures
become 502/504 in the API's own error shape; a bug in the gateway becomes a 500 in
that shape too, logged with its trace, never shown to the client.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import time
from typing import Any

from gateway import apis
from gateway.apis import StreamUsage, Usage
from gateway.decisions import Metrics
from gateway.engine import Admission, Engine, Inbound, rate_headers
from gateway.upstream import Transport, UpstreamResponse, UpstreamTimeout, UpstreamUnavailable

log = logging.getLogger("distillguard.proxy")

Scope = dict[str, Any]
Receive = Any
Send = Any

HOP_BY_HOP = frozenset({
    "connection", "proxy-connection", "keep-alive", "te", "trailer", "transfer-encoding",
    "upgrade", "proxy-authenticate", "proxy-authorization",
})
REQUEST_DROP = HOP_BY_HOP | {"host", "content-length", "x-forwarded-for", "forwarded",
                             "x-real-ip", "via"}
RESPONSE_DROP = HOP_BY_HOP | {"content-length", "date", "server"}


class BodyTooLarge(Exception):
    pass


class ClientGone(Exception):
    pass


async def read_body(receive: Receive, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientGone()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge()
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _drop(headers: list[tuple[str, str]], drop: frozenset[str]) -> list[tuple[str, str]]:
    named = {h.strip().lower() for k, v in headers if k.lower() == "connection" for h in v.split(",")}
    return [(k, v) for k, v in headers if k.lower() not in drop and k.lower() not in named]


class Proxy:
    def __init__(
        self, engine: Engine, transport: Transport, metrics: Metrics | None,
        upstream_key: str | None = None,
    ) -> None:
        self.engine = engine
        self.transport = transport
        self.metrics = metrics
        self.upstream_key = upstream_key
        self._ids = itertools.count(1)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        raw_headers: list[tuple[bytes, bytes]] = scope.get("headers", [])
        headers: dict[str, str] = {}
        for name, value in raw_headers:
            key, text = name.decode("latin-1").lower(), value.decode("latin-1")
            headers[key] = f"{headers[key]}, {text}" if key in headers else text
        path = scope.get("raw_path", scope["path"].encode()).decode("latin-1")
        if scope.get("query_string"):
            path += "?" + scope["query_string"].decode("latin-1")
        client = scope.get("client") or ("", 0)
        shape = apis.shape_of(path, headers)
        request_id = headers.get("x-request-id", "")[:128] or f"req-{next(self._ids)}"
        engine = self.engine
        try:
            body = await read_body(receive, engine.max_body_bytes)
        except BodyTooLarge:
            body = b"x" * (engine.max_body_bytes + 1)  # the engine answers 413 and records it
        except ClientGone:
            return
        inbound = Inbound(
            id=request_id, ts=engine.clock.now(), method=scope["method"], path=path,
            headers=headers, peer=client[0], body=body, content_type=headers.get("content-type", ""),
        )
        adm: Admission | None = None
        try:
            adm = await engine.admit(inbound)
            if adm.refusal is not None:
                # Recorded before it is sent: whoever reads the answer finds the decision.
                engine.finish(adm, adm.refusal.status, Usage(), served=False)
                await self._answer(send, adm.refusal.status, adm.refusal.body, adm.refusal.headers)
                return
            overhead = time.perf_counter() - started
            if self.metrics is not None:
                self.metrics.overhead.observe(overhead)
            await self._forward(adm, scope, receive, send, overhead)
        except Exception:  # the last line of defence: never a bare 500 with a trace
            log.exception("internal error on %s %s", scope.get("method"), path)
            if adm is not None and not adm.finished:
                adm.decision.action, adm.decision.status = "reject", 500
                engine.finish(adm, 500, Usage(), served=False)
            with contextlib.suppress(Exception):
                await self._answer(send, 500, apis.error_body(
                    shape, 500, "Internal gateway error.", "internal_error"), {})

    async def _answer(self, send: Send, status: int, body: bytes, headers: dict[str, str]) -> None:
        out = [(b"content-type", b"application/json"),
               (b"content-length", str(len(body)).encode())]
        out += [(k.encode(), v.encode()) for k, v in headers.items()]
        await send({"type": "http.response.start", "status": status, "headers": out})
        await send({"type": "http.response.body", "body": body})

    def _upstream_headers(self, adm: Admission) -> list[tuple[str, str]]:
        headers = _drop(list(adm.inbound.headers.items()), REQUEST_DROP)
        if self.upstream_key is not None:
            headers = [(k, v) for k, v in headers if k not in ("authorization", "x-api-key")]
            if adm.shape == "anthropic":
                headers.append(("x-api-key", self.upstream_key))
            else:
                headers.append(("authorization", f"Bearer {self.upstream_key}"))
        return headers

    async def _forward(
        self, adm: Admission, scope: Scope, receive: Receive, send: Send, overhead: float
    ) -> None:
        engine = self.engine
        inbound = adm.inbound
        sent_at = time.perf_counter()
        try:
            # The transport enforces the read and total timeouts (UpstreamTimeout).
            response = await self.transport.send(
                inbound.method, inbound.path, self._upstream_headers(adm), inbound.body
            )
        except (UpstreamTimeout, TimeoutError) as exc:
            await self._upstream_failed(adm, send, 504, "Upstream timed out.", "timeout", exc)
            return
        except UpstreamUnavailable as exc:
            await self._upstream_failed(adm, send, 502, "Upstream unavailable.", "unavailable", exc)
            return
        if self.metrics is not None:
            self.metrics.upstream_latency.observe(time.perf_counter() - sent_at)
        extra_headers = rate_headers(adm.shape, adm.rate_headers)
        out_headers = _drop(response.headers, RESPONSE_DROP)
        out_headers += list(extra_headers.items())
        extra = {"overhead_us": round(overhead * 1e6)}
        if not response.streaming:
            data = response.body or b""
            usage = Usage()
            if response.status < 400 and data[:1] == b"{":
                with contextlib.suppress(ValueError):
                    usage = apis.usage_from_json(json.loads(data))
            encoded = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in out_headers]
            encoded.append((b"content-length", str(len(data)).encode()))
            # The upstream has answered (and billed) in full: charge and record it before
            # the client reads it, whether or not the client is still there.
            engine.finish(adm, response.status, usage, served=True, extra=extra)
            await send({"type": "http.response.start", "status": response.status,
                        "headers": encoded})
            await send({"type": "http.response.body", "body": data})
            return
        await self._stream(adm, response, out_headers, receive, send, extra)

    async def _stream(
        self, adm: Admission, response: UpstreamResponse, headers: list[tuple[str, str]],
        receive: Receive, send: Send, extra: dict[str, Any],
    ) -> None:
        meter = StreamUsage()
        encoded = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers]
        assert response.chunks is not None
        # The stream is pumped in this task; a watcher task waits for the client to hang
        # up and then cancels it, which stops reading (and closes) the upstream stream.
        current = asyncio.current_task()
        assert current is not None
        state = {"pumping": True, "gone": False}

        async def watch() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass
            if state["pumping"]:  # after the last chunk, "disconnect" means "done"
                state["gone"] = True
                current.cancel()

        watcher = asyncio.create_task(watch())
        status = response.status
        try:
            try:
                await send({"type": "http.response.start", "status": status, "headers": encoded})
                async for chunk in response.chunks:
                    meter.feed(chunk)
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
                state["pumping"] = False
                await send({"type": "http.response.body", "body": b""})
            except asyncio.CancelledError:
                if not state["gone"]:
                    raise
                current.uncancel()
                extra["client_disconnected"] = True
            except Exception as exc:
                state["pumping"] = False
                extra["stream_error"] = type(exc).__name__
                if self.metrics is not None:
                    self.metrics.upstream_errors.labels("stream").inc()
                log.warning("stream from upstream ended early: %r", exc)
                await self._end_stream_with_error(adm, send, exc)
            state["pumping"] = False
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await watcher
            await response.aclose()
            usage = meter.usage
            if not usage.known or extra.get("client_disconnected") or extra.get("stream_error"):
                # Charge what was streamed, even without a final usage event.
                usage = Usage(usage.input_tokens, meter.estimate_output_tokens(), True)
            self.engine.finish(adm, status, usage, served=True, extra=extra)

    async def _end_stream_with_error(self, adm: Admission, send: Send, exc: BaseException) -> None:
        timed_out = isinstance(exc, UpstreamTimeout | TimeoutError)
        status, kind = (504, "timeout") if timed_out else (502, "unavailable")
        event = apis.stream_error_event(
            adm.shape, status, f"Upstream stream ended early ({kind}).", f"upstream_{kind}")
        with contextlib.suppress(Exception):  # the client may be gone as well
            await send({"type": "http.response.body", "body": event, "more_body": True})
            await send({"type": "http.response.body", "body": b""})

    async def _upstream_failed(
        self, adm: Admission, send: Send, status: int, message: str, kind: str, exc: Exception
    ) -> None:
        log.warning("upstream %s: %s", kind, exc)
        if self.metrics is not None:
            self.metrics.upstream_errors.labels(kind).inc()
        body = apis.error_body(adm.shape, status, message, f"upstream_{kind}")
        adm.decision.status = status
        self.engine.finish(adm, status, Usage(), served=False)
        await self._answer(send, status, body, {})
