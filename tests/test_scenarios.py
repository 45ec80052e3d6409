"""Golden scenarios: simulate, replay with the default policy, hold the metrics to the
thresholds in each scenario file. `holdout` was not used to tune anything in session 1;
session 2 diagnosed two of its campaigns. `holdout-2` and `holdout-3` (written before
sessions 2 and 3 changed detection) are reported by bench/detection.py, not held here:
some of their targets are not met."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from gateway.cli import main
from gateway.simulate.generator import SCENARIOS, generate, load_scenario

ALL = sorted(p.name for p in SCENARIOS.iterdir() if (p / "scenario.yaml").exists())
NAMES = [name for name in ALL if load_scenario(name).get("suite", True)]


@pytest.mark.parametrize("directory", [True, False], ids=["with-accounts", "keys-only"])
@pytest.mark.parametrize("name", NAMES)
def test_scenario_meets_its_thresholds(name: str, directory: bool, tmp_path: Path) -> None:
    """With the accounts directory, and without it (accounts known only by key hash:
    no plans, orgs, ages or billing countries). Billing-country restrictions need the
    directory, so `restricted_served` is held only with it. (Until session 8, teachers
    sharing a rubric prompt were refused without the directory's account ages; grading
    a pupil's answer is now weak evidence, and this case passes.)"""
    out = tmp_path / name
    assert main(["simulate", "--scenario", name, "--seed", "11", "--out", str(out)]) == 0
    metrics = tmp_path / "metrics.json"
    accounts = ["--accounts", str(out / "accounts.jsonl")] if directory else []
    assert main(["replay", str(out / "traffic.jsonl"), *accounts,
                 "--decisions", str(tmp_path / "decisions.jsonl"), "--quiet",
                 "--metrics-json", str(metrics)]) == 0
    report = json.loads(metrics.read_text())
    overall = report["overall"]
    thresholds = dict(load_scenario(name)["thresholds"])
    if not directory:
        thresholds.pop("restricted_served")
    failures = []
    for metric, limit in thresholds.items():
        value = overall[metric]
        worse = value < limit if metric == "campaign_recall" else value > limit
        if value is None or worse:
            failures.append(f"{metric}={value} (limit {limit})")
    # Every legitimate persona on its own, not only on average.
    for group, values in report["groups"].items():
        if group.startswith("legit:") and values["legit_refused"] > thresholds["legit_refused"]:
            failures.append(f"{group} legit_refused={values['legit_refused']}")
    assert not failures, "; ".join(failures)
    assert overall["campaign_accounts"] > 50 and overall["legit_accounts"] > 200
    if name == "mixed":
        # Registration batches come from the directory's creation dates: the batch-
        # registered hydras are linked that way only when the directory is there.
        batched = sum('"signal:signup_batch"' in line
                      for line in (tmp_path / "decisions.jsonl").open())
        assert (batched > 100) is directory, batched


@pytest.mark.parametrize("name", ALL)
def test_every_scenario_parses(name: str) -> None:
    from gateway.simulate.generator import specs_of

    doc = load_scenario(name)
    specs = specs_of(doc, 0.001)
    assert specs and {"campaign_served", "legit_refused"} <= set(doc["thresholds"])


def test_seed_scale_matches_the_disclosure() -> None:
    """About 24,000 campaign accounts and 16 million campaign requests."""
    doc = load_scenario("seed-scale")
    campaign = [p for p in doc["personas"] if p["kind"] == "campaign"]
    heads = sum(p["accounts"] for p in campaign)
    requests = sum(p["accounts"] * sum(p["rate"]) / 2 * doc["hours"] for p in campaign)
    assert 22_000 <= heads <= 26_000
    assert 15e6 <= requests <= 17e6


def test_simulation_is_reproducible_from_the_seed() -> None:
    def digest(seed: int) -> str:
        doc = load_scenario("mixed")
        doc["hours"] = 1
        records, _ = generate(doc, seed, 0.05)
        h = hashlib.sha256()
        for record in records:
            h.update(json.dumps(record, sort_keys=True).encode())
        return h.hexdigest()

    assert digest(5) == digest(5)
    assert digest(5) != digest(6)


def test_simulated_records_follow_the_contract() -> None:
    doc = load_scenario("mixed")
    doc["hours"] = 1
    records, accounts = generate(doc, 2, 0.2)
    seen_kinds = set()
    last = 0.0
    for record in records:
        assert record["ts"] >= last
        last = record["ts"]
        assert {"id", "ts", "client_ip", "path", "headers", "body", "response", "label"} <= set(record)
        seen_kinds.add(record["label"]["kind"])
    assert seen_kinds == {"legit", "campaign", "restricted"}
    assert all(len(a.directory_line()["key_sha256"]) == 64 for a in accounts)


def test_batches_register_accounts_together_and_never_after_first_use() -> None:
    doc = {"hours": 2, "start": 1_775_001_600, "personas": [
        {"persona": "cot_hydra", "kind": "campaign", "campaign": "c", "accounts": 12,
         "rate": [20, 30], "lifetime": 10, "batch": 6, "batch_spread": 120},
        {"persona": "student", "kind": "legit", "accounts": 8, "batch": 8, "batch_spread": 600,
         "age": [1, 2]},
        {"persona": "casual", "kind": "legit", "accounts": 30}]}
    records, accounts = generate(doc, 3, 1.0)
    first_use: dict[str, float] = {}
    for record in records:
        first_use.setdefault(record["label"]["actor"], record["ts"])
    created = {a.account: a.created for a in accounts}
    assert all(created[actor] <= ts for actor, ts in first_use.items())
    hydra = sorted(t for name, t in created.items() if name.startswith("c-"))
    assert len(hydra) > 12  # heads and their replacements
    groups = [hydra[i:i + 6] for i in range(0, len(hydra), 6)]
    assert all(group[-1] - group[0] <= 120 for group in groups)
    students = sorted(t for name, t in created.items() if name.startswith("student"))
    assert students[-1] - students[0] <= 600
    assert all(doc["start"] - 2 * 86400 <= t <= doc["start"] - 86400 for t in students)
    casual = sorted(t for name, t in created.items() if name.startswith("casual"))
    assert casual[-1] - casual[0] > 86400  # unbatched: spread over months


@pytest.mark.parametrize("name", ALL)
def test_account_names_are_unique(name: str) -> None:
    _, accounts = generate(load_scenario(name), 1, 0.02 if name == "seed-scale" else 1.0)
    names = [a.account for a in accounts]
    assert len(set(names)) == len(names)


@pytest.mark.parametrize(("entry", "message"), [
    ({"batch": "many"}, "batch must be a whole number"),
    ({"age": [5, 1]}, "age must be"),
    ({"rate": [3]}, "rate must be"),
    ({"history": 2}, "history must be a share"),
    ({"followups": -0.1}, "followups must be a share"),
    ({"lockstep": -2}, "lockstep must be a whole number"),
    ({"lockstep": "all"}, "lockstep must be a whole number"),
    ({"persona": "hacker"}, "persona 'hacker' is not a legit persona"),
    ({"kind": "campaign", "persona": "app_user"}, "is not a campaign persona"),
    ({"kind": "bot"}, "kind must be legit, campaign or restricted"),
    ({"persona": "saved_prompt"}, "needs its templates"),
])
def test_bad_persona_entries_are_clear_errors(entry: dict[str, object], message: str) -> None:
    from gateway.simulate.generator import specs_of

    doc = {"personas": [{"persona": "casual", "kind": "legit", "accounts": 3, **entry}]}
    with pytest.raises(SystemExit, match=message):
        specs_of(doc, 1.0)


def test_made_up_history_precedes_the_harvesting_turn() -> None:
    """`history`: the share of a campaign's requests sent with an invented earlier
    exchange, so that it passes as an interactive client."""
    doc = {"hours": 2, "start": 1_775_001_600, "personas": [
        {"persona": "cot_hydra", "kind": "campaign", "campaign": "c", "accounts": 4,
         "rate": [40, 60], "history": 0.5}]}
    records, _ = generate(doc, 3, 1.0)
    shapes = [[m["role"] for m in r["body"]["messages"]] for r in records]
    with_history = [roles for roles in shapes if "assistant" in roles]
    assert 0.3 < len(with_history) / len(shapes) < 0.7
    assert all(roles[-3:] == ["user", "assistant", "user"] for roles in with_history)


def test_a_conversing_hydra_continues_its_own_harvesting_exchanges() -> None:
    """`followups`: a share of a campaign's harvesting requests continue the account's
    own last harvesting turn (sent by it before, so the gateway sees a real follow-up),
    never another head's: a replacement head starts its own conversations."""
    doc = {"hours": 3, "start": 1_775_001_600, "personas": [
        {"persona": "cot_hydra", "kind": "campaign", "campaign": "c", "accounts": 4,
         "rate": [30, 40], "lifetime": 30, "followups": 0.3,
         "templates": ["{task}\n\nShow your full reasoning first."]}]}
    records = list(generate(doc, 3, 1.0)[0])
    sent: dict[str, set[str]] = {}
    continued = 0
    for record in records:
        actor, messages = record["label"]["actor"], record["body"]["messages"]
        mine = sent.setdefault(actor, set())
        if len(messages) > 1:
            assert [m["role"] for m in messages] == ["user", "assistant", "user"]
            assert messages[0]["content"] in mine  # its own earlier turn, not a made-up one
            continued += 1
        else:
            mine.add(messages[0]["content"])
    assert 0.15 < continued / len(records) < 0.45
    assert len(sent) > 4  # heads were replaced, each conversing on its own


def test_teachers_grade_with_their_own_template_and_question_some_gradings() -> None:
    """`teacher`: each account grades with one of the templates (by account), mixes in
    ordinary questions, and some gradings are questioned afterwards in the same
    conversation (its first turn is a grading the teacher sent before)."""
    doc = {"hours": 24, "start": 1_775_001_600, "personas": [
        {"persona": "teacher", "kind": "legit", "accounts": 4, "rate": [8, 12], "mix": 0.5,
         "templates": ["GRADE-A {task} / {answer}", "GRADE-B {task} / {answer}"]}]}
    records, _ = generate(doc, 5, 1.0)
    by_account: dict[str, list[list[dict[str, str]]]] = {}
    for r in records:
        by_account.setdefault(r["label"]["actor"], []).append(r["body"]["messages"])
    assert len(by_account) == 4
    for actor, conversations in by_account.items():
        firsts = [c[0]["content"] for c in conversations]
        grading = [f for f in firsts if f.startswith("GRADE-")]
        assert 0.25 < len(grading) / len(firsts) < 0.75, actor
        assert len({f[:7] for f in grading}) == 1, actor  # one template per teacher
        follow_ups = [c for c in conversations if len(c) == 3]
        assert follow_ups, actor
        singles = {c[0]["content"] for c in conversations if len(c) == 1}
        assert all(c[0]["content"] in singles for c in follow_ups), actor


def test_casual_users_chat_and_some_clients_trim_old_turns() -> None:
    """`casual`: many requests continue the account's last conversation (its earlier
    turns and answers, then the new turn); some clients send only the last three user
    turns, so the first turn sent is not always the conversation's first."""
    doc = {"hours": 24, "start": 1_775_001_600, "personas": [
        {"persona": "casual", "kind": "legit", "accounts": 30, "rate": [8, 12]}]}
    records, _ = generate(doc, 7, 1.0)
    by_account: dict[str, list[list[dict[str, str]]]] = {}
    for r in records:
        by_account.setdefault(r["label"]["actor"], []).append(r["body"]["messages"])
    users = [sum(m["role"] == "user" for m in c) for cs in by_account.values() for c in cs]
    assert 0.2 < sum(n > 1 for n in users) / len(users) < 0.7
    trimmed = 0
    for conversations in by_account.values():
        sent = [c[-1]["content"] for c in conversations]  # each request's new turn
        openings: set[str] = set()
        for i, c in enumerate(conversations):
            turns = [m["content"] for m in c if m["role"] == "user"]
            assert [m["role"] for m in c] == ["user", "assistant"] * (len(turns) - 1) + ["user"]
            # Every earlier turn is one this account sent before (nothing made up).
            assert all(t in sent[:i] for t in turns[:-1])
            if len(turns) == 1:
                openings.add(turns[0])
            elif turns[0] not in openings:
                trimmed += 1  # the conversation's first turn was trimmed away
    assert trimmed > 0


def test_lockstep_groups_share_one_dispatcher() -> None:
    """`lockstep`: accounts in groups fed by one dispatcher; each round reaches every
    member of the group within 150 ms, and groups keep their own rounds."""
    doc = {"hours": 4, "start": 1_775_001_600, "personas": [
        {"persona": "cot_hydra", "kind": "campaign", "campaign": "c", "accounts": 6,
         "rate": [20, 30], "lockstep": 3}]}
    records, _ = generate(doc, 4, 1.0)
    times: dict[str, list[float]] = {}
    for r in records:
        times.setdefault(r["label"]["actor"], []).append(r["ts"])
    assert sorted(times) == [f"c-{i}" for i in range(6)]
    for group in ((0, 1, 2), (3, 4, 5)):
        first, *others = (times[f"c-{i}"] for i in group)
        assert all(len(o) == len(first) for o in others)
        assert all(abs(a - b) <= 0.15 for o in others for a, b in zip(first, o, strict=True))
    for ts in times.values():
        assert ts == sorted(ts)
    assert times["c-0"] != pytest.approx(times["c-3"], abs=1)


CLASS = {"persona": "saved_prompt", "kind": "legit", "accounts": 35, "rate": [2, 8], "mix": 0.3,
         "batch": 35, "batch_spread": 1200, "age": [0.2, 1.0], "countries": ["ZA"],
         "templates": ["CS101 assignment 4. Show every step of your reasoning for the problem "
                       "below, then state the final answer.\n\n{task}"]}


def class_replay(tmp_path: Path, policy: str | None = None) -> list[dict[str, object]]:
    """`holdout-21`'s university class, registered in one lecture and sharing the course's
    assignment template, among ordinary users (who give the sign-up rate a background)."""
    doc = {"hours": 3, "start": 1_801_206_000, "personas": [
        CLASS, {"persona": "casual", "kind": "legit", "accounts": 120, "countries": ["ZA", "GB"]}]}
    tmp_path.mkdir(parents=True, exist_ok=True)
    scenario = tmp_path / "class.yaml"
    scenario.write_text(json.dumps(doc))  # JSON is YAML
    assert main(["simulate", "--scenario", str(scenario), "--seed", "11", "--out", str(tmp_path)]) == 0
    traffic, directory = tmp_path / "traffic.jsonl", tmp_path / "accounts.jsonl"
    out = tmp_path / "decisions.jsonl"
    default = Path(__file__).parents[1] / "policies" / "default.yaml"
    extra = ["--policy", str(default), "--policy", policy] if policy else []
    assert main(["replay", str(traffic), "--accounts", str(directory), "--decisions", str(out),
                 "--quiet", *extra]) == 0
    return [d for d in map(json.loads, out.open()) if str(d["account"]).startswith("saved_prompt")]


@pytest.mark.xfail(strict=True, raises=AssertionError, reason="a known confusable: the wording asks for the whole "
                   "reasoning, the template is shared, the accounts were registered together; "
                   "a CoT hydra on residential lines shows the same (README, session 11)")
def test_a_class_sharing_a_step_by_step_assignment_is_served(tmp_path: Path) -> None:
    assert all(d["served"] for d in class_replay(tmp_path))


def test_ops_can_vouch_for_a_cohort_the_detector_cannot_tell_from_a_hydra(tmp_path: Path) -> None:
    """The remedy for a confusable: an `allow` rule for the cohort's accounts (or its org)
    serves them whatever their risk, and each decision names the rule that did."""
    refused = {d["account"] for d in class_replay(tmp_path / "plain") if not d["served"]}
    assert refused  # the confusable above, without the rule
    cohort = tmp_path / "cohort.yaml"
    cohort.write_text("version: 1\nrules:\n  - id: cs101-cohort\n    description: vouched for\n"
                      f"    when: {{account_in: {sorted(map(str, refused))}}}\n"
                      "    then: {allow: true}\n")
    decisions = class_replay(tmp_path / "vouched", str(cohort))
    vouched = [d for d in decisions if d["account"] in refused]
    assert vouched and all(d["served"] and d["rule"] == "cs101-cohort" for d in vouched)
    assert any(d["risk"] >= 60 for d in vouched)  # still scored: the audit log shows why
