"""Compiled IP sets: sorted, merged integer ranges with binary search, so a lookup in
tens of thousands of CIDRs costs about a microsecond and little memory."""

from __future__ import annotations

import ipaddress
from array import array
from bisect import bisect_right
from collections.abc import Iterable
from pathlib import Path

from gateway.identity import IPAddress


class ListError(Exception):
    """An IP list file cannot be read; the message names file and line."""


class IPSet:
    def __init__(self, networks: Iterable[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> None:
        v4: list[tuple[int, int]] = []
        v6: list[tuple[int, int]] = []
        for net in networks:
            span = (int(net.network_address), int(net.broadcast_address))
            (v4 if net.version == 4 else v6).append(span)
        self._v4_start, self._v4_end = self._compile(v4, "L")
        self._v6_start, self._v6_end = self._compile(v6, None)
        self.size = len(self._v4_start) + len(self._v6_start)

    @staticmethod
    def _compile(spans: list[tuple[int, int]], code: str | None) -> tuple[list[int], list[int]]:
        spans.sort()
        merged: list[list[int]] = []
        for start, end in spans:
            if merged and start <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        starts = [s for s, _ in merged]
        ends = [e for _, e in merged]
        if code:  # IPv4 fits in 32-bit arrays: a quarter of the memory of int lists
            return array(code, starts), array(code, ends)  # type: ignore[return-value]
        return starts, ends

    def __contains__(self, ip: IPAddress) -> bool:
        value = int(ip)
        starts, ends = (
            (self._v4_start, self._v4_end) if ip.version == 4 else (self._v6_start, self._v6_end)
        )
        i = bisect_right(starts, value) - 1
        return i >= 0 and value <= ends[i]

    @classmethod
    def from_files(cls, paths: Iterable[Path]) -> IPSet:
        networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        for path in paths:
            networks.extend(read_cidrs(path))
        return cls(networks)


def read_cidrs(path: Path) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """One CIDR or address a line; `#` comments; CSV lines take the column that parses
    (the Tor exit list is `fingerprint, ipaddr, port`)."""
    try:
        lines = path.read_text().splitlines()
    except OSError as exc:
        raise ListError(f"{path}: {exc}") from exc
    out: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
    for number, raw in enumerate(lines, 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        for cell in line.split(","):
            try:
                out.append(ipaddress.ip_network(cell.strip(), strict=False))
                break
            except ValueError:
                continue
        else:
            if number == 1:  # a CSV header
                continue
            raise ListError(f"{path}:{number}: no IP address or CIDR in {raw[:80]!r}")
    return out


def read_asns(path: Path) -> frozenset[int]:
    """`AS123 # name` a line."""
    try:
        lines = path.read_text().splitlines()
    except OSError as exc:
        raise ListError(f"{path}: {exc}") from exc
    asns: set[int] = set()
    for number, raw in enumerate(lines, 1):
        token = raw.split("#", 1)[0].strip().upper().removeprefix("AS")
        if not token:
            continue
        if not token.isdigit():
            raise ListError(f"{path}:{number}: not an ASN: {raw[:80]!r}")
        asns.add(int(token))
    return frozenset(asns)
