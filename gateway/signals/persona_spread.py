"""One rare client persona, many unrelated accounts: accounts driven by one operator's
code share its user agent, SDK headers and header order, while people spread over the
stock SDKs and browsers. A persona counts only when it is rare among the accounts
active this hour (a stock SDK is shared by a large share of them) and the deployment
is large enough for that share to mean something."""

from typing import ClassVar

from pydantic import Field

from gateway.observation import Observation
from gateway.observe import PERSONA_ACCOUNTS
from gateway.signals.base import Compiled, Finding, Params, Signal
from gateway.state.memory import AccountState, SharedState


class PersonaSpreadParams(Params):
    window: float = Field(3600, gt=0, description="Seconds an account's use of a persona counts.")
    min_accounts: int = Field(6, ge=1, description="Other accounts (other orgs) on the persona to fire.")
    full_at: int = Field(20, ge=1, description="Other accounts at which it gives full points.")
    max_share: float = Field(
        0.02, gt=0, le=1, description="Largest share of this hour's active accounts a rare persona has.")
    min_population: int = Field(
        500, ge=1, description="Active accounts this hour below which no persona is judged rare.")
    max_links: int = Field(3, ge=0, description="Accounts linked into the cluster per request.")


class PersonaSpread(Signal[PersonaSpreadParams]):
    name: ClassVar[str] = "persona_spread"
    description: ClassVar[str] = "one rare client persona shared by many unrelated accounts"
    params_model: ClassVar[type[Params]] = PersonaSpreadParams

    def observe(
        self, obs: Observation, account: AccountState, shared: SharedState,
        cfg: Compiled[PersonaSpreadParams],
    ) -> Finding | None:
        if not obs.persona:
            return None
        p = cfg.params
        seen = shared.personas.peek(obs.persona)
        if seen is None or len(seen) <= p.min_accounts or len(seen) >= PERSONA_ACCOUNTS:
            return None  # too few to matter, or a stock client shared by very many
        population = shared.active_accounts(int(obs.ts // 3600))
        if population < p.min_population:
            return None
        # Scan all (no limit): the share needs every account on the persona this hour.
        others, users = shared.others(seen, account, obs.ts - p.window, len(seen))
        if len(others) < p.min_accounts or users > p.max_share * population:
            return None
        return self.finding(cfg, f"client persona shared by {len(others)} other accounts "
                                 f"({users} of {population} active)",
                            scale=min(1.0, len(others) / p.full_at),
                            links=tuple(others[: p.max_links]))
