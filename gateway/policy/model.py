"""The policy schema: what ops write in YAML. Every field has a description; unknown
keys are errors. Compiled once into an immutable `Policy` (see loader.py)."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from gateway.policy.countries import ISO_COUNTRIES

Mode = Literal["enforce", "shadow", "off"]
NetworkKind = Literal[
    "tor", "vpn", "hosting", "public_proxy", "residential_proxy", "private", "forwarded_untrusted"
]
RATE = re.compile(r"^\s*\d+\s*(/|per)\s*(\d+\s*)?(second|minute|hour|day|month|year)s?\s*$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _countries(values: list[str]) -> list[str]:
    out = []
    for value in values:
        code = value.upper()
        if code not in ISO_COUNTRIES:
            raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
        out.append(code)
    return out


def _rate(value: str) -> str:
    if not RATE.match(value):
        raise ValueError(f"{value!r} is not a rate like '60/minute' or '1000 per day'")
    return value


class Condition(Strict):
    """All the fields given must hold (AND); a rule without `when` always matches."""

    country_in: list[str] | None = Field(None, description="Client IP's country is one of these.")
    country_not_in: list[str] | None = Field(None, description="Client IP's country is none of these.")
    unknown_country: bool | None = Field(
        None, description="True: the client IP has no country (private, loopback, unrouted)."
    )
    billing_country_in: list[str] | None = Field(
        None, description="The account's billing country (accounts directory) is one of these."
    )
    org_in: list[str] | None = Field(None, description="The account's organisation is one of these.")
    account_in: list[str] | None = Field(None, description="The account id is one of these.")
    plan_in: list[str] | None = Field(None, description="The account's plan is one of these.")
    network_any: list[NetworkKind] | None = Field(
        None, description="The client network has any of these properties."
    )
    asn_in: list[int] | None = Field(None, description="The client IP's ASN is one of these.")
    path_prefix: str | None = Field(None, description="The request path starts with this.")
    model_prefix: str | None = Field(None, description="The requested model starts with this.")
    risk_at_least: float | None = Field(
        None, ge=0, le=100, description="The account's risk score so far is at least this."
    )
    reason_any: list[str] | None = Field(
        None, description="Any of these reason codes (or `prefix:*`) was found on this request."
    )

    _c1 = field_validator("country_in", "country_not_in", "billing_country_in")(
        lambda v: None if v is None else _countries(v)
    )


class BlockAction(Strict):
    status: Literal[403, 451] = Field(403, description="403 for policy, 451 for legal restriction.")
    message: str = Field("Request refused by policy.", description="Shown to the client.")
    reason: str | None = Field(None, description="Reason code added to the decision.")


class ScoreAction(Strict):
    points: float = Field(..., ge=-100, le=100, description="Added to the risk score.")
    reason: str = Field(..., description="Reason code for the contribution, e.g. network:tor_exit.")


class Action(Strict):
    """Exactly one of the fields."""

    allow: bool | None = Field(None, description="Forward, and stop evaluating later rules.")
    block: BlockAction | None = Field(None, description="Refuse the request.")
    limit: str | None = Field(None, description="Apply this limits tier instead of the plan's.")
    score: ScoreAction | None = Field(None, description="Add to the risk score and go on.")

    @model_validator(mode="after")
    def _one(self) -> Action:
        given = [n for n in ("allow", "block", "limit", "score") if getattr(self, n) is not None]
        if len(given) != 1:
            raise ValueError(f"an action needs exactly one of allow, block, limit, score; got {given}")
        return self


class Rule(Strict):
    id: str = Field(..., pattern=r"^[a-z0-9][a-z0-9_.-]*$", description="Unique across files.")
    description: str = Field(..., min_length=1, description="What the rule is for, for ops.")
    mode: Mode = Field("enforce", description="enforce, shadow (decide and log only) or off.")
    when: Condition = Field(default_factory=Condition, description="When the rule applies.")
    then: Action = Field(..., description="What the rule does.")


class LimitSet(Strict):
    """A set of limits; each rate is a `limits` string like `60/minute`."""

    requests: list[Annotated[str, Field()]] = Field(
        default_factory=list, description="Request rates, e.g. ['60/minute', '10000/day']."
    )
    input_tokens: list[str] = Field(default_factory=list, description="Input-token rates.")
    output_tokens: list[str] = Field(default_factory=list, description="Output-token rates.")
    concurrency: int | None = Field(None, ge=1, description="In-flight requests, streams included.")
    fail: Literal["open", "closed"] = Field(
        "open", description="When the shared store is down: local fallback (open) or refuse (closed)."
    )

    _r = field_validator("requests", "input_tokens", "output_tokens")(
        lambda v: [_rate(x) for x in v]
    )


class RiskTier(Strict):
    at: float = Field(..., ge=0, le=100, description="Lowest risk score in this tier.")
    factor: float = Field(
        1.0, ge=0, le=1, description="Multiplier on the plan's limits (1 keeps them)."
    )
    block: bool = Field(False, description="Refuse every request of an account in this tier.")


class Limits(Strict):
    plans: dict[str, LimitSet] = Field(
        default_factory=dict, description="Limits by plan; `default` serves accounts with no plan."
    )
    egress: LimitSet | None = Field(
        None, description="Limits per client IP across every account behind it."
    )
    egress_net: LimitSet | None = Field(
        None, description="Limits per /24 (IPv4) or /48 (IPv6) across every account behind it."
    )
    egress_asn: LimitSet | None = Field(None, description="Limits per ASN across every account.")


class SignalConfig(Strict):
    """Common to every signal; each signal's own parameters sit in `params`."""

    enabled: bool = Field(True, description="Off: the signal is not computed.")
    points: float = Field(..., ge=0, le=100, description="Risk contribution when it fires.")
    cap: float = Field(100, ge=0, le=100, description="Most this signal adds in total.")
    params: dict[str, float | int | str | bool | list[str]] = Field(
        default_factory=dict, description="Parameters of the signal (see policies/README.md)."
    )


