"""The non-content signals against real API customers: ServeGen's arrival statistics
(Alibaba Bailian, 14 days in 10-minute windows: rate and inter-arrival CV per client;
data/traces/servegen). How many real customers would the default policy's timing and
volume thresholds flag? Legitimate traffic only: this is calibration, not scoring.

    python bench/real_traffic.py
"""

from __future__ import annotations

import csv
import gzip
import math
import statistics
from collections import defaultdict
from pathlib import Path
from typing import cast

import gateway
from gateway.policy.loader import compile_policy
from gateway.settings import ROOT
from gateway.signals.timing import TimingParams
from gateway.signals.volume import VolumeParams

# The code of the checkout this script is in: run from another worktree, `python
# bench/<script>.py` imports the installed package instead and would measure that.
if Path(gateway.__file__).resolve().parents[1] != Path(__file__).resolve().parents[1]:
    raise SystemExit(f"this would measure {Path(gateway.__file__).parent}, not this checkout's "
                     f"code: run `python -m bench.{Path(__file__).stem}` from {Path(__file__).parents[1]}")

ARRIVALS = ROOT / "data/traces/servegen/arrivals.csv.gz"
WINDOW = 600.0


def load() -> dict[tuple[str, str], list[tuple[float, float, float | None]]]:
    clients: dict[tuple[str, str], list[tuple[float, float, float | None]]] = defaultdict(list)
    with gzip.open(ARRIVALS, "rt") as handle:
        for row in csv.DictReader(handle):
            cv = float(row["cv"]) if row["cv"] else None
            clients[(row["category"], row["client"])].append(
                (float(row["window_start"]), float(row["rate"]), cv))
    for windows in clients.values():
        windows.sort()
    return clients


def main() -> None:
    policy = compile_policy([ROOT / "policies/default.yaml"])
    timing = cast(TimingParams, policy.signals["timing"].params)
    volume = cast(VolumeParams, policy.signals["volume"].params)
    clients = load()
    print(f"{len(clients)} real API customers, {sum(map(len, clients.values())):,} ten-minute windows\n")

    round_the_clock = 0
    regular = active_windows = 0
    over_volume = 0
    surging = 0
    for windows in clients.values():
        hours: dict[int, set[int]] = defaultdict(set)
        ema: float | None = None
        surged = False
        for start, rate, cv in windows:
            if rate > 0:
                hours[int(start // 86400)].add(int(start % 86400 // 3600))
                active_windows += 1
                if cv is not None and cv < timing.max_cv:
                    regular += 1
            # A surge: a window at 8x the client's own day-long average, above 100 req/h.
            if ema is not None and start >= 86400 and rate * 3600 > 100 and rate > 8 * ema:
                surged = True
            ema = rate if ema is None else ema + (rate - ema) * (1 - math.exp2(-WINDOW / 86400))
        days = [len(h) for h in hours.values()]
        if days and statistics.median(days) >= timing.active_hours:
            round_the_clock += 1
        mean_rate = sum(rate for _, rate, _ in windows) / len(windows) * 3600
        over_volume += mean_rate > volume.requests_per_hour
        surging += surged
    n = len(clients)
    print("| what | default policy | real customers |")
    print("|---|---|---|")
    print(f"| active in >= {timing.active_hours} hours of a typical day (timing, round the clock) | "
          f"counts for accounts under {timing.young_seconds / 86400:.0f} days | "
          f"{round_the_clock / n:.1%} of customers |")
    print(f"| inter-arrival CV below {timing.max_cv} (timing, regular) | fires | "
          f"{regular / active_windows:.2%} of active windows |")
    print(f"| mean rate above {volume.requests_per_hour:.0f} requests/hour (volume) | fires unless plan "
          f"{', '.join(volume.exempt_plans)} | {over_volume / n:.1%} of customers |")
    print(f"| a window at 8x the day's own average (above 100 req/h) | - | {surging / n:.1%} of customers |")


if __name__ == "__main__":
    main()
