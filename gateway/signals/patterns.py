"""Content signals share one shape: weighted regular expressions over a bounded
amount of prompt text. Strong patterns count fully, weak ones (phrases honest users
also write, like "step by step") count a fraction."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from pydantic import Field

from gateway.observation import Observation
from gateway.signals.base import Compiled, Finding, Params, Signal
from gateway.state.memory import AccountState, SharedState


class PatternParams(Params):
    scan_chars: int = Field(4096, ge=64, le=262144, description="Characters of prompt scanned.")
    weak_scale: float = Field(0.25, ge=0, le=1, description="Share of points for a weak match.")
    weak_cap: float = Field(
        0.3, ge=0, le=1, description="Share of the cap that weak matches alone can fill."
    )
    extra_strong: list[str] = Field(default_factory=list, description="More strong regexes.")
    extra_weak: list[str] = Field(default_factory=list, description="More weak regexes.")


def _compile(patterns: list[str]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE | re.DOTALL)


class PatternSignal(Signal[PatternParams]):
    params_model: ClassVar[type[Params]] = PatternParams
    strong: ClassVar[list[str]] = []
    weak: ClassVar[list[str]] = []
    include_system: ClassVar[bool] = True

    def compile(self, config: Any) -> Compiled[PatternParams] | None:
        compiled = super().compile(config)
        if compiled is None:
            return None
        p = compiled.params
        for pattern in [*p.extra_strong, *p.extra_weak]:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"bad regex {pattern!r}: {exc}") from exc
        # Compiled regexes ride on the params object so the hot path never recompiles.
        object.__setattr__(p, "_strong", _compile([*self.strong, *p.extra_strong]))
        object.__setattr__(p, "_weak", _compile([*self.weak, *p.extra_weak]))
        return compiled

    def observe(
        self,
        obs: Observation,
        account: AccountState,
        shared: SharedState,
        cfg: Compiled[PatternParams],
    ) -> Finding | None:
        p = cfg.params
        half = p.scan_chars // 2
        user = obs.prompt.user
        # Head and tail: instructions sit at either end of long prompts.
        text = user if len(user) <= p.scan_chars else user[:half] + "\n" + user[-half:]
        if self.include_system and obs.prompt.system:
            text = obs.prompt.system[:half] + "\n" + text
        strong: re.Pattern[str] | None = getattr(p, "_strong", None)
        weak: re.Pattern[str] | None = getattr(p, "_weak", None)
        if strong is not None and (m := strong.search(text)):
            return self.finding(cfg, f"matched {m.group(0)[:60]!r}")
        if weak is not None and (m := weak.search(text)):
            return self.finding(
                cfg, f"weakly matched {m.group(0)[:60]!r}", scale=p.weak_scale,
                cap_scale=p.weak_cap,
            )
        return None
