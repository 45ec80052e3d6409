"""Resampling: one account sending the same substantial prompt over and over within
an hour, harvesting many samples of one answer (bulk generation by temperature).
People retry a prompt a few times; pipelines do it dozens of times."""

from typing import ClassVar

from pydantic import Field

from gateway.observation import Observation
from gateway.signals.base import Compiled, Finding, Params, Signal
from gateway.state.memory import AccountState, SharedState


class RepetitionParams(Params):
    min_repeats: int = Field(4, ge=2, description="Sends of one prompt within the hour to fire.")
    exempt_plans: list[str] = Field(
        default_factory=lambda: ["enterprise"],
        description="Plans whose batch jobs legitimately re-run prompts.",
    )


class Repetition(Signal[RepetitionParams]):
    name: ClassVar[str] = "repetition"
    description: ClassVar[str] = "the same prompt resampled many times"
    params_model: ClassVar[type[Params]] = RepetitionParams

    def observe(
        self, obs: Observation, account: AccountState, shared: SharedState,
        cfg: Compiled[RepetitionParams],
    ) -> Finding | None:
        if not obs.prompt_hash or obs.account.plan in cfg.params.exempt_plans:
            return None
        count, _ = account.repeats.get(obs.prompt_hash, (0, 0.0))
        if count < cfg.params.min_repeats:
            return None
        return self.finding(cfg, f"same prompt {count} times within the hour")
