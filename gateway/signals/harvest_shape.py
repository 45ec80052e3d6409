"""Request shape of output harvesting: max_tokens at or near the cap, thinking always
on, tools offered but never a tool result (single-shot agentic transcripts), logprob
or logit-bias probing. Each honest client shows some of these; together they add up.
An app's interactive user (observe.in_app) is not judged by its app's settings."""

from typing import ClassVar

from pydantic import Field

from gateway.observation import Observation
from gateway.observe import in_app
from gateway.signals.base import Compiled, Finding, Params, Signal
from gateway.state.memory import AccountState, SharedState


class HarvestParams(Params):
    max_tokens_at: int = Field(8000, ge=1, description="max_tokens at or above this counts.")
    flags_needed: int = Field(2, ge=1, le=5, description="Flags needed before it fires.")


class HarvestShape(Signal[HarvestParams]):
    name: ClassVar[str] = "harvest_shape"
    description: ClassVar[str] = "request parameters typical of bulk output harvesting"
    params_model: ClassVar[type[Params]] = HarvestParams

    def observe(
        self, obs: Observation, account: AccountState, shared: SharedState, cfg: Compiled[HarvestParams]
    ) -> Finding | None:
        p = obs.prompt
        flags = []
        # An app's max_tokens and thinking are the same for all its users: they say
        # nothing about this account. Without an app in the request they are the
        # account's own choice, conversing or not (a hydra continuing its own exchanges).
        if not in_app(obs, account):
            if p.max_tokens is not None and p.max_tokens >= cfg.params.max_tokens_at:
                flags.append("max_tokens")
            if p.thinking:
                flags.append("thinking")
        if p.tools and not p.tool_results and p.turns <= 1:
            flags.append("tools_single_shot")
        if p.logprobs or p.logit_bias:
            flags.append("logprobs")
        if p.turns <= 1 and p.temperature is not None and p.temperature == 0:
            flags.append("greedy_single_shot")
        if len(flags) < cfg.params.flags_needed:
            return None
        return self.finding(cfg, "+".join(flags), scale=min(1.0, len(flags) / 3))
