"""Enrichment against MaxMind's official test databases (IPs from their source-data)
and the shipped real databases."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest

from gateway.enrich import DatabaseError, Enricher
from gateway.enrich.networks import IPSet, ListError, read_cidrs
from gateway.settings import DatabaseSettings
from tests.conftest import MAXMIND

ip = ipaddress.ip_address


def test_shipped_databases(enricher: Enricher) -> None:
    google = enricher.lookup(ip("8.8.8.8"))
    assert google.country == "US" and google.asn == 15169 and google.hosting
    assert enricher.lookup(ip("1.2.4.8")).country == "CN"
    assert enricher.lookup(ip("204.8.96.141")).tor  # in the shipped Tor exit list
    local = enricher.lookup(ip("127.0.0.1"))
    assert local.private and local.country is None


def test_maxmind_layout_and_anonymous_flags() -> None:
    settings = DatabaseSettings(
        country=MAXMIND / "GeoIP2-Country-Test.mmdb", asn=MAXMIND / "GeoLite2-ASN-Test.mmdb",
        anonymous=MAXMIND / "GeoIP2-Anonymous-IP-Test.mmdb",
        residential_proxy=MAXMIND / "GeoIP-Residential-Proxy-Test.mmdb",
        tor_exits=None, datacenter=[], vpn=[], hosting_asns=None)
    enricher = Enricher(settings)
    gb = enricher.lookup(ip("81.2.69.160"))
    assert gb.country == "GB"
    assert gb.vpn and gb.hosting and gb.public_proxy and gb.tor and gb.residential_proxy
    assert enricher.lookup(ip("89.160.20.128")).asn == 29518
    assert enricher.lookup(ip("2001:218::1")).country == "JP"
    resi = enricher.lookup(ip("6.0.42.17"))
    assert resi.residential_proxy and resi.provider == "novada" and resi.confidence == 95


@pytest.mark.parametrize("name", [
    "GeoIP2-City-Test-Broken-Double-Format.mmdb", "MaxMind-DB-test-broken-pointers-24.mmdb",
    "GeoIP2-City-Test-Invalid-Node-Count.mmdb"])
def test_broken_database_is_a_startup_error(name: str) -> None:
    settings = DatabaseSettings(country=MAXMIND / name, asn=None, tor_exits=None, datacenter=[],
                                vpn=[], hosting_asns=None)
    with pytest.raises(DatabaseError, match=r"corrupt|database"):
        Enricher(settings)


def test_a_failing_lookup_is_a_blank_fact_not_an_error() -> None:
    import maxminddb

    from gateway.enrich.geo import country_of

    reader = maxminddb.open_database(str(MAXMIND / "MaxMind-DB-test-broken-pointers-24.mmdb"))
    assert country_of(reader, ip("1.1.1.32")) is None


def test_missing_database_is_a_startup_error(tmp_path: Path) -> None:
    settings = DatabaseSettings(country=tmp_path / "nope.mmdb", asn=None, tor_exits=None,
                                datacenter=[], vpn=[], hosting_asns=None)
    with pytest.raises(DatabaseError, match=r"nope\.mmdb"):
        Enricher(settings)


def test_ipset_membership_and_merging() -> None:
    nets = [ipaddress.ip_network(n) for n in ("10.0.0.0/24", "10.0.1.0/24", "2001:db8::/32")]
    s = IPSet(nets)
    assert s.size == 2  # adjacent ranges merged
    assert ip("10.0.1.255") in s and ip("10.0.2.0") not in s
    assert ip("2001:db8::5") in s and ip("2001:db9::") not in s


def test_bad_list_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "list.txt"
    path.write_text("1.2.3.0/24\n# comment\nnot-a-cidr\n")
    with pytest.raises(ListError, match=r"list.txt:3"):
        read_cidrs(path)


def test_lists_reload_when_their_file_changes(tmp_path: Path) -> None:
    vpn = tmp_path / "vpn.txt"
    vpn.write_text("5.5.5.0/24\n")
    settings = DatabaseSettings(country=None, asn=None, tor_exits=None, datacenter=[],
                                vpn=[vpn], hosting_asns=None)
    enricher = Enricher(settings, check_every=0)
    assert enricher.lookup(ip("5.5.5.5")).vpn and not enricher.lookup(ip("6.6.6.6")).vpn
    vpn.write_text("6.6.6.0/24\n")
    import os
    os.utime(vpn, (1, 1))
    assert enricher.maybe_reload(1.0)
    assert enricher.lookup(ip("6.6.6.6")).vpn and not enricher.lookup(ip("5.5.5.5")).vpn
    vpn.write_text("7.7.7.0/24\ngarbage\n")
    os.utime(vpn, (2, 2))
    assert not enricher.maybe_reload(2.0)  # a bad file keeps the previous data
    assert enricher.lookup(ip("6.6.6.6")).vpn and enricher.reload_errors == 1

