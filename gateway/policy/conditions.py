"""Does a rule's condition hold for this request? Pure, cheap, no I/O."""

from __future__ import annotations

from gateway.observation import Observation
from gateway.policy.model import Condition


def _network(obs: Observation, kind: str) -> bool:
    net = obs.network
    if kind == "forwarded_untrusted":
        return obs.forwarded_untrusted
    if kind == "private":
        return net.private
    return bool(getattr(net, kind))


def _reason(reasons: list[str], wanted: list[str]) -> bool:
    for want in wanted:
        if want.endswith("*"):
            if any(r.startswith(want[:-1]) for r in reasons):
                return True
        elif want in reasons:
            return True
    return False


def holds(when: Condition, obs: Observation, risk: float, reasons: list[str]) -> bool:
    country = obs.network.country
    account = obs.account
    if when.country_in is not None and country not in when.country_in:
        return False
    if when.country_not_in is not None and (country is None or country in when.country_not_in):
        return False
    if when.unknown_country is not None and (country is None) != when.unknown_country:
        return False
    if when.billing_country_in is not None and account.billing_country not in when.billing_country_in:
        return False
    if when.org_in is not None and account.org not in when.org_in:
        return False
    if when.account_in is not None and account.id not in when.account_in:
        return False
    if when.plan_in is not None and account.plan not in when.plan_in:
        return False
    if when.network_any is not None and not any(_network(obs, k) for k in when.network_any):
        return False
    if when.asn_in is not None and obs.network.asn not in when.asn_in:
        return False
    if when.path_prefix is not None and not obs.path.startswith(when.path_prefix):
        return False
    if when.model_prefix is not None and not obs.prompt.model.startswith(when.model_prefix):
        return False
    if when.risk_at_least is not None and risk < when.risk_at_least:
        return False
    return not (when.reason_any is not None and not _reason(reasons, when.reason_any))
