"""Policy files: every shipped file loads; one bad file per failure mode, each
message naming file, line, rule and field; reload keeps the last good policy."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from gateway.cli import main
from gateway.policy.loader import PolicyError, compile_policy
from gateway.policy.store import PolicyStore
from gateway.settings import ROOT
from tests.conftest import POLICIES

BAD = POLICIES / "bad"


@pytest.mark.parametrize("path", sorted((ROOT / "policies").glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_policy_loads(path: Path) -> None:
    policy = compile_policy([path])
    assert policy.rules or policy.limits.plans or policy.scoring.signals


def test_default_policy_restricts_the_required_regions() -> None:
    policy = compile_policy([ROOT / "policies/default.yaml"])
    restricted = {c for r in policy.rules if r.then.block for c in (r.when.country_in or [])}
    assert {"CN", "RU", "IR", "KP", "SY", "CU"} <= restricted
    hosting = [r for r in policy.rules if r.when.network_any == ["hosting"]]
    assert hosting and hosting[0].then.score is not None  # cloud traffic is scored, not blocked


CASES = {
    "unknown_key.yaml": ["unknown_key.yaml:7", "rule geo", "contry_not_in", "unknown key"],
    "bad_country.yaml": ["bad_country.yaml:6", "rule geo", "when.country_in", "'XX' is not an ISO"],
    "duplicate_id.yaml": ["duplicate_id.yaml:7", "rule geo", "duplicate id"],
    "missing_description.yaml": ["missing_description.yaml:3", "rule geo", "description",
                                 "Field required"],
    "two_actions.yaml": ["two_actions.yaml:5", "rule both", "then", "exactly one"],
    "bad_rate.yaml": ["bad_rate.yaml:5", "limits.plans.default.requests", "'sixty a minute'"],
    "unknown_signal.yaml": ["unknown_signal.yaml:4", "scoring.signals.telepathy", "unknown signal"],
    "bad_signal_param.yaml": ["bad_signal_param.yaml:4", "scoring.signals.fan_in.params",
                              "min_acounts"],
    "unknown_limit_tier.yaml": ["unknown_limit_tier.yaml:3", "rule squeeze", "then.limit",
                                "platinum"],
    "bad_mode.yaml": ["bad_mode.yaml:5", "rule geo", "mode"],
    "invalid_yaml.yaml": ["invalid_yaml.yaml:", "invalid YAML"],
    "intent_guard_void.yaml": ["intent_guard_void.yaml:6", "scoring.max_without_intent",
                               "blocking tier 'blocked' at 50", "min_intent: 0"],
}


def test_every_bad_file_has_a_case() -> None:
    assert {p.name for p in BAD.glob("*.yaml")} == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_policy_message(name: str) -> None:
    with pytest.raises(PolicyError) as err:
        compile_policy([BAD / name])
    message = str(err.value)
    for part in CASES[name]:
        assert part in message, f"{part!r} not in {message!r}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_command_exits_non_zero(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(BAD / name)]) == 1
    assert CASES[name][0] in capsys.readouterr().err


def test_check_command_accepts_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(ROOT / "policies/default.yaml")]) == 0
    assert "ok:" in capsys.readouterr().out


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    rule = "rules:\n  - id: same\n    description: d\n    then: {allow: true}\n"
    a.write_text(rule)
    b.write_text(rule)
    with pytest.raises(PolicyError, match=r"b.yaml:2: rule same: id: duplicate id \(first in .*a.yaml"):
        compile_policy([a, b])


def test_reload_keeps_last_good_policy(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("rules:\n  - id: one\n    description: d\n    then: {allow: true}\n")
    store = PolicyStore([path])
    first = store.current
    path.write_text("rules:\n  - id: one\n    description: d\n    then: {allow: maybe}\n")
    os.utime(path, (1, 1))
    assert not store.reload_if_changed()
    assert store.current is first and store.failures == 1
    assert "p.yaml:4" in (store.last_error or "")
    path.write_text("rules:\n  - id: two\n    description: d\n    then: {allow: true}\n")
    os.utime(path, (2, 2))
    assert store.reload_if_changed()
    assert store.current.revision != first.revision
    assert [r.id for r in store.current.rules] == ["two"]
    assert store.last_error is None


def test_json_schema_and_reference_are_in_sync() -> None:
    from gateway.policy.reference import json_schema, reference_markdown

    schema = json.loads((ROOT / "policies/schema.json").read_text())
    assert schema == json_schema(), "run: python -m gateway.policy.reference"
    assert (ROOT / "policies/README.md").read_text() == reference_markdown(), (
        "run: python -m gateway.policy.reference")


def test_serve_refuses_to_start_on_a_bad_policy(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["serve", "--policy", str(BAD / "bad_country.yaml"), "--port", "0"])
    assert code == 2
    err = capsys.readouterr().err
    assert "invalid policy" in err and "bad_country.yaml:6" in err and "Traceback" not in err


def test_serve_reports_a_bad_settings_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "gateway.yaml"
    config.write_text("port: 8080\nupstrem: {url: x}\n")
    assert main(["serve", "--config", str(config)]) == 2
    assert "upstrem" in capsys.readouterr().err
