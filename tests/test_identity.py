from __future__ import annotations

import hashlib
import ipaddress
import json

import pytest

from gateway.identity import (
    AccountDirectory,
    AccountsError,
    ClientIPResolver,
    extract_key,
    parse_accounts,
)


def test_key_from_either_header() -> None:
    assert extract_key({"authorization": "Bearer sk-1"}) == "sk-1"
    assert extract_key({"authorization": "bearer  sk-2 "}) == "sk-2"
    assert extract_key({"x-api-key": "sk-3"}) == "sk-3"
    assert extract_key({"authorization": "Basic abc"}) is None
    assert extract_key({}) is None


def test_account_is_a_keyed_hash_never_the_key() -> None:
    directory = AccountDirectory("secret-a")
    account = directory.resolve("sk-raw-key")
    assert "sk-raw-key" not in account.id and "sk-raw-key" not in account.key_hash
    assert account.id == AccountDirectory("secret-a").resolve("sk-raw-key").id
    # Another secret gives another hash: the hash is keyed (HMAC), not a plain digest.
    assert account.id != AccountDirectory("secret-b").resolve("sk-raw-key").id
    assert hashlib.sha256(b"sk-raw-key").hexdigest()[:16] not in account.id


def test_directory_maps_keys_to_accounts() -> None:
    lines = [
        json.dumps({"key_sha256": hashlib.sha256(b"sk-a").hexdigest(), "account": "acct-1",
                    "org": "o1", "plan": "free", "billing_country": "de", "created": 1700000000}),
        '{"key": "sk-b", "account": "acct-2"}',
        "",
    ]
    directory = AccountDirectory("s", parse_accounts(lines, "accounts.jsonl"))
    a = directory.resolve("sk-a")
    assert (a.id, a.org, a.plan, a.billing_country, a.created, a.known) == (
        "acct-1", "o1", "free", "DE", 1700000000.0, True)
    assert directory.resolve("sk-b").id == "acct-2"
    assert not directory.resolve("sk-unknown").known


@pytest.mark.parametrize("line, message", [
    ("{not json", "accounts.jsonl:1"),
    ('{"account": "x"}', "needs key_sha256 or key"),
    ('{"key": "k"}', "needs account"),
    ("[1, 2]", "must be a JSON object"),
    ('{"key": "k", "account": "x", "created": NaN}', "created must be a finite number"),
    ('{"key": "k", "account": "x", "created": "soon"}', "could not convert"),
])
def test_directory_errors_name_the_line(line: str, message: str) -> None:
    with pytest.raises(AccountsError, match=message):
        parse_accounts([line], "accounts.jsonl")


UNTRUSTED = ClientIPResolver([])
TRUSTED = ClientIPResolver(["10.0.0.0/8", "fd00::/8"])


@pytest.mark.parametrize("headers", [
    {"x-forwarded-for": "1.2.3.4"},
    {"forwarded": "for=1.2.3.4"},
    {"x-forwarded-for": "1.2.3.4, 5.6.7.8"},
    {"x-forwarded-for": "garbage"},
])
def test_untrusted_peer_cannot_choose_its_ip(headers: dict[str, str]) -> None:
    ip, forwarded = UNTRUSTED.resolve("203.0.113.9", headers)
    assert ip == ipaddress.ip_address("203.0.113.9")
    assert forwarded  # the spoof attempt itself is evidence of an intermediary
    ip, _ = TRUSTED.resolve("203.0.113.9", headers)  # not in the trusted set either
    assert ip == ipaddress.ip_address("203.0.113.9")


def test_trusted_proxy_chain_walks_from_the_right() -> None:
    # client spoofs 1.1.1.1; the real client is 8.8.8.8; two trusted hops.
    headers = {"x-forwarded-for": "1.1.1.1, 8.8.8.8, 10.0.0.5"}
    ip, forwarded = TRUSTED.resolve("10.0.0.1", headers)
    assert ip == ipaddress.ip_address("8.8.8.8") and not forwarded


def test_forwarded_header_ipv6_and_ports() -> None:
    headers = {"forwarded": 'for="[2001:db8::7]:4711";proto=https, for=10.0.0.3'}
    ip, _ = TRUSTED.resolve("fd00::1", headers)
    assert ip == ipaddress.ip_address("2001:db8::7")
    ip, _ = TRUSTED.resolve("10.1.1.1", {"x-forwarded-for": "9.9.9.9:1234"})
    assert ip == ipaddress.ip_address("9.9.9.9")


def test_malformed_hop_stops_the_walk() -> None:
    ip, _ = TRUSTED.resolve("10.0.0.1", {"x-forwarded-for": "8.8.8.8, not-an-ip, 10.0.0.2"})
    assert ip == ipaddress.ip_address("10.0.0.2")
    ip, _ = TRUSTED.resolve("10.0.0.1", {"x-forwarded-for": ""})
    assert ip == ipaddress.ip_address("10.0.0.1")
