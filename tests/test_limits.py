"""Per-account limits: in memory and shared through a real Redis; tier changes keep
usage; tokens charged on completion and on disconnect; slots released on every exit;
the API's own 429s and rate-limit headers; Redis down and back."""

from __future__ import annotations

import asyncio
import json
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from gateway.app import create_app
from gateway.clock import ManualClock
from gateway.decisions import ListSink
from gateway.limits import Limiter
from gateway.policy.model import LimitSet
from gateway.state.redis import RedisLimiter
from tests.conftest import POLICIES, gateway_settings
from tests.servers import ServerThread, free_port

REDIS = "redis://127.0.0.1:6379/15"
LIMITS = POLICIES / "limits.yaml"


def accounts_file(tmp_path: Path) -> Path:
    path = tmp_path / "accounts.jsonl"
    path.write_text("".join(json.dumps({"key": k, "account": k}) + "\n"
                            for k in ("tight-1", "closed-1", "plain-1")))
    return path


async def test_tier_change_keeps_usage() -> None:
    clock = ManualClock(1_700_000_000.0)
    limiter = Limiter(clock)
    limits = LimitSet(requests=["10/minute"])
    for _ in range(6):
        assert (await limiter.check("a", limits, 1.0, 0, 0)).allowed
    # Risk rises: the allowance halves to 5, and the 6 already used still count.
    verdict = await limiter.check("a", limits, 0.5, 0, 0)
    assert not verdict.allowed and verdict.refused_by == "requests 5/1minute"
    assert (await limiter.check("a", limits, 1.0, 0, 0)).allowed  # back to 10: 7th fits
    clock.advance(120)
    assert (await limiter.check("a", limits, 0.5, 0, 0)).allowed


async def test_token_windows_test_the_estimate_and_charge_the_actual() -> None:
    clock = ManualClock(1_700_000_000.0)
    limiter = Limiter(clock)
    limits = LimitSet(output_tokens=["1000/minute"])
    assert (await limiter.check("a", limits, 1.0, 0, 800)).allowed
    limiter.charge("a", limits, 1.0, 0, 900)
    refused = await limiter.check("a", limits, 1.0, 0, 200)
    assert not refused.allowed and refused.refused_by == "output_tokens 1000/1minute"
    assert refused.retry_after >= 1


@pytest.fixture()
def redis_clean() -> Iterator[None]:
    import redis

    client = redis.Redis.from_url(REDIS)
    client.flushdb()
    yield
    client.flushdb()


async def test_two_instances_share_one_limit_exactly(redis_clean: None) -> None:
    clock = ManualClock(1_700_000_000.0)
    # A generous timeout: this test is about exact sharing, not about a slow Redis.
    a, b = RedisLimiter(REDIS, clock, timeout=2.0), RedisLimiter(REDIS, clock, timeout=2.0)
    limits = LimitSet(requests=["100/minute"])
    attempts = [(a if i % 2 else b).check("shared", limits, 1.0, 0, 0) for i in range(150)]
    verdicts = await asyncio.gather(*attempts)
    assert sum(v.allowed for v in verdicts) == 100
    await a.aclose()
    await b.aclose()


async def test_redis_concurrency_leases_are_released(redis_clean: None) -> None:
    clock = ManualClock(1_700_000_000.0)
    limiter = RedisLimiter(REDIS, clock)
    limits = LimitSet(concurrency=2)
    assert (await limiter.check("c", limits, 1.0, 0, 0)).allowed
    assert (await limiter.check("c", limits, 1.0, 0, 0)).allowed
    assert not (await limiter.check("c", limits, 1.0, 0, 0)).allowed
    limiter.release("c")
    await limiter.drain()
    assert (await limiter.check("c", limits, 1.0, 0, 0)).allowed
    await limiter.aclose()


