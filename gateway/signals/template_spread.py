"""One prompt template, many accounts: the same skeleton (system prompt, the head or
tail of the user turn, the tool set) from accounts of different organisations within
a window. The hydra's "highly repetitive structures" seen across the cluster."""

from typing import ClassVar

from pydantic import Field

from gateway.observation import Observation
from gateway.observe import conversing, template_prints
from gateway.signals.base import Compiled, Finding, Params, Signal
from gateway.state.memory import AccountState, SharedState


class SpreadParams(Params):
    window: float = Field(86400, gt=0, description="Seconds an account's use of a template counts.")
    min_accounts: int = Field(2, ge=1, description="Other accounts needed before it fires.")
    full_at: int = Field(6, ge=2, description="Other accounts at which it gives full points.")
    max_links: int = Field(3, ge=0, description="Accounts linked into the cluster per request.")
    min_variants: int = Field(
        4, ge=1, description="Distinct fillings needed: one prompt pasted by many is no template."
    )
    link_after: int = Field(3, ge=1, description="Own uses of the template before linking.")
    full_focus: float = Field(
        0.7, gt=0, le=1,
        description="Share of the account's requests on the template at which the signal may "
        "fill its whole cap; below it the cap shrinks in proportion.",
    )
    unseen_per_day: float = Field(
        1 / 3, ge=0,
        description="Ordinary requests assumed per day of the account's age (accounts directory) "
        "that the gateway never saw, up to `unseen_max`: a customer of months is not judged by "
        "its first few requests here. One is assumed for every account.",
    )
    unseen_max: float = Field(10, ge=0, description="Most ordinary requests assumed unseen.")


class TemplateSpread(Signal[SpreadParams]):
    name: ClassVar[str] = "template_spread"
    description: ClassVar[str] = "one prompt template used by many unrelated accounts"
    params_model: ClassVar[type[Params]] = SpreadParams

    def observe(
        self, obs: Observation, account: AccountState, shared: SharedState,
        cfg: Compiled[SpreadParams],
    ) -> Finding | None:
        p = cfg.params
        horizon = obs.ts - p.window
        best: list[str] = []
        best_fp = 0
        for fingerprint in template_prints(obs, account):
            entry = shared.templates.peek(fingerprint)
            if entry is None or len(entry.accounts) <= p.min_accounts:
                continue
            if len(entry.variants) < p.min_variants:
                continue
            # Users of an app share its system prompt and tools and converse with it: they
            # are not a hydra. A template in the user's own turn is theirs, conversing or
            # not: a hydra that continues its own harvesting exchanges converses too.
            skip = conversing if fingerprint in obs.app_prints else None
            others, _ = shared.others(entry.accounts, account, horizon, p.full_at, skip=skip)
            if len(others) > len(best):
                best, best_fp = others, fingerprint
        if len(best) < p.min_accounts:
            return None
        scale = min(1.0, len(best) / p.full_at)
        # Focus: a hydra's head works the template; someone who also uses the same
        # prompt (a rubric from a forum, a company's system prompt) between their own
        # questions is not as sure a member, however many others share it.
        unseen = 1.0
        if obs.account.created is not None:
            days = max(0.0, obs.ts - obs.account.created) / 86400
            unseen += min(p.unseen_max, days * p.unseen_per_day)
        focus = account.templated / (account.requests + unseen)
        cap_scale = min(1.0, focus / p.full_focus)
        # Link only accounts that keep using the template, not one that pasted it once.
        links = tuple(best[-p.max_links:]) if account.templates.get(best_fp, 0) >= p.link_after else ()
        return self.finding(cfg, f"template shared with {len(best)} accounts, "
                            f"{focus:.0%} of its requests", scale=scale, links=links,
                            cap_scale=cap_scale)
