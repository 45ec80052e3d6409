"""create_app(settings): the ASGI application. The lifespan opens the databases, the
stores and the upstream client once; the router sends the API prefix to the proxy
(pure ASGI), the admin prefix to FastAPI and `/metrics` to Prometheus."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from gateway.clock import Clock, SystemClock
from gateway.decisions import JsonlSink, Metrics, NullSink, Sink
from gateway.engine import Engine
from gateway.enrich import Enricher
from gateway.http1 import Http1Transport
from gateway.identity import AccountDirectory, ClientIPResolver
from gateway.limits import LimiterProtocol
from gateway.policy.store import PolicyStore
from gateway.proxy import Proxy
from gateway.settings import Settings
from gateway.state.redis import Breaker, RedisLimiter
from gateway.upstream import AiohttpTransport, Transport

log = logging.getLogger("distillguard")


class Gateway:
    """Everything one gateway process holds, built once."""

    def __init__(
        self,
        settings: Settings,
        clock: Clock | None = None,
        transport: Transport | None = None,
        sink: Sink | None = None,
        enricher: Enricher | None = None,
        count_metrics: bool = True,
    ) -> None:
        self.settings = settings
        self.clock = clock or SystemClock()
        self.metrics = Metrics()
        self.policies = PolicyStore(settings.policy)
        self.enricher = enricher or Enricher(settings.databases)
        self.directory = AccountDirectory.load(settings.accounts, settings.key_secret)
        self.log_sink: JsonlSink | None = None
        if sink is None and settings.decision_log is not None:
            self.log_sink = JsonlSink(settings.decision_log, settings.decision_queue, self.metrics)
            sink = self.log_sink
        self.redis: RedisLimiter | None = None
        limiter: LimiterProtocol | None = None
        if settings.store.backend == "redis":
            self.redis = RedisLimiter(
                settings.store.redis_url, self.clock, prefix=settings.store.key_prefix,
                timeout=settings.store.redis_timeout, on_error=self.metrics.store_errors.inc,
                breaker=Breaker(settings.store.breaker_after, settings.store.breaker_cool_off))
            limiter = self.redis
        self.engine = Engine(
            self.policies, self.enricher, self.directory,
            ClientIPResolver(settings.trusted_proxies), self.clock, sink or NullSink(),
            self.metrics if count_metrics else None, shadow=settings.shadow,
            max_body_bytes=settings.max_body_bytes, limiter=limiter,
        )
        if transport is None:
            url = settings.upstream.url or "http://127.0.0.1:8081"
            if settings.upstream.transport == "aiohttp":
                transport = AiohttpTransport(url, settings.upstream)
            else:
                transport = Http1Transport(url, settings.upstream)
        self.transport = transport
        self.proxy = Proxy(self.engine, transport, self.metrics, settings.upstream.api_key)
        from gateway.admin import create_admin

        self.admin = create_admin(self)
        self._watch: asyncio.Task[None] | None = None

    async def readiness(self) -> tuple[bool, dict[str, Any]]:
        detail: dict[str, Any] = {"policy": self.policies.current.revision}
        if self.redis is not None:
            detail["redis"] = await self.redis.ping()
            # A down Redis degrades (fail open or closed per plan); it does not make the
            # gateway unready, or every replica would leave the load balancer at once.
        return True, detail

    def reload_policy(self) -> None:
        if not self.policies.reload() and self.policies.last_error:
            self.metrics.policy_reload_failures.inc()

    async def _watch_policy(self) -> None:
        while True:
            await asyncio.sleep(2.0)
            failures = self.policies.failures
            self.policies.reload_if_changed()
            if self.policies.failures > failures:
                self.metrics.policy_reload_failures.inc()

    async def startup(self) -> None:
        if self.log_sink is not None:
            await self.log_sink.start()
        self._watch = asyncio.create_task(self._watch_policy())
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self.reload_policy)

    async def shutdown(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
        await self.transport.aclose()
        if self.redis is not None:
            await self.redis.aclose()
        if self.log_sink is not None:
            await self.log_sink.stop()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        kind = scope["type"]
        if kind == "http":
            path: str = scope["path"]
            if path.startswith(self.settings.api_prefix):
                await self.proxy(scope, receive, send)
            elif path.startswith(self.settings.admin.prefix):
                await self.admin({**scope, "root_path": self.settings.admin.prefix}, receive, send)
            elif path == "/metrics":
                data = generate_latest(self.metrics.registry)
                await send({"type": "http.response.start", "status": 200,
                            "headers": [(b"content-type", CONTENT_TYPE_LATEST.encode())]})
                await send({"type": "http.response.body", "body": data})
            else:
                body = b'{"error":{"message":"Not found.","type":"not_found","code":null}}'
                await send({"type": "http.response.start", "status": 404,
                            "headers": [(b"content-type", b"application/json")]})
                await send({"type": "http.response.body", "body": body})
        elif kind == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    try:
                        await self.startup()
                    except Exception as exc:  # reported to the server, which exits
                        await send({"type": "lifespan.startup.failed", "message": str(exc)})
                        return
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await self.shutdown()
                    await send({"type": "lifespan.shutdown.complete"})
                    return


def create_app(settings: Settings | None = None, **kwargs: Any) -> Gateway:
    return Gateway(settings or Settings(), **kwargs)
