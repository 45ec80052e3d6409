"""A self-contained HTML report of a replay: inline SVG plots, no scripts, no network."""

from __future__ import annotations

import html
import json
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

COLORS = {"legit": "#2b8a3e", "campaign": "#c92a2a", "restricted": "#e67700", "other": "#495057"}


@dataclass(slots=True)
class Row:
    ts: float
    kind: str
    group: str
    account: str
    served: bool
    risk: float
    reasons: tuple[str, ...]


def _line_chart(series: dict[str, list[tuple[float, float]]], title: str, ylabel: str) -> str:
    width, height, pad = 720, 260, 40
    points = [p for s in series.values() for p in s]
    if not points:
        return f"<p>{html.escape(title)}: no data</p>"
    x0, x1 = min(p[0] for p in points), max(p[0] for p in points)
    y1 = max(1e-9, max(p[1] for p in points))

    def sx(x: float) -> float:
        return pad + (x - x0) / max(1e-9, x1 - x0) * (width - 2 * pad)

    def sy(y: float) -> float:
        return height - pad - y / y1 * (height - 2 * pad)

    parts = [f'<svg width="{width}" height="{height}" role="img"><title>{html.escape(title)}'
             f'</title><rect width="100%" height="100%" fill="white"/>',
             f'<text x="{pad}" y="16" font-size="13">{html.escape(title)}</text>',
             f'<text x="4" y="{height // 2}" font-size="11">{html.escape(ylabel)}</text>',
             f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" '
             'stroke="#999"/>']
    for i, (name, values) in enumerate(sorted(series.items())):
        color = COLORS.get(name.split(":")[0], "#1971c2")
        path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in sorted(values))
        parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{path}"/>')
        parts.append(f'<text x="{width - 200}" y="{20 + 14 * i}" font-size="11" fill="{color}">'
                     f'{html.escape(name)}</text>')
    parts.append(f'<text x="{pad}" y="{height - 10}" font-size="10">{y1:.3g} max</text></svg>')
    return "".join(parts)


def _bars(values: dict[str, float], title: str) -> str:
    width, bar = 720, 16
    items = list(values.items())[:20]
    if not items:
        return f"<p>{html.escape(title)}: no data</p>"
    top = max(v for _, v in items) or 1
    height = 30 + bar * len(items)
    parts = [f'<svg width="{width}" height="{height}" role="img"><title>{html.escape(title)}'
             f'</title><text x="4" y="16" font-size="13">{html.escape(title)}</text>']
    for i, (name, value) in enumerate(items):
        y = 24 + i * bar
        parts.append(f'<rect x="260" y="{y}" width="{value / top * 420:.1f}" height="{bar - 3}" '
                     'fill="#1971c2"/>')
        parts.append(f'<text x="4" y="{y + 11}" font-size="11">{html.escape(name[:40])}</text>')
        parts.append(f'<text x="{266 + value / top * 420:.0f}" y="{y + 11}" font-size="10">'
                     f'{value:g}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _histogram(samples: dict[str, list[float]], title: str, bins: int = 20,
               top: float | None = None) -> str:
    series: dict[str, list[tuple[float, float]]] = {}
    hi = top if top is not None else max((max(v) for v in samples.values() if v), default=1.0)
    hi = max(hi, 1e-9)
    for name, values in samples.items():
        counts = Counter(min(bins - 1, int(v / hi * bins)) for v in values)
        total = max(1, len(values))
        series[name] = [((b + 0.5) * hi / bins, counts.get(b, 0) / total) for b in range(bins)]
    return _line_chart(series, title, "share")


def write_report(path: Path, traffic: Path, rows: list[Row], report: dict[str, Any]) -> None:
    buckets: dict[str, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    start = min((r.ts for r in rows), default=0.0)
    span = max((r.ts for r in rows), default=1.0) - start
    width = max(60.0, span / 48)
    first_refusal: dict[str, int] = {}
    served_before: Counter[str] = Counter()
    group_of: dict[str, str] = {}
    risk_max: dict[str, float] = {}
    kind_of: dict[str, str] = {}
    reasons: Counter[str] = Counter()
    for row in rows:
        cell = buckets[row.kind][int((row.ts - start) // width)]
        cell[0 if row.served else 1] += 1
        kind_of[row.account] = row.kind
        risk_max[row.account] = max(risk_max.get(row.account, 0.0), row.risk)
        if row.kind == "campaign":
            group_of[row.account] = row.group
            if row.account not in first_refusal:
                if row.served:
                    served_before[row.account] += 1
                else:
                    first_refusal[row.account] = served_before[row.account]
        for reason in row.reasons:
            reasons[reason.split(":", 1)[0] + ":*" if reason.startswith("cluster:") else reason] += 1
    served_share = {
        kind: [(start + (b + 0.5) * width, s / max(1, s + r)) for b, (s, r) in cells.items()]
        for kind, cells in buckets.items()}
    catch: dict[str, list[float]] = defaultdict(list)
    for account, n in first_refusal.items():
        catch[f"campaign:{group_of.get(account, '?')}"].append(float(n))
    risks: dict[str, list[float]] = defaultdict(list)
    for account, risk in risk_max.items():
        risks[kind_of[account]].append(risk)
    table = "".join(
        f"<tr><td>{html.escape(k)}</td><td>{html.escape(_fmt(v))}</td></tr>"
        for k, v in report.get("overall", {}).items())
    groups = "".join(
        f"<tr><td>{html.escape(g)}</td><td>"
        f"{html.escape(', '.join(f'{k}={_fmt(v)}' for k, v in m.items()))}</td></tr>"
        for g, m in report.get("groups", {}).items())
    catch_top = max([20.0, *[max(v) for v in catch.values() if v]])
    medians = {g: statistics.median(v) for g, v in catch.items() if v}
    body = f"""<!doctype html><html><head><meta charset="utf-8"><title>distillguard replay report</title>
<style>body{{font-family:sans-serif;max-width:800px;margin:2em auto}}
td{{padding:2px 8px;border-bottom:1px solid #eee}}</style>
</head><body><h1>Replay report</h1><p>Traffic: {html.escape(str(traffic))}; {len(rows):,} requests.</p>
<h2>Metrics (spec §4)</h2><table>{table}</table>
<h2>By campaign and persona</h2><table>{groups}</table>
<h2>Served over time</h2>{_line_chart(served_share, "share of requests served, per label kind", "served")}
<h2>Requests to catch</h2>
{_histogram(catch, "requests served before the first refusal, per campaign", top=catch_top)}
<p>Medians: {html.escape(json.dumps(medians))}</p>
<h2>Risk scores</h2>{_histogram(risks, "highest risk per account, by label kind", top=100.0)}
<h2>Top reasons</h2>{_bars(dict(reasons.most_common(20)), "reason codes on decisions")}
</body></html>"""
    path.write_text(body)


def _fmt(value: Any) -> str:
    return f"{value:.4f}" if isinstance(value, float) else str(value)
