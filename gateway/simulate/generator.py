"""`distillguard simulate`: a scenario (YAML) → traffic.jsonl + accounts.jsonl,
reproducible from the seed, streamed to disk (memory grows with accounts, not
requests). `--out -` writes the traffic to stdout."""

from __future__ import annotations

import heapq
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from gateway.settings import ROOT
from gateway.simulate.data import RealData
from gateway.simulate.personas import Account, Context, Spec, persona_streams

SCENARIOS = ROOT / "tests" / "scenarios"


def load_scenario(name: str) -> dict[str, Any]:
    path = Path(name)
    if not path.exists():
        path = SCENARIOS / name / "scenario.yaml"
    if not path.exists():
        known = ", ".join(sorted(p.name for p in SCENARIOS.iterdir() if p.is_dir()))
        raise SystemExit(f"distillguard simulate: no scenario {name!r} (known: {known})")
    try:
        doc = yaml.safe_load(path.read_text())
    except yaml.YAMLError as exc:
        raise SystemExit(f"distillguard simulate: {path}: invalid YAML: {exc}") from exc
    if not isinstance(doc, dict) or "personas" not in doc:
        raise SystemExit(f"distillguard simulate: {path}: needs a `personas` list")
    return doc


def specs_of(doc: dict[str, Any], scale: float) -> list[Spec]:
    specs = []
    for i, raw in enumerate(doc["personas"]):
        try:
            raw = dict(raw)
            raw["accounts"] = max(1, round(int(raw["accounts"]) * scale))
            for pair in ("rate", "age"):
                if pair in raw:
                    raw[pair] = tuple(raw[pair])
            specs.append(Spec(**raw))
        except (TypeError, KeyError, ValueError) as exc:
            raise SystemExit(f"distillguard simulate: personas[{i}]: {exc}") from exc
    return specs


def generate(doc: dict[str, Any], seed: int, scale: float) -> tuple[Iterator[dict[str, Any]],
                                                                       list[Account]]:
    rng = random.Random(seed)
    start = float(doc.get("start", 1767225600))  # 2026-01-01T00:00:00Z
    hours = float(doc.get("hours", 6))
    ctx = Context(RealData(), rng, start, hours)
    accounts: list[Account] = []
    streams = []
    used: set[str] = set()
    for spec in specs_of(doc, scale):
        # Two entries of one persona (say honest and restricted casual users) must not
        # share account names: the later one gets its kind, then a number, added.
        prefix = spec.campaign or spec.persona
        for candidate in (prefix, f"{prefix}-{spec.kind}",
                          *(f"{prefix}-{spec.kind}{n}" for n in range(2, 1000))):
            if candidate not in used:
                prefix = candidate
                break
        used.add(prefix)
        streams.extend(persona_streams(spec, ctx, accounts, prefix))

    def records() -> Iterator[dict[str, Any]]:
        # (ts, stream index) keys keep the merge deterministic for equal timestamps.
        keyed = ((((ts, n), rec) for ts, rec in stream) for n, stream in enumerate(streams))
        for number, ((_, _), record) in enumerate(heapq.merge(*keyed, key=lambda x: x[0]), 1):
            yield {"id": f"r{number:09d}", **record}

    return records(), accounts


def write_accounts(path: Path, accounts: list[Account]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        for account in accounts:
            handle.write(json.dumps(account.directory_line()) + "\n")


def run_simulation(scenario: str, seed: int, scale: float, out: str,
                   accounts_out: str | None = None) -> int:
    doc = load_scenario(scenario)
    records, accounts = generate(doc, seed, scale)
    if accounts_out:
        # Every account is known before the first request: write the directory first.
        write_accounts(Path(accounts_out), accounts)
    if out == "-":
        write = sys.stdout.write
        for record in records:
            write(json.dumps(record, separators=(",", ":"), ensure_ascii=False) + "\n")
        return 0
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    with (folder / "traffic.jsonl").open("w", buffering=1 << 20) as handle:
        for record in records:
            handle.write(json.dumps(record, separators=(",", ":"), ensure_ascii=False) + "\n")
            count += 1
    write_accounts(folder / "accounts.jsonl", accounts)
    print(f"wrote {count:,} requests and {len(accounts):,} accounts to {folder}", file=sys.stderr)
    return 0
