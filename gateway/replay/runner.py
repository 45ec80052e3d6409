"""Replay recorded traffic through the engine: `fast` calls the engine directly on a
virtual clock; `asgi` sends each record through the real ASGI app (httpx's ASGI
transport, the record's client_ip as the peer) with the upstream answering from the
record. Both produce the same decisions for the same input."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterable, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from gateway.apis import Usage
from gateway.app import Gateway
from gateway.clock import ManualClock
from gateway.decisions import Decision, ListSink
from gateway.engine import Inbound
from gateway.enrich import Enricher
from gateway.replay.reader import Record
from gateway.settings import Settings
from gateway.upstream import Canned, RecordedTransport


@dataclass
class ReplayResult:
    decisions: int = 0
    labels: list[dict[str, Any] | None] = field(default_factory=list)


def canned_of(record: Record) -> Canned:
    response = record.response
    usage = response.get("usage") or {}
    return Canned(
        status=int(response.get("status", 200)),
        input_tokens=int(usage.get("input_tokens", 0) or 0),
        output_tokens=int(usage.get("output_tokens", 0) or 0),
    )


def build_gateway(settings: Settings, enricher: Enricher | None = None) -> tuple[Gateway, ListSink,
                                                                                  ManualClock]:
    clock = ManualClock()
    sink = ListSink()
    # Replay counts its own summary; Prometheus counters would only cost time here.
    gateway = Gateway(settings, clock=clock, transport=RecordedTransport(), sink=sink,
                      enricher=enricher, count_metrics=False)
    return gateway, sink, clock


async def replay_fast(gateway: Gateway, clock: ManualClock, sink: ListSink,
                      records: Iterable[Record]) -> AsyncIterator[tuple[Record, Decision]]:
    engine = gateway.engine
    for record in records:
        clock.set(record.ts)
        inbound = Inbound(
            id=record.id, ts=record.ts, method=record.method, path=record.path,
            headers=record.headers, peer=record.client_ip, body=record.body,
            content_type=record.content_type,
        )
        adm = await engine.admit(inbound)
        if adm.refusal is not None:
            decision = engine.finish(adm, adm.refusal.status, Usage(), served=False)
        else:
            canned = canned_of(record)
            if canned.status >= 400:
                decision = engine.finish(adm, canned.status, Usage(), served=True)
            else:
                usage = Usage(canned.input_tokens, canned.output_tokens, True)
                decision = engine.finish(adm, canned.status, usage, served=True)
        sink.decisions.clear()
        yield record, decision


async def replay_asgi(gateway: Gateway, clock: ManualClock, sink: ListSink,
                      records: Iterable[Record]) -> AsyncIterator[tuple[Record, Decision]]:
    transport = gateway.transport
    assert isinstance(transport, RecordedTransport)
    await gateway.startup()
    try:
        current: dict[str, str] = {"ip": "127.0.0.1"}

        # One httpx client; the peer address is set per record through the ASGI scope.
        async def app(scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
            scope = {**scope, "client": (current["ip"], 40000)}
            await gateway(scope, receive, send)

        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://gateway") as client:
            for record in records:
                clock.set(record.ts)
                current["ip"] = record.client_ip
                transport.current = canned_of(record)
                headers = {k: v for k, v in record.headers.items() if k != "content-length"}
                headers["x-request-id"] = record.id
                if record.body and "content-type" not in headers:
                    headers["content-type"] = record.content_type
                async with client.stream(record.method, record.path, headers=headers,
                                         content=record.body) as response:
                    async for _ in response.aiter_raw():
                        pass
                if len(sink.decisions) != 1:
                    raise RuntimeError(f"record {record.id}: expected one decision, "
                                       f"got {len(sink.decisions)}")
                decision = sink.decisions.pop()
                yield record, decision
    finally:
        await gateway.shutdown()


Runner = Callable[[Gateway, ManualClock, ListSink, Iterable[Record]],
                  AsyncIterator[tuple[Record, Decision]]]
RUNNERS: dict[str, Runner] = {"fast": replay_fast, "asgi": replay_asgi}


def write_decision(out: Any, decision: Decision) -> None:
    out.write(json.dumps(decision.record(), separators=(",", ":"), ensure_ascii=False) + "\n")


def open_output(path: str) -> Any:
    if path == "-":
        import sys

        return sys.stdout
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return open(path, "w", buffering=1 << 20)
