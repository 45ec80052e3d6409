"""The replay contract (spec §1, §3, §4): reader errors name the line, both modes give
byte-identical decisions, metrics come from labels and decisions alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gateway.cli import main
from gateway.replay.metrics import Scorer
from gateway.replay.reader import TrafficError, read_traffic
from gateway.simulate.generator import generate, load_scenario, write_accounts

GOOD = {"id": "a", "ts": 1.0, "client_ip": "8.8.8.8", "path": "/v1/messages"}


def lines(*records: object) -> list[str]:
    return [r if isinstance(r, str) else json.dumps(r) for r in records]


@pytest.mark.parametrize("bad, message", [
    ("{nope", "line 2: not JSON"),
    (json.dumps({"id": "b", "ts": 2.0, "path": "/v1/messages"}), "line 2: missing required field 'client_ip'"),
    (json.dumps({**GOOD, "id": "b", "ts": 0.5}), "line 2: ts 0.5 is before"),
    (json.dumps({**GOOD, "ts": 2.0}), "line 2: duplicate id 'a'"),
    (json.dumps({**GOOD, "id": "b", "ts": "soon"}), "line 2: field 'ts' has the wrong type"),
    (json.dumps({**GOOD, "id": "b", "headers": {"x": 1}}), "line 2: headers must be"),
    ("[1]", "line 2: a record must be a JSON object"),
])
def test_reader_errors_name_the_line(bad: str, message: str) -> None:
    with pytest.raises(TrafficError, match=message):
        list(read_traffic(lines(GOOD, bad)))


def test_reader_defaults_and_blank_lines() -> None:
    records = list(read_traffic(lines(GOOD, "", {**GOOD, "id": "b", "body": "{broken"})))
    assert [r.method for r in records] == ["POST", "POST"]
    assert records[1].body == b"{broken"  # a string body is sent byte for byte
    assert records[1].line == 3


def test_replay_reports_a_bad_line_and_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    traffic = tmp_path / "t.jsonl"
    traffic.write_text("\n".join(lines(GOOD, "{nope")) + "\n")
    code = main(["replay", str(traffic), "--decisions", str(tmp_path / "d.jsonl"), "--quiet"])
    assert code == 2
    assert "line 2: not JSON" in capsys.readouterr().err


def small_scenario(tmp_path: Path, name: str = "mixed", scale: float = 0.15) -> tuple[Path, Path]:
    doc = load_scenario(name)
    doc["hours"] = 2
    records, accounts = generate(doc, seed=3, scale=scale)
    traffic = tmp_path / "traffic.jsonl"
    with traffic.open("w") as out:
        for record in records:
            out.write(json.dumps(record) + "\n")
    directory = tmp_path / "accounts.jsonl"
    write_accounts(directory, accounts)
    return traffic, directory


def test_fast_and_asgi_modes_give_identical_decisions(tmp_path: Path) -> None:
    traffic, accounts = small_scenario(tmp_path, scale=0.05)
    # Add the awkward cases: no key, bad JSON, a stream, a restricted country.
    extra = [
        {"id": "x1", "ts": 1e10, "client_ip": "8.8.8.8", "path": "/v1/messages", "body": {"m": 1}},
        {"id": "x2", "ts": 1e10, "client_ip": "8.8.8.8", "path": "/v1/messages",
         "headers": {"x-api-key": "k"}, "body": "{broken"},
        {"id": "x3", "ts": 1e10 + 1, "client_ip": "2001:218::1", "path": "/v1/chat/completions",
         "headers": {"authorization": "Bearer k2"},
         "body": {"model": "m", "stream": True, "messages": [{"role": "user", "content": "hi"}]},
         "response": {"usage": {"input_tokens": 3, "output_tokens": 9}}},
        {"id": "x4", "ts": 1e10 + 2, "client_ip": "1.2.4.8", "path": "/v1/messages",
         "headers": {"x-api-key": "k3"}, "body": {"model": "m", "messages": []}},
    ]
    with traffic.open("a") as out:
        for record in extra:
            out.write(json.dumps(record) + "\n")
    outputs = {}
    for mode in ("fast", "asgi"):
        out = tmp_path / f"{mode}.jsonl"
        assert main(["replay", str(traffic), "--accounts", str(accounts), "--decisions", str(out),
                     "--mode", mode, "--quiet"]) == 0
        outputs[mode] = out.read_bytes()
    assert outputs["fast"] == outputs["asgi"]
    decisions = [json.loads(line) for line in outputs["fast"].splitlines()]
    assert len(decisions) == sum(1 for _ in traffic.open())
    by_id = {d["id"]: d for d in decisions}
    assert by_id["x1"]["status"] == 401 and by_id["x2"]["status"] == 400
    assert by_id["x3"]["served"] and by_id["x4"]["status"] == 451
    assert by_id["x4"]["reasons"][0] == "region:CN"
    for decision in decisions:  # the spec §3 fields, always
        assert {"id", "ts", "account", "action", "served", "status", "enforced", "risk", "rule",
                "reasons"} <= set(decision)


def test_metrics_from_ground_truth() -> None:
    scorer = Scorer()
    key = lambda k: {"authorization": f"Bearer {k}"}  # noqa: E731
    campaign = {"kind": "campaign", "campaign": "c1"}
    # campaign account A: 3 served, then refused 4 times, one served after: caught.
    for served in (True, True, True, False, False, False, False, True):
        scorer.add(campaign, key("A"), served, 100)
    # campaign account B: never refused.
    for _ in range(2):
        scorer.add(campaign, key("B"), True, 50)
    # legit: one of two accounts refused once out of 4 requests.
    for served in (True, False):
        scorer.add({"kind": "legit"}, key("L1"), served, 10)
    for _ in range(2):
        scorer.add({"kind": "legit"}, key("L2"), True, 10)
    scorer.add({"kind": "restricted"}, key("R"), False, 10)
    overall = scorer.report()["overall"]
    assert overall["campaign_served"] == pytest.approx(6 / 10)
    assert overall["campaign_tokens_served"] == pytest.approx(500 / 900)
    # A: 5 after the first refusal, 1 served = 20% > 10%: not caught.
    assert overall["campaign_recall"] == 0
    assert overall["legit_refused"] == pytest.approx(1 / 4)
    assert overall["legit_accounts_hit"] == pytest.approx(1 / 2)
    assert overall["restricted_served"] == 0


def test_requests_to_catch() -> None:
    scorer = Scorer()
    for name, served_first in (("A", 2), ("B", 5), ("C", 0)):
        for i in range(served_first + 20):
            scorer.add({"kind": "campaign", "campaign": "c"}, {"x-api-key": name}, i < served_first, 1)
    overall = scorer.report()["overall"]
    assert overall["campaign_recall"] == 1
    assert overall["requests_to_catch_median"] == 2 and overall["requests_to_catch_p90"] == 5


def test_report_compare_and_explain(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    traffic, accounts = small_scenario(tmp_path)
    report = tmp_path / "report.html"
    assert main(["replay", str(traffic), "--accounts", str(accounts), "--decisions",
                 str(tmp_path / "d.jsonl"), "--quiet", "--report", str(report),
                 "--compare", str(Path(__file__).parent.parent / "policies/baseline-limits.yaml")]) == 0
    html = report.read_text()
    assert html.count("<svg") == 4 and "Requests to catch" in html and "<script" not in html
    assert "campaign_recall" in html and "share of requests served" in html
    err = capsys.readouterr().err
    assert "decisions differ" in err and "campaign_served" in err
    blocked = next(json.loads(line) for line in (tmp_path / "d.jsonl").open()
                   if json.loads(line)["rule"] == "tier:blocked")
    assert main(["explain", blocked["account"], "--traffic", str(traffic), "--accounts", str(accounts)]) == 0
    explained = json.loads(capsys.readouterr().out)
    assert explained["account"] == blocked["account"] and explained["contributions"]
    assert explained["risk"] > 0 and explained["requests"] >= 1
    # A campaign account sends one-shot requests with harvesting intent in them.
    assert explained["interactive"] is False and explained["intent"] > 0


def test_replay_against_a_running_gateway(tmp_path: Path, standin, enricher) -> None:
    from gateway.app import create_app
    from tests.conftest import gateway_settings
    from tests.servers import ServerThread

    records = [
        {"id": "a1", "ts": 1.0, "client_ip": "81.2.69.160", "path": "/v1/messages",
         "headers": {"x-api-key": "k1"}, "body": {"model": "m", "max_tokens": 5, "messages": []},
         "label": {"kind": "legit"}},
        {"id": "a2", "ts": 1.1, "client_ip": "1.2.4.8", "path": "/v1/messages",
         "headers": {"x-api-key": "k2"}, "body": {"model": "m", "max_tokens": 5, "messages": []},
         "label": {"kind": "restricted"}},
    ]
    traffic = tmp_path / "t.jsonl"
    traffic.write_text("".join(json.dumps(r) + "\n" for r in records))
    settings = gateway_settings(standin[1], trusted_proxies=["127.0.0.0/8"])
    with ServerThread(create_app(settings, enricher=enricher)) as server:
        assert main(["replay", str(traffic), "--decisions", str(tmp_path / "d.jsonl"),
                     "--against", server.url, "--speed", "10"]) == 0
    decisions = [json.loads(line) for line in (tmp_path / "d.jsonl").open()]
    assert [(d["id"], d["status"], d["served"]) for d in decisions] == [("a1", 200, True), ("a2", 451, False)]
