"""Volume against what the account's plan expects: decayed requests and output tokens
per hour. Thresholds are set from legitimate traffic (see policies/README.md)."""

from typing import ClassVar

from pydantic import Field

from gateway.observation import Observation
from gateway.signals.base import Compiled, Finding, Params, Signal
from gateway.state.memory import AccountState, SharedState


class VolumeParams(Params):
    requests_per_hour: float = Field(400, gt=0, description="Decayed req/h above which it fires.")
    tokens_per_hour: float = Field(400_000, gt=0, description="Decayed output tokens/h likewise.")
    exempt_plans: list[str] = Field(
        default_factory=lambda: ["enterprise"], description="Plans whose volume is expected."
    )


class Volume(Signal[VolumeParams]):
    name: ClassVar[str] = "volume"
    description: ClassVar[str] = "sustained volume far above the plan's normal"
    params_model: ClassVar[type[Params]] = VolumeParams

    def observe(
        self, obs: Observation, account: AccountState, shared: SharedState,
        cfg: Compiled[VolumeParams],
    ) -> Finding | None:
        p = cfg.params
        if obs.account.plan in p.exempt_plans:
            return None
        over = max(account.rate / p.requests_per_hour, account.tokens / p.tokens_per_hour)
        if over < 1:
            return None
        return self.finding(
            cfg, f"{account.rate:.0f} req/h, {account.tokens:.0f} tok/h", scale=min(1.0, over / 4)
        )
