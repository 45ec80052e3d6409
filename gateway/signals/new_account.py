"""A new account that starts heavy at once: farmed accounts are bought to harvest,
not to try things out. Age comes from the accounts directory; without a creation
date the signal stays silent (when the gateway first saw a key says nothing about
the account's age: every account is new to a gateway that just started)."""

from typing import ClassVar

from pydantic import Field

from gateway.observation import Observation
from gateway.signals.base import Compiled, Finding, Params, Signal
from gateway.state.memory import AccountState, SharedState


class NewAccountParams(Params):
    young_seconds: float = Field(2 * 86400, gt=0, description="An account this young is new.")
    heavy_per_hour: float = Field(60, gt=0, description="Decayed requests per hour that is heavy.")


class NewAccount(Signal[NewAccountParams]):
    name: ClassVar[str] = "new_account"
    description: ClassVar[str] = "a young account with immediate heavy use"
    params_model: ClassVar[type[Params]] = NewAccountParams

    def observe(
        self, obs: Observation, account: AccountState, shared: SharedState,
        cfg: Compiled[NewAccountParams],
    ) -> Finding | None:
        created = obs.account.created
        if created is None:
            return None
        age = obs.ts - created
        if age > cfg.params.young_seconds or account.rate < cfg.params.heavy_per_hour:
            return None
        return self.finding(cfg, f"age {age / 3600:.1f} h, {account.rate:.0f} req/h")
