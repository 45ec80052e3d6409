"""Egress fan-in: many accounts behind one IP or /24 (/48 for IPv6) within a window.
Hydra clusters share commercial proxy egress; accounts of one organisation behind
its NAT are expected and do not count against each other."""

from typing import ClassVar

from pydantic import Field

from gateway.observation import Observation
from gateway.signals.base import Compiled, Finding, Params, Signal
from gateway.state.memory import AccountState, SharedState


class FanInParams(Params):
    window: float = Field(3600, gt=0, description="Seconds an account's use of an egress counts.")
    min_accounts: int = Field(8, ge=2, description="Accounts on one IP (other orgs) to fire.")
    min_accounts_net: int = Field(24, ge=2, description="Accounts on one /24 or /48 to fire.")


class FanIn(Signal[FanInParams]):
    name: ClassVar[str] = "fan_in"
    description: ClassVar[str] = "many unrelated accounts share one egress"
    params_model: ClassVar[type[Params]] = FanInParams

    def observe(
        self, obs: Observation, account: AccountState, shared: SharedState,
        cfg: Compiled[FanInParams],
    ) -> Finding | None:
        if obs.network.ip is None or obs.network.private:
            return None
        p = cfg.params
        horizon = obs.ts - p.window
        worst = 0.0
        evidence = ""
        net = obs.network
        for key, needed in ((net.egress, p.min_accounts), (net.net, p.min_accounts_net)):
            seen = shared.egress.peek(key)
            if seen is None or len(seen) < needed:
                continue
            # Full points at twice the threshold: no need to count further.
            others, _ = shared.others(seen, account, horizon, 2 * needed)
            count = len(others)
            if count >= needed and count / needed > worst:
                worst, evidence = count / needed, f"{count} accounts on {key}"
        if not worst:
            return None
        return self.finding(cfg, evidence, scale=min(1.0, worst / 2))

