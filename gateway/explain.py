"""Why an account scores what it scores: contributions with evidence, its cluster and
the cluster's members. Used by `distillguard explain` and the admin API."""

from __future__ import annotations

from typing import Any

from gateway.engine import Engine
from gateway.observe import conversing
from gateway.scoring import capped, intent_of, member_risk


def explain(engine: Engine, account: str) -> dict[str, Any] | None:
    state = engine.shared.accounts.peek(account)
    if state is None:
        return None
    policy = engine.policies.current
    state.decay(engine.clock.now(), policy.scoring.half_life)
    cluster = engine.shared.cluster_of(state)
    own = state.own_risk
    risk = own
    if cluster is not None:
        risk = member_risk(own, cluster.risk, policy.scoring.cluster_share)
    # The score the gateway acts on: without intent evidence, capped below refusal.
    intent = intent_of(policy, state)
    risk = capped(policy, risk, intent)
    tier, _ = policy.tier_of(risk)
    return {
        "account": state.account,
        "org": state.org,
        "risk": round(risk, 2),
        "tier": tier,
        "own_risk": round(own, 2),
        "intent": round(intent, 2),
        # Recent requests with strong intent evidence: below the policy's
        # min_intent_share, intent counts 0 (sporadic matches are the text, not the aim).
        "intent_share": round(state.intended / state.scored, 3) if state.scored else 0.0,
        # Judged by its own turns, not its app's system prompt, tools and settings.
        "interactive": conversing(state),
        "followups": state.followups,
        "orphans": state.orphans,
        "requests": state.requests,
        "refused": state.refused,
        "first_seen": state.first_seen,
        "last_seen": state.last_seen,
        "contributions": [
            {"signal": name, "points": round(value, 2), "evidence": state.evidence.get(name, "")}
            for name, value in sorted(state.contributions.items(), key=lambda kv: -kv[1])
        ],
        "cluster": None if cluster is None else {
            "id": cluster.id,
            "risk": round(cluster.risk, 2),
            "size": len(cluster.members),
            "members": sorted(cluster.members)[:100],
            "evidence": list(cluster.evidence),
        },
    }
