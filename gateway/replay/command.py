"""`distillguard replay`: read, run, write decisions, summarise, score."""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from gateway.decisions import Decision
from gateway.enrich import Enricher
from gateway.policy.loader import PolicyError
from gateway.replay.metrics import Scorer
from gateway.replay.reader import Record, TrafficError, read_traffic
from gateway.replay.report import Row
from gateway.replay.runner import RUNNERS, build_gateway, open_output, write_decision
from gateway.settings import Settings


class Counted:
    """Lines of the traffic file, counting the characters read (for the ETA)."""

    def __init__(self, lines: Any) -> None:
        self.lines = lines
        self.consumed = 0

    def __iter__(self) -> Any:
        for line in self.lines:
            self.consumed += len(line)
            yield line


class Progress:
    def __init__(self, quiet: bool, lines: Counted | None = None, total: int = 0) -> None:
        self.quiet = quiet or not sys.stderr.isatty()
        self.started = time.perf_counter()
        self.count = 0
        self._next = 0.0
        self.lines = lines
        self.total = total

    def tick(self) -> None:
        self.count += 1
        if self.quiet or self.count % 1000:
            return
        now = time.perf_counter()
        if now < self._next:
            return
        self._next = now + 0.5
        elapsed = max(1e-9, now - self.started)
        rate = self.count / elapsed
        eta = ""
        if self.lines is not None and self.total and self.lines.consumed:
            share = min(1.0, self.lines.consumed / self.total)
            left = elapsed * (1 - share) / max(share, 1e-9)
            bar = "#" * int(share * 30)
            eta = f"  [{bar:<30}] {share:6.1%}  ETA {int(left // 60):d}:{int(left % 60):02d}"
        sys.stderr.write(f"\r{self.count:>12,} requests  {rate:>10,.0f} req/s{eta}")
        sys.stderr.flush()

    def done(self) -> float:
        elapsed = time.perf_counter() - self.started
        if not self.quiet:
            sys.stderr.write("\n")
        return elapsed


async def _run(settings: Settings, args: argparse.Namespace, lines: Any, out: Any,
               enricher: Enricher | None = None, keep: list[Decision] | None = None,
               rows: list[Row] | None = None) -> tuple[Scorer, Counter[str], float, int]:
    gateway, sink, clock = build_gateway(settings, enricher)
    runner = RUNNERS[args.mode]
    scorer = Scorer()
    summary: Counter[str] = Counter()
    counted = Counted(lines)
    progress = Progress(args.quiet, counted, _size(args.traffic))
    async for record, decision in runner(gateway, clock, sink, read_traffic(counted)):
        if out is not None:
            write_decision(out, decision)
        if keep is not None:
            keep.append(decision)
        _tally(summary, decision)
        scorer.add(record.label, record.headers, decision.served, _tokens(record))
        if rows is not None:
            label = record.label or {}
            kind = str(label.get("kind", "other"))
            group = str(label.get("campaign") or label.get("persona") or kind)
            rows.append(Row(record.ts, kind, group, decision.account, decision.served,
                            decision.risk, tuple(decision.reasons)))
        progress.tick()
    return scorer, summary, progress.done(), progress.count


def _size(path: str) -> int:
    if path == "-":
        return 0
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _tokens(record: Record) -> int:
    usage = record.response.get("usage") or {}
    value = usage.get("output_tokens", 0)
    return value if isinstance(value, int) else 0


def _tally(summary: Counter[str], decision: Decision) -> None:
    summary[f"action:{decision.action}{'' if decision.enforced else ' (shadow)'}"] += 1
    summary[f"rule:{decision.rule}"] += 1
    for reason in decision.reasons:
        summary[f"reason:{reason.split(':')[0] + ':*' if reason.startswith('cluster:') else reason}"] += 1


def print_summary(summary: Counter[str], report: dict[str, Any], elapsed: float, count: int) -> None:
    err = sys.stderr
    err.write(f"replayed {count:,} requests in {elapsed:.1f} s ({count / max(elapsed, 1e-9):,.0f} "
              "req/s)\n")
    for prefix in ("action", "rule", "reason"):
        rows = sorted(((k, v) for k, v in summary.items() if k.startswith(prefix + ":")),
                      key=lambda kv: -kv[1])[:15]
        err.write(f"\n{prefix:<40} {'count':>10}\n")
        for key, value in rows:
            err.write(f"  {key.split(':', 1)[1]:<38} {value:>10,}\n")
    if report["overall"]:
        err.write("\nmetrics (spec §4)\n")
        for name, value in report["overall"].items():
            err.write(f"  {name:<30} {_fmt(value)}\n")
        err.write("\nby campaign and persona\n")
        for group, metrics in report["groups"].items():
            shown = ", ".join(f"{k}={_fmt(v)}" for k, v in metrics.items())
            err.write(f"  {group:<32} {shown}\n")


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def run_replay(args: argparse.Namespace, settings: Settings) -> int:
    if args.against:
        from gateway.replay.remote import run_against

        return run_against(args)
    out = open_output(args.decisions)
    try:
        with (sys.stdin if args.traffic == "-" else open(args.traffic)) as source:
            lines: Any = source
            if args.traffic == "-":
                # A piped simulator writes its accounts directory before its first
                # request: wait for that line before the gateway loads the directory.
                first = source.readline()
                lines = itertools.chain([first], source)
            keep: list[Decision] | None = [] if args.compare else None
            rows: list[Row] | None = [] if args.report else None
            scorer, summary, elapsed, count = asyncio.run(_run(settings, args, lines, out,
                                                               keep=keep, rows=rows))
    except TrafficError as exc:
        print(f"distillguard replay: {args.traffic}: {exc}", file=sys.stderr)
        return 2
    except PolicyError as exc:
        print(f"distillguard replay: invalid policy:\n{exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"distillguard replay: {exc}", file=sys.stderr)
        return 2
    finally:
        if out is not sys.stdout:
            out.close()
    report = scorer.report()
    report["replay"] = {"requests": count, "seconds": round(elapsed, 3), "mode": args.mode}
    print_summary(summary, report, elapsed, count)
    if args.metrics_json:
        args.metrics_json.write_text(json.dumps(report, indent=2))
    if args.compare:
        from gateway.replay.compare import compare

        compare(args, settings, keep or [], report)
    if args.report:
        from gateway.replay.report import write_report

        write_report(args.report, Path(args.traffic), rows or [], report)
    return 0
