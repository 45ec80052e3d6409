"""Gateway behaviours end to end: regional restrictions (IP and billing country),
shadow mode, egress limits, hot reload through the admin API, the decision log."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx

from gateway.app import create_app
from gateway.decisions import ListSink
from gateway.identity import ClientIPResolver
from gateway.settings import ROOT
from tests.conftest import gateway_settings
from tests.servers import ServerThread

ADMIN = {"authorization": "Bearer admin-secret"}


def directory(tmp_path: Path, **accounts: dict[str, str]) -> str:
    path = tmp_path / "accounts.jsonl"
    path.write_text("".join(json.dumps({"key": key, "account": key, **extra}) + "\n"
                            for key, extra in accounts.items()))
    return str(path)


def call(url: str, key: str, forwarded_for: str | None = None) -> httpx.Response:
    headers = {"x-api-key": key}
    if forwarded_for:
        headers["x-forwarded-for"] = forwarded_for
    return httpx.post(url + "/v1/messages", headers=headers,
                      json={"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": "hi"}]})


def test_regional_restrictions_by_ip_and_billing_country(standin, enricher, tmp_path: Path) -> None:
    settings = gateway_settings(standin[1], trusted_proxies=["127.0.0.0/8"],
                                accounts=directory(tmp_path, **{"sk-ru": {"billing_country": "RU"},
                                                                "sk-de": {"billing_country": "DE"}}))
    sink = ListSink()
    with ServerThread(create_app(settings, sink=sink, enricher=enricher)) as server:
        from_cn = call(server.url, "sk-de", forwarded_for="1.2.4.8")
        from_gb = call(server.url, "sk-de", forwarded_for="81.2.69.160")
        billed_ru_from_gb = call(server.url, "sk-ru", forwarded_for="81.2.69.160")
    assert from_cn.status_code == 451 and from_cn.json()["error"]["type"] == "permission_error"
    assert from_gb.status_code == 200
    assert billed_ru_from_gb.status_code == 451
    reasons = [d.reasons[0] for d in sink.decisions if d.status == 451]
    assert reasons == ["region:CN", "region:billing:RU"]


def test_shadow_mode_decides_but_never_refuses(standin, enricher) -> None:
    settings = gateway_settings(standin[1], trusted_proxies=["127.0.0.0/8"], shadow=True)
    sink = ListSink()
    with ServerThread(create_app(settings, sink=sink, enricher=enricher)) as server:
        response = call(server.url, "sk-x", forwarded_for="1.2.4.8")
    assert response.status_code == 200
    decision = sink.decisions[-1]
    assert decision.served and not decision.enforced
    assert decision.action == "block" and decision.rule == "restricted-regions"


def test_egress_limit_across_accounts(standin, enricher, tmp_path: Path) -> None:
    policy = tmp_path / "egress.yaml"
    policy.write_text("version: 1\nlimits:\n  egress:\n    requests: ['5/minute']\n")
    settings = gateway_settings(standin[1], policy=[str(policy)])
    with ServerThread(create_app(settings, enricher=enricher)) as server:
        statuses = [call(server.url, f"sk-{i}").status_code for i in range(8)]
    assert statuses == [200] * 5 + [429] * 3


def test_untrusted_path_shows_an_intermediary() -> None:
    resolver = ClientIPResolver([])
    assert resolver.resolve("203.0.113.1", {"via": "1.1 squid"})[1]
    assert resolver.resolve("203.0.113.1", {"x-real-ip": "1.1.1.1"})[1]
    assert not resolver.resolve("203.0.113.1", {"user-agent": "x"})[1]


def test_admin_reload_keeps_last_good_policy(standin, enricher, tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text((ROOT / "policies/default.yaml").read_text())
    settings = gateway_settings(standin[1], policy=[str(policy)])
    app = create_app(settings, enricher=enricher)
    with ServerThread(app) as server:
        before = httpx.get(server.url + "/_distillguard/policy", headers=ADMIN).json()
        policy.write_text("rules:\n  - id: x\n    description: d\n    then: {allow: maybe}\n")
        result = httpx.post(server.url + "/_distillguard/policy/reload", headers=ADMIN).json()
        assert not result["changed"] and "p.yaml:4" in result["error"]
        status = httpx.get(server.url + "/_distillguard/policy", headers=ADMIN).json()
        assert status["revision"] == before["revision"] and status["failures"] == 1
        assert call(server.url, "sk-ok").status_code == 200  # still serving on the old policy
        policy.write_text("version: 1\nrules: []\n")
        result = httpx.post(server.url + "/_distillguard/policy/reload", headers=ADMIN).json()
        assert result["changed"] and result["error"] is None
        metrics = httpx.get(server.url + "/metrics").text
    assert "distillguard_policy_reload_failures_total 1.0" in metrics


def test_decision_log_has_no_key_and_no_prompt(standin, enricher, tmp_path: Path) -> None:
    log = tmp_path / "decisions.jsonl"
    settings = gateway_settings(standin[1], decision_log=str(log))
    with ServerThread(create_app(settings, enricher=enricher)) as server:
        for _ in range(3):
            httpx.post(server.url + "/v1/chat/completions",
                       headers={"authorization": "Bearer sk-secret-key-123"},
                       json={"model": "m", "messages": [{"role": "user", "content": "my secret prompt"}]})
        deadline = time.time() + 3
        while (not log.exists() or len(log.read_text().splitlines()) < 3) and time.time() < deadline:
            time.sleep(0.05)
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert len(lines) == 3
    text = log.read_text()
    assert "sk-secret-key-123" not in text and "my secret prompt" not in text
    assert all(line["revision"] and "overhead_us" in line for line in lines)
