"""Per-request costs and memory, in process: enrichment, limit checks (memory and one
Redis round trip), signals and scoring (2 KB and 100 KB prompts), the whole engine
(admit and finish: everything the gateway does per request but HTTP), state per
account and per egress, Redis memory per account.

    python bench/micro.py [--accounts 100000] [--redis redis://127.0.0.1:6379/14]
                          [--redis-accounts 20000] [--parts enrich limits signals engine memory]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import hashlib
import ipaddress
import json
import random
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import gateway
from gateway import observe, scoring
from gateway.apis import read_prompt
from gateway.clock import ManualClock
from gateway.enrich import Enricher
from gateway.identity import Account, AccountDirectory
from gateway.limits import Limiter
from gateway.observation import Observation
from gateway.persona import persona_of
from gateway.policy.loader import compile_policy
from gateway.settings import ROOT, Settings
from gateway.signals import SIGNALS
from gateway.signups import Signups
from gateway.state.memory import SharedState

# The code of the checkout this script is in: run from another worktree, `python
# bench/<script>.py` imports the installed package instead and would measure that.
if Path(gateway.__file__).resolve().parents[1] != Path(__file__).resolve().parents[1]:
    raise SystemExit(f"this would measure {Path(gateway.__file__).parent}, not this checkout's "
                     f"code: run `python -m bench.{Path(__file__).stem}` from {Path(__file__).parents[1]}")

POLICY = compile_policy([ROOT / "policies/default.yaml"])


def pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def random_ips(n: int, seed: int = 1) -> list[Any]:
    rng = random.Random(seed)
    return [ipaddress.ip_address(rng.getrandbits(32)) for _ in range(n)]


def bench_enrich(enricher: Enricher) -> None:
    shared = SharedState()
    ips = random_ips(20000)
    times = []
    prompt = read_prompt({"messages": [{"role": "user", "content": "hi"}]})
    for i, ip in enumerate(ips):
        t = time.perf_counter_ns()
        facts = enricher.lookup(ip)
        obs = Observation(id="x", ts=1e9 + i, method="POST", path="/v1/messages", shape="anthropic",
                          headers={}, account=Account(id=f"a{i % 5000}", key_hash=""),
                          network=facts, prompt=prompt, body_bytes=10)
        observe.update(shared, obs)
        times.append(time.perf_counter_ns() - t)
    print(f"enrichment + history update: median {statistics.median(times) / 1000:.1f} µs, "
          f"p99 {pct(times, 0.99) / 1000:.1f} µs (country, ASN, Tor/VPN/hosting sets, "
          "per-account and per-egress history)")


async def bench_limits(redis_url: str | None, redis_accounts: int = 20000) -> None:
    clock = ManualClock(1.7e9)
    limiter = Limiter(clock)
    limits = POLICY.plan_limits("build")
    assert limits is not None
    times = []
    for i in range(50000):
        clock.advance(0.001)
        t = time.perf_counter_ns()
        verdict = limiter.check_now(f"acct-{i % 1000}", limits, 1.0, 300, 1024)
        if verdict.allowed:
            limiter.release(f"acct-{i % 1000}")
        times.append(time.perf_counter_ns() - t)
    print(f"limit check (memory, {len(limits.requests) + len(limits.input_tokens) + len(limits.output_tokens)}"
          f" windows + concurrency): median {statistics.median(times) / 1000:.1f} µs, "
          f"p99 {pct(times, 0.99) / 1000:.1f} µs")
    if redis_url:
        from gateway.state.redis import RedisLimiter

        redis_limiter = RedisLimiter(redis_url, clock)
        await redis_limiter.client.flushdb()
        times = []
        for i in range(5000):
            t = time.perf_counter_ns()
            await redis_limiter.check(f"acct-{i % 1000}", limits, 1.0, 300, 1024)
            times.append(time.perf_counter_ns() - t)
            redis_limiter.release(f"acct-{i % 1000}")
        await redis_limiter.drain()
        print(f"limit check (Redis, one Lua round trip for all windows): median "
              f"{statistics.median(times) / 1000:.1f} µs, p99 {pct(times, 0.99) / 1000:.1f} µs")
        await redis_limiter.aclose()
        # Filling: a generous timeout, so that every account really lands in Redis (a
        # timeout would fail open to the in-memory fallback and flatter the figure).
        failures: list[int] = []
        filler = RedisLimiter(redis_url, clock, timeout=10.0, on_error=lambda: failures.append(1))
        await filler.client.flushdb()
        before = (await filler.client.info("memory"))["used_memory"]
        n = redis_accounts
        for start in range(0, n, 64):
            await asyncio.gather(*(filler.check(f"mem-{i}", limits, 1.0, 300, 1024)
                                   for i in range(start, min(n, start + 64))))
        await filler.drain()
        assert not failures, f"{len(failures)} Redis calls failed: the figure would be wrong"
        after = (await filler.client.info("memory"))["used_memory"]
        keys = await filler.client.dbsize()
        per = (after - before) / n
        print(f"Redis memory per account's counters: {per:.0f} B ({n:,} accounts, {keys:,} keys, "
              f"{(after - before) / 2**20:,.0f} MiB in all)")
        await filler.client.flushdb(asynchronous=True)
        await filler.aclose()


def prompt_of_size(chars: int, agentic: bool) -> dict[str, Any]:
    rng = random.Random(chars)
    words = [json.loads(line)["prompt"] for line in
             (ROOT / "data/prompts/arena-hard/arena-hard-v0.1-question.jsonl").open()]
    text = ""
    while len(text) < chars:
        text += rng.choice(words) + "\n"
    body: dict[str, Any] = {"model": "m", "max_tokens": 4096,
                            "messages": [{"role": "user", "content": text[:chars]}]}
    if agentic:
        body["tools"] = [{"name": f"tool_{i}", "description": "x", "input_schema": {}} for i in range(8)]
        body["messages"] = [
            {"role": "user", "content": text[: chars // 2]},
            {"role": "assistant", "content": [{"type": "tool_use", "id": "t", "name": "tool_1", "input": {}}]},
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t",
                                          "content": text[chars // 2:]}]},
        ]
    return body


def bench_signals() -> None:
    for chars, agentic, label in ((2048, False, "2 KB prompt"), (100_000, True, "100 KB agentic prompt")):
        shared = SharedState()
        body = prompt_of_size(chars, agentic)
        times = []
        for i in range(3000 if chars < 10000 else 1000):
            t = time.perf_counter_ns()
            # The Observation derives the fingerprints and the prompt hash: timed too.
            obs = Observation(id="x", ts=1e9 + i, method="POST", path="/v1/messages",
                              shape="anthropic", headers={"user-agent": "x"},
                              account=Account(id=f"a{i % 300}", key_hash=""),
                              network=_NET, prompt=read_prompt(body), body_bytes=chars)
            state = observe.update(shared, obs)
            findings = [f for name, cfg in POLICY.signals.items()
                        if (f := SIGNALS[name].observe(obs, state, shared, cfg)) is not None]
            scoring.apply(POLICY, shared, state, findings, obs.ts)
            times.append(time.perf_counter_ns() - t)
        print(f"all signals + scoring, {label}: median {statistics.median(times) / 1000:.0f} µs, "
              f"p99 {pct(times, 0.99) / 1000:.0f} µs")


_NET: Any = None


async def _engine_run(engine: Any, clock: ManualClock, raws: list[bytes], ips: list[str]) -> list[int]:
    from gateway.apis import Usage
    from gateway.engine import Inbound

    times = []
    for i in range(20000):
        clock.advance(0.0005)
        inbound = Inbound(id=f"r{i}", ts=clock.now(), method="POST", path="/v1/chat/completions",
                          headers={"authorization": f"Bearer sk-bench-{i % 1000}",
                                   "content-type": "application/json"},
                          peer=ips[i % len(ips)], body=raws[i % len(raws)], content_type="application/json")
        t = time.perf_counter_ns()
        adm = await engine.admit(inbound)
        engine.finish(adm, 200, Usage(20, 20, True), served=adm.refusal is None)
        times.append(time.perf_counter_ns() - t)
        assert adm.refusal is None, adm.decision
    return times[2000:]  # after the accounts' first requests


def bench_engine(enricher: Enricher) -> None:
    """Engine.admit + Engine.finish per request, default policy with the benchmark's
    high limits (bench/bench-limits.yaml), 1,000 accounts: the wrk request of
    bench/proxy.py and a 2 KB prompt."""
    from gateway.decisions import NullSink
    from gateway.engine import Engine
    from gateway.identity import AccountDirectory, ClientIPResolver
    from gateway.policy.store import PolicyStore

    wrk_body = {"model": "m", "max_tokens": 64, "messages": [
        {"role": "user", "content": "Summarise the plot of Hamlet in two sentences, request 1."}]}
    # Clients from unrestricted countries: refusals would be cheaper than service.
    ips = [str(ip) for ip in random_ips(5000, seed=5)
           if enricher.lookup(ip).country in ("US", "GB", "DE", "FR", "JP", "BR", "IN")][:1000]
    for label, body in (("wrk request", wrk_body), ("2 KB prompt", prompt_of_size(2048, False))):
        clock = ManualClock(1.7e9)
        policies = PolicyStore([ROOT / "policies/default.yaml", ROOT / "bench/bench-limits.yaml"])
        engine = Engine(policies, enricher, AccountDirectory("bench"), ClientIPResolver([]),
                        clock, NullSink())
        # Each request its own prompt (as wrk's request numbers): one prompt resampled by
        # 1,000 accounts is a campaign, and would be refused.
        raws = []
        for n in range(997):
            variant = json.loads(json.dumps(body))
            variant["messages"][-1]["content"] += f" ({n})"
            raws.append(json.dumps(variant).encode())
        times = asyncio.run(_engine_run(engine, clock, raws, ips))
        print(f"engine admit + finish, {label}: median {statistics.median(times) / 1000:.0f} µs, "
              f"p99 {pct(times, 0.99) / 1000:.0f} µs")


def bench_memory(accounts: int, enricher: Enricher) -> None:
    gc.collect()
    tracemalloc.start()
    shared = SharedState(max_accounts=accounts * 2, max_egresses=accounts * 2)
    rng = random.Random(3)
    prompts = [read_prompt({"messages": [{"role": "user", "content": f"Task {i}: explain the "
                                          f"{i}th idea of a long prompt with several words in it"}]})
               for i in range(64)]
    base = tracemalloc.take_snapshot()
    ips = random_ips(accounts, seed=9)
    for i in range(accounts):
        for j in range(3):  # three requests per account: a realistic, not empty, state
            prompt = prompts[rng.randrange(64)]
            # Clients spread over 1,000 SDK versions and runtimes: persona index entries.
            headers = {"user-agent": f"Anthropic/Python 0.{i % 100}.0",
                       "x-stainless-runtime-version": f"3.{i % 10}.1"}
            obs = Observation(id="x", ts=1e9 + i + j * 60, method="POST", path="/v1/messages",
                              shape="anthropic", headers=headers, account=Account(id=f"acct-{i:07d}", key_hash=""),
                              network=enricher.lookup(ips[i]), prompt=prompt, body_bytes=100,
                              persona=persona_of(headers))
            state = observe.update(shared, obs)
            state.contributions["cot_elicitation"] = 8.0
            state.evidence["cot_elicitation"] = "matched 'x'"
    snap = tracemalloc.take_snapshot()
    total = sum(s.size_diff for s in snap.compare_to(base, "filename"))
    egress = len(shared.egress)
    tracemalloc.stop()
    print(f"memory store: {accounts:,} accounts, {egress:,} egress keys: {total / 2**20:,.0f} MiB, "
          f"{total / accounts:,.0f} B per account (its state, its share of egress and template "
          f"indexes); 1M accounts ≈ {total / accounts * 1e6 / 2**30:.2f} GiB")


def bench_directory(accounts: int) -> None:
    """Start-up with an accounts directory of this many entries: parsing it, then the
    sign-up timeline that `signup_batch` asks (sorted creation times)."""
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "accounts.jsonl"
        with path.open("w") as handle:
            for i in range(accounts):
                handle.write(json.dumps({
                    "key_sha256": hashlib.sha256(f"k{i}".encode()).hexdigest(), "account": f"acct-{i}",
                    "org": None if i % 3 else f"org-{i // 20}", "created": 1.7e9 - rng.random() * 3e7,
                    "billing_country": "US", "plan": "build"}) + "\n")
        t0 = time.perf_counter()
        directory = AccountDirectory.load(path, "bench")
        t1 = time.perf_counter()
        Signups(directory.listed())
        t2 = time.perf_counter()
    print(f"accounts directory of {accounts:,} entries: load {t1 - t0:.1f} s, "
          f"sign-up timeline {t2 - t1:.1f} s")


def main() -> None:
    global _NET
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--redis-accounts", type=int, default=20_000)
    parser.add_argument("--directory-accounts", type=int, default=1_000_000)
    parts = ["enrich", "limits", "signals", "engine", "memory", "directory"]
    parser.add_argument("--parts", nargs="+", choices=parts, default=parts)
    args = parser.parse_args()
    enricher = Enricher(Settings().databases)
    _NET = enricher.lookup(ipaddress.ip_address("81.2.69.160"))
    if "enrich" in args.parts:
        bench_enrich(enricher)
    if "limits" in args.parts:
        asyncio.run(bench_limits(args.redis or None, args.redis_accounts))
    if "signals" in args.parts:
        bench_signals()
    if "engine" in args.parts:
        bench_engine(enricher)
    if "memory" in args.parts:
        bench_memory(args.accounts, enricher)
    if "directory" in args.parts:
        bench_directory(args.directory_accounts)
    _ = Path


if __name__ == "__main__":
    main()
