"""Machine timing: inter-arrival times far more regular than people's, and activity
in nearly every hour of the day with no rest. Real API customers run pipelines day and
night (29% of the ServeGen customers are active 22 hours a day or more, see
bench/real_traffic.py), so round-the-clock activity counts only for a young account:
a farm bought last week, not a business."""

from operator import mul
from typing import ClassVar

from pydantic import Field

from gateway.observation import Observation
from gateway.signals.base import Compiled, Finding, Params, Signal
from gateway.state.memory import AccountState, SharedState


class TimingParams(Params):
    min_gaps: int = Field(16, ge=4, description="Gaps needed before judging regularity.")
    max_cv: float = Field(0.25, gt=0, description="Coefficient of variation below this is regular.")
    active_hours: int = Field(22, ge=1, le=24, description="Active hours of the last 24 to fire.")
    young_seconds: float = Field(
        30 * 86400, ge=0,
        description="Round-the-clock activity counts only for accounts younger than this "
        "(age from the accounts directory; unknown age does not count).",
    )


class Timing(Signal[TimingParams]):
    name: ClassVar[str] = "timing"
    description: ClassVar[str] = "clockwork regular or round-the-clock traffic"
    params_model: ClassVar[type[Params]] = TimingParams

    def observe(
        self, obs: Observation, account: AccountState, shared: SharedState,
        cfg: Compiled[TimingParams],
    ) -> Finding | None:
        p = cfg.params
        hour = int(obs.ts // 3600)
        # Hours are stamped as they pass, so none is later than this one.
        active = sum(map((hour - 24).__lt__, account.hours))
        flags = []
        created = obs.account.created
        if active >= p.active_hours and created is not None and obs.ts - created < p.young_seconds:
            flags.append(f"active {active}/24 h")
        gaps = account.gaps
        if len(gaps) >= p.min_gaps:
            n = len(gaps)
            mean = sum(gaps) / n
            if mean > 0:
                # E[g²] - mean², with the sums in C: this runs on every request.
                variance = max(0.0, sum(map(mul, gaps, gaps)) / n - mean * mean)
                cv = variance**0.5 / mean
                if cv < p.max_cv:
                    flags.append(f"inter-arrival CV {cv:.2f}")
        if not flags:
            return None
        return self.finding(cfg, ", ".join(flags), scale=len(flags) / 2)