async def test_redis_finish_charges_and_releases_in_one_round_trip(redis_clean: None) -> None:
    """The end of a request (slot back, tokens charged) is one command, not two."""
    import redis

    clock = ManualClock(1_700_000_000.0)
    limiter = RedisLimiter(REDIS, clock)
    sent: list[str] = []
    execute, script = limiter.client.execute_command, limiter._script

    async def counted(*args: object, **options: object) -> object:
        sent.append(str(args[0]))
        return await execute(*args, **options)

    async def counted_script(*args: object) -> object:
        sent.append("SCRIPT")
        return await script(*args)  # type: ignore[arg-type]

    limiter.client.execute_command = counted
    limiter._script = counted_script  # type: ignore[method-assign]
    limits = LimitSet(output_tokens=["1000/minute"], concurrency=1)
    assert (await limiter.check("f", limits, 1.0, 0, 10)).allowed
    sent.clear()
    limiter.release("f")  # the engine gives the slot back, then charges, in one turn
    limiter.charge("f", limits, 1.0, 0, 300)
    await limiter.drain()
    assert sent == ["SCRIPT"]
    assert redis.Redis.from_url(REDIS).zcard("dg:{f}:inflight") == 0
    assert not (await limiter.check("f", limits, 1.0, 0, 800)).allowed  # 300 were charged
    assert (await limiter.check("f", limits, 1.0, 0, 600)).allowed  # and the slot is free
    # A slot given back with nothing to charge is released on its own.
    sent.clear()
    limiter.release("f")
    await limiter.drain()
    assert sent == ["ZREM"]
    await limiter.aclose()


def test_two_gateways_share_limits_over_http(standin, enricher, redis_clean: None) -> None:
    # A generous timeout: on a loaded machine 150 concurrent calls must not trip the
    # breaker (that would fail open, by design, and allow more than the limit).
    settings = gateway_settings(standin[1], policy=[str(LIMITS)],
                                store={"backend": "redis", "redis_url": REDIS, "redis_timeout": 2.0})
    with ServerThread(create_app(settings, enricher=enricher)) as one, \
            ServerThread(create_app(settings, enricher=enricher)) as two:

        async def burst() -> list[int]:
            async with httpx.AsyncClient(timeout=30) as client:
                calls = [client.post((one.url if i % 2 else two.url) + "/v1/chat/completions",
                                     # One output token each: the token window (1000/minute)
                                     # stays out of a test of the shared request window.
                                     headers={"authorization": "Bearer sk-shared",
                                              "x-standin-output-tokens": "1"},
                                     json={"model": "m", "max_tokens": 1, "messages": []})
                         for i in range(150)]
                return [r.status_code for r in await asyncio.gather(*calls)]

        statuses = asyncio.run(burst())
    assert statuses.count(200) == 100 and statuses.count(429) == 50


def test_429_in_each_api_shape_with_headers(standin, enricher, tmp_path: Path) -> None:
    settings = gateway_settings(standin[1], policy=[str(LIMITS)], accounts=str(accounts_file(tmp_path)))
    sink = ListSink()
    with ServerThread(create_app(settings, sink=sink, enricher=enricher)) as server:
        ok = [httpx.post(server.url + "/v1/messages", headers={"x-api-key": "tight-1"},
                         json={"model": "m", "max_tokens": 5, "messages": []}) for _ in range(3)]
        refused = httpx.post(server.url + "/v1/messages", headers={"x-api-key": "tight-1"},
                             json={"model": "m", "max_tokens": 5, "messages": []})
        openai_refused = httpx.post(server.url + "/v1/chat/completions",
                                    headers={"authorization": "Bearer tight-1"},
                                    json={"model": "m", "max_tokens": 5, "messages": []})
    assert [r.status_code for r in ok] == [200, 200, 200]
    assert ok[0].headers["anthropic-ratelimit-requests-limit"] == "3"
    assert ok[0].headers["anthropic-ratelimit-requests-remaining"] == "2"
    assert ok[2].headers["anthropic-ratelimit-requests-remaining"] == "0"
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert refused.json()["error"]["type"] == "rate_limit_error"
    assert openai_refused.status_code == 429
    assert openai_refused.json()["error"]["code"] == "rate_limit_exceeded"
    assert openai_refused.headers["x-ratelimit-limit-requests"] == "3"
    assert openai_refused.headers["x-ratelimit-remaining-requests"] == "0"
    assert "x-ratelimit-reset-requests" in openai_refused.headers
    limited = sink.decisions[-1]
    assert limited.action == "limit" and limited.rule == "limits:tight" and not limited.served


