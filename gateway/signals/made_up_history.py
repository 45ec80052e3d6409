"""Made-up history: requests that carry earlier turns of a conversation the account
never had. Harvesting is single-shot; to pass as an interactive client a pipeline
pastes an invented exchange in front of each task. Honest clients continue their own
conversations: the first turn, or the turn before the last, is one they sent. A
conversation resumed after the gateway lost its state counts once, then as a follow-up.

Needs one state for all of an account's requests (one process, or replay): behind
several processes that do not share state, conversations split across them look
resumed."""

from typing import ClassVar

from pydantic import Field

from gateway.observation import Observation
from gateway.signals.base import Compiled, Finding, Params, Signal
from gateway.state.memory import AccountState, SharedState


class HistoryParams(Params):
    min_orphans: int = Field(
        4, ge=1, description="Conversations continued that the account never began, before it fires."
    )
    min_share: float = Field(
        0.5, gt=0, le=1,
        description="Share of its continued conversations that must be such: a user who resumes a "
        "few after a restart goes on to continue them.",
    )


class MadeUpHistory(Signal[HistoryParams]):
    name: ClassVar[str] = "made_up_history"
    description: ClassVar[str] = "earlier turns of conversations the account never had"
    params_model: ClassVar[type[Params]] = HistoryParams

    def observe(
        self, obs: Observation, account: AccountState, shared: SharedState,
        cfg: Compiled[HistoryParams],
    ) -> Finding | None:
        p = cfg.params
        orphans = account.orphans
        if orphans < p.min_orphans or orphans < p.min_share * (orphans + account.followups):
            return None
        # Each request adds while the pattern holds; the evidence names the counts.
        return self.finding(cfg, f"{orphans} conversations continued that it never began, "
                            f"{account.followups} of its own continued")
