"""Findings → risk. The risk score is the sum of named contributions, each capped by
its signal's config and decaying with the policy's half-life; a cluster's risk flows
to its members. Every contribution keeps its evidence for `explain`."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from gateway.policy.loader import Policy
from gateway.signals.base import Finding
from gateway.state.memory import AccountState, Cluster, SharedState


@dataclass(frozen=True, slots=True)
class Score:
    risk: float
    own: float
    cluster: str | None
    cluster_risk: float
    reasons: tuple[str, ...]
    intent: float = 0.0  # points from the policy's intent signals

    def capped(self, policy: Policy, risk: float) -> float:
        return capped(policy, risk, self.intent)


def capped(policy: Policy, risk: float, intent: float) -> float:
    """Coordination without intent throttles but never refuses: a company's colleagues
    behind one NAT share an egress and a template too."""
    if intent < policy.scoring.min_intent:
        return min(risk, policy.scoring.max_without_intent)
    return risk


def intent_of(policy: Policy, account: AccountState) -> float:
    """Points from the intent signals, or 0 while strong intent evidence is sporadic
    (below `min_intent_share` of the account's recent requests)."""
    scoring = policy.scoring
    if account.intended < scoring.min_intent_share * account.scored:
        return 0.0
    return sum(account.contributions.get(name, 0.0) for name in policy.intent)


def _cluster_risk(cluster: Cluster, now: float, half_life: float) -> float:
    if now > cluster.risk_at:
        cluster.risk *= math.exp2(-(now - cluster.risk_at) / half_life)
        cluster.risk_at = now
    return cluster.risk


def apply(
    policy: Policy,
    shared: SharedState,
    account: AccountState,
    findings: Iterable[Finding],
    now: float,
    observed: bool = True,
) -> Score:
    """`observed`: the signals read this request (not while the account is banned:
    requests nobody read must not dilute its share of intent evidence)."""
    scoring = policy.scoring
    account.decay(now, scoring.half_life)
    if observed:
        account.scored += 1
    intended = False
    for finding in findings:
        compiled = policy.signals.get(finding.signal)
        if compiled is None:
            continue
        # Weak evidence (a capped share, cap_scale < 1) is no sign of a habit.
        if finding.cap_scale >= 1 and finding.signal in policy.intent:
            intended = True
        before = account.contributions.get(finding.signal, 0.0)
        cap = compiled.cap * finding.cap_scale
        if before < cap:
            account.contributions[finding.signal] = min(cap, before + finding.points)
        account.evidence[finding.signal] = finding.evidence
        for other in finding.links:
            other_state = shared.accounts.peek(other)
            if other_state is not None:
                shared.link(account, other_state, now, f"{finding.signal}: {finding.evidence}")
    if intended:
        account.intended += 1
    own = account.own_risk
    cluster = shared.cluster_of(account)
    cluster_risk = 0.0
    risk = own
    if cluster is not None:
        cluster_risk = _cluster_risk(cluster, now, scoring.half_life)
        if own > cluster_risk:
            cluster.risk = cluster_risk = own
        risk = member_risk(own, cluster_risk, scoring.cluster_share)
        touch_member(cluster, account, now)
    reasons = tuple(
        f"signal:{name}" for name, value in sorted(account.contributions.items()) if value >= 1
    )
    if cluster is not None and cluster_risk >= 1:
        reasons = (*reasons, f"cluster:{cluster.id}")
    intent = intent_of(policy, account)
    return Score(round(risk, 2), own, cluster.id if cluster else None, cluster_risk, reasons,
                 intent)


def member_risk(own: float, cluster_risk: float, share: float) -> float:
    """Members inherit a share of the cluster's risk on top of their own."""
    return min(100.0, own + share * max(0.0, cluster_risk - own))


def touch_member(cluster: Cluster, account: AccountState, now: float) -> None:
    cluster.members[account.account] = now
