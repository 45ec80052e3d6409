"""`replay --against URL`: send the records to a running gateway over HTTP, paced by
their timestamps (`--speed` times real time; 0 sends as fast as it can), and write
what came back as decisions. The record's client_ip travels in X-Forwarded-For,
which the gateway believes only if this host is one of its trusted proxies."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from typing import Any

import httpx

from gateway.replay.metrics import Scorer
from gateway.replay.reader import read_traffic
from gateway.replay.runner import open_output

REFUSED = {400, 401, 403, 404, 413, 415, 429, 451, 502, 503, 504}


def _action(status: int) -> str:
    if status == 429:
        return "limit"
    if status in (403, 451):
        return "block"
    if 400 <= status < 500:
        return "reject"
    return "allow"


async def _send(args: argparse.Namespace) -> int:
    out = open_output(args.decisions)
    scorer = Scorer()
    count = 0
    started = time.perf_counter()
    first_ts: float | None = None
    # Reading the traffic file blocks, but nothing else runs on this loop.
    lines: Any = sys.stdin if args.traffic == "-" else open(args.traffic)  # noqa: SIM115, ASYNC230
    try:
        async with httpx.AsyncClient(base_url=args.against, timeout=60) as client:
            for record in read_traffic(lines):
                if args.speed and args.speed > 0:
                    first_ts = record.ts if first_ts is None else first_ts
                    due = (record.ts - first_ts) / args.speed
                    delay = due - (time.perf_counter() - started)
                    if delay > 0:
                        await asyncio.sleep(delay)
                headers = {**record.headers, "x-forwarded-for": record.client_ip,
                           "x-request-id": record.id}
                headers.pop("content-length", None)
                if record.body:
                    headers.setdefault("content-type", record.content_type)
                try:
                    response = await client.request(record.method, record.path, headers=headers,
                                                    content=record.body)
                    status = response.status_code
                except httpx.HTTPError:
                    status = 599
                served = status not in REFUSED and status != 599
                out.write(json.dumps({
                    "id": record.id, "ts": record.ts, "account": "", "action": _action(status),
                    "served": served, "status": status, "enforced": True, "risk": 0.0,
                    "rule": None, "reasons": []}) + "\n")
                usage = (record.response.get("usage") or {}).get("output_tokens", 0)
                scorer.add(record.label, record.headers, served, int(usage or 0))
                count += 1
    finally:
        if lines is not sys.stdin:
            lines.close()
        if out is not sys.stdout:
            out.close()
    elapsed = time.perf_counter() - started
    sys.stderr.write(f"sent {count:,} requests in {elapsed:.1f} s\n")
    sys.stderr.write(json.dumps(scorer.report()["overall"], indent=2) + "\n")
    return 0


def run_against(args: argparse.Namespace) -> int:
    return asyncio.run(_send(args))
