"""Load, validate and compile policy files. The same loader serves `serve`, `check`
and `replay`, so what `check` accepts is what the server runs.

Errors name the file, the line, the rule id and the field.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from gateway.policy.model import Limits, LimitSet, PolicyFile, RiskTier, Rule, Scoring, SignalConfig


class PolicyError(Exception):
    """One or more problems in policy files; `problems` lists them, one a line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Policy:
    """The compiled, immutable policy that the engine reads. Swapped whole on reload."""

    rules: tuple[Rule, ...]
    limits: Limits
    scoring: Scoring
    signals: dict[str, Any]  # name -> the signal's validated, compiled config
    revision: str
    sources: tuple[str, ...]
    warn_unknown_country: bool = True
    tiers: tuple[tuple[str, RiskTier], ...] = field(default=())
    intent: frozenset[str] = frozenset()  # scoring.intent_signals, for membership tests

    def tier_of(self, risk: float) -> tuple[str, RiskTier]:
        chosen = self.tiers[0]
        for name, tier in self.tiers:
            if risk >= tier.at:
                chosen = (name, tier)
        return chosen

    def plan_limits(self, plan: str | None) -> LimitSet | None:
        plans = self.limits.plans
        if plan is not None and plan in plans:
            return plans[plan]
        return plans.get("default")


def _lines(node: yaml.Node, path: tuple[Any, ...], out: dict[tuple[Any, ...], int]) -> None:
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = key.value
            out[(*path, name)] = key.start_mark.line + 1
            _lines(value, (*path, name), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _lines(item, (*path, i), out)


def _line_of(loc: tuple[Any, ...], lines: dict[tuple[Any, ...], int]) -> int:
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return 1


def _rule_id(data: Any, loc: tuple[Any, ...]) -> str | None:
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        try:
            rid = data["rules"][loc[1]].get("id")
            return str(rid) if rid is not None else None
        except (KeyError, IndexError, TypeError, AttributeError):
            return None
    return None


def parse_file(path: Path, text: str | None = None) -> tuple[PolicyFile, dict[tuple[Any, ...], int]]:
    """Parse and validate one file; raise PolicyError naming file, line, rule, field."""
    try:
        source = path.read_text() if text is None else text
    except OSError as exc:
        raise PolicyError([f"{path}: cannot read: {exc.strerror or exc}"]) from exc
    try:
        node = yaml.compose(source)
        data = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise PolicyError([f"{path}{line}: invalid YAML: {problem}"]) from exc
    lines: dict[tuple[Any, ...], int] = {}
    if node is not None:
        _lines(node, (), lines)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise PolicyError([f"{path}:1: the top level must be a mapping"])
    try:
        return PolicyFile.model_validate(data), lines
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
            rule = _rule_id(data, loc)
            where = f"{path}:{_line_of(loc, lines)}"
            fld = ".".join(str(p) for p in loc) or "(top level)"
            msg = err["msg"]
            if err["type"] == "extra_forbidden":
                msg = f"unknown key {loc[-1]!r}"
            problems.append(f"{where}: {f'rule {rule}: ' if rule else ''}{fld}: {msg}")
        raise PolicyError(problems) from exc


def compile_policy(
    paths: Sequence[Path], texts: Iterable[str | None] | None = None, registry: Any = None
) -> Policy:
    """Load every file, merge, cross-check, compile. Raises PolicyError with all problems."""
    if registry is None:
        from gateway.signals import SIGNALS as registry
    texts_list = list(texts) if texts is not None else [None] * len(paths)
    problems: list[str] = []
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    limits = Limits()
    scoring: Scoring | None = None
    digest = hashlib.sha256()
    warn = True
    parsed: list[tuple[Path, PolicyFile, dict[tuple[Any, ...], int]]] = []
    for path, text in zip(paths, texts_list, strict=True):
        try:
            policy_file, lines = parse_file(path, text)
        except PolicyError as exc:
            problems.extend(exc.problems)
            continue
        parsed.append((path, policy_file, lines))
        digest.update(path.name.encode() + b"\0")
        digest.update((text if text is not None else path.read_text()).encode())
    for path, policy_file, lines in parsed:
        warn = warn and policy_file.warn_unknown_country
        for i, rule in enumerate(policy_file.rules):
            line = lines.get(("rules", i), 1)
            if rule.id in seen:
                problems.append(
                    f"{path}:{line}: rule {rule.id}: id: duplicate id (first in {seen[rule.id]})"
                )
            seen[rule.id] = f"{path}:{line}"
            rules.append(rule)
        if policy_file.limits is not None:
            limits = Limits(
                plans={**limits.plans, **policy_file.limits.plans},
                egress=policy_file.limits.egress or limits.egress,
                egress_net=policy_file.limits.egress_net or limits.egress_net,
                egress_asn=policy_file.limits.egress_asn or limits.egress_asn,
            )
        if policy_file.scoring is not None:
            scoring = policy_file.scoring
    scoring = scoring or Scoring()
    compiled: dict[str, Any] = {}
    for name, config in scoring.signals.items():
        where = _where(parsed, ("scoring", "signals", name))
        if name not in registry:
            known = ", ".join(sorted(registry))
            problems.append(f"{where}: scoring.signals.{name}: unknown signal (known: {known})")
            continue
        try:
            compiled[name] = registry[name].compile(config)
        except (ValueError, TypeError) as exc:
            problems.append(f"{where}: scoring.signals.{name}.params: {exc}")
    for name in scoring.intent_signals:
        if name not in registry:
            where = _where(parsed, ("scoring", "signals", name))
            problems.append(f"{where}: scoring.intent_signals: unknown signal {name!r}")
    blocking = [(tier.at, name) for name, tier in scoring.tiers.items() if tier.block]
    if blocking and scoring.min_intent > 0 and scoring.max_without_intent >= min(blocking)[0]:
        at, name = min(blocking)
        problems.append(
            f"{_where(parsed, ('scoring', 'max_without_intent'), ('scoring', 'tiers', name))}: "
            f"scoring.max_without_intent: {scoring.max_without_intent:g} is not below the blocking "
            f"tier {name!r} at {at:g}, so accounts without intent evidence could be refused; "
            "lower it, or set min_intent: 0 to let coordination alone refuse")
    for rule in rules:
        target = rule.then.limit
        if target is not None and target not in limits.plans:
            problems.append(
                f"{seen[rule.id]}: rule {rule.id}: then.limit: no limits plan named {target!r}"
            )
    if problems:
        raise PolicyError(problems)
    tiers = tuple(sorted(scoring.tiers.items(), key=lambda kv: kv[1].at))
    if not tiers or tiers[0][1].at > 0:
        tiers = (("normal", RiskTier(at=0)), *tiers)
    return Policy(
        rules=tuple(rules),
        limits=limits,
        scoring=scoring,
        signals=compiled,
        revision=digest.hexdigest()[:12],
        sources=tuple(str(p) for p in paths),
        warn_unknown_country=warn,
        tiers=tiers,
        intent=frozenset(scoring.intent_signals),
    )


def _where(
    parsed: list[tuple[Path, PolicyFile, dict[tuple[Any, ...], int]]], *keys: tuple[Any, ...]
) -> str:
    """file:line of the first of `keys` found, the last file that sets it winning."""
    for key in keys:
        for path, _, lines in reversed(parsed):
            if key in lines:
                return f"{path}:{lines[key]}"
    return str(parsed[-1][0]) if parsed else "policy"


def signal_config(policy: Policy, name: str) -> SignalConfig | None:
    return policy.scoring.signals.get(name)