def test_slots_released_on_every_exit(standin, enricher, tmp_path: Path) -> None:
    """Concurrency 2 for tight-1: after a client disconnect mid-stream and an upstream
    error, both slots are free again."""
    settings = gateway_settings(standin[1], policy=[str(LIMITS)], accounts=str(accounts_file(tmp_path)))
    app = create_app(settings, enricher=enricher)
    with ServerThread(app) as server:
        host, port = server.url.removeprefix("http://").split(":")
        body = json.dumps({"model": "m", "stream": True, "max_tokens": 100, "messages": []}).encode()
        sock = socket.create_connection((host, int(port)))
        sock.sendall((f"POST /v1/messages HTTP/1.1\r\nhost: x\r\nx-api-key: tight-1\r\n"
                      f"content-type: application/json\r\nx-standin-chunk-delay-ms: 100\r\n"
                      f"x-standin-output-tokens: 800\r\ncontent-length: {len(body)}\r\n\r\n").encode()
                     + body)
        sock.recv(1024)
        sock.close()
        error = httpx.post(server.url + "/v1/messages", headers={"x-api-key": "tight-1",
                                                                 "x-standin-status": "500"},
                           json={"model": "m", "max_tokens": 5, "messages": []})
        assert error.status_code == 500  # the upstream's own answer passes through
        deadline = time.time() + 3
        while app.engine.limiter.inflight.get("tight-1", 0) and time.time() < deadline:  # type: ignore[attr-defined]
            time.sleep(0.02)
        assert app.engine.limiter.inflight.get("tight-1", 0) == 0  # type: ignore[attr-defined]


def test_stream_usage_is_charged_on_completion(standin, enricher, tmp_path: Path) -> None:
    settings = gateway_settings(standin[1], policy=[str(LIMITS)])
    app = create_app(settings, enricher=enricher)
    with ServerThread(app) as server, httpx.stream(
            "POST", server.url + "/v1/chat/completions", headers={"authorization": "Bearer sk-tok",
                                                                    "x-standin-output-tokens": "600"},
            json={"model": "m", "stream": True, "max_tokens": 10, "messages": []}) as r:
        r.read()
        time.sleep(0.1)
        # 600 of 1000 output tokens used: a request estimating 500 more does not fit.
        second = httpx.post(server.url + "/v1/chat/completions",
                            headers={"authorization": "Bearer sk-tok"},
                            json={"model": "m", "max_tokens": 500, "messages": []})
        third = httpx.post(server.url + "/v1/chat/completions",
                           headers={"authorization": "Bearer sk-tok"},
                           json={"model": "m", "max_tokens": 300, "messages": []})
    assert second.status_code == 429 and "output_tokens" in second.json()["error"]["message"]
    assert third.status_code == 200


