"""Synchronised timing: unrelated accounts whose requests keep arriving at the same
moments (within a fraction of a second), far more often than their rates explain. A
dispatcher feeding a pool of accounts sends a round to several at once; independent
customers coincide only by chance. The chance is a Poisson bound from each partner's
own rate, not a threshold fitted to campaigns. Colleagues (one organisation) and the
first seconds of each minute (cron) are left out when the arrivals are counted."""

from typing import ClassVar

from pydantic import Field

from gateway.observation import Observation
from gateway.observe import MOMENT
from gateway.signals.base import Compiled, Finding, Params, Signal
from gateway.signups import poisson_tail
from gateway.state.memory import AccountState, SharedState


class LockstepParams(Params):
    min_together: int = Field(6, ge=2, description="Arrivals together with one account, at least.")
    max_p: float = Field(
        1e-6, gt=0, le=1, description="Chance of that many arrivals together at the two rates."
    )
    min_share: float = Field(
        0.5, gt=0, le=1,
        description="Share of this account's requests that arrived together with the partner: "
        "periodic jobs with near-equal periods drift in and out of phase, so their coincidences "
        "come in runs that a Poisson bound understates, but over a small share of their requests.",
    )
    min_partners: int = Field(2, ge=1, description="Accounts in lockstep with this one to fire.")
    max_links: int = Field(3, ge=0, description="Accounts linked into the cluster per request.")


def hourly_rate(state: AccountState, now: float) -> float:
    """Requests per hour: the decayed rate, or the average since first seen when higher
    (the decayed rate of a young account lags its real one, which would make its
    coincidences look rarer than they are)."""
    return max(state.rate, state.requests * 3600 / max(600.0, now - state.first_seen))


class Lockstep(Signal[LockstepParams]):
    name: ClassVar[str] = "lockstep"
    description: ClassVar[str] = "arrives at the same moments as unrelated accounts"
    params_model: ClassVar[type[Params]] = LockstepParams

    def observe(
        self, obs: Observation, account: AccountState, shared: SharedState,
        cfg: Compiled[LockstepParams],
    ) -> Finding | None:
        p = cfg.params
        together = account.together
        if together is None or len(together) < p.min_partners:
            return None
        partners: list[tuple[float, str, int]] = []
        for other, count in together.items():
            if count < p.min_together or count < p.min_share * account.requests:
                continue
            state = shared.accounts.peek(other)
            if state is None:
                continue
            # A pair counts when the later arrival finds the earlier in its own slot or
            # the one before: 1.5 slots either way on average, 3 slots in all.
            expected = account.requests * hourly_rate(state, obs.ts) / 3600 * 3 * MOMENT
            chance = poisson_tail(count, expected)
            if chance < p.max_p:
                partners.append((chance, other, count))
        if len(partners) < p.min_partners:
            return None
        partners.sort()
        chance, first, count = partners[0]
        return self.finding(
            cfg, f"arrives at the same moments as {len(partners)} unrelated accounts "
            f"({count} times with {first}, chance {chance:.0e})",
            links=tuple(other for _, other, _ in partners[: p.max_links]))
