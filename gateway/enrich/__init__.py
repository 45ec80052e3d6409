"""Enrichment: what the client IP tells us. Country, ASN, anonymous-network facts.

Databases and lists are opened once and reloaded when their files change (checked
at most every `check_every` seconds on the injected clock); a bad new file keeps the
old data and is reported.
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gateway.enrich.geo import (
    AnonymousFacts,
    DatabaseError,
    anonymous_of,
    asn_of,
    country_of,
    open_database,
    residential_of,
)
from gateway.enrich.networks import IPSet, ListError, read_asns
from gateway.identity import IPAddress
from gateway.settings import DatabaseSettings

log = logging.getLogger("distillguard.enrich")

__all__ = ["DatabaseError", "Enricher", "ListError", "NetworkFacts"]


@dataclass(frozen=True, slots=True)
class NetworkFacts:
    ip: IPAddress | None
    country: str | None = None
    asn: int | None = None
    asn_org: str | None = None
    private: bool = False  # loopback, private, link-local or unrouted: no country
    tor: bool = False
    vpn: bool = False
    hosting: bool = False
    public_proxy: bool = False
    residential_proxy: bool = False
    provider: str | None = None
    confidence: int | None = None
    # Text keys of the address, its /24 (/48) and their egress entries: formatting an
    # address costs microseconds, and facts are cached per IP, so do it once here.
    address: str = field(default="", init=False, compare=False, repr=False)
    egress: str = field(default="", init=False, compare=False, repr=False)
    net: str = field(default="", init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        ip = self.ip
        if ip is None:
            return
        address = str(ip)
        if ip.version == 4:
            net = "net:" + address.rsplit(".", 1)[0] + ".0/24"
        else:
            net = "net:" + ":".join(ip.exploded.split(":")[:3]) + "::/48"
        object.__setattr__(self, "address", address)
        object.__setattr__(self, "egress", "ip:" + address)
        object.__setattr__(self, "net", net)

    @property
    def anonymous(self) -> bool:
        return self.tor or self.vpn or self.public_proxy or self.residential_proxy


EMPTY = NetworkFacts(ip=None)

# Addresses with no place on the public Internet (RFC 6890 and friends): checked as a
# compiled set, ten times faster than ipaddress' is_global.
NOT_GLOBAL = IPSet(ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
    "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15",
    "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
    "::/127", "::ffff:0:0/96", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32",
    "2002::/16", "fc00::/7", "fe80::/10", "ff00::/8",
))
CACHE_SIZE = 65536


@dataclass(slots=True)
class _Sources:
    country: Any = None
    asn: Any = None
    anonymous: Any = None
    residential: Any = None
    tor: IPSet | None = None
    datacenter: IPSet | None = None
    vpn: IPSet | None = None
    hosting_asns: frozenset[int] = frozenset()


def _stamp(paths: list[Path | None]) -> tuple[float, ...]:
    out: list[float] = []
    for path in paths:
        try:
            out.append(path.stat().st_mtime if path else 0.0)
        except OSError:
            out.append(-1.0)
    return tuple(out)


class Enricher:
    def __init__(self, settings: DatabaseSettings, check_every: float = 30.0) -> None:
        self._settings = settings
        self._check_every = check_every
        self._paths: list[Path | None] = [
            settings.country,
            settings.asn,
            settings.anonymous,
            settings.residential_proxy,
            settings.tor_exits,
            settings.hosting_asns,
            *settings.datacenter,
            *settings.vpn,
        ]
        self._sources = self._open()  # errors here are start-up errors
        self._cache: dict[IPAddress, NetworkFacts] = {}  # clients repeat: facts per IP
        self._stamp = _stamp(self._paths)
        self._next_check = 0.0
        self.reload_errors = 0
        self.last_error: str | None = None

    def _open(self) -> _Sources:
        s = self._settings
        src = _Sources()
        if s.country:
            src.country = open_database(s.country, "country")
        if s.asn:
            src.asn = open_database(s.asn, "ASN")
        if s.anonymous:
            src.anonymous = open_database(s.anonymous, "anonymous-IP")
        if s.residential_proxy:
            src.residential = open_database(s.residential_proxy, "residential-proxy")
        if s.tor_exits:
            src.tor = IPSet.from_files([s.tor_exits])
        if s.datacenter:
            src.datacenter = IPSet.from_files(s.datacenter)
        if s.vpn:
            src.vpn = IPSet.from_files(s.vpn)
        if s.hosting_asns:
            src.hosting_asns = read_asns(s.hosting_asns)
        return src

    def maybe_reload(self, now: float) -> bool:
        if now < self._next_check:
            return False
        self._next_check = now + self._check_every
        stamp = _stamp(self._paths)
        if stamp == self._stamp:
            return False
        self._stamp = stamp
        try:
            self._sources = self._open()
            self._cache = {}
        except (DatabaseError, ListError) as exc:
            self.reload_errors += 1
            self.last_error = str(exc)
            log.error("enrichment reload failed, keeping the previous data: %s", exc)
            return False
        log.info("enrichment data reloaded")
        return True

    def lookup(self, ip: IPAddress | None) -> NetworkFacts:
        if ip is None:
            return EMPTY
        facts = self._cache.get(ip)
        if facts is None:
            facts = self._lookup(ip)
            if len(self._cache) >= CACHE_SIZE:
                self._cache.clear()
            self._cache[ip] = facts
        return facts

    def _lookup(self, ip: IPAddress) -> NetworkFacts:
        src = self._sources
        private = ip in NOT_GLOBAL
        country = None if private or src.country is None else country_of(src.country, ip)
        asn, org = (None, None) if private or src.asn is None else asn_of(src.asn, ip)
        anon = AnonymousFacts()
        if src.anonymous is not None and not private:
            anon = anonymous_of(src.anonymous, ip)
        resi = AnonymousFacts()
        if src.residential is not None and not private:
            resi = residential_of(src.residential, ip)
        tor = anon.tor or (src.tor is not None and ip in src.tor)
        vpn = anon.vpn or (src.vpn is not None and ip in src.vpn)
        hosting = (
            anon.hosting
            or (asn is not None and asn in src.hosting_asns)
            or (src.datacenter is not None and ip in src.datacenter)
        )
        return NetworkFacts(
            ip=ip,
            country=country,
            asn=asn,
            asn_org=org,
            private=private,
            tor=tor,
            vpn=vpn,
            hosting=hosting,
            public_proxy=anon.public_proxy,
            residential_proxy=anon.residential_proxy or resi.residential_proxy,
            provider=anon.provider or resi.provider,
            confidence=anon.confidence if anon.confidence is not None else resi.confidence,
        )
