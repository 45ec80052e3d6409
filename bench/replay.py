"""Replay speed and memory: `fast` and `asgi` modes on the `mixed` scenario, each in
a fresh process so peak RSS is its own.

    python bench/replay.py [--scenario mixed] [--seed 1] [--scale 1]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenario", default="mixed")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        subprocess.run([sys.executable, "-m", "gateway.cli", "simulate", "--scenario", args.scenario,
                        "--seed", str(args.seed), "--scale", str(args.scale), "--out", str(out)],
                       check=True, cwd=ROOT, stderr=subprocess.DEVNULL)
        requests = sum(1 for _ in (out / "traffic.jsonl").open())
        print(f"{args.scenario}: {requests:,} requests")
        for mode in ("fast", "asgi"):
            metrics = out / f"metrics-{mode}.json"
            started = time.perf_counter()
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            subprocess.run([sys.executable, "-m", "gateway.cli", "replay", str(out / "traffic.jsonl"),
                            "--accounts", str(out / "accounts.jsonl"), "--decisions",
                            str(out / f"{mode}.jsonl"), "--mode", mode, "--quiet",
                            "--metrics-json", str(metrics)],
                           check=True, cwd=ROOT, stderr=subprocess.DEVNULL)
            elapsed = time.perf_counter() - started
            peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
            print(f"  {mode:<5} {requests / elapsed:>8,.0f} req/s end to end ({elapsed:.1f} s, "
                  f"process start and database loading included), peak RSS {peak / 1024:,.0f} MiB")
        same = (out / "fast.jsonl").read_bytes() == (out / "asgi.jsonl").read_bytes()
        print(f"  fast and asgi decisions byte-identical: {same}")
        overall = json.loads((out / "metrics-fast.json").read_text())["overall"]
        print("  " + ", ".join(f"{k}={v:.4f}" if isinstance(v, float) else f"{k}={v}"
                               for k, v in overall.items()))


if __name__ == "__main__":
    main()
