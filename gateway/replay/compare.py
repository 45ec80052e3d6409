"""`replay --compare POLICY_B`: the same traffic under a second policy; the decisions
that differ and the metrics side by side, what ops read before a rollout."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from gateway.decisions import Decision
from gateway.settings import Settings


def compare(args: argparse.Namespace, settings: Settings, first: list[Decision],
            report_a: dict[str, Any]) -> dict[str, Any]:
    from gateway.replay.command import _run

    if args.traffic == "-":
        raise SystemExit("distillguard replay: --compare needs a traffic file, not stdin")
    settings_b = settings.model_copy(update={"policy": [Path(args.compare)]})
    second: list[Decision] = []
    with open(args.traffic) as lines:
        scorer, _, _, _ = asyncio.run(_run(settings_b, args, lines, None, keep=second))
    report_b = scorer.report()
    changes: Counter[str] = Counter()
    examples: list[str] = []
    for a, b in zip(first, second, strict=True):
        if (a.action, a.served) != (b.action, b.served):
            key = f"{a.action}{'' if a.served else '/refused'} -> {b.action}" \
                  f"{'' if b.served else '/refused'}"
            changes[key] += 1
            if len(examples) < 10:
                examples.append(f"  {a.id}: {a.rule} -> {b.rule} ({', '.join(b.reasons[:3])})")
    err = sys.stderr
    err.write(f"\ncompare: {sum(changes.values()):,} of {len(first):,} decisions differ\n")
    for key, count in changes.most_common():
        err.write(f"  {key:<40} {count:>10,}\n")
    if examples:
        err.write("examples:\n" + "\n".join(examples) + "\n")
    err.write(f"\n{'metric':<30} {'A':>12} {'B':>12}\n")
    for name in sorted(set(report_a["overall"]) | set(report_b["overall"])):
        a_value, b_value = report_a["overall"].get(name), report_b["overall"].get(name)
        err.write(f"  {name:<28} {_f(a_value):>12} {_f(b_value):>12}\n")
    return {"changes": dict(changes), "a": report_a["overall"], "b": report_b["overall"]}


def _f(value: Any) -> str:
    return f"{value:.4f}" if isinstance(value, float) else str(value)