class Scoring(Strict):
    tiers: dict[str, RiskTier] = Field(
        default_factory=lambda: {"normal": RiskTier(at=0)},
        description="Risk tiers by name: the tier is the highest whose `at` is reached.",
    )
    half_life: float = Field(
        6 * 3600, gt=0, description="Seconds for an account's accumulated risk to halve."
    )
    ban_seconds: float = Field(
        6 * 3600, ge=0, description="Once in a blocking tier, an account stays refused this long."
    )
    cluster_share: float = Field(
        0.8, ge=0, le=1, description="Share of a cluster's risk that flows to each member."
    )
    signals: dict[str, SignalConfig] = Field(
        default_factory=dict, description="Signal name → its config (see gateway/signals)."
    )
    intent_signals: list[str] = Field(
        default_factory=lambda: ["cot_elicitation", "rubric_grading", "preference_data",
                                 "bulk_generation", "identity_probe", "harvest_shape", "made_up_history",
                                 "repetition", "ban_hop"],
        description="Signals that show harvesting intent (what is asked, not who asks with whom).",
    )
    min_intent: float = Field(
        10, ge=0, le=100,
        description="Intent points an account needs before it can be refused: above what weak "
        "evidence of one signal adds (a weak match counts 30% of the cap: 9 of 30).",
    )
    min_intent_share: float = Field(
        0.1, ge=0, le=1,
        description="Share of an account's recent requests (decayed with `half_life`) that must "
        "carry strong evidence from an intent signal before its intent counts: a campaign sends "
        "its template on most requests, while an honest account's text matches a content rule "
        "now and then (a few in hundreds).",
    )
    max_without_intent: float = Field(
        55, ge=0, le=100,
        description="Risk cap for accounts without intent evidence: coordination alone "
        "(shared egress, shared templates, timing) throttles but never refuses. Must be below "
        "the lowest blocking tier unless min_intent is 0 (checked when the policy loads).",
    )


class PolicyFile(Strict):
    """One policy file. Several files merge: rules append, later maps override."""

    version: Literal[1] = Field(1, description="Schema version.")
    description: str | None = Field(None, description="What this policy is for.")
    rules: list[Rule] = Field(default_factory=list, description="Ordered rules.")
    limits: Limits | None = Field(None, description="Per-account and per-egress limits.")
    scoring: Scoring | None = Field(None, description="Risk scoring and signals.")
    warn_unknown_country: bool = Field(
        True, description="Warn once when IPs with no country arrive and no proxy is trusted."
    )
