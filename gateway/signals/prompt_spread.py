"""One prompt, resampled by many unrelated accounts: each account sends the same
substantial prompt again and again (harvesting samples of one answer), and several
accounts of different organisations do it with the very same prompt. A viral prompt
is sent once by many people; a shared study prompt is resampled by a few. Bulk
generation spread over a hydra does both."""

from typing import ClassVar

from pydantic import Field

from gateway.observation import Observation
from gateway.signals.base import Compiled, Finding, Params, Signal
from gateway.state.memory import AccountState, SharedState


class PromptSpreadParams(Params):
    window: float = Field(3600, gt=0, description="Seconds an account's resampling counts.")
    min_accounts: int = Field(
        4, ge=1, description="Other accounts resampling the same prompt before it fires.")
    full_at: int = Field(10, ge=1, description="Other accounts at which it gives full points.")
    max_links: int = Field(3, ge=0, description="Accounts linked into the cluster per request.")


class PromptSpread(Signal[PromptSpreadParams]):
    name: ClassVar[str] = "prompt_spread"
    description: ClassVar[str] = "one prompt resampled by many unrelated accounts"
    params_model: ClassVar[type[Params]] = PromptSpreadParams

    def observe(
        self, obs: Observation, account: AccountState, shared: SharedState,
        cfg: Compiled[PromptSpreadParams],
    ) -> Finding | None:
        if not obs.prompt_hash:
            return None
        p = cfg.params
        seen = shared.resampled.peek(obs.prompt_hash)
        if seen is None or len(seen) <= p.min_accounts or account.account not in seen:
            return None
        others, _ = shared.others(seen, account, obs.ts - p.window, p.full_at)
        if len(others) < p.min_accounts:
            return None
        return self.finding(cfg, f"same prompt resampled by {len(others)} other accounts",
                            scale=min(1.0, len(others) / p.full_at),
                            links=tuple(others[: p.max_links]))
