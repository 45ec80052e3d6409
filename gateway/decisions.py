"""Decision records (spec §3), where they go (a bounded, non-blocking JSON Lines sink)
and the Prometheus metrics counted from them."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

log = logging.getLogger("distillguard.decisions")


@dataclass(slots=True)
class Decision:
    id: str
    ts: float
    account: str
    action: str  # allow | limit | block | reject
    served: bool
    status: int
    enforced: bool
    risk: float
    rule: str | None
    reasons: list[str]
    revision: str = ""
    extra: dict[str, Any] = field(default_factory=dict)  # timings etc.: live log only

    def record(self) -> dict[str, Any]:
        """The spec §3 fields, plus the policy revision: deterministic, so the two
        replay modes produce byte-identical files."""
        return {
            "id": self.id,
            "ts": self.ts,
            "account": self.account,
            "action": self.action,
            "served": self.served,
            "status": self.status,
            "enforced": self.enforced,
            "risk": self.risk,
            "rule": self.rule,
            "reasons": self.reasons,
            "revision": self.revision,
        }

    def line(self, with_extra: bool = False) -> str:
        doc = self.record()
        if with_extra and self.extra:
            doc.update(self.extra)
        return json.dumps(doc, separators=(",", ":"), ensure_ascii=False)


class Sink(Protocol):
    def put(self, decision: Decision) -> None: ...


class ListSink:
    """Keeps decisions in memory (replay and tests)."""

    def __init__(self) -> None:
        self.decisions: list[Decision] = []

    def put(self, decision: Decision) -> None:
        self.decisions.append(decision)


class NullSink:
    def put(self, decision: Decision) -> None:
        return None


class JsonlSink:
    """A bounded queue drained by a background task: the request path never waits
    on disk. When the queue is full the record is dropped and counted, not blocked on."""

    def __init__(self, path: Path, capacity: int, metrics: Metrics | None = None) -> None:
        self.path = path
        self.queue: asyncio.Queue[Decision] = asyncio.Queue(maxsize=capacity)
        self.dropped = 0
        self.metrics = metrics
        self._task: asyncio.Task[None] | None = None

    def put(self, decision: Decision) -> None:
        try:
            self.queue.put_nowait(decision)
        except asyncio.QueueFull:
            self.dropped += 1
            if self.metrics:
                self.metrics.dropped.inc()

    async def start(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._task = asyncio.create_task(self._drain())

    async def _drain(self) -> None:
        with self.path.open("a", buffering=1 << 16) as out:
            while True:
                first = await self.queue.get()
                batch = [first]
                while not self.queue.empty() and len(batch) < 1024:
                    batch.append(self.queue.get_nowait())
                out.write("".join(d.line(with_extra=True) + "\n" for d in batch))
                out.flush()

    async def stop(self) -> None:
        if self._task is None:
            return
        # Let the writer drain what is queued, then stop it.
        for _ in range(100):
            if self.queue.empty():
                break
            await asyncio.sleep(0.01)
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task


class Metrics:
    """Prometheus metrics, in a registry of their own (several apps in one process)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.decisions = Counter(
            "distillguard_decisions", "Decisions by action and rule", ["action", "rule", "enforced"],
            registry=self.registry,
        )
        self.reasons = Counter(
            "distillguard_reasons", "Reason codes on decisions", ["reason"], registry=self.registry
        )
        self.upstream_latency = Histogram(
            "distillguard_upstream_seconds", "Upstream time to response headers",
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
            registry=self.registry,
        )
        self.overhead = Histogram(
            "distillguard_overhead_seconds", "Gateway time spent before forwarding",
            buckets=(0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05),
            registry=self.registry,
        )
        self.upstream_errors = Counter(
            "distillguard_upstream_errors", "Upstream failures", ["kind"], registry=self.registry
        )
        self.dropped = Counter(
            "distillguard_decision_log_dropped", "Decision records dropped (queue full)",
            registry=self.registry,
        )
        self.policy_reload_failures = Counter(
            "distillguard_policy_reload_failures", "Policy reloads rejected", registry=self.registry
        )
        self.store_errors = Counter(
            "distillguard_store_errors", "Shared store failures", registry=self.registry
        )
        self.inflight = Gauge(
            "distillguard_inflight", "Requests in flight", registry=self.registry
        )

    def count(self, decision: Decision) -> None:
        self.decisions.labels(decision.action, decision.rule or "", str(decision.enforced)).inc()
        for reason in decision.reasons:
            # Reason codes with per-entity suffixes (cluster ids) would explode cardinality.
            self.reasons.labels(reason.split(":", 1)[0] if reason.startswith("cluster:") else reason).inc()
