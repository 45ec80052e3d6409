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
    scan_chars: int = Field(
        2048, ge=64, le=262144, description="Characters of the user turn scanned (head and tail)."
    )
    weak_scale: float = Field(0.25, ge=0, le=1, description="Share of points for a weak match.")
    weak_cap: float = Field(
        0.3, ge=0, le=1, description="Share of the cap that weak matches alone can fill."
    )
    extra_strong: list[str] = Field(default_factory=list, description="More strong regexes.")
    extra_weak: list[str] = Field(default_factory=list, description="More weak regexes.")


Rule = tuple[str, tuple[str, ...]]  # a regex over lower-cased text, and its gate words

Compiled_ = list[tuple[re.Pattern[str], tuple[str, ...]]]


def _compile(rules: list[Rule]) -> Compiled_:
    # Patterns run on lower-cased text without IGNORECASE (several times faster in
    # `re`), and only when one of their gate words occurs (a fast substring search).
    return [(re.compile(pattern.lower(), re.DOTALL), gate) for pattern, gate in rules]


def _first(rules: Compiled_, text: str, present: set[str]) -> re.Match[str] | None:
    for pattern, gate in rules:
        if gate and present.isdisjoint(gate):
            continue
        match = pattern.search(text)
        if match:
            return match
    return None


class PatternSignal(Signal[PatternParams]):
    params_model: ClassVar[type[Params]] = PatternParams
    strong: ClassVar[list[Rule]] = []
    weak: ClassVar[list[Rule]] = []
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
        extra_strong = [(x.lower(), ()) for x in p.extra_strong]
        extra_weak = [(x.lower(), ()) for x in p.extra_weak]
        object.__setattr__(p, "_strong", _compile([*self.strong, *extra_strong]))
        object.__setattr__(p, "_weak", _compile([*self.weak, *extra_weak]))
        words = {w for _, gate in [*self.strong, *self.weak] for w in gate}
        object.__setattr__(p, "_words", tuple(sorted(words)))
        return compiled

    def observe(
        self,
        obs: Observation,
        account: AccountState,
        shared: SharedState,
        cfg: Compiled[PatternParams],
    ) -> Finding | None:
        p = cfg.params
        # Head and tail: instructions sit at either end of long prompts.
        text = obs.prompt.scan_text(p.scan_chars, self.include_system)
        strong: Compiled_ = getattr(p, "_strong", [])
        weak: Compiled_ = getattr(p, "_weak", [])
        # Each gate word is searched once per request, however many patterns share it.
        present = {w for w in getattr(p, "_words", ()) if w in text}
        if not present and not p.extra_strong and not p.extra_weak:
            return None
        if m := _first(strong, text, present):
            return self.finding(cfg, f"matched {m.group(0)[:60]!r}")
        if m := _first(weak, text, present):
            return self.finding(
                cfg, f"weakly matched {m.group(0)[:60]!r}", scale=p.weak_scale,
                cap_scale=p.weak_cap,
            )
        return None
