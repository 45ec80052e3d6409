"""Country, ASN and anonymous-network facts from MaxMind-format databases.

Readers are opened once (memory-mapped). A missing or corrupt database is a start-up
error; a failed lookup for one address is a blank fact, never a failed request.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import maxminddb

from gateway.identity import IPAddress


class DatabaseError(Exception):
    """A database cannot be opened or is not the kind it was configured as."""


_PROBES = ("1.1.1.1", "1.1.1.16", "1.1.1.32", "8.8.8.8", "81.2.69.160", "2.125.160.216")


def open_database(path: Path, kind: str) -> Any:
    try:
        reader = maxminddb.open_database(str(path), maxminddb.MODE_AUTO)  # C reader
    except (OSError, ValueError, maxminddb.InvalidDatabaseError) as exc:
        raise DatabaseError(f"{kind} database {path}: {exc}") from exc
    try:  # a broken search tree or data section shows on the first lookups
        for probe in _PROBES:
            reader.get(probe)
    except (ValueError, maxminddb.InvalidDatabaseError) as exc:
        reader.close()
        raise DatabaseError(f"{kind} database {path} is corrupt: {exc}") from exc
    return reader


@dataclass(frozen=True, slots=True)
class AnonymousFacts:
    vpn: bool = False
    hosting: bool = False
    public_proxy: bool = False
    residential_proxy: bool = False
    tor: bool = False
    provider: str | None = None
    confidence: int | None = None


def _get(reader: Any, ip: IPAddress) -> Any:
    try:
        return reader.get(ip)
    except (ValueError, maxminddb.InvalidDatabaseError):
        return None


def country_of(reader: Any, ip: IPAddress) -> str | None:
    record = _get(reader, ip)
    if not isinstance(record, dict):
        return None
    if "country_code" in record:  # the shipped geo-whois-asn-country layout
        code = record["country_code"]
        return code.upper() if isinstance(code, str) else None
    for field in ("country", "registered_country"):  # MaxMind GeoIP2/GeoLite2 layout
        node = record.get(field)
        if isinstance(node, dict) and isinstance(node.get("iso_code"), str):
            return str(node["iso_code"]).upper()
    return None


def asn_of(reader: Any, ip: IPAddress) -> tuple[int | None, str | None]:
    record = _get(reader, ip)
    if not isinstance(record, dict):
        return None, None
    number = record.get("autonomous_system_number")
    org = record.get("autonomous_system_organization")
    return (number if isinstance(number, int) else None, org if isinstance(org, str) else None)


def anonymous_of(reader: Any, ip: IPAddress) -> AnonymousFacts:
    record = _get(reader, ip)
    if not isinstance(record, dict):
        return AnonymousFacts()
    confidence = record.get("anonymizer_confidence")
    provider = record.get("provider_name")
    return AnonymousFacts(
        vpn=bool(record.get("is_anonymous_vpn")),
        hosting=bool(record.get("is_hosting_provider")),
        public_proxy=bool(record.get("is_public_proxy")),
        residential_proxy=bool(record.get("is_residential_proxy")),
        tor=bool(record.get("is_tor_exit_node")),
        provider=provider if isinstance(provider, str) else None,
        confidence=confidence if isinstance(confidence, int) else None,
    )


def residential_of(reader: Any, ip: IPAddress) -> AnonymousFacts:
    record = _get(reader, ip)
    if not isinstance(record, dict):
        return AnonymousFacts()
    provider = record.get("provider_name")
    confidence = record.get("anonymizer_confidence")
    return AnonymousFacts(
        residential_proxy=True,
        provider=provider if isinstance(provider, str) else None,
        confidence=confidence if isinstance(confidence, int) else None,
    )
