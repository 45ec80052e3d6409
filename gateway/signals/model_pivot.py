"""Model-release pivot: traffic that jumps to a newly released model within hours, from
an account already tied into a cluster. MiniMax redirected about half its traffic to a
new model within 24 hours of its release. A model counts as newly released when the
gateway first sees it after its warm-up (models in use at start-up are not new)."""

from typing import ClassVar

from pydantic import Field

from gateway.observation import Observation
from gateway.signals.base import Compiled, Finding, Params, Signal
from gateway.state.memory import AccountState, SharedState


class PivotParams(Params):
    warmup: float = Field(6 * 3600, ge=0, description="Seconds after start before a model is 'new'.")
    recent: float = Field(48 * 3600, gt=0, description="A model is new this long after first use.")
    clustered_only: bool = Field(True, description="Only accounts already linked into a cluster.")


class ModelPivot(Signal[PivotParams]):
    name: ClassVar[str] = "model_pivot"
    description: ClassVar[str] = "a cluster moving to a newly released model within hours"
    params_model: ClassVar[type[Params]] = PivotParams

    def observe(
        self, obs: Observation, account: AccountState, shared: SharedState,
        cfg: Compiled[PivotParams],
    ) -> Finding | None:
        model = obs.prompt.model[:64]
        released = shared.models.get(model)
        if not model or released is None or shared.started is None:
            return None
        p = cfg.params
        if released - shared.started < p.warmup or obs.ts - released > p.recent:
            return None
        if p.clustered_only and account.cluster is None:
            return None
        if not any(other != model for other in account.models):
            return None  # a new account on the new model: nothing moved
        return self.finding(cfg, f"moved to {model!r}, first seen {(obs.ts - released) / 3600:.1f} h ago")
