"""Registered together, working together: accounts of different organisations that
the directory shows were created within minutes of each other (more than the day's
sign-up rate explains) and that now fill the same prompt template. A hydra registers
its heads, and the replacements for banned ones, in batches. Registration alone links
nothing: a class told to sign up in a lecture, or a launch-day rush, registers
together too, but each writes their own prompts."""

from typing import ClassVar

from pydantic import Field

from gateway.observation import Observation
from gateway.observe import TEMPLATE_USES, template_prints
from gateway.signals.base import Compiled, Finding, Params, Signal
from gateway.state.memory import AccountState, SharedState


class SignupBatchParams(Params):
    window: float = Field(600, gt=0, description="Seconds either side of an account's creation.")
    background: float = Field(
        86400, gt=0, description="Seconds either side whose sign-ups give the expected rate."
    )
    max_p: float = Field(
        1e-6, gt=0, le=1, description="Chance of so many sign-ups in the window at that rate."
    )
    min_size: int = Field(3, ge=2, description="Accounts (this one included) in a batch.")
    max_mates: int = Field(16, ge=1, description="Batch mates remembered per account.")
    max_links: int = Field(3, ge=0, description="Accounts linked into the cluster per request.")


class SignupBatch(Signal[SignupBatchParams]):
    name: ClassVar[str] = "signup_batch"
    description: ClassVar[str] = "registered in one batch with accounts that use its template"
    params_model: ClassVar[type[Params]] = SignupBatchParams

    def observe(
        self, obs: Observation, account: AccountState, shared: SharedState,
        cfg: Compiled[SignupBatchParams],
    ) -> Finding | None:
        prints = template_prints(obs, account)
        if shared.signups is None or obs.account.created is None or not prints:
            return None
        p = cfg.params
        if account.batch_mates is None:  # the directory does not change: ask once
            account.batch_mates, _ = shared.signups.batch(
                obs.account, p.window, p.background, p.max_p, p.min_size, p.max_mates)
        if not account.batch_mates:
            return None
        sharing = []
        for mate in account.batch_mates:
            state = shared.accounts.peek(mate)
            # An interactive client's app prompt never enters its templates (observe's
            # template_prints); a template in its own turns does, conversing or not.
            if state is None:
                continue
            templates = state.templates
            if any(templates.get(fp, 0) >= TEMPLATE_USES for fp in prints):
                sharing.append(mate)
        if not sharing:
            return None
        return self.finding(
            cfg, f"registered with {len(account.batch_mates)} unrelated accounts; "
            f"{len(sharing)} of them use this template", links=tuple(sharing[: p.max_links]))
