"""The decision engine: one request in, one admission out, and one decision record
when the exchange ends. Called by the ASGI proxy for live traffic and by replay
directly; both see the same engine, the same state and the same clock.

identify → enrich → restrict/observe → score → decide (rules, tiers) → limit;
forward happens outside; `finish` charges usage and records the decision.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

from gateway import apis, observe, scoring
from gateway.apis import Usage
from gateway.clock import Clock
from gateway.decisions import Decision, Metrics, Sink
from gateway.enrich import Enricher
from gateway.identity import AccountDirectory, ClientIPResolver, extract_key
from gateway.limits import Limiter, LimiterProtocol
from gateway.observation import Observation
from gateway.persona import persona_of
from gateway.policy.conditions import holds
from gateway.policy.loader import Policy
from gateway.policy.model import LimitSet
from gateway.policy.store import PolicyStore
from gateway.signals import SIGNALS
from gateway.signups import Signups
from gateway.state.memory import AccountState, SharedState

log = logging.getLogger("distillguard.engine")

JSON_METHODS = {"POST", "PUT", "PATCH"}


@dataclass(slots=True)
class Inbound:
    """A request as the engine sees it, from ASGI or from a replay record."""

    id: str
    ts: float
    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    peer: str
    body: bytes
    content_type: str = ""


@dataclass(slots=True)
class Refusal:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Admission:
    inbound: Inbound
    policy: Policy
    decision: Decision
    shape: apis.Shape
    refusal: Refusal | None = None  # None: forward
    obs: Observation | None = None
    account: AccountState | None = None
    limits: LimitSet | None = None
    factor: float = 1.0
    subjects: tuple[str, ...] = ()
    rate_headers: dict[str, str] = field(default_factory=dict)
    finished: bool = False
    json_body: Any = None


class Engine:
    def __init__(
        self,
        policies: PolicyStore,
        enricher: Enricher,
        directory: AccountDirectory,
        resolver: ClientIPResolver,
        clock: Clock,
        sink: Sink,
        metrics: Metrics | None = None,
        shadow: bool = False,
        max_body_bytes: int = 8 << 20,
        shared: SharedState | None = None,
        limiter: LimiterProtocol | None = None,
    ) -> None:
        self.policies = policies
        self.enricher = enricher
        self.directory = directory
        self.resolver = resolver
        self.clock = clock
        self.sink = sink
        self.metrics = metrics
        self.shadow = shadow
        self.max_body_bytes = max_body_bytes
        self.shared = shared or SharedState()
        if len(directory) and self.shared.signups is None:
            self.shared.signups = Signups(directory.listed())
        self.limiter: LimiterProtocol = limiter or Limiter(clock)
        self._warned_private = False

    # --- admission ------------------------------------------------------------

    def _refuse(
        self, adm: Admission, status: int, action: str, message: str, code: str,
        rule: str | None, reasons: list[str], headers: dict[str, str] | None = None,
    ) -> Admission:
        adm.refusal = Refusal(status, apis.error_body(adm.shape, status, message, code), headers or {})
        d = adm.decision
        d.action, d.status, d.served, d.rule, d.reasons = action, status, False, rule, reasons
        return adm

    async def admit(self, inbound: Inbound) -> Admission:
        policy = self.policies.current  # this request keeps this policy to the end
        headers = inbound.headers
        shape = apis.shape_of(inbound.path, headers)
        decision = Decision(
            id=inbound.id, ts=inbound.ts, account="anonymous", action="allow", served=True,
            status=200, enforced=True, risk=0.0, rule=None, reasons=[], revision=policy.revision,
        )
        adm = Admission(inbound, policy, decision, shape)
        # identify
        try:
            key = _key(headers)
        except ValueError:
            return self._refuse(adm, 400, "reject", "Malformed credential header.",
                                "invalid_header", None, ["reject:bad_header"])
        if key is None:
            return self._refuse(adm, 401, "reject", "Missing API key: send Authorization: Bearer "
                                "<key> or x-api-key.", "missing_api_key", None, ["reject:no_key"])
        account = self.directory.resolve(key)
        decision.account = account.id
        client_ip, forwarded_untrusted = self.resolver.resolve(inbound.peer, headers)
        # parse the body: nothing reaches the upstream that we could not read
        if len(inbound.body) > self.max_body_bytes:
            return self._refuse(adm, 413, "reject", f"Request body exceeds {self.max_body_bytes} "
                                "bytes.", "request_too_large", None, ["reject:too_large"])
        body: Any = None
        if inbound.body and inbound.method in JSON_METHODS:
            ctype = inbound.content_type.split(";", 1)[0].strip().lower()
            if ctype and ctype != "application/json" and not ctype.endswith("+json"):
                return self._refuse(adm, 415, "reject", f"Unsupported media type {ctype!r}: send "
                                    "application/json.", "unsupported_media_type", None,
                                    ["reject:media_type"])
            try:
                body = json.loads(inbound.body)
            except (ValueError, UnicodeDecodeError) as exc:
                return self._refuse(adm, 400, "reject", f"Malformed JSON body: {exc}",
                                    "invalid_json", None, ["reject:bad_json"])
        adm.json_body = body
        # enrich
        self.enricher.maybe_reload(inbound.ts)
        network = self.enricher.lookup(client_ip)
        if network.private and not self.resolver.has_trusted and not self._warned_private:
            self._warned_private = True
            log.warning("requests arrive from %s with no country while no trusted proxies are "
                        "configured: a load balancer in front would hide every client",
                        client_ip)
        prompt = apis.read_prompt(body)
        obs = Observation(
            id=inbound.id, ts=inbound.ts, method=inbound.method, path=inbound.path, shape=shape,
            headers=headers, account=account, network=network, prompt=prompt,
            body_bytes=len(inbound.body), forwarded_untrusted=forwarded_untrusted,
            persona=persona_of(headers),
        )
        adm.obs = obs
        # observe and score
        state = observe.update(self.shared, obs)
        adm.account = state
        findings = []
        # A banned account is refused anyway: spare the signals (an attacker hammering
        # a ban costs us little), but keep its state and templates current.
        observed = state.banned_until <= inbound.ts
        if observed:
            for name, compiled in policy.signals.items():
                if compiled is None:
                    continue
                finding = SIGNALS[name].observe(obs, state, self.shared, compiled)
                if finding is not None:
                    findings.append(finding)
        score = scoring.apply(policy, self.shared, state, findings, inbound.ts, observed)
        risk = score.risk
        reasons = list(score.reasons)
        # decide: ordered rules
        plan = account.plan
        would: tuple[str, str, int, str, list[str]] | None = None  # shadow verdict
        limits_name: str | None = None
        for rule in policy.rules:
            if rule.mode == "off" or not holds(rule.when, obs, risk, reasons):
                continue
            act = rule.then
            shadow = self.shadow or rule.mode == "shadow"
            if act.score is not None:
                if act.score.reason not in reasons:
                    reasons.append(act.score.reason)
                if not shadow:
                    risk = min(100.0, max(0.0, risk + act.score.points))
                continue
            if act.limit is not None:
                if not shadow:
                    limits_name = act.limit
                continue
            if act.allow:
                if not shadow:
                    decision.rule = rule.id
                    break
                continue
            if act.block is not None:
                extra = [act.block.reason] if act.block.reason else []
                if not extra and rule.when.country_in:
                    extra = [f"region:{network.country}"]
                if not extra and rule.when.billing_country_in:
                    extra = [f"region:billing:{account.billing_country}"]
                if shadow:
                    if would is None:
                        would = ("block", rule.id, act.block.status, act.block.message, extra)
                    continue
                decision.risk = round(risk, 2)
                return self._refuse(adm, act.block.status, "block", act.block.message,
                                    "policy_violation", rule.id, [*extra, *reasons])
        risk = score.capped(policy, risk)
        decision.risk = round(risk, 2)
        tier_name, tier = policy.tier_of(risk)
        banned = state.banned_until > inbound.ts
        if (tier.block or banned) and decision.rule is None:
            block_name = tier_name if tier.block else _blocking_tier(policy)
            rule_id = f"tier:{block_name}"
            why = f"risk:{tier_name}" if tier.block else "risk:banned"
            if self.shadow:
                would = would or ("block", rule_id, 403, "", [why])
            else:
                if tier.block:
                    # Hysteresis: a blocked account stays blocked, rather than flapping
                    # around the threshold as its score decays and climbs back.
                    state.banned_until = max(state.banned_until,
                                             inbound.ts + policy.scoring.ban_seconds)
                self._mark_refused(adm)
                return self._refuse(
                    adm, 403, "block", "Request refused: this account's usage pattern violates "
                    "the usage policy.", "policy_violation", rule_id, [why, *reasons],
                )
        # limit
        limits = policy.limits.plans.get(limits_name) if limits_name else policy.plan_limits(plan)
        adm.limits, adm.factor = limits, tier.factor
        limits_rule = f"limits:{limits_name or plan or 'default'}"
        if limits is not None:
            estimate_in = apis.estimate_input_tokens(len(inbound.body))
            estimate_out = prompt.max_tokens if prompt.max_tokens else 1024
            verdict = await self.limiter.check(account.id, limits, tier.factor, estimate_in,
                                               estimate_out)
            adm.rate_headers = verdict.headers
            if verdict.allowed:
                adm.subjects = ((account.id,) if limits.concurrency is not None else ())
            elif self.shadow:
                # A refused check took no slot, so there is none to release later.
                would = would or ("limit", limits_rule, 429, "", [f"limit:{verdict.refused_by}"])
            elif verdict.refused_by == "store unavailable":
                return self._refuse(
                    adm, 503, "limit", "Rate limiting is unavailable; retry shortly.",
                    "limiter_unavailable", limits_rule,
                    ["limit:store_unavailable", *reasons], {"retry-after": "5"})
            else:
                retry = str(int(verdict.retry_after + 0.999))
                return self._refuse(
                    adm, 429, "limit", f"Rate limit reached ({verdict.refused_by}); retry in "
                    f"{retry} s.", "rate_limit_exceeded", limits_rule,
                    [f"limit:{verdict.refused_by}", *reasons],
                    {"retry-after": retry, **rate_headers(adm.shape, verdict.headers)},
                )
        if network.ip is not None and not self.shadow:
            for name, egress, subject in (
                ("egress", policy.limits.egress, network.egress),
                ("egress_net", policy.limits.egress_net, network.net),
                ("egress_asn", policy.limits.egress_asn,
                 f"asn:{network.asn}" if network.asn is not None else None),
            ):
                if egress is None or subject is None:
                    continue
                verdict = await self.limiter.check(subject, egress, 1.0, 0, 0)
                if not verdict.allowed:
                    self._release(adm)
                    retry = str(int(verdict.retry_after + 0.999))
                    return self._refuse(
                        adm, 429, "limit", f"Rate limit for this network reached; retry in {retry} s.",
                        "rate_limit_exceeded", f"limits:{name}",
                        [f"limit:{name} {verdict.refused_by}", *reasons], {"retry-after": retry},
                    )
                if egress.concurrency is not None:
                    adm.subjects = (*adm.subjects, subject)
        if would is not None:
            action, rule_id, status, _, extra = would
            decision.action, decision.rule, decision.status = action, rule_id, status
            decision.enforced = False
            reasons = [*extra, *reasons]
        decision.reasons = reasons
        return adm

    def _mark_refused(self, adm: Admission) -> None:
        if adm.account is not None and adm.obs is not None:
            observe.mark_refused(self.shared, adm.account, adm.obs)

    def _release(self, adm: Admission) -> None:
        for subject in adm.subjects:
            self.limiter.release(subject)
        adm.subjects = ()

    # --- completion -----------------------------------------------------------

    def finish(self, adm: Admission, status: int, usage: Usage, served: bool,
               extra: dict[str, Any] | None = None) -> Decision:
        """Charge usage, release slots, record the decision. Idempotent."""
        decision = adm.decision
        if adm.finished:
            return decision
        adm.finished = True
        self._release(adm)
        decision.served = served
        if served:
            if decision.enforced and decision.action == "allow":
                decision.status = status
            if adm.limits is not None and adm.account is not None and usage.known:
                self.limiter.charge(adm.account.account, adm.limits, adm.factor,
                                    usage.input_tokens, usage.output_tokens)
            if adm.account is not None:
                observe.charge_tokens(adm.account, usage.output_tokens)
        if extra:
            decision.extra = extra
        self.sink.put(decision)
        if self.metrics is not None:
            self.metrics.count(decision)
        return decision


def _blocking_tier(policy: Policy) -> str:
    return next((name for name, tier in policy.tiers if tier.block), "blocked")


def _key(headers: dict[str, str]) -> str | None:
    key = extract_key(headers)
    if key is not None and (len(key) > 512 or not key.isprintable()):
        raise ValueError("bad key")
    return key


def rate_headers(shape: apis.Shape, values: dict[str, str]) -> dict[str, str]:
    """The API's own rate-limit headers from the limiter's numbers."""
    out: dict[str, str] = {}
    for name, value in values.items():
        part, _, unit = name.partition("-")  # limit|remaining|reset, requests|tokens
        if shape == "anthropic":
            out[f"anthropic-ratelimit-{unit}-{part}"] = value
        else:
            out[f"x-ratelimit-{part}-{unit}"] = value
    return out
