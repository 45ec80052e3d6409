"""Read a traffic file (spec §1), one record at a time. A malformed line, a missing
required field or a `ts` that goes backwards is an error naming the line number:
nothing is skipped silently."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any


class TrafficError(Exception):
    """The traffic file is malformed; the message names the line."""


@dataclass(slots=True)
class Record:
    line: int
    id: str
    ts: float
    client_ip: str
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    content_type: str
    response: dict[str, Any]
    label: dict[str, Any] | None


def _body(value: Any) -> tuple[bytes, str]:
    if value is None:
        return b"", ""
    if isinstance(value, str):
        return value.encode(), "application/json"
    return json.dumps(value, separators=(",", ":")).encode(), "application/json"


def parse_record(line_no: int, text: str) -> Record:
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise TrafficError(f"line {line_no}: not JSON: {exc}") from exc
    if not isinstance(doc, dict):
        raise TrafficError(f"line {line_no}: a record must be a JSON object")
    for name, kind in (("id", str), ("ts", (int, float)), ("client_ip", str), ("path", str)):
        if name not in doc:
            raise TrafficError(f"line {line_no}: missing required field {name!r}")
        if not isinstance(doc[name], kind) or isinstance(doc[name], bool):
            raise TrafficError(f"line {line_no}: field {name!r} has the wrong type")
    headers = doc.get("headers") or {}
    if not isinstance(headers, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
    ):
        raise TrafficError(f"line {line_no}: headers must be an object of strings")
    method = doc.get("method", "POST")
    if not isinstance(method, str):
        raise TrafficError(f"line {line_no}: method must be a string")
    response = doc.get("response") or {}
    if not isinstance(response, dict):
        raise TrafficError(f"line {line_no}: response must be an object")
    label = doc.get("label")
    if label is not None and not isinstance(label, dict):
        raise TrafficError(f"line {line_no}: label must be an object")
    body, ctype = _body(doc.get("body"))
    lowered = {k.lower(): v for k, v in headers.items()}
    return Record(
        line=line_no, id=doc["id"], ts=float(doc["ts"]), client_ip=doc["client_ip"],
        method=method.upper(), path=doc["path"], headers=lowered, body=body,
        content_type=lowered.get("content-type", ctype), response=response, label=label,
    )


def read_traffic(lines: Iterable[str]) -> Iterator[Record]:
    last_ts = float("-inf")
    seen: set[str] = set()
    for line_no, text in enumerate(lines, 1):
        if not text.strip():
            continue
        record = parse_record(line_no, text)
        if record.ts < last_ts:
            raise TrafficError(f"line {line_no}: ts {record.ts} is before the previous {last_ts}")
        if record.id in seen:
            raise TrafficError(f"line {line_no}: duplicate id {record.id!r}")
        seen.add(record.id)
        last_ts = record.ts
        yield record
