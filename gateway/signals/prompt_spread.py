"""One prompt, resampled by many unrelated accounts: each account sends the same
substantial prompt again and again (harvesting samples of one answer), and several
accounts of different organisations do it with the very same prompt. A viral prompt
is sent once by many people; a shared study prompt is resampled by a few, for an hour.
Bulk generation spread over a hydra does both, hour after hour: only then may it fill
its cap, which with `repetition` reaches the block."""

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
    sustained: float = Field(
        7200, ge=0,
        description="Seconds of resampling, hour after hour, before the signal may fill its "
        "whole cap: a class told to run one prompt several times is done within the hour, "
        "a pipeline goes on.",
    )
    brief_share: float = Field(
        2 / 3, ge=0, le=1, description="Share of the cap open to resampling not yet sustained."
    )


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
        since = account.repeats.get(obs.prompt_hash, (0, obs.ts, obs.ts))[2]
        hours = (obs.ts - since) / 3600
        sustained = obs.ts - since >= p.sustained
        return self.finding(cfg, f"same prompt resampled by {len(others)} other accounts, "
                            f"by this one for {hours:.1f} h",
                            scale=min(1.0, len(others) / p.full_at),
                            links=tuple(others[: p.max_links]),
                            cap_scale=1.0 if sustained else p.brief_share)
