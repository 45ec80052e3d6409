"""Deployment settings: where to listen, what to forward to, which stores and databases.

Policy (what to allow, limit or block) lives in `policy/`; this is only the plumbing.
Loaded from an optional YAML file, then overridden by `DISTILLGUARD_*` variables and
command-line flags. Unknown keys are errors.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

ROOT = Path(os.environ.get("DISTILLGUARD_HOME") or Path(__file__).resolve().parent.parent)
DATA = Path(os.environ.get("DISTILLGUARD_DATA") or ROOT / "data")


class SettingsError(Exception):
    """A settings file or variable is invalid; the message names where."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class UpstreamSettings(_Strict):
    url: str | None = Field(
        None,
        description="Base URL of the model API. None: the built-in stand-in upstream is started.",
    )
    connect_timeout: float = Field(5.0, gt=0, description="Seconds to open a connection.")
    read_timeout: float = Field(300.0, gt=0, description="Seconds of silence between chunks.")
    total_timeout: float = Field(900.0, gt=0, description="Deadline for a whole exchange.")
    max_connections: int = Field(256, ge=1, description="Connection pool size.")
    transport: Literal["http1", "aiohttp"] = Field(
        "http1", description="Upstream client: the built-in HTTP/1.1 client or aiohttp's."
    )
    api_key: str | None = Field(
        None, description="Credential sent upstream instead of the client's key (None: pass through)."
    )


class DatabaseSettings(_Strict):
    country: Path | None = Field(
        DATA / "geoip/country/geo-whois-asn-country.mmdb",
        description="Country mmdb (MaxMind GeoIP2/GeoLite2 layout or `country_code` layout).",
    )
    asn: Path | None = Field(DATA / "geoip/asn/asn.mmdb", description="ASN mmdb (GeoLite2-ASN).")
    anonymous: Path | None = Field(
        None, description="MaxMind Anonymous-IP / Anonymous-Plus database, if licensed."
    )
    residential_proxy: Path | None = Field(
        None, description="MaxMind Residential-Proxy database, if licensed."
    )
    tor_exits: Path | None = Field(DATA / "iplists/tor/latest.exits.csv", description="Tor exits.")
    datacenter: list[Path] = Field(
        default_factory=lambda: [
            DATA / "iplists/x4bnet/output_datacenter_ipv4.txt",
            DATA / "iplists/x4bnet/output_datacenter_ipv6.txt",
            DATA / "iplists/cloud/all_ipv4_merged.txt",
            DATA / "iplists/cloud/all_ipv6_merged.txt",
        ],
        description="CIDR lists of datacenter and hosting ranges.",
    )
    vpn: list[Path] = Field(
        default_factory=lambda: [
            DATA / "iplists/x4bnet/output_vpn_ipv4.txt",
            DATA / "iplists/x4bnet/output_vpn_ipv6.txt",
            DATA / "iplists/cloud/protonvpn_ipv4_merged.txt",
        ],
        description="CIDR lists of commercial VPN ranges.",
    )
    hosting_asns: Path | None = Field(
        DATA / "iplists/x4bnet/input_datacenter_ASN.txt", description="Hosting ASNs, `AS123 # name`."
    )


class AdminSettings(_Strict):
    token: str | None = Field(
        None, description="Bearer token for the admin API; None: admin routes answer 503."
    )
    prefix: str = Field("/_distillguard", description="Path prefix the admin API is mounted at.")


class StoreSettings(_Strict):
    backend: Literal["memory", "redis"] = Field("memory", description="Where shared state lives.")
    redis_url: str = Field("redis://127.0.0.1:6379/0", description="Redis, Cluster or Sentinel URL.")
    redis_timeout: float = Field(0.25, gt=0, description="Seconds before a Redis call fails.")
    key_prefix: str = Field("dg", description="Prefix of every Redis key.")
    breaker_after: int = Field(3, ge=1, description="Consecutive Redis failures that open the breaker.")
    breaker_cool_off: float = Field(5.0, gt=0, description="Seconds the breaker stays open.")
    max_accounts: int = Field(1_000_000, ge=1, description="Tracked accounts kept in memory.")
    max_egresses: int = Field(1_000_000, ge=1, description="Tracked egress addresses kept.")


class Settings(_Strict):
    host: str = Field("127.0.0.1", description="Listen address.")
    port: int = Field(8080, ge=0, le=65535, description="Listen port.")
    upstream: UpstreamSettings = Field(default_factory=UpstreamSettings)
    databases: DatabaseSettings = Field(default_factory=DatabaseSettings)
    admin: AdminSettings = Field(default_factory=AdminSettings)
    store: StoreSettings = Field(default_factory=StoreSettings)
    policy: list[Path] = Field(
        default_factory=lambda: [ROOT / "policies/default.yaml"],
        description="Policy files, loaded in order; rule ids are unique across them.",
    )
    shadow: bool = Field(False, description="Every rule decides and logs; nothing is refused.")
    key_secret: str = Field(
        "distillguard-dev-secret",
        description="HMAC secret for hashing API keys; set a real one in production.",
    )
    accounts: Path | None = Field(None, description="Accounts directory (JSON Lines).")
    trusted_proxies: list[str] = Field(
        default_factory=list, description="CIDRs whose forwarding headers are believed."
    )
    api_prefix: str = Field("/v1", description="Paths under this prefix are proxied.")
    max_body_bytes: int = Field(8 * 1024 * 1024, ge=1024, description="Largest request body.")
    decision_log: Path | None = Field(None, description="JSON Lines decision log; None: off.")
    decision_queue: int = Field(10_000, ge=1, description="Decision records buffered for the log.")
    log_prompts: bool = Field(False, description="Include prompt text in decision records.")

    @field_validator("trusted_proxies")
    @classmethod
    def _cidrs(cls, value: list[str]) -> list[str]:
        for cidr in value:
            try:
                ipaddress.ip_network(cidr, strict=False)
            except ValueError as exc:
                raise ValueError(f"not a CIDR: {cidr!r}") from exc
        return value


_ENV = {
    "DISTILLGUARD_UPSTREAM": ("upstream", "url"),
    "DISTILLGUARD_ADMIN_TOKEN": ("admin", "token"),
    "DISTILLGUARD_KEY_SECRET": ("key_secret",),
    "DISTILLGUARD_REDIS_URL": ("store", "redis_url"),
    "DISTILLGUARD_STORE": ("store", "backend"),
    "DISTILLGUARD_ACCOUNTS": ("accounts",),
    "DISTILLGUARD_DECISION_LOG": ("decision_log",),
}


def _put(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for part in path[:-1]:
        data = data.setdefault(part, {})
    data[path[-1]] = value


def load_settings(
    path: Path | None = None,
    overrides: dict[tuple[str, ...], Any] | None = None,
    environ: dict[str, str] | None = None,
) -> Settings:
    """File, then environment, then explicit overrides (command-line flags)."""
    data: dict[str, Any] = {}
    if path is not None:
        try:
            loaded = yaml.safe_load(path.read_text())
        except (OSError, yaml.YAMLError) as exc:
            raise SettingsError(f"{path}: {exc}") from exc
        if loaded is not None and not isinstance(loaded, dict):
            raise SettingsError(f"{path}: the top level must be a mapping")
        data = loaded or {}
    env = os.environ if environ is None else environ
    for name, where in _ENV.items():
        if env.get(name):
            _put(data, where, env[name])
    for where, value in (overrides or {}).items():
        if value is not None:
            _put(data, where, value)
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        source = str(path) if path else "settings"
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise SettingsError(f"{source}: {problems}") from exc
