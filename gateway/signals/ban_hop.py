"""Ban-hop continuity: a template stream that resumes on a fresh account soon after an
account using it was refused. The hydra replacing a banned head ("a banned account
was replaced at once"): a new account, not an old customer who happened to use the
same prompt before (teachers sharing a rubric prompt from a forum)."""

from typing import ClassVar

from pydantic import Field

from gateway.observation import Observation
from gateway.observe import template_prints
from gateway.signals.base import Compiled, Finding, Params, Signal
from gateway.state.memory import AccountState, SharedState


class BanHopParams(Params):
    window: float = Field(3 * 86400, gt=0, description="Seconds after a refusal that count.")
    min_refused: int = Field(2, ge=1, description="Refused accounts on the template needed.")
    min_variants: int = Field(
        4, ge=1, description="Distinct fillings needed: one prompt pasted by many is no template."
    )
    link_after: int = Field(2, ge=1, description="Own uses of the template before linking.")
    fresh_seconds: float = Field(
        7 * 86400, gt=0,
        description="A replacement is an account created at most this long before it used the "
        "template (accounts directory); without a creation date every account counts.",
    )


class BanHop(Signal[BanHopParams]):
    name: ClassVar[str] = "ban_hop"
    description: ClassVar[str] = "a refused account's template continues on this account"
    params_model: ClassVar[type[Params]] = BanHopParams

    def observe(
        self, obs: Observation, account: AccountState, shared: SharedState,
        cfg: Compiled[BanHopParams],
    ) -> Finding | None:
        for fingerprint in template_prints(obs, account):
            entry = shared.templates.peek(fingerprint)
            if entry is None or entry.refused_at is None:
                continue
            if obs.ts - entry.refused_at > cfg.params.window:
                continue
            if len(entry.refused) < cfg.params.min_refused or account.account in entry.refused:
                continue
            if len(entry.variants) < cfg.params.min_variants:
                continue
            if not _fresh(obs, cfg.params.fresh_seconds):
                continue
            uses = account.templates.get(fingerprint, 0)
            links = tuple(list(entry.refused)[-2:]) if uses >= cfg.params.link_after else ()
            return self.finding(
                cfg, f"template of {len(entry.refused)} refused accounts", links=links
            )
        return None


def _fresh(obs: Observation, fresh_seconds: float) -> bool:
    created = obs.account.created
    # Without a directory an account's age is unknown; when the gateway first saw it says
    # nothing (every account is new to a gateway that just started), so any account counts.
    return created is None or obs.ts - created <= fresh_seconds
