"""Content signals share one shape: weighted regular expressions over a bounded
amount of prompt text. Strong patterns count fully, weak ones (phrases honest users
also write, like "step by step") count a fraction."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from pydantic import Field

from gateway.observation import Observation
from gateway.signals.base import Compiled, Finding, Params, Signal
from gateway.signals.concepts import ConceptRule, Hits, entries, matching
from gateway.signals.gates import WordIndex
from gateway.state.memory import AccountState, SharedState


class PatternParams(Params):
    scan_chars: int = Field(
        2048, ge=64, le=262144, description="Characters of the user turn scanned (head and tail)."
    )
    form_chars: int = Field(
        8192, ge=64, le=262144,
        description="Characters read for the prompt's layout (labels, score ranges; head and tail): "
        "a long question pushes a judge's answer labels out of the wording's window.",
    )
    weak_scale: float = Field(0.25, ge=0, le=1, description="Share of points for a weak match.")
    weak_cap: float = Field(
        0.3, ge=0, le=1, description="Share of the cap that weak matches alone can fill."
    )
    extra_strong: list[str] = Field(default_factory=list, description="More strong regexes.")
    extra_weak: list[str] = Field(default_factory=list, description="More weak regexes.")


# A rule is a regex over lower-cased text and its gate: either words of which one must
# occur, or groups of such words that must all be satisfied. Gates are substring
# searches, far cheaper than `re` scanning for alternations at every position.
Gate = tuple[str, ...] | tuple[tuple[str, ...], ...]
Rule = tuple[str, Gate]
Groups = tuple[frozenset[str], ...]
# (pattern, gate groups, whether the pattern began with a word boundary)
Compiled_ = list[tuple[re.Pattern[str], Groups, bool]]
# Evidence in a prompt's layout, and whether it is strong.
Form = tuple[str, bool]
# How far before the material a firming word may stand ("the assistant replied: ").
FIRMING_REACH = 40


def _groups(gate: Gate) -> Groups:
    if not gate:
        return ()
    if isinstance(gate[0], str):
        return (frozenset(gate),)
    return tuple(frozenset(group) for group in gate)


def _compile(rules: list[Rule]) -> Compiled_:
    # Patterns run on lower-cased text without IGNORECASE (several times faster in
    # `re`), and only when their gate holds. A leading \b is checked by hand: it hides
    # the literal prefix from `re`, which then tries every position (10-30x slower).
    out: Compiled_ = []
    for pattern, gate in rules:
        source = pattern.lower()
        bounded = source.startswith(r"\b")
        out.append((re.compile(source[2:] if bounded else source, re.DOTALL), _groups(gate), bounded))
    return out


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def search(pattern: re.Pattern[str], text: str, bounded: bool) -> re.Match[str] | None:
    """pattern.search, where `bounded` requires a word boundary before the match: the
    same leftmost match as searching with the leading \b."""
    match = pattern.search(text)
    if not bounded:
        return match
    while match is not None:
        start = match.start()
        # \b at start: exactly one side is a word character.
        before = start > 0 and _is_word(text[start - 1])
        after = start < len(text) and _is_word(text[start])
        if before != after:
            return match
        match = pattern.search(text, start + 1)
    return None


class RuleSet:
    """Compiled rules with an index from gate words to rules: a request visits only
    the rules whose first gate group has a word present, not every rule."""

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = _compile(rules)
        by_word: dict[str, list[int]] = {}
        ungated: list[int] = []
        for i, (_, groups, _) in enumerate(self.rules):
            if not groups:
                ungated.append(i)
            for word in groups[0] if groups else ():
                by_word.setdefault(word, []).append(i)
        self.by_word = {word: tuple(ids) for word, ids in by_word.items()}
        self.words = frozenset(by_word)
        self.ungated = tuple(ungated)

    def first(self, text: str, present: set[str]) -> re.Match[str] | None:
        """The first rule in order whose gate holds and whose pattern matches."""
        words = self.words.intersection(present)
        if not words and not self.ungated:
            return None  # most requests, for most rule sets
        candidates = set(self.ungated)
        for word in words:
            candidates.update(self.by_word[word])
        rules = self.rules
        for i in sorted(candidates):
            pattern, groups, bounded = rules[i]
            # The first group holds: the rule was reached through one of its words.
            for group in groups[1:]:
                if present.isdisjoint(group):
                    break
            else:
                match = search(pattern, text, bounded)
                if match:
                    return match
        return None


_INDEX: WordIndex | None = None


def _index() -> WordIndex:
    """One index over the gate words of every PatternSignal subclass (class data,
    fixed at import), built on first use."""
    global _INDEX
    if _INDEX is None:
        words = {w for cls in _subclasses(PatternSignal) for _, gate in [*cls.strong, *cls.weak]
                 for group in _groups(gate) for w in group}
        _INDEX = WordIndex(words, entries())
    return _INDEX


def _subclasses(cls: type) -> list[type[PatternSignal]]:
    out: list[type[PatternSignal]] = []
    sub: type[PatternSignal]
    for sub in cls.__subclasses__():
        out.append(sub)
        out.extend(_subclasses(sub))
    return out


class PatternSignal(Signal[PatternParams]):
    params_model: ClassVar[type[Params]] = PatternParams
    strong: ClassVar[list[Rule]] = []
    weak: ClassVar[list[Rule]] = []
    include_system: ClassVar[bool] = True
    reads_layout: ClassVar[bool] = False  # True where `form` is defined
    # Kinds of request recognised by their concepts in any listed language: strong,
    # checked after the strong regexes.
    concepts: ClassVar[list[ConceptRule]] = []
    # Honest purposes that look the same: a match here turns strong evidence weak.
    excuses: ClassVar[list[ConceptRule]] = []
    # Concepts that make weak layout evidence strong when named as the one giving the
    # material (`material_starts`), and why weak layout evidence is weak (said in the
    # evidence).
    layout_firmed_by: ClassVar[tuple[str, ...]] = ()
    weak_layout_because: ClassVar[str] = "layout alone"

    def form(self, text: str) -> Form | None:
        """Evidence in the prompt's layout rather than its wording (any language): the
        evidence and whether it is strong, or None. Checked when no strong rule
        matched, over the wider `form_chars` window, in signals that set `reads_layout`."""
        return None

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
        object.__setattr__(p, "_strong", RuleSet([*self.strong, *extra_strong]))
        object.__setattr__(p, "_weak", RuleSet([*self.weak, *extra_weak]))
        _index()
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
        # Set by compile(), beside the validated fields: unknown to the params type.
        strong: RuleSet = getattr(p, "_strong")  # noqa: B009
        weak: RuleSet = getattr(p, "_weak")  # noqa: B009
        # The gate words of all content signals are found in one pass per request.
        key = obs.prompt.scan_key(p.scan_chars, self.include_system)
        found = obs.prompt.found.get(key)
        if found is None:
            found = obs.prompt.found[key] = _index().scan(text)
        present, hits = found
        evidence = None
        if m := strong.first(text, present):
            evidence = f"matched {m.group(0)[:60]!r}"
        elif self.concepts:
            evidence = matching(self.concepts, hits, text)
        weak_layout = None
        if evidence is None and self.reads_layout:
            form = self.form(obs.prompt.scan_text(max(p.form_chars, p.scan_chars), self.include_system))
            if form is not None:
                found_form, strong_form = form
                if strong_form:
                    evidence = found_form
                elif firm := self._firmed(hits, text):
                    evidence = f"{found_form}, naming {firm!r}"
                else:
                    weak_layout = found_form
        if evidence is not None:
            if self.excuses and (excuse := matching(self.excuses, hits, text)):
                return self.weak_finding(cfg, f"{evidence}, but {excuse}")
            return self.finding(cfg, evidence)
        if m := weak.first(text, present):
            return self.weak_finding(cfg, f"weakly matched {m.group(0)[:60]!r}")
        if weak_layout is not None:
            return self.weak_finding(cfg, f"{weak_layout} (weak: {self.weak_layout_because})")
        return None

    def material_starts(self, text: str) -> list[int]:
        """Where the material being judged begins in `text` (after an answer's label, at
        a quotation): a firming word counts only as the one giving that material."""
        return []

    def _firmed(self, hits: Hits, text: str) -> str | None:
        # The AI named as the one answering: in the label itself ("Assistant:") or just
        # before the material on its line ('the chatbot said "'), not inside the material
        # ("As an AI assistant, I ..." in a support reply being rated).
        starts: list[int] | None = None
        for concept in self.layout_firmed_by:
            for at in hits.get(concept, ()):
                if starts is None:
                    starts = self.material_starts(text)
                if any(0 < start - at <= FIRMING_REACH and "\n" not in text[at:start] for start in starts):
                    return text[at:at + 24].split("\n", 1)[0]
        return None

    def weak_finding(self, cfg: Compiled[PatternParams], evidence: str) -> Finding:
        p = cfg.params
        return self.finding(cfg, evidence, scale=p.weak_scale, cap_scale=p.weak_cap)
