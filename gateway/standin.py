"""A stand-in for the model API: speaks the OpenAI and Anthropic shapes, JSON and SSE,
with configurable latency and output size. `distillguard upstream` serves it; the
quick start forwards to it, so the gateway runs on a machine with no network.

Per-request overrides for tests: `x-standin-latency-ms`, `x-standin-output-tokens`,
`x-standin-status`, `x-standin-chunk-delay-ms`.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from gateway.upstream import Canned, error_answer, json_answer, sse_events


def _float(headers: dict[bytes, bytes], name: bytes, default: float) -> float:
    try:
        return float(headers[name]) if name in headers else default
    except ValueError:
        return default


class StandIn:
    def __init__(self, latency_ms: float = 0.0, output_tokens: int = 20,
                 chunk_delay_ms: float = 0.0) -> None:
        self.latency_ms = latency_ms
        self.output_tokens = output_tokens
        self.chunk_delay_ms = chunk_delay_ms
        self.requests = 0
        self.open_streams = 0
        self.last_headers: dict[str, str] = {}

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        self.requests += 1
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = dict(scope["headers"])
        self.last_headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in headers.items()}
        path = scope["path"]
        try:
            request = json.loads(body) if body else {}
        except ValueError:
            request = {}
        if not isinstance(request, dict):
            request = {}
        words = len(str(request.get("messages", request.get("input", ""))).split())
        canned = Canned(
            status=int(_float(headers, b"x-standin-status", 200)),
            input_tokens=max(1, words),
            output_tokens=int(_float(headers, b"x-standin-output-tokens", self.output_tokens)),
            model=str(request.get("model") or "stand-in-1"),
        )
        latency = _float(headers, b"x-standin-latency-ms", self.latency_ms)
        if latency:
            await asyncio.sleep(latency / 1000)
        if canned.status >= 400:
            await _json(send, canned.status, error_answer(path, canned.status))
            return
        if request.get("stream") is True:
            delay = _float(headers, b"x-standin-chunk-delay-ms", self.chunk_delay_ms) / 1000
            await send({"type": "http.response.start", "status": 200, "headers": [
                (b"content-type", b"text/event-stream"), (b"cache-control", b"no-cache")]})
            self.open_streams += 1

            async def pump() -> None:
                for event in sse_events(path, canned):
                    if delay:
                        await asyncio.sleep(delay)
                    await send({"type": "http.response.body", "body": event, "more_body": True})
                await send({"type": "http.response.body", "body": b""})

            async def watch() -> None:
                while (await receive())["type"] != "http.disconnect":
                    pass

            tasks = [asyncio.create_task(pump()), asyncio.create_task(watch())]
            try:
                await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for task in tasks:
                    task.cancel()
                self.open_streams -= 1
            return
        await _json(send, 200, json_answer(path, canned))


async def _json(send: Any, status: int, doc: dict[str, Any]) -> None:
    data = json.dumps(doc).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]})
    await send({"type": "http.response.body", "body": data})
