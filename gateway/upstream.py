"""The seam to the model API: one small transport protocol, two implementations.

The default live transport is `gateway.http1.Http1Transport`; `AiohttpTransport`
(`upstream.transport: aiohttp`) is the alternative, measured at about 7× httpx's
default transport and about 0.7× the built-in client at 64 concurrent requests on
this machine (bench/proxy.py --transport). `RecordedTransport` answers from replay
records, in the API shape of the path, streaming included.

Errors are translated here, at the boundary: `UpstreamUnavailable` (connect failed,
502) and `UpstreamTimeout` (504).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Protocol

import aiohttp

from gateway.settings import UpstreamSettings


class UpstreamError(Exception):
    """Base of the transport errors."""


class UpstreamUnavailable(UpstreamError):
    """Could not connect, or the connection broke before a response."""


class UpstreamTimeout(UpstreamError):
    """No response, or no next chunk, in time."""


@dataclass(slots=True)
class UpstreamResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes | None = None  # set for buffered (non-streamed) responses
    chunks: AsyncIterator[bytes] | None = None  # set for streamed responses
    close: Any = None  # async callable releasing the connection

    @property
    def streaming(self) -> bool:
        return self.chunks is not None

    async def aclose(self) -> None:
        if self.close is not None:
            closer, self.close = self.close, None
            await closer()


class Transport(Protocol):
    async def send(
        self, method: str, path: str, headers: list[tuple[str, str]], body: bytes
    ) -> UpstreamResponse: ...

    async def aclose(self) -> None: ...


class AiohttpTransport:
    def __init__(self, base_url: str, settings: UpstreamSettings) -> None:
        self.base_url = base_url.rstrip("/")
        self.settings = settings
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(
                    limit=self.settings.max_connections, keepalive_timeout=30, ttl_dns_cache=300
                ),
                timeout=aiohttp.ClientTimeout(
                    total=None, connect=self.settings.connect_timeout,
                    sock_read=self.settings.read_timeout,
                ),
                auto_decompress=False,  # bytes pass through as the upstream sent them
                skip_auto_headers=("User-Agent", "Accept-Encoding", "Content-Type"),
            )
        return self._session

    async def send(
        self, method: str, path: str, headers: list[tuple[str, str]], body: bytes
    ) -> UpstreamResponse:
        session = self._client()
        try:
            async with asyncio.timeout(self.settings.total_timeout):
                return await self._send(session, method, path, headers, body)
        except TimeoutError as exc:
            raise UpstreamTimeout("upstream did not answer within the total timeout") from exc

    async def _send(
        self, session: aiohttp.ClientSession, method: str, path: str,
        headers: list[tuple[str, str]], body: bytes,
    ) -> UpstreamResponse:
        try:
            response = await session.request(
                method, self.base_url + path, headers=headers, data=body or None,
                allow_redirects=False,
            )
        except (TimeoutError, aiohttp.ServerTimeoutError) as exc:
            raise UpstreamTimeout(f"upstream did not answer: {exc!r}") from exc
        except (aiohttp.ClientError, OSError) as exc:
            raise UpstreamUnavailable(f"upstream unreachable: {exc!r}") from exc
        out_headers = [(k, v) for k, v in response.headers.items()]
        ctype = response.headers.get("content-type", "")
        if "text/event-stream" in ctype or "ndjson" in ctype:
            return UpstreamResponse(
                response.status, out_headers, chunks=_iter(response), close=_closer(response)
            )
        try:
            data = await response.read()
        except (TimeoutError, aiohttp.ServerTimeoutError) as exc:
            raise UpstreamTimeout(f"upstream body timed out: {exc!r}") from exc
        except (aiohttp.ClientError, OSError) as exc:
            raise UpstreamUnavailable(f"upstream body failed: {exc!r}") from exc
        finally:
            response.release()
        return UpstreamResponse(response.status, out_headers, body=data)

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


def _closer(response: aiohttp.ClientResponse) -> Any:
    async def close() -> None:
        response.close()  # drops the connection: an unfinished stream must not be reused

    return close


async def _iter(response: aiohttp.ClientResponse) -> AsyncIterator[bytes]:
    try:
        async for chunk in response.content.iter_any():
            yield chunk
    except (TimeoutError, aiohttp.ServerTimeoutError) as exc:
        raise UpstreamTimeout(f"upstream stream stalled: {exc!r}") from exc
    except (aiohttp.ClientError, OSError) as exc:
        raise UpstreamUnavailable(f"upstream stream broke: {exc!r}") from exc


# --- answers in the API shapes (the stand-in upstream and replay share these) --------


@dataclass(slots=True)
class Canned:
    """What an upstream should answer: status, usage, output size, latency."""

    status: int = 200
    input_tokens: int = 10
    output_tokens: int = 20
    latency_ms: float = 0.0
    model: str = "stand-in-1"
    chunk_delay_ms: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


def _words(n: int) -> list[str]:
    return [f"tok{i % 97} " for i in range(max(1, n))]


def json_answer(path: str, canned: Canned) -> dict[str, Any]:
    text = "".join(_words(min(canned.output_tokens, 4096)))
    if path.startswith("/v1/messages/count_tokens"):
        return {"input_tokens": canned.input_tokens}
    if path.startswith("/v1/messages"):
        return {
            "id": "msg_standin", "type": "message", "role": "assistant", "model": canned.model,
            "content": [{"type": "text", "text": text}], "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": {"input_tokens": canned.input_tokens, "output_tokens": canned.output_tokens},
        }
    if path.startswith("/v1/embeddings"):
        return {
            "object": "list", "model": canned.model,
            "data": [{"object": "embedding", "index": 0, "embedding": [0.0, 0.1, 0.2]}],
            "usage": {"prompt_tokens": canned.input_tokens, "total_tokens": canned.input_tokens},
        }
    if path.startswith("/v1/models"):
        return {"object": "list", "data": [
            {"id": canned.model, "object": "model", "created": 0, "owned_by": "stand-in",
             "type": "model", "display_name": canned.model, "created_at": "2026-01-01T00:00:00Z"}],
            "has_more": False, "first_id": canned.model, "last_id": canned.model}
    if path.startswith("/v1/responses"):
        return {
            "id": "resp_standin", "object": "response", "created_at": 0, "status": "completed",
            "model": canned.model, "output": [{
                "type": "message", "id": "msg_1", "status": "completed", "role": "assistant",
                "content": [{"type": "output_text", "text": text, "annotations": []}]}],
            "parallel_tool_calls": True, "tool_choice": "auto", "tools": [],
            "usage": {"input_tokens": canned.input_tokens, "output_tokens": canned.output_tokens,
                      "total_tokens": canned.input_tokens + canned.output_tokens,
                      "input_tokens_details": {"cached_tokens": 0},
                      "output_tokens_details": {"reasoning_tokens": 0}},
        }
    usage = {"prompt_tokens": canned.input_tokens, "completion_tokens": canned.output_tokens,
             "total_tokens": canned.input_tokens + canned.output_tokens}
    if path.startswith("/v1/completions"):
        return {"id": "cmpl-standin", "object": "text_completion", "created": 0,
                "model": canned.model, "choices": [{"index": 0, "text": text,
                "finish_reason": "stop", "logprobs": None}], "usage": usage}
    return {
        "id": "chatcmpl-standin", "object": "chat.completion", "created": 0, "model": canned.model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                     "finish_reason": "stop"}],
        "usage": usage,
    }


def _sse(event: str | None, doc: Any) -> bytes:
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {json.dumps(doc)}\n\n".encode()


def sse_events(path: str, canned: Canned) -> list[bytes]:
    words = _words(min(canned.output_tokens, 4096))
    pieces = ["".join(words[i : i + 8]) for i in range(0, len(words), 8)] or [""]
    if path.startswith("/v1/messages"):
        out = [_sse("message_start", {"type": "message_start", "message": {
            "id": "msg_standin", "type": "message", "role": "assistant", "model": canned.model,
            "content": [], "stop_reason": None, "stop_sequence": None,
            "usage": {"input_tokens": canned.input_tokens, "output_tokens": 1}}}),
            _sse("content_block_start", {"type": "content_block_start", "index": 0,
                                         "content_block": {"type": "text", "text": ""}})]
        out += [_sse("content_block_delta", {"type": "content_block_delta", "index": 0,
                                             "delta": {"type": "text_delta", "text": p}})
                for p in pieces]
        out += [_sse("content_block_stop", {"type": "content_block_stop", "index": 0}),
                _sse("message_delta", {"type": "message_delta", "delta": {
                    "stop_reason": "end_turn", "stop_sequence": None},
                    "usage": {"output_tokens": canned.output_tokens}}),
                _sse("message_stop", {"type": "message_stop"})]
        return out
    if path.startswith("/v1/responses"):
        done = json_answer(path, canned)
        out = [_sse("response.created", {"type": "response.created", "sequence_number": 0,
                                         "response": {**done, "status": "in_progress",
                                                      "output": [], "usage": None}})]
        out += [_sse("response.output_text.delta", {
            "type": "response.output_text.delta", "item_id": "msg_1", "output_index": 0,
            "content_index": 0, "delta": p, "sequence_number": i + 1, "logprobs": []})
            for i, p in enumerate(pieces)]
        out.append(_sse("response.completed", {"type": "response.completed",
                                               "sequence_number": len(pieces) + 1,
                                               "response": done}))
        return out
    base = {"id": "chatcmpl-standin", "object": "chat.completion.chunk", "created": 0,
            "model": canned.model}
    out = [_sse(None, {**base, "choices": [{"index": 0, "delta": {"role": "assistant",
                                                                    "content": p},
                                             "finish_reason": None}]}) for p in pieces]
    out.append(_sse(None, {**base, "choices": [{"index": 0, "delta": {},
                                                 "finish_reason": "stop"}]}))
    out.append(_sse(None, {**base, "choices": [], "usage": {
        "prompt_tokens": canned.input_tokens, "completion_tokens": canned.output_tokens,
        "total_tokens": canned.input_tokens + canned.output_tokens}}))
    out.append(b"data: [DONE]\n\n")
    return out


def error_answer(path: str, status: int) -> dict[str, Any]:
    if path.startswith("/v1/messages"):
        return {"type": "error", "error": {"type": "api_error", "message": f"upstream {status}"}}
    return {"error": {"message": f"upstream {status}", "type": "api_error", "code": None}}


class RecordedTransport:
    """Answers each request with the `response` of the replay record being sent."""

    def __init__(self) -> None:
        self.current = Canned()

    async def send(
        self, method: str, path: str, headers: list[tuple[str, str]], body: bytes
    ) -> UpstreamResponse:
        canned = self.current
        if canned.status >= 400:
            data = json.dumps(error_answer(path, canned.status)).encode()
            return UpstreamResponse(canned.status, [("content-type", "application/json")], data)
        stream = b'"stream":true' in body or b'"stream": true' in body
        if stream:
            events = sse_events(path, canned)

            async def chunks() -> AsyncIterator[bytes]:
                for event in events:
                    yield event

            return UpstreamResponse(200, [("content-type", "text/event-stream")], chunks=chunks())
        data = json.dumps(json_answer(path, canned)).encode()
        return UpstreamResponse(200, [("content-type", "application/json")], data)

    async def aclose(self) -> None:
        return None
