"""Detection quality (spec §4) of the default policy next to two baselines (per-key
limits only; limits and geo blocking), on each golden scenario, overall and per
campaign and persona. The baselines run through the same replay.

    python bench/detection.py [--scenarios mixed holdout ... holdout-36] [--seed 11] [--keys-only]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLICIES = {
    "limits only": [ROOT / "policies/baseline-limits.yaml"],
    "limits + geo": [ROOT / "policies/baseline-limits.yaml", ROOT / "policies/baseline-geo.yaml"],
    "distillguard": [ROOT / "policies/default.yaml"],
}
COLUMNS = ["campaign_served", "campaign_tokens_served", "campaign_recall", "requests_to_catch_median",
           "requests_to_catch_p90", "legit_refused", "legit_accounts_hit", "restricted_served"]


def fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.4f}" if value < 1 or value != int(value) else f"{value:.0f}"
    return "-" if value is None else str(value)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenarios", nargs="+", default=[
        "mixed", "holdout", "holdout-2", "holdout-3", "holdout-4", "holdout-5", "holdout-6", "holdout-7",
        "holdout-8", "holdout-9", "holdout-10", "holdout-11", "holdout-12", "holdout-13", "holdout-14",
        "holdout-15", "holdout-16", "holdout-17", "holdout-18", "holdout-19", "holdout-20",
        "holdout-21", "holdout-22", "holdout-23", "holdout-24", "holdout-25", "holdout-26", "holdout-27",
        "holdout-28", "holdout-29", "holdout-30",
        "holdout-31", "holdout-32", "holdout-33", "holdout-34", "holdout-35", "holdout-36"])
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--keys-only", action="store_true", help="replay without the accounts directory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for scenario in args.scenarios:
            out = Path(tmp) / scenario
            subprocess.run([sys.executable, "-m", "gateway.cli", "simulate", "--scenario", scenario,
                            "--seed", str(args.seed), "--out", str(out)], check=True, cwd=ROOT,
                           stderr=subprocess.DEVNULL)
            print(f"\n## {scenario} (seed {args.seed}{', keys only' if args.keys_only else ''})\n")
            print("| policy | " + " | ".join(COLUMNS) + " |")
            print("|---|" + "---|" * len(COLUMNS))
            groups: dict[str, dict[str, dict[str, object]]] = {}
            for name, files in POLICIES.items():
                metrics = out / f"{name}.json"
                command = [sys.executable, "-m", "gateway.cli", "replay", str(out / "traffic.jsonl"),
                           "--decisions", "/dev/null", "--quiet", "--metrics-json", str(metrics)]
                if not args.keys_only:
                    command += ["--accounts", str(out / "accounts.jsonl")]
                for policy in files:
                    command += ["--policy", str(policy)]
                subprocess.run(command, check=True, cwd=ROOT, stderr=subprocess.DEVNULL)
                report = json.loads(metrics.read_text())
                print(f"| {name} | " + " | ".join(fmt(report["overall"].get(c)) for c in COLUMNS) + " |")
                groups[name] = report["groups"]
            print("\nper campaign and persona (distillguard vs limits + geo):\n")
            print("| group | served (distillguard) | served (limits + geo) | recall | catch median | "
                  "legit refused | accounts hit |")
            print("|---|---|---|---|---|---|---|")
            for group, values in groups["distillguard"].items():
                base = groups["limits + geo"].get(group, {})
                key = "campaign_served" if group.startswith("campaign") else (
                    "legit_refused" if group.startswith("legit") else "restricted_served")
                served = values.get(key)
                base_served = base.get(key)
                if key == "legit_refused":
                    served = None if served is None else 1 - float(served)  # type: ignore[arg-type]
                    base_served = None if base_served is None else 1 - float(base_served)  # type: ignore[arg-type]
                print(f"| {group} | {fmt(served)} | {fmt(base_served)} | {fmt(values.get('campaign_recall'))} | "
                      f"{fmt(values.get('requests_to_catch_median'))} | {fmt(values.get('legit_refused'))} | "
                      f"{fmt(values.get('legit_accounts_hit'))} |")


if __name__ == "__main__":
    main()
