"""How close each legitimate persona comes to the tiers: the calibration view. Replays
a scenario's traffic under a policy and reads only the legitimate requests (never the
campaign labels): refusals, accounts hit, and the highest risk each account reached
(median, p90 and max over the persona's accounts), with the signals that fired most.

    python bench/calibration.py [--scenario mixed] [--seeds 1 2 11] [--policy FILE ...]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def persona_rows(traffic: Path, decisions: Path) -> list[str]:
    requests: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    hit: dict[str, set[str]] = defaultdict(set)
    peak: dict[str, dict[str, float]] = defaultdict(dict)
    signals: dict[str, Counter[str]] = defaultdict(Counter)
    with traffic.open() as records, decisions.open() as decided:
        for line, out in zip(records, decided, strict=True):
            label = json.loads(line)["label"]
            if label["kind"] != "legit":
                continue
            decision = json.loads(out)
            persona, account = label["persona"], decision["account"]
            requests[persona] += 1
            peak[persona][account] = max(peak[persona].get(account, 0.0), decision["risk"])
            signals[persona].update(r[7:] for r in decision["reasons"] if r.startswith("signal:"))
            if not decision["served"]:
                refused[persona] += 1
                hit[persona].add(account)
    rows = []
    for persona in sorted(requests):
        risks = sorted(peak[persona].values())
        top = ", ".join(f"{name} {count / requests[persona]:.0%}"
                        for name, count in signals[persona].most_common(3))
        rows.append(f"| {persona} | {refused[persona]} / {requests[persona]} | "
                    f"{len(hit[persona])} / {len(risks)} | {risks[len(risks) // 2]:.0f} / "
                    f"{risks[int(len(risks) * 0.9)]:.0f} / {risks[-1]:.0f} | {top or '-'} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenario", default="mixed")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 11])
    parser.add_argument("--policy", action="append", help="policy files (default: the default policy)")
    args = parser.parse_args()
    policies = args.policy or [str(ROOT / "policies/default.yaml")]
    with tempfile.TemporaryDirectory() as tmp:
        for seed in args.seeds:
            out = Path(tmp) / str(seed)
            subprocess.run([sys.executable, "-m", "gateway.cli", "simulate", "--scenario", args.scenario,
                            "--seed", str(seed), "--out", str(out)], check=True, cwd=ROOT,
                           stderr=subprocess.DEVNULL)
            command = [sys.executable, "-m", "gateway.cli", "replay", str(out / "traffic.jsonl"),
                       "--accounts", str(out / "accounts.jsonl"), "--decisions",
                       str(out / "decisions.jsonl"), "--quiet"]
            for policy in policies:
                command += ["--policy", policy]
            subprocess.run(command, check=True, cwd=ROOT, stderr=subprocess.DEVNULL)
            print(f"\n## {args.scenario}, seed {seed}: legitimate personas\n")
            print("| persona | refused / requests | accounts hit | peak risk per account "
                  "(median / p90 / max) | signals most present (share of its requests) |")
            print("|---|---|---|---|---|")
            for row in persona_rows(out / "traffic.jsonl", out / "decisions.jsonl"):
                print(row)


if __name__ == "__main__":
    main()
