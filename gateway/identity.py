"""Who is calling, and from where. The only place that reads credentials and
forwarding headers.

The raw key never leaves this module: it becomes a keyed hash (HMAC-SHA256) for
logs and state, and a plain SHA-256 only to look the key up in the accounts
directory (the directory's own format, see spec §2).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import ipaddress
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class AccountsError(Exception):
    """The accounts directory is malformed; the message names file and line."""


@dataclass(frozen=True, slots=True)
class Account:
    id: str
    key_hash: str
    org: str | None = None
    created: float | None = None
    billing_country: str | None = None
    plan: str | None = None
    known: bool = False  # listed in the accounts directory


def extract_key(headers: Mapping[str, str]) -> str | None:
    auth = headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        key = auth[7:].strip()
        if key:
            return key
    key = headers.get("x-api-key", "").strip()
    return key or None


class AccountDirectory:
    """Maps keys to accounts; without an entry an account is its key's hash."""

    def __init__(self, secret: str, entries: Mapping[str, Account] | None = None) -> None:
        self._secret = secret.encode()
        self._by_sha = dict(entries or {})
        self._cache: dict[str, Account] = {}

    def __len__(self) -> int:
        return len(self._by_sha)

    def listed(self) -> Iterable[Account]:
        return self._by_sha.values()

    def resolve(self, key: str) -> Account:
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        key_hash = hmac.new(self._secret, key.encode(), hashlib.sha256).hexdigest()[:32]
        listed = self._by_sha.get(hashlib.sha256(key.encode()).hexdigest())
        if listed is not None:
            account = Account(
                id=listed.id,
                key_hash=key_hash,
                org=listed.org,
                created=listed.created,
                billing_country=listed.billing_country,
                plan=listed.plan,
                known=True,
            )
        else:
            account = Account(id=f"key-{key_hash[:16]}", key_hash=key_hash)
        if len(self._cache) > 100_000:  # keys are unbounded input: keep the cache bounded
            self._cache.clear()
        self._cache[key] = account
        return account

    @classmethod
    def load(cls, path: Path | None, secret: str) -> AccountDirectory:
        if path is None:
            return cls(secret)
        try:
            lines = path.read_text().splitlines()
        except OSError as exc:
            raise AccountsError(f"{path}: {exc}") from exc
        return cls(secret, parse_accounts(lines, str(path)))


def parse_accounts(lines: Iterable[str], source: str) -> dict[str, Account]:
    entries: dict[str, Account] = {}
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError("a line must be a JSON object")
            if "key_sha256" in record:
                sha = str(record["key_sha256"]).lower()
            elif "key" in record:
                sha = hashlib.sha256(str(record["key"]).encode()).hexdigest()
            else:
                raise ValueError("needs key_sha256 or key")
            if "account" not in record:
                raise ValueError("needs account")
            raw_created = record.get("created")
            created = None if raw_created is None else float(raw_created)
            if created is not None and not math.isfinite(created):
                raise ValueError("created must be a finite number of seconds")
            country = record.get("billing_country")
            entries[sha] = Account(
                id=str(record["account"]),
                key_hash="",
                org=None if record.get("org") is None else str(record["org"]),
                created=created,
                billing_country=None if country is None else str(country).upper(),
                plan=None if record.get("plan") is None else str(record["plan"]),
                known=True,
            )
        except (ValueError, TypeError) as exc:
            raise AccountsError(f"{source}:{number}: {exc}") from exc
    return entries


# --- client IP -------------------------------------------------------------


@functools.lru_cache(maxsize=65536)  # peers and hops repeat; parsing costs µs
def parse_ip(text: str) -> IPAddress | None:
    text = text.strip().strip('"')
    if text.startswith("["):  # [v6]:port
        text = text[1 : text.find("]")] if "]" in text else ""
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _forwarded_for(value: str) -> list[str]:
    """The `for=` values of an RFC 7239 `Forwarded` header, in order."""
    hops: list[str] = []
    for element in value.split(","):
        for pair in element.split(";"):
            name, _, token = pair.strip().partition("=")
            if name.lower() == "for":
                hops.append(token)
    return hops


# Headers that forward proxies and relays add (RFC 9110 Via, and common vendor ones).
PROXY_HEADERS = frozenset(("via", "x-real-ip", "x-forwarded-host", "x-proxyuser-ip", "client-ip",
                           "true-client-ip", "x-client-ip", "x-originating-ip", "proxy-connection"))


class ClientIPResolver:
    """The TCP peer, unless it is a trusted proxy: then walk the forwarding chain from
    the right to the first address that is not a trusted proxy."""

    def __init__(self, trusted: Iterable[str]) -> None:
        self._trusted: list[IPNetwork] = [ipaddress.ip_network(c, strict=False) for c in trusted]

    @property
    def has_trusted(self) -> bool:
        return bool(self._trusted)

    def is_trusted(self, ip: IPAddress) -> bool:
        return any(ip in net for net in self._trusted)

    def resolve(self, peer: str, headers: Mapping[str, str]) -> tuple[IPAddress | None, bool]:
        """Return (client IP, whether an untrusted path shows an intermediary: forwarding
        or proxy headers that were present but not believed)."""
        peer_ip = parse_ip(peer)
        chain_header = headers.get("forwarded")
        hops = _forwarded_for(chain_header) if chain_header else []
        if not hops and headers.get("x-forwarded-for"):
            hops = headers["x-forwarded-for"].split(",")
        if peer_ip is None or not self._trusted or not self.is_trusted(peer_ip):
            return peer_ip, bool(hops) or not PROXY_HEADERS.isdisjoint(headers)
        client = peer_ip
        for hop in reversed(hops):
            ip = parse_ip(hop)
            if ip is None:
                # An unparseable hop ends the trusted walk: the last good hop stands.
                break
            client = ip
            if not self.is_trusted(ip):
                break
        return client, False