def _start(args: list[str]) -> subprocess.Popen[bytes]:
    server = shutil.which("redis-server")
    assert server
    return subprocess.Popen([server, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait(port: int) -> None:
    deadline = time.time() + 5
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


def _plain(port: int, folder: Path) -> list[str]:
    """A throwaway redis-server on `port`, keeping nothing on disk."""
    return ["--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", str(folder)]


@pytest.fixture()
def private_redis(tmp_path: Path) -> Iterator[tuple[int, list[subprocess.Popen[bytes]]]]:
    port = free_port()
    procs = [_start(_plain(port, tmp_path))]
    _wait(port)
    yield port, procs
    for proc in procs:
        proc.terminate()
        proc.wait(timeout=5)


def test_redis_down_and_back(standin, enricher, tmp_path: Path, private_redis) -> None:
    port, procs = private_redis
    settings = gateway_settings(
        standin[1], policy=[str(LIMITS)], accounts=str(accounts_file(tmp_path)),
        store={"backend": "redis", "redis_url": f"redis://127.0.0.1:{port}/0",
               "redis_timeout": 0.2, "breaker_after": 2, "breaker_cool_off": 0.5})
    sink = ListSink()
    app = create_app(settings, sink=sink, enricher=enricher)

    def call(key: str) -> httpx.Response:
        return httpx.post(server.url + "/v1/messages", headers={"x-api-key": key},
                          json={"model": "m", "max_tokens": 5, "messages": []}, timeout=10)

    with ServerThread(app) as server:
        assert call("plain-1").status_code == 200
        procs[0].terminate()
        procs[0].wait(timeout=5)
        down = [call("plain-1").status_code for _ in range(5)]
        closed = [call("closed-1").status_code for _ in range(3)]
        assert down == [200] * 5  # fail open: local fallback limits
        assert closed == [503] * 3  # fail closed
        assert 500 not in down + closed
        assert app.metrics.store_errors._value.get() >= 2  # type: ignore[attr-defined]
        # Redis comes back on the same port: after the cool-off the shared store is used.
        procs.append(_start(_plain(port, tmp_path)))
        time.sleep(1.0)
        assert call("closed-1").status_code == 200
        import redis

        keys = redis.Redis(port=port).keys("dg:{closed-1}:*")
        assert keys, "the recovered gateway writes its counters to Redis again"


async def test_sentinel_url(tmp_path: Path, redis_clean: None) -> None:
    """redis+sentinel://: a real Sentinel watching the test Redis hands out the master."""
    port = free_port()
    conf = tmp_path / "sentinel.conf"
    conf.write_text(f"port {port}\nbind 127.0.0.1\nsentinel monitor main 127.0.0.1 6379 1\n")
    proc = _start([str(conf), "--sentinel", "--dir", str(tmp_path)])
    try:
        _wait(port)
        limiter = RedisLimiter(f"redis+sentinel://127.0.0.1:{port}/main/15", ManualClock(1.7e9), timeout=2.0)
        limits = LimitSet(requests=["3/minute"])
        verdicts = [await limiter.check("s", limits, 1.0, 0, 0) for _ in range(4)]
        assert [v.allowed for v in verdicts] == [True, True, True, False]
        await limiter.aclose()
    finally:
        proc.terminate()
        proc.wait(timeout=5)


def _cluster_port() -> int:
    """A free port whose cluster bus port (+10000) is free and valid too."""
    import random

    for _ in range(200):
        port = random.randint(20000, 40000)
        try:
            for candidate in (port, port + 10000):
                with socket.socket() as sock:
                    sock.bind(("127.0.0.1", candidate))
            return port
        except OSError:
            continue
    raise RuntimeError("no free port pair")


async def test_cluster_url(tmp_path: Path) -> None:
    """redis+cluster://: three real cluster nodes; every counter of an account sits on
    one slot through the {account} hash tag, so the single Lua script runs."""
    cli = shutil.which("redis-cli")
    assert cli
    ports: list[int] = []
    while len(ports) < 3:  # distinct nodes, and no node on another's bus port
        port = _cluster_port()
        if not {port, port + 10000, port - 10000} & set(ports):
            ports.append(port)
    procs = []
    try:
        for port in ports:
            node = tmp_path / str(port)
            node.mkdir()
            procs.append(_start(["--port", str(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes",
                                 "--cluster-config-file", str(node / "nodes.conf"), "--dir", str(node),
                                 "--save", "", "--appendonly", "no"]))
        for port in ports:
            _wait(port)
        # Set-up before the loop does anything: blocking here stalls nothing.
        subprocess.run([cli, "--cluster", "create", *[f"127.0.0.1:{p}" for p in ports],  # noqa: ASYNC221
                        "--cluster-replicas", "0", "--cluster-yes"], check=True, capture_output=True,
                       timeout=30)
        limiter = None
        for _ in range(50):  # the cluster settles its slots
            try:
                limiter = RedisLimiter(f"redis+cluster://127.0.0.1:{ports[0]}", ManualClock(1.7e9),
                                       timeout=2.0)
                results = [await limiter.check(f"acct-{i}", LimitSet(requests=["2/minute"]), 1.0, 0, 0)
                           for i in range(5) for _ in range(3)]
                break
            except Exception:
                if limiter is not None:
                    await limiter.aclose()
                await asyncio.sleep(0.2)
        else:
            raise AssertionError("cluster did not settle")
        assert [r.allowed for r in results] == [True, True, False] * 5
        assert limiter.breaker.failures == 0
        await limiter.aclose()
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=5)


async def test_shadow_refusal_releases_no_slot_it_never_took(tmp_path: Path) -> None:
    """In shadow mode a request over the concurrency limit is still served; finishing it
    must not free the slot of the request that really holds it."""
    from gateway.apis import Usage
    from gateway.app import Gateway
    from gateway.engine import Inbound
    from gateway.settings import Settings

    policy = tmp_path / "p.yaml"
    policy.write_text("version: 1\nlimits:\n  plans:\n    default:\n      concurrency: 1\n")
    gateway = Gateway(Settings(policy=[policy], shadow=True), clock=ManualClock(1.7e9))
    engine = gateway.engine

    def inbound(i: int) -> Inbound:
        return Inbound(f"r{i}", 1.7e9, "POST", "/v1/messages", {"x-api-key": "k"}, "8.8.8.8",
                       b'{"model": "m", "messages": []}', "application/json")

    first = await engine.admit(inbound(1))
    second = await engine.admit(inbound(2))
    assert second.refusal is None and not second.decision.enforced
    assert second.decision.action == "limit"
    engine.finish(second, 200, Usage(), served=True)
    limiter = engine.limiter
    assert isinstance(limiter, Limiter)
    assert limiter.inflight[first.decision.account] == 1  # the first request still holds it
    engine.finish(first, 200, Usage(), served=True)
    assert limiter.inflight[first.decision.account] == 0
