"""The signal contract. A signal reads one Observation plus the account's and the
shared state, and returns findings: named, with points and evidence. Each signal is
one module with its own validated parameters, registered in `signals/__init__.py`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from gateway.observation import Observation
from gateway.policy.model import SignalConfig
from gateway.state.memory import AccountState, SharedState


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


P = TypeVar("P", bound=Params)


@dataclass(frozen=True, slots=True)
class Finding:
    signal: str
    reason: str  # machine-readable reason code, e.g. signal:cot_elicitation
    points: float
    evidence: str
    links: tuple[str, ...] = ()  # other accounts this evidence ties to this one
    cap_scale: float = 1.0  # weak evidence may only fill this share of the signal's cap


@dataclass(frozen=True, slots=True)
class Compiled(Generic[P]):
    points: float
    cap: float
    params: P


class Signal(Generic[P]):
    name: ClassVar[str]
    params_model: ClassVar[type[Params]]
    description: ClassVar[str]

    def compile(self, config: SignalConfig) -> Compiled[P] | None:
        if not config.enabled:
            return None
        try:
            params = self.params_model.model_validate(config.params)
        except Exception as exc:  # pydantic's ValidationError: reported by the loader
            raise ValueError(str(exc).replace("\n", " ")) from exc
        return Compiled(config.points, config.cap, params)  # type: ignore[arg-type]

    def observe(
        self, obs: Observation, account: AccountState, shared: SharedState, cfg: Compiled[P]
    ) -> Finding | None:
        raise NotImplementedError

    def finding(
        self, cfg: Compiled[Any], evidence: str, scale: float = 1.0,
        links: tuple[str, ...] = (), cap_scale: float = 1.0,
    ) -> Finding:
        return Finding(
            self.name, f"signal:{self.name}", cfg.points * scale, evidence, links, cap_scale
        )
