"""Gateway overhead against the Python floor, in one interleaved run.

Starts the stand-in upstream, the floor proxy (bench/floor_proxy.py) and the gateway
(default policy, in-memory state), then for concurrency 1, 8 and 64, JSON and SSE,
runs wrk against each target in turn and prints req/s, p50, p99 and the ratios.
Every process shares this machine's cores: compare rows, not absolute capacity.

    python bench/proxy.py [--seconds 5] [--store memory|redis]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UPSTREAM, FLOOR, GATEWAY = 18081, 18082, 18080


def wait(url: str, timeout: float = 20) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not come up")


def start(args: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(args, cwd=ROOT, env={**os.environ, **(env or {})},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def unit(value: str) -> float:
    match = re.match(r"([\d.]+)(us|ms|s)", value)
    if not match:
        return float("nan")
    number, scale = float(match.group(1)), match.group(2)
    return number * {"us": 0.001, "ms": 1.0, "s": 1000.0}[scale]


def wrk(port: int, connections: int, seconds: int, stream: bool) -> tuple[float, float, float]:
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-s",
         str(ROOT / "bench/post.lua"), f"http://127.0.0.1:{port}"],
        capture_output=True, text=True, env={**os.environ, "STREAM": "1" if stream else "0"},
        check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = unit(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    p99 = unit(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        print(f"    ({non2xx.group(1)} non-2xx answers on port {port})", file=sys.stderr)
    return rps, p50, p99


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--store", choices=["memory", "redis"], default="memory")
    parser.add_argument("--bare", action="store_true",
                        help="gateway core only: a policy with no rules, signals or limits")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 64])
    parser.add_argument("--transport", choices=["http1", "aiohttp"], default="http1",
                        help="the gateway's upstream client")
    parser.add_argument("--shapes", nargs="+", choices=["json", "sse"], default=["json", "sse"])
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("needs wrk (apt-get install wrk)")
    config = ROOT / "bench/gateway-bench.yaml"
    bare = ROOT / "bench/bare-policy.yaml"
    bare.write_text("version: 1\n")
    policies = [str(bare)] if args.bare else [str(ROOT / "policies/default.yaml"),
                                               str(ROOT / "bench/bench-limits.yaml")]
    # A bench policy: the default policy with limits high enough that wrk's 1,000
    # accounts are never limited (we measure overhead, not refusals).
    config.write_text(f"""port: {GATEWAY}
upstream: {{url: "http://127.0.0.1:{UPSTREAM}", transport: {args.transport}}}
store: {{backend: {args.store}}}
policy: {json.dumps(policies)}
""")
    procs = [
        start([sys.executable, "-m", "gateway.cli", "upstream", "--port", str(UPSTREAM)]),
        start([sys.executable, str(ROOT / "bench/floor_proxy.py"), str(FLOOR),
               f"http://127.0.0.1:{UPSTREAM}"]),
        start([sys.executable, "-m", "gateway.cli", "serve", "--config", str(config)]),
    ]
    try:
        for port in (UPSTREAM, FLOOR, GATEWAY):
            wait(f"http://127.0.0.1:{port}/v1/models")
        targets = {"upstream direct": UPSTREAM, "floor proxy": FLOOR, "distillguard": GATEWAY}
        print(f"{'shape':<6} {'conc':>4}  {'target':<16} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
        for stream in [s == "sse" for s in args.shapes]:
            for connections in args.concurrency:
                results = {}
                for name, port in targets.items():
                    wrk(port, connections, 1, stream)  # warm-up
                    results[name] = wrk(port, connections, args.seconds, stream)
                    rps, p50, p99 = results[name]
                    shape = "sse" if stream else "json"
                    print(f"{shape:<6} {connections:>4}  {name:<16} {rps:>9,.0f} {p50:>8.2f} {p99:>8.2f}")
                floor, gw = results["floor proxy"], results["distillguard"]
                print(f"{'':<12} gateway/floor throughput {gw[0] / floor[0]:.2f}x, added p50 vs "
                      f"floor {gw[1] - floor[1]:+.2f} ms, vs direct "
                      f"{gw[1] - results['upstream direct'][1]:+.2f} ms")
    finally:
        for proc in procs:
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            proc.wait(timeout=10)
        config.unlink(missing_ok=True)
        bare.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
